"""An SNS consumer's scope travels through a schemas-as-code tree: apply stores it, plan sees
no difference afterwards, export writes it back, and a scope on a bus that is not SNS is a
problem of consumers.yaml."""

from __future__ import annotations

import json
import urllib.request

from app.cli.main import main

DUNNING = """
  - name: dunning-mailer
    team: payments
    bus: payments-events
    scope: message-body
    pattern:
      status: [failed]
    fields: [/paymentId, /failureCode]
    description: Sends the retry e-mail when a payment fails.
"""


def test_a_body_scope_is_applied_planned_and_exported(cli, remote, server, demo_tree, tmp_path):
    consumers = demo_tree / "consumers.yaml"
    consumers.write_text(consumers.read_text() + DUNNING)
    applied = cli.invoke(main, ["apply", str(demo_tree), *remote])
    assert applied.exit_code == 0, applied.output
    plan = cli.invoke(main, ["plan", str(demo_tree), *remote])
    assert "0 changes, 0 refusals, 0 conflicts, 0 drift." in plan.output, plan.output
    with urllib.request.urlopen(f"{server}/api/v1/consumers?bus=payments-events") as answer:
        rows = {row["name"]: row for row in json.load(answer)["items"]}
    assert rows["dunning-mailer"]["scope"] == "message-body"
    assert rows["revenue-reporting"]["scope"] == "message-attributes"
    exported = cli.invoke(main, ["export", *remote, str(tmp_path / "out")])
    assert exported.exit_code == 0, exported.output
    text = (tmp_path / "out" / "consumers.yaml").read_text()
    assert text.count("scope:") == 1 and "scope: message-body" in text


def test_a_scope_off_sns_is_a_problem_of_the_tree(cli, remote, demo_tree):
    consumers = demo_tree / "consumers.yaml"
    consumers.write_text(
        consumers.read_text() + DUNNING.replace("payments-events", "orders-events")
    )
    plan = cli.invoke(main, ["plan", str(demo_tree), *remote])
    assert plan.exit_code != 0
    assert "scope belongs to consumers on an SNS bus" in plan.output


def test_check_judges_a_body_scope_consumer_on_the_payload(cli, demo_tree):
    consumers = demo_tree / "consumers.yaml"
    reads_more = DUNNING.replace("/failureCode]", "/failureCode, /retryUrl]")
    consumers.write_text(consumers.read_text() + reads_more)
    result = cli.invoke(main, ["check", str(demo_tree)])
    assert result.exit_code == 0, result.output
    found = [line for line in result.output.splitlines() if "dunning-mailer" in line]
    # It receives PaymentFailed only (its policy reads the payload's status), and there the
    # event lacks a field it reads.
    assert found and all("dunning-mailer on payments.PaymentFailed" in line for line in found)
    assert "/retryUrl" in found[0]
