"""The catalogue web UI: server-rendered pages that call the same services as the API."""

from __future__ import annotations

from flask import Flask, Response, render_template

from app.core import words
from app.core.notifications import shown_address
from app.web import Problem, set_error_page


def register(app: Flask) -> None:
    """Register the UI's blueprints, template helpers and HTML error pages on the app."""
    from app.ui import (
        assets,
        catalog,
        common,
        events,
        home,
        landscape,
        lists,
        shared_fields,
        signin,
        visits,
        writes,
    )

    for module in (assets, home, catalog, events, lists, shared_fields, landscape, signin, writes):
        app.register_blueprint(module.bp)
    # The session cookie is written after any page that changed it (signed in or out, or a
    # first form's CSRF token); the header shows who is signed in and a sign-out form.
    app.after_request(visits.store)
    app.add_template_global(visits.csrf_field, "csrf_field")
    app.add_template_global(visits.signed_in, "signed_in")
    app.add_template_global(visits.ended_session, "ended_session")
    app.add_template_filter(common.when, "when")
    app.add_template_filter(common.pointer, "pointer")
    app.add_template_filter(common.prose, "prose")
    app.add_template_filter(common.pretty, "pretty")
    app.add_template_filter(shared_fields.field_name, "field_name")
    # English for counts and names comes from one place (app.core.words), as the CLI's does.
    app.add_template_filter(words.counted, "counted")
    app.add_template_filter(words.plural, "noun")
    app.add_template_filter(words.with_article, "with_article")
    # A webhook's URL without its query, where a receiver's own token may be.
    app.add_template_filter(shown_address, "address")
    app.add_template_global(common.event_url, "event_url")
    app.add_template_global(common.version_url, "version_url")
    # Outside the machine paths (the API, the probes), errors are HTML pages of the UI; their
    # status, title and detail come from app.web, the one place that maps errors to statuses.
    set_error_page(app, error_page)


def error_page(problem: Problem) -> Response:
    """The UI's page for an error: status, title, detail and every problem, as HTML."""
    from app.ui.common import secure

    status = problem.status
    title = problem.title or ("Page not found" if status == 404 else "Something went wrong")
    try:
        page = render_template(
            "ui/unauthorized.html" if status == 401 else "ui/error.html",
            title=f"{status} {title}",
            crumbs=[("Catalogue", "/"), (title, None)],
            status=status,
            heading=title,
            detail=problem.detail,
            errors=_beyond_detail(problem),
            **(_sign_in_help() if status == 401 else {}),
        )
    except Exception:  # the error page must never fail: fall back to plain text
        page = f"{status} {title}\n"
        return Response(page, status=status, mimetype="text/plain")
    response = Response(page, status=status, mimetype="text/html")
    for header in ("Allow", "WWW-Authenticate", "Retry-After"):
        if header in problem.headers:
            response.headers[header] = problem.headers[header]
    return secure(response)


def _beyond_detail(problem: Problem) -> list:
    """The problem's errors less any that only repeat its detail, so a page never says the
    same thing twice (the lead, then a list of one)."""
    return [
        error
        for error in problem.errors or []
        if (error.get("message") if isinstance(error, dict) else error) != problem.detail
    ]


def _sign_in_help() -> dict:
    """What the 401 page needs: where signing in brings the reader back, and why an earlier
    session ended (expired, revoked, not signed by Eventry)."""
    from flask import request

    from app.ui import visits
    from app.ui.signin import sign_in_target

    return {
        "sign_in_url": sign_in_target(request.full_path if request.method == "GET" else None),
        "ended": visits.ended_session(),
    }
