"""Every kind of page of the UI, in one list: the accessibility and phone-width tests walk it, so a
page added later (a map, a sign-in page) is checked by adding one line here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect


def validate_with_errors(page: Page) -> None:
    """Submit an event with errors deep inside it: long pointers that must wrap on a phone."""
    page.fill("#event", '{"lines": [{"unitPrice": {"amount": "free", "currency": 7}}]}')
    page.get_by_role("button", name="Validate").click()
    # The answer is a new page: wait for it (a check right after the click may read the old one),
    # and for its load, stylesheet included: a width read before it once measured the page
    # unstyled (17,595 px on a phone).
    expect(page.locator("ol.errors li").first).to_be_visible()
    page.wait_for_load_state("load")


# axe rates each violation minor, moderate, serious or critical; the last two fail the page.
FAILING_IMPACTS = ("serious", "critical")


def serious_violations(tab: Page, axe_script: Path) -> list[str]:
    """The serious and critical violations axe-core finds on the open page, one line each (the
    page's context must bypass its CSP: axe is injected as an inline script)."""
    tab.add_script_tag(path=str(axe_script))
    found = tab.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in found
        if v["impact"] in FAILING_IMPACTS
    ]


@dataclass(frozen=True)
class UiPage:
    """One page to check: its path, the HTTP status it answers, and what to do on it first."""

    path: str
    status: int = 200
    then: Callable[[Page], None] | None = None

    def __str__(self) -> str:  # the test id
        return self.path + (f" then {self.then.__name__.strip('_')}" if self.then else "")


PAGES = [
    UiPage("/"),
    UiPage("/events?shape=full"),
    UiPage("/buses"),
    UiPage("/domains"),
    UiPage("/consumers?bus=orders-events"),
    UiPage("/services"),
    UiPage("/services/order-service"),
    UiPage("/domains/orders"),
    UiPage("/buses/orders-events?events_per_second=50"),
    UiPage("/buses/payments-ledger"),
    UiPage("/events/orders/OrderPlaced"),
    UiPage("/events/orders/OrderPlaced/versions/1"),
    UiPage("/events/orders/OrderPlaced/diff?from=1&to=3"),
    UiPage("/events/customers/CustomerRegistered/validate"),
    UiPage("/events/orders/OrderPlaced/validate", then=validate_with_errors),
    UiPage("/fields"),
    UiPage("/fields/customerId"),
    UiPage("/teams"),
    UiPage("/teams/checkout"),
    UiPage("/audit"),
    UiPage("/search?q=customerId"),
    UiPage("/findings"),
    UiPage("/findings?severity=warning&kind=lint&kind=ordering-hazard"),
    UiPage("/map"),
    UiPage("/map?focus=domain:orders"),
    UiPage("/map?view=summary"),
    UiPage("/sign-in"),
    UiPage("/events/orders/OrderPlaced/propose"),
    UiPage("/no/such/page", status=404),
    UiPage("/events?shape=bogus", status=422),
    UiPage("/api/docs"),
]


def visit(tab: Page, base_url: str, ui_page: UiPage) -> None:
    """Open the page (asserting its status) and do what it asks first."""
    response = tab.goto(base_url + ui_page.path)
    assert response is not None and response.status == ui_page.status, ui_page.path
    if ui_page.then:
        ui_page.then(tab)
