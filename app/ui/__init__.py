"""The catalogue web UI: server-rendered pages that call the same services as the API."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from app.services.errors import DomainError

# Paths whose errors stay application/problem+json: the API and the machine endpoints.
MACHINE_PREFIXES = ("/api/", "/healthz", "/readyz", "/metrics", "/ccompat")
Handler = Callable[[BaseException], Response]


def register(app: Flask) -> None:
    """Register the UI's blueprints, template helpers and HTML error pages on the app."""
    from app.ui import assets, catalog, common, events, home

    for module in (assets, home, catalog, events):
        app.register_blueprint(module.bp)
    app.add_template_filter(common.when, "when")
    app.add_template_filter(common.pretty, "pretty")
    app.add_template_global(common.event_url, "event_url")
    _html_errors_outside_the_api(app)


def is_machine_path(path: str) -> bool:
    """Whether errors on this path are answered as problem+json rather than an HTML page."""
    return path.startswith(MACHINE_PREFIXES) or path in {p.rstrip("/") for p in MACHINE_PREFIXES}


def _html_errors_outside_the_api(app: Flask) -> None:
    """Wrap the API's error handlers: same status and detail, but HTML on the UI's paths.

    The API's handlers stay the only place that decides a status; the UI only re-renders.
    """
    installed = app.error_handler_spec.setdefault(None, {}).setdefault(None, {})
    for kind in (DomainError, HTTPException, Exception):
        app.register_error_handler(kind, _html_unless_machine(installed.get(kind), app))


def _html_unless_machine(original: Handler | None, app: Flask) -> Handler:
    def handle(error: BaseException) -> Response:
        response = original(error) if original else _fallback(error, app)
        if is_machine_path(request.path):
            return response
        return _error_page(response)

    return handle


def _fallback(error: BaseException, app: Flask) -> Response:
    if isinstance(error, HTTPException):
        return Response(status=error.code or 500)
    app.logger.exception("unhandled error", exc_info=error)
    return Response(status=500)


def _error_page(problem: Response) -> Response:
    from app.ui.common import secure

    body = problem.get_json(force=True, silent=True) or {}
    status = problem.status_code
    title = body.get("title") or ("Page not found" if status == 404 else "Something went wrong")
    try:
        page = render_template(
            "ui/error.html",
            title=f"{status} {title}",
            crumbs=[("Catalogue", "/"), (title, None)],
            status=status,
            heading=title,
            detail=body.get("detail", ""),
            errors=body.get("errors") or [],
        )
    except Exception:  # the error page must never fail: fall back to plain text
        page = f"{status} {title}\n"
        return Response(page, status=status, mimetype="text/plain")
    response = Response(page, status=status, mimetype="text/html")
    for header in ("Allow", "WWW-Authenticate", "Retry-After"):
        if header in problem.headers:
            response.headers[header] = problem.headers[header]
    return secure(response)
