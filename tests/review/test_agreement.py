"""Agreement statistics against hand-computed textbook examples and edge cases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.stats.agreement import (
    cohen_kappa,
    cohen_kappa_table,
    confusion_pairs,
    counts_table,
    fleiss_kappa,
    fleiss_kappa_counts,
    interpret_kappa,
    pairwise_cohen,
    per_category,
    percent_agreement,
    unanimous,
)


def expand(table: list[list[int]], cats: list[str]) -> tuple[list[str], list[str]]:
    """Two raters' label lists from a contingency table (rows: A, columns: B)."""
    a, b = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [cats[i]] * count
            b += [cats[j]] * count
    return a, b


# -- Cohen ----------------------------------------------------------------------------------


def test_cohen_wikipedia_grant_example():
    # Wikipedia "Cohen's kappa", simple example: 50 proposals, Yes/Yes 20, Yes/No 5,
    # No/Yes 10, No/No 15.  p_o = 35/50 = 0.70; p_yes = 0.5*0.6 = 0.30, p_no = 0.5*0.4 = 0.20,
    # p_e = 0.50; kappa = (0.70 - 0.50) / (1 - 0.50) = 0.40
    table = [[20, 5], [10, 15]]
    k = cohen_kappa_table(table)
    assert k.observed == pytest.approx(0.70)
    assert k.expected == pytest.approx(0.50)
    assert k.value == pytest.approx(0.40)
    a, b = expand(table, ["yes", "no"])
    assert cohen_kappa(a, b).value == pytest.approx(0.40)
    assert k.strength == "fair"


@pytest.mark.parametrize(
    ("table", "kappa"),
    [
        # Wikipedia, "same percentages but different numbers": both have p_o = 0.60
        # p_e = (70*60 + 30*40) / 100^2 = 0.54 -> (0.60 - 0.54) / 0.46 = 0.1304
        ([[45, 15], [25, 15]], 0.1304),
        # p_e = (60*30 + 40*70) / 100^2 = 0.46 -> (0.60 - 0.46) / 0.54 = 0.2593
        ([[25, 35], [5, 35]], 0.2593),
    ],
)
def test_cohen_same_agreement_different_kappa(table, kappa):
    k = cohen_kappa_table(table)
    assert k.observed == pytest.approx(0.60)
    assert k.value == pytest.approx(kappa, abs=5e-5)


def test_cohen_three_categories_sas_example():
    # a 3x3 table from the SAS PROC FREQ documentation (also in statsmodels' tests):
    # n = 19, p_o = 13/19, rows (5, 8, 6), columns (0, 13, 6):
    # p_e = (0 + 104 + 36) / 361 = 140/361; kappa = (247 - 140) / (361 - 140) = 107/221
    k = cohen_kappa_table([[0, 4, 1], [0, 8, 0], [0, 1, 5]])
    assert k.value == pytest.approx(107 / 221)
    assert k.value == pytest.approx(0.4842, abs=5e-5)


def test_cohen_skips_items_one_rater_did_not_label():
    a = ["t", "f", None, "b", "t"]
    b = ["t", "f", "b", None, "f"]
    k = cohen_kappa(a, b)
    assert k.n == 3
    # items (t,t) (f,f) (t,f): p_o = 2/3; A: t 2, f 1; B: t 1, f 2 -> p_e = (2 + 2)/9
    assert k.observed == pytest.approx(2 / 3)
    assert k.value == pytest.approx((2 / 3 - 4 / 9) / (1 - 4 / 9))


def test_cohen_perfect_agreement_is_one():
    k = cohen_kappa(["t", "f", "b"], ["t", "f", "b"])
    assert k.value == pytest.approx(1.0)
    assert k.strength == "almost perfect"


def test_cohen_all_one_category_is_undefined_not_a_crash():
    k = cohen_kappa(["t"] * 5, ["t"] * 5)
    assert k.value is None
    assert k.observed == 1.0 and k.expected == 1.0
    assert "undefined" in k.why_undefined
    assert k.strength == "undefined"


def test_cohen_no_shared_items_and_length_mismatch():
    k = cohen_kappa(["t", None], [None, "f"])
    assert k.value is None and k.n == 0
    with pytest.raises(ValueError):
        cohen_kappa(["t"], ["t", "f"])


