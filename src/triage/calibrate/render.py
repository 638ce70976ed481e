"""Calibration results as plain text, Markdown or JSON (for `triage calibrate report`)."""

from __future__ import annotations

import json

from triage.calibrate.results import CalibrationResults
from triage.calibrate.thresholds import PAIRS_SHOWN
from triage.sanitise import plain


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _k(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.2f}"


def _named(r: CalibrationResults, code: str | None) -> str:
    return "—" if code is None else r.code_labels.get(code, code)


def _cell(r: CalibrationResults, code: str | None, secondary: str | None = None,
          named: bool = False) -> str:
    """A rep's label: codes in the text report, labels (in the report's language) in Markdown."""
    if code is None:
        return "·"
    show = (lambda c: _named(r, c)) if named else (lambda c: c)
    return show(code) + (f" (+{show(secondary)})" if secondary else "")


def _one_line(text: str, width: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_json(r: CalibrationResults) -> str:
    return json.dumps(r.as_dict(), ensure_ascii=False, indent=2, default=str)


def render_text(r: CalibrationResults) -> str:
    s = r.session
    out = [f"Calibration {s.id}: {s.name}  ({len(r.items)} leads, taxonomy {s.taxonomy_version})",
           f"Reps: {', '.join(f'{rep} {r.labelled[rep]}/{len(r.items)}' for rep in r.reps) or '—'}",
           ""]
    head = ["#", "lead", *r.reps, "original"]
    rows = [[str(m.position), _one_line(m.title, 34),
             *[_cell(r, m.labels[rep], m.secondary[rep]) for rep in r.reps],
             m.original or "—"] for m in r.items]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    for line in [head, *rows]:
        out.append("  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip())
    out += ["", f"Verdict: {r.verdict.upper()}"]
    out += [f"  {c}" for c in r.conclusions]
    out += ["", f"Percent agreement: {_pct(r.percent_agreement)} of rep pairs agree "
            f"({r.unanimous}/{r.compared} leads unanimous)",
            f"Fleiss' kappa (all reps): {_k(r.fleiss.value)} ({r.fleiss.strength}, "
            f"{r.fleiss.n} leads)"]
    if r.pairs:
        out.append("Cohen's kappa per pair:")
        out += [f"  {p.rep_a} / {p.rep_b}: {_k(p.kappa.value)} ({p.kappa.strength}), "
                f"agree {_pct(p.agreement)} on {p.kappa.n} leads" for p in r.pairs]
    if any(o.n for o in r.vs_original):
        out.append("Agreement with the original decision:")
        out += [f"  {o.rep}: {o.agreed}/{o.n} ({_pct(o.share)}), kappa {_k(o.kappa.value)}"
                for o in r.vs_original]
    if r.codes:
        out.append("Per code (labels, kappa, when one rep picks it the others agree):")
        out += [f"  {c.label}: {c.labels}, kappa {_k(c.kappa)}, {_pct(c.specific)}"
                for c in r.codes]
    if r.confused:
        out += ["", "Most-confused code pairs:"]
        for c in r.confused[:PAIRS_SHOWN]:
            out += [f"  {c.label_a} vs {c.label_b}: {c.leads} lead(s) "
                    f"(#{', #'.join(map(str, c.positions))}) -> {c.action}",
                    f"    {c.label_a}: {c.definition_a}",
                    f"    {c.label_b}: {c.definition_b}"]
        if len(r.confused) > PAIRS_SHOWN:
            out.append(f"  (+{len(r.confused) - PAIRS_SHOWN} more pairs in --format json)")
    out += ["", f"Thresholds: {r.thresholds}"]
    return "\n".join(out) + "\n"


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_md(r: CalibrationResults) -> str:
    s = r.session
    out = [f"# Calibration: {_md(s.name)}", "",
           f"{len(r.items)} leads · taxonomy {s.taxonomy_version} · reps: "
           + (", ".join(f"{_md(rep)} ({r.labelled[rep]}/{len(r.items)})" for rep in r.reps)
              or "—"),
           "", f"**Verdict: {r.verdict}**", ""]
    out += [f"- {_md(c)}" for c in r.conclusions]
    out += ["", "## Labels", "",
            "| # | lead | " + " | ".join(_md(x) for x in r.reps) + " | original |",
            "|---|---|" + "---|" * len(r.reps) + "---|"]
    for m in r.items:
        cells = [_cell(r, m.labels[rep], m.secondary[rep], named=True) for rep in r.reps]
        out.append(f"| {m.position} | {_md(_one_line(m.title, 50))} | "
                   + " | ".join(_md(c) for c in cells) + f" | {_named(r, m.original)} |")
    out += ["", "## Agreement", "",
            f"- Percent agreement: {_pct(r.percent_agreement)} "
            f"({r.unanimous}/{r.compared} leads unanimous)",
            f"- Fleiss' kappa: {_k(r.fleiss.value)} ({r.fleiss.strength})"]
    out += [f"- Cohen's kappa {_md(p.rep_a)} / {_md(p.rep_b)}: {_k(p.kappa.value)} "
            f"({p.kappa.strength})" for p in r.pairs]
    out += [f"- {_md(o.rep)} vs original decision: {o.agreed}/{o.n} ({_pct(o.share)})"
            for o in r.vs_original if o.n]
    if r.codes:
        out += ["", "| code | labels | kappa | others agree |", "|---|---|---|---|"]
        out += [f"| {_md(c.label)} | {c.labels} | {_k(c.kappa)} | {_pct(c.specific)} |"
                for c in r.codes]
    if r.confused:
        out += ["", "## Most-confused code pairs", ""]
        for c in r.confused[:PAIRS_SHOWN]:
            out += [f"### {_md(c.label_a)} vs {_md(c.label_b)} — {c.leads} lead(s), {c.action}",
                    "", f"| {_md(c.label_a)} | {_md(c.label_b)} |", "|---|---|",
                    f"| {_md(c.definition_a)} | {_md(c.definition_b)} |",
                    f"| *{_md(c.example_a)}* | *{_md(c.example_b)}* |", ""]
    out += ["", f"Thresholds: {r.thresholds}", ""]
    return "\n".join(out)


def _safe(render):
    """Titles, rep and session names may come from email or a pack: never let a terminal
    escape sequence or control character through."""

    def rendered(r: CalibrationResults) -> str:
        return plain(render(r))

    return rendered


RENDERERS = {"text": _safe(render_text), "md": _safe(render_md), "json": _safe(render_json)}
