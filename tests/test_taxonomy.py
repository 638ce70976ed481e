from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from triage.__main__ import main
from triage.taxonomy import TaxonomyError, default_taxonomy_path, load_taxonomy
from triage.taxonomy.load import parse_taxonomy

from .conftest import ROOT

SOURCE = (ROOT / "taxonomy.yaml").read_text(encoding="utf-8")


def problems_of(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(TaxonomyError) as info:
        parse_taxonomy(text)
    return [(p.line, p.message) for p in info.value.problems]


def line_of(fragment: str, text: str = SOURCE) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_bundled_copy_is_the_top_level_file():
    assert filecmp.cmp(ROOT / "taxonomy.yaml", default_taxonomy_path(), shallow=False)


def test_default_taxonomy_follows_the_method(taxonomy):
    ids = [r.id for r in taxonomy.reasons]
    assert ids[:8] == [
        "timing", "fit", "budget", "decision_maker", "competition",
        "no_response", "not_interested", "unknown",
    ]
    assert 6 <= len(taxonomy.reasons) <= 12
    for r in taxonomy.reasons:
        assert r.definition.en and r.definition.fr and r.example.en and r.example.fr
        assert len(r.key) == 1 and r.key.isalpha() and r.key.islower()
    finals = {s.id for s in taxonomy.statuses if s.requires_reason}
    assert {"closed_lost", "disqualified", "unsubscribed", "no_response"} <= finals
    assert taxonomy.status("bounced").set_automatically_by == ("bounce",)
    assert taxonomy.reply_class("wrong_person").reason == "decision_maker"


def test_retired_codes_map_to_active_ones(taxonomy):
    assert taxonomy.canonical_reason("price") == "budget"
    assert taxonomy.canonical_reason("timing") == "timing"
    assert taxonomy.canonical_reason("never_heard_of") == "never_heard_of"
    assert taxonomy.reason_label("price", "fr") == "Objection prix"


def test_duplicate_key_reports_the_line():
    bad = SOURCE.replace("    key: b\n", "    key: t\n")
    [(line, msg)] = problems_of(bad)
    assert line == line_of("    key: b\n")
    assert "key 't' is used twice" in msg and "timing" in msg and "budget" in msg


def test_digit_key_is_refused_as_not_azerty_safe():
    bad = SOURCE.replace("    key: b\n", "    key: '1'\n")
    [(line, msg)] = problems_of(bad)
    assert line == line_of("    key: b\n")
    assert "AZERTY" in msg


def test_reserved_key_is_refused():
    [(_, msg)] = problems_of(SOURCE.replace("    key: b\n", "    key: j\n"))
    assert "reserved" in msg


def test_unknown_reference_reports_its_line():
    bad = SOURCE.replace("    status: closed_lost\n    reason: not_interested", "    status: closed_lost\n    reason: nope")
    [(line, msg)] = problems_of(bad)
    assert "unknown reason 'nope'" in msg
    assert line == line_of("    reason: not_interested\n")


def test_retired_code_merged_into_unknown_code():
    [(line, msg)] = problems_of(SOURCE.replace("merged_into: budget", "merged_into: pricing"))
    assert "not an active reason" in msg and line == line_of("merged_into: budget")


def test_too_few_reasons():
    tax = load_taxonomy(ROOT / "taxonomy.yaml")
    lines = SOURCE.splitlines(keepends=True)
    start = line_of("  - id: fit\n") - 1
    end = line_of("  - id: no_response\n    key: r") - 1  # drop fit, budget, decision_maker, competition
    assert len(tax.reasons) - 4 < 6
    problems = problems_of("".join(lines[:start] + lines[end:]))
    assert any("at least 6" in m for _, m in problems)


def test_yaml_syntax_error_has_a_line():
    [(line, msg)] = problems_of("version: 1\nstatuses: [\n  - id\n")
    assert line is not None and "YAML syntax error" in msg


def test_wrong_type_and_unknown_field():
    bad = SOURCE.replace("    final: false\n", "    final: perhaps\n", 1)
    bad = bad.replace("  - id: fit\n", "  - id: fit\n    colour: red\n")
    found = problems_of(bad)
    assert (line_of("    final: false\n"), "Input should be a valid boolean, unable to interpret input") in found
    assert any(m == "unknown field 'colour'" for _, m in found)


def test_not_utf8_names_the_line():
    raw = SOURCE.encode("utf-8").replace("Intéressé".encode(), "Int\xe9ress\xe9".encode("latin-1"), 1)
    with pytest.raises(TaxonomyError) as info:
        parse_taxonomy(raw)
    assert "UTF-8" in info.value.render()


def test_cli_check_ok_and_bad(tmp_path: Path, capsys):
    assert main(["taxonomy", "check", str(ROOT / "taxonomy.yaml")]) == 0
    assert "OK" in capsys.readouterr().out
    bad = tmp_path / "t.yaml"
    bad.write_text(SOURCE.replace("    key: b\n", "    key: t\n"), encoding="utf-8")
    assert main(["taxonomy", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:{line_of('    key: b')}: key 't' is used twice" in err
    assert "Traceback" not in err


def test_cli_check_missing_file(capsys):
    assert main(["taxonomy", "check", "/nonexistent/taxonomy.yaml"]) == 2
    assert "cannot read file" in capsys.readouterr().err
