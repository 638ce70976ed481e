"""Load taxonomy.yaml, reporting every problem as `file:line: what is wrong`, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from triage import text_cache
from triage.taxonomy.model import Taxonomy

if TYPE_CHECKING:
    import yaml  # imported to parse a file: a file validated before is read from the cache


@dataclass(frozen=True)
class Problem:
    line: int | None
    path: str
    message: str


class TaxonomyError(Exception):
    """taxonomy.yaml cannot be used; `problems` says where and why."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        lines = []
        for p in self.problems:
            where = f"{self.source}:{p.line}" if p.line else self.source
            at = f" ({p.path})" if p.path else ""
            lines.append(f"{where}: {p.message}{at}")
        return "\n".join(lines)


def default_taxonomy_path() -> Path:
    """The taxonomy shipped inside the package (a copy of the top-level taxonomy.yaml).

    The package's folder, as importlib.resources.files("triage") gives it for an installed
    package, without importing importlib.resources and zipfile (~2 ms of every start)."""
    import triage

    return Path(triage.__file__).parent / "data" / "taxonomy.yaml"


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    path = Path(path) if path is not None else default_taxonomy_path()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TaxonomyError(str(path), [Problem(None, "", f"cannot read file: {exc.strerror}")]) from None
    return parse_taxonomy(raw, str(path), cache=True)


def parse_taxonomy(raw: bytes | str, source: str = "taxonomy.yaml", cache: bool = False) -> Taxonomy:
    """The taxonomy in `raw`, or TaxonomyError. With `cache`, a text validated before is neither
    parsed nor validated again (see `_cached`): the same taxonomy, built from its validated data."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise TaxonomyError(
                source, [Problem(line, "", "the file is not valid UTF-8 (save it as UTF-8)")]
            ) from None
    else:
        text = raw
    if cache and (known := _cached(text)) is not None:
        return known
    node, data = _parse_yaml(text, source)
    if not isinstance(data, dict):
        raise TaxonomyError(
            source, [Problem(1, "", "expected a mapping with version, statuses, reasons, ...")]
        )
    from triage.taxonomy import schema

    try:
        valid = schema.validated(data)
    except schema.Invalid as exc:
        raise TaxonomyError(
            source, [Problem(_line_of(node, loc), _dotted(loc), msg) for loc, msg in exc.problems]
        ) from None
    if cache:
        text_cache.remember("taxonomy", text, _cache_format(), valid)
    return Taxonomy.from_data(valid)


def _parse_yaml(text: str, source: str) -> tuple[yaml.Node | None, object]:
    """(node tree, data) of the YAML text, or TaxonomyError (syntax, nesting, duplicate keys)."""
    import yaml

    fast = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        try:
            node, data = _compose_and_load(text, source, fast)
        except yaml.YAMLError:
            if fast is yaml.SafeLoader:
                raise
            # libyaml words errors its own way: the pure-Python loader gives the usual message
            node, data = _compose_and_load(text, source, yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        position = getattr(exc, "position", None)  # ReaderError: a bad character, no mark
        if line is None and isinstance(position, int):
            line = text[:position].count("\n") + 1
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
        raise TaxonomyError(source, [Problem(line, "", f"YAML syntax error: {problem}")]) from None
    duplicates = _duplicate_keys(node)
    if duplicates:
        raise TaxonomyError(source, duplicates)
    return node, data


# -- the cache (triage.text_cache) ----------------------------------------------------------
# Every `triage` command loads the taxonomy; `import yaml` costs ~7 ms (PyYAML imports its
# pure-Python reader, scanner, parser, emitter... even when libyaml parses), the parse ~2 ms,
# and pydantic with the schema ~25 ms more. The *validated* data of the last file that loaded
# is kept with the exact text it came from: a text equal to it gives the same taxonomy, built
# from that data without PyYAML or pydantic; any other text (or a file with problems, which is
# not kept) goes the full way, so every problem is reported exactly as before.

#: Bump when the meaning of the cached data changes. 2: validated data (1: the raw YAML data).
_CACHE_FORMAT = 2


def _cache_format() -> int:
    here = Path(__file__)
    return text_cache.code_format(
        _CACHE_FORMAT, *(here.with_name(n) for n in ("load.py", "schema.py", "model.py"))
    )


def _cached(text: str) -> Taxonomy | None:
    """The taxonomy validated from `text` before, or None (never seen, or a broken cache)."""
    data = text_cache.recall("taxonomy", text, _cache_format())
    if data is text_cache.MISS:
        return None
    try:
        return Taxonomy.from_data(data)
    except (TypeError, KeyError, AttributeError):  # not the shape it was written in
        return None


def _compose_and_load(text: str, source: str, loader_cls: type) -> tuple[yaml.Node | None, object]:
    """One parse: the node tree (for duplicate keys and line numbers) and the data built from it."""
    _check_depth(text, source, loader_cls)
    loader = loader_cls(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


#: Deepest nesting a taxonomy needs is about 5; beyond this the file is refused (and PyYAML's
#: recursive composer is never asked to build it).
MAX_DEPTH = 32


def _check_depth(text: str, source: str, loader_cls: type) -> None:
    """Refuse absurdly nested YAML with its line, using the (non-recursive) event parser."""
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=loader_cls):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1
                raise TaxonomyError(
                    source, [Problem(line, "", f"nested more than {MAX_DEPTH} levels deep")]
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _duplicate_keys(root: yaml.Node | None) -> list[Problem]:
    """YAML lets a later key silently replace an earlier one; in a taxonomy that hides a mistake."""
    import yaml

    problems, stack, seen_nodes = [], [root], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    line = key.start_mark.line + 1
                    if key.value in first:
                        problems.append(
                            Problem(line, "", f"duplicate key {key.value!r} "
                                    f"(already set on line {first[key.value]})")
                        )
                    else:
                        first[key.value] = line
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(problems, key=lambda p: p.line or 0)


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_of(node: yaml.Node | None, loc: tuple) -> int | None:
    """Walk the composed YAML tree along a validation error location; return the deepest line."""
    import yaml

    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            if nxt is None:
                return line
            # the key line is where the user looks for a field
            key = next(k for k, v in node.value if v is nxt)
            node, line = nxt, key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
