"""PostgreSQL stopped and started again, or frozen (SIGSTOP) and resumed, under live traffic,
against a real `gunicorn wsgi:app`: every endpoint answers 503 with Retry-After within 2 s while
the server is down or silent (or does not need the database at all), and the same worker
processes answer 200 again once it is back."""

from __future__ import annotations

import json
import threading
import time

import psycopg
import pytest
from click.testing import CliRunner
from flask import g
from sqlalchemy.exc import OperationalError

from app import create_app
from app.cli.main import main
from app.db import migrate
from app.services import database

BUDGET_S = 2.0  # what one request may take while the database is down
SLUG, EVENT = "faults", "ThingHappened"
EVENT_PATH = f"/api/v1/events/{SLUG}/{EVENT}"
SCHEMA = {"type": "object", "properties": {"id": {"type": "string"}}}
# Values for every URL argument of the app's routes; a new argument name fails the test below
# until it gets a value here, so every route keeps being tried.
ARGUMENTS = {
    "team": SLUG,
    "domain": SLUG,
    "bus": SLUG,
    "slug": SLUG,
    "name": EVENT,
    "number": "1",
    "token_id": 1,
    "sample_id": 1,
    "consumer_id": 1,
    "schema_id": 1,
    "filename": "no-such-file.css",
    "language": "python",
    "subject": f"{SLUG}-value",
    "version": "latest",
    "guid": "00000000-0000-4000-8000-000000000000",
    "namespace": "-",
    "rest": "resources",
    "anything": "no-such-path",
    "field": "id",
    "webhook_id": 1,
}
# What must answer 503 while the database is down: reads and writes of the API and the UI.
NEED_THE_DATABASE = [
    ("GET", "/readyz", None),
    ("GET", "/api/v1/teams", None),
    ("POST", "/api/v1/teams", {"slug": "another", "name": "Another"}),
    ("GET", EVENT_PATH, None),
    ("PUT", f"{EVENT_PATH}/config", {"compatibility": "FULL"}),
    ("POST", f"{EVENT_PATH}/versions", {"schema": {"type": "object"}}),
    ("POST", f"{EVENT_PATH}/validate", {"events": [{"id": "1"}]}),
    ("GET", "/", None),
    ("GET", f"/events/{SLUG}/{EVENT}", None),
    ("GET", "/teams", None),
]
STEADY = [
    ("GET", "/readyz", None),
    ("GET", "/api/v1/teams", None),
    ("GET", EVENT_PATH, None),
    # The hot reads, on each worker's own connection (app.db.direct) made before the fault.
    ("GET", f"{EVENT_PATH}/versions/1", None),
    ("GET", "/api/v1/schemas/1", None),
    ("PUT", f"{EVENT_PATH}/config", {"compatibility": "BACKWARD"}),
    ("GET", "/", None),
]


@pytest.fixture
def served(private_postgres, serve):
    """gunicorn on a migrated database of the private cluster, with one event registered."""
    url = private_postgres.create_database()
    migrate.upgrade(url)
    server = serve(url)
    server.wait_until("/readyz", 200)
    for path, body in [
        ("/api/v1/teams", {"slug": SLUG, "name": "Faults"}),
        ("/api/v1/domains", {"slug": SLUG, "name": "Faults", "owner": SLUG}),
        ("/api/v1/buses", {"slug": SLUG, "domain": SLUG, "router": "kafka"}),
        ("/api/v1/events", {"domain": SLUG, "name": EVENT, "bus": SLUG, "producer": "svc"}),
        (f"{EVENT_PATH}/versions", {"schema": SCHEMA}),
    ]:
        answer = server.call("POST", path, body)
        assert answer.status == 201, answer.body
    return server, url


class Traffic(threading.Thread):
    """Reads and writes sent one after another for as long as the test runs."""

    def __init__(self, server) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.answers: list[tuple[str, int, float, bool]] = []
        self.failures: list[str] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for method, path, body in STEADY:
                try:
                    answer = self.server.call(method, path, body)
                except OSError as error:  # a dropped connection is a failure, never an answer
                    self.failures.append(f"{method} {path}: {error!r}")
                    continue
                retry = "retry-after" in answer.headers
                self.answers.append((path, answer.status, answer.seconds, retry))
            time.sleep(0.02)

    def __enter__(self) -> Traffic:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.done.set()
        self.join(timeout=60)


