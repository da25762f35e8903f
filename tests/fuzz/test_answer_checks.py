"""The fuzzer checks success answers against the document, not only errors: an answer the
document describes wrongly fails it (app/api/answers.py is what it checks against)."""

from __future__ import annotations

import pytest
from schemathesis.core.failures import FailureGroup

from app.api import answers
from tests.fuzz import harness


def test_a_success_answer_that_contradicts_its_description_fails_the_fuzzer(monkeypatch, tmp_path):
    # The team answers with slug, name and description; describe it as needing another member.
    wrong = {**answers.ANSWERS["Team"], "required": ["slug", "members"]}
    monkeypatch.setitem(answers.ANSWERS, "Team", wrong)
    operation = harness.load("/api/v1/openapi.json")["/api/v1/teams/{team}"]["GET"]
    app = harness.app_on(f"sqlite:///{tmp_path / 'fuzz.db'}")
    try:
        case = operation.Case(path_parameters={"team": harness.TEAM})
        with pytest.raises(FailureGroup) as caught:
            case.call_and_validate(app=app)
        assert "Response violates schema" in str(caught.value)
        monkeypatch.undo()  # described rightly, the same answer passes
        right = harness.load("/api/v1/openapi.json")["/api/v1/teams/{team}"]["GET"]
        right.Case(path_parameters={"team": harness.TEAM}).call_and_validate(app=app)
    finally:
        app.extensions["eventry"].engine.dispose()
