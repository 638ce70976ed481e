"""Hypothesis budget: the default 100 examples per property; with `pytest --stress`, 2000 and a
generous per-example deadline as a hang guard (no deadline in the normal run: flaky under load)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, settings

settings.register_profile(
    "triage-stress",
    max_examples=2000,
    deadline=timedelta(seconds=30),
    suppress_health_check=[HealthCheck.too_slow],
)


def pytest_configure(config) -> None:  # noqa: ANN001
    if config.getoption("--stress", default=False):
        settings.load_profile("triage-stress")
