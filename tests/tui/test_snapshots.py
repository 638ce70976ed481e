"""Snapshot tests of the queue screen: fixed terminal size, FixedClock, the fixed small dataset.

Update after an intended change with `pytest tests/tui/test_snapshots.py --snapshot-update` and
look at the pictures (snapshot_report.html) before committing them.
"""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE


async def _settle(pilot) -> None:  # noqa: ANN001
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def app(make):  # noqa: ANN001, ANN201
    return make()


def test_main_screen(snap_compare, app) -> None:  # noqa: ANN001
    """The queue (priority, why queued, class, who, why), the newest reply with the quoted
    history collapsed, the classification panel, the decision draft and the reason counts."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_settle)


def test_main_screen_after_two_decisions(snap_compare, app) -> None:  # noqa: ANN001
    """Two leads decided (Enter on Alice, Not interested + closed-lost on the next): the counts
    panel shows them, the queue is two shorter, the message line says what was saved."""

    async def decide(pilot) -> None:  # noqa: ANN001
        await _settle(pilot)
        await pilot.press("enter", "n", "l")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=decide)


def test_help_screen(snap_compare, app) -> None:  # noqa: ANN001
    """Help: every key, every status, every reason with its definition and example (en, fr)."""
    assert snap_compare(app, terminal_size=SIZE, press=["h"], run_before=_settle)


def test_sub_reason_picker(snap_compare, app) -> None:  # noqa: ANN001
    """Timing pressed: the sub-reason picker over the queue (arrows + Enter, Esc skips)."""
    assert snap_compare(app, terminal_size=SIZE, press=["t"], run_before=_settle)


def test_final_status_without_reason_refused(snap_compare, app) -> None:  # noqa: ANN001
    """Closed-lost pressed on a question with no reason: the message line refuses and says why."""
    assert snap_compare(app, terminal_size=SIZE, press=["j", "l"], run_before=_settle)


def test_unknown_question(snap_compare, app) -> None:  # noqa: ANN001
    """Unknown chosen: the clarifying question in the decision panel and the message line."""
    assert snap_compare(app, terminal_size=SIZE, press=["u"], run_before=_settle)


def test_empty_queue(snap_compare, make, tmp_path, taxonomy) -> None:  # noqa: ANN001
    """No lead to triage: the queue says so and what brings leads in."""
    from tests.conftest import FixedClock
    from triage.store import Store

    db = tmp_path / "empty.db"
    Store.open(db, taxonomy, FixedClock()).close()
    assert snap_compare(make(db=db), terminal_size=SIZE, run_before=_settle)


def test_80x24_layout(snap_compare, app) -> None:  # noqa: ANN001
    """The smallest usual terminal: a slimmer side panel, everything still readable."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settle)


def test_hostile_content_shows_literally(snap_compare, app) -> None:  # noqa: ANN001
    """A lead whose name, company, subject and body hold Rich markup, ANSI colours, an OSC 8
    hyperlink and control characters: the markup shows as text, escapes and controls are gone."""

    async def go(pilot) -> None:  # noqa: ANN001
        from triage.tui.widgets.queue_list import QueueList

        await _settle(pilot)
        screen = pilot.app.screen
        hostile = screen.query_one(QueueList).row_at(1)
        assert "[bold red]x[/]" in hostile.name
        screen.query_one(QueueList).move_to(1)
        await _settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=go)


def test_french(snap_compare, make) -> None:  # noqa: ANN001
    """The same main screen with language = fr."""
    assert snap_compare(make("fr"), terminal_size=SIZE, run_before=_settle)


def test_sub_reason_picker_80x24(snap_compare, app) -> None:  # noqa: ANN001
    """Fit (4 sub-reasons) on 80x24: the title wraps, the options scroll with the highlight
    (third option highlighted, so the first scrolls out of view)."""
    assert snap_compare(app, terminal_size=(80, 24), press=["f", "down", "down"], run_before=_settle)
