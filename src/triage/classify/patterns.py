"""The phrase lists of `reply_patterns.yaml`, compiled once, and matching them on a text.

File format (see the file's header for the full guide):

    classes:                       # one block per reply class
      unsubscribe:
        weight: 3                  # default weight of the block's phrases
        en: [unsubscribe me, take me off your list]
        fr: [désinscrivez-moi, "retirez-moi | 4"]      # "phrase | weight" overrides
        regex: ['\\bstop\\b']      # optional, Python regex on the folded text (use sparingly)
    reasons:                       # one block per taxonomy reason, sub-reasons inside
      budget:
        en: [no budget]
        sub_reasons:
          too_expensive: {en: [too expensive], fr: [trop cher]}

Matching is on "folded" text: lowercase, accents removed, apostrophes/hyphens split into words,
so "Désinscrivez-moi" = "desinscrivez moi". Phrases match whole words; a trailing "*" matches
any ending ("désinscri*"). When two matches overlap, the longer wins ("not interested" beats
"interested"). A match preceded (same clause, within `negation_window` words) by a negator
("not", "pas", "never"...) is dropped, unless the block says `negatable: false`.
All phrases are matched whatever the message's language (replies mix languages); the en/fr keys
keep the lists readable.

Lookup is a dict keyed by a phrase's first word, so the cost is one dict probe per word of the
text, whatever the number of phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from triage.dates import fold

LANGS = ("en", "fr")
_WORD_RE = re.compile(r"\w+|[.;:!?()]")
_CLAUSE_END = frozenset(".;:!?()")


class PatternsError(ValueError):
    """reply_patterns.yaml is invalid; `problems` are 'file:line: problem' strings."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Entry:
    kind: str  # "class" | "reason"
    target: str  # reply class id or reason id
    sub: str | None  # sub-reason id
    words: tuple[str, ...]
    wildcard: bool  # last word is a prefix
    weight: float
    negatable: bool
    phrase: str  # as written in the file
    line: int


@dataclass(frozen=True)
class Match:
    entry: Entry
    start: int  # character offsets in the folded text
    end: int
    negated: bool

    @property
    def weight(self) -> float:
        return 0.0 if self.negated else self.entry.weight


@dataclass
class Patterns:
    source: str
    entries: list[Entry] = field(default_factory=list)
    regexes: list[tuple[re.Pattern, Entry]] = field(default_factory=list)
    negators: frozenset[str] = frozenset()
    negation_window: int = 3
    settings: dict = field(default_factory=dict)
    _single: dict = field(default_factory=dict, repr=False)
    _pair: dict = field(default_factory=dict, repr=False)
    _wild2: dict = field(default_factory=dict, repr=False)
    _prefix1: list = field(default_factory=list, repr=False)
    _prefix3: frozenset = field(default_factory=frozenset, repr=False)

    def _index(self) -> None:
        single, pair, wild2, prefix1 = {}, {}, {}, {}
        for e in self.entries:
            k = len(e.words)
            if k == 1:
                if e.wildcard:
                    prefix1.setdefault(len(e.words[0]), {}).setdefault(e.words[0], []).append(e)
                else:
                    single.setdefault(e.words[0], []).append(e)
            elif k == 2 and e.wildcard:
                wild2.setdefault(e.words[0], []).append(e)
            else:
                pair.setdefault(e.words[0], {}).setdefault(e.words[1], []).append(e)
        self._single, self._pair, self._wild2 = single, pair, wild2
        self._prefix1 = sorted(prefix1.items())
        self._prefix3 = frozenset(w[:3] for table in prefix1.values() for w in table)

    def scan(self, folded: str) -> list[Match]:
        """Every phrase of the file found in `folded` (see `fold`), overlaps resolved."""
        toks = tokens(folded)
        words = [(t, s, e, k) for k, (t, s, e) in enumerate(toks) if t not in _CLAUSE_END]
        seq = [w[0] for w in words]
        n = len(seq)
        found: list[tuple[int, int, Entry]] = []  # (first word index, last+1, entry)
        single, pair, wild2, prefix1 = self._single, self._pair, self._wild2, self._prefix1
        prefix3 = self._prefix3
        for i, w in enumerate(seq):
            hit = single.get(w)
            if hit:
                found.extend((i, i + 1, e) for e in hit)
            if i + 1 < n:
                second = pair.get(w)
                hit = second.get(seq[i + 1]) if second else None
                if hit:
                    for e in hit:
                        k = len(e.words)
                        if k == 2:
                            found.append((i, i + 2, e))
                        elif i + k <= n:
                            tail = seq[i + 2 : i + k]
                            if e.wildcard:
                                if tail[:-1] == list(e.words[2:-1]) and tail[-1].startswith(e.words[-1]):
                                    found.append((i, i + k, e))
                            elif tuple(tail) == e.words[2:]:
                                found.append((i, i + k, e))
                hit = wild2.get(w)
                if hit:
                    nxt = seq[i + 1]
                    found.extend((i, i + 2, e) for e in hit if nxt.startswith(e.words[1]))
            if w[:3] not in prefix3:
                continue
            for length, table in prefix1:
                if len(w) < length:
                    break
                hit = table.get(w[:length])
                if hit:
                    found.extend((i, i + 1, e) for e in hit)
        matches = self._resolve(found, words, toks)
        for rx, e in self.regexes:
            for m in rx.finditer(folded):
                matches.append(Match(e, m.start(), m.end(), False))
        return matches

    def _resolve(self, found, words, toks) -> list[Match]:
        if not found:
            return []
        # longer matches first; a match inside a longer one is dropped
        found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
        taken: list[tuple[int, int]] = []
        out = []
        for i, j, e in found:
            if any(a <= i and j <= b and (b - a) > (j - i) for a, b in taken):
                continue
            taken.append((i, j))
            negated = e.negatable and self._negated(i, words, toks)
            out.append(Match(e, words[i][1], words[j - 1][2], negated))
        out.sort(key=lambda m: m.start)
        return out

    def _negated(self, i: int, words, toks) -> bool:
        """A negator among the few words before word i, in the same clause."""
        tok_index = words[i][3]
        seen = 0
        k = tok_index - 1
        while k >= 0 and seen < self.negation_window:
            t = toks[k][0]
            if t in _CLAUSE_END:
                return False
            if t in self.negators:
                return True
            seen += 1
            k -= 1
        return False


