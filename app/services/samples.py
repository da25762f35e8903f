"""Sample events stored with an event type."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.core import limits
from app.core.access import Actor
from app.core.canonical import CanonicalJSONError, canonical_json
from app.core.errors import AlreadyExists, InvalidInput, NotFound
from app.core.vocabulary import is_sample_name, sample_expects_valid
from app.db.models import Sample
from app.services import audit, authz
from app.services.catalog import get_event_type
from app.services.transaction import atomic


def add_sample(
    session: Session,
    actor: Actor,
    domain: str,
    name: str,
    sample_name: str,
    payload: Any,
) -> Sample:
    """Store a sample event; a name starting with invalid- marks it as expected to fail."""
    if not is_sample_name(sample_name):
        raise InvalidInput(
            f"{sample_name!r} is not a sample name: letters, digits, '.', '_' and '-', "
            "starting with a letter or digit (it is also the sample's file name)"
        )
    expect_valid = sample_expects_valid(sample_name)
    limits.check_event(payload, pointer="/payload")  # before canonical_json recurses into it
    try:
        canonical_json(payload)
    except CanonicalJSONError as error:
        raise InvalidInput(f"the sample is not storable JSON: {error}") from None
    with atomic(session):
        event_type = get_event_type(session, domain, name)
        authz.domain_owner(actor, event_type.domain)
        if any(sample.name == sample_name for sample in event_type.samples):
            raise AlreadyExists(f"{domain}.{name} has a sample named {sample_name!r} already")
        sample = Sample(
            event_type=event_type, name=sample_name, payload=payload, expect_valid=expect_valid
        )
        session.add(sample)
        session.flush()
        target = f"event:{domain}.{name}/samples/{sample.id}"
        after = {"name": sample_name, "expect_valid": expect_valid}
        audit.record(session, actor.name, "sample.create", target, after=after)
    return sample


def delete_sample(session: Session, actor: Actor, domain: str, name: str, sample_id: int) -> None:
    """Delete one sample of an event type."""
    with atomic(session):
        event_type = get_event_type(session, domain, name)
        authz.domain_owner(actor, event_type.domain)
        sample = next((s for s in event_type.samples if s.id == sample_id), None)
        if sample is None:
            raise NotFound(f"{domain}.{name} has no sample {sample_id}")
        before = {"name": sample.name, "expect_valid": sample.expect_valid}
        session.delete(sample)
        target = f"event:{domain}.{name}/samples/{sample_id}"
        audit.record(session, actor.name, "sample.delete", target, before, None)
