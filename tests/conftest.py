"""Shared fixtures: a fixed clock, the bundled taxonomy, a fresh store per test."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from triage.store import Store
from triage.taxonomy import Taxonomy, load_taxonomy

# Wall-clock deadlines make property tests flaky on a loaded CI machine; speed lives in bench/.
# The normal run is derandomized (the same examples every run: CI stays reproducible);
# `pytest tests/reliability --stress` explores with random examples (tests/reliability/conftest.py).
settings.register_profile(
    "triage", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("triage")

ROOT = Path(__file__).resolve().parent.parent

# Files triage keeps in the user cache folder (the parsed taxonomy, triage.locations.cache_dir)
# go to a folder of this run, not the developer's (subprocesses inherit it).
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="triage-tests-cache-")


def _shared() -> Path:
    """The team's shared folder (corpus): $TRIAGE_SHARED, ../shared, or /work/shared."""
    for candidate in (os.environ.get("TRIAGE_SHARED"), ROOT.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "corpus").is_dir():
            return Path(candidate)
    return ROOT.parent / "shared"  # absent: the tests that need it skip


SHARED = _shared()
#: Fixed "now" for deterministic tests: Monday 16 November 2026, 09:00 UTC.
NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


class FixedClock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_taxonomy(ROOT / "taxonomy.yaml")


@pytest.fixture
def store(tmp_path: Path, taxonomy: Taxonomy, clock: FixedClock) -> Store:
    s = Store.open(tmp_path / "triage.db", taxonomy, clock)
    yield s
    s.close()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--stress", action="store_true", help="also run tests marked stress (slow)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--stress"):
        return
    skip = pytest.mark.skip(reason="stress test: run with --stress")
    for item in items:
        if "stress" in item.keywords:
            item.add_marker(skip)
