"""Signing in to the web UI of a protected registry (EVENTRY_READ_AUTH=token): the signed
session cookie, its expiry and tampering, revoked tokens, CSRF, and the 401 page."""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from app import create_app
from app.db.models import AuditEntry
from app.services import tokens
from app.ui.visits import COOKIE
from tests.conftest import ADMIN_TOKEN
from tests.functional.ui.conftest import SYSTEM, html

EVENT = "/events/orders/OrderPlaced"


@pytest.fixture
def protected(database_url, demo):
    """The app with reads behind a token, on the demo catalogue."""
    application = create_app(
        {
            "database_url": database_url,
            "admin_token": ADMIN_TOKEN,
            "demo": False,
            "read_auth": "token",
            "TESTING": True,
        }
    )
    yield application
    application.extensions["eventry"].engine.dispose()


@pytest.fixture
def browser(protected):
    """A test client, which keeps cookies as a browser does."""
    return protected.test_client()


def csrf_of(page: str) -> str:
    """The CSRF token of the first form on a page."""
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def sign_in(client, secret: str, next_page: str = "") -> object:
    """Open the sign-in form and send it with the secret; return the answer."""
    form = html(client.get("/sign-in"))
    return client.post("/sign-in", data={"csrf": csrf_of(form), "token": secret, "next": next_page})


def test_a_page_without_a_session_is_a_401_page_that_says_how_to_sign_in(browser):
    page = html(browser.get(EVENT), 401)
    assert "Sign in to read this registry" in page
    assert "/sign-in?next=/events/orders/OrderPlaced" in page
    assert "eventry token create --team TEAM" in page  # how to get a token from an admin
    api = browser.get("/api/v1/events/orders/OrderPlaced")
    assert api.status_code == 401 and api.mimetype == "application/problem+json"


def test_a_good_token_signs_in_with_a_strict_http_only_cookie_without_the_token(
    browser, team_token
):
    answer = sign_in(browser, team_token, EVENT)
    assert answer.status_code == 303 and answer.headers["Location"] == EVENT
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=28800" in cookie
    assert "Secure" not in cookie  # plain http here; https or EVENTRY_SECURE_COOKIES add it
    assert team_token not in cookie and team_token[4:20] not in cookie
    page = html(browser.get(EVENT))
    assert "Signed in as <strong>checkout deploys</strong>" in page and "Sign out" in page
    assert team_token not in page


def test_the_cookie_is_secure_over_https(browser, team_token):
    form = html(browser.get("/sign-in", base_url="https://localhost"))
    answer = browser.post(
        "/sign-in",
        data={"csrf": csrf_of(form), "token": team_token},
        base_url="https://localhost",
    )
    assert answer.status_code == 303 and "Secure" in answer.headers["Set-Cookie"]


def test_a_bad_token_is_refused_on_the_form_and_signs_nobody_in(browser):
    answer = sign_in(browser, "evt_not-a-token")
    page = html(answer, 401)
    assert "Not signed in: the token is unknown, revoked or expired." in page
    html(browser.get(EVENT), 401)
    empty = sign_in(browser, "   ")
    assert "Paste an API token to sign in." in html(empty, 400)


def test_revoking_the_token_ends_the_session(browser, session, team_token):
    sign_in(browser, team_token)
    html(browser.get(EVENT))
    token = tokens.authenticate(session, team_token, None)
    tokens.revoke_token(session, SYSTEM, token.id)
    page = html(browser.get(EVENT), 401)
    assert "the token you signed in with was revoked or has expired" in page


def test_an_expired_cookie_is_refused(protected, browser, team_token, monkeypatch):
    sign_in(browser, team_token)
    later = time.time() + 8 * 3600 + 60
    monkeypatch.setattr(time, "time", lambda: later)  # itsdangerous reads the clock here
    page = html(browser.get(EVENT), 401)
    assert "your session ended after 8 hours" in page


def test_a_tampered_or_forged_cookie_is_refused(protected, browser, team_token):
    sign_in(browser, team_token)
    signed = browser.get_cookie(COOKIE).value
    browser.set_cookie(COOKIE, signed[:-2] + ("AA" if not signed.endswith("AA") else "BB"))
    page = html(browser.get(EVENT), 401)
    assert "not one Eventry signed" in page
    # Signed with another key, it names the admin token's hash: still refused.
    forged = URLSafeTimedSerializer("x" * 40, salt="eventry.ui-session").dumps(
        {"c": "c", "d": tokens.hash_secret(ADMIN_TOKEN)}
    )
    browser.set_cookie(COOKIE, forged)
    html(browser.get(EVENT), 401)


