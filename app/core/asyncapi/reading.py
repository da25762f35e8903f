"""An AsyncAPI 2.6 or 3.0 document read as channels, messages and subscriptions.

Who sends what (AsyncAPI 2.6, "Channel Item Object"): ``subscribe`` is what the application
*produces* and ``publish`` what it *consumes*; AsyncAPI 3.0 says it plainly with an
operation's ``action``: ``send`` (produces) or ``receive`` (consumes). The application is the
service named by ``info.title`` unless an operation names its own (``x-eventry-service``, as
Eventry's export writes it).
"""

from __future__ import annotations

from typing import Any

from app.core.asyncapi.messages import MessageReader
from app.core.asyncapi.model import ApiCatalog, Channel, Subscription
from app.core.asyncapi.naming import router_of, slug
from app.core.asyncapi.refs import follow, members
from app.core.errors import InvalidInput
from app.core.vocabulary import RouterKind, is_slug

SERVICE = "x-eventry-service"
BUS = "x-eventry-bus"
ROUTER = "x-eventry-router"


def read_catalog(document: dict[str, Any], domain: str) -> ApiCatalog:
    """Read a document (from ``load_text``) for a target domain: one bus per channel (slug
    ``x-eventry-bus``, or the domain and the channel's name), one event type per message.

    Raises InvalidInput (422) naming the pointer of what cannot be read."""
    info, _ = follow(document, document.get("info"), "/info")
    info = info if isinstance(info, dict) else {}
    title = info.get("title") if isinstance(info.get("title"), str) else "asyncapi"
    version = info.get("version") if isinstance(info.get("version"), str) else ""
    reader = _Reader(document, domain, slug(title))
    if document["asyncapi"].startswith("2."):
        reader.read_v2()
    else:
        reader.read_v3()
    messages = reader.messages
    return ApiCatalog(
        title=title,
        version=version,
        channels=list(reader.channels.values()),
        messages=messages.finished(),
        subscriptions=list(dict.fromkeys(reader.subscriptions)),
        warnings=messages.warnings,
    )


class _Reader:
    def __init__(self, document: dict[str, Any], domain: str, service: str) -> None:
        self.document = document
        self.domain = domain
        self.service = service
        self.channels: dict[str, Channel] = {}  # channel pointer → channel
        self.messages = MessageReader(document)
        self.subscriptions: list[Subscription] = []

    def read_v2(self) -> None:
        protocols = self._protocols()
        for key, (channel, where) in members(
            self.document, self.document.get("channels"), "/channels"
        ).items():
            bus = self._channel(key, channel, where, protocols, channel.get("servers"))
            for word, produces in (("subscribe", True), ("publish", False)):
                if channel.get(word) is None:
                    continue
                operation, place = follow(self.document, channel[word], f"{where}/{word}")
                if not isinstance(operation, dict):
                    continue
                events = self._operation_messages_v2(operation, place, bus, key)
                self._act(operation, produces, bus, events)

    def read_v3(self) -> None:
        protocols = self._protocols()
        for key, (channel, where) in members(
            self.document, self.document.get("channels"), "/channels"
        ).items():
            servers = [
                follow(self.document, ref, f"{where}/servers")[1].rsplit("/", 1)[-1]
                for ref in _listed(channel.get("servers"))
            ]
            bus = self._channel(key, channel, where, protocols, servers)
            for name, (message, place) in members(
                self.document, channel.get("messages"), f"{where}/messages"
            ).items():
                self.messages.add(message, place, bus, name)
        for _, (operation, where) in members(
            self.document, self.document.get("operations"), "/operations"
        ).items():
            channel, place = follow(self.document, operation.get("channel"), f"{where}/channel")
            if place not in self.channels:
                raise InvalidInput(
                    "an operation's channel is not one of the document's channels",
                    [{"pointer": f"{where}/channel", "message": "names no channel"}],
                )
            bus = self.channels[place].bus
            refs = operation.get("messages")
            events: list[str] | None = None  # an operation naming no message takes them all
            if isinstance(refs, list) and refs:
                pointers = [follow(self.document, ref, f"{where}/messages")[1] for ref in refs]
                events = [e for e in map(self.messages.event_at, pointers) if e is not None]
            self._act(operation, operation.get("action") == "send", bus, events)

    def _protocols(self) -> dict[str, str]:
        servers = members(self.document, self.document.get("servers"), "/servers")
        return {key: str(server.get("protocol", "")) for key, (server, _) in servers.items()}

    def _channel(
        self, key: str, channel: dict, where: str, protocols: dict[str, str], servers: Any
    ) -> str:
        named = channel.get(BUS)
        bus = named if is_slug(named) else self._unused(slug(key, prefix=self.domain))
        router = channel.get(ROUTER)
        if router not in set(RouterKind):
            listed = [
                protocols[n] for n in _listed(servers) if isinstance(n, str) and n in protocols
            ]
            bindings, _ = follow(self.document, channel.get("bindings"), f"{where}/bindings")
            router = router_of(bindings, listed or list(protocols.values()))
        description = channel.get("description") or channel.get("summary") or ""
        self.channels[where] = Channel(bus, RouterKind(router), str(description)[:2000])
        return bus

    def _unused(self, bus: str) -> str:
        # Long channel names cut to the same 63 characters still make two buses.
        taken = {channel.bus for channel in self.channels.values()}
        made, number = bus, 2
        while made in taken:
            made, number = f"{bus[: 60 - len(str(number))].rstrip('-')}-{number}", number + 1
        return made

    def _operation_messages_v2(self, operation: dict, where: str, bus: str, key: str) -> list[str]:
        message, place = follow(self.document, operation.get("message"), f"{where}/message")
        if not isinstance(message, dict):
            return []
        if isinstance(message.get("oneOf"), list):
            found = [
                follow(self.document, item, f"{place}/oneOf/{index}")
                for index, item in enumerate(message["oneOf"])
            ]
        else:
            found = [(message, place)]
        events = [
            self.messages.add(item, at, bus, None, key)
            for item, at in found
            if isinstance(item, dict)
        ]
        return [event for event in events if event]

    def _act(self, operation: dict, produces: bool, bus: str, events: list[str] | None) -> None:
        service = operation.get(SERVICE)
        service = service if is_slug(service) else self.service
        if events is None and not produces:
            self.subscriptions.append(Subscription(service, bus, None))  # every message
            return
        for event in self.messages.on_bus(bus) if events is None else events:
            if produces:
                self.messages.produced_by(event, service)
            else:
                self.subscriptions.append(Subscription(service, bus, event))


def _listed(value: Any) -> list[Any]:
    # A document is read before anyone checked it against AsyncAPI's schema: a list may be
    # anything.
    return value if isinstance(value, list) else []
