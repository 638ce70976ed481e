"""Small modal screens: one-line input, confirmation, queue filter.

Each is a `ModalScreen[T]` that `dismiss(value)`es; the queue screen opens them with
`push_screen(screen, callback)`.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from triage.tui.i18n import localize_bindings, tr


class LineInput(ModalScreen[str | None]):
    """One line of text (note, revisit date, search). Enter returns it, Esc cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="input.cancel", tooltip="Close without saving"),
    ]

    def __init__(self, prompt: str, value: str = "", max_length: int = 0) -> None:
        super().__init__()
        localize_bindings(self, getattr(self.app.settings, "language", "en"))
        self._prompt = prompt
        self._value = value
        self._max = max_length

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._prompt, classes="dialog-title", markup=False)
            yield Input(value=self._value, max_length=self._max, id="line", select_on_focus=False)
            yield Label("", id="line-error", markup=False)

    def show_error(self, message: str) -> None:
        self.query_one("#line-error", Label).update(message)

    @on(Input.Submitted, "#line")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit(event.value)

    def submit(self, value: str) -> None:
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ValidatedLineInput(LineInput):
    """A LineInput that stays open until `check(text)` returns None (else the error shown)."""

    def __init__(self, prompt: str, check, value: str = "") -> None:  # noqa: ANN001
        super().__init__(prompt, value)
        self._check = check

    def submit(self, value: str) -> None:
        error = self._check(value)
        if error:
            self.show_error(error)
        else:
            self.dismiss(value)


class Confirm(ModalScreen[bool]):
    """Yes / no. `y` or Enter on Yes confirms, `n` or Esc declines."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "No", id="confirm.no", tooltip="Do nothing"),
        Binding("y,o", "answer(True)", "Yes", id="confirm.yes", tooltip="Go ahead"),
    ]

    def __init__(self, question: str, lang: str) -> None:
        super().__init__()
        localize_bindings(self, getattr(self.app.settings, "language", "en"))
        self._question = question
        self._lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._question, classes="dialog-title", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(tr("yes", self._lang), id="yes", variant="primary")
                yield Button(tr("no", self._lang), id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class FilterPicker(ModalScreen[tuple[str, str | None] | None]):
    """Choose one filter value: a list of (kind, value, label); Esc closes without change."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="filter.cancel", tooltip="Keep the filter"),
    ]

    def __init__(self, title: str, choices: Sequence[tuple[str, str | None, str]]) -> None:
        super().__init__()
        localize_bindings(self, getattr(self.app.settings, "language", "en"))
        self._title = title
        self._choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title", markup=False)
            options = []
            for i, (kind, _value, label) in enumerate(self._choices):
                options.append(Option(label, id=str(i), disabled=kind == "header"))
            yield OptionList(*options, id="filters")

    @on(OptionList.OptionSelected, "#filters")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        kind, value, _label = self._choices[int(event.option.id or 0)]
        self.dismiss((kind, value))

    def action_cancel(self) -> None:
        self.dismiss(None)
