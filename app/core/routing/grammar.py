"""Parse and check a routing rule against its router's grammar.

EventBridge event patterns follow "Content filtering in Amazon EventBridge event patterns" and
"Comparison operators for use in event patterns" (docs.aws.amazon.com/eventbridge/latest/
userguide/eb-create-pattern-operators.html), with edge cases as aws/event-ruler's
JsonRuleCompiler settles them (empty arrays and objects refused, one key per operator object,
`$or` with at least two patterns, wildcards without `**`). SNS filter policies follow "Amazon
SNS subscription filter policies" and "Filter policy constraints in Amazon SNS": no wildcard, no
case-insensitive prefix or suffix, anything-but of values or a prefix, numbers within ±10^9 with
at most five decimals, at most five keys and 150 combinations, no nesting in attribute scope.

``compile_rule`` returns the rule's Node or raises InvalidPattern naming the operator and the
JSON pointer of the offending part of the rule.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from typing import Any

from app.core.errors import InvalidInput
from app.core.pointers import escape

from .model import Condition, Grammar, Leaf, Node, Op, Scope
from .wildcard import check_wildcard


class InvalidPattern(InvalidInput):
    """A rule its router would refuse (422): ``pointer`` is where in the rule, ``operator``
    the operator at fault (None for structure)."""

    title = "Invalid routing rule"

    def __init__(self, message: str, pointer: str, operator: str | None = None) -> None:
        where = f" at {pointer}" if pointer else " at the rule's root"
        super().__init__(
            f"{message}{where}",
            [{"message": message, "pointer": pointer, "operator": operator}],
        )
        self.pointer = pointer
        self.operator = operator

    def under(self, at: str, note: str = "") -> InvalidPattern:
        """The same refusal for a rule found at ``at`` in a request (its pointer prefixed), the
        message followed by ``note`` when given."""
        message = self.errors[0]["message"] + (f" ({note})" if note else "")
        return InvalidPattern(message, at + self.pointer, self.operator)


@dataclass(frozen=True)
class _Rules:
    """What one grammar accepts."""

    name: str
    operators: frozenset[str]
    anything_but_inner: frozenset[str]
    ignore_case_in_affixes: bool
    number_bound: float | None
    max_decimals: int | None
    max_keys: int | None
    max_combinations: int | None
    max_bytes: int | None
    nesting: bool


_ALL = ("prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric")
EVENTBRIDGE = _Rules(
    "EventBridge",
    frozenset((*_ALL, "exists", "cidr")),
    frozenset({"prefix", "suffix", "equals-ignore-case", "wildcard"}),
    True,
    None,
    None,
    None,
    None,
    None,
    True,
)
_SNS_OPS = frozenset({"prefix", "suffix", "equals-ignore-case", "anything-but", "numeric"})


def _sns(nesting: bool) -> _Rules:
    return _Rules(
        "SNS",
        _SNS_OPS | {"exists", "cidr"},
        frozenset({"prefix"}),
        False,
        1e9,
        5,
        5,
        150,
        256 * 1024,
        nesting,
    )


def rules_for(grammar: Grammar, scope: Scope | None = None) -> _Rules:
    """The grammar's rules; SNS nests only with the MessageBody scope."""
    if grammar is Grammar.EVENTBRIDGE:
        return EVENTBRIDGE
    return _sns(scope is Scope.MESSAGE_BODY)


def compile_rule(rule: Any, grammar: Grammar, scope: Scope | None = None) -> Node:
    """Parse a rule (parsed JSON) into its Node. Raises InvalidPattern."""
    rules = rules_for(grammar, scope)
    if rules.max_bytes is not None and len(json.dumps(rule).encode()) > rules.max_bytes:
        raise InvalidPattern(f"an SNS filter policy is at most {rules.max_bytes} bytes", "")
    node = _Parser(rules).node(rule, "", depth=0)
    if rules.max_keys is not None:
        _check_sns_limits(node, rules)
    return node


