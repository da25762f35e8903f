"""Eventry's own notifications are catalogued: the `eventry` domain of
examples/eventry-notifications loads on both databases, passes `eventry check` without a
finding, and its versions are exactly the schemas in schemas/notifications/."""

from __future__ import annotations

import json
from pathlib import Path

from app.cli.main import main
from app.core.access import Actor
from app.core.notifications import NotificationKind
from app.services import catalog
from app.services.catalog_loader import load_catalog

ROOT = Path(__file__).resolve().parents[2]
TREE = ROOT / "examples" / "eventry-notifications"
SCHEMAS = ROOT / "schemas" / "notifications"


def test_every_notification_kind_has_its_schema_and_its_catalogued_event():
    names = sorted(str(kind) for kind in NotificationKind)
    assert sorted(path.name.removesuffix(".schema.json") for path in SCHEMAS.iterdir()) == names
    for name in names:
        catalogued = json.loads((TREE / "eventry" / name / "v1.json").read_text())
        assert catalogued == json.loads((SCHEMAS / f"{name}.schema.json").read_text()), name
        assert catalogued["properties"]["type"] == {
            "const": f"dev.eventry.{name}",
            "description": catalogued["properties"]["type"]["description"],
        }


def test_the_catalogue_checks_clean(runner):
    result = runner.invoke(main, ["check", str(TREE)])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output


def test_the_catalogue_loads_into_the_registry(session):
    load_catalog(session, TREE, Actor.system("test"))
    for kind in NotificationKind:
        event_type = catalog.get_event_type(session, "eventry", str(kind))
        assert (event_type.last_version, event_type.bus.slug) == (1, "eventry-webhooks")
