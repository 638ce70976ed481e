"""Two-proportion z-test and Fisher's exact test against published values.

References (checked with scipy 1.17 / R, which are not dependencies of triage):
- Fisher's tea-tasting table [[3, 1], [1, 3]]: one-sided p = 17/70 = 0.2429, two-sided 0.4857
  (R ``fisher.test(TeaTasting, alternative = "greater")``).
- R's ``Convictions`` table [[2, 15], [10, 3]] (Fisher 1935, twins): one-sided "less"
  p = 0.0004652, two-sided p = 0.0005367.
- Two-proportion z-test, x1=140/n1=200 vs x2=255/n2=340: pooled p = 0.73148, se = 0.039494,
  z = -1.266 (worked textbook exercise; its p = 0.1030 comes from a t table with 538 df, the
  normal tail is 0.10275: scipy ``norm.sf(1.266015)``).
- z^2 equals Pearson's chi-square without continuity correction: [[8, 92], [20, 80]] has
  chi2 = 5.98007, p = 0.014468.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.stats.proportions import (
    expected_counts,
    fisher_exact,
    normal_sf,
    two_proportion_ztest,
)


def test_normal_tail_known_quantiles():
    assert normal_sf(0) == pytest.approx(0.5)
    assert normal_sf(1.959964) == pytest.approx(0.025, abs=1e-7)
    assert normal_sf(-1.644854) == pytest.approx(0.95, abs=1e-7)


def test_fisher_tea_tasting():
    assert fisher_exact([[3, 1], [1, 3]], "greater") == pytest.approx(17 / 70)
    assert fisher_exact([[3, 1], [1, 3]], "greater") == pytest.approx(0.2429, abs=5e-5)
    assert fisher_exact([[3, 1], [1, 3]]) == pytest.approx(0.4857, abs=5e-5)
    assert fisher_exact([[3, 1], [1, 3]], "less") == pytest.approx(69 / 70)


def test_fisher_convictions():
    table = [[2, 15], [10, 3]]
    assert fisher_exact(table, "less") == pytest.approx(0.0004652, rel=1e-3)
    assert fisher_exact(table) == pytest.approx(0.0005367, rel=1e-3)
    assert fisher_exact(table, "greater") == pytest.approx(1.0, abs=1e-3)


def test_fisher_degenerate_tables():
    assert fisher_exact([[0, 0], [0, 0]]) == 1.0
    assert fisher_exact([[5, 0], [5, 0]]) == 1.0  # one column empty: only one table possible
    with pytest.raises(ValueError):
        fisher_exact([[-1, 2], [3, 4]])


def test_ztest_textbook_example():
    t = two_proportion_ztest(140, 200, 255, 340)
    # our z is (p2 - p1) / se: the exercise's sign is flipped
    assert t.pooled == pytest.approx(0.7314815, abs=1e-6)
    assert t.z == pytest.approx(1.266015, abs=1e-5)
    assert two_proportion_ztest(140, 200, 255, 340, "less").p_value == pytest.approx(
        0.8972462, abs=1e-6
    )
    assert two_proportion_ztest(140, 200, 255, 340, "greater").p_value == pytest.approx(
        0.1027538, abs=1e-6
    )
    assert t.p_value == pytest.approx(0.2055076, abs=1e-6)
    assert t.approximation_ok


def test_ztest_squared_is_pearson_chi_square():
    t = two_proportion_ztest(8, 100, 20, 100)
    assert t.z**2 == pytest.approx(5.980066, rel=1e-6)
    assert t.p_value == pytest.approx(0.0144685, rel=1e-5)
    assert t.z > 0  # the share went up from group 1 to group 2


def test_ztest_flags_small_counts():
    t = two_proportion_ztest(1, 4, 3, 4)
    assert t.min_expected == pytest.approx(2.0)
    assert not t.approximation_ok
    assert expected_counts(1, 4, 3, 4) == [2.0, 2.0, 2.0, 2.0]


def test_ztest_undefined_cases():
    assert two_proportion_ztest(0, 0, 3, 10).z is None
    t = two_proportion_ztest(0, 10, 0, 12)  # pooled share 0: no variance
    assert t.z is None and t.p_value is None and t.pooled == 0
    with pytest.raises(ValueError):
        two_proportion_ztest(5, 4, 1, 2)


def test_ztest_symmetry():
    a = two_proportion_ztest(12, 80, 30, 90)
    b = two_proportion_ztest(30, 90, 12, 80)
    assert a.z == pytest.approx(-b.z)
    assert a.p_value == pytest.approx(b.p_value)
    assert not math.isnan(a.p_value)


# -- properties -------------------------------------------------------------------------------

cells = st.integers(min_value=0, max_value=25)


@settings(max_examples=200, deadline=None)
@given(cells, cells, cells, cells)
def test_fisher_tails_are_consistent(a, b, c, d):
    table = [[a, b], [c, d]]
    less, greater, two = (fisher_exact(table, alt) for alt in ("less", "greater", "two-sided"))
    for p in (less, greater, two):
        assert 0 <= p <= 1
    # the two one-sided tails overlap in exactly the observed table: less + greater >= 1
    assert less + greater >= 1 - 1e-9
    # the two-sided p is never below the smaller tail, nor above twice it (plus rounding)
    assert two >= min(less, greater) - 1e-9
    # swapping the rows mirrors the tails
    assert fisher_exact([[c, d], [a, b]], "less") == pytest.approx(greater)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 400), st.integers(1, 400), st.data())
def test_ztest_p_in_range_and_two_sided_is_twice_the_tail(n1, n2, data):
    x1 = data.draw(st.integers(0, n1))
    x2 = data.draw(st.integers(0, n2))
    t = two_proportion_ztest(x1, n1, x2, n2)
    if t.z is None:
        assert x1 + x2 in (0, n1 + n2)  # only when the pooled share is 0 % or 100 %
        return
    assert 0 <= t.p_value <= 1
    one = two_proportion_ztest(x1, n1, x2, n2, "greater" if t.z > 0 else "less").p_value
    assert t.p_value == pytest.approx(min(1.0, 2 * one))
