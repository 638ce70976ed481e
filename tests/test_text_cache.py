"""text_cache: a remembered result comes back only for the same text, format and checking code."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage import text_cache


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_same_text_same_format_gives_the_data_back() -> None:
    text_cache.remember("k", "text", 1, {"a": [1, 2.5, None, "é"]})
    assert text_cache.recall("k", "text", 1) == {"a": [1, 2.5, None, "é"]}
    assert text_cache.recall("k", "other text", 1) is text_cache.MISS
    assert text_cache.recall("k", "text", 2) is text_cache.MISS
    assert text_cache.recall("other kind", "text", 1) is text_cache.MISS


def test_data_json_cannot_give_back_exactly_is_not_kept() -> None:
    from datetime import date

    for data in ({"d": date(2026, 1, 1)}, {1: "x"}, (1, 2), {"x": float("nan")}):
        text_cache.remember("k", "t", 1, data)
        assert text_cache.recall("k", "t", 1) is text_cache.MISS


def test_a_broken_or_unwritable_cache_is_ignored(cache: Path) -> None:
    cache.mkdir(parents=True)
    (cache / "triage").write_text("not a folder")  # nothing can be written under it
    text_cache.remember("k", "t", 1, {"a": 1})
    assert text_cache.recall("k", "t", 1) is text_cache.MISS
    (cache / "triage").unlink()
    text_cache.remember("k", "t", 1, {"a": 1})
    (cache / "triage" / "k.json").write_text("{broken")
    assert text_cache.recall("k", "t", 1) is text_cache.MISS


def test_code_format_changes_with_the_checking_code(tmp_path: Path) -> None:
    rules = tmp_path / "schema.py"
    rules.write_text("MIN = 1\n")
    before = text_cache.code_format(1, rules)
    assert text_cache.code_format(1, rules) == before
    rules.write_text("MIN = 2\n")
    assert text_cache.code_format(1, rules) != before
    assert text_cache.code_format(1, tmp_path / "absent.py") == text_cache.code_format(1)
