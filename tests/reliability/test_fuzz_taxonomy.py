"""Fuzzing taxonomy.yaml loading: whatever the bytes, a Taxonomy or a TaxonomyError whose every
problem has a line number — never another exception."""

from __future__ import annotations

import random
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.util import ROOT
from triage.taxonomy import Taxonomy, TaxonomyError
from triage.taxonomy.load import MAX_DEPTH, parse_taxonomy

#: no wall-clock deadline in the normal run; `--stress` adds a hang guard (conftest.py)
BOUNDED = settings(suppress_health_check=[HealthCheck.too_slow])
ORIGINAL = (ROOT / "taxonomy.yaml").read_bytes()
ORIGINAL_DATA = yaml.safe_load(ORIGINAL)
WORDS = ["version", "statuses", "reasons", "reply_classes", "retired", "id", "key", "label",
         "en", "fr", "final", "requires_reason", "definition", "example", "sub_reasons",
         "merged_into", "status", "reason", "set_automatically_by", "timing", "t", "x"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.text(max_size=20), st.sampled_from(WORDS),
)
shapes = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(st.sampled_from(WORDS) | st.text(max_size=8), inner, max_size=6),
    max_leaves=40,
)


def load(raw: bytes | str) -> Taxonomy | None:
    """Parse; on error check the error is a proper TaxonomyError; return the taxonomy or None."""
    try:
        return parse_taxonomy(raw, "t.yaml")
    except TaxonomyError as exc:
        assert exc.problems, "a TaxonomyError without problems"
        for p in exc.problems:
            assert isinstance(p.line, int) and p.line >= 1, (p, exc.render())
            assert p.message
        assert exc.render().startswith("t.yaml:")
        return None


@BOUNDED
@given(st.binary(max_size=3000))
def test_random_bytes(raw):
    load(raw)


@BOUNDED
@given(shapes)
def test_random_yaml_shapes(data):
    load(yaml.safe_dump(data, allow_unicode=True))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


ALL_PATHS = [p for p in _paths(ORIGINAL_DATA) if p]


@BOUNDED
@given(st.sampled_from(ALL_PATHS), shapes | st.just("__delete__"))
def test_mutated_real_taxonomy(path, value):
    import copy

    data = copy.deepcopy(ORIGINAL_DATA)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if value == "__delete__":
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    load(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@BOUNDED
@given(st.integers(0, len(ORIGINAL)), st.binary(min_size=1, max_size=4))
def test_invalid_utf8_is_reported_on_its_line(at, junk):
    junk = b"\xff" + junk
    raw = ORIGINAL[:at] + junk + ORIGINAL[at:]
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy(raw, "t.yaml")
    assert "not valid UTF-8" in str(err.value)
    assert err.value.problems[0].line == ORIGINAL[:at].count(b"\n") + 1


KEY_LINES = [
    i for i, line in enumerate(ORIGINAL.decode().splitlines())
    if re.match(r"^\s*[a-z_]+: ?", line) and not line.lstrip().startswith(("-", "#"))
]


@BOUNDED
@given(st.sampled_from(KEY_LINES))
def test_duplicate_keys_are_refused_with_both_lines(index):
    lines = ORIGINAL.decode().splitlines(keepends=True)
    lines.insert(index + 1, lines[index])
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy("".join(lines), "t.yaml")
    key = lines[index].split(":")[0].strip()
    dup = [p for p in err.value.problems if "duplicate key" in p.message]
    assert dup and dup[0].line == index + 2
    assert f"duplicate key {key!r} (already set on line {index + 1})" in dup[0].message


@settings(max_examples=30)
@given(st.integers(MAX_DEPTH + 1, 20_000), st.sampled_from(["flow-list", "flow-map", "block"]))
def test_deep_nesting_is_refused(depth, style):
    if style == "flow-list":
        text = "version: " + "[" * depth + "]" * depth
    elif style == "flow-map":
        text = "version: " + "{a: " * depth + "1" + "}" * depth
    else:
        depth = min(depth, 400)
        text = "".join(" " * i + "a:\n" for i in range(depth)) + " " * depth + "b: 1\n"
    with pytest.raises(TaxonomyError, match="nested more than"):
        parse_taxonomy(text, "t.yaml")


def test_billion_laughs_aliases_stay_cheap():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    lines += ["version: *a8", "statuses: *a8", "reasons: *a8", "reply_classes: *a8"]
    assert load("\n".join(lines)) is None


@pytest.mark.parametrize("seed", range(5))
def test_truncated_real_taxonomy(seed):
    at = random.Random(seed).randrange(len(ORIGINAL))
    load(ORIGINAL[:at])


def test_control_character_is_reported_on_its_line():
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy(b"version: '1'\nstatuses:\n  - id: a\x00\n", "t.yaml")
    assert err.value.problems[0].line == 3
    assert "special characters are not allowed" in str(err.value)
