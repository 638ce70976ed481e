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

`Settings` is a plain frozen dataclass; the rules live in `triage.settings_schema` (pydantic),
which validates what was read. The validated result of the last inputs is remembered
(`triage.text_cache`): when the file and the variables have not changed, a start imports
neither pydantic nor its schema machinery (~45 ms of `triage open`'s ~0.2 s).
"""

from __future__ import annotations

import getpass
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from triage.locations import config_file

ENV_PREFIX = "triage_"
NESTED = "__"


def default_rep() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): still a usable default
        return "rep"


@dataclass(frozen=True)
class QueueSettings:
    """What enters the queue and in which order (rules: settings_schema.QueueSchema)."""

    stale_after_days: int = 7  # no reply N days after the last outbound
    recency_half_life_days: float = 3.0  # a signal loses half its recency weight in this time
    weight_class: float = 1.0  # weight of the reply class (intent)
    weight_fit: float = 1.0  # weight of fit (target segment)
    weight_recency: float = 1.0  # weight of recency


@dataclass(frozen=True)
class Settings:
    """What `load_settings` read and validated (rules: settings_schema.SettingsSchema)."""

    language: Literal["en", "fr"] = "en"  # UI language
    rep: str = field(default_factory=default_rep)  # name recorded on decisions
    taxonomy: Path | None = None  # taxonomy.yaml to use (default: bundled)
    queue: QueueSettings = field(default_factory=QueueSettings)
    our_domains: list[str] = field(default_factory=list)  # mail from them is outbound (import)
    our_addresses: list[str] = field(default_factory=list)  # outbound when they send
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys (App.set_keymap)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Settings:
        """From validated data (SettingsSchema.model_dump(mode="json"))."""
        return cls(
            language=data["language"],
            rep=data["rep"],
            taxonomy=Path(data["taxonomy"]) if data["taxonomy"] is not None else None,
            queue=QueueSettings(**data["queue"]),
            our_domains=list(data["our_domains"]),
            our_addresses=list(data["our_addresses"]),
            keymap=dict(data["keymap"]),
        )


FIELDS = frozenset(f.name for f in fields(Settings))

#: Settings that are tables: their TRIAGE_ variable is JSON, and `__` reaches into them.
TABLES = frozenset({"queue", "keymap"})


class SettingsError(Exception):
    """The settings cannot be used; the message says where and why (no traceback)."""


#: Bump when the rules of settings_schema change (remembered results of the old rules drop).
_CACHE_FORMAT = 1


def load_settings(config: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """The TOML file (`config`, default `locations.config_file()`), then TRIAGE_* variables over it."""
    from triage import text_cache

    environ = os.environ if environ is None else environ
    path = config or config_file(environ)
    values: dict[str, Any] = {}
    origins: dict[tuple[str, ...], str] = {}  # key path -> the file or variable it came from
    _merge(values, _read_toml(path), str(path), origins)
    for keys, name, value in _environment(environ):
        _merge(values, _nest(keys, value), name, origins)
    # what the result depends on: the values read, and the default rep (the login name)
    try:
        text = json.dumps([values, default_rep()], sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):  # TOML dates and times: not JSON, validate every time
        text = None
    here = Path(__file__)
    fmt = text_cache.code_format(_CACHE_FORMAT, here, here.with_name("settings_schema.py"))
    data = text_cache.recall("settings", text, fmt) if text else text_cache.MISS
    if data is text_cache.MISS:
        data = _validate(values, origins)
        if text:
            text_cache.remember("settings", text, fmt, data)
    return Settings.from_data(data)


def _validate(values: dict[str, Any], origins: dict[tuple[str, ...], str]) -> dict[str, Any]:
    """The validated settings as JSON data, or SettingsError saying where and why."""
    from pydantic import ValidationError

    from triage.settings_schema import SettingsSchema

    try:
        return SettingsSchema.model_validate(values).model_dump(mode="json")
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
        if keys[0] not in FIELDS or (len(keys) > 1 and keys[0] not in TABLES):
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


def _render(exc: Any, origins: dict[tuple[str, ...], str]) -> str:
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
