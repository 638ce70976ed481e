"""Split a reply into what the sender just wrote, the quoted history, and the signature.

    split_reply(text) -> (new_text, quoted, signature)

Used by the classifier (it judges only `new_text`) and by the thread view.

Line-based and fast (no backtracking-heavy regexes over the whole body). Knows the quote
headers of the common clients in English and French: "On ... wrote:", "Le ... a écrit :"
(also wrapped over two or three lines), "-----Original Message-----", "----- Mail original -----",
Outlook "From: / Sent:" and "De : / Envoyé :" blocks, "Message du ... / De :", forwarded-message
banners, and ">" quoted lines. Both top-posted and bottom-posted replies keep their new text.
Signatures start at "-- ", a sign-off line ("Best,", "Cordialement"), "Sent from my iPhone" /
"Envoyé de mon iPhone", or a legal disclaimer; footer lines such as newsletter unsubscribe links
are moved to the signature so that they are never read as an unsubscribe request.
"""

from __future__ import annotations

import re
import unicodedata

# -- normalisation ---------------------------------------------------------------------------

_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200a\u3000\t"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_TRANSLATE = {**_SPACES, **_INVISIBLE}
_ODD_RE = re.compile("[\u00a0\u202f\u2007\u2009\u200a\u3000\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalise_text(text: str) -> str:
    """Unify line ends and exotic spaces; drop zero-width characters and control characters."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        if _ODD_RE.search(text):
            text = text.translate(_TRANSLATE)
        text = unicodedata.normalize("NFC", text)
    # control characters other than newline are data noise (and unsafe on a terminal)
    if "\t" in text:
        text = text.replace("\t", " ")
    return _CONTROL_RE.sub("", text)


_CONTROL_RE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")

# -- quote headers -----------------------------------------------------------------------------

# attribution lines that introduce ">" quoted text (Gmail, Apple Mail, Thunderbird), EN and FR;
# matched on up to three joined lines because clients wrap long names and addresses
_ATTRIBUTION_RE = re.compile(
    r"^\s*(?:"
    r"on\b.{0,200}?\bwrote\s*:"  # On Tue, 3 Mar 2026 at 10:02, Julie <j@x> wrote:
    r"|le\b.{0,200}?\ba\s+[ée]crit\s*:"  # Le mar. 3 mars 2026 à 10:02, Julie <...> a écrit :
    r"|.{0,200}?\b(?:wrote|a\s+[ée]crit)\s*:\s*$"  # Julie Martin <j@x> wrote:
    r"|[<\w].{0,120}?\bschrieb\b.{0,80}:\s*$"  # German clients seen in French companies
    r")",
    re.IGNORECASE,
)
# banner lines after which everything is the old message (Outlook and webmail, EN and FR)
_BANNER_RE = re.compile(
    r"^\s*(?:"
    r"-{2,}\s*(?:original message|message d'origine|mail original|message original|"
    r"forwarded message|message transf[ée]r[ée]|courriel original)\s*-{2,}"
    r"|begin forwarded message\s*:"
    r"|d[ée]but du message (?:r[ée]exp[ée]di[ée]|transf[ée]r[ée])\s*:"
    r"|_{8,}\s*$"
    r"|message du \d{1,2}/\d{1,2}/\d{2,4}.*$"
    r")",
    re.IGNORECASE,
)
# Outlook header blocks without a banner: "From: ..." followed within 3 lines by "Sent:/Date:/To:"
_FROM_RE = re.compile(r"^\s*\*?(?:from|de|von)\s*\*?\s*:\s*\S", re.IGNORECASE)
_FOLLOW_RE = re.compile(
    r"^\s*\*?(?:sent|date|to|subject|envoy[ée]|[àa]|objet|cc|gesendet|an)\s*\*?\s*:",
    re.IGNORECASE,
)

# -- signatures and footers --------------------------------------------------------------------

_SIGNOFF_RE = re.compile(
    r"^\s*(?:"
    r"(?:best|kind|warm|many thanks(?: and)?|with)?\s*(?:regards|wishes)"
    r"|best|cheers|thanks|thank you|thx|many thanks|all the best|sincerely|yours(?: truly| sincerely)?"
    r"|take care|talk soon|speak soon"
    r"|(?:bien |tr[eè]s )?cordialement|cdt|cdlt|bien [àa] (?:vous|toi)|bien [àa] vous|salutations(?: distingu[ée]es)?"
    r"|merci(?: beaucoup| d'avance| par avance)?|belle journ[ée]e|bonne journ[ée]e|bonne soir[ée]e"
    r"|[àa] bient[ôo]t|amicalement|bises|bonne continuation|sinc[èe]res salutations"
    r")\s*[,.!]*\s*$",
    re.IGNORECASE,
)
_MOBILE_RE = re.compile(
    r"^\s*(?:sent from (?:my|mail for)|sent via|get outlook for|envoy[ée] (?:de|depuis) (?:mon|ma|l'|outlook)"
    r"|t[ée]l[ée]charger outlook|obtenir outlook)",
    re.IGNORECASE,
)
_DISCLAIMER_RE = re.compile(
    r"^\s*(?:confidentiality notice|disclaimer\s*:|avertissement\s*:|"
    r"this (?:e-?mail|message)(?: and any (?:attachments?|files))?(?: transmitted)? "
    r"(?:is confidential|are confidential|may contain|contains? (?:confidential|privileged)|is intended|"
    r"is for the)|"
    r"ce (?:message|courriel|mail|e-mail)(?: et (?:ses|les|toutes les) pi[èe]ces jointes)? "
    r"(?:est confidentiel|sont confidentiels|peu(?:t|vent) contenir|contien(?:t|nent) des informations|"
    r"(?:est|sont) (?:[ée]tabli|destin|strictement))|"
    r"the information (?:contained )?in this (?:e-?mail|message))",
    re.IGNORECASE,
)
# a footer line mentioning unsubscribing that is a mechanism, not a request
_FOOTER_RE = re.compile(
    r"(?:unsubscribe|d[ée]sabonn|d[ée]sinscri|opt[- ]out|manage (?:your )?preferences|"
    r"ne plus recevoir|se d[ée]sinscrire)"
    r".*(?:https?://|www\.|\.\w{2,3}/|\blink\b|\blien\b|\bclick\b|\bcliquez\b|\bany ?time\b|"
    r"[àa] tout moment|\bnewsletter|\bfoot(?:er)?\b|\bpied\b|\bissue\b|\bhere\b|\bici\b|\bpr[ée]f[ée]rences\b)"
    r"|(?:https?://|www\.|\bnewsletter\b|\blettre\b|\bclick\b|\bcliquez\b|\bpour vous abonner\b)"
    r".*(?:unsubscribe|d[ée]sabonn|d[ée]sinscri|opt[- ]out)",
    re.IGNORECASE,
)


def _is_quote_line(line: str) -> bool:
    return line.lstrip().startswith(">")


def _header_at(lines: list[str], i: int) -> tuple[str, int] | None:
    """Is a quote header starting at line i? -> (kind, number of lines it spans)."""
    line = lines[i]
    stripped = line.strip()
    if not stripped:
        return None
    if _BANNER_RE.match(stripped):
        return "banner", 1
    if _FROM_RE.match(stripped):
        for j in range(i + 1, min(i + 4, len(lines))):
            if _FOLLOW_RE.match(lines[j]):
                return "banner", 1
    low = stripped[:3].lower()
    if low.startswith(("on", "le")) or "wrote" in stripped or "crit" in stripped:
        joined = stripped
        for span in (1, 2, 3):
            if span > 1:
                if i + span - 1 >= len(lines) or not lines[i + span - 1].strip():
                    break
                joined = f"{joined} {lines[i + span - 1].strip()}"
            if len(joined) > 400:
                break
            if _ATTRIBUTION_RE.match(joined):
                return "attribution", span
    return None


def split_reply(text: str) -> tuple[str, str, str]:
    """-> (new_text, quoted, signature). Every line of `text` lands in exactly one part."""
    text = normalise_text(text)
    lines = text.split("\n")
    new: list[str] = []
    quoted: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if _is_quote_line(line):
            quoted.append(line)
            i += 1
            continue
        found = _header_at(lines, i)
        if found is None:
            new.append(line)
            i += 1
            continue
        kind, span = found
        quoted.extend(lines[i : i + span])
        i += span
        if kind == "banner":
            quoted.extend(lines[i:])
            break
        # attribution: the old message follows as ">" lines (then new text may resume,
        # as in bottom-posting) or, when the client did not prefix it, runs to the end
        j = i
        while j < n and not lines[j].strip():
            j += 1
        if j < n and not _is_quote_line(lines[j]):
            quoted.extend(lines[i:])
            break
    body, signature = _split_signature(new)
    return "\n".join(body).strip("\n"), "\n".join(quoted).strip("\n"), "\n".join(signature).strip("\n")


def _split_signature(lines: list[str]) -> tuple[list[str], list[str]]:
    # trailing blank lines out of the way
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    lines = lines[:end]
    content = [k for k, ln in enumerate(lines) if ln.strip()]
    cut = len(lines)
    for pos, k in enumerate(content):
        stripped = lines[k].strip()
        if stripped in ("--", "-- ", "—", "__"):
            cut = k
            break
        if _MOBILE_RE.match(stripped) or _DISCLAIMER_RE.match(stripped):
            cut = k
            break
        # a sign-off counts only once something was said, and near the end (<= 8 lines left)
        if pos > 0 and len(stripped) <= 40 and _SIGNOFF_RE.match(stripped) and len(content) - pos <= 9:
            cut = k
            break
    body, signature = lines[:cut], lines[cut:]
    body, signature = _trailing_name_block(body, signature)
    # footer lines (newsletter links, "unsubscribe any time") are part of the signature
    if any(_FOOTER_HINT in ln.lower() for ln in body for _FOOTER_HINT in _FOOTER_HINTS):
        kept = []
        for ln in body:
            if _FOOTER_RE.search(ln) and not _REQUEST_RE.search(ln):
                signature.insert(0, ln)
            else:
                kept.append(ln)
        body = kept
    return body, signature


# words of a person asking for something: such a line is a request, not a footer
_REQUEST_RE = re.compile(
    r"\b(?:me|moi|my|mon|mes|please|pls|svp|s'il vous pla[iî]t|merci de|i|je|j')\b|\bm'", re.IGNORECASE
)
_NAMEISH_RE = re.compile(
    r"^[\s*_-]*(?:(?:m\.|mme|mr|mrs|ms|dr)\.?\s+)?[A-ZÀ-Ý][\w'’.-]*(?:[ -][A-ZÀ-Ý&][\w'’.-]*){0,4}\s*$"
)


def _trailing_name_block(body: list[str], signature: list[str]) -> tuple[list[str], list[str]]:
    """A last paragraph of a few short lines without sentences, after a real paragraph, that
    starts with a name ("Karim Haddou / Haddou Déménagements") is a signature."""
    end = len(body)
    while end and not body[end - 1].strip():
        end -= 1
    start = end
    while start and body[start - 1].strip():
        start -= 1
    block = [ln.strip() for ln in body[start:end]]
    if not block or start == 0 or len(block) > 5 or not any(ln.strip() for ln in body[:start]):
        return body, signature
    if not _NAMEISH_RE.match(block[0]):
        return body, signature
    for ln in block:
        if len(ln) > 70 or ln.endswith((".", "?", "!", ":")) or "?" in ln:
            return body, signature
    return body[:start], body[start:] + signature


_FOOTER_HINTS = ("subscri", "sabonn", "sinscri", "opt-out", "opt out", "préférences", "preferences")
