"""The weekly review screen: the same figures as `triage report`, as horizontal bar charts.

Keys: ← / [ previous week, → / ] next week (up to the current, unfinished week), o c s r f
switch sections (overall, channel, segment, reps, funnel), Esc back. The app binds F3 to it.
Everything shown comes from `triage.report.weekly_report` (plain Python); this screen only
draws it. Segment values and rep names are data, never markup: they go into Rich Text
objects with control characters removed.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from triage.report import Week, last_complete_week, week_of, weekly_report
from triage.report.render import change_lines, experiment_lines, pct, text_for
from triage.report.weekly import ReasonCount, Slice, WeeklyReport
from triage.tui.i18n import localize_bindings

BAR_WIDTH = 32
_EIGHTHS = " ▏▎▍▌▋▊▉"

_UI = {
    "en": {"overall": "Overall", "channel": "Channel", "segment": "Segment", "reps": "Reps",
           "funnel": "Funnel", "prev": "Prev week", "next": "Next week", "back": "Back",
           "in_progress": "in progress", "decisions_per_rep": "Decisions per rep"},
    "fr": {"overall": "Global", "channel": "Canal", "segment": "Segment", "reps": "Commerciaux",
           "funnel": "Entonnoir", "prev": "Sem. préc.", "next": "Sem. suiv.", "back": "Retour",
           "in_progress": "en cours", "decisions_per_rep": "Décisions par commercial"},
}
TABS = ("overall", "channel", "segment", "reps", "funnel")


def clean(text: object) -> str:
    """Data shown on screen: no escape sequences, control characters or bidi overrides, one line."""
    from triage.sanitise import one_line

    return one_line(str(text))


def bar(value: float, maximum: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of `width` cells at most, in eighths of a cell."""
    if maximum <= 0 or value <= 0:
        return ""
    eighths = max(1, round(8 * width * value / maximum))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def bar_chart(rows: list[tuple[str, float, str]], style: str = "cyan",
              flagged: set[int] | None = None, dim_from: int | None = None) -> Table:
    """rows = (label, value, figure text). Bars scaled to the largest value; rows from
    `dim_from` on are dimmed (beyond the top 3), `flagged` rows are red."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, min_width=18, max_width=24)
    table.add_column(no_wrap=True, width=BAR_WIDTH)
    table.add_column(no_wrap=True, justify="right")
    top = max((v for _, v, _ in rows), default=0)
    for i, (label, value, figure) in enumerate(rows):
        row_style = "bold red" if flagged and i in flagged else style
        dim = dim_from is not None and i >= dim_from
        table.add_row(Text(clean(label), overflow="ellipsis", style="dim" if dim else "bold"),
                      Text(bar(value, top), style=f"dim {row_style}" if dim else row_style),
                      Text(figure, style="dim" if dim else ""))
    return table


class ReportScreen(Screen):
    """Weekly review with week navigation."""

    DEFAULT_CSS = """
    ReportScreen #report-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    ReportScreen #report-tabs, ReportScreen #report-tabs ContentSwitcher {
        height: 1fr;
    }
    ReportScreen TabPane {
        height: 1fr;
        padding: 0 1;
    }
    ReportScreen .section {
        height: auto;
        margin: 0 0 1 0;
    }
    """

    BINDINGS = [
        Binding("left,left_square_bracket", "previous_week", "◀ week", priority=True,
                id="report.previous_week"),
        Binding("right,right_square_bracket", "next_week", "week ▶", priority=True,
                id="report.next_week"),
        Binding("o", "show_tab('overall')", "Overall", show=False, id="report.overall"),
        Binding("c", "show_tab('channel')", "Channel", show=False, id="report.channel"),
        Binding("s", "show_tab('segment')", "Segment", show=False, id="report.segment"),
        Binding("r", "show_tab('reps')", "Reps", show=False, id="report.reps"),
        Binding("f", "show_tab('funnel')", "Funnel", show=False, id="report.funnel"),
        Binding("escape", "close", "Back", id="report.close"),
    ]

    def __init__(self, store, settings, week: Week | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.settings = settings
        self.lang = getattr(settings, "language", "en") or "en"
        localize_bindings(self, self.lang)
        self.week = week or last_complete_week(store.clock())
        self.report: WeeklyReport | None = None
        self.bodies: dict[str, RenderableType] = {}  # what each section shows (tests read it)

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        ui = _UI.get(self.lang, _UI["en"])
        yield Static(id="report-title")
        with TabbedContent(initial="overall", id="report-tabs"):
            for tab in TABS:
                with TabPane(ui[tab], id=tab), VerticalScroll():
                    yield Static(id=f"{tab}-body", classes="section")
        yield Footer()

    def on_mount(self) -> None:
        self.show_week(self.week)

    # -- actions ----------------------------------------------------------------------------

    def action_previous_week(self) -> None:
        self.show_week(self.week.previous())

    def action_next_week(self) -> None:
        current = week_of(self.store.clock())
        if self.week < current:
            self.show_week(self.week.next())
        else:
            self.app.bell()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    # -- drawing ----------------------------------------------------------------------------

    def show_week(self, week: Week) -> None:
        self.week = week
        self.report = weekly_report(self.store, week)
        ui = _UI.get(self.lang, _UI["en"])
        t = text_for(self.lang)
        title = f"{t['title']} — {week.label} ({week.monday} → {week.sunday})"
        if week == week_of(self.store.clock()):
            title += f" · {ui['in_progress']}"
        if not self.report.empty:
            r = self.report
            title += (
                f" · {r.leads} {t['leads'].lower()} · {r.with_reason} {t['with_reason']}"
                f" · {r.decisions} {t['decisions'].lower()}"
            )
        self.query_one("#report-title", Static).update(Text(title))
        for tab in TABS:
            body = self._empty() if self.report.empty else getattr(self, f"_draw_{tab}")()
            self.bodies[tab] = body
            self.query_one(f"#{tab}-body", Static).update(body)

    def _empty(self) -> RenderableType:
        return Text(text_for(self.lang)["empty"].format(week=self.week.label), style="italic")

    def _label(self, reason: str) -> str:
        return self.store.taxonomy.reason_label(reason, self.lang)

    def _reason_rows(self, counts: list[ReasonCount]) -> list[tuple[str, float, str]]:
        return [(self._label(r.reason), r.count, f"{r.count:>4}  {pct(r.share):>7}") for r in counts]

    def _heading(self, text: str) -> Text:
        return Text(clean(text), style="bold underline")

    def _draw_overall(self) -> RenderableType:
        r = self.report
        t = text_for(self.lang)
        parts: list[RenderableType] = [
            self._heading(t["top"].format(n=r.thresholds.top)),
            bar_chart(self._reason_rows(r.reasons), dim_from=r.thresholds.top),
            Text(""),
            self._heading(t["change"].format(week=r.change.previous_week)),
        ]
        parts += [Text(clean(line)) for line in change_lines(r, self.store.taxonomy, self.lang)]
        if r.experiments:
            parts += [Text(""), self._heading(t["experiments"])]
            parts += [Text(clean(line)) for line in experiment_lines(r, self.store.taxonomy, self.lang)]
        return Group(*parts)

    def _slices(self, title: str, slices: list[Slice]) -> list[RenderableType]:
        t = text_for(self.lang)
        parts: list[RenderableType] = [self._heading(title)]
        for s in slices:
            name = s.value if s.value is not None else t["not_set"]
            parts.append(Text(f"{clean(name)} — {s.with_reason} {t['with_reason']}", style="bold"))
            parts.append(bar_chart(self._reason_rows(s.top)))
        parts.append(Text(""))
        return parts

    def _draw_channel(self) -> RenderableType:
        t = text_for(self.lang)
        return Group(*self._slices(t["by_channel"].format(n=self.report.thresholds.top),
                                   self.report.by_channel))

    def _draw_segment(self) -> RenderableType:
        t = text_for(self.lang)
        parts: list[RenderableType] = []
        for field, slices in self.report.by_segment.items():
            parts += self._slices(t["by"].format(n=self.report.thresholds.top, field=t[field]),
                                  slices)
        return Group(*parts)

    def _draw_reps(self) -> RenderableType:
        r = self.report
        t = text_for(self.lang)
        ui = _UI.get(self.lang, _UI["en"])
        unknown_rows = [
            (rep.rep, rep.unknown_share or 0,
             f"{rep.unknown:>3}/{rep.with_reason:<3} {pct(rep.unknown_share):>7}"
             + (f"  {t['flag']}" if rep.flagged else ""))
            for rep in r.reps
        ]
        flagged = {i for i, rep in enumerate(r.reps) if rep.flagged}
        parts: list[RenderableType] = [
            self._heading(t["unknown_title"].format(pct=pct(r.thresholds.unknown_share))),
            bar_chart(unknown_rows, style="yellow", flagged=flagged),
        ]
        if flagged:
            parts.append(Text(t["ask"], style="italic"))
        parts += [
            Text(""),
            self._heading(ui["decisions_per_rep"]),
            bar_chart([(rep.rep, rep.decisions, f"{rep.decisions:>4}") for rep in r.reps]),
        ]
        return Group(*parts)

    def _draw_funnel(self) -> RenderableType:
        t = text_for(self.lang)
        rows = [
            (self.store.taxonomy.status_label(f.status, self.lang), f.leads, f"{f.leads:>4}")
            for f in self.report.funnel
        ]
        return Group(self._heading(t["funnel"]), bar_chart(rows, style="green"))
