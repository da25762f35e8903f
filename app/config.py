"""Settings, read from the environment when the app is created, never at import time."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from app.core.limits import SETTINGS as LIMIT_SETTINGS
from app.core.limits import Limits
from app.core.schema import Dialect, parse_dialect
from app.core.schema.dialects import DEFAULT_DIALECT_SETTING
from app.core.vocabulary import is_digits, is_slug
from app.core.words import plural

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "instance" / "eventry.db"
# The top-level schemas/, migrations/, examples/catalog/ and examples/eventry-notifications/
# reach the package through links in app/, so that an installed wheel carries them too (see
# pyproject.toml's package data).
PACKAGE_DIR = Path(__file__).parent
SCHEMAS = PACKAGE_DIR / "schemas"
MIGRATIONS = PACKAGE_DIR / "migrations"
DEMO_CATALOG = PACKAGE_DIR / "demo_catalog"
# Eventry's own change notifications as a catalogue tree: the domain `eventry` (docs/interop.md).
NOTIFICATION_CATALOG = PACKAGE_DIR / "notification_catalog"


class ConfigError(ValueError):
    """A setting has a value Eventry cannot use."""


@dataclass(frozen=True)
class Settings:
    """Everything Eventry can be configured with; see the README's configuration table."""

    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    # A read replica (docs/operations.md, "Read replicas"): reads go there, writes never do.
    database_read_url: str | None = None
    read_your_writes_s: int = 5  # after a write, the writer's reads go to the primary this long
    replica_max_lag_s: int = 30  # a replica further behind than this is not read from
    admin_token: str | None = None
    demo: bool = True
    read_auth: str = "open"
    max_body_bytes: int = 1024 * 1024
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    router_prices: dict | None = None
    default_dialect: Dialect = Dialect.DRAFT7
    # The longest a request waits on the database (busy wait, pool, statement) before its 503.
    db_timeout_ms: int = 1000
    # Bounds on each request's input and work, one variable each (app/core/limits.py).
    limits: Limits = field(default_factory=Limits)
    # Abuse limits (app/ratelimit.py): requests per window, 0 switches a limit off.
    redis_url: str | None = None
    rate_limit_writes: int = 600
    rate_limit_expensive: int = 120
    rate_limit_window: int = 60  # seconds; only tests shorten it (no environment variable)
    trusted_proxies: int = 0
    # Where /ccompat puts the event type of a subject nothing is bound to yet: this domain
    # (created on first use) and, when set and existing, this bus (docs/confluent-compat.md).
    ccompat_domain: str = "unassigned"
    ccompat_bus: str | None = None
    # Change notifications (docs/interop.md, "Change notifications"): the delivery worker runs
    # in each app process when on; webhook URLs must reach public addresses unless allowed.
    webhooks: bool = False
    webhooks_allow_private: bool = False
    webhooks_timeout_ms: int = 5000
    webhooks_max_attempts: int = 10
    webhooks_retry_ms: int = 5000  # the wait after the first failed attempt; doubled each time
    webhooks_retry_max_ms: int = 3_600_000  # the longest wait between two attempts
    webhooks_poll_ms: int = 1000  # how often an idle worker looks for due deliveries
    # Days a sent (delivered or failed) notification stays in the outbox and delivery log.
    webhooks_keep_days: int = 30
    # The web UI's sign-in (docs/security.md, "Sessions"): the key that signs session cookies
    # (unset: a random one stored in the database, shared by every process), how long a
    # session lasts, and whether its cookie is Secure even on a plain-HTTP request.
    secret_key: str | None = None
    session_hours: int = 8
    secure_cookies: bool = False
    # Stored analyses (app.services.analysis_store): stale event types a read analyses itself
    # (more: it serves their older findings and says so), and whether each process refreshes
    # stale ones in a background thread (off: only `eventry analyse` does).
    analysis_inline: int = 25
    analysis_refresh: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from environment variables (``os.environ`` by default)."""
        env = os.environ if environ is None else environ
        base = cls()
        database_url = env.get("DATABASE_URL") or base.database_url
        # The demo seeds a laptop's default SQLite file; a database named by DATABASE_URL (a
        # shared PostgreSQL, most likely) gets it only when EVENTRY_DEMO=1 asks for it.
        demo_default = "1" if database_url == base.database_url else "0"
        return cls(
            database_url=database_url,
            database_read_url=_read_url(env.get("DATABASE_READ_URL"), database_url),
            admin_token=env.get("EVENTRY_ADMIN_TOKEN") or None,
            demo=_flag(env.get("EVENTRY_DEMO") or demo_default, "EVENTRY_DEMO"),
            read_auth=_choice(env.get("EVENTRY_READ_AUTH", "open"), "EVENTRY_READ_AUTH"),
            max_body_bytes=_positive_int(
                env.get("EVENTRY_MAX_BODY_BYTES"), base.max_body_bytes, "EVENTRY_MAX_BODY_BYTES"
            ),
            host=env.get("HOST") or base.host,
            port=_positive_int(env.get("PORT"), base.port, "PORT"),
            workers=_positive_int(env.get("WORKERS"), base.workers, "WORKERS"),
            router_prices=_json_file(env.get("EVENTRY_ROUTER_PRICES"), "EVENTRY_ROUTER_PRICES"),
            default_dialect=_dialect(env.get(DEFAULT_DIALECT_SETTING), DEFAULT_DIALECT_SETTING),
            db_timeout_ms=_positive_int(
                env.get("EVENTRY_DB_TIMEOUT_MS"), base.db_timeout_ms, "EVENTRY_DB_TIMEOUT_MS"
            ),
            limits=_limits(env),
            redis_url=_redis_url(env.get("EVENTRY_REDIS_URL"), "EVENTRY_REDIS_URL"),
            ccompat_domain=_slug(env.get("EVENTRY_CCOMPAT_DOMAIN"), base.ccompat_domain),
            ccompat_bus=_slug(env.get("EVENTRY_CCOMPAT_BUS"), None) or None,
            webhooks=_flag(env.get("EVENTRY_WEBHOOKS") or "0", "EVENTRY_WEBHOOKS"),
            webhooks_allow_private=_flag(
                env.get("EVENTRY_WEBHOOKS_ALLOW_PRIVATE") or "0", "EVENTRY_WEBHOOKS_ALLOW_PRIVATE"
            ),
            secret_key=_secret_key(env.get("EVENTRY_SECRET_KEY")),
            secure_cookies=_flag(
                env.get("EVENTRY_SECURE_COOKIES") or "0", "EVENTRY_SECURE_COOKIES"
            ),
            analysis_refresh=_flag(
                env.get("EVENTRY_ANALYSIS_REFRESH") or "1", "EVENTRY_ANALYSIS_REFRESH"
            ),
            **_positive_ints(
                env,
                session_hours="EVENTRY_SESSION_HOURS",
                webhooks_timeout_ms="EVENTRY_WEBHOOKS_TIMEOUT_MS",
                webhooks_max_attempts="EVENTRY_WEBHOOKS_MAX_ATTEMPTS",
                webhooks_retry_ms="EVENTRY_WEBHOOKS_RETRY_MS",
                webhooks_retry_max_ms="EVENTRY_WEBHOOKS_RETRY_MAX_MS",
                webhooks_poll_ms="EVENTRY_WEBHOOKS_POLL_MS",
                webhooks_keep_days="EVENTRY_WEBHOOKS_KEEP_DAYS",
            ),
            **_counts(
                env,
                rate_limit_writes="EVENTRY_RATE_LIMIT_WRITES",
                rate_limit_expensive="EVENTRY_RATE_LIMIT_EXPENSIVE",
                trusted_proxies="EVENTRY_TRUSTED_PROXIES",
                read_your_writes_s="EVENTRY_READ_YOUR_WRITES_S",
                replica_max_lag_s="EVENTRY_REPLICA_MAX_LAG_S",
                analysis_inline="EVENTRY_ANALYSIS_INLINE",
            ),
        )

    def with_overrides(self, overrides: Mapping[str, object]) -> Settings:
        """Return a copy with the given fields replaced (unknown names are an error)."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ConfigError(f"unknown {plural('setting', len(unknown))}: {', '.join(unknown)}")
        return replace(self, **overrides)


