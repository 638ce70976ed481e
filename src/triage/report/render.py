"""The weekly review as Markdown (for the CRM / wiki), JSON (for tools) or plain text."""

from __future__ import annotations

import json

from triage.report.weekly import ReasonCount, Slice, WeeklyReport
from triage.taxonomy import Taxonomy

FORMATS = ("md", "json", "text")

_T = {
    "en": {
        "title": "Weekly review",
        "empty": "No decisions in {week}.",
        "unit": "Counting unit",
        "summary": "{leads} leads decided ({decisions} decisions), {with_reason} with a reason.",
        "top": "Top {n} reasons",
        "reason": "Reason",
        "count": "Count",
        "share": "%",
        "by_channel": "Top {n} by channel",
        "by": "Top {n} by {field}",
        "channel": "channel",
        "persona": "persona",
        "industry": "industry",
        "company_size": "company size",
        "not_set": "(not set)",
        "with_reason": "with a reason",
        "change": "What changed since {week}",
        "no_previous": "No decisions with a reason in {week}: nothing to compare.",
        "new": "New reasons",
        "spikes": "Spikes",
        "segment_spikes": "Spikes by segment",
        "gone": "Gone",
        "none": "none",
        "spike_rule": "spike: ≥ {min} leads and share +{points} points or ×{ratio}",
        "unknown_title": "Unknown share per rep (flag above {pct})",
        "rep": "Rep",
        "unknown": "Unknown",
        "flag": "FLAG",
        "funnel": "Status funnel (leads that reached each status this week)",
        "status": "Status",
        "leads": "Leads",
        "per_rep": "Decisions per rep",
        "decisions": "Decisions",
        "experiments": "Experiments running this week (before vs after, to the end of the week)",
        "ask": "Ask: \u201cIs it mostly timing, budget or fit?\u201d",
    },
    "fr": {
        "title": "Revue hebdomadaire",
        "empty": "Aucune décision en {week}.",
        "unit": "Unité de compte",
        "summary": "{leads} leads décidés ({decisions} décisions), dont {with_reason} avec une raison.",
        "top": "Top {n} des raisons",
        "reason": "Raison",
        "count": "Nombre",
        "share": "%",
        "by_channel": "Top {n} par canal",
        "by": "Top {n} par {field}",
        "channel": "canal",
        "persona": "persona",
        "industry": "secteur",
        "company_size": "taille d'entreprise",
        "not_set": "(non renseigné)",
        "with_reason": "avec raison",
        "change": "Ce qui a changé depuis {week}",
        "no_previous": "Aucune décision avec raison en {week} : rien à comparer.",
        "new": "Nouvelles raisons",
        "spikes": "Pics",
        "segment_spikes": "Pics par segment",
        "gone": "Disparues",
        "none": "—",
        "unit_text": "dernière décision effective par lead sur la période (décisions annulées "
        "exclues ; codes retirés comptés sous le code qui les remplace)",
        "spike_rule": "pic : ≥ {min} leads et part +{points} points ou ×{ratio}",
        "unknown_title": "Part d'Inconnu par commercial (alerte au-dessus de {pct})",
        "rep": "Commercial",
        "unknown": "Inconnu",
        "flag": "ALERTE",
        "funnel": "Entonnoir des statuts (leads ayant atteint chaque statut cette semaine)",
        "status": "Statut",
        "leads": "Leads",
        "per_rep": "Décisions par commercial",
        "decisions": "Décisions",
        "experiments": "Expériences en cours cette semaine (avant / après, jusqu'à la fin de la semaine)",
        "ask": "Question : « Est-ce surtout une question de timing, de budget ou d'adéquation ? »",
    },
}


def text_for(lang: str) -> dict[str, str]:
    return _T.get(lang, _T["en"])


def pct(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.1f} %"


def render(report: WeeklyReport, fmt: str, taxonomy: Taxonomy, lang: str = "en") -> str:
    if fmt == "json":
        return render_json(report, taxonomy, lang)
    # lead fields come from CRM files: no terminal escape may reach `cat report.md`
    from triage.sanitise import plain

    if fmt == "md":
        return plain(render_markdown(report, taxonomy, lang))
    if fmt == "text":
        return plain(render_text(report, taxonomy, lang))
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


