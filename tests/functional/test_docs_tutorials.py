"""The docs' tutorials, run against a freshly loaded demo so they cannot drift from what
Eventry does: the REST API's everyday flow (docs/api.md) and the demo's warning count
(docs/ci.md)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from app.cli.main import main
from app.config import DEMO_CATALOG
from app.core.access import Actor
from app.services.catalog_loader import load_catalog
from tests.conftest import ADMIN_TOKEN

DOCS = Path(__file__).parents[2] / "docs"
# One `curl -s -X METHOD $EVENTRY/path … -d '<json>'` of a shell block; the body may span lines.
CURL = re.compile(
    r"curl -s -X (?P<method>[A-Z]+) \$EVENTRY(?P<path>/\S+)(?P<flags>.*?)-d '(?P<body>.*?)'",
    re.DOTALL,
)


def everyday_flow() -> list[dict]:
    """The calls of docs/api.md's first shell block, in order."""
    text = (DOCS / "api.md").read_text()
    block = text.split("## The everyday flow", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [match.groupdict() for match in CURL.finditer(block)]


@pytest.fixture
def demo(session):
    return load_catalog(session, DEMO_CATALOG, Actor.system("test"))


def test_the_everyday_flow_works_on_a_fresh_demo(client, demo):
    calls = everyday_flow()
    assert [c["method"] for c in calls] == ["POST"] * len(calls) and len(calls) == 7
    token = None
    answers = []
    for call in calls:
        secret = token if "$TOKEN" in call["flags"] else ADMIN_TOKEN
        headers = {"Authorization": f"Bearer {secret}"} if "Bearer" in call["flags"] else {}
        response = client.post(call["path"], json=json.loads(call["body"]), headers=headers)
        assert response.status_code < 300, (call["path"], response.json)
        if call["path"].endswith("/tokens"):
            token = response.json["secret"]
        answers.append(response.json)
    assert answers[-1]["valid"] is False
    assert answers[-1]["errors"][0]["path"] == "/abandonedAt"


def test_the_ci_guide_counts_the_demo_warnings_it_gets(runner):
    text = (DOCS / "ci.md").read_text()
    promised = re.search(r"checks (\d+) items and exits 0 with (\d+)\s+warnings", text)
    assert promised, "docs/ci.md no longer says what the demo's check gives"
    result = runner.invoke(main, ["check", str(DEMO_CATALOG)])
    assert result.exit_code == 0, result.output
    summary = re.search(r"ok: (\d+) checked, 0 failed \(0 errors, (\d+) warnings", result.output)
    assert summary and summary.groups() == promised.groups()
    kinds = Counter(re.findall(r" warning ([a-z-]+):", result.output))
    listed = re.findall(r"(\d+) [^`(]*\(`([a-z-]+)`\)", text[promised.end() :][:600])
    assert sum(int(count) for count, _ in listed) == int(promised.group(2))
    for count, kind in listed:
        assert kinds[kind] == int(count), kind


def test_the_shared_fields_example_is_what_the_demo_gives(client, demo):
    text = (DOCS / "event-design.md").read_text()
    block = text.split("## Shared fields", 1)[1].split("```console", 1)[1].split("```", 1)[0]
    path = re.search(r"'http://127\.0\.0\.1:8000(/api/v1/fields\S*)'", block).group(1)
    promised = json.loads(block.split("\n", 2)[2])
    assert client.get(path).get_json() == promised