def test_cohen_systematic_disagreement_is_negative():
    k = cohen_kappa(["t", "f", "t", "f"], ["f", "t", "f", "t"])
    assert k.value == pytest.approx(-1.0)
    assert interpret_kappa(k.value) == "poor"


# -- Fleiss ---------------------------------------------------------------------------------

#: Fleiss (1971): 30 patients, 6 psychiatrists each, 5 diagnoses (1 depression, 2 personality
#: disorder, 3 schizophrenia, 4 neurosis, 5 other); as published in R's irr::diagnoses.
DIAGNOSES = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]


def test_fleiss_1971_psychiatric_diagnoses():
    cats, table = counts_table(DIAGNOSES)
    assert cats == [1, 2, 3, 4, 5]
    assert [sum(col) for col in zip(*table)] == [26, 26, 30, 55, 43]
    k = fleiss_kappa(DIAGNOSES)
    assert k.value == pytest.approx(0.4302445, abs=1e-7)  # irr::kappam.fleiss
    assert k.n == 30
    assert k.strength == "moderate"


def test_fleiss_wikipedia_worked_example():
    # Wikipedia "Fleiss' kappa": 10 subjects, 14 raters, 5 categories.
    # p_j = 0.143 0.200 0.279 0.150 0.229; P-bar = 0.378; P_e = 0.213; kappa = 0.210
    table = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]
    k = fleiss_kappa_counts(table)
    assert k.observed == pytest.approx(0.378, abs=5e-4)
    assert k.expected == pytest.approx(0.213, abs=5e-4)
    assert k.value == pytest.approx(0.210, abs=5e-4)
    # the same data given as labels per rater gives the same result
    items = [sum(([c] * n for c, n in zip("ABCDE", row)), []) for row in table]
    assert fleiss_kappa(items).value == pytest.approx(k.value)


def test_fleiss_with_two_raters_matches_scotts_pi():
    # with 2 raters Fleiss' kappa is Scott's pi: p_o = 0.70, pooled shares yes 27.5/50 ...
    a, b = expand([[20, 5], [10, 15]], ["yes", "no"])
    k = fleiss_kappa(list(zip(a, b)))
    p_yes = (25 + 30) / 100
    pe = p_yes**2 + (1 - p_yes) ** 2
    assert k.value == pytest.approx((0.70 - pe) / (1 - pe))


def test_fleiss_missing_labels_drop_items_and_weight_unequal_raters():
    items = [
        {"ana": "t", "bo": "t", "cy": "t"},
        {"ana": "t", "bo": "f", "cy": None},  # two labels: P_i = 0
        {"ana": "b", "bo": None, "cy": None},  # one label: dropped
        {"ana": "f", "bo": "f", "cy": "b"},  # P_i = 2/6
    ]
    k = fleiss_kappa(items)
    assert k.n == 3
    assert k.observed == pytest.approx((1 + 0 + 1 / 3) / 3)
    # labels of the kept items: t 4, f 3, b 1 of 8
    assert k.expected == pytest.approx((4 / 8) ** 2 + (3 / 8) ** 2 + (1 / 8) ** 2)
    assert percent_agreement(items) == pytest.approx(k.observed)
    assert unanimous(items) == 1


def test_fleiss_edge_cases():
    assert fleiss_kappa([["t", "t", "t"], ["f", "f", "f"]]).value == pytest.approx(1.0)
    same = fleiss_kappa([["u", "u"], ["u", "u", "u"]])
    assert same.value is None and same.observed == 1.0 and same.why_undefined
    nothing = fleiss_kappa([["t"], [None, None], []])
    assert nothing.value is None and nothing.n == 0
    assert fleiss_kappa([]).value is None
    assert percent_agreement([["t"], []]) is None


# -- percent agreement, confusion pairs, pairwise -------------------------------------------


def test_percent_agreement_two_raters_is_share_of_agreeing_items():
    a, b = expand([[20, 5], [10, 15]], ["yes", "no"])
    assert percent_agreement(list(zip(a, b))) == pytest.approx(0.70)


