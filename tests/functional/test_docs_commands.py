"""Every worked example of commands in README.md and docs/*.md (the `curl` and `eventry` lines of
their sh, bash and console blocks) run as written, in order, against a freshly started demo (a
real `eventry serve` on a throwaway SQLite file, one per document), so the docs cannot drift from
what Eventry does. Each command must exit 0; a console block's shown output must appear in what
the command printed. What cannot run here is listed once, in SKIPPED, with the reason."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.config import Settings
from app.services.bootstrap import bootstrap
from chaos.cluster import free_port
from chaos.service import Service
from tests.legs import in_ci

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the venv's eventry beside the interpreter
ADMIN = "evt_docs-commands-admin"
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(?P<lang>sh|bash|console)\n(?P<body>.*?)^```", re.M | re.S)
COMMAND = re.compile(r"(^|[\s;|&(])(curl|eventry|\.venv/bin/eventry|make)\s", re.M)
# The addresses the docs write the demo at; the test's server answers for each of them.
ADDRESSES = re.compile(r"(https?://)?(127\.0\.0\.1|localhost):(8000|5000)")

# Blocks that cannot run in a test, by "document#heading:n" (n counts the heading's command blocks
# from 1), each with why. A block missing from the docs fails the test, so this list stays true.
OPERATIONS = "run by tests/functional/faults/test_operations_doc.py (private PostgreSQL, pg_dump)"
SKIPPED = {
    "README.md#eventry:1": "make run and make test set up and run everything (this test in it)",
    "docs/interop.md#schema-discovery:1": "discovers from the reader's own events.jsonl",
    **{
        f"docs/interop.md#change-notifications-webhooks:{n}": (
            "needs a server with EVENTRY_WEBHOOKS=1, a receiver and a team token $CHECKOUT"
        )
        for n in range(1, 5)
    },
    "docs/interop.md#asyncapi-diff:1": "has the reader edit the exported document by hand",
    "docs/routes.md#who-the-consumers-are:1": "reads the reader's AWS export (rules.json, targets)",
    "docs/ci.md#eventry-check-dir:1": (
        "shows a made-up failing tree (test_docs_tutorials.py checks what the demo's check gives)"
    ),
    "docs/ci.md#eventry-validate-event-domain-eventname-version-n-dir-dir-file:1": (
        "validates the reader's own captured event files (events/*.json, captured.jsonl)"
    ),
    "docs/ci.md#eventry-compat-event-domain-eventname-dir-dir-schema-file:1": (
        "checks the reader's own edited schema file (new-OrderCancelled.json)"
    ),
    "docs/confluent-import.md#from-a-running-registry:1": "needs a running Confluent registry",
    "docs/confluent-import.md#from-a-dump-of-the-schemas-topic:1": (
        "needs Kafka and its kafka-console-consumer"
    ),
    "docs/development.md#the-postgresql-leg:1": "make test runs the whole suite (this test in it)",
    "docs/development.md#fuzzing:1": "make fuzz runs the long fuzzing suite",
    "docs/development.md#migrations:1": "writes a new migration file into the repository",
    "docs/operations.md#token-rotation:1": OPERATIONS,
    "docs/operations.md#token-rotation:2": OPERATIONS,
    "docs/operations.md#backups-and-restore:1": OPERATIONS,
    "docs/operations.md#upgrades:1": "backs up and upgrades the reader's PostgreSQL ($PG_URL)",
    "docs/operations.md#chaos-experiments:1": "make chaos runs minutes of fault experiments",
    "docs/performance.md#how-to-reproduce:1": "make bench and the speed scripts measure, minutes",
}


@dataclass(frozen=True)
class Block:
    """One fenced block of commands: where it is, its language and its text."""

    key: str
    lang: str
    body: str

    def script(self, base: str) -> str:
        """The block as a bash script against the server at base (a console block: its $ lines)."""
        text = ADDRESSES.sub(base, self.body)
        if self.lang != "console":
            return text
        lines, command = [], False
        for line in text.splitlines():
            if line.startswith("$ "):
                lines.append(line[2:])
                command = line.endswith("\\")
            elif command:
                lines.append(line)
                command = line.endswith("\\")
        return "\n".join(lines) + "\n"

    def shown_output(self) -> list[str]:
        """The lines a console block shows as output, stripped: not its commands, comments, or
        lines cut short with an ellipsis."""
        if self.lang != "console":
            return []
        shown, command = [], False
        for line in self.body.splitlines():
            if line.startswith("$ ") or command:
                command = line.endswith("\\")
            elif line.strip() and not line.startswith("#") and not re.search(r"…|\.\.\.", line):
                shown.append(line.strip())
        return shown


def _slug(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def blocks(document: Path) -> list[Block]:
    """The document's command blocks, in order, each keyed by its heading and place under it."""
    text = document.read_text()
    # Headings outside fenced blocks only (a shell comment is no heading); blanked, not cut, so
    # that the offsets stay those of the text.
    prose = re.sub(
        r"^```.*?^```", lambda m: re.sub(r"[^\n]", " ", m.group()), text, flags=re.M | re.S
    )
    found, counts = [], {}
    for match in FENCE.finditer(text):
        if not COMMAND.search(match.group("body")):
            continue
        headings = re.findall(r"^#+ (.+)$", prose[: match.start()], re.M)
        heading = _slug(headings[-1]) if headings else ""
        counts[heading] = counts.get(heading, 0) + 1
        key = f"{document.relative_to(ROOT)}#{heading}:{counts[heading]}"
        found.append(Block(key, match.group("lang"), match.group("body")))
    return found


