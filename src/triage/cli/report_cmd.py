"""`triage report [--week 2026-W40] [--format md|json|text] [--out FILE]`."""

from __future__ import annotations

from pathlib import Path

import click

from triage.cli.common import Context, UserError, pass_ctx


@click.command()
@click.option("--week", "week_text", metavar="YYYY-Www",
              help="ISO week to review, e.g. 2026-W40 (default: the last complete week, UTC).")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "text"]), default="md",
              show_default=True, help="Markdown for the CRM/wiki, JSON for tools, plain text.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of standard output.")
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None,
              help="Language of labels and headings (default: the settings' language).")
@click.option("--unknown-threshold", type=click.FloatRange(0, 100), default=20.0,
              show_default=True, help="Flag a rep whose Unknown share is above this percent.")
@click.option("--spike-points", type=click.FloatRange(0, 100), default=10.0, show_default=True,
              help="A spike: the share rose by at least this many percentage points...")
@click.option("--spike-ratio", type=click.FloatRange(1, None), default=2.0, show_default=True,
              help="...or was multiplied by at least this much...")
@click.option("--spike-min-count", type=click.IntRange(1, None), default=5, show_default=True,
              help="...with at least this many leads this week.")
@pass_ctx
def report(
    ctx: Context,
    week_text: str | None,
    fmt: str,
    out: Path | None,
    lang: str | None,
    unknown_threshold: float,
    spike_points: float,
    spike_ratio: float,
    spike_min_count: int,
) -> None:
    """Weekly review: top 3 reasons overall, by channel and segment, what changed since last
    week, Unknown share per rep, status funnel and decisions per rep.

    Counts the latest effective decision per lead in the week (undone decisions excluded,
    retired codes under the code they were merged into).
    """
    from triage.report import (
        Thresholds,
        WeekError,
        last_complete_week,
        parse_week,
        render,
        weekly_report,
    )

    try:
        week = parse_week(week_text) if week_text else None
    except WeekError as exc:
        raise UserError(f"--week: {exc}") from None
    store = ctx.open_store(must_exist=True)
    try:
        week = week or last_complete_week(store.clock())
        thresholds = Thresholds(
            spike_points=spike_points,
            spike_ratio=spike_ratio,
            spike_min_count=spike_min_count,
            unknown_share=unknown_threshold / 100,
        )
        data = weekly_report(store, week, thresholds)
        text = render(data, fmt, store.taxonomy, lang or ctx.settings.language)
    finally:
        store.close()
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    click.echo(f"wrote {out} ({data.week.label}: {data.leads} leads, {data.decisions} decisions)")
