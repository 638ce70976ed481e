"""Where triage keeps its files: one place, using platformdirs, nothing created at import."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from platformdirs import user_cache_path, user_config_path, user_data_path

APP_NAME = "triage"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """Files triage can rebuild at any time (the validated taxonomy and settings, text_cache)."""
    return user_cache_path(APP_NAME, appauthor=False)


def config_file(environ: Mapping[str, str] | None = None) -> Path:
    """`$TRIAGE_CONFIG` if set (in `environ`, default the process's), else config.toml in the
    user config directory."""
    override = (os.environ if environ is None else environ).get("TRIAGE_CONFIG")
    if override:
        return Path(override)
    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def default_db_path() -> Path:
    """`$TRIAGE_DB` if set, else triage.db in the user data directory."""
    override = os.environ.get("TRIAGE_DB")
    if override:
        return Path(override)
    return data_dir() / "triage.db"


def demo_db_path() -> Path:
    return data_dir() / "demo.db"
