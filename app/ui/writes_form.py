"""What the event page's consumer form holds: its defaults, and what a sent form asks for."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from flask import request

from app.services import pages
from app.ui.common import Pasted, pasted_json


def consumer_defaults(page: pages.EventPage) -> dict[str, Any]:
    """An empty form whose rule is the one most consumers of the event already use on its bus
    (the rule that selects it there, e.g. its source and detail-type on EventBridge); none when
    no consumer has one: a consumer that declares the event receives it without a rule."""
    rules = Counter(
        json.dumps(c.pattern, sort_keys=True)
        for c in page.consumers
        if c.pattern and c.bus_id == page.event_type.bus_id
    )
    common = json.dumps(json.loads(rules.most_common(1)[0][0]), indent=2) if rules else ""
    return {
        "name": "",
        "pattern": common,
        "fields": [],
        "calls_back": False,
        "problem": None,
        "errors": [],
        "description": "",
        "team": "",
    }


def sent_consumer_form() -> dict[str, Any]:
    """The consumer form as sent, to refill it when it is refused."""
    form = request.form
    return {
        "name": form.get("name", "").strip(),
        "pattern": form.get("pattern", ""),
        "fields": form.getlist("reads"),
        "calls_back": form.get("calls_back") == "yes",
        "description": form.get("description", "").strip(),
        "team": form.get("team", "").strip(),
        "problem": None,
        "errors": [],
    }


def consumer_fields(sent: dict[str, Any], event_ref: str) -> dict[str, Any]:
    """The fields of catalog.create_consumer from a sent form (the API's request body names).
    Raises Pasted when the rule is not JSON."""
    pattern = None
    if sent["pattern"].strip():
        pattern = pasted_json(sent["pattern"], "max_event_depth", "a rule")
        if not isinstance(pattern, dict):
            raise Pasted('A rule is a JSON object, such as {"detail-type": ["OrderPlaced"]}.', 422)
    fields: dict[str, Any] = {
        "event": event_ref,
        "fields": sent["fields"],
        "calls_back": sent["calls_back"],
        "description": sent["description"],
    }
    if sent["team"]:
        fields["team"] = sent["team"]
    if pattern is not None:  # no rule: absent, as the API's body leaves it out
        fields["pattern"] = pattern
    return fields
