"""Confluent's per-subject settings (compatibility level, compatibility group, mode), addressed
by subject name: those of the event type the subject names, or, for a subject no event type
answers to yet, settings kept under the name until the registration that binds it adopts them.

Confluent keeps config and mode per subject name, whether or not the subject has schemas, so a
team may set a subject's level, or IMPORT mode before a migration, ahead of its first
registration. Answers follow Confluent's ConfigResource and ModeResource
(io.confluent.kafka.schemaregistry.rest.resources): a subject without a level of its own is
40408 (NotConfigured "compatibility"), without a mode 40409, unless ``defaultToGlobal``; a
DELETE of settings a subject does not have is 40401; a subject with settings only is not listed
by ``GET /subjects``.

Who may set them for a subject nothing answers to: an admin; the team owning the domain the name
determines (its context's, ``<domain>.<EventName>``'s, or the domain of the bus named like a
``<topic>-value`` subject's topic); for other names any team's unscoped token, unless another
team holds them already. They become the event type's own only when it is in a domain of the
team that set them (or an admin set them), as that team could have set them afterwards; else
they are dropped. Both are audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.errors import Conflict, Forbidden, NotConfigured, NotFound
from app.core.subjects import SubjectName, parse_subject
from app.core.vocabulary import Mode, check_fields
from app.db.models import Domain, EventType, SubjectSetting
from app.db.queries import catalog as catalog_queries
from app.db.queries import subjects as subject_queries
from app.services import audit, authz, event_config, modes
from app.services.settings import check_level_and_policy, get_settings
from app.services.transaction import atomic


@dataclass(frozen=True)
class Config:
    """A subject's compatibility config as Confluent answers it: the level and, when one is
    set, the compatibility group (a metadata property)."""

    level: str | None
    group: str | None = None


def _named(session: Session, subject: str) -> tuple[SubjectName, EventType | None]:
    name = parse_subject(subject)
    return name, subject_queries.named_event_type(session, name.key, name.direct)


def _held(session: Session, name: SubjectName) -> SubjectSetting | None:
    found = subject_queries.held_settings(session, name.key)
    return found[0] if found else None


def config(session: Session, subject: str, default_to_global: bool = False) -> Config:
    """The subject's level and group: its own (its event type's, or held for the name), the
    group falling back to the registry's. Raises InvalidInput (a malformed subject) and
    NotConfigured (40408) without a level of its own, unless ``default_to_global``, which
    answers the registry's level then."""
    name, event_type = _named(session, subject)
    own = event_type if event_type is not None else _held(session, name)
    level = own.compatibility if own is not None else None
    if level is None and not default_to_global:
        raise NotConfigured(
            f"Subject '{subject}' does not have subject-level compatibility configured",
            "compatibility",
        )
    registry = get_settings(session)
    group = own.compatibility_group if own is not None else None
    return Config(level or registry.compatibility, group or registry.compatibility_group)


def set_config(
    session: Session, actor: Actor, subject: str, level: str | None, group: str | None
) -> None:
    """Set the subject's level and/or group (None leaves one; a group "" clears it): its event
    type's, else held for the name. Raises InvalidInput, InvalidLevel, Forbidden."""
    check_level_and_policy(level, None)
    name, event_type = _named(session, subject)
    if event_type is not None:
        domain, event = event_type.domain.slug, event_type.name
        event_config.set_event_config(session, actor, domain, event, level, None, group)
        return
    changes: dict[str, str | None] = {}
    if level is not None:
        changes["compatibility"] = level
    if group is not None:
        changes["compatibility_group"] = group or None
    _hold(session, actor, name, changes)


def clear_config(session: Session, actor: Actor, subject: str) -> Config:
    """Remove the subject's own level and group (and an event type's policy) and return them as
    they were. Raises NotFound (40401) when it has neither, as Confluent, and Forbidden."""
    name, event_type = _named(session, subject)
    own = event_type if event_type is not None else _held(session, name)
    # Eventry's own policy counts too: DELETE clears it with the level.
    has_policy = event_type is not None and event_type.policy is not None
    unset = own is None or (own.compatibility is None and own.compatibility_group is None)
    if unset and not has_policy:
        raise NotFound(f"Subject '{subject}' not found.")
    before = Config(own.compatibility, own.compatibility_group)
    if event_type is not None:
        domain, event = event_type.domain.slug, event_type.name
        event_config.clear_event_config(session, actor, domain, event)
    else:
        _hold(session, actor, name, {"compatibility": None, "compatibility_group": None})
    return before


def mode(session: Session, subject: str, default_to_global: bool = False) -> Mode:
    """The subject's mode: its own, else (``default_to_global``) the registry's. Raises
    InvalidInput and NotConfigured (40409)."""
    name, event_type = _named(session, subject)
    if event_type is not None:
        return modes.event_mode(session, event_type, default_to_global, subject)
    held = _held(session, name)
    if held is not None and held.mode is not None:
        return Mode(held.mode)
    if not default_to_global:
        raise modes.no_mode(subject)
    return modes.registry_mode(session)


def set_mode(
    session: Session, actor: Actor, subject: str, wanted: Mode, force: bool = False
) -> None:
    """Set the subject's mode: its event type's (IMPORT needs no versions unless ``force``), else
    held for the name. Raises InvalidInput, Forbidden, NotPermitted (42205)."""
    name, event_type = _named(session, subject)
    if event_type is not None:
        modes.set_event_mode(session, actor, event_type, wanted, force, subject)
        return
    _hold(session, actor, name, {"mode": wanted.value})


