"""Comparing two proportions: the pooled two-proportion z-test and Fisher's exact test.

Plain ``math`` (no scipy): the normal tail comes from ``math.erfc`` and Fisher's test sums
hypergeometric probabilities computed with exact integer binomials.

Conventions: group 1 is "before", group 2 is "after"; ``x`` successes out of ``n`` trials.
The z statistic is ``(p2 - p1) / se`` so a positive z means the share went up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Alternative = Literal["two-sided", "greater", "less"]

#: The usual rule of thumb for the normal approximation: every expected cell count >= 5.
MIN_EXPECTED = 5.0


@dataclass(frozen=True)
class ZTest:
    z: float | None  # None when the test is undefined (an empty group, or 0 % / 100 % pooled)
    p_value: float | None
    p1: float | None
    p2: float | None
    pooled: float | None
    min_expected: float  # smallest expected cell count of the 2x2 table
    approximation_ok: bool  # min_expected >= MIN_EXPECTED


def normal_sf(z: float) -> float:
    """P(Z > z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def expected_counts(x1: int, n1: int, x2: int, n2: int) -> list[float]:
    """Expected cell counts of the 2x2 table [[x1, n1-x1], [x2, n2-x2]] under independence."""
    n = n1 + n2
    if n == 0:
        return [0.0, 0.0, 0.0, 0.0]
    col = x1 + x2
    return [n1 * col / n, n1 * (n - col) / n, n2 * col / n, n2 * (n - col) / n]


def two_proportion_ztest(
    x1: int, n1: int, x2: int, n2: int, alternative: Alternative = "two-sided"
) -> ZTest:
    """Pooled two-proportion z-test of H0: p1 == p2.

    ``alternative="greater"`` tests p2 > p1, ``"less"`` tests p2 < p1.
    """
    _check_counts(x1, n1, x2, n2)
    min_exp = min(expected_counts(x1, n1, x2, n2))
    p1 = x1 / n1 if n1 else None
    p2 = x2 / n2 if n2 else None
    if not n1 or not n2:
        return ZTest(None, None, p1, p2, None, min_exp, False)
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return ZTest(None, None, p1, p2, pooled, min_exp, False)
    z = (p2 - p1) / se
    if alternative == "greater":
        p = normal_sf(z)
    elif alternative == "less":
        p = normal_sf(-z)
    else:
        p = math.erfc(abs(z) / math.sqrt(2.0))
    return ZTest(z, min(1.0, p), p1, p2, pooled, min_exp, min_exp >= MIN_EXPECTED)


def fisher_exact(table: list[list[int]] | tuple, alternative: Alternative = "two-sided") -> float:
    """Fisher's exact test p-value for the 2x2 table [[a, b], [c, d]].

    ``"greater"``: the odds ratio a*d / (b*c) is greater than 1 (a is large);
    ``"less"``: smaller than 1. Two-sided: the sum of the probabilities of every table with the
    same margins that is no more likely than the observed one (the convention of R and scipy,
    with a relative tolerance of 1e-7 for ties).
    """
    (a, b), (c, d) = table
    for v in (a, b, c, d):
        if int(v) != v or v < 0:
            raise ValueError("Fisher's test needs non-negative integer counts")
    a, b, c, d = int(a), int(b), int(c), int(d)
    row1, col1, n = a + b, a + c, a + b + c + d
    lo, hi = max(0, col1 - (n - row1)), min(row1, col1)
    if n == 0 or lo == hi:
        return 1.0
    total = math.comb(n, col1)

    def pmf(k: int) -> float:
        return math.comb(row1, k) * math.comb(n - row1, col1 - k) / total

    if alternative == "greater":
        p = sum(pmf(k) for k in range(a, hi + 1))
    elif alternative == "less":
        p = sum(pmf(k) for k in range(lo, a + 1))
    else:
        observed = pmf(a)
        p = sum(q for q in (pmf(k) for k in range(lo, hi + 1)) if q <= observed * (1 + 1e-7))
    return min(1.0, p)


def _check_counts(x1: int, n1: int, x2: int, n2: int) -> None:
    for x, n in ((x1, n1), (x2, n2)):
        if x < 0 or n < 0 or x > n:
            raise ValueError(f"invalid counts: {x} successes out of {n}")
