"""Every table of the registry, as typed SQLAlchemy 2.0 models."""

from app.db.base import Base
from app.db.models.analyses import EventAnalysis, StoredFinding, StoredReception
from app.db.models.audit import AuditEntry, Setting
from app.db.models.catalog import Bus, Consumer, Domain, EventType, Subject, SubjectSetting
from app.db.models.schemas import FieldEntry, Sample, Schema, SchemaReference, SchemaVersion
from app.db.models.teams import ApiToken, EndedSession, Team
from app.db.models.webhooks import OutboxEntry, Webhook, WebhookDelivery

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Base",
    "Bus",
    "Consumer",
    "Domain",
    "EndedSession",
    "EventAnalysis",
    "EventType",
    "FieldEntry",
    "OutboxEntry",
    "Sample",
    "Schema",
    "SchemaReference",
    "SchemaVersion",
    "Setting",
    "StoredFinding",
    "StoredReception",
    "Subject",
    "SubjectSetting",
    "Team",
    "Webhook",
    "WebhookDelivery",
]