def _read_url(value: str | None, database_url: str) -> str | None:
    # A replica holds a copy of the primary, so it is the same kind of database.
    if not value:
        return None
    kind, primary = (url.partition(":")[0].partition("+")[0] for url in (value, database_url))
    if kind != primary:
        raise ConfigError(
            f"DATABASE_READ_URL must name a replica of DATABASE_URL's database: a {primary} "
            f"database, not {kind or 'this'}"
        )
    return value


# A shorter key could be guessed offline from one signed cookie (Flask's docs ask for 24 or
# more random bytes; 32 characters is what `python -c 'import secrets;print(secrets.token_hex())'`
# gives twice over).
MIN_SECRET_KEY = 32


def _secret_key(value: str | None) -> str | None:
    if not value:
        return None
    if len(value) < MIN_SECRET_KEY:
        raise ConfigError(
            f"EVENTRY_SECRET_KEY must be at least {MIN_SECRET_KEY} characters (got "
            f"{len(value)}); make one with: python -c 'import secrets; print(secrets.token_hex())'"
        )
    return value


def _slug(value: str | None, default: str | None) -> str | None:
    if not value:
        return default
    if not is_slug(value):
        raise ConfigError(f"{value!r} is not a slug (lowercase letters, digits and hyphens)")
    return value


