"""The big versions of the reliability tests; run with `pytest tests/stress --stress`."""

from __future__ import annotations

import pytest

from tests.reliability.harness import concurrent_writers, kill_rounds

pytestmark = pytest.mark.stress


def test_many_kill_rounds(tmp_path):
    stats = kill_rounds(tmp_path / "kill.db", rounds=60, seed=1, max_delay=0.6)
    assert stats["failures"] == []
    assert stats["rounds"] == 60


@pytest.mark.parametrize("writers", [8, 16])
def test_many_concurrent_writers(tmp_path, writers):
    result = concurrent_writers(tmp_path / "shared.db", writers=writers, per_writer=1000)
    assert result["failures"] == []
    assert result["writes"] == writers * 1000
