"""`eventry plan`'s pull-request comment (``--format markdown``) and its exit code
(``--fail-on``): the changes, what the registry would refuse, and the consumers each version's
differences touch, as the registry names them (the ``impact`` of its compatibility answer)."""

from __future__ import annotations

from enum import StrEnum

from app.cli.apply import Prediction
from app.core.impact import NOBODY
from app.core.plan import Plan
from app.core.words import counted


class FailOn(StrEnum):
    """What makes `eventry plan` exit 1."""

    BREAKING = "breaking"  # a registration the registry would refuse, or a conflict
    WARNING = "warning"  # those, drift, or a change to a field a declared consumer reads
    NEVER = "never"


def summary(plan: Plan, refusals: int) -> str:
    """The plan's counts in words: "1 change, 0 refusals, 0 conflicts, 2 drift"."""
    counts = (len(plan.changes), refusals, len(plan.conflicts))
    said = [
        counted(n, noun) for n, noun in zip(counts, ("change", "refusal", "conflict"), strict=True)
    ]
    return f"{', '.join(said)}, {len(plan.drift)} drift"


def touched(predictions: list[Prediction]) -> list[tuple[Prediction, dict]]:
    """(registration, impact entry) for each difference that touches a declared consumer."""
    return [(p, entry) for p in predictions for entry in p.impact if entry.get("consumers")]


def pinned_touched(predictions: list[Prediction]) -> list[tuple[Prediction, dict]]:
    """(registration, pinned entry) for each consumer on an older version the change affects
    (or whose version is purged, so that nobody can tell)."""
    return [(p, entry) for p in predictions for entry in p.pinned if entry["differences"] != []]


def exit_code(plan: Plan, predictions: list[Prediction], fail_on: FailOn) -> int:
    """1 when the plan meets the ``--fail-on`` threshold, else 0."""
    refused = any(p.refusal is not None for p in predictions) or bool(plan.conflicts)
    if fail_on is FailOn.NEVER:
        return 0
    if fail_on is FailOn.WARNING:
        hit = touched(predictions) or pinned_touched(predictions)
        return int(refused or bool(plan.drift) or bool(hit))
    return int(refused)


def markdown(plan: Plan, predictions: list[Prediction]) -> str:
    """The plan as a pull-request comment (GitHub-flavoured Markdown)."""
    refused = [p for p in predictions if p.refusal is not None]
    lines = ["## Eventry plan", "", f"**{summary(plan, len(refused))}.**", ""]
    if plan.empty:
        lines += ["No changes: the registry already matches the tree.", ""]
    if plan.changes:
        lines += ["### Changes", "", *(f"- `{c.describe()}`" for c in plan.changes), ""]
    if refused or plan.conflicts:
        lines += ["### Refused", ""]
        lines += [f"- ✗ `{p.change.describe()}`: {_cell(p.refusal or '')}" for p in refused]
        lines += [
            f"- ✗ conflict `{c.target}`: {_cell(c.details['reason'])}" for c in plan.conflicts
        ]
        lines.append("")
    lines += _consumers(predictions)
    pinned = pinned_touched(predictions)
    if pinned:
        lines += ["### Consumers on an older version", ""]
        lines += [f"- `{p.change.describe()}`: {_cell(e['summary'])}" for p, e in pinned]
        lines.append("")
    if plan.drift:
        lines += ["### Drift", ""]
        lines += [f"- `{d.kind} {d.target}`: {_cell(d.details['reason'])}" for d in plan.drift]
        lines.append("")
    return "\n".join(lines)


def _consumers(predictions: list[Prediction]) -> list[str]:
    """The table of differences and the consumers they touch."""
    entries = [(p, e) for p in predictions for e in p.impact]
    if not entries:
        return []
    lines = ["### Affected consumers", ""]
    hits = touched(predictions)
    if not hits:
        return [*lines, f"No difference touches a declared consumer ({NOBODY}).", ""]
    lines += ["| version | difference | field | consumers (team) |", "| --- | --- | --- | --- |"]
    for prediction, entry in entries:
        who = "; ".join(
            f"{c['name']} ({c['team'] or 'no team'}): {', '.join(c['fields'])}"
            for c in entry["consumers"]
        )
        where = entry["field"] or entry["pointer"]
        target = prediction.change.target
        lines.append(f"| `{target}` | `{entry['type']}` | `{where}` | {_cell(who or NOBODY)} |")
    return [*lines, ""]


def _cell(text: str) -> str:
    """Text that stays inside one Markdown table cell or list item."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
