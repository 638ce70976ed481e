"""`triage export [leads|decisions] --format csv|json [--out FILE]`."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from triage.cli.common import Context, UserError, pass_ctx


@click.command()
@click.argument("what", type=click.Choice(["leads", "decisions"]), default="leads")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (default: standard output).")
@click.option("--include-undone", is_flag=True,
              help="decisions: also the undone ones, with undone_at / undone_by (the undo log).")
@pass_ctx
def export(ctx: Context, what: str, fmt: str, out: Path | None, include_undone: bool) -> None:
    """Export leads (profile + current state) or decisions, for CRM re-import.

    CSV cells starting with = + - @ (spreadsheet formulas) are prefixed with an apostrophe;
    `triage import` reads such a file back unchanged.
    """
    from triage.export import export_text

    store = ctx.open_store(must_exist=True)
    try:
        text = export_text(store, what, fmt, include_undone)
    finally:
        store.close()
    if out is None:
        # not click.echo: it strips ANSI sequences when piped, and exports are data
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, out)
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    lines = text.count("\n") - 1 if fmt == "csv" else None
    click.echo(f"wrote {out}" + (f" ({lines} rows)" if lines is not None else ""), err=True)