def test_confusion_pairs_count_items_and_rater_pairs_in_stable_order():
    items = [
        {"ana": "timing", "bo": "budget", "cy": "budget"},  # timing/budget: 2 rater pairs
        {"ana": "timing", "bo": "budget", "cy": "timing"},  # timing/budget: 2
        {"ana": "fit", "bo": "competition", "cy": "fit"},  # competition/fit: 2
        {"ana": "fit", "bo": "fit", "cy": "fit"},
    ]
    pairs = confusion_pairs(items)
    assert [(p.a, p.b, p.items, p.pairs) for p in pairs] == [
        ("budget", "timing", 2, 4, ),
        ("competition", "fit", 1, 2),
    ]
    assert pairs[0].item_indexes == (0, 1)
    assert confusion_pairs([["t", "t"], ["f", None]]) == []


def test_pairwise_cohen_names_every_pair():
    out = pairwise_cohen({"ana": ["t", "f"], "bo": ["t", "f"], "cy": ["t", None]})
    assert [(x, y) for x, y, _ in out] == [("ana", "bo"), ("ana", "cy"), ("bo", "cy")]
    assert out[0][2].value == pytest.approx(1.0)
    assert out[1][2].value is None  # one shared item, one category


@pytest.mark.parametrize(
    ("value", "word"),
    [(-0.1, "poor"), (0.0, "slight"), (0.2, "slight"), (0.21, "fair"), (0.41, "moderate"),
     (0.61, "substantial"), (0.81, "almost perfect"), (1.0, "almost perfect"), (None, "undefined")],
)
def test_landis_koch_words(value, word):
    assert interpret_kappa(value) == word


# -- properties -----------------------------------------------------------------------------

codes = st.sampled_from(["t", "f", "b", "d", None])
two_raters = st.lists(st.tuples(codes, codes), min_size=1, max_size=30)


@settings(deadline=None)  # no wall-clock limits in tests
@given(two_raters)
def test_cohen_is_symmetric_bounded_and_ignores_code_names(pairs):
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    k = cohen_kappa(a, b)
    assert cohen_kappa(b, a) == k
    if k.value is not None:
        assert -1.0 - 1e-9 <= k.value <= 1.0 + 1e-9
        rename = {"t": "x", "f": "y", "b": "z", "d": "w", None: None}
        again = cohen_kappa([rename[x] for x in a], [rename[y] for y in b])
        assert again.value == pytest.approx(k.value)


@settings(deadline=None)
@given(st.lists(st.lists(codes, min_size=0, max_size=6), min_size=0, max_size=20))
def test_fleiss_never_crashes_and_stays_at_most_one(items):
    k = fleiss_kappa(items)
    assert k.value is None or k.value <= 1.0 + 1e-9
    pa = percent_agreement(items)
    assert pa is None or 0.0 <= pa <= 1.0
    assert (pa is None) == (k.n == 0)
    for p in confusion_pairs(items):
        assert p.a != p.b and p.items >= 1 and p.pairs >= p.items


def test_fleiss_1971_per_category_kappas():
    # Fleiss (1971): kappa per diagnosis 0.245 0.245 0.520 0.471 0.566
    got = {c.code: c for c in per_category(DIAGNOSES)}
    assert [round(got[k].kappa, 3) for k in (1, 2, 3, 4, 5)] == [0.245, 0.245, 0.520, 0.471, 0.566]
    assert got[4].labels == 55 and got[4].share == pytest.approx(55 / 180)
    # specific agreement for schizophrenia: pairs agreeing / pairs involving it
    assert got[3].specific == pytest.approx(0.6)


def test_per_category_edge_cases():
    only = per_category([["t", "t"], ["t", "t", "t"]])
    assert [(c.code, c.kappa, c.specific) for c in only] == [("t", None, 1.0)]
    assert per_category([["t"], []]) == []
    mixed = {c.code: c for c in per_category([["t", "t"], ["t", "f"], ["f", "f"]])}
    # t: 3 labels; agreeing t-pairs 2 (ordered) of t-opportunities 3 -> 2/3
    assert mixed["t"].specific == pytest.approx(2 / 3)
