"""`triage demo`: build a fresh demo database from the bundled data, then open it.

When stdin/stdout are not terminals (CI, pipes) it builds the database and says where it is
and how to open it, instead of starting the full-screen app.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from triage.cli.common import Context, UserError, pass_ctx
from triage.locations import demo_db_path


def _interactive() -> bool:
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


@click.command()
@click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to build it (same as `triage --db PATH demo`).")
@click.option("--no-open", is_flag=True, help="Build the database only; do not open the app.")
@pass_ctx
def demo(ctx: Context, db: Path | None, no_open: bool) -> None:
    """Build a fresh demo database (about 150 FR/EN leads, threads, 6 weeks of decisions)
    and open it. Replaces an existing demo database at the same path.

    Default path: demo.db in the user data folder; --db or TRIAGE_DB choose another.
    """
    from triage.demo import build_demo
    from triage.timeutil import utcnow

    path = db or ctx.db_path or demo_db_path()
    ctx.db_path = path
    if path.exists():
        _refuse_non_demo(ctx, path)
    try:
        stats = build_demo(path, utcnow(), ctx.taxonomy)
    except OSError as exc:
        raise UserError(f"cannot build the demo database at {path}: {exc.strerror or exc}") from None
    summary = (
        f"demo database: {path}\n"
        f"  {stats['leads']} leads ({stats['languages'].get('fr', 0)} FR,"
        f" {stats['languages'].get('en', 0)} EN), {stats['messages']} messages"
        f" ({stats['inbound']} replies), {stats['decisions']} past decisions"
        f" ({stats['undos']} undone), {stats['awaiting_decision']} replies awaiting a decision,"
        f" {stats['stale']} stale leads"
        + (f"; {stats['in_queue']} leads in the queue" if stats.get("in_queue") else "")
    )
    if stats["import_errors"]:
        summary += f"\n  warning: {stats['import_errors']} demo items did not import"
    if no_open or not _interactive():
        click.echo(summary)
        click.echo(f"open it with:  triage --db '{path}' open")
        return
    from triage.tui import run

    run(path, ctx.settings, ctx.taxonomy)


def _refuse_non_demo(ctx: Context, path) -> None:  # noqa: ANN001
    """Never overwrite a real database: only one marked demo=1 (or not a triage DB at all)."""
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            has_meta = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
            ).fetchone()
            has_leads = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'leads'"
            ).fetchone()
            demo_flag = (
                con.execute("SELECT value FROM meta WHERE key = 'demo'").fetchone()
                if has_meta else None
            )
        finally:
            con.close()
    except sqlite3.DatabaseError:
        raise UserError(f"{path} exists and is not a triage demo database; choose another --db") from None
    if has_leads and not (demo_flag and demo_flag[0] == "1"):
        raise UserError(
            f"{path} holds a triage database that is not a demo: not replacing it "
            "(choose another path with --db)"
        )
