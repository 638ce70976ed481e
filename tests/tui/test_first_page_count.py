"""On a big table the queue screen shows the first page before the queue is counted: the title
says "1/…" and the side panel "…" until the ranking (a worker) gives the count; a move past the
known rows asks for it at once."""

from __future__ import annotations

from pathlib import Path

import pytest

import triage.queue as queue_module
from tests.conftest import FixedClock
from tests.tui.conftest import SIZE, settings
from tests.tui.test_services_helpers import ago, lead, reply
from triage.store import Store
from triage.tui.screens.queue import QueueScreen
from triage.tui.widgets.panels import SidePanel
from triage.tui.widgets.queue_list import PAGE, QueueList

MEMBERS = PAGE + 12


@pytest.fixture
def big(tmp_path: Path, taxonomy, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """An app on MEMBERS waiting replies, counted as a big table would be (count later)."""
    from triage.tui import make_app

    path = tmp_path / "big.db"
    with Store.open(path, taxonomy, FixedClock()) as store:
        for i in range(MEMBERS):
            reply(store, lead(store, f"p{i}@acme.test", fit=(i % 10) / 10), ago(i % 5))
    monkeypatch.setattr(queue_module, "EXACT_COUNT_UP_TO", 10)
    app = make_app(path, settings(), taxonomy, FixedClock())
    app.animation_level = "none"
    yield app
    app.store.close()


def title(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one("#title").render())


def remaining(app) -> str:  # noqa: ANN001
    text = app.screen.query_one(SidePanel).text("counts").plain
    return text.split("Queue remaining:", 1)[1].split()[0]


async def test_the_count_follows_the_ranking(big) -> None:  # noqa: ANN001
    async with big.run_test(size=SIZE) as pilot:
        await big.workers.wait_for_complete()
        await pilot.pause()
        assert title(big).endswith(f"1/{MEMBERS}")
        assert remaining(big) == str(MEMBERS)
        assert big.screen.query_one(QueueList).count == MEMBERS


async def test_before_the_ranking_the_count_is_shown_as_pending(
    big, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    monkeypatch.setattr(QueueScreen, "rank_queue", lambda self: None)  # the worker never ends
    async with big.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert title(big).endswith("1/…") and remaining(big) == "…"
        assert not big.screen.queue._ranked
        await pilot.press("end")  # past the known rows: counted now
        ql = big.screen.query_one(QueueList)
        assert ql.count == MEMBERS and ql.cursor == MEMBERS - 1
        assert ql.current.lead_id == big.screen.queue.lead_ids()[-1]
        await pilot.pause()
        assert title(big).endswith(f"{MEMBERS}/{MEMBERS}") and remaining(big) == str(MEMBERS)


async def test_moving_down_past_the_first_page_counts_the_queue(
    big, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    monkeypatch.setattr(QueueScreen, "rank_queue", lambda self: None)
    async with big.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*["down"] * (PAGE + 1))
        await pilot.pause()
        ql = big.screen.query_one(QueueList)
        assert ql.cursor == PAGE + 1 and ql.count == MEMBERS
        assert title(big).endswith(f"{PAGE + 2}/{MEMBERS}")
        assert ql.current.lead_id == big.screen.queue.lead_ids()[PAGE + 1]
