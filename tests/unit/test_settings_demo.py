"""Where the demo catalogue goes by default: only into the laptop's default SQLite file."""

from __future__ import annotations

import pytest

from app.config import ConfigError, Settings

POSTGRES = "postgresql+psycopg://eventry@db.internal:5432/eventry"


@pytest.mark.parametrize(
    ("environment", "demo"),
    [
        ({}, True),
        ({"EVENTRY_DEMO": "0"}, False),
        ({"DATABASE_URL": POSTGRES}, False),
        ({"DATABASE_URL": "sqlite:////srv/eventry/registry.db"}, False),
        ({"DATABASE_URL": POSTGRES, "EVENTRY_DEMO": "1"}, True),
        ({"DATABASE_URL": POSTGRES, "EVENTRY_DEMO": ""}, False),
    ],
)
def test_the_demo_loads_by_default_only_into_the_default_database(environment, demo):
    assert Settings.from_env(environment).demo is demo


def test_a_demo_flag_that_is_neither_is_refused():
    with pytest.raises(ConfigError, match="EVENTRY_DEMO"):
        Settings.from_env({"DATABASE_URL": POSTGRES, "EVENTRY_DEMO": "maybe"})
