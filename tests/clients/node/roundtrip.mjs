#!/usr/bin/env node
// Drives Eventry's Confluent-compatible API (/ccompat) with @kafkajs/confluent-schema-registry,
// the Node client people use with KafkaJS. Prints exactly one JSON line on stdout and exits 0
// on success; on failure prints one JSON line {"ok": false, ...} and exits 1, with the reason
// on stderr too. Written to be run by the pytest suite against a server on 127.0.0.1.
//
//   node roundtrip.mjs [command] --url http://127.0.0.1:PORT/ccompat [options]
//
// Commands:
//   roundtrip     (default) register --schema under --subject, encode --event with the id the
//                 server gave, decode it again, then read the id back three ways
//                 (getLatestSchemaId, getRegistryId(subject, version), getRegistryIdBySchema)
//                 and check that an event the schema refuses is refused before any request.
//   register      register --schema under --subject only; prints the server's answer.
//   incompatible  register --schema (the base, as in roundtrip), then try --breaking and expect
//                 the server to refuse it; succeeds only when it was refused (HTTP status >= 400).
//   encode        encode --event with --id (schema id); prints the bytes as hex.
//   decode        decode --hex (bytes made by any Confluent client); prints the event.
//   lookup        getRegistryIdBySchema(--subject, --schema), getLatestSchemaId(--subject).
//
// Options (each also read from the environment variable in brackets):
//   --url URL             registry base URL, /ccompat included            [CCOMPAT_URL]
//   --user U --password P HTTP Basic, as Confluent clients send basic.auth.user.info
//                                                        [CCOMPAT_USER, CCOMPAT_PASSWORD]
//   --token T             'Authorization: Bearer T' (a middleware; the package has no option)
//                                                                          [CCOMPAT_TOKEN]
//   --subject S           subject name (default: roundtrip-<time>-value)  [CCOMPAT_SUBJECT]
//   --schema JSON         JSON Schema text to register (default: a small OrderPlaced)
//   --breaking JSON       schema for `incompatible` (default: OrderPlaced with a new required field)
//   --event JSON          event to encode (default: {"orderId": "o-1", "total": 12.5})
//   --invalid JSON        event the schema must refuse (default: {"orderId": 42})
//   --references JSON     references of --schema: [{"name", "subject", "version"}]
//   --compatibility LEVEL register()'s `compatibility` option (default BACKWARD: the client
//                         compares it with GET /config/{subject} and PUTs it after a first
//                         registration)
//   --no-update-config    register() with updateConfig: false (no PUT /config/{subject})
//   --lenient             compile schemas with Ajv {strict: false} (the default Ajv refuses
//                         unknown keywords and formats, and $schema other than draft-07)
//   --id N --hex HEX      for encode / decode
//   --timeout MS          overall time limit (default 20000)

import { createRequire } from 'node:module'
import process from 'node:process'

const require = createRequire(import.meta.url)
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry')

const DEFAULT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'OrderPlaced',
  type: 'object',
  properties: { orderId: { type: 'string' }, total: { type: 'number' } },
  required: ['orderId'],
  additionalProperties: false,
}
const DEFAULT_BREAKING = {
  ...DEFAULT_SCHEMA,
  properties: { ...DEFAULT_SCHEMA.properties, currency: { type: 'string' } },
  required: ['orderId', 'currency'],
}
const DEFAULT_EVENT = { orderId: 'o-1', total: 12.5 }
const DEFAULT_INVALID = { orderId: 42 }

const COMMANDS = new Set(['roundtrip', 'register', 'incompatible', 'encode', 'decode', 'lookup'])
const FLAGS = new Set(['no-update-config', 'lenient'])

