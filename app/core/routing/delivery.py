"""Who receives an event and why: a consumer's rule against what its bus's router would deliver.

What a router delivers (Eventry's envelope, documented in docs/concepts.md):
- EventBridge, and every router without a filter grammar of its own (SQS, Kinesis, Kafka, MQ,
  other), whose consumers describe their filter in the EventBridge notation: the event
  `{"source", "detail-type", "detail", …}` with `detail-type` the event type's name, `detail`
  the payload, and the envelope fields the catalogue does not record (`source`, `account`,
  `region`, `time`, `id`, `resources`, `version`) as values it does not know. A sample that is
  a whole EventBridge event (with `detail-type` and `detail`) is used as it stands.
- SNS: the message's attributes, which publishers are taken to set as `detail-type` (the event
  type's name) and `source` (not recorded); the rule is an SNS filter policy with SNS's default
  scope, MessageAttributes. A consumer whose subscription sets FilterPolicyScope to MessageBody
  (scope ``message-body``) has its policy matched against the message body: the payload.

A rule receives the event when it matches one of the event's valid samples (the samples it
would deliver are named) or, when it matches none of them or there are none, when it can match
some event the latest schema allows: a rule that can match a valid event counts. Where a value
the catalogue does not know decided the match, the answer says so (``assumed``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.errors import InvalidInput
from app.core.schema import SchemaDocument

from .grammar import InvalidPattern, compile_rule
from .matcher import match
from .model import CONSUMER_SCOPES, ConsumerScope, Grammar, Mismatch, Node, Scope
from .schema_values import schema_value
from .values import SymArray, SymObject, Unknown

_UNRECORDED = "not recorded in the catalogue"
_ENVELOPE = ("version", "id", "source", "account", "time", "region")


def grammar_of(router: str, scope: ConsumerScope | None = None) -> tuple[Grammar, Scope | None]:
    """The grammar a consumer's rule on a bus of this router kind follows; ``scope`` matters
    on SNS only (None: SNS's default, MessageAttributes)."""
    if router == "sns":
        return Grammar.SNS, (scope or ConsumerScope.MESSAGE_ATTRIBUTES).sns
    return Grammar.EVENTBRIDGE, None


def consumer_scope(router: str, scope: str | None, at: str = "/scope") -> ConsumerScope | None:
    """A consumer's scope as given (``message-attributes``, ``message-body`` or None) on a bus
    of this router kind. Raises InvalidInput (422, pointing at ``at``) for an unknown scope, or
    a scope on a bus that is not SNS (only SNS filter policies have one)."""
    if scope is None:
        return None
    if router != "sns":
        raise InvalidInput(
            f"scope belongs to consumers on an SNS bus (a filter policy's FilterPolicyScope); "
            f"this bus is {router}",
            [{"message": "only an SNS consumer has a scope", "pointer": at}],
        )
    try:
        return ConsumerScope(scope)
    except ValueError:
        known = " or ".join(CONSUMER_SCOPES)
        raise InvalidInput(
            f"scope must be {known} (got {scope!r})",
            [{"message": "unknown scope", "pointer": at}],
        ) from None


def check_consumer_rule(
    rule: dict | None, router: str, at: str = "/pattern", scope: ConsumerScope | None = None
) -> None:
    """Refuse a consumer's rule its bus's router would refuse: InvalidPattern (422) naming the
    operator and its pointer, under ``at`` (where the rule sits in the request)."""
    if rule is None:
        return
    grammar, sns_scope = grammar_of(router, scope)
    try:
        compile_rule(rule, grammar, sns_scope)
    except InvalidPattern as error:
        kind = "an SNS filter policy" if grammar is Grammar.SNS else "an EventBridge event pattern"
        raise error.under(at, f"a consumer on an {router} bus has {kind}") from None


def refused_under(router: str, rules: list[tuple[str, dict | None]]) -> list[dict[str, Any]]:
    """The rules of ``rules`` ((consumer name, rule) pairs) that ``router``'s grammar refuses,
    as {consumer, pointer (under /pattern), operator, message}, in the order given: what a
    change of a bus's router would break (a rule is judged as when it is stored,
    ``check_consumer_rule``)."""
    refused = []
    for name, rule in rules:
        try:
            check_consumer_rule(rule, router)
        except InvalidPattern as error:
            refused.append(
                {
                    "consumer": name,
                    "pointer": error.pointer,
                    "operator": error.operator,
                    "message": error.errors[0]["message"],
                }
            )
    return refused


def delivered(
    router: str, name: str | Unknown, payload: Any, scope: ConsumerScope | None = None
) -> Any:
    """What the router hands a rule for an event of this name (an Unknown string: any event
    type on the bus) carrying ``payload``: for an SNS MessageBody scope, the payload itself."""
    if router == "sns" and scope is ConsumerScope.MESSAGE_BODY:
        return payload
    if router == "sns":
        return SymObject(
            {"detail-type": name, "source": Unknown(frozenset({"string"}), why=_UNRECORDED)},
            frozenset({"source"}),
            Unknown(why="an attribute the catalogue does not record"),
        )
    if isinstance(payload, dict) and "detail-type" in payload and "detail" in payload:
        return payload
    members: dict[str, Any] = {
        key: Unknown(frozenset({"string"}), why=_UNRECORDED) for key in _ENVELOPE
    }
    members["resources"] = SymArray(Unknown(frozenset({"string"}), why=_UNRECORDED))
    return SymObject({**members, "detail-type": name, "detail": payload})


@dataclass(frozen=True)
class Reception:
    """Whether a consumer receives an event, and why.

    ``receives`` the answer; ``reason`` one sentence; ``samples`` the names of the samples its
    rule would deliver; ``assumed`` the event pointers whose unknown values were taken to match;
    ``mismatch`` where the rule fails when it does not receive the event."""

    receives: bool
    reason: str
    samples: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)
    mismatch: Mismatch | None = None

    def to_dict(self) -> dict[str, Any]:
        """{receives, reason, samples, assumed, mismatch}."""
        return {
            "receives": self.receives,
            "reason": self.reason,
            "samples": self.samples,
            "assumed": self.assumed,
            "mismatch": self.mismatch.to_dict() if self.mismatch else None,
        }


