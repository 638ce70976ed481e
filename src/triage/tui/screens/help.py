"""Help: every key of the queue screen, every status and every reason with definition and example."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from triage.taxonomy import Taxonomy
from triage.tui.i18n import localize_bindings, tr


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,h,f1,q", "close", "Close", id="help.close", tooltip="Back to the queue"),
    ]

    def __init__(
        self, taxonomy: Taxonomy, lang: str, keys: Sequence[tuple[str, str, str]]
    ) -> None:
        super().__init__()
        localize_bindings(self, lang)
        self.taxonomy = taxonomy
        self.lang = lang
        self.keys = list(keys)  # (key display, description, tooltip)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Static(self._text(), markup=False, id="help-text")

    def _text(self) -> Text:
        tx, lang = self.taxonomy, self.lang
        other = "fr" if lang == "en" else "en"
        out = Text()
        out.append(tr("help_title", lang) + f"  (taxonomy {tx.version})\n\n", style="bold")
        out.append(tr("help_keys", lang) + "\n", style="bold underline")
        for key, description, tooltip in self.keys:
            out.append(f"  {key:<14}", style="bold")
            out.append(f"{description:<16}")
            out.append(f"{tooltip}\n", style="dim")
        out.append("\n" + tr("help_statuses", lang) + "\n", style="bold underline")
        for s in tx.statuses:
            out.append(f"  {s.key}  ", style="bold")
            out.append(f"{s.label.get(lang)}")
            out.append(f" / {s.label.get(other)}", style="dim")
            if s.final:
                flag = "help_final" if s.requires_reason else "help_final_noreason"
                out.append(f"  ({tr(flag, lang)})", style="italic")
            out.append("\n")
        out.append("\n" + tr("help_reasons", lang) + "\n", style="bold underline")
        for r in tx.reasons:
            out.append(f"  {r.key} / {r.key.upper()}  ", style="bold")
            out.append(f"{r.label.get(lang)}", style="bold")
            out.append(f" / {r.label.get(other)}\n", style="dim")
            out.append(f"       {r.definition.get(lang)}\n")
            out.append(f"       {r.definition.get(other)}\n", style="dim")
            out.append(f"       {tr('example', lang)}: “{r.example.get(lang)}”\n", style="italic")
            out.append(f"       “{r.example.get(other)}”\n", style="dim italic")
            if r.sub_reasons:
                subs = ", ".join(s.label.get(lang) for s in r.sub_reasons)
                out.append(f"       {tr('sub_reason', lang)}: {subs}\n", style="dim")
        out.append("\n" + tr("unknown_question", lang) + "\n", style="bold")
        out.append(tr("help_close", lang) + "\n", style="dim")
        return out

    def action_close(self) -> None:
        self.dismiss(None)
