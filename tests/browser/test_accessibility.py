"""Every kind of page, on a laptop and a phone, under axe-core (Deque's accessibility engine, the
one browsers' own audits use): no violation that axe rates serious or critical (WCAG 2.1 A and AA
rules and axe's best practices), and nothing wider than a phone's screen."""

from __future__ import annotations

import pytest

from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.pages import PAGES, UiPage, serious_violations, visit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("ui_page", PAGES, ids=str)
def test_no_serious_accessibility_violation(browser, base_url, axe_script, ui_page: UiPage):
    for viewport in (LAPTOP, PHONE):
        # The pages forbid inline scripts (CSP); axe is injected as one, so the test lifts that.
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        try:
            tab = context.new_page()
            visit(tab, base_url, ui_page)
            found = serious_violations(tab, axe_script)
            assert found == [], f"{ui_page} at {viewport['width']} px: {found}"
        finally:
            context.close()


@pytest.mark.parametrize("ui_page", PAGES, ids=str)
def test_nothing_overflows_a_phone_screen(phone, base_url, ui_page: UiPage):
    visit(phone, base_url, ui_page)
    width = phone.evaluate("document.documentElement.scrollWidth")
    inner = phone.evaluate("window.innerWidth")
    assert width <= inner == PHONE["width"], f"{ui_page} is {width} px wide on a {inner} px screen"