function parseArgs(argv) {
  const options = { command: 'roundtrip' }
  let i = 0
  if (argv[0] && !argv[0].startsWith('--')) {
    options.command = argv[0]
    i = 1
  }
  for (; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`)
    const name = arg.slice(2)
    if (FLAGS.has(name)) {
      options[name] = true
      continue
    }
    if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`)
    options[name] = argv[++i]
  }
  if (!COMMANDS.has(options.command)) {
    throw new UsageError(`unknown command ${JSON.stringify(options.command)}`)
  }
  const env = process.env
  options.url ??= env.CCOMPAT_URL
  options.user ??= env.CCOMPAT_USER
  options.password ??= env.CCOMPAT_PASSWORD
  options.token ??= env.CCOMPAT_TOKEN
  options.subject ??= env.CCOMPAT_SUBJECT ?? `roundtrip-${Date.now()}-value`
  if (!options.url) throw new UsageError('give the registry URL: --url or CCOMPAT_URL')
  return options
}

class UsageError extends Error {}

function json(text, what) {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${what} is not JSON: ${error.message}`)
  }
}

function schemaText(value, fallback) {
  // Sent as the registry stores it: a string of JSON, passed through unchanged.
  if (value === undefined) return JSON.stringify(fallback)
  json(value, 'the schema')
  return value
}

function bearer(token) {
  // mappersmith middleware adding the header to every request.
  return () => ({
    prepareRequest: next =>
      next().then(request => request.enhance({ headers: { Authorization: `Bearer ${token}` } })),
  })
}

function makeRegistry(options) {
  const config = { host: options.url.replace(/\/+$/, ''), clientId: 'eventry-tests' }
  if (options.user !== undefined || options.password !== undefined) {
    config.auth = { username: options.user ?? '', password: options.password ?? '' }
  }
  if (options.token) config.middlewares = [bearer(options.token)]
  // One try for 5xx answers to GETs (the package retries them 3 times by default).
  config.retry = { retries: 0 }
  const jsonOptions = options.lenient ? { strict: false, validateFormats: false, logger: false } : {}
  return new SchemaRegistry(config, { [SchemaType.JSON]: jsonOptions })
}

function describe(error) {
  // ResponseError of the package: status, url ('METHOD URL'), message '<clientId> - <message>'.
  const out = { name: error?.name ?? 'Error', message: String(error?.message ?? error) }
  if (error && typeof error === 'object') {
    if ('status' in error) out.status = error.status
    if ('url' in error) out.url = error.url
    if ('paths' in error) out.paths = error.paths
  }
  return out
}

function registerOptions(options) {
  const opts = { subject: options.subject }
  if (options.compatibility) opts.compatibility = options.compatibility.toUpperCase()
  if (options['no-update-config']) opts.updateConfig = false
  return opts
}

function confluentSchema(options, text) {
  const schema = { type: SchemaType.JSON, schema: text }
  if (options.references) schema.references = json(options.references, '--references')
  return schema
}

async function register(registry, options, text) {
  return registry.register(confluentSchema(options, text), registerOptions(options))
}

async function roundtrip(registry, options) {
  const text = schemaText(options.schema, DEFAULT_SCHEMA)
  const event = options.event ? json(options.event, '--event') : DEFAULT_EVENT
  const invalid = options.invalid ? json(options.invalid, '--invalid') : DEFAULT_INVALID
  const registered = await register(registry, options, text)
  if (!Number.isInteger(registered?.id)) {
    throw new Error(`register answered without an integer id: ${JSON.stringify(registered)}`)
  }
  const encoded = await registry.encode(registered.id, event)
  if (encoded[0] !== 0 || encoded.readInt32BE(1) !== registered.id) {
    throw new Error(`wire header is not magic 0 + id ${registered.id}: ${encoded.toString('hex')}`)
  }
  // A fresh client, so that decode fetches the writer schema by id (GET /schemas/ids/{id})
  // instead of using the one register() cached.
  const decoded = await makeRegistry(options).decode(encoded)
  if (JSON.stringify(decoded) !== JSON.stringify(event)) {
    throw new Error(`decoded ${JSON.stringify(decoded)}, encoded ${JSON.stringify(event)}`)
  }
  const latestId = await registry.getLatestSchemaId(options.subject)
  const version = registered.version ?? 'latest'
  const idByVersion = await registry.getRegistryId(options.subject, version)
  const idBySchema = await registry.getRegistryIdBySchema(
    options.subject,
    confluentSchema(options, text),
  )
  for (const [what, id] of Object.entries({ latestId, idByVersion, idBySchema })) {
    if (id !== registered.id) throw new Error(`${what} is ${id}, register gave ${registered.id}`)
  }
  let refused
  try {
    await registry.encode(registered.id, invalid)
  } catch (error) {
    refused = describe(error)
  }
  if (!refused) throw new Error(`encode accepted ${JSON.stringify(invalid)}, which --schema refuses`)
  return {
    ok: true,
    command: 'roundtrip',
    subject: options.subject,
    registered,
    encodedHex: encoded.toString('hex'),
    decoded,
    latestId,
    idByVersion,
    idBySchema,
    invalidRefused: refused,
  }
}

async function incompatible(registry, options) {
  const base = schemaText(options.schema, DEFAULT_SCHEMA)
  const breaking = schemaText(options.breaking, DEFAULT_BREAKING)
  const registered = await register(registry, options, base)
  let accepted
  try {
    accepted = await registry.register(
      { type: SchemaType.JSON, schema: breaking },
      registerOptions(options),
    )
  } catch (error) {
    const refused = describe(error)
    if (typeof refused.status !== 'number' || refused.status < 400) {
      // Refused by the client itself (compatibility option mismatch, bad schema): not the server.
      throw error
    }
    return { ok: true, command: 'incompatible', subject: options.subject, registered, refused }
  }
  throw new Error(`the server accepted the breaking schema: ${JSON.stringify(accepted)}`)
}

async function run(options) {
  const registry = makeRegistry(options)
  switch (options.command) {
    case 'roundtrip':
      return roundtrip(registry, options)
    case 'register': {
      const registered = await register(registry, options, schemaText(options.schema, DEFAULT_SCHEMA))
      return { ok: true, command: 'register', subject: options.subject, registered }
    }
    case 'incompatible':
      return incompatible(registry, options)
    case 'encode': {
      const id = Number(options.id)
      if (!Number.isInteger(id)) throw new UsageError('encode needs --id N')
      const event = options.event ? json(options.event, '--event') : DEFAULT_EVENT
      const encoded = await registry.encode(id, event)
      return { ok: true, command: 'encode', id, encodedHex: encoded.toString('hex') }
    }
    case 'decode': {
      if (!options.hex) throw new UsageError('decode needs --hex HEX')
      const buffer = Buffer.from(options.hex, 'hex')
      const decoded = await registry.decode(buffer)
      return { ok: true, command: 'decode', id: buffer.readInt32BE(1), decoded }
    }
    case 'lookup': {
      const text = schemaText(options.schema, DEFAULT_SCHEMA)
      const idBySchema = await registry.getRegistryIdBySchema(options.subject, {
        type: SchemaType.JSON,
        schema: text,
      })
      const latestId = await registry.getLatestSchemaId(options.subject)
      return { ok: true, command: 'lookup', subject: options.subject, idBySchema, latestId }
    }
  }
}

function fail(error, code) {
  const result = { ok: false, error: describe(error) }
  process.stdout.write(`${JSON.stringify(result)}\n`)
  process.stderr.write(`roundtrip.mjs: ${result.error.name}: ${result.error.message}\n`)
  process.exitCode = code
}

let options
try {
  options = parseArgs(process.argv.slice(2))
} catch (error) {
  fail(error, 2)
  process.exit()
}
const limit = Number(options.timeout ?? 20000)
const timer = setTimeout(() => {
  fail(new Error(`no result within ${limit} ms`), 1)
  process.exit()
}, limit)
try {
  const result = await run(options)
  process.stdout.write(`${JSON.stringify(result)}\n`)
} catch (error) {
  fail(error, error instanceof UsageError ? 2 : 1)
} finally {
  clearTimeout(timer)
}
