"""Hypothesis budget: the default 100 examples per property; 2000 with `pytest --stress`."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "triage-stress", max_examples=2000, suppress_health_check=[HealthCheck.too_slow]
)


def pytest_configure(config) -> None:  # noqa: ANN001
    if config.getoption("--stress", default=False):
        settings.load_profile("triage-stress")