# -- tokens ------------------------------------------------------------------------------------

# English contractions and French elisions are spelled out so that one phrase covers both
# forms: "isn't" = "is not", "can't" = "cannot" = "can not", "n'est" = "ne est", "j'ai" = "je ai"
_NT_STEMS = {"won": "will", "can": "can", "shan": "shall", "ain": "is"}
_ELISIONS = {"n": "ne", "j": "je", "l": "le", "d": "de", "qu": "que", "c": "ce", "m": "me",
             "s": "se", "t": "te", "jusqu": "jusque", "lorsqu": "lorsque", "puisqu": "puisque"}  # fmt: skip


_EN_CLITICS = {"ve": "have", "re": "are", "ll": "will", "d": "would", "m": "am", "s": "is"}
_S_IS = {"it", "that", "there", "he", "she", "what", "here", "who", "where"}


# light stemming so that one phrase covers inflections on both sides: "stopped emailing" =
# "stop email", "intéressées" = "interesse", "renewed" = "renew"; words of <= 4 letters and a few
# words whose stem would change the meaning are kept as they are
_KEEP = frozenset(
    "interesting something nothing anything everything thing things morning evening during "
    "bring pricing spring string ring king sing this thus plus less unless news yes previous "
    "various serious always perhaps series process access address business".split()
)
_DOUBLE = frozenset("bdfgmnprt")


def stem(w: str) -> str:
    if len(w) <= 4 or w in _KEEP or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 5:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "ches", "shes", "xes", "zes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    elif w.endswith("x") and w.endswith(("aux", "eux")):
        w = w[:-1]
    if w.endswith("ing") and len(w) > 6:
        w = w[:-3]
        if len(w) > 3 and w[-1] == w[-2] and w[-1] in _DOUBLE:
            w = w[:-1]
    elif w.endswith("ed") and len(w) > 5 and w[-3] != "e":
        w = w[:-2]
        if len(w) > 3 and w[-1] == w[-2] and w[-1] in _DOUBLE:
            w = w[:-1]
    elif w.endswith("ee") and len(w) > 5:  # intéressée -> interesse
        w = w[:-1]
    return w


def tokens(folded: str) -> list[tuple[str, int, int]]:
    """Words (and clause punctuation) of folded text with their offsets, contractions expanded,
    stemmed."""
    return [(stem(t), s, e) for t, s, e in _raw_tokens(folded)]


