"""`triage calibrate`: sessions of past leads labelled blind by several reps, then compared."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from triage.cli.common import Context, UserError, pass_ctx


def _fail(exc: Exception) -> UserError:
    return UserError(str(exc))


def _session(store, ref: str):
    from triage.calibrate import CalibrationError, resolve_session

    try:
        return resolve_session(store, ref)
    except CalibrationError as exc:
        raise _fail(exc) from None


def _reason(tax, value: str | None, what: str) -> str | None:
    """A reason id, or its key letter as on the queue screen (t = timing)."""
    if value is None or value == "":
        return None
    if len(value) == 1:
        r = tax.reason_by_key(value.lower())
        if r is None:
            raise UserError(f"{what}: no reason has the key {value!r}")
        return r.id
    return value


@click.group()
def calibrate() -> None:
    """Calibration: reps label the same past leads blind, then compare their labels.

    \b
    triage calibrate new --size 10          pick 10 past decided leads
    triage calibrate label SESSION          label them (full screen)
    triage calibrate report SESSION         agreement, kappas, confused codes
    triage calibrate export SESSION FILE    a pack for reps on other databases
    triage calibrate import FILE            merge their labels back
    """


@calibrate.command("new")
@click.option("--size", default=10, show_default=True, help="How many leads.")
@click.option("--name", default=None, help="Session name (default: 'Calibration DATE').")
@click.option("--since", default=None, metavar="DATE", help="Only decisions made on/after DATE.")
@click.option("--seed", type=int, default=None, help="Same seed, same leads and order.")
@pass_ctx
def new(ctx: Context, size: int, name: str | None, since: str | None, seed: int | None) -> None:
    """Pick past decided leads, stratified across reason codes, into a new session."""
    from triage.calibrate import CalibrationError, create_session
    from triage.timeutil import parse_day

    try:
        since_day = parse_day(since)
    except ValueError:
        raise UserError(f"--since: {since!r} is not a date (YYYY-MM-DD)") from None
    with ctx.open_store(must_exist=True) as store:
        try:
            s = create_session(store, size=size, name=name, since=since_day, seed=seed,
                               created_by=ctx.settings.rep)
        except CalibrationError as exc:
            raise _fail(exc) from None
        click.echo(f"Session {s.id} {s.name!r}: {s.size} leads (seed {s.seed}, uid {s.uid[:8]}).")
        click.echo(f"Label:  triage calibrate label {s.id} --rep NAME")
        click.echo(f"Share:  triage calibrate export {s.id} calibration-{s.id}.json --no-labels")


@calibrate.command("list")
@pass_ctx
def list_(ctx: Context) -> None:
    """Sessions, newest first, with who labelled how many leads."""
    from triage.calibrate import list_sessions
    from triage.sanitise import one_line

    with ctx.open_store(must_exist=True) as store:
        rows = list_sessions(store)
        if not rows:
            click.echo("No calibration sessions yet: triage calibrate new --size 10")
            return
        for s in rows:
            reps = ", ".join(f"{one_line(rep)} {n}/{s['size']}" for rep, n in s["reps"].items()) \
                or "no labels"
            origin = " (from a pack)" if s["origin"] == "pack" else ""
            click.echo(f"{s['id']:>3}  {s['created_at'][:10]}  {one_line(s['name'])}{origin}  "
                       f"{s['size']} leads  [{reps}]")


@calibrate.command("show")
@click.argument("session")
@click.option("--lead", "position", type=int, default=None, help="Only lead #N of the session.")
@pass_ctx
def show(ctx: Context, session: str, position: int | None) -> None:
    """Print the leads as reps see them: thread text only (no classification, no decision)."""
    from triage.calibrate import items
    from triage.sanitise import plain as printable

    with ctx.open_store(must_exist=True) as store:
        s = _session(store, session)
        for it in items(store, s.id):
            if position is not None and it["position"] != position:
                continue
            lead = it["blind"].get("lead", {})
            who = ", ".join(str(v) for v in lead.values())
            click.echo(f"=== #{it['position']}  lead {it['lead_ref']}  {printable(who)}")
            for m in it["blind"].get("messages", []):
                arrow = "<-" if m["direction"] == "in" else "->"
                click.echo(f"{arrow} {m.get('sent_at') or ''}  {printable(m.get('from'))}")
                click.echo(f"   {printable(m.get('subject'))}")
                click.echo(printable(m.get("body")).rstrip() + "\n")


@calibrate.command("add-label")
@click.argument("session")
@click.argument("lead", type=int)
@click.option("--rep", required=True, help="Who labels.")
@click.option("--primary", required=True, help="Reason id or key letter (t = timing).")
@click.option("--secondary", default=None, help="Optional second reason.")
@click.option("--position", is_flag=True, help="LEAD is the lead's #N in the session.")
@pass_ctx
def add_label_(ctx: Context, session: str, lead: int, rep: str, primary: str,
               secondary: str | None, position: bool) -> None:
    """Record REP's label of LEAD (its lead id) in SESSION; decisions are never touched."""
    from triage.calibrate import CalibrationError, add_label

    with ctx.open_store(must_exist=True) as store:
        s = _session(store, session)
        tax = store.taxonomy
        p, sec = _reason(tax, primary, "--primary"), _reason(tax, secondary, "--secondary")
        try:
            add_label(store, s.id, rep, p, sec,
                      **({"position": lead} if position else {"lead": lead}))
        except CalibrationError as exc:
            raise _fail(exc) from None
        click.echo(f"{rep}: {p}{' + ' + sec if sec else ''}")


