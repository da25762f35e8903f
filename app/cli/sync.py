"""plan, apply, export and import: a schemas-as-code tree and a registry server, kept in step."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from app.cli.apply import Applier, Prediction, predictions, stage_changes
from app.cli.importer import NotEmpty, import_steps
from app.cli.plan_report import FailOn, exit_code, markdown, pinned_touched, summary, touched
from app.cli.remote import Registry, RemoteError
from app.core.errors import DomainError
from app.core.plan import Change, Plan, make_plan
from app.core.tree import CatalogSpec
from app.core.words import counted
from app.services.tree_reader import read_tree
from app.services.tree_writer import write_tree

URL = click.option(
    "--url",
    envvar="EVENTRY_URL",
    required=True,
    help="The registry, e.g. http://eventry:8000 (or $EVENTRY_URL).",
)
TOKEN = click.option("--token", envvar="EVENTRY_TOKEN", help="An API token (or $EVENTRY_TOKEN).")
FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
)
DRIFT = click.option(
    "--drift",
    type=click.Choice(["declared", "all"]),
    default="declared",
    show_default=True,
    help="Report drift for the teams and domains the tree declares, or for the whole registry.",
)
TREE = click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))


@click.command()
@TREE
@URL
@TOKEN
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: a pull-request comment (changes, refusals, affected consumers).",
)
@click.option(
    "--fail-on",
    type=click.Choice([level.value for level in FailOn]),
    default=FailOn.BREAKING.value,
    show_default=True,
    help="Exit 1 on: breaking (refusals, conflicts), warning (also drift and changes to fields "
    "a declared consumer reads), never.",
)
@DRIFT
def plan(directory: Path, url: str, token: str | None, fmt: str, fail_on: str, drift: str) -> None:
    """Show what pushing the tree would change on the server, what it would refuse, which
    declared consumers each new version's differences touch, and what the registry holds that
    the tree does not (drift: only about the teams and domains the tree declares, unless --drift
    all)."""
    registry, the_plan = _plan(directory, url, token, all_drift=drift == "all")
    predicted = predictions(registry, the_plan)
    rejected = [(p.change, p.refusal) for p in predicted if p.refusal is not None]
    if fmt == "markdown":
        click.echo(markdown(the_plan, predicted))
    else:
        _show(the_plan, rejected, fmt, directory, predicted)
    sys.exit(exit_code(the_plan, predicted, FailOn(fail_on)))


@click.command()
@TREE
@URL
@TOKEN
@FORMAT
def apply(directory: Path, url: str, token: str | None, fmt: str) -> None:
    """Perform the plan; stop at the first change the server refuses. Safe to run again."""
    registry, the_plan = _plan(directory, url, token)
    if the_plan.conflicts:
        _show(the_plan, [], fmt, directory)
        _fail("the tree rewrites registered versions; nothing was applied")
    if the_plan.empty:
        click.echo("No changes: the registry already matches the tree.")
        return
    applier = Applier(registry)
    # A new event's deprecation or retirement waits for its versions, which a retired one refuses.
    steps = the_plan.changes + stage_changes(the_plan.changes)
    with click.progressbar(
        steps, label="Applying", file=sys.stderr, hidden=not sys.stderr.isatty()
    ) as changes:
        for change in changes:
            try:
                applier.apply(change)
            except RemoteError as error:
                click.echo(f"Applied {applier.done} of {len(steps)} changes, then:", err=True)
                _refused(change.describe(), error)
    click.echo(f"Applied {counted(applier.done, 'change')}.")


@click.command("export")
@URL
@TOKEN
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_command(url: str, token: str | None, directory: Path) -> None:
    """Write the server's whole catalogue as a schemas-as-code tree into an empty DIRECTORY."""
    try:
        catalog = Registry(url, token).fetch_catalog(progress=_progress("Exporting"))
        count = write_tree(catalog, directory)
    except RemoteError as error:
        _fail(str(error))
    except DomainError as error:
        _fail(error.detail)
    click.echo(
        f"Exported {counted(len(catalog.events), 'event type')} in {counted(count, 'file')} "
        f"to {directory}."
    )