def _raw_tokens(folded: str) -> list[tuple[str, int, int]]:
    out: list[tuple[str, int, int]] = []
    n = len(folded)
    for m in _WORD_RE.finditer(folded):
        t, s, e = m.group(), m.start(), m.end()
        if t == "t" and s > 0 and folded[s - 1] == "'" and out and out[-1][0].endswith("n") and (
            e >= n or not folded[e].isalnum()
        ):
            prev, ps, pe = out.pop()
            stem = _NT_STEMS.get(prev, prev[:-1])
            out.append((stem, ps, pe - 1))
            out.append(("not", pe - 1, e))
            continue
        if t == "cannot":
            out.append(("can", s, s + 3))
            out.append(("not", s + 3, e))
            continue
        if s > 0 and folded[s - 1] == "'" and t in _EN_CLITICS and out and (e >= n or not folded[e].isalnum()):
            if t != "s" or out[-1][0] in _S_IS:
                out.append((_EN_CLITICS[t], s, e))
                continue
            if out[-1][0] == "let":
                out.append(("us", s, e))
                continue
        if e < n and folded[e] == "'" and t in _ELISIONS:
            out.append((_ELISIONS[t], s, e))
            continue
        out.append((t, s, e))
    return out


# -- loading ---------------------------------------------------------------------------------


def default_patterns_path() -> Path:
    return Path(str(resources.files("triage") / "data" / "reply_patterns.yaml"))


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Patterns:
    return _load(Path(path))


_DEFAULT: Patterns | None = None


def load_patterns(path: str | Path | None = None) -> Patterns:
    """Load and compile the patterns file (cached; an explicit path is reloaded when it changes)."""
    global _DEFAULT
    if path is None:
        if _DEFAULT is None:
            _DEFAULT = _load(default_patterns_path())
        return _DEFAULT
    p = Path(path)
    try:
        mtime = p.stat().st_mtime
    except OSError as exc:
        raise PatternsError([f"{p}: cannot read: {exc.strerror}"]) from None
    return _load_cached(str(p), mtime)


def check_patterns(path: str | Path | None = None) -> list[str]:
    """Problems in a patterns file as 'file:line: problem' (empty list = valid)."""
    p = Path(path) if path else default_patterns_path()
    try:
        _load(p)
    except PatternsError as exc:
        return exc.problems
    return []


