"""Signing in and out of the web UI with an API token (docs/ui.md, "Signing in")."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from app.core.errors import Unauthorized
from app.services import sign_in
from app.ui import visits
from app.ui.common import home_crumb, render, secure
from app.web import auth_session, runtime

bp = Blueprint("ui_signin", __name__)
bp.after_request(secure)
# Long enough for any token Eventry makes (evt_ and 43 characters) and far under the body limit.
MAX_TOKEN_CHARS = 200


@bp.before_request
def _read_visit() -> None:
    visits.visit()


@bp.get("/sign-in")
def sign_in_form():
    """The sign-in form; after signing out, it says so."""
    notice = "You are signed out." if request.args.get("signed-out") == "1" else None
    return _form(200, notice=notice)


@bp.post("/sign-in")
def sign_in_post():
    """Check the token through the token service and start a session; a bad token is a 401
    on the form, with the API's words, and nothing is stored."""
    visits.check_csrf()
    secret = request.form.get("token", "").strip()
    if not secret:
        return _form(400, problem="Paste an API token to sign in.")
    if len(secret) > MAX_TOKEN_CHARS:
        too_long = f"That is not a token: tokens are under {MAX_TOKEN_CHARS} characters."
        return _form(400, problem=too_long)
    try:
        actor, digest = sign_in.sign_in(auth_session(), secret, runtime().settings.admin_token)
    except Unauthorized as refusal:
        return _form(401, problem=f"Not signed in: {refusal.detail}.")
    visits.begin(actor, digest)
    return redirect(_next_page(request.form.get("next")), code=303)


@bp.post("/sign-out")
def sign_out():
    """End the session (a form with the CSRF token, so no other site can sign you out)."""
    visits.check_csrf()
    visits.end()
    return redirect(url_for("ui_signin.sign_in_form", **{"signed-out": "1"}), code=303)


def _form(status: int, problem: str | None = None, notice: str | None = None):
    wanted = request.values.get("next", "")
    return render(
        "sign_in.html",
        "Sign in",
        [home_crumb(), ("Sign in", None)],
        status=status,
        problem=problem,
        notice=notice,
        next=_next_page(wanted) if wanted else "",
        ended=visits.visit().ended,
        read_auth=runtime().settings.read_auth,
    )


def _next_page(wanted: str | None) -> str:
    """Where to go after signing in: a path on this site only (never //host or /\\host, which
    browsers read as another site), else the catalogue's home."""
    local = bool(wanted) and wanted.startswith("/") and not wanted.startswith(("//", "/\\"))
    if local and all(31 < ord(c) < 127 for c in wanted):
        return wanted
    return url_for("ui_home.home")


def sign_in_target(back: str | None) -> str:
    """The sign-in form's URL, bringing the reader back to ``back`` (a path) afterwards."""
    back = (back or "").rstrip("?")
    return url_for("ui_signin.sign_in_form", **({"next": back} if back else {}))
