"""User settings: config.toml in the user config dir, overridden by TRIAGE_* environment variables.

Example config.toml::

    language = "fr"
    rep = "julie"
    our_domains = ["acme-sales.io"]
    [queue]
    stale_after_days = 5
    [keymap]
    "queue.next" = "down,j,n"

Environment variables win over the file: ``TRIAGE_LANGUAGE=fr``, ``TRIAGE_QUEUE__STALE_AFTER_DAYS=5``
(``__`` reaches into a table), ``TRIAGE_QUEUE='{"weight_fit": 2}'`` and ``TRIAGE_KEYMAP`` as JSON,
``TRIAGE_OUR_DOMAINS="a.io, b.fr"`` or a JSON list. Names are case-insensitive; unknown keys and
variables are ignored. `load_settings` reads them (stdlib tomllib, no pydantic-settings: importing
its many sources added ~10-15 ms to every start); `Settings(...)` alone reads nothing, as tests want.
"""

from __future__ import annotations

import getpass
import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from triage.locations import config_file

ENV_PREFIX = "triage_"
NESTED = "__"


def _default_rep() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): still a usable default
        return "rep"


class QueueSettings(BaseModel):
    """What enters the queue and in which order."""

    stale_after_days: int = Field(7, ge=1, description="No reply N days after the last outbound")
    recency_half_life_days: float = Field(
        3.0, gt=0, description="A signal loses half its recency weight after this many days"
    )
    weight_class: float = Field(1.0, ge=0, description="Weight of the reply class (intent)")
    weight_fit: float = Field(1.0, ge=0, description="Weight of fit (target segment)")
    weight_recency: float = Field(1.0, ge=0, description="Weight of recency")


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    language: Literal["en", "fr"] = Field("en", description="UI language")
    rep: str = Field(default_factory=_default_rep, description="Name recorded on decisions")
    taxonomy: Path | None = Field(None, description="taxonomy.yaml to use (default: bundled)")
    queue: QueueSettings = Field(default_factory=QueueSettings)
    our_domains: list[str] = Field(
        default_factory=list,
        description="Mail domains of the sales team: mail from them is outbound (import)",
    )
    our_addresses: list[str] = Field(
        default_factory=list,
        description="Individual addresses of the sales team (outbound when they send)",
    )
    keymap: dict[str, str] = Field(
        default_factory=dict, description="Binding id -> comma-separated keys (App.set_keymap)"
    )

    @field_validator("our_domains", "our_addresses", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        """TRIAGE_OUR_DOMAINS="a.io, b.fr" (or a JSON list) as well as a TOML list."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value


#: Settings that are tables: their TRIAGE_ variable is JSON, and `__` reaches into them.
TABLES = frozenset({"queue", "keymap"})


class SettingsError(Exception):
    """The settings cannot be used; the message says where and why (no traceback)."""


def load_settings(config: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """The TOML file (`config`, default `locations.config_file()`), then TRIAGE_* variables over it."""
    environ = os.environ if environ is None else environ
    path = config or config_file(environ)
    values: dict[str, Any] = {}
    origins: dict[tuple[str, ...], str] = {}  # key path -> the file or variable it came from
    _merge(values, _read_toml(path), str(path), origins)
    for keys, name, value in _environment(environ):
        _merge(values, _nest(keys, value), name, origins)
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        raise SettingsError(_render(exc, origins)) from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        path = path.expanduser()
        if not path.is_file():  # no file: defaults and environment only
            return {}
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, RuntimeError) as exc:  # RuntimeError: "~user" with no such user
        raise SettingsError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: not UTF-8 text (save it as UTF-8)") from None
    except tomllib.TOMLDecodeError as exc:  # the message ends "(at line L, column C)"
        raise SettingsError(f"{path}: invalid TOML: {exc}") from None
    return {key.lower(): value for key, value in data.items()}  # top-level keys: any case


def _environment(environ: Mapping[str, str]) -> list[tuple[list[str], str, Any]]:
    """(key path, variable name, value) of every TRIAGE_* variable naming a setting; a whole
    table (TRIAGE_QUEUE as JSON) comes before the keys set inside it (TRIAGE_QUEUE__...)."""
    found = []
    for name, raw in environ.items():
        lowered = name.lower()
        if not lowered.startswith(ENV_PREFIX):
            continue
        keys = lowered[len(ENV_PREFIX) :].split(NESTED)
        if keys[0] not in Settings.model_fields or (len(keys) > 1 and keys[0] not in TABLES):
            continue
        value: Any = raw
        if len(keys) == 1 and keys[0] in TABLES:
            try:
                value = json.loads(raw)
            except ValueError as exc:
                raise SettingsError(f"{name}: not valid JSON: {exc}") from None
        found.append((keys, name, value))
    return sorted(found, key=lambda item: len(item[0]))


def _nest(keys: list[str], value: Any) -> dict[str, Any]:
    for key in reversed(keys):
        value = {key: value}
    return value


def _merge(
    into: dict[str, Any], new: dict[str, Any], origin: str,
    origins: dict[tuple[str, ...], str], at: tuple[str, ...] = (),
) -> None:
    """Deep-merge `new` into `into` (tables key by key, anything else replaced), noting where
    every value came from."""
    for key, value in new.items():
        path = (*at, key)
        if isinstance(value, dict):
            if not isinstance(into.get(key), dict):
                into[key] = {}
                origins[path] = origin
            _merge(into[key], value, origin, origins, path)
        else:
            into[key] = value
            for old in [p for p in origins if p[: len(path)] == path]:
                del origins[old]
            origins[path] = origin


def _render(exc: ValidationError, origins: dict[tuple[str, ...], str]) -> str:
    lines = []
    for error in exc.errors():
        loc = tuple(str(part) for part in error["loc"])
        source = next(
            (origins[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in origins), "default"
        )
        why = error["msg"].removeprefix("Value error, ")
        got = repr(error["input"])
        got = got if len(got) <= 60 else got[:57] + "..."
        lines.append(f"  {source}: {'.'.join(loc)}: {why} (got {got})")
    return "invalid settings:\n" + "\n".join(lines)