class _Parser:
    def __init__(self, rules: _Rules) -> None:
        self.rules = rules

    def node(self, value: Any, pointer: str, depth: int) -> Node:
        if not isinstance(value, dict):
            raise InvalidPattern(f"a {self.rules.name} rule is a JSON object", pointer)
        if not value:
            raise InvalidPattern("empty objects are not allowed", pointer)
        members: dict[str, Node | Leaf] = {}
        alternatives, alt_pointers = [], []
        for key, child in value.items():
            at = f"{pointer}/{escape(key)}"
            if key == "$or" and isinstance(child, list):
                alternatives.append(self._or(child, at, depth))
                alt_pointers.append(at)
            elif isinstance(child, list):
                members[key] = self._leaf(child, at)
            elif isinstance(child, dict) and self.rules.nesting:
                members[key] = self.node(child, at, depth + 1)
            elif isinstance(child, dict):
                raise InvalidPattern(
                    "SNS attribute-based filter policies do not nest; set the scope to "
                    "MessageBody to filter on the message body's structure",
                    at,
                )
            else:
                raise InvalidPattern(f'"{key}" must be an object or an array', at)
        return Node(members, tuple(alternatives), pointer, tuple(alt_pointers))

    def _or(self, branches: list, pointer: str, depth: int) -> tuple[Node, ...]:
        if len(branches) < 2:
            raise InvalidPattern("$or takes an array of at least two patterns", pointer, "$or")
        return tuple(
            self.node(branch, f"{pointer}/{i}", depth + 1) for i, branch in enumerate(branches)
        )

    def _leaf(self, values: list, pointer: str) -> Leaf:
        if not values:
            raise InvalidPattern("empty arrays are not allowed", pointer)
        return Leaf(
            tuple(self._condition(v, f"{pointer}/{i}") for i, v in enumerate(values)), pointer
        )

    def _condition(self, value: Any, pointer: str) -> Condition:
        if isinstance(value, dict):
            return self._operator(value, pointer)
        if isinstance(value, list):
            raise InvalidPattern(
                "match values are strings, numbers, true, false, null or operator objects",
                pointer,
            )
        if _is_number(value):
            self._number(value, pointer, None)
        return Condition(Op.EXACT, value, pointer)

    def _operator(self, value: dict, pointer: str) -> Condition:
        if len(value) != 1:
            raise InvalidPattern("an operator object has exactly one key", pointer)
        ((name, argument),) = value.items()
        at = f"{pointer}/{escape(name)}"
        if name not in self.rules.operators:
            known = ", ".join(sorted(self.rules.operators))
            raise InvalidPattern(
                f"{self.rules.name} has no operator {name!r} (it knows {known})", at, name
            )
        return _OPERATORS[name](self, argument, at)

    def _number(self, value: Any, pointer: str, operator: str | None) -> float:
        if not _is_number(value):
            raise InvalidPattern(f"{operator or 'the value'} takes a number", pointer, operator)
        bound = self.rules.number_bound
        if bound is not None and not -bound <= value <= bound:
            raise InvalidPattern("SNS numbers lie between -10^9 and 10^9", pointer, operator)
        decimals = self.rules.max_decimals
        if decimals is not None and _decimals(value) > decimals:
            raise InvalidPattern(
                f"SNS numbers have at most {decimals} digits after the point", pointer, operator
            )
        return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _decimals(value: float) -> int:
    text = repr(value)
    if "e" in text or "E" in text:
        mantissa, exponent = text.lower().split("e")
        places = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return max(0, places - int(exponent))
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def _text(parser: _Parser, argument: Any, pointer: str, name: str) -> str:
    if not isinstance(argument, str):
        raise InvalidPattern(f"{name} takes a string", pointer, name)
    return argument


def _affix(op: Op):
    def parse(parser: _Parser, argument: Any, pointer: str) -> Condition:
        if isinstance(argument, dict) and parser.rules.ignore_case_in_affixes:
            if list(argument) != ["equals-ignore-case"]:
                raise InvalidPattern(
                    f'{op} takes a string or {{"equals-ignore-case": string}}', pointer, op
                )
            at = f"{pointer}/equals-ignore-case"
            text = _text(parser, argument["equals-ignore-case"], at, "equals-ignore-case")
            return Condition(op, text, pointer, ignore_case=True)
        return Condition(op, _text(parser, argument, pointer, op), pointer)

    return parse


def _equals_ignore_case(parser: _Parser, argument: Any, pointer: str) -> Condition:
    return Condition(
        Op.EQUALS_IGNORE_CASE, _text(parser, argument, pointer, "equals-ignore-case"), pointer
    )


def _wildcard(parser: _Parser, argument: Any, pointer: str) -> Condition:
    text = _text(parser, argument, pointer, "wildcard")
    problem = check_wildcard(text)
    if problem:
        raise InvalidPattern(problem, pointer, "wildcard")
    return Condition(Op.WILDCARD, text, pointer)


def _exists(parser: _Parser, argument: Any, pointer: str) -> Condition:
    if not isinstance(argument, bool):
        raise InvalidPattern("exists takes true or false", pointer, "exists")
    return Condition(Op.EXISTS, argument, pointer)


def _cidr(parser: _Parser, argument: Any, pointer: str) -> Condition:
    text = _text(parser, argument, pointer, "cidr")
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise InvalidPattern(
            f"{text!r} is not an IPv4 or IPv6 network in CIDR notation (10.0.0.0/24)",
            pointer,
            "cidr",
        ) from None
    return Condition(Op.CIDR, network, pointer)


_RANGE_START = {">": False, ">=": True}
_RANGE_END = {"<": False, "<=": True}