def _json_file(path: str | None, name: str) -> dict | None:
    if not path:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"{name}: cannot read a JSON object from {path}: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{name}: {path} must hold a JSON object keyed by router kind")
    return data


def _limits(env: Mapping[str, str]) -> Limits:
    base = Limits()
    values = {
        field: _positive_int(env.get(name), getattr(base, field), name)
        for field, name in LIMIT_SETTINGS.items()
    }
    try:
        return Limits(**values)
    except ValueError as error:  # a value Limits itself refuses (integer digits over 4300)
        raise ConfigError(str(error)) from None


def _dialect(value: str | None, name: str) -> Dialect:
    # The dialect of a schema without $schema; create_app hands it to the core
    # (configure_default), and a bad value is refused here, at start-up.
    if not value:
        return Dialect.DRAFT7
    try:
        return parse_dialect(value)
    except ValueError as error:
        raise ConfigError(f"{name}: {error}") from None


def _flag(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{name} must be 1 or 0 (got {value!r})")


def _choice(value: str, name: str) -> str:
    if value not in {"open", "token"}:
        raise ConfigError(f"{name} must be 'open' or 'token' (got {value!r})")
    return value


def _positive_int(value: str | None, default: int, name: str) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number (got {value!r})") from None
    if number <= 0:
        raise ConfigError(f"{name} must be greater than 0 (got {value!r})")
    return number


def _redis_url(value: str | None, name: str) -> str | None:
    if not value:
        return None
    if not value.startswith(("redis://", "rediss://", "redis+unix://")):
        raise ConfigError(f"{name} must be a redis://, rediss:// or redis+unix:// URL")
    return value


def _positive_ints(env: Mapping[str, str], **names: str) -> dict[str, int]:
    """Whole numbers above 0, by field name from their variables (unset: the default)."""
    base = Settings()
    return {
        field_name: _positive_int(env.get(name), getattr(base, field_name), name)
        for field_name, name in names.items()
    }


def _counts(env: Mapping[str, str], **names: str) -> dict[str, int]:
    """Whole numbers of 0 or more, by field name from their variables (unset: the default)."""
    base = Settings()
    counts = {}
    for field_name, name in names.items():
        value = env.get(name)
        if value is None or value == "":
            counts[field_name] = getattr(base, field_name)
        elif is_digits(value.strip()):
            counts[field_name] = int(value)
        else:
            raise ConfigError(f"{name} must be a whole number, 0 or more (got {value!r})")
    return counts
