"""What a text (taxonomy.yaml, config.toml + TRIAGE_* variables) was found to mean, remembered.

Every start of `triage open` reads the taxonomy and the settings. Parsing and validating them
needs PyYAML and pydantic — together ~60 ms of a ~0.2 s start — although the files rarely
change. So the validated result of the last successful load is kept as JSON in the user cache
folder with the exact text it came from: the same text (same triage version, same format, same
checking code) gives the same result without parsing or validating again; any other text goes
the full way, and a text with problems is never kept.

Only what JSON gives back exactly is stored; a broken, unreadable or unwritable cache is
ignored (the full way is always there). Writes are atomic.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

MISS = object()


def _file(kind: str) -> Path:
    from triage.locations import cache_dir

    return cache_dir() / f"{kind}.json"


def _key(fmt: int) -> list:
    from triage import __version__

    return [fmt, __version__]


def code_format(fmt: int, *sources: Path) -> int:
    """`fmt` and a checksum of the code that checks the text and reads the data back: data
    remembered under other rules (an edited schema in a development install) is dropped."""
    import zlib

    crc = 0
    for source in sources:
        try:
            crc = zlib.crc32(source.read_bytes(), crc)
        except OSError:  # installed without sources: the version and format still apply
            pass
    return fmt << 32 | crc


def recall(kind: str, text: str, fmt: int) -> object:
    """The data remembered for `text` under `kind`, or MISS."""
    try:
        cached = json.loads(_file(kind).read_text(encoding="utf-8"))
        if cached["format"] == _key(fmt) and cached["text"] == text:
            return cached["data"]
    except Exception:  # absent, unreadable, another format: the caller does the full load
        pass
    return MISS


def remember(kind: str, text: str, fmt: int, data: object) -> None:
    """Keep `data` for `text` when JSON holds it exactly (best effort, atomic replace)."""
    if not json_exact(data):
        return
    path = _file(kind)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(
            json.dumps({"format": _key(fmt), "text": text, "data": data}, ensure_ascii=False),
            encoding="utf-8",
        )
        os.replace(tmp, path)
    except (OSError, ValueError):  # a read-only home, a full disk: the full load next time
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def json_exact(value: object, depth: int = 0, max_depth: int = 40) -> bool:
    """Whether JSON gives `value` back equal and of the same types (YAML can also build dates,
    binary, sets, non-string keys, tuples: such data is not stored)."""
    if depth > max_depth:
        return False
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    if type(value) is list:
        return all(json_exact(v, depth + 1, max_depth) for v in value)
    if type(value) is dict:
        return all(type(k) is str and json_exact(v, depth + 1, max_depth) for k, v in value.items())
    return False
