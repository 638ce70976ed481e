"""A calibration session's results: label matrix, agreement statistics, confused code pairs.

Statistics use the canonical *primary* reason (retired codes mapped forward); secondary
reasons are shown in the matrix only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from triage.calibrate import thresholds as th
from triage.calibrate.sessions import Session, get_session, items, labels
from triage.stats.agreement import (
    Kappa,
    cohen_kappa,
    confusion_pairs,
    fleiss_kappa,
    per_category,
    percent_agreement,
    unanimous,
)
from triage.store import Store

UNKNOWN = "unknown"


@dataclass
class ItemRow:
    position: int
    lead_ref: int
    title: str  # company or name, then the first subject: enough to recognise the lead
    original: str | None  # canonical primary of the original decision (None: not known here)
    original_status: str | None
    labels: dict[str, str | None]  # rep -> primary (None: not labelled)
    secondary: dict[str, str | None]
    agreement: float | None  # share of agreeing rep pairs on this lead


@dataclass
class PairRow:
    rep_a: str
    rep_b: str
    kappa: Kappa
    agreement: float | None


@dataclass
class OriginalRow:
    rep: str
    n: int
    agreed: int
    share: float | None
    kappa: Kappa


@dataclass
class CodeRow:
    code: str
    label: str
    labels: int  # how many rep labels used it (leads with >= 2 labels)
    kappa: float | None  # Fleiss' kappa for this code against the others
    specific: float | None  # when a rep picks it, share of the others who picked it too


@dataclass
class ConfusedRow:
    code_a: str
    code_b: str
    leads: int
    rep_pairs: int
    positions: list[int]
    label_a: str
    label_b: str
    definition_a: str
    definition_b: str
    example_a: str
    example_b: str
    action: str  # "rewrite" or "discuss"


@dataclass
class CalibrationResults:
    session: Session
    reps: list[str]
    items: list[ItemRow]
    labelled: dict[str, int]  # rep -> leads labelled
    percent_agreement: float | None
    unanimous: int
    compared: int  # leads with >= 2 labels
    fleiss: Kappa
    pairs: list[PairRow]
    vs_original: list[OriginalRow]
    confused: list[ConfusedRow]
    codes: list[CodeRow]
    unknown_uses: dict[str, int]
    verdict: str  # "good", "discuss", "rewrite" or "not enough labels"
    code_labels: dict[str, str] = field(default_factory=dict)  # code -> label in `lang`
    conclusions: list[str] = field(default_factory=list)
    thresholds: str = th.SUMMARY

    def as_dict(self) -> dict:
        out = asdict(self)
        out["fleiss"] = self.fleiss.as_dict()
        for row, p in zip(out["pairs"], self.pairs):
            row["kappa"] = p.kappa.as_dict()
        for row, o in zip(out["vs_original"], self.vs_original):
            row["kappa"] = o.kappa.as_dict()
        return out


def _title(blind: dict) -> str:
    lead = blind.get("lead", {})
    who = lead.get("company") or lead.get("name") or ""
    subject = next((m.get("subject") for m in blind.get("messages", []) if m.get("subject")), "")
    return " — ".join(x for x in (who, subject) if x)


def session_results(store: Store, session_id: int, lang: str = "en") -> CalibrationResults:
    tax = store.taxonomy
    session = get_session(store, session_id)
    rows = items(store, session_id)
    all_labels = labels(store, session_id)
    reps = sorted({r["rep"] for r in all_labels})
    by_item: dict[int, dict[str, dict]] = {}
    for lab in all_labels:
        by_item.setdefault(lab["position"], {})[lab["rep"]] = lab

    matrix: list[ItemRow] = []
    for it in rows:
        mine = by_item.get(it["position"], {})
        prim = {rep: tax.canonical_reason(mine[rep]["primary_reason"]) if rep in mine else None
                for rep in reps}
        matrix.append(ItemRow(
            position=it["position"], lead_ref=it["lead_ref"], title=_title(it["blind"]),
            original=tax.canonical_reason(it["original_primary"]),
            original_status=it["original_status"],
            labels=prim,
            secondary={rep: tax.canonical_reason(mine[rep]["secondary_reason"])
                       if rep in mine else None for rep in reps},
            agreement=percent_agreement([prim]),
        ))

    per_item = [m.labels for m in matrix]
    pa = percent_agreement(per_item)
    fleiss = fleiss_kappa(per_item)
    compared = sum(1 for m in per_item if sum(v is not None for v in m.values()) >= 2)

    pairs = []
    for i, a in enumerate(reps):
        for b in reps[i + 1:]:
            la = [m.labels[a] for m in matrix]
            lb = [m.labels[b] for m in matrix]
            pairs.append(PairRow(a, b, cohen_kappa(la, lb),
                                 percent_agreement([[x, y] for x, y in zip(la, lb)])))

    vs_original = []
    for rep in reps:
        both = [(m.labels[rep], m.original) for m in matrix
                if m.labels[rep] is not None and m.original is not None]
        agreed = sum(1 for x, y in both if x == y)
        vs_original.append(OriginalRow(
            rep, len(both), agreed, agreed / len(both) if both else None,
            cohen_kappa([x for x, _ in both], [y for _, y in both]),
        ))

    confused = []
    for p in confusion_pairs(per_item):
        a, b = str(p.a), str(p.b)
        confused.append(ConfusedRow(
            code_a=a, code_b=b, leads=p.items, rep_pairs=p.pairs,
            positions=[matrix[i].position for i in p.item_indexes],
            label_a=tax.reason_label(a, lang), label_b=tax.reason_label(b, lang),
            definition_a=_definition(tax, a, lang), definition_b=_definition(tax, b, lang),
            example_a=_example(tax, a, lang), example_b=_example(tax, b, lang),
            action="rewrite" if p.items >= th.PAIR_REWRITE_LEADS else "discuss",
        ))

    codes = [CodeRow(str(c.code), tax.reason_label(str(c.code), lang), c.labels, c.kappa,
                     c.specific) for c in per_category(per_item)]
    codes.sort(key=lambda c: (-(c.labels), c.code))
    unknown_uses = {rep: sum(1 for m in matrix if m.labels[rep] == UNKNOWN) for rep in reps}
    labelled = {rep: sum(1 for m in matrix if m.labels[rep] is not None) for rep in reps}
    res = CalibrationResults(
        session=session, reps=reps, items=matrix, labelled=labelled, percent_agreement=pa,
        unanimous=unanimous(per_item), compared=compared, fleiss=fleiss, pairs=pairs,
        vs_original=vs_original, confused=confused, codes=codes,
        unknown_uses={k: v for k, v in unknown_uses.items() if v}, verdict="",
        code_labels={r.id: r.label.get(lang) for r in tax.reasons},
    )
    res.verdict, res.conclusions = _conclude(res, lang)
    return res


def _definition(tax, code: str, lang: str) -> str:
    return tax.reason(code).definition.get(lang) if tax.has_reason(code) else "(not in taxonomy)"


def _example(tax, code: str, lang: str) -> str:
    return tax.reason(code).example.get(lang) if tax.has_reason(code) else ""


#: What the verdict says, in English and French. {k}: kappa, {strength}: Landis & Koch's word,
#: {pa}: percent agreement.
CONCLUSIONS: dict[str, tuple[str, str]] = {
    "few": ("At least two reps must label the same leads before agreement can be measured.",
            "Il faut qu'au moins deux commerciaux étiquettent les mêmes leads pour mesurer "
            "l'accord."),
    "undefined": ("Kappa is undefined (everyone picked the same code); agreement is {pa}.",
                  "Kappa indéfini (tout le monde a choisi le même code) ; accord {pa}."),
    "good": ("Good agreement (Fleiss' kappa {k}, {strength}; {pa} of rep pairs agree): the "
             "definitions separate the codes.",
             "Bon accord (kappa de Fleiss {k}, {strength} ; {pa} des paires d'accord) : les "
             "définitions séparent bien les codes."),
    "rewrite": ("Weak agreement (Fleiss' kappa {k}, {strength}): definitions overlap; rewrite "
                "the confused pairs below before relying on the codes.",
                "Accord faible (kappa de Fleiss {k}, {strength}) : les définitions se "
                "chevauchent ; réécrivez les paires confondues ci-dessous avant de vous fier "
                "aux codes."),
    "discuss": ("Moderate agreement (Fleiss' kappa {k}, {strength}; {pa}): discuss the confused "
                "pairs below, tighten their definitions, re-run.",
                "Accord moyen (kappa de Fleiss {k}, {strength} ; {pa}) : discutez les paires "
                "confondues ci-dessous, resserrez leurs définitions, recommencez."),
    "pair": ("Rewrite {a} vs {b}: reps split between them on {n} leads ({where}).",
             "Réécrire {a} / {b} : les commerciaux se partagent entre les deux sur {n} leads "
             "({where})."),
    "one_lead": ("Discuss the pairs split on one lead: {pairs}{more}.",
                 "À discuter, paires partagées sur un seul lead : {pairs}{more}."),
    "more": (" and {n} more", " et {n} autres"),
    "original": ("{rep} matches the original decision on only {agreed}/{n} leads: compare "
                 "readings of the definitions.",
                 "{rep} ne retrouve la décision d'origine que sur {agreed}/{n} leads : comparez "
                 "vos lectures des définitions."),
    "unknown": ("{rep} chose Unknown {n}x: ask \"Is it mostly timing, budget or fit?\".",
                "{rep} a choisi Inconnu {n} fois : demandez « Est-ce surtout le timing, le "
                "budget ou l'adéquation ? »"),
}


#: Landis & Koch's words in French.
STRENGTH_FR = {"poor": "médiocre", "slight": "léger", "fair": "passable", "moderate": "modéré",
               "substantial": "important", "almost perfect": "presque parfait",
               "undefined": "indéfini"}


def _say(key: str, lang: str, **values: object) -> str:
    en, fr = CONCLUSIONS[key]
    return (fr if lang == "fr" else en).format(**values)


def _conclude(r: CalibrationResults, lang: str) -> tuple[str, list[str]]:
    """The verdict against the thresholds, and what to do next, in plain sentences."""
    out: list[str] = []
    if len(r.reps) < 2 or r.compared == 0:
        return "not enough labels", [_say("few", lang)]
    k, pa = r.fleiss.value, r.percent_agreement or 0.0
    fr = lang == "fr"
    figures = {"k": "—" if k is None else f"{k:.2f}".replace(".", "," if fr else "."),
               "strength": STRENGTH_FR[r.fleiss.strength] if fr else r.fleiss.strength,
               "pa": f"{pa:.0%}".replace("%", "\u202f%" if fr else "%")}
    if k is None:
        verdict = "good" if pa >= th.GOOD_AGREEMENT else "discuss"
        out.append(_say("undefined", lang, **figures))
    elif k >= th.GOOD_KAPPA and pa >= th.GOOD_AGREEMENT:
        verdict = "good"
        out.append(_say("good", lang, **figures))
    elif k < th.REWRITE_KAPPA:
        verdict = "rewrite"
        out.append(_say("rewrite", lang, **figures))
    else:
        verdict = "discuss"
        out.append(_say("discuss", lang, **figures))
    rewrite = [c for c in r.confused if c.action == "rewrite"]
    for c in rewrite:
        out.append(_say("pair", lang, a=c.label_a, b=c.label_b, n=c.leads,
                        where="#" + ", #".join(map(str, c.positions))))
    if rewrite and verdict == "good":
        verdict = "discuss"
    discuss = [f"{c.label_a} / {c.label_b} (#{c.positions[0]})" for c in r.confused
               if c.action == "discuss"]
    if discuss:
        extra = len(discuss) - th.PAIRS_SHOWN
        out.append(_say("one_lead", lang, pairs=", ".join(discuss[: th.PAIRS_SHOWN]),
                        more=_say("more", lang, n=extra) if extra > 0 else ""))
    for o in r.vs_original:
        if o.share is not None and o.n >= 3 and o.share < th.ORIGINAL_AGREEMENT_FLAG:
            out.append(_say("original", lang, rep=o.rep, agreed=o.agreed, n=o.n))
    for rep, n in r.unknown_uses.items():
        out.append(_say("unknown", lang, rep=rep, n=n))
    return verdict, out