@click.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@URL
@TOKEN
def import_command(directory: Path, url: str, token: str | None) -> None:
    """Restore an exported tree into an EMPTY registry exactly: version numbers, soft-deleted
    versions, authors, notes and times (an admin token). A registry with content is refused."""
    tree = _read(directory)
    try:
        steps = import_steps(Registry(url, token), tree)
    except NotEmpty as refusal:
        _fail(str(refusal))
    except RemoteError as error:
        _fail(str(error))
    done = 0
    with click.progressbar(
        steps, label="Importing", file=sys.stderr, hidden=not sys.stderr.isatty()
    ) as shown:
        for step in shown:
            try:
                step.run()
            except RemoteError as error:
                click.echo(f"Imported {done} of {len(steps)} steps, then:", err=True)
                _refused(step.describe.lstrip("+~ "), error)
            done += 1
    click.echo(f"Imported {counted(len(tree.events), 'event type')} in {counted(done, 'step')}.")


def _progress(label: str):
    """A progress bar over event types on stderr when it is a terminal; nothing otherwise."""

    def bar(items: list):
        if not sys.stderr.isatty():
            yield from items
            return
        with click.progressbar(items, label=label, file=sys.stderr) as shown:
            yield from shown

    return bar


def _read(directory: Path) -> CatalogSpec:
    tree, problems = read_tree(directory)
    if problems:
        for problem in problems:
            click.echo(f"{problem}", err=True)
        _fail(
            f"{counted(len(problems), 'problem')} in {directory}; run `eventry check` for details"
        )
    return tree


def _plan(
    directory: Path, url: str, token: str | None, all_drift: bool = False
) -> tuple[Registry, Plan]:
    tree = _read(directory)
    registry = Registry(url, token)
    try:
        return registry, make_plan(tree, registry.fetch_catalog(), all_drift)
    except RemoteError as error:
        _fail(str(error))
        raise


def _show(
    the_plan: Plan,
    rejected: list[tuple[Change, str]],
    fmt: str,
    root: Path,
    predicted: list[Prediction] | None = None,
) -> None:
    if fmt == "json":
        body = {
            "changes": [c.to_dict() for c in the_plan.changes],
            "rejected": [{"change": c.describe(), "reason": reason} for c, reason in rejected],
            "conflicts": [c.to_dict() for c in the_plan.conflicts],
            "drift": [c.to_dict() for c in the_plan.drift],
            "impact": [
                {"change": p.change.describe(), "impact": p.impact, "pinned": p.pinned}
                for p in predicted or []
            ],
        }
        click.echo(json.dumps(body, indent=2, default=str))
    elif fmt == "github":
        _annotate(the_plan, rejected, root)
    else:
        _describe(the_plan, rejected, predicted)


def _describe(
    the_plan: Plan, rejected: list[tuple[Change, str]], predicted: list[Prediction] | None = None
) -> None:
    if the_plan.empty:
        click.echo("No changes: the registry already matches the tree.")
    for change in the_plan.changes:
        click.echo(change.describe())
    for change, reason in rejected:
        click.echo(f"✗ the registry would refuse {change.describe()}: {reason}")
    for conflict in the_plan.conflicts:
        click.echo(f"✗ conflict {conflict.target}: {conflict.details['reason']}")
    for drift in the_plan.drift:
        click.echo(f"? drift {drift.kind} {drift.target}: {drift.details['reason']}")
    for prediction, entry in touched(predicted or []):
        where = entry["field"] or entry["pointer"]
        click.echo(f"! {prediction.change.target}: {entry['type']} {where} {entry['summary']}")
    for prediction, entry in pinned_touched(predicted or []):
        click.echo(f"! {prediction.change.target}: {entry['summary']}")
    click.echo(f"{summary(the_plan, len(rejected))}.")


def _annotate(the_plan: Plan, rejected: list[tuple[Change, str]], root: Path) -> None:
    """GitHub Actions workflow commands: refusals and conflicts as errors, drift as warnings."""
    for change, reason in rejected:
        where = f"file={root / change.details['file']}," if change.details.get("file") else ""
        _workflow_command("error", where, f"{change.describe()}: {reason}")
    for conflict in the_plan.conflicts:
        _workflow_command("error", "", f"{conflict.target}: {conflict.details['reason']}")
    for drift in the_plan.drift:
        # The kind stays in the message: a team and a domain may share a slug.
        _workflow_command("warning", "", f"{drift.kind} {drift.target}: {drift.details['reason']}")
    for change in the_plan.changes:
        _workflow_command("notice", "", change.describe())


def _workflow_command(level: str, where: str, message: str) -> None:
    click.echo(f"::{level} {where}title=eventry plan::{_escape(message)}")


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _refused(what: str, error: RemoteError) -> None:
    click.echo(f"✗ {what}: {error}", err=True)
    for item in error.body.get("errors", []):
        where = item.get("path") or item.get("pointer") or ""
        click.echo(f"  {item.get('type', '')} {where}: {item.get('message', item)}", err=True)
    sys.exit(1)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)
