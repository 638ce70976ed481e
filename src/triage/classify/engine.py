"""Decide a reply's class, reason, revisit date and evidence.

Order of evidence:
  1. structure and headers: a delivery report (multipart/report, Action: failed, Status 5.x.x),
     a notice from MAILER-DAEMON/postmaster (recipients found by flufl.bounce) or an
     X-Failed-Recipients header -> bounce; Auto-Submitted / X-Autoreply / Precedence and
     subjects such as "Réponse automatique", "Out of office", "Absence" -> out-of-office
     evidence (unless the text is an MTA notice);
  2. phrases from reply_patterns.yaml matched on the new text only (see patterns.py);
  3. a decline's reason: the best-scoring taxonomy reason (ties: the one said first);
  4. revisit date from the new text, relative to the message's own Date (dates.py).
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass, field
from datetime import date

from triage.classify.bayes import features, load_models
from triage.classify.language import detect_language
from triage.classify.model import Classification
from triage.classify.patterns import Match, Patterns, load_patterns
from triage.classify.quotes import split_reply
from triage.dates import find_revisit, fold
from triage.sanitise import plain

#: tie-break order between reply classes with the same score
PRIORITY = (
    "bounce",
    "unsubscribe",
    "out_of_office",
    "wrong_person",
    "not_interested",
    "interested",
    "info_request",
)
MAX_TEXT = 6000  # characters of new text analysed (a reply that long is quoting something)
AUTO_WEIGHT = 4.0  # an auto-reply header or subject counts like this many phrase points

_DAEMON_RE = re.compile(
    r"^(?:mailer-daemon|postmaster|mail-daemon|maildaemon|mdaemon|mail\.delivery|"
    r"mail-delivery|bounce|bounces|nobody|noreply-dsn)\b",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT_RE = re.compile(
    r"undeliver|undelivered|delivery (?:status notification|failure|has failed|failed)|"
    r"returned mail|mail delivery failed|failure notice|non remis|non distribu|"
    r"[ée]chec de (?:la )?remise|impossible de remettre|delivery problem|"
    r"message not delivered|nondeliverable|rejected",
    re.IGNORECASE,
)
_OOO_SUBJECT_RE = re.compile(
    r"^\s*(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response)|autoreply|auto:|"
    r"out of (?:the )?office|ooo\b|away from|on vacation|on leave|absence|absent|"
    r"r[ée]ponse automatique|message d'absence|en cong[ée]s?|abwesend|abwesenheit|"
    r"vacation|holiday)",
    re.IGNORECASE,
)
_STATUS_RE = re.compile(r"^\s*status\s*:\s*([245])\.\d{1,3}\.\d{1,3}", re.IGNORECASE | re.MULTILINE)
_ACTION_RE = re.compile(r"^\s*action\s*:\s*(\w+)", re.IGNORECASE | re.MULTILINE)
_MEET_RE = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|next week|lundi|mardi|mercredi|jeudi|"
    r"vendredi|semaine prochaine|call|speak|meet|meeting|demo|appel|rendez|rdv|demonstration|"
    r"date|creneau|dispo\w*|available|availability)\b"
)
_GDPR_RE = re.compile(r"\b(?:gdpr|rgpd|article 17|art\. ?17|right to erasure|effacement)\b", re.I)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass
class Explanation:
    """What decided: headers, every phrase matched (with weights), scores."""

    new_text: str = ""
    headers: list[str] = field(default_factory=list)
    matches: list[tuple[str, str, str, float, bool]] = field(default_factory=list)
    class_scores: dict[str, float] = field(default_factory=dict)
    reason_scores: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"header: {h}" for h in self.headers]
        for group, phrase, snippet, weight, negated in self.matches:
            flag = " (negated, ignored)" if negated else ""
            out.append(f"phrase: {group}: {phrase!r} matched {snippet!r} {weight:+g}{flag}")
        if self.class_scores:
            out.append(
                "class scores: "
                + ", ".join(f"{k} {v:g}" for k, v in sorted(self.class_scores.items(), key=lambda kv: -kv[1]))
            )
        if self.reason_scores:
            out.append(
                "reason scores: "
                + ", ".join(f"{k} {v:g}" for k, v in sorted(self.reason_scores.items(), key=lambda kv: -kv[1]))
            )
        return out


def classify_explained(mail, taxonomy=None, patterns: Patterns | None = None):  # noqa: ANN001
    """-> (Classification, Explanation)."""
    pats = patterns or load_patterns()
    ex = Explanation()
    headers = {k.lower(): v for k, v in (mail.headers or {}).items()}
    subject = mail.subject or ""
    raw_text = mail.text or ""
    new_text, _quoted, _sig = split_reply(raw_text[: MAX_TEXT * 4])
    new_text = new_text[:MAX_TEXT]
    ex.new_text = new_text
    lang = detect_language(new_text, fallback=raw_text[:2000] or subject)
    sent_on = _sent_on(mail)

    def result(reply_class, confidence, evidence, **kw):
        c = Classification(
            message_id=mail.message_id,
            reply_class=reply_class,
            confidence=round(max(0.0, min(1.0, confidence)), 2),
            language=lang,
            evidence=_dedupe(evidence)[:8],
            **kw,
        )
        return _fit_taxonomy(c, taxonomy), ex

    # 1. structure and headers -----------------------------------------------------------------
    bounce_evidence = _structural_bounce(mail, headers, subject)
    if bounce_evidence:
        ex.headers.extend(bounce_evidence)
        return result("bounce", 0.99, bounce_evidence)

    auto = _auto_reply_headers(headers)
    if _OOO_SUBJECT_RE.search(_strip_re(subject)):
        auto.append(f"Subject: {subject}")
    ex.headers.extend(auto)

    # 2. phrases on the new text ------------------------------------------------------------------
    folded = fold(new_text)
    matches = pats.scan(folded)
    same_len = len(folded) == len(new_text)

    def snippet(m: Match) -> str:
        return (new_text if same_len else folded)[m.start : m.end]

    classes: dict[str, float] = dict.fromkeys(PRIORITY, 0.0)
    # a reason's strength is its strongest phrase (several phrases saying the same thing do
    # not add up) plus any negative phrase ("budget isn't the problem")
    best_pos: dict[str, float] = {}
    negative: dict[str, float] = {}
    subs: dict[tuple[str, str], float] = {}
    reason_pos: dict[str, int] = {}
    for m in matches:
        e = m.entry
        group = e.target if e.kind == "class" else f"reason {e.target}" + (f"/{e.sub}" if e.sub else "")
        ex.matches.append((group, e.phrase, snippet(m), e.weight, m.negated))
        if m.negated:
            continue
        if e.kind == "class":
            classes[e.target] += e.weight
        elif e.weight < 0:
            negative[e.target] = negative.get(e.target, 0.0) + e.weight
        else:
            best_pos[e.target] = max(best_pos.get(e.target, 0.0), e.weight)
            reason_pos.setdefault(e.target, m.start)
            if e.sub:
                subs[(e.target, e.sub)] = subs.get((e.target, e.sub), 0.0) + e.weight
    reasons = {r: best_pos.get(r, 0.0) + negative.get(r, 0.0) for r in set(best_pos) | set(negative)}
    if _EMAIL_RE.search(new_text):
        classes["wrong_person"] += float(pats.settings.get("email_address_weight", 1.0))
    question_weight = float(pats.settings.get("question_weight", 1.0))
    if "?" in new_text:
        classes["info_request"] += question_weight
    decline_reasons = {r: s for r, s in reasons.items() if r not in ("not_interested",) and s > 0}
    # reasons are evidence of a decline (decision-maker wording also fits wrong_person)
    classes["not_interested"] += sum(s for r, s in decline_reasons.items() if r != "decision_maker")
    classes["not_interested"] += 0.5 * decline_reasons.get("decision_maker", 0.0)
    if auto:
        # an automatic message saying the person left is a system notice (bounce), not an OOO
        if subs.get(("decision_maker", "left_company"), 0) > 0 and classes["out_of_office"] < 6:
            classes["bounce"] += AUTO_WEIGHT
        elif classes["bounce"] < 8:  # else: an MTA notice sent with Auto-Submitted
            classes["out_of_office"] += AUTO_WEIGHT
    # a question that proposes to meet is interest, not a request for information
    if "?" in new_text and _MEET_RE.search(folded):
        classes["interested"] += float(pats.settings.get("meeting_question_weight", 1.5))
    # the naive Bayes second opinion (bayes.py): its probabilities, weighted, join the scores
    models = load_models()
    feats = features(folded) if models and new_text.strip() else set()
    class_p = models["class"].posteriors(feats) if feats else {}
    model_weight = float(pats.settings.get("model_weight", 2.0))
    for c, p in class_p.items():
        if c in classes and p >= 0.05:
            classes[c] += model_weight * p
            ex.matches.append(("model", c, f"p={p:.2f}", round(model_weight * p, 2), False))
    ex.class_scores = {k: round(v, 2) for k, v in classes.items() if v}
    ex.reason_scores = {k: round(v, 2) for k, v in reasons.items() if v}

    ranked = sorted(PRIORITY, key=lambda c: (-classes[c], PRIORITY.index(c)))
    best, second = ranked[0], ranked[1]
    s1, s2 = classes[best], max(classes[second], 0.0)
    if s1 <= 0:
        # no phrase and no model: a question is most likely a question; a statement in reply
        # to a cold email is most often a decline, whose reason we cannot tell
        if "?" in new_text or not new_text.strip():
            return result("info_request", 0.2 if new_text.strip() else 0.1, [])
        revisit = find_revisit(new_text, sent_on, lang) if sent_on else None
        return result("not_interested", 0.2, [], reason="unknown", revisit_on=revisit)
    confidence = 0.35 + 0.6 * (s1 - s2) / (s1 + 1.0)
    if auto and best == "out_of_office":
        confidence = max(confidence, 0.95)
    evidence = auto[:] if best == "out_of_office" else []
    evidence += [snippet(m) for m in matches if not m.negated and m.entry.kind == "class"
                 and m.entry.target == best and m.entry.weight > 0]

    # 3. reason ---------------------------------------------------------------------------------
    reason = secondary = sub = None
    if best in ("not_interested", "unsubscribe", "wrong_person"):
        reason_p = models["reason"].posteriors(feats) if feats and best == "not_interested" else {}
        reason, secondary, sub = _reasons(best, reasons, subs, reason_pos, classes, new_text, pats, reason_p)
        if reason:
            evidence += [snippet(m) for m in matches if not m.negated and m.entry.kind == "reason"
                         and m.entry.target in (reason, secondary) and m.entry.weight > 0]

    # 4. revisit --------------------------------------------------------------------------------
    revisit = None
    if sent_on is not None:
        if best == "out_of_office":
            revisit = find_revisit(new_text, sent_on, lang, context="ooo")
        elif best == "not_interested":
            revisit = find_revisit(new_text, sent_on, lang)
    return result(
        best,
        confidence,
        evidence,
        reason=reason,
        secondary_reason=secondary,
        sub_reason=sub,
        revisit_on=revisit,
    )


def classify(mail, taxonomy=None) -> Classification:  # noqa: ANN001
    return classify_explained(mail, taxonomy)[0]


# -- pieces ------------------------------------------------------------------------------------


def _reasons(best, reasons, subs, reason_pos, classes, new_text, pats, reason_p=None):
    secondary_min = float(pats.settings.get("secondary_min", 1.0))
    reason_p = reason_p or {}
    if best == "wrong_person":
        dm_subs = {s: v for (r, s), v in subs.items() if r == "decision_maker" and v > 0}
        if dm_subs.get("left_company"):
            sub = "left_company"
        elif _EMAIL_RE.search(new_text) or dm_subs.get("referral"):
            sub = "referral"
        elif dm_subs.get("not_my_role"):
            sub = "not_my_role"
        else:
            sub = "not_my_role" if not re.search(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", new_text) else "referral"
        return "decision_maker", None, sub
    candidates = {
        r: s for r, s in reasons.items() if s > 0 and r not in ("not_interested", "unknown")
    }
    if candidates and reason_p:
        # the model breaks ties between reasons whose phrases both matched
        w = float(pats.settings.get("reason_model_weight", 1.0))
        candidates = {r: s + w * reason_p.get(r, 0.0) for r, s in candidates.items()}
    if candidates:
        ranked = sorted(candidates, key=lambda r: (-candidates[r], reason_pos.get(r, 1 << 30)))
        reason = ranked[0]
        secondary = None
        for r in ranked[1:]:
            if candidates[r] >= secondary_min and candidates[r] >= 1.5:
                secondary = r
                break
        sub_scores = {s: v for (r, s), v in subs.items() if r == reason and v > 0}
        sub = max(sub_scores, key=lambda s: sub_scores[s]) if sub_scores else None
        return reason, secondary, sub
    if best == "unsubscribe":
        # a formal GDPR erasure request is flagged (sub-reason of not_interested in the taxonomy)
        sub = "gdpr_erasure" if _GDPR_RE.search(new_text) else None
        if classes.get("not_interested", 0) > 0 and reasons.get("not_interested", 0) > 0:
            return "not_interested", None, sub
        return None, None, sub
    if reasons.get("unknown", 0) > 0:
        return "unknown", None, None
    if reasons.get("not_interested", 0) > 0 and classes.get("not_interested", 0) >= 2:
        return "not_interested", None, None
    # no reason phrase: the model's guess when it is clear enough
    min_p = float(pats.settings.get("reason_model_min", 0.5))
    if reason_p:
        guess = max(reason_p, key=reason_p.get)
        if reason_p[guess] >= min_p:
            return guess, None, None
    return "not_interested", None, None


def _structural_bounce(mail, headers: dict[str, str], subject: str) -> list[str]:
    """Evidence that the message is a delivery failure notice, from its structure/headers."""
    msg = getattr(mail, "message", None)
    ctype = mail.content_type or ""
    if ctype == "multipart/report" and msg is not None:
        report_type = (msg.get_param("report-type") or "").lower()
        if report_type in ("delivery-status", ""):
            status_text = _delivery_status_text(msg)
            actions = {a.lower() for a in _ACTION_RE.findall(status_text)}
            codes = set(_STATUS_RE.findall(status_text))
            if "failed" in actions or "5" in codes:
                return ["multipart/report delivery-status: " + _status_summary(status_text)]
            if "delayed" in actions or "4" in codes:
                return ["multipart/report delivery-status (delayed): " + _status_summary(status_text)]
    sender = (mail.from_addr or "").lower()
    local = sender.partition("@")[0]
    daemon = bool(_DAEMON_RE.match(local)) or "mailer-daemon" in (mail.from_name or "").lower()
    failed = headers.get("x-failed-recipients")
    if failed:
        return [f"X-Failed-Recipients: {failed}"]
    if daemon and (_BOUNCE_SUBJECT_RE.search(subject) or ctype == "multipart/report"):
        return [f"From: {sender}", f"Subject: {subject}"]
    if daemon and msg is not None:
        recipients = _flufl_recipients(msg)
        if recipients:
            return [f"From: {sender}", "failed: " + ", ".join(sorted(recipients))[:200]]
    if _BOUNCE_SUBJECT_RE.search(subject) and msg is not None and not subject.lower().startswith("re:"):
        recipients = _flufl_recipients(msg)
        if recipients:
            return [f"Subject: {subject}", "failed: " + ", ".join(sorted(recipients))[:200]]
    return []


def _delivery_status_text(msg) -> str:
    parts = []
    for part in msg.walk():
        if part.get_content_type() == "message/delivery-status":
            payload = part.get_payload()
            if isinstance(payload, list):
                parts.extend("\n".join(f"{k}: {v}" for k, v in p.items()) for p in payload)
            else:
                parts.append(str(payload or ""))
    return "\n".join(parts)


def _status_summary(status_text: str) -> str:
    found = re.search(r"^\s*status\s*:\s*(\S+)", status_text, re.IGNORECASE | re.MULTILINE)
    action = _ACTION_RE.search(status_text)
    bits = []
    if action:
        bits.append(f"Action: {action.group(1)}")
    if found:
        bits.append(f"Status: {found.group(1)}")
    return ", ".join(bits) or "no status"


def _flufl_recipients(msg) -> set[str]:
    try:
        from flufl.bounce import scan_message

        found = scan_message(msg)
    except Exception:  # flufl.bounce gives up on odd MIME; then it is no evidence
        return set()
    return {r.decode("utf-8", "replace") if isinstance(r, bytes) else str(r) for r in found}


def _auto_reply_headers(headers: dict[str, str]) -> list[str]:
    out = []
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and not auto.startswith("no"):
        out.append(f"Auto-Submitted: {headers['auto-submitted']}")
    for name in ("x-autoreply", "x-autorespond"):
        if headers.get(name):
            out.append(f"{name.title()}: {headers[name]}")
    prec = headers.get("precedence", "").strip().lower()
    if prec in ("auto_reply", "auto-reply", "autoreply"):
        out.append(f"Precedence: {headers['precedence']}")
    return out


def _strip_re(subject: str) -> str:
    return re.sub(r"^\s*(?:(?:re|tr|fwd?|aw)\s*:\s*)+", "", subject, flags=re.IGNORECASE)


def _sent_on(mail) -> date | None:
    """The message's day in the sender's own time zone (the Date header as written)."""
    msg = getattr(mail, "message", None)
    raw = msg.get("date") if msg is not None else None
    if raw:
        try:
            return email.utils.parsedate_to_datetime(str(raw)).date()
        except (TypeError, ValueError, IndexError):
            pass
    return mail.date.date() if mail.date else None


def _dedupe(items: list[str]) -> list[str]:
    """Evidence as short clean lines: whole terminal escapes and control characters removed
    (the shared `triage.sanitise.plain`), no repeats."""
    seen, out = set(), []
    for it in items:
        it = plain(it)
        key = " ".join(it.split()).lower()
        if key and key not in seen:
            seen.add(key)
            out.append(" ".join(it.split()))
    return out


def _fit_taxonomy(c: Classification, taxonomy) -> Classification:
    """Keep reason codes valid for the taxonomy in use (a team may have edited theirs)."""
    if taxonomy is None or (c.reason is None and c.secondary_reason is None and c.sub_reason is None):
        return c
    known = {r.id: r for r in taxonomy.reasons}
    changes = {}
    reason = c.reason
    if reason is not None and reason not in known:
        reason = "unknown" if "unknown" in known else None
        changes["reason"] = reason
    if c.secondary_reason is not None and (c.secondary_reason not in known or c.secondary_reason == reason):
        changes["secondary_reason"] = None
    if c.sub_reason is not None:
        owner = known.get(reason) if reason else None
        if owner is None or owner.sub_reason(c.sub_reason) is None:
            # an unsubscribe without a reason may still carry a flag such as gdpr_erasure
            holder = any(r.sub_reason(c.sub_reason) for r in taxonomy.reasons)
            if reason is not None or not holder:
                changes["sub_reason"] = None
    return c.model_copy(update=changes) if changes else c