def _load(path: Path) -> Patterns:
    problems: list[str] = []

    def problem(node, msg: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        problems.append(f"{path}:{line}: {msg}")

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PatternsError([f"{path}: cannot read: {exc.strerror}"]) from None
    except UnicodeDecodeError as exc:
        raise PatternsError([f"{path}: not UTF-8 text: {exc.reason}"]) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise PatternsError([f"{path}:{line}: not valid YAML: {getattr(exc, 'problem', exc)}"]) from None
    if not isinstance(root, yaml.MappingNode):
        raise PatternsError([f"{path}:1: expected a mapping with 'classes' and 'reasons'"])

    from triage.taxonomy import load_taxonomy

    tax = load_taxonomy()
    class_ids = {c.id for c in tax.reply_classes}
    reasons = {r.id: {s.id for s in r.sub_reasons} for r in tax.reasons}

    pats = Patterns(source=str(path))
    top = _mapping(root, problem)
    for key in top:
        if key not in ("version", "settings", "classes", "reasons"):
            problem(top[key][0], f"unknown top-level key {key!r}")
    settings_node = top.get("settings", (None, None))[1]
    if settings_node is not None:
        settings = yaml.safe_load(yaml.serialize(settings_node)) or {}
        if not isinstance(settings, dict):
            problem(settings_node, "settings must be a mapping")
            settings = {}
        pats.settings = settings
        negs = settings.get("negators", {})
        if not isinstance(negs, dict):
            problem(settings_node, "settings.negators must map a language to a list of words")
            negs = {}
        pats.negators = frozenset(fold(str(w)) for ws in negs.values() for w in (ws or []))
        window = settings.get("negation_window", 3)
        if not isinstance(window, int) or not 0 <= window <= 10:
            problem(settings_node, "settings.negation_window must be a whole number 0-10")
        else:
            pats.negation_window = window

    classes_node = top.get("classes", (None, None))[1]
    if classes_node is None:
        problems.append(f"{path}:1: missing 'classes'")
    else:
        for cid, (knode, block) in _mapping(classes_node, problem).items():
            if cid not in class_ids:
                problem(knode, f"unknown reply class {cid!r} (taxonomy has: {', '.join(sorted(class_ids))})")
                continue
            _block(block, "class", cid, None, pats, problem, allow_subs=False)

    reasons_node = top.get("reasons", (None, None))[1]
    if reasons_node is not None:
        for rid, (knode, block) in _mapping(reasons_node, problem).items():
            if rid not in reasons:
                problem(knode, f"unknown reason {rid!r} (taxonomy has: {', '.join(sorted(reasons))})")
                continue
            _block(block, "reason", rid, None, pats, problem, allow_subs=True, subs=reasons[rid])
    if problems:
        raise PatternsError(problems)
    # a phrase that starts with a negator carries its own negation ("pas le moment")
    pats.entries = [
        e if not (e.negatable and e.words[0] in pats.negators) else _replace(e, negatable=False)
        for e in pats.entries
    ]
    pats._index()
    return pats


def _mapping(node, problem) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        problem(node, "expected a mapping")
        return {}
    out = {}
    for k, v in node.value:
        key = str(k.value)
        if key in out:
            problem(k, f"duplicate key {key!r}")
        out[key] = (k, v)
    return out


def _block(
    node, kind, target, sub, pats: Patterns, problem, allow_subs, subs=frozenset(), weight=1.0
) -> None:
    fields = _mapping(node, problem)
    negatable = True
    if "weight" in fields:
        w = _number(fields["weight"][1].value)
        if w is None:
            problem(fields["weight"][1], f"weight must be a number, not {fields['weight'][1].value!r}")
        else:
            weight = w
    if "negatable" in fields:
        negatable = str(fields["negatable"][1].value).lower() not in ("false", "no", "0")
    for key, (knode, vnode) in fields.items():
        if key in ("weight", "negatable"):
            continue
        if key in LANGS or key == "any":
            for item in _sequence(vnode, problem):
                _phrase(item, kind, target, sub, weight, negatable, pats, problem)
        elif key == "regex":
            for item in _sequence(vnode, problem):
                raw, w = str(item.value).strip(), weight
                head, sep, tail = raw.rpartition(" | ")
                if sep and _number(tail.strip()) is not None:
                    raw, w = head.strip(), float(tail)
                try:
                    rx = re.compile(raw)
                except re.error as exc:
                    problem(item, f"bad regex {raw!r}: {exc}")
                    continue
                entry = Entry(kind, target, sub, (), False, w, False, raw, item.start_mark.line + 1)
                pats.regexes.append((rx, entry))
        elif key == "sub_reasons" and allow_subs:
            for sid, (sk, sv) in _mapping(vnode, problem).items():
                if sid not in subs:
                    problem(sk, f"{sid!r} is not a sub-reason of {target!r} in the taxonomy")
                    continue
                _block(sv, kind, target, sid, pats, problem, allow_subs=False, weight=weight)
        else:
            problem(knode, f"unknown key {key!r} (expected en, fr, any, regex, weight, negatable"
                    + (", sub_reasons)" if allow_subs else ")"))


def _sequence(node, problem) -> list:
    if not isinstance(node, yaml.SequenceNode):
        problem(node, "expected a list of phrases")
        return []
    items = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode):
            problem(item, "each phrase must be plain text")
            continue
        items.append(item)
    return items


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _split_weight(raw: str, default: float, node, problem) -> tuple[str, float]:
    if "|" in raw:
        text, _, w = raw.rpartition("|")
        weight = _number(w.strip())
        if weight is None:
            problem(node, f"weight after '|' must be a number in {raw!r}")
            return text.strip(), default
        return text.strip(), weight
    return raw.strip(), default


def _phrase(item, kind, target, sub, default_weight, negatable, pats: Patterns, problem) -> None:
    raw, weight = _split_weight(str(item.value), default_weight, item, problem)
    folded = fold(raw)
    wildcard_end = folded.rstrip().endswith("*")
    words = [t for t, _, _ in tokens(folded.rstrip().rstrip("*")) if t not in _CLAUSE_END]
    if wildcard_end and words:
        words[-1] += "*"
    if "*" in folded.rstrip().rstrip("*"):
        problem(item, f"'*' only at the end of a phrase: {raw!r}")
        return
    if not words:
        problem(item, f"phrase {raw!r} has no words")
        return
    wildcard = words[-1].endswith("*")
    words = [w.rstrip("*") for w in words]
    if wildcard and len(words[-1]) < 3:
        problem(item, f"a '*' prefix needs at least 3 letters: {raw!r}")
        return
    pats.entries.append(
        Entry(kind, target, sub, tuple(words), wildcard, weight, negatable, raw, item.start_mark.line + 1)
    )
