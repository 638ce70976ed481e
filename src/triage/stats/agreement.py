"""Inter-rater agreement: percent agreement, Cohen's kappa, Fleiss' kappa, confused pairs.

Plain Python, no numpy. Labels are any hashable values (reason codes); ``None`` means
"this rater did not label this item".

Missing labels and unequal numbers of raters
--------------------------------------------
* ``cohen_kappa(a, b)`` uses only the items *both* raters labelled (pairwise deletion);
  ``n`` in the result says how many that was.
* ``fleiss_kappa(items)`` drops items with fewer than two labels (no pair to agree or
  disagree). When items have different numbers of labels ``n_i``, each item's agreement is
  ``P_i = sum_j n_ij (n_ij - 1) / (n_i (n_i - 1))`` (the share of agreeing ordered pairs
  among its own labels), ``P-bar`` is their mean and the category shares ``p_j`` are taken
  over all labels of the kept items. With the same number of raters on every item this is
  exactly Fleiss (1971).
* ``percent_agreement(items)`` is the mean of the same ``P_i``: for two raters, the share of
  items on which they agree.

When is kappa undefined?
------------------------
Kappa is ``(P_o - P_e) / (1 - P_e)``. When every label is the same code, chance agreement
``P_e`` is 1 and kappa is 0/0: the result has ``value = None`` and ``why_undefined`` says so
(observed agreement is still reported, here 100%). No usable items also gives ``None``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

Label = Hashable
#: One item's labels: a mapping rater -> label (None = not labelled) or a plain sequence.
ItemLabels = Mapping[Hashable, Label | None] | Sequence[Label | None]

#: Landis & Koch (1977), the usual reading of kappa values: (upper bound, word); below 0 is
#: "poor".
LANDIS_KOCH: tuple[tuple[float, str], ...] = (
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost perfect"),
)


@dataclass(frozen=True)
class Kappa:
    """A kappa statistic with what it was computed from."""

    value: float | None  # None when undefined
    observed: float | None  # P_o: observed agreement
    expected: float | None  # P_e: agreement expected by chance
    n: int  # items used
    why_undefined: str | None = None

    @property
    def strength(self) -> str:
        return interpret_kappa(self.value)

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "observed": self.observed,
            "expected": self.expected,
            "n": self.n,
            "strength": self.strength,
            "why_undefined": self.why_undefined,
        }


def interpret_kappa(value: float | None) -> str:
    """Landis & Koch's words for a kappa value ("undefined" for None)."""
    if value is None:
        return "undefined"
    if value < 0:
        return "poor"
    for upper, word in LANDIS_KOCH:
        if value <= upper + 1e-12:
            return word
    return "almost perfect"


def _labels(item: ItemLabels) -> list[Label]:
    values: Iterable = item.values() if isinstance(item, Mapping) else item
    return [v for v in values if v is not None]


def _kappa(po: float, pe: float, n: int) -> Kappa:
    if abs(1.0 - pe) < 1e-12:
        return Kappa(
            None, po, pe, n,
            "every label is the same code: chance agreement is 100%, so kappa is undefined "
            "(0/0); read the percent agreement instead",
        )
    return Kappa((po - pe) / (1.0 - pe), po, pe, n)


def _empty(why: str) -> Kappa:
    return Kappa(None, None, None, 0, why)


# -- two raters ---------------------------------------------------------------------------


def cohen_kappa(a: Sequence[Label | None], b: Sequence[Label | None]) -> Kappa:
    """Cohen's (1960) unweighted kappa between two raters' labels of the same items."""
    if len(a) != len(b):
        raise ValueError(f"the two raters must label the same items ({len(a)} != {len(b)})")
    pairs = [(x, y) for x, y in zip(a, b) if x is not None and y is not None]
    if not pairs:
        return _empty("no item was labelled by both raters")
    n = len(pairs)
    po = sum(1 for x, y in pairs if x == y) / n
    ca = Counter(x for x, _ in pairs)
    cb = Counter(y for _, y in pairs)
    pe = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return _kappa(po, pe, n)


def cohen_kappa_table(table: Sequence[Sequence[float]]) -> Kappa:
    """Cohen's kappa from a square contingency table (rows: rater A, columns: rater B)."""
    k = len(table)
    if any(len(row) != k for row in table):
        raise ValueError("the contingency table must be square")
    n = sum(sum(row) for row in table)
    if n <= 0:
        return _empty("the table is empty")
    po = sum(table[i][i] for i in range(k)) / n
    rows = [sum(table[i]) for i in range(k)]
    cols = [sum(table[i][j] for i in range(k)) for j in range(k)]
    pe = sum(rows[i] * cols[i] for i in range(k)) / (n * n)
    return _kappa(po, pe, int(n))


# -- many raters --------------------------------------------------------------------------


