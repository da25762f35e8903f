"""Map domain errors and HTTP errors to problem responses; nothing else decides a status."""

from __future__ import annotations

from flask import Flask, Response, current_app
from werkzeug.exceptions import HTTPException

from app.api.problems import problem
from app.db.queries.paging import InvalidCursor
from app.services import errors

STATUS = {
    errors.NotFound: 404,
    errors.AlreadyExists: 409,
    errors.Conflict: 409,
    errors.InvalidInput: 422,
    errors.Unauthorized: 401,
    errors.Forbidden: 403,
}


def register(app: Flask) -> None:
    """Install the error handlers on the app."""
    app.register_error_handler(errors.DomainError, _domain_error)
    app.register_error_handler(InvalidCursor, _bad_cursor)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _domain_error(error: errors.DomainError) -> Response:
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
    response = problem(status, error.title, error.detail, error.errors, **error.extensions)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="eventry"'
    return response


def _bad_cursor(error: InvalidCursor) -> Response:
    return problem(400, "Bad Request", str(error))


def _http_error(error: HTTPException) -> Response:
    code = error.code or 500
    response = problem(code, error.name, error.description or error.name)
    if code == 405 and error.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return response


def _unexpected(error: Exception) -> Response:
    current_app.logger.exception("unhandled error", exc_info=error)
    return problem(500, "Internal Server Error", "Eventry hit an unexpected error; it is logged.")