@calibrate.command("label")
@click.argument("session")
@click.option("--rep", default=None, help="Who labels (default: the rep in settings).")
@pass_ctx
def label(ctx: Context, session: str, rep: str | None) -> None:
    """Label SESSION's leads blind, full screen, then see the results."""
    if not sys.stdout.isatty():
        raise UserError("labelling needs a terminal; use `triage calibrate add-label`")
    import dataclasses

    from triage.tui.screens.calibration import run_calibration

    settings = ctx.settings
    if rep:
        settings = dataclasses.replace(settings, rep=rep)
    with ctx.open_store(must_exist=True) as store:
        s = _session(store, session)
        run_calibration(store, settings, s.id)


@calibrate.command("report")
@click.argument("session")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text",
              show_default=True)
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None,
              help="Language of labels and definitions (default: settings).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@pass_ctx
def report(ctx: Context, session: str, fmt: str, lang: str | None, output: Path | None) -> None:
    """Label matrix, percent agreement, Cohen's and Fleiss' kappa, confused code pairs."""
    from triage.calibrate import session_results
    from triage.calibrate.render import RENDERERS

    with ctx.open_store(must_exist=True) as store:
        s = _session(store, session)
        text = RENDERERS[fmt](session_results(store, s.id, lang or ctx.settings.language))
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}")
    else:
        click.echo(text, nl=False)


@calibrate.command("export")
@click.argument("session")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--rep", "reps", multiple=True, help="Only these reps' labels (repeatable).")
@click.option("--no-labels", is_flag=True, help="A blank pack: reps see nobody's labels.")
@pass_ctx
def export(ctx: Context, session: str, file: Path, reps: tuple[str, ...], no_labels: bool) -> None:
    """Write SESSION as a calibration pack (one JSON file) for reps on other databases."""
    from triage.calibrate.pack import export_pack

    with ctx.open_store(must_exist=True) as store:
        s = _session(store, session)
        try:
            got = export_pack(store, s.id, file, list(reps) or None, not no_labels)
        except OSError as exc:
            raise UserError(f"{file}: cannot write: {exc.strerror}") from None
    click.echo(f"Wrote {file}: {got['items']} leads, {got['labels']} labels.")


@calibrate.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
def import_(ctx: Context, files: tuple[Path, ...]) -> None:
    """Merge calibration packs: create the session if new, add or update labels."""
    from triage.calibrate.pack import PackError, import_pack

    failed = 0
    with ctx.open_store() as store:
        for f in files:
            try:
                got = import_pack(store, f)
            except PackError as exc:
                click.echo(f"triage: {exc}", err=True)
                failed += 1
                continue
            click.echo(f"{f}: session {got['id']} ({got['session']}): {got['added']} added, "
                       f"{got['updated']} updated, {got['unchanged']} unchanged, "
                       f"{got['older']} older ignored")
            if got["taxonomy_version"] != store.taxonomy.version:
                click.echo(f"  note: the session was made under taxonomy "
                           f"{got['taxonomy_version']}, this database uses "
                           f"{store.taxonomy.version} (retired codes were mapped forward)")
    if failed:
        raise UserError(f"{failed} pack(s) not imported (nothing written from them)")
