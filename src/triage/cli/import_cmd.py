"""`triage import PATH...`: mail files, mboxes, Maildirs, folders and CSV files."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from triage.cli.common import Context, UserError, pass_ctx

#: How many skipped/errored items are listed one per line before "... and N more".
LIST_MAX = 50


@click.command(name="import")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
@click.option(
    "--map", "mapping", multiple=True, metavar="COLUMN=FIELD",
    help="Name a CSV column's field, e.g. --map 'Adresse pro=email' (repeatable).",
)
@click.option("--our-domain", "our_domains", multiple=True, metavar="DOMAIN",
              help="A sales-team mail domain (mail from it is outbound); adds to settings.")
@click.option("--our-address", "our_addresses", multiple=True, metavar="ADDRESS",
              help="A sales-team address (outbound when it sends); adds to settings.")
@click.option("-v", "--verbose", is_flag=True, help="List every skipped item and warning too.")
@pass_ctx
def import_(
    ctx: Context, paths: tuple[Path, ...], mapping: tuple[str, ...],
    our_domains: tuple[str, ...], our_addresses: tuple[str, ...], verbose: bool,
) -> None:
    """Import .eml, .mbox, Maildir folders and CSV files (leads or past decisions).

    Re-importing the same files adds nothing. Each message or row is imported whole or not at
    all; problems are listed as SOURCE#ROW: reason. Exit code 1 when some items failed.
    """
    from triage.ingest import CsvFormatError, Identity, ImportReport, import_paths, parse_mapping

    try:
        columns = parse_mapping(mapping)
    except CsvFormatError as exc:
        raise UserError(str(exc)) from None
    identity = Identity.from_settings(ctx.settings)
    identity.domains.update(d.lower().lstrip("@") for d in our_domains)
    identity.addresses.update(a.lower() for a in our_addresses)
    ctx.resolved_db.parent.mkdir(parents=True, exist_ok=True)
    store = ctx.open_store()
    report = ImportReport()
    try:
        with _progress(paths, store, columns) as advance:
            import_paths(store, paths, identity, columns, advance, report)
    except CsvFormatError as exc:
        raise UserError(str(exc)) from None
    finally:
        store.close()
    _print_report(report, verbose)
    if report.errors:
        raise ItemsFailed(f"{len(report.errors)} item(s) not imported (listed above)")


class ItemsFailed(click.ClickException):
    """Some items were reported and skipped: exit code 1 (a usage error is 2)."""

    exit_code = 1

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(f"triage: {self.format_message()}", err=True, file=file)


@contextmanager
def _progress(paths, store, columns):
    """A rich progress bar on stderr when it is a terminal; otherwise nothing."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from triage.ingest import CsvImporter, MailImporter, split_paths

    csvs, mails = split_paths(paths)
    total = 0
    for p in csvs:
        try:
            total += len(CsvImporter(store, mapping=columns).inspect(p)[1])
        except Exception:
            pass
    total += MailImporter(store).count(mails) if mails else 0
    with Progress(
        TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
        console=Console(stderr=True), transient=True,
    ) as bar:
        task = bar.add_task("import", total=total or None)
        yield lambda n=1: bar.advance(task, n)


def _print_report(report, verbose: bool) -> None:
    click.echo(report.summary_line())
    sections = [("error", report.errors)]
    if verbose:
        sections += [("skipped", report.skipped_items), ("warning", report.warnings)]
    elif report.warnings:
        click.echo(f"{len(report.warnings)} warnings (use -v to list them)")
    for label, items in sections:
        for note in items[:LIST_MAX]:
            line = f"{label}: {note.source}: {note.reason}"
            click.echo(_printable(line), err=(label == "error"))
        if len(items) > LIST_MAX:
            click.echo(f"... and {len(items) - LIST_MAX} more {label}s", err=(label == "error"))


def _printable(text: str) -> str:
    """Mail and CSV content is data: control characters (terminal escapes) are shown escaped."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
