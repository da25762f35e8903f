"""Signing in to a protected registry in a real browser, on a laptop and a phone: sign in,
register a consumer by ticking fields, propose a version with its preview, sign out."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
EVENT = "/events/orders/OrderPlaced"


def _no_overflow(tab) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= tab.viewport_size["width"], f"{tab.url} is {width} px wide"


@pytest.mark.parametrize("device", ["page", "phone"])
def test_sign_in_register_a_consumer_propose_a_version_and_sign_out(request, protected, device):
    tab = request.getfixturevalue(device)
    suffix = "laptop" if device == "page" else "phone"
    tab.goto(protected.url + EVENT)
    expect(tab.get_by_role("heading", name="Sign in to read this registry")).to_be_visible()
    _no_overflow(tab)
    tab.get_by_role("link", name="Sign in with a token").click()
    tab.get_by_label("API token").fill(protected.token)
    _no_overflow(tab)
    tab.get_by_role("button", name="Sign in").click()
    expect(tab).to_have_title("orders.OrderPlaced · Eventry")
    expect(tab.locator(".signed-in")).to_contain_text("ann at checkout")
    _no_overflow(tab)

    # Register a consumer, ticking the fields it reads in the field table.
    tab.get_by_label("Service name").fill(f"loyalty-points-{suffix}")
    for pointer in ("/orderId", "/customerId"):
        tab.locator(f'input[name=reads][value="{pointer}"]').check()
    tab.get_by_role("button", name="Register consumer").click()
    tab.wait_for_url(re.compile(r".*/events/orders/OrderPlaced#consumer-\d+$"))
    row = tab.locator("table.consumers tr", has_text=f"loyalty-points-{suffix}")
    expect(row).to_contain_text("/orderId")
    expect(row).to_contain_text("/customerId")

    # Propose a version: preview first (nothing saved), then save.
    tab.get_by_role("link", name="Propose a new version").click()
    schema = json.loads(tab.get_by_label("JSON Schema").input_value())
    schema["properties"][f"tier_{suffix}"] = {"type": "string", "description": "Loyalty tier."}
    tab.get_by_label("JSON Schema").fill(json.dumps(schema, indent=2))
    tab.get_by_role("button", name="Preview").click()
    expect(tab.locator("#preview")).to_contain_text("Compatible under BACKWARD_TRANSITIVE")
    expect(tab.locator("#preview")).to_contain_text(f"tier_{suffix}")
    _no_overflow(tab)
    tab.get_by_role("button", name="Save as the next version").click()
    tab.wait_for_url(re.compile(r".*/events/orders/OrderPlaced/versions/\d+$"))
    expect(tab.locator("main")).to_contain_text(f"tier_{suffix}")

    # Sign out: the pages ask for a token again.
    tab.get_by_role("button", name="Sign out").click()
    expect(tab.get_by_text("You are signed out.")).to_be_visible()
    tab.goto(protected.url + EVENT)
    expect(tab.get_by_role("heading", name="Sign in to read this registry")).to_be_visible()
    # The 401 pages are answered as such, which Chromium logs; nothing else may be.
    assert [e for e in tab.console.errors if "status of 401" not in e] == []


def test_a_breaking_proposal_is_refused_with_its_differences(page, protected):
    page.goto(protected.url + "/sign-in?next=" + EVENT + "/propose")
    page.get_by_label("API token").fill(protected.token)
    page.get_by_role("button", name="Sign in").click()
    schema = json.loads(page.get_by_label("JSON Schema").input_value())
    del schema["properties"]["customerEmail"]
    schema["required"].remove("customerEmail")
    page.get_by_label("JSON Schema").fill(json.dumps(schema))
    page.get_by_role("button", name="Save as the next version").click()
    expect(page.locator("#propose-problem")).to_contain_text("is not BACKWARD_TRANSITIVE")
    expect(page.locator("#preview")).to_contain_text("order-confirmation-mailer")
