"""AsyncAPI 2.6 and 3.0 documents as Eventry's catalogue, and back (docs/interop.md, AsyncAPI).

Pure: a document's text in, plain values out (``read_catalog``); plain values in, an AsyncAPI
3.0 document out (``write_document``). The services apply and gather them.
"""

from app.core.asyncapi.model import ApiCatalog, Channel, Message, Subscription
from app.core.asyncapi.reading import read_catalog
from app.core.asyncapi.source import load_text
from app.core.asyncapi.writing import write_document

__all__ = [
    "ApiCatalog",
    "Channel",
    "Message",
    "Subscription",
    "load_text",
    "read_catalog",
    "write_document",
]
