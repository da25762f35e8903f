"""Every compatibility answer and version diff names, for each difference, the consumers whose
declared fields it touches (with their teams), or says that no declared consumer reads it."""

from __future__ import annotations

import copy
import json

from app.config import DEMO_CATALOG
from tests.functional.api.conftest import ADMIN, ok
from tests.functional.api.test_receivers import demo

__all__ = ["demo"]  # a fixture

V3 = json.loads((DEMO_CATALOG / "orders/OrderPlaced/v3.json").read_text())


def by_field(impact: list[dict]) -> dict[str, dict]:
    return {entry["field"]: entry for entry in impact}


def test_a_diff_names_the_consumers_of_each_changed_field(client, demo):
    report = ok(client.get("/api/v1/events/orders/OrderPlaced/diff?from=1&to=3"))
    assert len(report["impact"]) == len(report["differences"])
    assert [i["pointer"] for i in report["impact"]] == [d["path"] for d in report["differences"]]
    fields = by_field(report["impact"])
    gift = fields["/giftMessage"]
    assert gift["consumers"] == [
        {"name": "order-confirmation-mailer", "team": "marketing-tech", "fields": ["/giftMessage"]}
    ]
    assert gift["summary"] == "read by order-confirmation-mailer (team marketing-tech)"
    assert fields["/channel"]["consumers"] == []
    assert fields["/channel"]["summary"] == "no declared consumer reads this"


def test_a_compatibility_answer_names_the_consumers_a_breaking_change_hurts(client, demo):
    candidate = copy.deepcopy(V3)
    candidate["$defs"]["Money"]["properties"]["amount"]["type"] = "string"
    verdict = ok(
        client.post("/api/v1/events/orders/OrderPlaced/compatibility", json={"schema": candidate})
    )
    assert verdict["compatible"] is False
    assert len(verdict["impact"]) == len(verdict["differences"])
    hurt = by_field(verdict["impact"])["/totals/grandTotal/amount"]
    names = {(c["name"], c["team"]) for c in hurt["consumers"]}
    assert names == {
        ("payment-orchestrator", "payments"),
        ("order-confirmation-mailer", "marketing-tech"),
    }
    mailer = next(c for c in hurt["consumers"] if c["name"] == "order-confirmation-mailer")
    assert mailer["fields"] == ["/totals"]  # reading the object reads its members


def test_a_refused_registration_names_the_consumers_too(client, demo):
    candidate = copy.deepcopy(V3)
    candidate["$defs"]["Money"]["properties"]["amount"]["type"] = "string"
    refused = client.post(
        "/api/v1/events/orders/OrderPlaced/versions",
        json={"schema": candidate},
        headers=ADMIN,
    )
    assert refused.status_code == 409
    impact = refused.json["compatibility"]["impact"]
    hurt = by_field(impact)["/totals/grandTotal/amount"]
    assert "payment-orchestrator" in {c["name"] for c in hurt["consumers"]}
