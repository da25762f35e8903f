"""`eventry check` of a big tree in several processes reports exactly what one process reports.

Run as a user runs it: the installed `eventry` command in a process of its own, on the demo tree
grown past the size at which the check forks (app.services.fan_out), with every kind of finding
in each added domain: failing and unexpectedly valid samples, an incompatible step, a malformed
file, a meta-schema error, lints, and field conflicts across the whole tree.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from app.services import fan_out
from tests.functional.test_cli_check import BROKEN, DEMO, write_tree

EVENTRY = str(Path(sys.executable).with_name("eventry"))
DOMAINS = 30  # each with BROKEN's 6 event types: 180, with the demo's 27 past two processes' 100


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big") / "catalog"
    shutil.copytree(DEMO, root)
    for number in range(DOMAINS):
        bus = f"orders-events-{number}"
        files = {
            path.replace("orders/", f"sales{number}/", 1): text.replace("orders-events", bus)
            for path, text in BROKEN.items()
            if path.startswith("orders/")
        }
        files[f"sales{number}/domain.yaml"] = (
            f"name: Sales {number}\nowner: checkout\nbuses: [{{slug: {bus}, router: kafka}}]\n"
        )
        write_tree(root, files)
    return root


def check(tree: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [EVENTRY, "check", str(tree), *options],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize("fmt", ["json", "text", "junit"])
def test_two_processes_report_what_one_reports(big_tree, fmt):
    alone = check(big_tree, "--jobs", "1", "--format", fmt)
    shared = check(big_tree, "--jobs", "2", "--format", fmt)
    assert alone.returncode == shared.returncode == 1, alone.stderr
    assert shared.stdout == alone.stdout
    assert shared.stderr == alone.stderr


def test_the_tree_is_big_enough_to_be_shared_and_full_of_findings(big_tree):
    assert len(list(big_tree.glob("*/*/event.yaml"))) >= fan_out.LEAST_PER_PROCESS * 2
    printed = check(big_tree, "--jobs", "2").stdout
    kinds = Counter(re.findall(r": (?:error|warning|info) ([A-Za-z_-]+):", printed))
    for kind in ("sample-invalid", "sample-unexpectedly-valid", "malformed-file", "schema-invalid"):
        assert kinds[kind] == DOMAINS, (kind, kinds)
    assert kinds["OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"] == DOMAINS
    assert kinds["event-name-past-tense"] == DOMAINS
    assert kinds["field-type-conflict"] > 0 and kinds["consumer-reads-missing-field"] > 0


def test_jobs_must_be_a_positive_number(big_tree):
    refused = check(big_tree, "--jobs", "0")
    assert refused.returncode == 2
    assert "--jobs" in refused.stderr