@pytest.fixture(scope="module")
def shell_tools() -> None:
    missing = [tool for tool in ("curl", "jq") if shutil.which(tool) is None]
    if missing:
        reason = f"the documented commands need {', '.join(missing)} (apt-get install them)"
        if in_ci():
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)


def test_every_skipped_block_is_still_in_the_docs():
    keys = {block.key for document in DOCUMENTS for block in blocks(document)}
    assert set(SKIPPED) <= keys, sorted(set(SKIPPED) - keys)


MARK = "@@ docs block "


def _script(runnable: list[Block], base: str) -> str:
    """The blocks as one bash script, each after a marker line; a block that shows an exit code
    (`echo $?`) runs without -e, since its command is meant to exit non-zero."""
    parts = []
    for n, block in enumerate(runnable):
        script = block.script(base)
        if "echo $?" in script:
            script = f"set +e\n{script}\nset -e"
        parts.append(f"echo '{MARK}{n}'\n{script}\n")
    return "".join(parts)


def _run(runnable: list[Block], service: Service, cwd: Path, database_url: str) -> None:
    """Run the blocks in one bash, in order (a variable one sets, a later one uses), as a reader
    would in one shell; each must exit 0 and print what it shows."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("EVENTRY")}
    environment.update(
        PATH=f"{BIN}{os.pathsep}{environment.get('PATH', '')}",
        DATABASE_URL=database_url,  # commands without --url read the served demo's database
        EVENTRY=service.url,
        EVENTRY_URL=service.url,
        EVENTRY_TOKEN=ADMIN,
        TOKEN=ADMIN,
        ADMIN_TOKEN=ADMIN,
    )
    done = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", _script(runnable, service.url)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    outputs = done.stdout.split(MARK)[1:]
    last = runnable[len(outputs) - 1]
    said = f"{last.key}:\n{last.script(service.url)}\n-> {outputs[-1]}\n{done.stderr[-3000:]}"
    assert done.returncode == 0, said
    for block, output in zip(runnable, outputs, strict=True):
        # JSON is shown laid out for reading: compare without whitespace.
        printed = re.sub(r"\s+", "", output)
        for line in block.shown_output():
            shown = re.sub(r"\s+", "", ADDRESSES.sub(service.url, line))
            assert shown in printed, f"{line!r} not shown by {block.key}:\n{output}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_the_documents_commands_run_on_a_fresh_demo(document, shell_tools, tmp_path):
    runnable = [block for block in blocks(document) if block.key not in SKIPPED]
    if not runnable:
        return
    # The docs' relative paths: the demo tree, and `catalog` as a team's repository holds it.
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "catalog").symlink_to(ROOT / "examples" / "catalog")
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    url = f"sqlite:///{tmp_path / 'eventry.db'}"
    bootstrap(Settings(database_url=url, demo=True, admin_token=ADMIN))  # the demo, as make run
    service = Service(url, free_port(), tmp_path / "serve.log", ADMIN, workers=1).start()
    try:
        service.wait_ready()
        _run(runnable, service, tmp_path, url)
    finally:
        service.stop()
