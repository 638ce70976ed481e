"""`triage taxonomy check|show`."""

from __future__ import annotations

from pathlib import Path

import click

from triage.cli.common import Context, UserError, pass_ctx


@click.group()
def taxonomy() -> None:
    """Check and show the taxonomy (statuses, reason codes, keys)."""


@taxonomy.command("check")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also check that FILE keeps every code this database uses (or maps it via retired).",
)
@pass_ctx
def check(ctx: Context, file: Path | None, db_path: Path | None) -> None:
    """Validate FILE (default: the taxonomy in use). Prints file:line: problem.

    With --db, also refuse FILE if it drops codes the database's decisions still use.
    """
    from triage.taxonomy import TaxonomyError, default_taxonomy_path, load_taxonomy

    path = file or ctx.settings.taxonomy or default_taxonomy_path()
    try:
        tax = load_taxonomy(path)
    except TaxonomyError as exc:
        raise UserError(f"{path} is invalid:\n{exc.render()}") from None
    if db_path is not None:
        _check_against_db(tax, path, db_path)
    click.echo(
        f"{path}: OK — version {tax.version}, {len(tax.statuses)} statuses, "
        f"{len(tax.reasons)} reasons, {len(tax.retired)} retired"
    )


def _check_against_db(tax, path: Path, db_path: Path) -> None:  # noqa: ANN001 - Taxonomy
    from triage.store import SchemaTooNewError, Store, StoreError
    from triage.store.compat import explain, unmapped_codes

    if not db_path.exists():
        raise UserError(f"no database at {db_path}")
    try:
        store = Store.open(db_path, tax)
    except (StoreError, SchemaTooNewError) as exc:
        raise UserError(str(exc)) from None
    try:
        unmapped = unmapped_codes(store, tax)
    finally:
        store.close()
    if unmapped:
        raise UserError(f"{path} cannot be used with {db_path}: " + explain(tax.version, unmapped))


@taxonomy.command("show")
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None)
@pass_ctx
def show(ctx: Context, lang: str | None) -> None:
    """Print the reason codes with their keys, definitions and examples."""
    tax = ctx.taxonomy
    lang = lang or ctx.settings.language
    click.echo(f"taxonomy {tax.version}\n")
    for r in tax.reasons:
        click.echo(f"[{r.key}] {r.label.get(lang)}  ({r.id})")
        click.echo(f"    {r.definition.get(lang)}")
        click.echo(f"    e.g. {r.example.get(lang)}")
        if r.sub_reasons:
            click.echo("    sub-reasons: " + ", ".join(s.label.get(lang) for s in r.sub_reasons))
    click.echo("\nstatuses:")
    for s in tax.statuses:
        flags = ", ".join(
            f for f, on in (("final", s.final), ("reason required", s.requires_reason)) if on
        )
        click.echo(f"[{s.key}] {s.label.get(lang)}  ({s.id}{'; ' + flags if flags else ''})")
