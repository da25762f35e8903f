"""What the registry must still hold after a fault: the invariants of the steady state.

- versions gapless: each event type's versions (soft-deleted ones too) are numbered 1..n;
- the audit log matches: exactly one ``version.register`` entry per version number;
- no data lost: every registration acknowledged with a 201 is there, under the number and with
  the content (fingerprint) the answer gave.

A registration that got no answer may or may not have been stored; either is fine, so long as
the numbers stay gapless and audited.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict

from chaos.client import Client


class Ledger:
    """The registrations the load saw acknowledged, and the checks over what the API shows."""

    def __init__(self, domain: str, events: dict[str, str]) -> None:
        self.domain = domain
        self.events = events  # event type name -> compatibility level
        self._acknowledged: dict[str, dict[int, str]] = defaultdict(dict)
        self._uncertain: Counter[str] = Counter()
        self._lock = threading.Lock()

    def acknowledged(self, name: str, version: dict) -> None:
        """Note a 201's version (its number and fingerprint)."""
        with self._lock:
            self._acknowledged[name][version["version"]] = version["fingerprint"]

    def uncertain(self, name: str) -> None:
        """Note a registration that got no answer."""
        with self._lock:
            self._uncertain[name] += 1

    @property
    def writes(self) -> int:
        """How many registrations were acknowledged so far."""
        with self._lock:
            return sum(len(numbers) for numbers in self._acknowledged.values())

    @property
    def cut(self) -> int:
        """How many registrations got no answer (stored or not: the ledger cannot tell)."""
        with self._lock:
            return sum(self._uncertain.values())

    def arrange(self, client: Client, base: dict) -> None:
        """Create the team, domain, bus and event types the load writes to, with their levels
        and a first version (what exists already is left as it is)."""
        domain = self.domain
        for path, body in [
            ("/api/v1/teams", {"slug": domain, "name": "Chaos experiments"}),
            ("/api/v1/domains", {"slug": domain, "name": "Chaos", "owner": domain}),
            ("/api/v1/buses", {"slug": domain, "domain": domain, "router": "kafka"}),
        ]:
            _created_or_there(client, "POST", path, body)
        for name, level in self.events.items():
            event = {"domain": domain, "name": name, "bus": domain, "producer": "chaos"}
            _created_or_there(client, "POST", "/api/v1/events", event)
            path = f"/api/v1/events/{domain}/{name}"
            _created_or_there(client, "PUT", f"{path}/config", {"compatibility": level})
            _created_or_there(client, "POST", f"{path}/versions", {"schema": base})

    def check(self, client: Client) -> list[str]:
        """Every broken invariant, one line each (empty when all hold)."""
        problems: list[str] = []
        for name in self.events:
            problems += self._check_event(client, name)
        return problems

    def _check_event(self, client: Client, name: str) -> list[str]:
        where = f"{self.domain}.{name}"
        versions = client.pages(f"/api/v1/events/{self.domain}/{name}/versions?deleted=true")
        numbers = sorted(v["version"] for v in versions)
        problems = []
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"{where}: versions not numbered 1..n: {_gaps(numbers)}")
        target = f"event:{where}/versions/"
        entries = client.pages(f"/api/v1/audit?action=version.register&target={target}")
        audited = Counter(int(e["target"].rsplit("/", 1)[1]) for e in entries)
        if sorted(audited.elements()) != numbers:
            twice = sorted(n for n, count in audited.items() if count > 1)
            missing = sorted(set(numbers) - set(audited))
            extra = sorted(set(audited) - set(numbers))
            problems.append(
                f"{where}: audit log does not match the versions (audited twice {twice}, "
                f"not audited {missing}, audited but absent {extra})"
            )
        stored = {v["version"]: v["fingerprint"] for v in versions}
        with self._lock:
            acknowledged = dict(self._acknowledged[name])
        lost = sorted(n for n, f in acknowledged.items() if stored.get(n) != f)
        if lost:
            problems.append(f"{where}: acknowledged versions lost or changed: {lost[:10]}")
        return problems


def _created_or_there(client: Client, method: str, path: str, body: dict) -> None:
    answer = client.call(method, path, body)
    if answer.status not in (200, 201, 409):
        raise RuntimeError(f"{method} {path}: {answer.status} {answer.body[:300]!r}")


def _gaps(numbers: list[int]) -> str:
    duplicates = sorted(n for n, count in Counter(numbers).items() if count > 1)
    missing = sorted(set(range(1, max(numbers, default=0) + 1)) - set(numbers))
    return f"missing {missing[:10]}, duplicated {duplicates[:10]}"