def _numeric(parser: _Parser, argument: Any, pointer: str) -> Condition:
    usage = (
        'numeric takes ["=", n], [">" or ">=", n], ["<" or "<=", n] or a lower then an upper bound'
    )
    if not isinstance(argument, list) or len(argument) not in (2, 4):
        raise InvalidPattern(usage, pointer, "numeric")
    bounds = []
    for i in range(0, len(argument), 2):
        operator, number = argument[i], argument[i + 1]
        allowed = ("=", *_RANGE_START, *_RANGE_END) if i == 0 else tuple(_RANGE_END)
        if operator not in allowed or (
            len(argument) == 4 and i == 0 and operator not in _RANGE_START
        ):
            raise InvalidPattern(f"{usage} (got {operator!r})", f"{pointer}/{i}", "numeric")
        bounds.append((operator, parser._number(number, f"{pointer}/{i + 1}", "numeric")))
    if len(bounds) == 2 and bounds[0][1] >= bounds[1][1]:
        raise InvalidPattern(
            "a numeric range's lower bound must be below its upper bound", pointer, "numeric"
        )
    return Condition(Op.NUMERIC, tuple(bounds), pointer)


def _anything_but(parser: _Parser, argument: Any, pointer: str) -> Condition:
    if isinstance(argument, dict):
        return _anything_but_of(parser, argument, pointer)
    values = argument if isinstance(argument, list) else [argument]
    if not values:
        raise InvalidPattern("anything-but needs at least one value", pointer, "anything-but")
    strings = all(isinstance(v, str) for v in values)
    numbers = all(_is_number(v) for v in values)
    if not (strings or numbers):
        raise InvalidPattern(
            "anything-but takes a string, a number, or a list of only strings or only numbers",
            pointer,
            "anything-but",
        )
    if numbers:
        for i, v in enumerate(values):
            parser._number(
                v, f"{pointer}/{i}" if isinstance(argument, list) else pointer, "anything-but"
            )
    return Condition(Op.ANYTHING_BUT, tuple(values), pointer, inner=Op.EXACT)


def _anything_but_of(parser: _Parser, argument: dict, pointer: str) -> Condition:
    allowed = parser.rules.anything_but_inner
    if len(argument) != 1 or next(iter(argument)) not in allowed:
        listed = ", ".join(sorted(allowed))
        raise InvalidPattern(
            f"{parser.rules.name}'s anything-but takes a value, a list, or an object of one of: "
            f"{listed}",
            pointer,
            "anything-but",
        )
    ((name, inner),) = argument.items()
    at = f"{pointer}/{escape(name)}"
    values = inner if isinstance(inner, list) else [inner]
    if not values or not all(isinstance(v, str) for v in values):
        raise InvalidPattern(
            f"anything-but's {name} takes a string or a list of strings", at, "anything-but"
        )
    for i, text in enumerate(values):
        where = f"{at}/{i}" if isinstance(inner, list) else at
        if name in ("prefix", "suffix") and text == "":
            raise InvalidPattern(f"anything-but's {name} must not be empty", where, "anything-but")
        if name == "wildcard" and (problem := check_wildcard(text)):
            raise InvalidPattern(problem, where, "anything-but")
    ignore_case = name == "equals-ignore-case"
    return Condition(
        Op.ANYTHING_BUT, tuple(values), pointer, ignore_case=ignore_case, inner=Op(name)
    )


_OPERATORS = {
    "prefix": _affix(Op.PREFIX),
    "suffix": _affix(Op.SUFFIX),
    "equals-ignore-case": _equals_ignore_case,
    "wildcard": _wildcard,
    "exists": _exists,
    "cidr": _cidr,
    "numeric": _numeric,
    "anything-but": _anything_but,
}


def _check_sns_limits(node: Node, rules: _Rules) -> None:
    keys = _leaf_paths(node, "")
    if len(keys) > (rules.max_keys or 0):
        raise InvalidPattern(
            f"an SNS filter policy has at most {rules.max_keys} keys (this one has {len(keys)}: "
            f"{', '.join(sorted(keys))})",
            "",
        )
    combinations = _combinations(node)
    if combinations > (rules.max_combinations or 0):
        raise InvalidPattern(
            f"an SNS filter policy's values combine to at most {rules.max_combinations} "
            f"(this one: {combinations}; the product of each array's length)",
            "",
        )


def _leaf_paths(node: Node, prefix: str) -> set[str]:
    paths: set[str] = set()
    for key, child in node.members.items():
        path = f"{prefix}.{key}" if prefix else key
        paths |= {path} if isinstance(child, Leaf) else _leaf_paths(child, path)
    for branches in node.alternatives:
        for branch in branches:
            paths |= _leaf_paths(branch, prefix)
    return paths


def _combinations(node: Node) -> int:
    total = 1
    for child in node.members.values():
        total *= len(child.conditions) if isinstance(child, Leaf) else _combinations(child)
    for branches in node.alternatives:
        total *= sum(_combinations(branch) for branch in branches)
    return total
