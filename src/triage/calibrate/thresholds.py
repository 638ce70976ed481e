"""What counts as good agreement, and when a definition must be rewritten (brief rule 9).

Kappa is read on Landis & Koch's (1977) scale. The method's rule: "if two people cannot pick
the same code, the definitions overlap and must be rewritten".
"""

#: Fleiss' kappa (all reps) at or above this, with GOOD_AGREEMENT, means the codes work:
#: "substantial" agreement on Landis & Koch's scale.
GOOD_KAPPA = 0.61
#: Below this ("fair" or worse) the definitions overlap: rewrite before using the codes.
REWRITE_KAPPA = 0.41
#: Share of agreeing rep pairs expected on top of GOOD_KAPPA.
GOOD_AGREEMENT = 0.80
#: Two codes that split the reps on this many leads overlap: rewrite both definitions.
#: On a single lead the pair is shown for discussion.
PAIR_REWRITE_LEADS = 2
#: A rep who agrees with the original decisions less than this is flagged (drift or a
#: different reading of the definitions).
ORIGINAL_AGREEMENT_FLAG = 0.60

#: How many confused pairs the reports and the screen detail (with both definitions); the
#: JSON report lists them all.
PAIRS_SHOWN = 5

SUMMARY = (
    f"good: Fleiss' kappa >= {GOOD_KAPPA} and agreement >= {GOOD_AGREEMENT:.0%}; "
    f"rewrite: kappa < {REWRITE_KAPPA}, or two codes split the reps on "
    f">= {PAIR_REWRITE_LEADS} leads; in between: discuss the confused pairs and re-run"
)
