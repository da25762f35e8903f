"""`eventry plan` names the consumers each new version touches, writes a pull-request comment
with --format markdown, and sets its exit code with --fail-on."""

from __future__ import annotations

import json

from app.cli.main import main

PLACED = "orders/OrderPlaced"


def next_version(tree, change) -> None:
    latest = json.loads((tree / PLACED / "v3.json").read_text())
    change(latest)
    (tree / PLACED / "v4.json").write_text(json.dumps(latest, indent=2))


def test_a_refused_version_lists_the_consumers_it_would_break(cli, remote, demo_tree):
    assert cli.invoke(main, ["apply", str(demo_tree), *remote]).exit_code == 0
    next_version(
        demo_tree,
        lambda s: s["$defs"]["Money"]["properties"]["amount"].update(type="string"),
    )
    comment = cli.invoke(main, ["plan", str(demo_tree), *remote, "--format", "markdown"])
    assert comment.exit_code == 1, comment.output
    text = comment.output
    assert text.startswith("## Eventry plan")
    assert "**1 change, 1 refusal, 0 conflicts, 0 drift.**" in text
    assert "### Refused" in text and "`+ register version orders.OrderPlaced v4`" in text
    assert "### Affected consumers" in text
    row = next(line for line in text.splitlines() if "`/totals/grandTotal/amount`" in line)
    assert "payment-orchestrator (payments): /totals/grandTotal/amount" in row
    assert "order-confirmation-mailer (marketing-tech): /totals" in row
    never = cli.invoke(main, ["plan", str(demo_tree), *remote, "--fail-on", "never"])
    assert never.exit_code == 0
    assert "payment-orchestrator (team payments)" in never.output


def test_a_compatible_change_a_consumer_reads_fails_only_on_warning(cli, remote, demo_tree):
    assert cli.invoke(main, ["apply", str(demo_tree), *remote]).exit_code == 0
    next_version(demo_tree, lambda s: s["properties"]["giftMessage"].update(maxLength=1000))
    breaking = cli.invoke(main, ["plan", str(demo_tree), *remote, "--format", "markdown"])
    assert breaking.exit_code == 0, breaking.output
    assert (
        "| `orders.OrderPlaced v4` | `MAX_LENGTH_INCREASED` | `/giftMessage` |" in breaking.output
    )
    assert "order-confirmation-mailer (marketing-tech): /giftMessage" in breaking.output
    warning = cli.invoke(main, ["plan", str(demo_tree), *remote, "--fail-on", "warning"])
    assert warning.exit_code == 1
    body = json.loads(
        cli.invoke(main, ["plan", str(demo_tree), *remote, "--format", "json"]).output
    )
    (entry,) = body["impact"]
    assert entry["impact"][0]["consumers"][0]["name"] == "order-confirmation-mailer"


def test_a_consumer_on_an_older_version_is_named_from_its_version(cli, remote, demo_tree):
    # void-or-refund-handler consumes OrderCancelled v1 and reads /reason.
    assert cli.invoke(main, ["apply", str(demo_tree), *remote]).exit_code == 0
    cancelled = demo_tree / "orders/OrderCancelled"
    latest = json.loads((cancelled / "v2.json").read_text())
    latest["properties"]["reason"]["enum"].append("customer_request")
    (cancelled / "v3.json").write_text(json.dumps(latest, indent=2))
    comment = cli.invoke(main, ["plan", str(demo_tree), *remote, "--format", "markdown"])
    assert "### Consumers on an older version" in comment.output
    assert (
        "void-or-refund-handler (team payments) consumes version 1: from version 1 to the new "
        "one, it is affected by /reason" in comment.output
    )
    text = cli.invoke(main, ["plan", str(demo_tree), *remote])
    assert "! orders.OrderCancelled v3: void-or-refund-handler (team payments)" in text.output
    warning = cli.invoke(main, ["plan", str(demo_tree), *remote, "--fail-on", "warning"])
    assert warning.exit_code == 1
