"""The cache of load_taxonomy: a text validated before is neither parsed nor validated again,
and nothing a user sees changes (same taxonomy, same problems with the same lines)."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from triage.taxonomy import TaxonomyError, load_taxonomy
from triage.taxonomy.load import parse_taxonomy

from .conftest import ROOT

SOURCE = (ROOT / "taxonomy.yaml").read_text(encoding="utf-8")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "triage" / "taxonomy.json"


def write(tmp_path: Path, text: str, name: str = "taxonomy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(path)
    return info.value.render().splitlines()


def test_a_cached_load_is_the_parsed_taxonomy(cache: Path, tmp_path: Path) -> None:
    path = write(tmp_path, SOURCE)
    first = load_taxonomy(path)
    assert json.loads(cache.read_text(encoding="utf-8"))["text"] == SOURCE
    assert load_taxonomy(path) == first == parse_taxonomy(SOURCE)


def test_the_cache_is_used_only_for_the_same_text(cache: Path, tmp_path: Path) -> None:
    path = write(tmp_path, SOURCE)
    load_taxonomy(path)
    cached = json.loads(cache.read_text(encoding="utf-8"))
    cached["data"]["version"] = "from the cache"
    cache.write_text(json.dumps(cached), encoding="utf-8")
    assert load_taxonomy(path).version == "from the cache"  # proves a hit reads the cache
    edited = SOURCE.replace("version:", "# edited\nversion:", 1)
    write(tmp_path, edited)
    assert load_taxonomy(path) == parse_taxonomy(edited)  # another text: parsed again


def test_a_taxonomy_with_problems_is_not_cached(cache: Path, tmp_path: Path) -> None:
    bad = SOURCE.replace("merged_into: budget", "merged_into: pricing")
    path = write(tmp_path, bad)
    first = problems(path)
    assert not cache.exists()  # valid YAML, invalid taxonomy: only validated data is cached
    assert problems(path) == first
    assert first[0].startswith(f"{path}:") and "not an active reason" in first[0]


def test_yaml_problems_are_not_cached(cache: Path, tmp_path: Path) -> None:
    path = write(tmp_path, SOURCE.replace("version:", "version: 0\nversion:", 1))
    first = problems(path)
    assert not cache.exists()
    assert problems(path) == first and "duplicate key 'version'" in first[0]


def test_data_json_cannot_hold_is_not_cached(cache: Path, tmp_path: Path) -> None:
    path = write(tmp_path, SOURCE.replace("version:", "released: 2026-11-01\nversion:", 1))
    first = problems(path)  # a date (and an unknown field)
    assert not cache.exists()
    assert problems(path) == first


@pytest.mark.parametrize("content", ["", "not json", '{"format": 0}', "[]", '{"format": [1, "0"]}'])
def test_a_broken_cache_is_ignored(cache: Path, tmp_path: Path, content: str) -> None:
    cache.parent.mkdir(parents=True)
    cache.write_text(content, encoding="utf-8")
    assert load_taxonomy(write(tmp_path, SOURCE)) == parse_taxonomy(SOURCE)


def test_a_cache_of_another_version_is_ignored(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, SOURCE)
    load_taxonomy(path)
    cached = json.loads(cache.read_text(encoding="utf-8"))
    cached["data"]["version"] = "from the cache"
    cache.write_text(json.dumps(cached), encoding="utf-8")
    monkeypatch.setattr("triage.__version__", "9.9.9")
    assert load_taxonomy(path) == parse_taxonomy(SOURCE)


def test_an_unwritable_cache_is_ignored(cache: Path, tmp_path: Path) -> None:
    cache.parent.parent.mkdir(parents=True)
    cache.parent.write_text("a file where the folder should be", encoding="utf-8")
    assert load_taxonomy(write(tmp_path, SOURCE)) == parse_taxonomy(SOURCE)


def test_a_cache_hit_does_not_import_yaml(cache: Path, tmp_path: Path) -> None:
    path = write(tmp_path, SOURCE)
    code = (
        "import sys; from triage.taxonomy import load_taxonomy; "
        f"load_taxonomy({str(path)!r}); print('yaml' in sys.modules)"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.strip() for _ in range(2)]
    assert runs == ["True", "False"]


def test_a_cache_hit_imports_neither_yaml_nor_pydantic(cache: Path, tmp_path: Path) -> None:
    """The first start validates and caches; the next one builds the same taxonomy from the
    cache alone; an edited file goes the full way again."""
    path = write(tmp_path, SOURCE)
    code = (
        "import pickle, sys; from triage.taxonomy import load_taxonomy; "
        f"t = load_taxonomy({str(path)!r}); "
        "sys.stdout.buffer.write(pickle.dumps((t, 'yaml' in sys.modules, 'pydantic' in sys.modules)))"
    )

    def start() -> tuple:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
        return pickle.loads(out)

    miss, hit = start(), start()
    assert miss[1:] == (True, True) and hit[1:] == (False, False)
    assert hit[0] == miss[0] == parse_taxonomy(SOURCE)
    assert hash(hit[0]) == hash(miss[0])
    write(tmp_path, SOURCE.replace("version:", "# edited\nversion:", 1))
    edited = start()
    assert edited[1:] == (True, True) and edited[0] == miss[0]
    assert start()[1:] == (False, False)


def test_a_cache_of_another_shape_is_ignored(cache: Path, tmp_path: Path) -> None:
    path = write(tmp_path, SOURCE)
    load_taxonomy(path)
    cached = json.loads(cache.read_text(encoding="utf-8"))
    for broken in ([], {"version": "1"}, {**cached["data"], "statuses": [{"id": "x"}]}):
        cache.write_text(json.dumps({**cached, "data": broken}), encoding="utf-8")
        assert load_taxonomy(path) == parse_taxonomy(SOURCE)


def test_a_cache_written_under_other_rules_is_ignored(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, SOURCE)
    load_taxonomy(path)
    cached = json.loads(cache.read_text(encoding="utf-8"))
    cached["data"]["version"] = "from the cache"
    cache.write_text(json.dumps(cached), encoding="utf-8")
    real = Path.read_bytes

    def edited_schema(self: Path) -> bytes:
        return real(self) + (b"# edited\n" if self.name == "schema.py" else b"")

    monkeypatch.setattr(Path, "read_bytes", edited_schema)
    assert load_taxonomy(path) == parse_taxonomy(SOURCE)
