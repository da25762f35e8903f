"""Router configuration as the AWS CLI exports it, read into the consumers it describes.

The documents read (parsed JSON; a top-level JSON array is a list of such documents):

- ``aws events list-rules`` — ``{"Rules": [{"Name", "Arn", "EventPattern", "State",
  "EventBusName", ...}]}``; ``EventPattern`` is the pattern as a JSON *string*, absent on a
  scheduled rule (which routes no events and is skipped, as a DISABLED rule is). EventBridge
  API reference, ListRules and the Rule data type:
  https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Rule.html
- ``aws events list-targets-by-rule --rule R`` — ``{"Targets": [{"Id", "Arn", ...}]}``. The
  output does not name its rule, so the document says it with a ``"Rule": "R"`` member (added
  with ``jq``, see docs/routes.md); when the documents hold exactly one rule, bare targets are
  that rule's. EventBridge API reference, ListTargetsByRule:
  https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html
- the combined form, one document per rule: ``{"Rule": {<a list-rules entry>}, "Targets":
  [...]}`` (an array of them for a whole bus).
- ``aws sns list-subscriptions`` / ``list-subscriptions-by-topic`` — ``{"Subscriptions":
  [{"SubscriptionArn", "Owner", "Protocol", "Endpoint", "TopicArn"}]}``. SNS API reference,
  ListSubscriptions: https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptions.html
- ``aws sns get-subscription-attributes`` — ``{"Attributes": {"SubscriptionArn", "TopicArn",
  "Protocol", "Endpoint", "FilterPolicy" (a JSON string), "FilterPolicyScope"
  ("MessageAttributes", the default, or "MessageBody"), ...}}``, joined to its subscription by
  ``SubscriptionArn``. SNS API reference, GetSubscriptionAttributes:
  https://docs.aws.amazon.com/sns/latest/api/API_GetSubscriptionAttributes.html and the filter
  policy scope: https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering-scope.html

A consumer is named after what receives the events: the Lambda function, SQS queue, state
machine, stream or bus named by a target's ARN or a subscription's endpoint
(``consumer_name``). Its rule is the EventPattern or FilterPolicy, checked with the router's
grammar (app.core.routing.grammar); every problem in the documents is reported at once, each
with its pointer (``InvalidInput``), never half-read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from app.core.errors import InvalidInput
from app.core.vocabulary import control_character

from .grammar import InvalidPattern, compile_rule
from .model import ConsumerScope, Grammar, Scope

MAX_NAME = 200  # a consumer's name, as stored (app.db.models.catalog.Consumer.name)
# ARN resource types whose name follows a colon (arn:aws:lambda:…:function:NAME[:alias]).
_COLON_TYPES = frozenset({"function", "stateMachine", "log-group", "activity"})


@dataclass(frozen=True)
class Route:
    """One consumer as the router's configuration describes it.

    ``consumer`` its name; ``rule`` the parsed EventPattern / FilterPolicy (None: none, it takes
    every event); ``rule_known`` False for an SNS subscription exported without its attributes
    (its filter policy is not in the files); ``scope`` an SNS consumer's; ``location`` the
    event bus name or topic name; ``source`` the rule or subscription it comes from (for
    people); ``pointer`` where in the documents it was read."""

    consumer: str
    rule: dict[str, Any] | None
    location: str
    source: str
    pointer: str
    scope: ConsumerScope | None = None
    rule_known: bool = True


@dataclass(frozen=True)
class RouterConfig:
    """What the documents describe: the router's grammar and its routes."""

    grammar: Grammar
    routes: tuple[Route, ...]

    @property
    def locations(self) -> list[str]:
        """The event buses or topics named, sorted."""
        return sorted({route.location for route in self.routes})


def consumer_name(target: str) -> str:
    """The consumer an ARN or endpoint names: ``arn:aws:lambda:eu-west-2:1:function:pick:live``
    -> ``pick``, ``arn:aws:sqs:eu-west-2:1:ledger-feed`` -> ``ledger-feed``,
    ``…:stateMachine:refunds`` -> ``refunds``, ``…:event-bus/audit`` -> ``audit``; an HTTP(S)
    endpoint -> its host; anything else (an e-mail address) as it stands."""
    if target.startswith("arn:"):
        resource = target.split(":", 5)[5] if target.count(":") >= 5 else target
        kind, _, rest = resource.partition(":")
        if kind in _COLON_TYPES and rest:
            return rest.split(":")[0] if kind != "log-group" else rest
        return resource.rsplit("/", 1)[-1]
    if target.startswith(("http://", "https://")):
        return urlsplit(target).hostname or target
    return target


