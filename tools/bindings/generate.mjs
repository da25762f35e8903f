// Reads {"schema", "name", "banner"} as JSON on stdin and writes TypeScript interfaces on stdout.
// Run by app/services/codegen.py in a temporary folder with a time limit, beside the schemas its
// references name (written there as files of those names); never from the network.
import { compile } from "json-schema-to-typescript";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { schema, name, banner } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
let source;
try {
  source = await compile(schema, name, {
    bannerComment: banner,
    additionalProperties: true,
    strictIndexSignatures: true,
    unknownAny: true,
    cwd: process.cwd(),
    $refOptions: { resolve: { http: false } },
  });
} catch (error) {
  // One line that says what is wrong with the schema; the stack would only show our folders.
  process.stderr.write(`${error.message}`.split("\n")[0] + "\n");
  process.exit(1);
}
process.stdout.write(source);
