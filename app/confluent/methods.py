"""Which methods a /ccompat path has: those of the API's own routes, never the catch-all's.

The catch-all route (``/ccompat/<path:anything>``, which answers Confluent's 40401 for a path
the API does not have) matches every path with every method it takes, so Werkzeug's list of a
path's methods, and with it the ``Allow`` header of an OPTIONS or 405 answer, would name all of
them everywhere. Here a path's methods are those of the routes it matches besides the
catch-alls: what the OpenAPI document (/ccompat/openapi.json) lists for it.
"""

from __future__ import annotations

from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

PREFIX = "/ccompat/"
# Routes that take any method to answer 404 in Confluent's shape: the catch-all, and the
# association calls besides a topic's (which recent clients need to be 404, never 405).
CATCH_ALLS = frozenset({"ccompat_settings.unknown", "ccompat_settings.other_associations"})
_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


def methods_of(path: str) -> list[str]:
    """The methods the API answers at ``path`` (HEAD with GET, OPTIONS with any), sorted;
    empty for a path it does not have."""
    urls = current_app.url_map.bind_to_environ(request.environ)
    found = set()
    for method in _METHODS:
        try:
            endpoint, _ = urls.match(path, method=method)
        except HTTPException:
            continue
        if endpoint not in CATCH_ALLS:
            found.add(method)
    if "GET" in found:
        found.add("HEAD")
    return sorted(found | {"OPTIONS"}) if found else []


def not_found() -> NotFound:
    """The 404 (40401) of a path the API does not have."""
    return NotFound(f"{request.path} is not an endpoint of the Confluent-compatible API")


def refusal(error: HTTPException) -> HTTPException:
    """A 405 whose ``Allow`` names the path's own methods, or a 404 when it has none (a
    method no route takes, at a path only the catch-all matches); other errors as they are."""
    if not isinstance(error, MethodNotAllowed) or not request.path.startswith(PREFIX):
        return error
    allowed = methods_of(request.path)
    return MethodNotAllowed(valid_methods=allowed) if allowed else not_found()


def answer_options() -> Response | None:
    """Answer OPTIONS under /ccompat with the path's own methods (404 for a path the API does
    not have); None for every other request (a ``before_request`` hook)."""
    if request.method != "OPTIONS" or not request.path.startswith(PREFIX):
        return None
    allowed = methods_of(request.path)
    if not allowed:
        raise not_found()
    response = current_app.make_default_options_response()
    response.headers["Allow"] = ", ".join(allowed)
    return response
