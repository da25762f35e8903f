"""Compatibility verdicts over the API: the stateless check and real registrations."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from app.core.compatibility import INVENTED_TYPES

from .catalog import Catalog, SetupError
from .client import Api, Reply
from .tally import Tally
from .vectors import Pair


@dataclass
class Outcome:
    """What one path answered: a verdict (None on a failure), difference names, and why."""

    compatible: bool | None
    names: list[str] = field(default_factory=list)
    detail: str = ""


@dataclass
class Measured:
    """One pair with every answer it got, keyed by policy."""

    pair: Pair
    stateless: dict[str, Outcome] = field(default_factory=dict)
    registered: dict[str, Outcome] = field(default_factory=dict)


def stateless(api: Api, pair: Pair, policy: str) -> Outcome:
    """POST /api/v1/compatibility: BACKWARD, new against old."""
    body = {"old": pair.old, "new": pair.new, "level": "BACKWARD", "policy": policy}
    reply = api.post("/api/v1/compatibility", body)
    if reply.status != 200 or not isinstance(reply.body, dict):
        return Outcome(None, [], reply.brief())
    differences = reply.body.get("differences", [])
    names = [d.get("type", "?") for d in differences]
    compatible = bool(reply.body["compatible"])
    shown = [f"{d.get('type')} {d.get('path', '')}".strip() for d in differences]
    if not compatible:
        shown = [s for s, d in zip(shown, differences, strict=True) if not d.get("compatible")]
    what = "differences" if compatible else "breaking"
    return Outcome(compatible, names, f"{what}: {', '.join(shown) or 'none'}")


def registered(catalog: Catalog, domain: str, name: str, pair: Pair, policy: str) -> Outcome:
    """Register old then new in a fresh BACKWARD event type: 2xx compatible, 409 not."""
    try:
        path = catalog.event_type(domain, name, "BACKWARD", policy)
    except SetupError as error:
        return Outcome(None, [], str(error))
    first = catalog.register(path, pair.old, "original")
    if first.status not in (200, 201):
        return Outcome(None, [], f"original refused: {first.brief()}")
    second = catalog.register(path, pair.new, "update")
    if second.status in (200, 201):
        return Outcome(True, [], f"update registered ({second.status})")
    if second.status == 409:
        return Outcome(False, [], "409: " + _error_types(second))
    return Outcome(None, [], f"update failed: {second.brief()}")


def _error_types(reply: Reply) -> str:
    errors = reply.body.get("errors", []) if isinstance(reply.body, dict) else []
    return ", ".join(f"{e.get('type')} {e.get('path', '')}" for e in errors if isinstance(e, dict))


def measure(
    api: Api,
    catalog: Catalog,
    pairs: list[Pair],
    stem: str,
    registrations: tuple[str, ...],
    jobs: int,
) -> list[Measured]:
    """Ask both paths about every pair (threads share the server's workers)."""
    domain = catalog.domain(stem)
    prefix = stem[:1].upper()

    def one(item: tuple[int, Pair]) -> Measured:
        index, pair = item
        policies = ("strict",) if pair.lenient is None else ("strict", "lenient")
        result = Measured(pair)
        for policy in policies:
            result.stateless[policy] = stateless(api, pair, policy)
        for policy in registrations:
            if policy in policies:
                name = f"{prefix}{index:04d}{policy.title()}"
                result.registered[policy] = registered(catalog, domain, name, pair, policy)
        return result

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, enumerate(pairs, start=1)))


def score(results: list[Measured], tallies: dict[str, Tally]) -> None:
    """Score every pair into the tally of its source (created on first use)."""
    for result in results:
        pair = result.pair
        tally = tallies.setdefault(pair.source, Tally(pair.source))
        expected = {"strict": pair.strict, "lenient": pair.lenient}
        for policy, outcome in result.stateless.items():
            _verdict(tally, policy, f"stateless {policy}", pair, outcome, expected[policy])
        if pair.changes is not None and "strict" in result.stateless:
            _names(tally, pair, result.stateless["strict"])
        for policy, outcome in result.registered.items():
            key = f"reg_{policy}"
            _verdict(tally, key, f"registration {policy}", pair, outcome, expected[policy])
            before = result.stateless.get(policy)
            if before and before.compatible is not None and outcome.compatible is not None:
                same = before.compatible == outcome.compatible
                tally.score(f"same_{policy}", same)
                if not same:
                    tally.miss(
                        f"registration≠stateless {policy}",
                        pair.label,
                        f"stateless {before.compatible}, registration {outcome.compatible}",
                    )


def _verdict(tally: Tally, key: str, kind: str, pair: Pair, got: Outcome, want: bool) -> None:
    tally.score(key, got.compatible == want)
    if got.compatible is None:
        tally.miss(f"{kind} failure", pair.label, got.detail)
    elif got.compatible != want:
        tally.miss(kind, pair.label, f"expected {want}, got {got.compatible}; {got.detail}")


def _names(tally: Tally, pair: Pair, got: Outcome) -> None:
    # Eventry's own difference types (keywords and cases Confluent does not report, listed in
    # docs/compatibility.md) have no Confluent name to agree with: they are left out here.
    names = Counter(name for name in got.names if name not in INVENTED_TYPES)
    expected = Counter(pair.changes)
    same = got.compatible is not None and expected == names
    tally.score("names", same)
    if got.compatible is not None and not same:
        missing = sorted((expected - names).elements())
        extra = sorted((names - expected).elements())
        tally.miss("difference names", pair.label, f"missing {missing}, unexpected {extra}")