def read_exports(documents: list[tuple[str, Any]]) -> RouterConfig:
    """The routes of exported router configuration: ``documents`` are (pointer prefix,
    parsed JSON) pairs, the prefix naming the document in problems (``/documents/0``, or a
    file's name). Raises InvalidInput listing every problem with its pointer: a document of
    no known shape, a rule that is no JSON or that its router refuses (the pointer names the
    EventPattern/FilterPolicy member, ``rule_pointer`` the place inside the rule), targets
    whose rule is unknown, or documents of both EventBridge and SNS."""
    reader = _Reader()
    for prefix, document in documents:
        reader.document(document, prefix)
    return reader.finish()


class _Reader:
    def __init__(self) -> None:
        self.rules: dict[str, tuple[dict, str]] = {}  # name -> (rule entry, pointer)
        self.idle: set[str] = set()  # scheduled or disabled rules: they route no events
        self.targets: list[tuple[str | None, list, str]] = []  # (rule name, targets, pointer)
        self.subscriptions: dict[str, tuple[dict, str]] = {}
        self.attributes: dict[str, tuple[dict, str]] = {}
        self.problems: list[dict[str, Any]] = []

    def problem(self, message: str, pointer: str, **more: Any) -> None:
        self.problems.append({"message": message, "pointer": pointer, **more})

    def document(self, document: Any, at: str) -> None:
        if isinstance(document, list):
            for index, each in enumerate(document):
                self.document(each, f"{at}/{index}")
        elif not isinstance(document, dict):
            self.problem("an export document is a JSON object (or an array of them)", at)
        elif "Rules" in document:
            self._entries(document["Rules"], f"{at}/Rules", self._rule)
        elif "Targets" in document:
            self._targets(document, at)
        elif "Subscriptions" in document:
            self._entries(document["Subscriptions"], f"{at}/Subscriptions", self._subscription)
        elif "Attributes" in document:
            self._attributes(document["Attributes"], f"{at}/Attributes")
        else:
            self.problem(
                "not an export this reads: expected Rules (aws events list-rules), Targets "
                "(list-targets-by-rule), Subscriptions (aws sns list-subscriptions) or "
                "Attributes (get-subscription-attributes)",
                at,
            )

    def _entries(self, entries: Any, at: str, read) -> None:
        if not isinstance(entries, list):
            self.problem("expected an array", at)
            return
        for index, entry in enumerate(entries):
            if isinstance(entry, dict):
                read(entry, f"{at}/{index}")
            else:
                self.problem("expected an object", f"{at}/{index}")

    def _rule(self, entry: dict, at: str) -> None:
        name = entry.get("Name")
        if not isinstance(name, str) or not name:
            self.problem("a rule has a Name", f"{at}/Name")
        elif "EventPattern" not in entry or entry.get("State") == "DISABLED":
            self.idle.add(name)  # a scheduled or disabled rule routes no events
        else:
            self.rules[name] = (entry, at)

    def _targets(self, document: dict, at: str) -> None:
        rule = document.get("Rule")
        if isinstance(rule, dict):  # the combined form: the rule entry itself
            self._rule(rule, f"{at}/Rule")
            rule = rule.get("Name")
        if rule is not None and not isinstance(rule, str):
            self.problem("Rule is the rule's name or its list-rules entry", f"{at}/Rule")
            return
        targets = document["Targets"]
        if not isinstance(targets, list):
            self.problem("expected an array", f"{at}/Targets")
            return
        self.targets.append((rule, targets, f"{at}/Targets"))

    def _subscription(self, entry: dict, at: str) -> None:
        arn = entry.get("SubscriptionArn")
        if not isinstance(arn, str) or not arn:
            self.problem("a subscription has a SubscriptionArn", f"{at}/SubscriptionArn")
        elif arn != "PendingConfirmation":  # not subscribed yet: receives nothing
            self.subscriptions[arn] = (entry, at)

    def _attributes(self, attributes: Any, at: str) -> None:
        arn = attributes.get("SubscriptionArn") if isinstance(attributes, dict) else None
        if not isinstance(arn, str) or not arn:
            self.problem("subscription attributes name their SubscriptionArn", at)
        else:
            self.attributes[arn] = (attributes, at)

    def finish(self) -> RouterConfig:
        eventbridge = bool(self.rules or self.targets)
        sns = bool(self.subscriptions or self.attributes)
        if eventbridge and sns:
            self.problem("the documents mix EventBridge rules and SNS subscriptions", "")
        routes = self._rule_routes() if eventbridge else self._subscription_routes()
        if self.problems:
            raise InvalidInput(_summary(self.problems), self.problems)
        grammar = Grammar.SNS if sns else Grammar.EVENTBRIDGE
        return RouterConfig(grammar, tuple(routes))

    def _rule_routes(self) -> list[Route]:
        routes: list[Route] = []
        only = next(iter(self.rules)) if len(self.rules) == 1 else None
        for rule_name, targets, at in self.targets:
            name = rule_name or only
            if name is None:
                self.problem(
                    'targets without their rule: add "Rule": "<rule name>" to the document',
                    at,
                )
                continue
            if name in self.idle:
                continue
            if name not in self.rules:
                self.problem(f"targets of rule {name!r}, which no list-rules entry names", at)
                continue
            entry, rule_at = self.rules[name]
            pattern = self._rule_text(entry.get("EventPattern"), f"{rule_at}/EventPattern")
            bus = _bus_name(entry.get("EventBusName"))
            for index, target in enumerate(targets):
                arn = target.get("Arn") if isinstance(target, dict) else None
                if not isinstance(arn, str) or not arn:
                    self.problem("a target has an Arn", f"{at}/{index}/Arn")
                    continue
                source = f"rule {name} target {target.get('Id', index)}"
                consumer = self._name(arn, source, f"{at}/{index}/Arn")
                if consumer is not None:
                    routes.append(Route(consumer, pattern, bus, source, f"{at}/{index}"))
        return routes

    def _subscription_routes(self) -> list[Route]:
        routes = []
        for arn in sorted(set(self.subscriptions) | set(self.attributes)):
            listed, at = self.subscriptions.get(arn) or self.attributes[arn]
            attributes, attributes_at = self.attributes.get(arn, (None, at))
            facts = {**listed, **(attributes or {})}
            endpoint, topic = facts.get("Endpoint"), facts.get("TopicArn")
            if not isinstance(endpoint, str) or not isinstance(topic, str):
                self.problem("a subscription names its Endpoint and TopicArn", at)
                continue
            scope = self._scope(
                facts.get("FilterPolicyScope"), f"{attributes_at}/FilterPolicyScope"
            )
            known = attributes is not None
            policy = None
            if known and facts.get("FilterPolicy") not in (None, ""):  # "": no policy
                at_policy = f"{attributes_at}/FilterPolicy"
                policy = self._rule_text(facts["FilterPolicy"], at_policy, Grammar.SNS, scope)
            consumer = self._name(endpoint, f"subscription {arn}", f"{at}/Endpoint")
            if consumer is None:
                continue
            routes.append(
                Route(
                    consumer,
                    policy,
                    topic.rsplit(":", 1)[-1],
                    f"subscription {arn}",
                    at,
                    ConsumerScope.of_sns(scope) if known else None,
                    known,
                )
            )
        return routes

    def _name(self, target: str, source: str, at: str) -> str | None:
        """The consumer a target names, if it can be one: a name of at most 200 characters, and
        no control characters in it or in what it came from (the imported description)."""
        name = consumer_name(target)
        if not name or len(name) > MAX_NAME or control_character(name + source) is not None:
            self.problem(
                f"names no consumer: a consumer's name has 1 to {MAX_NAME} characters and no "
                "control characters",
                at,
            )
            return None
        return name

    def _scope(self, value: Any, at: str) -> Scope:
        try:
            return Scope(value or Scope.MESSAGE_ATTRIBUTES)
        except ValueError:
            self.problem("FilterPolicyScope is MessageAttributes or MessageBody", at)
            return Scope.MESSAGE_ATTRIBUTES

    def _rule_text(
        self,
        text: Any,
        at: str,
        grammar: Grammar = Grammar.EVENTBRIDGE,
        scope: Scope | None = None,
    ) -> dict | None:
        """A rule given as a JSON string (as AWS returns it), parsed and checked."""
        try:
            rule = json.loads(text) if isinstance(text, str) else text
        except ValueError as error:
            self.problem(f"not JSON: {error}", at)
            return None
        try:
            compile_rule(rule, grammar, scope)
        except InvalidPattern as error:
            message = error.errors[0]["message"]
            self.problem(message, at, rule_pointer=error.pointer, operator=error.operator)
            return None
        return rule


def _bus_name(value: Any) -> str:
    # list-rules names the bus (an ARN for a bus of another account); absent: the default bus.
    if not isinstance(value, str) or not value:
        return "default"
    return value.rsplit("/", 1)[-1]


def _summary(problems: list[dict[str, Any]]) -> str:
    first = problems[0]
    where = first["pointer"] or "the documents"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    inner = f" (in the rule at {first['rule_pointer']})" if first.get("rule_pointer") else ""
    return f"{first['message']} at {where}{inner}{more}"