def render_json(report: WeeklyReport, taxonomy: Taxonomy, lang: str = "en") -> str:
    data = report.as_dict()
    data["labels"] = {
        **{r.id: r.label.get(lang) for r in taxonomy.reasons},
        **{s.id: s.label.get(lang) for s in taxonomy.statuses},
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return out


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _rc(r: ReasonCount, taxonomy: Taxonomy, lang: str) -> str:
    return f"{taxonomy.reason_label(r.reason, lang)} {r.count} ({pct(r.share)})"


def _slice_rows(slices: list[Slice], taxonomy: Taxonomy, lang: str, n: int) -> list[list[str]]:
    t = text_for(lang)
    rows = []
    for s in slices:
        tops = [_rc(r, taxonomy, lang) for r in s.top] + ["" for _ in range(n - len(s.top))]
        rows.append([s.value if s.value is not None else t["not_set"], str(s.with_reason), *tops])
    return rows


def _sections(report: WeeklyReport, taxonomy: Taxonomy, lang: str) -> list[tuple[str, list]]:
    """(title, table) pairs shared by Markdown and text: table = (header, rows)."""
    t = text_for(lang)
    th = report.thresholds
    n = th.top
    nth = [f"#{i + 1}" for i in range(n)]
    out: list[tuple[str, list]] = []
    out.append(
        (
            t["top"].format(n=n),
            [
                [t["reason"], t["count"], t["share"]],
                [[taxonomy.reason_label(r.reason, lang), str(r.count), pct(r.share)] for r in report.top],
            ],
        )
    )
    out.append(
        (
            t["by_channel"].format(n=n),
            [[t["channel"], t["with_reason"], *nth], _slice_rows(report.by_channel, taxonomy, lang, n)],
        )
    )
    for field_name, slices in report.by_segment.items():
        out.append(
            (
                t["by"].format(n=n, field=t[field_name]),
                [[t[field_name], t["with_reason"], *nth], _slice_rows(slices, taxonomy, lang, n)],
            )
        )
    out.append(
        (
            t["unknown_title"].format(pct=pct(th.unknown_share)),
            [
                [t["rep"], t["with_reason"], t["unknown"], t["share"], ""],
                [
                    [r.rep, str(r.with_reason), str(r.unknown), pct(r.unknown_share), t["flag"] if r.flagged else ""]
                    for r in report.reps
                ],
            ],
        )
    )
    out.append(
        (
            t["funnel"],
            [[t["status"], t["leads"]], [[taxonomy.status_label(f.status, lang), str(f.leads)] for f in report.funnel]],
        )
    )
    out.append(
        (
            t["per_rep"],
            [[t["rep"], t["decisions"], t["leads"]], [[r.rep, str(r.decisions), str(r.leads)] for r in report.reps]],
        )
    )
    return out


def change_lines(report: WeeklyReport, taxonomy: Taxonomy, lang: str) -> list[str]:
    t = text_for(lang)
    c = report.change
    th = report.thresholds
    if c.previous_with_reason == 0:
        return [t["no_previous"].format(week=c.previous_week)]
    new = ", ".join(_rc(r, taxonomy, lang) for r in c.new) or t["none"]
    spikes = "; ".join(spike_text(s, taxonomy, lang) for s in c.spikes) or t["none"]
    by_segment = "; ".join(
        f"{t[g.field]} {g.value}: {spike_text(g.spike, taxonomy, lang)}" for g in c.segment_spikes
    ) or t["none"]
    gone = ", ".join(f"{taxonomy.reason_label(r.reason, lang)} ({r.count})" for r in c.gone)
    rule = t["spike_rule"].format(min=th.spike_min_count, points=f"{th.spike_points:g}", ratio=f"{th.spike_ratio:g}")
    return [
        f"{t['new']}: {new}",
        f"{t['spikes']}: {spikes}",
        f"{t['segment_spikes']}: {by_segment}",
        f"{t['gone']}: {gone or t['none']}",
        f"({rule})",
    ]


def spike_text(s, taxonomy: Taxonomy, lang: str) -> str:
    return (
        f"{taxonomy.reason_label(s.reason, lang)} {pct(s.previous_share)} → {pct(s.share)} "
        f"({s.points:+.1f} pts" + (f", ×{s.ratio:.1f}" if s.ratio else "")
        + f"; {s.previous_count} → {s.count})"
    )


def experiment_lines(report: WeeklyReport, taxonomy: Taxonomy, lang: str) -> list[str]:
    """One line per experiment running during the week."""
    from triage.experiments import summary_line

    return [summary_line(e, taxonomy, lang) for e in report.experiments]


def _heading(report: WeeklyReport, lang: str) -> str:
    w = report.week
    return f"{text_for(lang)['title']} — {w.label} ({w.monday.isoformat()} → {w.sunday.isoformat()})"


def render_markdown(report: WeeklyReport, taxonomy: Taxonomy, lang: str = "en") -> str:
    t = text_for(lang)
    lines = [f"# {_heading(report, lang)}", ""]
    if report.empty:
        return "\n".join([*lines, t["empty"].format(week=report.week.label), ""])
    lines += [
        t["summary"].format(leads=report.leads, decisions=report.decisions, with_reason=report.with_reason),
        "",
        f"*{t['unit']}: {t.get('unit_text', report.counting_unit)}.*",
        "",
    ]
    sections = _sections(report, taxonomy, lang)
    for i, (title, (header, rows)) in enumerate(sections):
        lines += [f"## {title}", "", *_md_table(header, rows), ""]
        if i == 1 + len(report.by_segment):  # after the segments: what changed
            lines += [f"## {t['change'].format(week=report.change.previous_week)}", ""]
            lines += [f"- {ln}" for ln in change_lines(report, taxonomy, lang)] + [""]
        if i == 2 + len(report.by_segment) and any(r.flagged for r in report.reps):
            lines += [t["ask"], ""]
    if report.experiments:
        lines += [f"## {t['experiments']}", ""]
        lines += [f"- {ln}" for ln in experiment_lines(report, taxonomy, lang)] + [""]
    return "\n".join(lines)


def _text_table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    fmt = lambda row: "  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip()  # noqa: E731
    return [fmt(header), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)]


def render_text(report: WeeklyReport, taxonomy: Taxonomy, lang: str = "en") -> str:
    t = text_for(lang)
    heading = _heading(report, lang)
    lines = [heading, "=" * len(heading), ""]
    if report.empty:
        return "\n".join([*lines, t["empty"].format(week=report.week.label), ""])
    lines += [
        t["summary"].format(leads=report.leads, decisions=report.decisions, with_reason=report.with_reason),
        f"{t['unit']}: {t.get('unit_text', report.counting_unit)}.",
        "",
    ]
    for i, (title, (header, rows)) in enumerate(_sections(report, taxonomy, lang)):
        lines += [title, "-" * len(title), *_text_table(header, rows), ""]
        if i == 1 + len(report.by_segment):
            title = t["change"].format(week=report.change.previous_week)
            lines += [title, "-" * len(title), *change_lines(report, taxonomy, lang), ""]
    if report.experiments:
        title = t["experiments"]
        lines += [title, "-" * len(title), *experiment_lines(report, taxonomy, lang), ""]
    return "\n".join(lines)
