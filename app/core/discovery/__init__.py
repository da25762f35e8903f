"""Schema discovery from raw events, as EventBridge's schema discoverer does (without its cap).

Pure: no Flask, no database. ``envelopes`` finds each raw event's type and payload (EventBridge,
CloudEvents or plain JSON); ``inference`` merges every payload of a type into one JSON Schema
(genson), keeping counts, never the events, and refines it (formats, field frequencies, enums).
"""

from app.core.discovery.envelopes import Envelope, NotAnEvent, Raw, event_name, unwrap
from app.core.discovery.inference import Inference, OptionalField, Room
from app.core.discovery.proposal import Proposal

__all__ = [
    "Envelope",
    "Inference",
    "NotAnEvent",
    "OptionalField",
    "Proposal",
    "Raw",
    "Room",
    "event_name",
    "unwrap",
]