def every_route(tmp_path) -> list[tuple[str, str, dict]]:
    """Every (method, path) the app serves, with the URL arguments filled in."""
    app = create_app({"database_url": f"sqlite:///{tmp_path / 'routes.db'}", "demo": False})
    app.extensions["eventry"].engine.dispose()
    urls = app.url_map.bind("localhost")
    routes = []
    for rule in app.url_map.iter_rules():
        missing = set(rule.arguments) - set(ARGUMENTS)
        assert not missing, f"give {sorted(missing)} a value in ARGUMENTS to try {rule.rule}"
        values = {name: ARGUMENTS[name] for name in rule.arguments}
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append((method, urls.build(rule.endpoint, values, method=method), {}))
    return routes


def assert_unavailable(method: str, path: str, answer) -> None:
    """A 503 in time, with Retry-After, as problem+json on machine paths and HTML in the UI."""
    where = f"{method} {path}: {answer.status} in {answer.seconds:.2f} s"
    assert answer.status == 503, f"{where}: {answer.body[:300]!r}"
    assert answer.seconds < BUDGET_S, where
    assert int(answer.headers["retry-after"]) > 0, where
    if path.startswith("/ccompat/"):  # Confluent's clients read its own error shape
        assert answer.mimetype == "application/vnd.schemaregistry.v1+json", where
        assert json.loads(answer.body)["error_code"] == 50002, where
        return
    machine = path.startswith(("/api/", "/readyz"))
    assert answer.mimetype == ("application/problem+json" if machine else "text/html"), where


def test_a_stopped_postgres_answers_503_in_time_and_the_same_processes_heal(
    served, private_postgres, tmp_path
):
    server, url = served
    booted = server.workers_booted()
    for method, path, body in STEADY:
        assert server.call(method, path, body).status == 200, path

    with Traffic(server) as traffic:
        time.sleep(0.3)
        private_postgres.stop()
        try:
            during = _try_everything(server, tmp_path)
            cli = CliRunner().invoke(
                main, ["token", "create", "--admin"], env={"DATABASE_URL": url}
            )
        finally:
            private_postgres.start()
        server.wait_until("/api/v1/teams", 200, seconds=10)
        time.sleep(0.3)

    _assert_in_time(during)
    assert cli.exit_code == 1 and "the database is not reachable" in cli.output, cli.output
    _assert_traffic_healed(traffic)
    _assert_healed(server, booted)


def test_a_frozen_postgres_answers_503_in_time_and_the_same_processes_heal(
    served, private_postgres, tmp_path
):
    # SIGSTOPped, the server's kernel still accepts connections and acks every packet, so only
    # the client's own deadline (app.db.deadline) ends a wait for it.
    server, _url = served
    booted = server.workers_booted()
    with Traffic(server) as traffic:
        time.sleep(0.3)
        private_postgres.freeze()
        try:
            during = _try_everything(server, tmp_path)
        finally:
            private_postgres.thaw()
        server.wait_until("/api/v1/teams", 200, seconds=10)
        time.sleep(0.3)

    _assert_in_time(during)
    _assert_traffic_healed(traffic)
    _assert_healed(server, booted)
    # Nothing half-written: the writes refused while the server was frozen left nothing behind.
    teams = json.loads(server.call("GET", "/api/v1/teams").body)["items"]
    assert [team["slug"] for team in teams] == [SLUG]
    versions = json.loads(server.call("GET", f"{EVENT_PATH}/versions").body)["items"]
    assert [version["version"] for version in versions] == [1]


def _assert_in_time(during: list) -> None:
    for method, path, answer in during:
        assert answer.seconds < BUDGET_S, f"{method} {path} took {answer.seconds:.2f} s"
        assert answer.status < 500 or answer.status == 503, f"{method} {path}: {answer.status}"
        if answer.status == 503:
            assert_unavailable(method, path, answer)


def _assert_healed(server, booted: int) -> None:
    for method, path, body in STEADY:
        assert server.call(method, path, body).status == 200, path
    assert server.process.poll() is None
    assert server.workers_booted() == booted, "a worker was replaced instead of healing"


def _try_everything(server, tmp_path) -> list:
    answers = []
    for method, path, body in NEED_THE_DATABASE:
        answer = server.call(method, path, body)
        assert_unavailable(method, path, answer)
        answers.append((method, path, answer))
    for method, path, body in every_route(tmp_path):
        answers.append((method, path, server.call(method, path, body)))
    assert server.call("GET", "/healthz").status == 200  # the process lives: no restart is due
    return answers


