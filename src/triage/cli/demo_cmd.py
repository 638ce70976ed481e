"""`triage demo` (interim): create the demo database file and say where it is.

Replaced by the full demo (bundled leads, threads and past decisions) from the ingest work.
"""

from __future__ import annotations

import click

from triage.cli.common import Context, pass_ctx
from triage.locations import demo_db_path


@click.command()
@pass_ctx
def demo(ctx: Context) -> None:
    """Build a fresh demo database."""
    path = ctx.db_path or demo_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    ctx.db_path = path
    store = ctx.open_store()
    store.close()
    click.echo(f"demo database: {path}")
