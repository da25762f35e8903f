"""Code bindings of a schema version (pydantic v2 models, TypeScript interfaces), cached.

A binding depends only on the schema's content (its fingerprint) and the words of its
docstring (the event's description, domain, name and version), so each process keeps the last
CACHE_SIZE of them: a second request for the same one runs no generator.
"""

from __future__ import annotations

import threading
from pathlib import Path

from cachetools import LRUCache
from sqlalchemy.orm import Session

from app.core.bindings import BindingRequest, Language
from app.core.errors import NotFound
from app.services import codegen, served
from app.services.catalog import get_event_type
from app.services.tree_event import load_event, tree_schema

CACHE_SIZE = 256
_cache: LRUCache[tuple[str, ...], str] = LRUCache(CACHE_SIZE)
_lock = threading.Lock()


def language_of(text: str) -> Language:
    """The Language named ``text`` (python or typescript). Raises NotFound for another."""
    try:
        return Language(text)
    except ValueError:
        known = ", ".join(each.value for each in Language)
        raise NotFound(f"no bindings for {text[:40]!r}: the languages are {known}") from None


def version_binding(
    session: Session, domain: str, name: str, number: str | int, language: Language
) -> tuple[int, str]:
    """The version number and the source text of a live version's binding in ``language``.
    Raises NotFound for an unknown event type or version, InvalidInput (422) when the schema
    cannot be turned into one (a generator's refusal or time-out, a reference name that is no
    plain file name), Unavailable (503) when the generator is not installed."""
    event_type = get_event_type(session, domain, name)
    version, document = served.version_document(session, domain, name, number)
    request = BindingRequest(domain, name, event_type.description or "", version, document)
    return version, binding(request, language)


def tree_binding(root: Path, ref: str, version: int | None, language: Language) -> tuple[int, str]:
    """The version number and binding of a live version (default: the latest) of an event
    (``domain.EventName``) of a schemas-as-code tree, offline. Raises TreeError for an unknown
    event or version or broken files, and what ``binding`` raises."""
    _catalog, event = load_event(root, ref)
    spec = tree_schema(root, ref, version)
    request = BindingRequest(
        event.domain, event.name, event.description, spec.number, spec.document
    )
    return spec.number, binding(request, language)


def binding(request: BindingRequest, language: Language) -> str:
    """The binding of a request (from the cache when this process made it before)."""
    key = (language.value, *request.key)
    with _lock:
        found = _cache.get(key)
    if found is None:
        found = codegen.generate(request, language)
        with _lock:
            _cache[key] = found
    return found