def _assert_traffic_healed(traffic: Traffic) -> None:
    assert not traffic.failures, traffic.failures[:5]
    statuses = [status for _path, status, _seconds, _retry in traffic.answers]
    assert set(statuses) <= {200, 503}, sorted(set(statuses))
    assert 503 in statuses and statuses[-1] == 200, statuses
    slow = [a for a in traffic.answers if a[1] == 503 and a[2] >= BUDGET_S]
    assert not slow, slow[:5]
    assert all(retry for _path, status, _seconds, retry in traffic.answers if status == 503)


def test_a_statement_that_outlasts_the_budget_is_cancelled_as_unavailable(private_postgres):
    url = private_postgres.create_database()
    served, command = database.open_engine(url, 500), database.open_engine(url)
    try:
        with command.connect() as connection:  # commands and migrations keep no such bound
            assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "0"
        started = time.monotonic()
        with pytest.raises(OperationalError) as caught, served.connect() as connection:
            connection.exec_driver_sql("SELECT pg_sleep(5)")
        assert time.monotonic() - started < BUDGET_S
    finally:
        served.dispose()
        command.dispose()
    unavailable = database.unavailable_of(caught.value)
    assert unavailable is not None and unavailable.extensions["fault"] == "slow"


def test_a_frozen_server_is_given_up_on_at_the_deadline_on_pooled_and_new_connections(
    private_postgres,
):
    url = private_postgres.create_database()
    served = database.open_engine(url, 500)
    with served.connect() as connection:  # one connection in the pool, pinged on checkout
        connection.exec_driver_sql("SELECT 1")
    faults, took = [], []
    private_postgres.freeze()
    try:
        for _attempt in range(2):  # the pooled connection's ping, then a new connection
            started = time.monotonic()
            with pytest.raises(OperationalError) as caught, served.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            took.append(time.monotonic() - started)
            faults.append(database.unavailable_of(caught.value).extensions["fault"])
    finally:
        private_postgres.thaw()
    try:
        with served.connect() as connection:  # the same engine serves once the server resumes
            assert connection.exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        served.dispose()
    assert faults == ["unreachable", "unreachable"]
    assert all(seconds < BUDGET_S for seconds in took), took


def test_a_read_only_postgres_is_not_ready_and_refuses_writes_with_503(private_postgres):
    url = private_postgres.create_database()
    migrate.upgrade(url)
    admin = database.open_engine(url)
    with admin.connect() as connection:  # as on a standby, or a database an operator froze
        database_name = connection.exec_driver_sql("SELECT current_database()").scalar()
        connection.exec_driver_sql(
            f'ALTER DATABASE "{database_name}" SET default_transaction_read_only = on'
        )
        connection.commit()
    admin.dispose()
    app = create_app({"database_url": url, "admin_token": "evt_ro", "demo": False})
    client = app.test_client()
    try:
        ready = client.get("/readyz")
        write = client.post(
            "/api/v1/teams",
            json={"slug": "a", "name": "A"},
            headers={"Authorization": "Bearer evt_ro"},
        )
        read = client.get("/api/v1/teams")
    finally:
        app.extensions["eventry"].engine.dispose()
    assert ready.status_code == 503 and "cannot take writes" in ready.json["detail"]
    assert ready.headers["Retry-After"] == "5"
    assert write.status_code == 503 and write.json["fault"] == "read-only"
    assert write.headers["Retry-After"] == "30"
    assert read.status_code == 200


def test_a_connection_dropped_after_the_answer_was_built_keeps_the_answer(private_postgres):
    # A restart or failover can end a request's connection between its answer and the session's
    # close; the close's rollback then fails. The answer stands (it was a 500 from gunicorn).
    url = private_postgres.create_database()
    migrate.upgrade(url)
    app = create_app({"database_url": url, "admin_token": "evt_drop", "demo": False})
    ended = []

    @app.after_request
    def end_the_connection(response):
        pid = g.db_session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
        with psycopg.connect(plain, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        ended.append(pid)
        return response

    client = app.test_client()
    try:
        first, second = client.get("/api/v1/teams"), client.get("/api/v1/teams")
    finally:
        app.extensions["eventry"].engine.dispose()
    assert len(ended) == 2 and ended[0] != ended[1]  # the pool replaced the dropped one
    assert first.status_code == 200 and first.json == {"items": [], "next": None}
    assert second.status_code == 200
