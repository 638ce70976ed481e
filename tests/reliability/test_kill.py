"""SIGKILL a process applying decisions at random points: nothing it reported is lost, the file
passes integrity_check and the lead state equals what the decision log implies.
A bigger run: `pytest tests/stress --stress` or `python bench/kill_test.py`."""

from __future__ import annotations

from tests.reliability.harness import kill_rounds


def test_sigkill_at_random_points_loses_nothing(tmp_path):
    stats = kill_rounds(tmp_path / "kill.db", rounds=4, seed=20261116)
    assert stats["failures"] == []
    assert stats["rounds"] == 4
    assert stats["reported"] > 0
