"""`triage experiment add|list|report`."""

from __future__ import annotations

import json

import click

from triage.cli.common import Context, UserError, pass_ctx


@click.group()
def experiment() -> None:
    """Log experiments (one dated change for one audience) and measure them before/after."""


@experiment.command("add")
@click.option("--name", required=True, help="A short unique name, e.g. 'ROI line Q4'.")
@click.option("--audience", required=True, metavar="FIELD=VALUE,...",
              help="Leads it targets, e.g. channel=cold_email,persona=CFO (a|b for either). "
                   "Fields: channel, persona, industry, company_size, owner, language.")
@click.option("--change", "changes", required=True, multiple=True,
              help="The one change you make (one line; only one per experiment).")
@click.option("--start", required=True, metavar="YYYY-MM-DD", help="First day of the change.")
@click.option("--end", required=True, metavar="YYYY-MM-DD", help="Last day (inclusive).")
@click.option("--expects", required=True, metavar="REASON",
              help="The reason code the change should move, e.g. timing.")
@click.option("--direction", type=click.Choice(["down", "up"]), default="down", show_default=True,
              help="Which way the expected reason's share should move.")
@pass_ctx
def add(ctx: Context, name: str, audience: str, changes: tuple[str, ...], start: str, end: str,
        expects: str, direction: str) -> None:
    """Log an experiment before (or when) the change starts."""
    from triage.experiments import ExperimentError, add_experiment, validate

    store = ctx.open_store(must_exist=True)
    try:
        exp, warnings = validate(store, name, audience, list(changes), start, end, expects,
                                 direction)
        exp = add_experiment(store, exp, created_by=ctx.settings.rep)
    except ExperimentError as exc:
        raise UserError(str(exc)) from None
    finally:
        store.close()
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    click.echo(f"logged experiment {exp.name!r}: {exp.audience_text}, {exp.start_on} → "
               f"{exp.end_on}, expects {exp.expects} to go {exp.direction}")


@experiment.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@pass_ctx
def list_(ctx: Context, fmt: str) -> None:
    """List the logged experiments, oldest start first."""
    from triage.experiments import list_experiments

    store = ctx.open_store(must_exist=True)
    try:
        items = list_experiments(store)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps([e.as_dict() for e in items], ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo("no experiments yet: `triage experiment add --help`")
        return
    for e in items:
        click.echo(f"{e.name}  {e.start_on} → {e.end_on}  [{e.audience_text}]  "
                   f"expects {e.expects} {e.direction}  — {e.change}")


@experiment.command("report")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md",
              show_default=True)
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None)
@pass_ctx
def report(ctx: Context, name: str, fmt: str, lang: str | None) -> None:
    """Before vs after for the experiment's audience: counts, shares, two-proportion test."""
    from triage.experiments import (
        experiment_report,
        get_experiment,
        list_experiments,
        render_experiment,
    )

    store = ctx.open_store(must_exist=True)
    try:
        exp = get_experiment(store, name)
        if exp is None:
            known = ", ".join(repr(e.name) for e in list_experiments(store)) or "none yet"
            raise UserError(f"no experiment named {name!r} (known: {known})")
        result = experiment_report(store, exp)
        click.echo(render_experiment(result, store.taxonomy, lang or ctx.settings.language, fmt),
                   nl=False)
    finally:
        store.close()
