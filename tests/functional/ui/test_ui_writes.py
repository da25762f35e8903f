"""What a signed-in team member writes from an event's page: a consumer of the event (fields
ticked in the field table), and a proposed version previewed before it is saved; through the
API's services, with its ownership checks and messages, every write audited."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from app.config import DEMO_CATALOG
from app.db.models import AuditEntry, Consumer, SchemaVersion
from app.services import tokens
from tests.functional.ui.conftest import SYSTEM, html
from tests.functional.ui.test_sign_in import csrf_of, sign_in

EVENT = "/events/orders/OrderPlaced"
V3 = json.loads((DEMO_CATALOG / "orders" / "OrderPlaced" / "v3.json").read_text())


@pytest.fixture
def payments(client, demo, session):
    """A browser signed in with a token of the payments team (orders belong to checkout)."""
    secret = tokens.create_token(session, SYSTEM, "payments ci", team_slug="payments").secret
    sign_in(client, secret)
    return client


@pytest.fixture
def checkout(client, team_token):
    """A browser signed in with a token of the checkout team, which owns orders."""
    sign_in(client, team_token)
    return client


def audit_count(session, action: str) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).where(AuditEntry.action == action))


def live_versions(session) -> int:
    session.expire_all()
    live = SchemaVersion.deleted_at.is_(None)
    return session.scalar(select(func.count(SchemaVersion.id)).where(live))


def test_signed_out_readers_see_no_write_form(client, demo):
    page = html(client.get(EVENT))
    assert 'form="consumer-form"' not in page and "Sign in</a> with your team" in page
    assert 'value="save"' not in html(client.get(f"{EVENT}/propose"))  # preview only


def test_a_team_registers_its_service_reading_the_ticked_fields(payments, session):
    page = html(payments.get(EVENT))
    assert 'form="consumer-form" name="reads" value="/customerId"' in page
    assert "&#34;detail-type&#34;: [" in page  # the rule most of its consumers use, to start from
    answer = payments.post(
        f"{EVENT}/consumers",
        data={
            "csrf": csrf_of(page),
            "name": "loyalty-points",
            "reads": ["/orderId", "/customerId"],
            "pattern": '{"source": ["larkspur.orders"], "detail-type": ["OrderPlaced"]}',
            "description": "Adds points for each order.",
        },
    )
    assert answer.status_code == 303
    assert re.fullmatch(r"/events/orders/OrderPlaced#consumer-\d+", answer.headers["Location"])
    consumer = session.scalar(select(Consumer).where(Consumer.name == "loyalty-points"))
    assert consumer.fields == ["/orderId", "/customerId"] and consumer.team.slug == "payments"
    assert consumer.event_type.name == "OrderPlaced" and consumer.bus.slug == "orders-events"
    target = f"consumer:{consumer.id}"
    entry = session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "consumer.create", AuditEntry.target == target
        )
    )
    assert entry.actor == "payments ci"  # the token, as the API records it
    assert "loyalty-points" in html(payments.get(EVENT))


def test_a_refused_consumer_keeps_the_form_and_says_why(payments, session):
    page = html(payments.get(EVENT))
    before = audit_count(session, "consumer.create")
    sent = {"csrf": csrf_of(page), "name": "loyalty-points", "reads": ["/orderId"]}
    bad_rule = html(payments.post(f"{EVENT}/consumers", data={**sent, "pattern": "{"}), 400)
    assert "That is not valid JSON" in bad_rule and 'value="loyalty-points"' in bad_rule
    assert 'value="/orderId" id="reads-3" checked' in bad_rule
    other_team = html(payments.post(f"{EVENT}/consumers", data={**sent, "team": "checkout"}), 403)
    assert "may not register a consumer" in other_team or "team &#39;checkout&#39;" in other_team
    taken = {**sent, "name": "payment-orchestrator"}
    assert "is registered on orders-events for that event already" in html(
        payments.post(f"{EVENT}/consumers", data=taken), 409
    )
    assert audit_count(session, "consumer.create") == before


def test_a_consumer_needs_a_signed_in_browser(client, demo):
    page = html(client.get("/sign-in"))
    answer = client.post(f"{EVENT}/consumers", data={"csrf": csrf_of(page), "name": "x"})
    assert "writes need a token" in html(answer, 401)


def test_the_preview_shows_differences_and_impact_and_writes_nothing(checkout, session):
    form = html(checkout.get(f"{EVENT}/propose"))
    assert "&#34;customerEmail&#34;" in form or "customerEmail" in form  # the latest, to edit
    before = (live_versions(session), audit_count(session, "version.register"))
    smaller = json.loads(json.dumps(V3))
    del smaller["properties"]["customerEmail"]
    smaller["required"].remove("customerEmail")
    page = html(
        checkout.post(
            f"{EVENT}/propose",
            data={"csrf": csrf_of(form), "schema": json.dumps(smaller), "action": "preview"},
        )
    )
    assert "Not BACKWARD_TRANSITIVE compatible" in page and "breaking" in page
    assert "order-confirmation-mailer" in page  # it reads /customerEmail
    assert (live_versions(session), audit_count(session, "version.register")) == before


def test_saving_a_compatible_version_registers_and_audits_it(checkout, session):
    form = html(checkout.get(f"{EVENT}/propose"))
    bigger = json.loads(json.dumps(V3))
    bigger["properties"]["loyaltyTier"] = {"type": "string", "description": "Tier."}
    data = {"csrf": csrf_of(form), "schema": json.dumps(bigger), "note": "loyalty tier"}
    preview = html(checkout.post(f"{EVENT}/propose", data={**data, "action": "preview"}))
    assert "Compatible under BACKWARD_TRANSITIVE" in preview and "loyaltyTier" in preview
    saved = checkout.post(f"{EVENT}/propose", data={**data, "action": "save"})
    assert saved.status_code == 303 and saved.headers["Location"] == f"{EVENT}/versions/4"
    newest = select(AuditEntry).where(AuditEntry.action == "version.register")
    entry = session.scalar(newest.order_by(AuditEntry.id.desc()).limit(1))
    assert "OrderPlaced" in entry.target
    assert entry.actor == "checkout deploys"
    assert "loyalty tier" in html(checkout.get(EVENT))


def test_a_breaking_version_is_refused_with_its_differences(checkout, session):
    form = html(checkout.get(f"{EVENT}/propose"))
    before = live_versions(session)
    smaller = json.loads(json.dumps(V3))
    del smaller["properties"]["customerEmail"]
    smaller["required"].remove("customerEmail")
    data = {"csrf": csrf_of(form), "schema": json.dumps(smaller), "action": "save"}
    page = html(checkout.post(f"{EVENT}/propose", data=data), 409)
    assert "the schema is not BACKWARD_TRANSITIVE compatible" in page
    assert "customerEmail" in page and "breaking" in page
    assert live_versions(session) == before


def test_a_team_outside_the_domain_cannot_save(payments, session):
    form = html(payments.get(f"{EVENT}/propose"))
    before = audit_count(session, "version.register")
    bigger = {**V3, "properties": {**V3["properties"], "x": {"type": "string"}}}
    data = {"csrf": csrf_of(form), "schema": json.dumps(bigger), "action": "save"}
    page = html(payments.post(f"{EVENT}/propose", data=data), 403)
    assert "a token of team &#39;payments&#39; may not change it" in page
    assert audit_count(session, "version.register") == before


def test_pasted_text_that_is_no_schema_is_a_clear_4xx(checkout):
    form = html(checkout.get(f"{EVENT}/propose"))
    data = {"csrf": csrf_of(form), "action": "preview"}

    def sent(schema: str):
        return checkout.post(f"{EVENT}/propose", data={**data, "schema": schema})

    assert "That is not valid JSON" in html(sent("{"), 400)
    assert "Paste a JSON Schema." in html(sent(" "), 400)
    assert 'id="propose-problem"' in html(sent('{"type": 5}'), 422)


def test_a_schema_of_the_wrong_shape_is_refused_in_the_forms_words(checkout, session):
    form = html(checkout.get(f"{EVENT}/propose"))
    before = live_versions(session)
    for action in ("preview", "save"):
        data = {"csrf": csrf_of(form), "action": action, "schema": "[1]"}
        page = html(checkout.post(f"{EVENT}/propose", data=data), 422)
        assert "The schema must be a JSON object" in page and "[1] is not of type" in page
        assert "version-register" not in page and "request body" not in page
    long_note = {"csrf": csrf_of(form), "schema": '{"type": "object"}', "note": "n" * 4001}
    page = html(checkout.post(f"{EVENT}/propose", data=long_note), 422)
    assert "The note: " in page and "is longer than 4000 characters" in page
    assert live_versions(session) == before


def test_a_consumer_form_refused_by_the_body_rules_says_which_field(payments, session):
    page = html(payments.get(EVENT))
    sent = {"csrf": csrf_of(page), "name": "x" * 201, "reads": ["/orderId"]}
    refused = html(payments.post(f"{EVENT}/consumers", data=sent), 422)
    assert "Your service&#39;s name: " in refused and "consumer-create" not in refused
