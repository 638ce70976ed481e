"""`triage db info|check|rebuild-state`: what is in the database, and is it consistent."""

from __future__ import annotations

import click

from triage.cli.common import Context, pass_ctx

COUNTS = (
    ("leads", "SELECT COUNT(*) FROM leads"),
    ("messages", "SELECT COUNT(*) FROM messages"),
    ("classifications", "SELECT COUNT(*) FROM classifications"),
    ("decisions", "SELECT COUNT(*) FROM decisions WHERE kind = 'decision'"),
    ("undo events", "SELECT COUNT(*) FROM decisions WHERE kind = 'undo'"),
    ("effective decisions", "SELECT COUNT(*) FROM effective_decisions"),
    ("leads with a status", "SELECT COUNT(*) FROM leads WHERE status IS NOT NULL"),
)


@click.group()
def db() -> None:
    """Database maintenance and consistency checks."""


@db.command("info")
@pass_ctx
def info(ctx: Context) -> None:
    """Counts, schema version, taxonomy versions used, file size."""
    import sqlite3

    from triage.store.schema import SCHEMA_VERSION

    store = ctx.open_store(must_exist=True, check_taxonomy=False)
    try:
        path = ctx.resolved_db
        click.echo(f"database: {path} ({path.stat().st_size / 1024:.0f} KiB)")
        click.echo(
            f"schema version: {store.scalar('PRAGMA user_version')} "
            f"(this triage: {SCHEMA_VERSION}); SQLite {sqlite3.sqlite_version}; "
            f"journal {store.scalar('PRAGMA journal_mode')}"
        )
        for label, sql in COUNTS:
            click.echo(f"{label}: {store.scalar(sql)}")
        # sqlite-utils' introspection: every table with its row count and indexes
        tables = sorted(store.db.utils.tables, key=lambda t: t.name)
        click.echo("tables: " + ", ".join(
            f"{t.name} {t.count} rows/{len(t.indexes)} idx" for t in tables
        ))
        versions = store.all(
            "SELECT taxonomy_version AS v, COUNT(*) AS n FROM decisions "
            "WHERE kind = 'decision' GROUP BY v ORDER BY v"
        )
        used = ", ".join(f"{r['v']} ({r['n']})" for r in versions) or "none"
        click.echo(f"taxonomy versions in decisions: {used}; in use now: {store.taxonomy.version}")
    finally:
        store.close()


@db.command("check")
@pass_ctx
def check(ctx: Context) -> None:
    """Integrity check, and the lead state re-derived from the decision log.

    Prints each problem, or "ok". Exit status 1 when there are problems.
    """
    from triage.store.compat import unmapped_codes
    from triage.store.consistency import check as check_store

    store = ctx.open_store(must_exist=True, check_taxonomy=False)
    try:
        problems = [str(p) for p in check_store(store)]
        problems += [f"taxonomy: {u.describe()}" for u in unmapped_codes(store, store.taxonomy)]
    finally:
        store.close()
    if not problems:
        click.echo("ok")
        return
    for line in problems:
        click.echo(line)
    click.echo(f"{len(problems)} problem(s)", err=True)
    raise click.exceptions.Exit(1)


@db.command("rebuild-state")
@pass_ctx
def rebuild_state(ctx: Context) -> None:
    """Rewrite every lead's cached state from the decision log (the log is never changed)."""
    from triage.store.consistency import rebuild_lead_state

    store = ctx.open_store(must_exist=True, check_taxonomy=False)
    try:
        changed = rebuild_lead_state(store)
    finally:
        store.close()
    click.echo(f"lead state rebuilt; {changed} lead(s) had a stale cache")