def fleiss_kappa_counts(counts: Sequence[Sequence[float]]) -> Kappa:
    """Fleiss' kappa from an items x categories table of how many raters chose each category.

    Rows may have different totals (see the module docstring); rows with < 2 ratings are
    dropped.
    """
    rows = [list(r) for r in counts if sum(r) >= 2]
    if not rows:
        return _empty("no item has labels from two or more raters")
    k = len(rows[0])
    if any(len(r) != k for r in rows):
        raise ValueError("every row of the table needs the same number of categories")
    total = sum(sum(r) for r in rows)
    p_items = []
    for r in rows:
        m = sum(r)
        p_items.append(sum(c * (c - 1) for c in r) / (m * (m - 1)))
    po = sum(p_items) / len(p_items)
    pe = sum((sum(r[j] for r in rows) / total) ** 2 for j in range(k))
    return _kappa(po, pe, len(rows))


def counts_table(items: Sequence[ItemLabels]) -> tuple[list[Label], list[list[int]]]:
    """(categories, items x categories counts) from per-item labels; categories sorted."""
    per_item = [Counter(_labels(it)) for it in items]
    cats = sorted({c for cnt in per_item for c in cnt}, key=str)
    return cats, [[cnt[c] for c in cats] for cnt in per_item]


def fleiss_kappa(items: Sequence[ItemLabels]) -> Kappa:
    """Fleiss' (1971) kappa for any number of raters; each item is its raters' labels."""
    _, table = counts_table(items)
    return fleiss_kappa_counts(table)


@dataclass(frozen=True)
class CategoryAgreement:
    """How reliably one code is used.

    ``kappa``: Fleiss' (1971) kappa for this category against all others (None when every
    label or no label is this code). ``specific``: when a rater picks this code, the share of
    the other raters on that item who picked it too (proportion of specific agreement).
    """

    code: Label
    labels: int
    share: float
    kappa: float | None
    specific: float | None


def per_category(items: Sequence[ItemLabels]) -> list[CategoryAgreement]:
    """Agreement code by code, on items with >= 2 labels (generalised to unequal raters)."""
    cats, table = counts_table(items)
    kept = [r for r in table if sum(r) >= 2]
    total = sum(sum(r) for r in kept)
    out = []
    for j, code in enumerate(cats):
        n_j = sum(r[j] for r in kept)
        if not total:
            break
        p = n_j / total
        disagree = sum(r[j] * (sum(r) - r[j]) / (sum(r) - 1) for r in kept)
        kappa = None if p in (0.0, 1.0) else 1.0 - disagree / (total * p * (1 - p))
        opportunities = sum(r[j] * (sum(r) - 1) for r in kept)
        specific = (sum(r[j] * (r[j] - 1) for r in kept) / opportunities
                    if opportunities else None)
        out.append(CategoryAgreement(code, n_j, p, kappa, specific))
    return out


def percent_agreement(items: Sequence[ItemLabels]) -> float | None:
    """Mean share of agreeing rater pairs per item (items with >= 2 labels); None if none."""
    shares = []
    for it in items:
        labels = _labels(it)
        if len(labels) < 2:
            continue
        pairs = list(combinations(labels, 2))
        shares.append(sum(1 for x, y in pairs if x == y) / len(pairs))
    return sum(shares) / len(shares) if shares else None


def unanimous(items: Sequence[ItemLabels]) -> int:
    """How many items (with >= 2 labels) got the same label from everyone."""
    return sum(1 for it in items if len(_labels(it)) >= 2 and len(set(_labels(it))) == 1)


# -- where raters disagree ----------------------------------------------------------------


@dataclass(frozen=True)
class ConfusedPair:
    """Two codes raters split between: on how many items, and how many rater pairs."""

    a: Label
    b: Label
    items: int  # items on which at least one rater pair chose a vs b
    pairs: int  # rater pairs (summed over items) that chose a vs b
    item_indexes: tuple[int, ...]


def confusion_pairs(items: Sequence[ItemLabels]) -> list[ConfusedPair]:
    """Unordered code pairs that raters split between, most items first.

    Ties are broken by rater pairs, then by the codes' names, so the order is stable.
    """
    pair_count: Counter = Counter()
    where: dict[tuple, list[int]] = {}
    for index, it in enumerate(items):
        labels = _labels(it)
        seen_here = set()
        for x, y in combinations(labels, 2):
            if x == y:
                continue
            key = tuple(sorted((x, y), key=str))
            pair_count[key] += 1
            seen_here.add(key)
        for key in seen_here:
            where.setdefault(key, []).append(index)
    out = [
        ConfusedPair(key[0], key[1], len(where[key]), pair_count[key], tuple(where[key]))
        for key in pair_count
    ]
    out.sort(key=lambda p: (-p.items, -p.pairs, str(p.a), str(p.b)))
    return out


def pairwise_cohen(
    ratings: Mapping[Hashable, Sequence[Label | None]],
) -> list[tuple[Hashable, Hashable, Kappa]]:
    """Cohen's kappa for every pair of raters (rater -> labels of the same items in order)."""
    names = list(ratings)
    return [(x, y, cohen_kappa(ratings[x], ratings[y])) for x, y in combinations(names, 2)]