def test_every_process_signs_with_the_databases_secret(protected, database_url, team_token):
    sign_in(first := protected.test_client(), team_token)
    other = create_app({"database_url": database_url, "read_auth": "token", "TESTING": True})
    try:
        second = other.test_client()
        second.set_cookie(COOKIE, first.get_cookie(COOKIE).value)
        html(second.get(EVENT))  # another process (or host) accepts the same session
    finally:
        other.extensions["eventry"].engine.dispose()


def test_a_configured_secret_key_signs_instead(database_url, demo, team_token):
    settings = {"database_url": database_url, "read_auth": "token", "TESTING": True}
    one = create_app({**settings, "secret_key": "k" * 32})
    two = create_app({**settings, "secret_key": "z" * 32})
    try:
        sign_in(client := one.test_client(), team_token)
        other = two.test_client()
        other.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
        html(other.get(EVENT), 401)
    finally:
        for each in (one, two):
            each.extensions["eventry"].engine.dispose()


def test_forms_without_the_sessions_csrf_token_are_refused(browser, team_token):
    refused = browser.post("/sign-in", data={"token": team_token})
    assert "security token of your session" in html(refused, 403)
    html(browser.get(EVENT), 401)  # nothing signed in
    sign_in(browser, team_token)
    for path, data in [
        ("/sign-out", {}),
        (f"{EVENT}/consumers", {"name": "points"}),
        (f"{EVENT}/propose", {"schema": "{}", "action": "save"}),
    ]:
        assert html(browser.post(path, data={**data, "csrf": "forged"}), 403)
    html(browser.get(EVENT))  # still signed in: sign-out was refused too


def test_sign_out_ends_the_session(browser, team_token):
    sign_in(browser, team_token)
    page = html(browser.get(EVENT))
    answer = browser.post("/sign-out", data={"csrf": csrf_of(page)})
    assert answer.status_code == 303 and answer.headers["Location"] == "/sign-in?signed-out=1"
    assert "You are signed out." in html(browser.get(answer.headers["Location"]))
    html(browser.get(EVENT), 401)


def test_a_copy_of_the_cookie_saved_before_signing_out_is_refused_after(
    protected, browser, session, team_token
):
    sign_in(browser, team_token)
    page = html(browser.get(EVENT))
    saved = browser.get_cookie(COOKIE).value
    browser.post("/sign-out", data={"csrf": csrf_of(page)})
    audited = select(AuditEntry.actor).where(AuditEntry.action == "session.sign-out")
    assert session.scalars(audited).all() == ["checkout deploys"]
    # Another process (or host) sharing the database refuses the copy as well.
    copy = protected.test_client()
    copy.set_cookie(COOKIE, saved)
    refused = html(copy.get(EVENT), 401)
    assert "this session was signed out; sign in again" in refused
    copy.set_cookie(COOKIE, saved)
    write = copy.post(f"{EVENT}/consumers", data={"csrf": csrf_of(page), "name": "stolen"})
    assert "this session was signed out" in html(write, 401)
    sign_in(browser, team_token)  # signing in again starts a new session
    again = html(browser.get(EVENT))
    assert "Signed in as <strong>checkout deploys</strong>" in again and "stolen" not in again


def test_pages_of_a_session_are_private_and_never_stored(browser, team_token):
    for answer in (browser.get("/sign-in"), sign_in(browser, team_token), browser.get(EVENT)):
        assert answer.headers["Cache-Control"] == "private, no-store"
        assert "Cookie" in answer.vary


def test_sign_in_brings_back_to_local_pages_only(browser, team_token):
    for wanted in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        answer = sign_in(browser, team_token, wanted)
        assert answer.headers["Location"] == "/"


def test_an_open_registry_says_once_why_a_session_ended(client, session, team_token):
    """Reads need no token here, so the page is shown signed out, with the reason once."""
    sign_in(client, team_token)
    saved = client.get_cookie(COOKIE).value
    page = html(client.get(EVENT))
    client.post("/sign-out", data={"csrf": csrf_of(page)})
    for cookie, reason in [
        (saved, "this session was signed out; sign in again"),
        ("garbage", "your session cookie was not one Eventry signed"),
    ]:
        client.set_cookie(COOKIE, cookie)
        shown = html(client.get(EVENT))
        assert f"You are signed out: {reason}" in shown and "Signed in as" not in shown
        assert "You are signed out" not in html(client.get(EVENT))  # once
    sign_in(client, team_token)
    tokens.revoke_token(session, SYSTEM, tokens.authenticate(session, team_token, None).id)
    revoked = html(client.get("/events"))
    assert "You are signed out: the token you signed in with was revoked" in revoked
