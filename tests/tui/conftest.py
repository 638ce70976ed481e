"""Fixtures for the queue screen tests: a fixed dataset, settings and an app factory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import NOW, FixedClock
from tests.tui import dataset
from triage.settings import Settings
from triage.store import Store

SIZE = (120, 36)


def settings(lang: str = "en") -> Settings:
    return Settings(language=lang, rep="julie", keymap={})


@pytest.fixture
def tui_db(tmp_path: Path, taxonomy) -> tuple[Path, dict[str, int]]:  # noqa: ANN001
    """A database with the fixed small dataset; returns (path, name -> lead id)."""
    path = tmp_path / "tui.db"
    with Store.open(path, taxonomy, FixedClock()) as store:
        ids = dataset.build(store, NOW)
    return path, ids


@pytest.fixture
def make(tui_db, taxonomy):  # noqa: ANN001, ANN201
    """make(lang='en') -> a TriageApp on the fixed dataset with a FixedClock."""
    from triage.tui import make_app

    apps = []

    def factory(lang: str = "en", db: Path | None = None):  # noqa: ANN202
        app = make_app(db or tui_db[0], settings(lang), taxonomy, FixedClock())
        app.animation_level = "none"
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.store.close()
