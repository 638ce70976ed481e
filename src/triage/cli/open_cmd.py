"""`triage open` (and `triage` alone): the queue screen on the database."""

from __future__ import annotations

import sys

import click

from triage.cli.common import Context, UserError, pass_ctx


@click.command("open")
@pass_ctx
def open_(ctx: Context) -> None:
    """Open the queue of lead replies (the default command)."""
    from triage.tui import pause_gc, resume_gc, run

    pause_gc()  # until the first frame: start-up allocates what lives on (the app resumes it)
    try:
        path = ctx.resolved_db
        if not path.exists():
            raise UserError(
                f"no database at {path}. Try `triage demo` (demo data) or "
                "`triage import FILES` (your mail and CRM exports), or pass --db FILE."
            )
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise UserError("the queue screen needs a terminal (stdin and stdout are not a TTY)")
        settings, taxonomy = ctx.settings, ctx.taxonomy
        store = ctx.open_store(must_exist=True)  # migrates, and explains a bad file in one line
        run(store, settings, taxonomy)  # the app closes it
    finally:
        resume_gc()  # if the app never showed a frame (an error above)
