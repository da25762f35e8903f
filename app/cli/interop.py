"""`eventry example` and `eventry bindings`: an example event and code bindings of a version of
a schemas-as-code tree, offline (the same generators as GET …/example and …/bindings/…), or of a
registry's version with ``--url``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from app.cli.remote import Registry, RemoteError, event_path
from app.core.bindings import Language
from app.core.errors import DomainError
from app.services import bindings, examples
from app.services.check_report import TreeError

_TREE = click.Path(exists=True, file_okay=False, path_type=Path)


class _Refused(click.ClickException):
    """The schema cannot give what was asked (exit 1), or the tree cannot answer (exit 2)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _version_options(command):
    command = click.option("--token", envvar="EVENTRY_TOKEN", help="API token, if reads need one.")(
        command
    )
    command = click.option(
        "--url", envvar="EVENTRY_URL", help="Ask this registry instead of a tree (or $EVENTRY_URL)."
    )(command)
    command = click.option(
        "--dir", "directory", default=".", type=_TREE, help="The schemas-as-code tree to read."
    )(command)
    command = click.option(
        "--version", type=click.IntRange(1), help="The version (default: the latest live one)."
    )(command)
    return click.option(
        "--event", "ref", required=True, metavar="DOMAIN.EventName", help="The event type."
    )(command)


def _remote(
    url: str, token: str | None, ref: str, version: int | None, tail: str
) -> tuple[Registry, str]:
    """The registry and the path of a version's ``tail`` (example, bindings/python…)."""
    try:
        path = f"{event_path(ref)}/versions/{version or 'latest'}/{tail}"
    except DomainError as error:
        raise _Refused(error.detail, 2) from None
    return Registry(url, token), path


def _refused(error: Exception) -> _Refused:
    if isinstance(error, RemoteError):
        # A 422 is the schema's answer (exit 1); anything else is the question's (exit 2).
        return _Refused(str(error), 1 if error.status == 422 else 2)
    if isinstance(error, TreeError):
        lines = [str(error), *(f"  {problem}" for problem in error.problems)]
        return _Refused("\n".join(lines), 2)
    assert isinstance(error, DomainError)
    return _Refused(error.detail, 1)


@click.command("example")
@_version_options
@click.option("--seed", type=click.IntRange(0, examples.MAX_SEED), default=0, show_default=True)
def example_command(
    ref: str, version: int | None, directory: Path, url: str | None, token: str | None, seed: int
) -> None:
    """Print an example event of a version as JSON: valid against it, the same for the same
    seed. Exit 1 when the schema admits no example, 2 for an unknown event or version."""
    try:
        if url:
            registry, path = _remote(url, token, ref, version, f"example?seed={seed}")
            event = registry.get(path)["example"]
        else:
            event = examples.tree_example(directory, ref, version, seed).event
    except (TreeError, DomainError, RemoteError) as error:
        raise _refused(error) from None
    click.echo(json.dumps(event, indent=2, ensure_ascii=False))


@click.command("bindings")
@_version_options
@click.option("--language", type=click.Choice([each.value for each in Language]), required=True)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout."
)
def bindings_command(
    ref: str,
    version: int | None,
    directory: Path,
    url: str | None,
    token: str | None,
    language: str,
    output: Path | None,
) -> None:
    """Print (or write to --output) the code bindings of a version: pydantic v2 models
    (python) or interfaces (typescript). Exit 1 when the generator refuses the schema, 2 for
    an unknown event or version."""
    try:
        if url:
            registry, path = _remote(url, token, ref, version, f"bindings/{language}")
            source = registry.text(path)
        else:
            source = bindings.tree_binding(directory, ref, version, Language(language))[1]
    except (TreeError, DomainError, RemoteError) as error:
        raise _refused(error) from None
    if output is None:
        click.echo(source, nl=False)
    else:
        output.write_text(source, encoding="utf-8")
