"""The calibration screen: pick a session, label its leads blind, then see the results.

Thin over `triage.calibrate`: every label is saved the moment its key is pressed (one
transaction), in the calibration tables only — decisions and lead state are never touched.
Email text is data: it is shown through `rich.text.Text` (never parsed as markup) after
terminal escapes and control characters are stripped.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, OptionList, Static
from textual.widgets.option_list import Option

from triage.calibrate import (
    CalibrationError,
    CalibrationResults,
    add_label,
    create_session,
    items,
    list_sessions,
    rep_labels,
    session_results,
)
from triage.calibrate import thresholds as th
from triage.sanitise import plain as printable
from triage.tui.i18n import localize_bindings

#: The labelling view's words in both languages (the results keep statistics' English terms).
WORDS: dict[str, tuple[str, str]] = {
    "choose": ("Calibration · {rep} · choose a session", "Calibrage · {rep} · choisir une session"),
    "labelling": ("Calibration · {rep} · label blind", "Calibrage · {rep} · étiquetage à l'aveugle"),
    "results": ("Calibration · results · {name}", "Calibrage · résultats · {name}"),
    "session": ("  {day} · {size} leads · you {done}/{size} · {reps} rep(s)",
                "  {day} · {size} leads · vous {done}/{size} · {reps} commercial(aux)"),
    "none": ("No calibration sessions yet: run `triage calibrate new --size 10`",
             "Aucune session de calibrage : lancez `triage calibrate new --size 10`"),
    "progress": ("Lead {i} / {n}  ·  labelled {done} / {n}",
                 "Lead {i} / {n}  ·  étiquetés {done} / {n}"),
    "yours": ("Your label: ", "Votre étiquette : "),
    "press": ("— press a reason key", "— tapez la lettre d'une raison"),
    "help": ("letter = primary · Shift+letter = secondary · Enter/j next · k previous "
             "· v results · Esc back",
             "lettre = principale · Maj+lettre = secondaire · Entrée/j suivant · k précédent "
             "· v résultats · Échap retour"),
    "title": ("Calibration", "Calibrage"),
    "primary_first": ("Choose the primary reason first (its letter).",
                      "Choisissez d'abord la raison principale (sa lettre)."),
    "same": ("The secondary reason cannot be the primary.",
             "La raison secondaire ne peut pas être la principale."),
    "peek": ("The results show the others' labels: finish your {left} remaining lead(s) "
             "first, or press v again to look now.",
             "Les résultats montrent les étiquettes des autres : terminez vos {left} lead(s) "
             "restant(s), ou tapez v à nouveau pour les voir maintenant."),
    "created": ("Session {name!r}: {size} leads", "Session {name!r} : {size} leads"),
    "missing": ("Still to label: #{which}", "Reste à étiqueter : #{which}"),
}


def _k(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.2f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def results_renderable(r: CalibrationResults, taxonomy, lang: str = "en") -> RenderableType:  # noqa: ANN001
    """The results as Rich renderables built from Text only (names and codes are data)."""

    def label(code: str) -> str:
        return taxonomy.reason_label(code, lang)

    parts: list[RenderableType] = []
    title = Text()
    title.append(printable(r.session.name), style="bold")
    title.append(f"  ·  {len(r.items)} leads  ·  verdict: ")
    title.append(r.verdict.upper(), style={"good": "bold green", "rewrite": "bold red"}.get(
        r.verdict, "bold yellow"))
    parts.append(title)

    matrix = Table(expand=False, show_edge=False, pad_edge=False, header_style="bold")
    matrix.add_column("#", justify="right")
    matrix.add_column("lead", max_width=28, no_wrap=True, overflow="ellipsis")
    for rep in r.reps:
        matrix.add_column(Text(printable(rep)))
    matrix.add_column("original")
    matrix.add_column("agree", justify="right")
    for m in r.items:
        cells = []
        for rep in r.reps:
            code = m.labels[rep]
            cell = Text("·" if code is None else label(code))
            if m.secondary[rep]:
                cell.append(f" +{label(m.secondary[rep])}", style="dim")
            if code is not None and m.original is not None and code != m.original:
                cell.stylize("yellow")
            cells.append(cell)
        matrix.add_row(Text(str(m.position)), Text(printable(m.title)), *cells,
                       Text(label(m.original) if m.original else "—"),
                       Text(_pct(m.agreement)))
    parts += [Text(""), matrix, Text("")]

    stats = Text()
    stats.append("Percent agreement ", style="bold")
    stats.append(f"{_pct(r.percent_agreement)}  ({r.unanimous}/{r.compared} unanimous)\n")
    stats.append("Fleiss' kappa ", style="bold")
    stats.append(f"{_k(r.fleiss.value)} ({r.fleiss.strength})\n")
    for p in r.pairs:
        stats.append(f"Cohen's kappa {printable(p.rep_a)} / {printable(p.rep_b)}: "
                     f"{_k(p.kappa.value)} "
                     f"({p.kappa.strength}), agree {_pct(p.agreement)}\n")
    for o in r.vs_original:
        if o.n:
            stats.append(f"{printable(o.rep)} vs original decision: {o.agreed}/{o.n} ({_pct(o.share)})\n")
    parts.append(stats)
    if r.codes:
        per_code = Table(show_edge=False, pad_edge=False, header_style="bold")
        per_code.add_column("code")
        per_code.add_column("labels", justify="right")
        per_code.add_column("kappa", justify="right")
        per_code.add_column("others agree", justify="right")
        for c in r.codes:
            per_code.add_row(Text(label(c.code)), Text(str(c.labels)), Text(_k(c.kappa)),
                             Text(_pct(c.specific)))
        parts += [per_code, Text("")]

    for c in r.conclusions:
        parts.append(Text(f"• {printable(c)}"))
    if r.confused:
        parts.append(Text(""))
        pairs = Table(title=Text("Most-confused code pairs", style="bold"), expand=True,
                      show_lines=True, header_style="bold")
        pairs.add_column("leads", justify="right", width=5)
        pairs.add_column("definition A", ratio=1)
        pairs.add_column("definition B", ratio=1)
        pairs.add_column("action", width=8)
        for c in r.confused[: th.PAIRS_SHOWN]:
            a = Text(c.label_a + "\n", style="bold")
            a.append(c.definition_a)
            b = Text(c.label_b + "\n", style="bold")
            b.append(c.definition_b)
            pairs.add_row(Text(str(c.leads)), a, b, Text(c.action, style="bold red"
                                                        if c.action == "rewrite" else ""))
        parts.append(pairs)
        if len(r.confused) > th.PAIRS_SHOWN:
            parts.append(Text(f"+{len(r.confused) - th.PAIRS_SHOWN} more pairs split on one "
                              "lead (triage calibrate report --format json)", style="dim"))
    parts += [Text(""), Text(f"Thresholds: {th.SUMMARY}", style="dim")]
    return Group(*parts)


#: Quoted history lines shown (dimmed) under a reply; the thread shows those messages anyway.
QUOTED_LINES = 4


def _split(body: str) -> tuple[str, str, str]:
    """(new text, quoted history, signature); the whole body if splitting fails."""
    from triage.classify.quotes import split_reply

    try:
        return split_reply(body)
    except Exception:  # a splitter bug must never hide a message
        return body, "", ""


def blind_renderable(item: dict) -> Text:
    """One lead as a rep labels it: profile, then messages newest first (as on the queue
    screen: the reply being calibrated is on top), all literal text."""
    blind = item["blind"]
    out = Text()
    lead = blind.get("lead", {})
    if lead:
        out.append(" · ".join(printable(str(v)) for v in lead.values()), style="bold")
        out.append("\n\n")
    for m in reversed(blind.get("messages", [])):
        inbound = m.get("direction") == "in"
        out.append("◀ " if inbound else "▶ ", style="bold cyan" if inbound else "dim")
        out.append(printable(m.get("from") or ""), style="bold" if inbound else "dim")
        out.append(f"  {printable(m.get('sent_at') or '')}\n", style="dim")
        if m.get("subject"):
            out.append(printable(m["subject"]) + "\n", style="italic")
        new, quoted, signature = _split(printable(m.get("body") or ""))
        out.append((new or "").rstrip() + "\n", style="" if inbound else "dim")
        if signature:
            out.append(signature.rstrip() + "\n", style="dim")
        if quoted:
            lines = quoted.strip().split("\n")
            out.append("\n".join(lines[:QUOTED_LINES]) + "\n", style="dim italic")
            if len(lines) > QUOTED_LINES:
                out.append(f"… {len(lines) - QUOTED_LINES} more quoted lines\n", style="dim")
        out.append("\n")
    return out


class CalibrationScreen(Screen):
    """Choose a session, label its leads blind one by one, then see where reps disagree."""

    DEFAULT_CSS = """
    CalibrationScreen #cal-title { height: 1; padding: 0 1; background: $primary; color: $text; }
    CalibrationScreen #cal-switcher { height: 1fr; }
    CalibrationScreen #cal-sessions { height: 1fr; }
    CalibrationScreen #cal-label { height: 1fr; }
    CalibrationScreen #cal-progress { height: 1; padding: 0 1; background: $boost; }
    CalibrationScreen #cal-thread { height: 1fr; padding: 0 1; }
    CalibrationScreen #cal-choice { height: 2; padding: 0 1; border-top: solid $primary; }
    CalibrationScreen #cal-keys { height: auto; padding: 0 1; color: $text-muted; }
    CalibrationScreen #cal-results { height: 1fr; padding: 0 1; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="calibration.back",
                tooltip="Back to the session list, or leave calibration"),
        Binding("enter", "next", "Next", id="calibration.next", show=False,
                tooltip="Next lead (after the last one: the results)"),
        Binding("j", "next", "Next", id="calibration.next_lead",
                tooltip="Next lead (after the last one: the results)"),
        Binding("k", "previous", "Previous", id="calibration.previous_lead",
                tooltip="Previous lead"),
        Binding("v", "results", "Results", id="calibration.results",
                tooltip="See the session's agreement results"),
        Binding("plus", "new_session", "New session", id="calibration.new_session",
                key_display="+",
                tooltip="Pick 10 past decided leads, stratified across reasons, into a session"),
    ]

    def __init__(self, store, settings, session_id: int | None = None,  # noqa: ANN001
                 name: str | None = None) -> None:
        super().__init__(name=name)
        self.store = store
        self.settings = settings
        self.rep: str = settings.rep
        self.lang: str = getattr(settings, "language", "en")
        localize_bindings(self, self.lang)
        self.session_id = session_id
        self.items: list[dict] = []
        self.index = 0
        self.mine: dict[int, dict] = {}
        self.view = "sessions"
        self._peek_warned: int | None = None

    # -- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(Text(self._t("title")), id="cal-title")
        with ContentSwitcher(initial="cal-sessions", id="cal-switcher"):
            yield OptionList(id="cal-sessions")
            with Vertical(id="cal-label"):
                yield Static(id="cal-progress")
                with VerticalScroll(id="cal-thread"):
                    yield Static(id="cal-thread-text")
                yield Static(id="cal-choice")
                yield Static(self._keys_help(), id="cal-keys")
            with VerticalScroll(id="cal-results"):
                yield Static(id="cal-results-body")
        yield Footer()

    def on_mount(self) -> None:
        if self.session_id is not None:
            self.open_session(self.session_id)
        else:
            self.show_sessions()

    def _t(self, key: str, **values: object) -> str:
        en, fr = WORDS[key]
        return (fr if self.lang == "fr" else en).format(**values)

    def _keys_help(self) -> Text:
        t = Text()
        reasons = self.store.taxonomy.reasons
        width = max(len(r.label.get(self.lang)) for r in reasons) + 2
        for i, r in enumerate(reasons):
            if i and i % 4 == 0:
                t.append("\n")
            t.append(f" {r.key} ", style="reverse")
            t.append(" " + r.label.get(self.lang).ljust(width))
        t.append("\n" + self._t("help"), style="dim")
        return t

    def _switch(self, view: str) -> None:
        self.view = view
        self.query_one(ContentSwitcher).current = f"cal-{view}"
        self.refresh_bindings()

    def _title(self, text: str) -> None:
        self.query_one("#cal-title", Static).update(Text(text))

    # -- sessions -----------------------------------------------------------------------
    def show_sessions(self) -> None:
        sessions = list_sessions(self.store)
        ol = self.query_one("#cal-sessions", OptionList)
        ol.clear_options()
        for s in sessions:
            done = s["reps"].get(self.rep, 0)
            prompt = Text(printable(s["name"]), style="bold")
            prompt.append(self._t("session", day=s["created_at"][:10], size=s["size"],
                                  done=done, reps=len(s["reps"])))
            ol.add_option(Option(prompt, id=str(s["id"])))
        if not sessions:
            ol.add_option(Option(Text(self._t("none")), disabled=True))
        self._title(self._t("choose", rep=self.rep))
        self._switch("sessions")
        if sessions:
            ol.highlighted = 0
        ol.focus()

    @on(OptionList.OptionSelected, "#cal-sessions")
    def _session_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.open_session(int(event.option.id))

    # -- labelling ----------------------------------------------------------------------
    def open_session(self, session_id: int) -> None:
        self.session_id = session_id
        self.items = items(self.store, session_id)
        self.mine = rep_labels(self.store, session_id, self.rep)
        # resume at the first lead this rep has not labelled
        self.index = next((i for i, it in enumerate(self.items)
                           if it["position"] not in self.mine), 0)
        self._switch("label")
        self.show_item()
        self.query_one("#cal-thread", VerticalScroll).focus()  # arrows / PgUp / PgDn scroll

    @property
    def item(self) -> dict | None:
        return self.items[self.index] if self.items else None

    def show_item(self) -> None:
        item = self.item
        if item is None:
            return
        n = len(self.items)
        self._title(self._t("labelling", rep=self.rep))
        self.query_one("#cal-progress", Static).update(Text(
            self._t("progress", i=self.index + 1, n=n, done=len(self.mine))))
        self.query_one("#cal-thread-text", Static).update(blind_renderable(item))
        self.query_one("#cal-thread", VerticalScroll).scroll_home(animate=False)
        self._show_choice()

    def _show_choice(self) -> None:
        tax = self.store.taxonomy
        label = self.mine.get(self.item["position"]) if self.item else None
        t = Text(self._t("yours"))
        if label is None:
            t.append(self._t("press"), style="dim")
        else:
            t.append(tax.reason_label(label["primary_reason"], self.lang), style="bold")
            if label["secondary_reason"]:
                t.append(" + " + tax.reason_label(label["secondary_reason"], self.lang))
        self.query_one("#cal-choice", Static).update(t)

    def on_key(self, event: events.Key) -> None:
        if self.view != "label" or self.item is None or not event.character:
            return
        char = event.character
        tax = self.store.taxonomy
        reason = tax.reason_by_key(char.lower()) if char.isalpha() else None
        if reason is None:
            return
        event.stop()
        event.prevent_default()
        current = self.mine.get(self.item["position"])
        if char.islower():
            primary = reason.id
            secondary = current["secondary_reason"] if current else None
            if secondary == primary:
                secondary = None
        else:
            if current is None:
                self.notify(self._t("primary_first"), severity="warning")
                return
            primary = current["primary_reason"]
            if reason.id == primary:
                self.notify(self._t("same"), severity="warning")
                return
            secondary = None if current["secondary_reason"] == reason.id else reason.id
        self.save(primary, secondary)

    def save(self, primary: str, secondary: str | None) -> None:
        position = self.item["position"]
        try:
            add_label(self.store, self.session_id, self.rep, primary, secondary,
                      position=position)
        except CalibrationError as exc:
            self.notify(str(exc), severity="error")
            return
        self.mine = rep_labels(self.store, self.session_id, self.rep)
        self.show_item()

    # -- actions ------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # None greys the key out in the footer: it does nothing in this view
        if action in ("next", "previous"):
            return True if self.view == "label" else None
        if action == "results":
            return True if self.view != "results" else None
        if action == "new_session":
            return True if self.view == "sessions" else None
        return True

    def action_new_session(self) -> None:
        if self.view != "sessions":
            return
        try:
            created = create_session(self.store, size=10, created_by=self.rep)
        except CalibrationError as exc:
            self.notify(str(exc), severity="error")
            return
        self.show_sessions()
        self.notify(self._t("created", name=created.name, size=created.size))

    def action_next(self) -> None:
        if self.view != "label":
            return
        if self.index < len(self.items) - 1:
            self.index += 1
            self.show_item()
        elif len(self.mine) >= len(self.items):
            self.action_results()
        else:
            missing = [str(it["position"]) for it in self.items
                       if it["position"] not in self.mine]
            self.notify(self._t("missing", which=", #".join(missing)), severity="warning")

    def action_previous(self) -> None:
        if self.view == "label" and self.index > 0:
            self.index -= 1
            self.show_item()

    def action_results(self) -> None:
        if self.view == "sessions":
            ol = self.query_one("#cal-sessions", OptionList)
            option = ol.highlighted_option
            if option is None or option.id is None:
                return
            self.session_id = int(option.id)
        if self.session_id is None:
            return
        # blind until done: results show the others' labels
        total = len(items(self.store, self.session_id))
        done = len(rep_labels(self.store, self.session_id, self.rep))
        if 0 < done < total and self._peek_warned != self.session_id:
            self._peek_warned = self.session_id
            self.notify(self._t("peek", left=total - done), severity="warning")
            return
        r = session_results(self.store, self.session_id, self.lang)
        self.query_one("#cal-results-body", Static).update(
            results_renderable(r, self.store.taxonomy, self.lang))
        self._title(self._t("results", name=printable(r.session.name)))
        self._switch("results")
        self.query_one("#cal-results", VerticalScroll).focus()

    def action_back(self) -> None:
        if self.view == "sessions":
            try:
                self.dismiss(None)
            except Exception:  # the base screen of an app mode: nothing to pop
                self.app.exit()
        else:
            self.show_sessions()


class CalibrationApp(App):
    """A minimal host for `triage calibrate label` (the main app binds F4 to the screen)."""

    TITLE = "triage calibrate"

    def __init__(self, store, settings, session_id: int | None = None) -> None:  # noqa: ANN001
        super().__init__()
        self._store, self._settings, self._session_id = store, settings, session_id

    def on_mount(self) -> None:
        self.push_screen(CalibrationScreen(self._store, self._settings, self._session_id),
                         lambda _: self.exit())


def run_calibration(store, settings, session_id: int | None = None) -> None:  # noqa: ANN001
    CalibrationApp(store, settings, session_id).run()