def reception(
    rule: dict | None,
    router: str,
    name: str,
    samples: list[tuple[str, Any]],
    document: SchemaDocument | None,
    declared: str | None = None,
    scope: ConsumerScope | None = None,
    ref: str | None = None,
) -> Reception:
    """Whether a rule on a bus of ``router`` receives the event type ``name`` (``ref``:
    ``domain.Name``) with these valid samples (name, payload) and latest schema. ``declared`` is
    the event the consumer says it consumes, if it says so: it decides alone for a consumer
    without a rule, which receives that event only (docs/concepts.md). ``scope`` is an SNS
    consumer's. A stored rule is valid; raises InvalidPattern otherwise. ``Delivery`` answers
    many rules about one event type."""
    return Delivery(name, samples, document).reception(rule, router, declared, scope, ref)


class Delivery:
    """One event type as its bus's router hands it to every rule: each valid sample (name,
    payload) and the stand-in for every event its latest schema allows, delivered once per
    router kind and scope and then matched against any number of rules (``reception``)."""

    def __init__(
        self, name: str, samples: list[tuple[str, Any]], document: SchemaDocument | None
    ) -> None:
        self.name = name
        self.samples = samples
        self.document = document
        self._delivered_samples: dict[tuple[str, ConsumerScope | None], list] = {}
        self._delivered_schema: dict[tuple[str, ConsumerScope | None], Any] = {}

    def reception(
        self,
        rule: dict | None,
        router: str,
        declared: str | None = None,
        scope: ConsumerScope | None = None,
        ref: str | None = None,
        node: Node | None = None,
    ) -> Reception:
        """``reception``'s answer for this event type; ``node`` is the rule compiled already
        (by ``compile_rule`` in the grammar ``grammar_of(router, scope)``)."""
        if rule is None:
            return _without_rule(declared, ref)
        if node is None:
            node = compile_rule(rule, *grammar_of(router, scope))
        samples = self._samples(router, scope)
        # A sample's mismatch is never shown: only whether it matched and what was assumed.
        matched = [(n, match(node, event, explain=False)) for n, event in samples]
        hits = [(n, result) for n, result in matched if result.matched]
        if hits:
            assumed = sorted({a for _n, result in hits for a in result.assumed})
            names = [n for n, _result in hits]
            total = len(samples)
            return Reception(True, _sample_reason(names, total, assumed), names, assumed)
        result = match(node, self._anything(router, scope))
        if result.matched:
            assumed = list(result.assumed)
            reason = _schema_reason(len(samples), self.document, assumed)
            return Reception(True, reason, [], assumed)
        miss = result.mismatch
        return Reception(False, f"its rule cannot match it: {miss.reason}", [], [], miss)

    def _samples(self, router: str, scope: ConsumerScope | None) -> list[tuple[str, Any]]:
        key = (router, scope)
        if key not in self._delivered_samples:
            self._delivered_samples[key] = [
                (n, delivered(router, self.name, p, scope)) for n, p in self.samples
            ]
        return self._delivered_samples[key]

    def _anything(self, router: str, scope: ConsumerScope | None) -> Any:
        # Built only when a rule matches no sample: the schema's stand-in is walked once per
        # document, within the caller's work budget.
        key = (router, scope)
        if key not in self._delivered_schema:
            document = self.document
            payload = Unknown(why="no schema yet") if document is None else schema_value(document)
            self._delivered_schema[key] = delivered(router, self.name, payload, scope)
        return self._delivered_schema[key]


def _without_rule(declared: str | None, ref: str | None) -> Reception:
    if not declared:
        return Reception(True, "it has no rule, so it takes every event on the bus")
    if ref is not None and ref != declared:
        return Reception(
            False, f"it has no rule and declares that it consumes {declared}, so only that event"
        )
    return Reception(True, f"it declares that it consumes {declared} and has no rule")


def _sample_reason(names: list[str], total: int, assumed: list[str]) -> str:
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return f"its rule matches {len(names)} of the {total} valid samples ({shown})" + _assuming(
        assumed
    )


def _schema_reason(total: int, document: SchemaDocument | None, assumed: list[str]) -> str:
    basis = "an event the latest schema allows" if document is not None else "this event"
    lead = (
        f"no sample matches, but its rule can match {basis}"
        if total
        else f"its rule can match {basis}"
    )
    return lead + _assuming(assumed)


def _assuming(assumed: list[str]) -> str:
    if not assumed:
        return ""
    listed = ", ".join(assumed[:4]) + (" …" if len(assumed) > 4 else "")
    return f", taking {listed} to match (values the catalogue does not know)"
