"""The operator commands of `eventry`: database, loading a tree, tokens."""

import json
from pathlib import Path

from sqlalchemy import select

from app.cli.main import main
from app.db.engine import make_engine, make_session_factory
from app.db.models import EventType
from app.services.tokens import authenticate

TREE = {
    "registry.yaml": "teams: [{slug: checkout, name: Checkout}]\n",
    "orders/domain.yaml": "name: Orders\nowner: checkout\n"
    "buses: [{slug: orders-events, router: sns}]\n",
    "orders/OrderPlaced/event.yaml": "bus: orders-events\n",
    "orders/OrderPlaced/v1.json": json.dumps({"type": "object"}),
    "orders/OrderPlaced/samples/empty.json": "{}",
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for relative, content in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(content, encoding="utf-8")
    return root


def event_names(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return list(session.scalars(select(EventType.name)))
    finally:
        engine.dispose()


def test_db_upgrade_migrates_an_empty_database(runner, empty_database_url):
    result = runner.invoke(main, ["db", "upgrade"], env={"DATABASE_URL": empty_database_url})
    assert result.exit_code == 0, result.output
    assert "Database is at head" in result.output
    assert event_names(empty_database_url) == []


def test_load_stores_a_tree_and_a_second_load_changes_nothing(runner, database_url, tmp_path):
    tree = write_tree(tmp_path, TREE)
    first = runner.invoke(main, ["load", str(tree)])
    second = runner.invoke(main, ["load", str(tree)])
    assert first.exit_code == 0, first.output
    assert "1 teams, 1 domains, 1 buses, 1 event types, 1 versions, 1 samples" in first.output
    assert second.exit_code == 0 and "nothing new" in second.output
    assert event_names(database_url) == ["OrderPlaced"]


def test_load_of_a_broken_tree_lists_every_problem_and_stores_nothing(
    runner, database_url, tmp_path
):
    tree = write_tree(
        tmp_path, {**TREE, "orders/OrderPlaced/v2.json": "{", "orders/Bad Name/event.yaml": "{}"}
    )
    result = runner.invoke(main, ["load", str(tree)])
    assert result.exit_code == 1
    assert "2 problems" in result.output
    assert "orders/OrderPlaced/v2.json: not valid JSON" in result.output
    assert "orders/Bad Name" in result.output
    assert event_names(database_url) == []


def test_token_create_prints_a_secret_that_authenticates(runner, database_url, tmp_path):
    runner.invoke(main, ["load", str(write_tree(tmp_path, TREE))])
    result = runner.invoke(main, ["token", "create", "--team", "checkout", "--name", "ci"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            token = authenticate(session, secret, None)
            assert token is not None and token.team.slug == "checkout" and not token.is_admin
            assert authenticate(session, secret + "x", None) is None
    finally:
        engine.dispose()


def test_token_create_for_an_unknown_team_fails_clearly(runner, database_url):
    result = runner.invoke(main, ["token", "create", "--team", "nobody"])
    assert result.exit_code == 1
    assert "there is no team 'nobody'" in result.output


def test_a_bad_setting_is_a_usage_error(runner, database_url):
    result = runner.invoke(main, ["db", "upgrade"], env={"EVENTRY_READ_AUTH": "maybe"})
    assert result.exit_code == 2
    assert "EVENTRY_READ_AUTH must be 'open' or 'token'" in result.output
