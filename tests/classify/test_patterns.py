from pathlib import Path

import pytest

from triage.classify.patterns import PatternsError, check_patterns, load_patterns, stem, tokens
from triage.dates import fold


def test_bundled_patterns_are_valid():
    assert check_patterns() == []
    pats = load_patterns()
    assert len(pats.entries) > 500 and pats.negators


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "p.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_problems_carry_file_and_line(tmp_path):
    p = _write(tmp_path, "classes:\n  bogus:\n    en: [x]\n  unsubscribe:\n    weight: lots\n    en: ['a*b', '...']\n"
                         "reasons:\n  timing:\n    sub_reasons:\n      not_a_sub: {en: [x]}\n    regex: ['(']\n")
    problems = check_patterns(p)
    text = "\n".join(problems)
    assert f"{p}:2: unknown reply class 'bogus'" in text
    assert f"{p}:5: weight must be a number" in text
    assert f"{p}:6: '*' only at the end" in text
    assert "has no words" in text
    assert f"{p}:10: 'not_a_sub' is not a sub-reason of 'timing'" in text
    assert f"{p}:11: bad regex" in text


@pytest.mark.parametrize("text", ["classes: [\n", "just text", "", "classes:\n  unsubscribe: [a, b]\n"])
def test_malformed_files_never_raise_anything_else(tmp_path, text):
    p = _write(tmp_path, text)
    problems = check_patterns(p)
    assert problems and all(s.startswith(str(p)) for s in problems)
    with pytest.raises(PatternsError):
        load_patterns(p)


def test_missing_file():
    assert "cannot read" in check_patterns("/nonexistent/patterns.yaml")[0]


def test_custom_file_matches_with_weights_wildcards_and_negation(tmp_path):
    p = _write(tmp_path, "settings:\n  negators: {en: [not]}\nclasses:\n  unsubscribe:\n    weight: 2\n"
                         "    en: ['remove me | 5', 'désinscri*']\n  interested:\n    en: [keen]\n")
    pats = load_patterns(p)
    found = {(m.entry.phrase, m.weight) for m in pats.scan(fold("Remove me. Désinscrivez-moi. Not keen."))}
    assert ("remove me", 5.0) in found
    assert ("désinscri*", 2.0) in found
    assert ("keen", 0.0) in found  # negated


def test_longest_match_wins():
    pats = load_patterns()
    hits = [m.entry.phrase for m in pats.scan(fold("we are not interested"))]
    assert "not interested" in hits and "interested" not in hits


def test_contractions_elisions_and_stems_match_both_ways():
    words = [t for t, _, _ in tokens(fold("We've stopped emailing; it isn't, can't. N'hésitez pas, j'ai"))]
    assert words[:4] == ["we", "have", "stop", "email"]
    assert "not" in words and "ne" in words and "je" in words
    assert stem("intéressées".replace("é", "e")) == stem("interesse")
    assert stem("interesting") == "interesting"  # kept: its stem would mean something else