def clear_mode(session: Session, actor: Actor, subject: str) -> Mode:
    """Remove the subject's own mode and return it. Raises NotFound (40401) without one, as
    Confluent, and Forbidden."""
    name, event_type = _named(session, subject)
    own = event_type if event_type is not None else _held(session, name)
    if own is None or own.mode is None:
        raise NotFound(f"Subject '{subject}' not found.")
    before = Mode(own.mode)
    if event_type is not None:
        modes.set_event_mode(session, actor, event_type, None)
    else:
        _hold(session, actor, name, {"mode": None})
    return before


def _hold(session: Session, actor: Actor, name: SubjectName, changes: dict) -> None:
    # Settings for a name nothing answers to: kept (or, once empty, removed) under the name.
    with atomic(session):
        held = _held(session, name)
        _may_hold(session, actor, name, held)
        if held is None:
            held = SubjectSetting(name=name.key)
            session.add(held)
        before = view(held) if held.id is not None else None
        for key, value in changes.items():
            setattr(held, key, value)
        held.team = None if actor.admin else actor.team
        after = view(held)
        if held.compatibility is None and held.compatibility_group is None and held.mode is None:
            session.delete(held)
            after = None
        session.flush()
        audit.record(session, actor.name, "subject.settings", f"subject:{name.key}", before, after)


def _may_hold(session: Session, actor: Actor, name: SubjectName, held) -> None:
    if actor.admin:
        return
    domain = _domain_named(session, name)
    if domain is not None:
        authz.domain_owner(actor, domain)
        return
    if actor.team is None or actor.scopes:
        raise Forbidden(
            f"subject {name.text!r} names no domain: only an admin or an unscoped team token "
            "may set its settings before its first registration"
        )
    if held is not None and held.team != actor.team:
        holder = f"team {held.team!r}" if held.team else "an admin"
        raise Forbidden(
            f"the settings of subject {name.text!r} were set by {holder}; only they (or an "
            "admin) may change them before its first registration"
        )


def _domain_named(session: Session, name: SubjectName) -> Domain | None:
    """The domain a subject's name determines, if any: its context's, ``<domain>.<Event>``'s,
    or that of the bus named like its topic."""
    slug = name.context or (name.direct[0] if name.direct else None)
    if slug is not None:
        return catalog_queries.domain_by_slug(session, slug)
    bus = catalog_queries.bus_by_slug(session, name.topic) if name.topic else None
    return bus.domain if bus is not None else None


def adopt(session: Session, actor: Actor, key: str, event_type: EventType) -> None:
    """Make the settings held for the subject name the event type's own, now that the name is
    bound to it (or created it): every one held replaces the event type's (audited
    ``subject.settings.adopt``); settings a team set for an event type of a domain it does not
    own are dropped instead (``subject.settings.drop``). The held row goes either way."""
    held = _held(session, parse_subject(key))
    if held is None:
        return
    ref = f"{event_type.domain.slug}.{event_type.name}"
    target, kept = f"subject:{key}", view(held)
    owner = event_type.domain.owner.slug
    if held.team is not None and held.team != owner:
        why = f"set by team {held.team}, which does not own domain {event_type.domain.slug}"
        after = {"event": ref, "dropped": why}
        audit.record(session, actor.name, "subject.settings.drop", target, kept, after)
    else:
        before = {"event": ref, **view(event_type)}
        for field in ("compatibility", "compatibility_group", "mode"):
            if getattr(held, field) is not None:
                setattr(event_type, field, getattr(held, field))
        after = {"event": ref, **view(event_type)}
        audit.record(session, actor.name, "subject.settings.adopt", target, before, after)
    session.delete(held)
    session.flush()


def view(holder: EventType | SubjectSetting) -> dict[str, str | None]:
    """The Confluent settings of an event type or of a held subject, as audited and exported."""
    return {
        "compatibility": holder.compatibility,
        "compatibility_group": holder.compatibility_group,
        "mode": holder.mode,
    }


def exported(session: Session) -> list[dict[str, str]]:
    """Every subject's held settings, by name, as the native API and ``eventry export`` give
    them: ``{"subject", "compatibility"?, "compatibility_group"?, "mode"?, "team"?}``."""
    found = []
    for held in subject_queries.held_settings(session):
        item = {"subject": held.name, **view(held), "team": held.team}
        found.append({key: value for key, value in item.items() if value is not None})
    return found


def restore(session: Session, actor: Actor, items: list[dict[str, str]]) -> int:
    """Keep the held settings an export gave (admin only), each replacing what the name holds;
    return how many. Raises Forbidden, InvalidInput (a malformed subject, or a level or mode
    unknown), Conflict (a name an event type answers to: its settings are the event type's)."""
    authz.admin(actor, "import subject settings")
    with atomic(session):
        for item in items:
            name, event_type = _named(session, item["subject"])
            if event_type is not None:
                raise Conflict(
                    f"subject {item['subject']!r} names {event_type.domain.slug}."
                    f"{event_type.name}, whose own settings hold for it"
                )
            check_level_and_policy(item.get("compatibility"), None)
            check_fields(
                {key: item[key] for key in ("compatibility_group", "team") if item.get(key)}
            )
            if item.get("mode") is not None:
                modes.parse_mode(item["mode"])
            held = _held(session, name) or SubjectSetting(name=name.key)
            session.add(held)
            before = view(held) if held.id is not None else None
            for field in ("compatibility", "compatibility_group", "mode", "team"):
                setattr(held, field, item.get(field) or None)
            session.flush()
            target = f"subject:{name.key}"
            audit.record(session, actor.name, "subject.settings.import", target, before, view(held))
    return len(items)
