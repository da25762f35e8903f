"""Confluent subject names, read as event-storming names: pure rules, no storage.

A Confluent client names the schema it registers with a *subject*, made by its subject-name
strategy (Confluent's ``io.confluent.kafka.serializers.subject`` package; confluent-kafka's
``topic_subject_name_strategy`` and friends):

- TopicNameStrategy (the default): ``<topic>-value`` or ``<topic>-key``;
- RecordNameStrategy: the record's full name, for JSON Schema its ``title``;
- TopicRecordNameStrategy: ``<topic>-<record name>``.

Eventry's own subjects are ``<domain>.<EventName>``, which address an event type directly, and
a context (Confluent's ``:.<context>:<subject>``) names a domain: ``:.orders:OrderPlaced`` is
``orders.OrderPlaced``. See docs/confluent-compat.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.errors import InvalidInput
from app.core.vocabulary import control_character, is_event_name, is_slug

MAX_SUBJECT_LENGTH = 255
# Confluent's qualified subject: ":.<context>:<subject>"; the default context is ".".
_CONTEXT = re.compile(r":\.([^:]*):(.*)", re.DOTALL)
_TOPIC_SUFFIXES = ("-value", "-key")


@dataclass(frozen=True)
class SubjectName:
    """A subject as a client sent it, read: ``text`` (as sent), ``context`` (the domain slug a
    context names; None in the default context) and ``local`` (the subject inside it)."""

    text: str
    context: str | None
    local: str

    @property
    def key(self) -> str:
        """The name a binding is stored under: the subject, without the default context's
        ``:.:`` prefix (``:.:orders-value`` is ``orders-value``)."""
        return self.local if self.context is None else self.text

    @property
    def direct(self) -> tuple[str, str] | None:
        """(domain, event name) when the subject addresses an event type directly:
        ``orders.OrderPlaced``, or ``OrderPlaced`` in the context ``orders``."""
        if self.context is not None and is_event_name(self.local):
            return self.context, self.local
        domain, dot, name = self.local.rpartition(".")
        if dot and self.context is None and is_slug(domain) and is_event_name(name):
            return domain, name
        return None

    @property
    def topic(self) -> str | None:
        """The topic of a TopicNameStrategy subject (``orders-value`` → ``orders``), else
        None."""
        for suffix in _TOPIC_SUFFIXES:
            if self.local.endswith(suffix) and len(self.local) > len(suffix):
                return self.local[: -len(suffix)]
        return None

    def record_topic(self, record: str) -> str | None:
        """The topic of a TopicRecordNameStrategy subject ``<topic>-<record>`` for the given
        record name, else None."""
        suffix = f"-{record}"
        if record and self.local.endswith(suffix) and len(self.local) > len(suffix):
            return self.local[: -len(suffix)]
        return None


def parse_subject(text: str) -> SubjectName:
    """Read a subject. Raises InvalidInput (422) for an empty subject, one longer than 255
    characters, or one holding control characters (no name in the registry holds them)."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("a subject is a non-empty name")
    if len(text) > MAX_SUBJECT_LENGTH:
        raise InvalidInput(f"a subject has at most {MAX_SUBJECT_LENGTH} characters")
    if control_character(text) is not None:
        raise InvalidInput("a subject holds no control characters")
    qualified = _CONTEXT.fullmatch(text)
    if qualified is None:
        return SubjectName(text, None, text)
    context, local = qualified.groups()
    if context in ("", "."):
        return SubjectName(text, None, local)
    if not is_slug(context):
        raise InvalidInput(f"the context {context!r} names no domain: a context is a domain slug")
    return SubjectName(text, context, local)


def event_name_for(*candidates: str) -> str:
    """The PascalCase event name for a new event type, from the first candidate that gives
    one (a schema's ``title``, a record name, a topic): the last dot-separated part, its words
    joined and capitalised (``com.acme.order_placed`` → ``OrderPlaced``, ``orders`` →
    ``Orders``). Falls back to ``Event``."""
    for candidate in candidates:
        if not candidate:
            continue
        last = candidate.rsplit(".", 1)[-1]
        words = re.findall(r"[A-Za-z0-9]+", last)
        name = "".join(word[:1].upper() + word[1:] for word in words)
        name = name.lstrip("0123456789")
        if is_event_name(name[:128]):
            return name[:128]
    return "Event"


def record_name(schema: object) -> str:
    """The record name of a JSON Schema under RecordNameStrategy: its ``title`` (as the
    clients take it), else empty."""
    if isinstance(schema, dict) and isinstance(schema.get("title"), str):
        return schema["title"]
    return ""
