"""docs/security.md lists every limit and setting with the default the code has: a limit added
to app/core/limits.py or a setting to app/config.py without its row fails here."""

import re
from pathlib import Path

from app.config import Settings
from app.core.limits import SETTINGS, Limits

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
# The settings of the table that are not Limits fields: their Settings field.
OTHERS = {
    "EVENTRY_MAX_BODY_BYTES": "max_body_bytes",
    "EVENTRY_RATE_LIMIT_WRITES": "rate_limit_writes",
    "EVENTRY_RATE_LIMIT_EXPENSIVE": "rate_limit_expensive",
    "EVENTRY_DB_TIMEOUT_MS": "db_timeout_ms",
    "EVENTRY_READ_AUTH": "read_auth",
    "EVENTRY_REDIS_URL": "redis_url",
    "EVENTRY_TRUSTED_PROXIES": "trusted_proxies",
    "EVENTRY_SESSION_HOURS": "session_hours",
}


def table() -> dict[str, str]:
    """Setting -> its default cell, from the rows of the limits table."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Limits and their settings", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1].startswith("`EVENTRY_"):
            rows[cells[1].strip("`")] = cells[2]
    return rows


def first_number(cell: str) -> int:
    return int(re.search(r"[\d,]+", cell).group().replace(",", ""))


def test_every_limit_is_in_the_table_with_its_default():
    rows, defaults = table(), Limits()
    for field, setting in SETTINGS.items():
        assert setting in rows, f"docs/security.md has no row for {setting}"
        assert first_number(rows[setting]) == getattr(defaults, field), setting


def test_every_other_bound_is_in_the_table_with_its_default():
    rows, defaults = table(), Settings()
    assert set(rows) == set(SETTINGS.values()) | set(OTHERS)
    for setting, field in OTHERS.items():
        value = getattr(defaults, field)
        if isinstance(value, int):
            assert first_number(rows[setting]) == value, setting
        elif isinstance(value, str):
            assert f"`{value}`" in rows[setting], setting
