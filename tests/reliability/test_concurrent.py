"""Several reps on one server: 8 processes write decisions to one database at once.
A bigger run: `pytest tests/stress --stress` or `python bench/concurrent_reps.py`."""

from __future__ import annotations

from tests.reliability.harness import concurrent_writers


def test_eight_writers_lose_nothing_and_never_see_a_lock(tmp_path):
    result = concurrent_writers(tmp_path / "shared.db", writers=8, per_writer=25)
    assert result["failures"] == []
    assert result["writes"] == 200
