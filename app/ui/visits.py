"""Who is using the web UI: the signed session cookie, and the CSRF token of its forms.

The cookie ``eventry_session`` is signed with itsdangerous (Flask's own signing library) and
holds ``{"c": <CSRF token>, "d": <sha-256 of the API token signed in with>}`` - never the token.
It is HttpOnly, SameSite=Strict, Secure over https (or always, with EVENTRY_SECURE_COOKIES=1),
and lasts EVENTRY_SESSION_HOURS (8) from signing in: the signature carries its time, so an
older cookie is refused even if a browser keeps it. Each request looks the token up again,
so revoking the token ends the session, and checks that the session was not signed out: its
CSRF token is its random key, recorded at sign-out, so a saved copy of the cookie is refused.
Forms that write carry the session's CSRF token (the synchronizer-token pattern, OWASP's CSRF
cheat sheet): a cross-site form cannot read it. Every response that read the session is
``Cache-Control: private, no-store`` and ``Vary: Cookie``: it names a person or holds a token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace

from flask import Response, current_app, g, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from markupsafe import Markup, escape
from werkzeug.exceptions import Forbidden

from app.core.access import Actor
from app.services import sign_in
from app.web import auth_session, runtime

COOKIE = "eventry_session"
CSRF_FIELD = "csrf"
_SALT = "eventry.ui-session"
_SERIALIZER = "eventry.session_serializer"
_VISIT = "eventry_visit"


@dataclass(frozen=True)
class Visit:
    """This browser's session: its CSRF token, the digest of the token it signed in with (None
    when signed out), who that token is now, why an earlier session ended, and whether the
    cookie must be written again."""

    csrf: str
    digest: str | None = None
    actor: Actor | None = None
    ended: str | None = None
    changed: bool = False


def _serializer() -> URLSafeTimedSerializer:
    # Made once per process: the secret never changes once stored (app.services.sign_in).
    made = current_app.extensions.get(_SERIALIZER)
    if made is None:
        secret = sign_in.signing_secret(auth_session(), runtime().settings.secret_key)
        made = current_app.extensions[_SERIALIZER] = URLSafeTimedSerializer(
            secret, salt=_SALT, signer_kwargs={"digest_method": hashlib.sha256}
        )
    return made


def visit() -> Visit:
    """This request's visit, read from its cookie once (raises Unavailable when the database
    cannot be asked about the token)."""
    if _VISIT not in g:
        g.eventry_visit = _read()
    return g.eventry_visit


def _read() -> Visit:
    raw = request.cookies.get(COOKIE)
    if not raw:  # a reader who never sent a form gets no cookie until a page has one
        return Visit(secrets.token_urlsafe(32))
    settings = runtime().settings
    try:
        data = _serializer().loads(raw, max_age=settings.session_hours * 3600)
    except SignatureExpired:
        return _fresh(f"your session ended after {settings.session_hours} hours; sign in again")
    except BadSignature:
        return _fresh("your session cookie was not one Eventry signed; sign in again")
    csrf, digest = (data.get(key) if isinstance(data, dict) else None for key in ("c", "d"))
    if not isinstance(csrf, str) or not isinstance(digest, (str, type(None))):
        return _fresh("your session cookie was not one Eventry signed; sign in again")
    if digest is None:
        return Visit(csrf)
    if sign_in.signed_out(auth_session(), csrf):
        return _fresh("this session was signed out; sign in again")
    actor = sign_in.session_actor(auth_session(), digest, settings.admin_token)
    if actor is None:
        return _fresh("the token you signed in with was revoked or has expired; sign in again")
    return Visit(csrf, digest, actor)


def _fresh(ended: str | None) -> Visit:
    return Visit(secrets.token_urlsafe(32), ended=ended, changed=True)


def begin(actor: Actor, digest: str) -> None:
    """Sign this browser in: a new CSRF token too, so one seen before signing in is void."""
    g.eventry_visit = Visit(secrets.token_urlsafe(32), digest, actor, changed=True)


def end() -> None:
    """Sign this browser out, and its session for every copy of its cookie."""
    current = visit()
    if current.actor is not None:
        hours = runtime().settings.session_hours
        sign_in.sign_out(auth_session(), current.actor, current.csrf, hours)
    g.eventry_visit = _fresh(None)


def signed_in() -> Actor | None:
    """Who is signed in on this request, when its visit was read."""
    current = g.get(_VISIT)
    return current.actor if current is not None else None


def ended_session() -> str | None:
    """Why this browser's earlier session ended on this request (expired, revoked, signed
    out, not signed by Eventry), when its visit was read; None otherwise. The cookie is
    rewritten signed out on the same answer, so the reason shows once."""
    current = g.get(_VISIT)
    return current.ended if current is not None else None


def check_csrf() -> None:
    """Refuse a form without this session's CSRF token (403): sent from another site, or
    from a page older than the session (signed in or out since)."""
    sent = request.form.get(CSRF_FIELD, "")
    if not sent or not hmac.compare_digest(sent.encode(), visit().csrf.encode()):
        raise Forbidden(
            "This form was sent without the security token of your session (CSRF): it came "
            "from another site, or from a page opened before you signed in or out. Reload the "
            "page and send the form again."
        )


def csrf_field() -> Markup:
    """The hidden input every form that writes carries."""
    current = visit()
    if COOKIE not in request.cookies:
        # The key is read now, in the view, so a database that is down answers this page's
        # 503 rather than failing after it, as the cookie is written.
        _serializer()
        g.eventry_visit = replace(current, changed=True)
    token = escape(current.csrf)
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{token}">')


def store(response: Response) -> Response:
    """Write the cookie when the visit changed on this request (after_request). A response
    that read the visit may name who is signed in or hold a CSRF token: no cache keeps it, and
    none shares it between cookies (RFC 9111, sections 5.2.2.5 and 4.1)."""
    current = g.get(_VISIT)
    if current is None:
        return response
    response.headers["Cache-Control"] = "private, no-store"
    response.vary.add("Cookie")
    if not current.changed or response.status_code >= 500:
        return response
    settings = runtime().settings
    data = {"c": current.csrf, "d": current.digest}
    response.set_cookie(
        COOKIE,
        _serializer().dumps(data),
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="Strict",
        secure=settings.secure_cookies or request.is_secure,
        path="/",
    )
    g.eventry_visit = replace(current, changed=False)
    return response
