"""`triage open` pauses the cyclic GC until the app's first frame; every path turns it back on."""

from __future__ import annotations

import gc
from pathlib import Path

from tests.tui.conftest import SIZE
from triage.cli import run
from triage.tui import pause_gc, resume_gc


def _restore() -> None:
    resume_gc()
    gc.unfreeze()
    gc.enable()


def test_pause_and_resume() -> None:
    frozen = gc.get_freeze_count()
    try:
        pause_gc()
        assert not gc.isenabled()
        pause_gc()  # idempotent
        resume_gc()
        assert gc.isenabled()
        assert gc.get_freeze_count() == frozen  # only the app's first frame freezes
        resume_gc()
        assert gc.isenabled()
    finally:
        _restore()


def test_pause_leaves_a_disabled_collector_alone() -> None:
    gc.disable()
    try:
        pause_gc()
        resume_gc(freeze=True)
        assert not gc.isenabled()  # someone else turned it off: not ours to turn on
    finally:
        _restore()


async def test_the_app_resumes_and_freezes_at_its_first_frame(make) -> None:  # noqa: ANN001
    app = make()
    try:
        pause_gc()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
    finally:
        _restore()


def test_open_turns_the_collector_back_on_when_it_stops_early(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    try:
        assert run(["--db", str(tmp_path / "nope.db"), "open"]) == 2
        assert gc.isenabled()
    finally:
        _restore()
    capsys.readouterr()
