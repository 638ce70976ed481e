"""Date phrases in English and French, relative to a reference day.

    parse_when(text, today, lang=None) -> date | None
        one phrase, as typed in the revisit box or found in a reply: "+90d", "2026-09-15",
        "15/09", "septembre", "en septembre 2027", "Q3", "T3 2027", "next year",
        "l'année prochaine", "dans 3 mois", "in two weeks", "after 15 September",
        "à partir du 3 janvier", "lundi 23 novembre", "Monday the 26th", "mid-October"...
    find_revisit(text, sent_on, lang=None, context=None) -> date | None
        the day a reply asks to be contacted again, or an out-of-office return date:
        dates introduced by a cue ("back on", "de retour le", "check back in", "relancez-moi
        en", "after", "à partir du") win over bare dates ("until", "jusqu'au").

Everything is computed from `today` / `sent_on` (the message's Date header), never the clock.
Rules: a month or day without a year is the next one on or after the reference day; "Q3" is
the first day of that quarter (next year's if it has started); "next year" is 1 January;
"in 3 months" is the exact day three months later (clamped to the month's end).
The common forms are handled by precompiled regexes; dateparser is the fallback for
`parse_when` on anything else (it is slow, so it runs only then, and is cached).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, timedelta
from functools import lru_cache

__all__ = ["find_revisit", "parse_when"]

_MONTHS = {
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
    # French (accents folded)
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "eighteen": 18, "a couple of": 2, "a couple": 2, "couple of": 2,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "dix-huit": 18, "quinze": 15,
}  # fmt: skip
_UNITS = {
    "d": "d", "day": "d", "days": "d", "jour": "d", "jours": "d", "j": "d",
    "w": "w", "wk": "w", "week": "w", "weeks": "w", "semaine": "w", "semaines": "w", "sem": "w",
    "m": "m", "mo": "m", "month": "m", "months": "m", "mois": "m",
    "y": "y", "yr": "y", "year": "y", "years": "y", "an": "y", "ans": "y", "annee": "y",
    "annees": "y",
    "q": "q", "quarter": "q", "quarters": "q", "trimestre": "q", "trimestres": "q",
}  # fmt: skip


def _fold_table() -> dict[int, str]:
    table = {0x2019: "'", 0x2018: "'", 0x00A0: " ", 0x202F: " ", 0x0153: "oe", 0x00E6: "ae"}
    for cp in range(0xC0, 0x250):
        ch = chr(cp).lower()
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and base.isascii():
            table[cp] = base
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lowercase, accents removed, apostrophes and spaces unified.

    Keeps one character per character for Latin text (so offsets map back to the original);
    other scripts are left as they are.
    """
    text = text.lower()
    if text.isascii():
        return text
    return text.translate(_FOLD)


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_MONTH = rf"(?:{_alt(_MONTHS)})\.?"
# alone (no day number), only full names: "mar", "sept", "jan" are too often other words; "may" too
_MONTH_FULL = rf"(?:{_alt(w for w in _MONTHS if len(w) > 4 or w in ('june', 'july', 'mars', 'juin', 'aout', 'mai'))})"
_WEEKDAY = rf"(?:{_alt(w for w in _WEEKDAYS if len(w) > 4)})"
_NUM = rf"(?:\d{{1,3}}|{_alt(_NUMBERS)})"
_UNIT = rf"(?:{_alt(_UNITS)})"

# one regex for every date expression; the named group that matched tells which kind it is
_DATE_RE = re.compile(
    r"(?<![\w/.-])(?:"
    rf"(?P<iso>(?P<iy>20\d\d)-(?P<im>\d\d?)-(?P<id>\d\d?))"
    rf"|(?P<dmy>(?P<nd>[0-3]?\d)(?:/(?P<nm>[01]?\d)(?:/(?P<ny>(?:20)?\d\d))?|\.(?P<nm2>[01]?\d)\.(?P<ny2>20\d\d)))(?![\d/.:h])"
    rf"|(?P<dm>(?:{_WEEKDAY},?\s+)?(?:the\s+)?(?P<dd>[0-3]?\d)(?:st|nd|rd|th|er|e)?\s+(?:of\s+)?"
    rf"(?P<dmon>{_MONTH})(?:,?\s+(?P<dy>20\d\d))?)"
    rf"|(?P<md>(?:{_WEEKDAY},?\s+)?(?P<mmon>{_MONTH})\s+(?:the\s+)?(?P<mdd>[0-3]?\d)(?!\d)(?:st|nd|rd|th)?"
    rf"(?!\s*(?:\d|h\b|:|am\b|pm\b))(?:,?\s+(?P<my>20\d\d))?)"
    rf"|(?P<wdd>(?P<wdw>{_WEEKDAY})\s+(?:the\s+)?(?P<wdn>[0-3]?\d)(?:st|nd|rd|th|er)(?!\w))"
    rf"|(?P<ord>(?:the\s+(?P<on>[0-3]?\d)(?:st|nd|rd|th)|le\s+(?P<fn>[0-3]?\d)(?:er)?)(?!\w|[/:%]|[.,]\d|\s*(?:h\b|\d|%|eur|euro)|\s+{_MONTH}))"
    rf"|(?P<part>(?P<pw>mid|early|late|end|beginning|debut|fin|mi)(?:\s*-\s*|\s+)(?:of\s+|d'|de\s+)?"
    rf"(?P<pmon>{_MONTH})(?:\s+(?P<py>20\d\d))?)"
    rf"|(?P<mon>(?P<mmo>{_MONTH_FULL})(?:\s+(?P<mmy>20\d\d))?)"
    rf"|(?P<may>(?:in|until|after|before|from|by)\s+(?P<maym>may)(?:\s+(?P<mayy>20\d\d))?)"
    rf"|(?P<qtr>(?:(?P<qa>q|t)(?P<qn>[1-4])|(?P<qn2>first|second|third|fourth|1st|2nd|3rd|4th|"
    rf"premier|deuxieme|second|troisieme|quatrieme|1er|2e|3e|4e)\s+(?:quarter|trimestre))"
    rf"(?:\s+(?:of\s+|de\s+)?(?P<qy>20\d\d))?)"
    rf"|(?P<rel>(?:in|within|dans|d'ici|sous)\s+(?:about\s+|around\s+|environ\s+)?(?P<rn>{_NUM})\s*"
    rf"(?P<ru>{_UNIT})(?!\w))"
    rf"|(?P<plus>\+\s*(?P<pn>\d{{1,4}})\s*(?P<pu>{_UNIT})(?!\w))"
    rf"|(?P<nexty>next year|l'annee prochaine|l'an prochain|annee prochaine|early next year|"
    rf"debut d'annee prochaine|debut de l'annee prochaine|new year|nouvelle annee)"
    rf"|(?P<nextm>next month|le mois prochain|mois prochain)"
    rf"|(?P<nextq>next quarter|le trimestre prochain|trimestre prochain|prochain trimestre)"
    rf"|(?P<nextw>next week|la semaine prochaine|semaine prochaine)"
    rf"|(?P<year>(?:in|en|early|debut|courant)\s+(?P<yy>20\d\d))"
    rf"|(?P<autumn>after the summer|apres l'ete|(?:a|after|apres)\s+la rentree|la rentree|"
    rf"in the fall|this fall|in the autumn|cet automne|a l'automne)"
    rf"|(?P<tomorrow>tomorrow|demain)"
    rf"|(?P<wd>{_WEEKDAY})(?!\w)"
    r")(?![\w])",
)  # applied to folded (lowercase) text: no IGNORECASE, which would make it several times slower


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _next_day_month(today: date, day: int, month: int, year: int | None) -> date | None:
    if year is not None:
        return _safe(year, month, day)
    found = _safe(today.year, month, day)
    if found is None or found < today:
        found = _safe(today.year + 1, month, day)
    return found


def _num(word: str) -> int | None:
    word = word.strip()
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


def _month(word: str) -> int:
    return _MONTHS[word.rstrip(".")]


def _relative(today: date, n: int, unit: str) -> date:
    if unit == "d":
        return today + timedelta(days=n)
    if unit == "w":
        return today + timedelta(weeks=n)
    if unit == "m":
        return _add_months(today, n)
    if unit == "q":
        return _add_months(today, 3 * n)
    return _add_months(today, 12 * n)


def _quarter_start(today: date, q: int, year: int | None) -> date:
    start = date(year or today.year, 3 * (q - 1) + 1, 1)
    if year is None and start <= today:
        start = date(today.year + 1, start.month, 1)
    return start


_ORDINAL_Q = {"first": 1, "1st": 1, "premier": 1, "1er": 1, "second": 2, "2nd": 2,
              "deuxieme": 2, "2e": 2, "third": 3, "3rd": 3, "troisieme": 3, "3e": 3,
              "fourth": 4, "4th": 4, "quatrieme": 4, "4e": 4}  # fmt: skip


def _resolve(m: re.Match, today: date) -> date | None:
    """The date a match of _DATE_RE denotes, relative to `today`."""
    g = m.groupdict()
    if g["iso"]:
        return _safe(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["dmy"]:
        day, month = int(g["nd"]), int(g["nm"] or g["nm2"])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        year = g["ny"] or g["ny2"]
        y = None if not year else int(year) + (2000 if len(year) == 2 else 0)
        return _next_day_month(today, day, month, y)
    if g["dm"]:
        y = int(g["dy"]) if g["dy"] else None
        return _next_day_month(today, int(g["dd"]), _month(g["dmon"]), y)
    if g["md"]:
        y = int(g["my"]) if g["my"] else None
        return _next_day_month(today, int(g["mdd"]), _month(g["mmon"]), y)
    if g["wdd"]:
        day = int(g["wdn"])
        for k in range(0, 3):  # this month or the next ones, whichever has that day ahead
            first = _add_months(today.replace(day=1), k)
            cand = _safe(first.year, first.month, day)
            if cand and cand >= today:
                return cand
        return None
    if g["ord"]:
        day = int(g["on"] or g["fn"])
        for k in range(0, 3):  # this month or the next ones, whichever has that day ahead
            first = _add_months(today.replace(day=1), k)
            cand = _safe(first.year, first.month, day)
            if cand and cand > today:
                return cand
        return None
    if g["part"]:
        month = _month(g["pmon"])
        y = int(g["py"]) if g["py"] else None
        first = _next_day_month(today, 1, month, y)
        if first is None:
            return None
        if y is None and first < today:
            first = date(first.year + 1, month, 1)
        w = g["pw"]
        if w in ("mid", "mi"):
            return first.replace(day=15)
        if w in ("end", "late", "fin"):
            if y is None and date(first.year - 1, month, 1) <= today <= _month_end(
                date(first.year - 1, month, 1)
            ):
                first = date(first.year - 1, month, 1)  # "end of this month"
            return _month_end(first)
        return first
    if g["mon"] or g["may"]:
        month = _month(g["mmo"] or g["maym"])
        if g["mmy"] or g["mayy"]:
            return date(int(g["mmy"] or g["mayy"]), month, 1)
        year = today.year if month > today.month else today.year + 1
        return date(year, month, 1)
    if g["qtr"]:
        q = int(g["qn"]) if g["qn"] else _ORDINAL_Q[g["qn2"]]
        return _quarter_start(today, q, int(g["qy"]) if g["qy"] else None)
    if g["rel"]:
        n = _num(g["rn"])
        return None if n is None else _relative(today, n, _UNITS[g["ru"]])
    if g["plus"]:
        return _relative(today, int(g["pn"]), _UNITS[g["pu"]])
    if g["nexty"]:
        return date(today.year + 1, 1, 1)
    if g["nextm"]:
        return _add_months(today.replace(day=1), 1)
    if g["nextq"]:
        q = (today.month - 1) // 3 + 1
        return _add_months(date(today.year, 3 * (q - 1) + 1, 1), 3)
    if g["nextw"]:
        return today + timedelta(days=7 - today.weekday())
    if g["year"]:
        y = int(g["yy"])
        return date(y, 1, 1) if y > today.year else None
    if g["autumn"]:
        return _next_day_month(today, 1, 9, None)
    if g["tomorrow"]:
        return today + timedelta(days=1)
    if g["wd"]:
        wd = _WEEKDAYS[g["wd"].rstrip(".")]
        ahead = (wd - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    return None


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


_LEAD_RE = re.compile(
    r"^\s*(?:(?:not\s+)?(?:after|before|from|until|till|on|in|by|starting|around|about|"
    r"apres|avant|a partir d[ue']|des|jusqu'(?:au|a|en)|le|la|en|vers|pour|du|au|a|courant|on or after)\s+)+",
)


# every word an expression of _DATE_RE can start with: the regex is only tried there
_TRIGGERS = frozenset(
    list(_MONTHS) + list(_WEEKDAYS) + list(_NUMBERS) + list(_ORDINAL_Q)
    + "the mid early late end beginning debut fin mi q1 q2 q3 q4 t1 t2 t3 t4 in within dans d le "
      "sous next l annee le la mois trimestre prochain semaine new nouvelle courant en after "
      "apres a this cet tomorrow demain may".split()
)
_WORD_START = re.compile(r"\+|\b\w+")


def iter_dates(folded: str):
    """_DATE_RE matches in folded text, left to right, without overlaps (fast path)."""
    pos = 0
    for w in _WORD_START.finditer(folded):
        start = w.start()
        if start < pos:
            continue
        word = w.group()
        if not (word[0].isdigit() or word == "+" or word in _TRIGGERS):
            continue
        m = _DATE_RE.match(folded, start)
        if m:
            pos = m.end()
            yield m


def parse_when(text: str, today: date, lang: str | None = None) -> date | None:
    """One date phrase -> a day, relative to `today`; None if it is not a date phrase."""
    if not text or not text.strip():
        return None
    folded = fold(" ".join(text.split()))
    rest = _LEAD_RE.sub("", folded)
    for candidate in (folded, rest, f"in {rest}"):
        m = _DATE_RE.match(candidate)
        if m and candidate[m.end() :].strip(" .,;!") == "":
            return _resolve(m, today)
    if re.fullmatch(r"[\d\s.,:-]{1,5}", folded):
        return None  # a bare number is no date ("42" is not the year 2042)
    # anything else: dateparser, which knows many more forms (slow: cached, only here)
    found = _dateparser(folded, today, lang)
    if found is not None and abs((found - today).days) > 3660:
        return None
    return found


@lru_cache(maxsize=2048)
def _dateparser(text: str, today: date, lang: str | None) -> date | None:
    try:
        import dateparser
    except ImportError:  # pragma: no cover - it is a dependency
        return None
    from datetime import datetime

    settings = {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": "future",
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        found = dateparser.parse(text, languages=[lang] if lang else ["en", "fr"], settings=settings)
    except Exception:  # dateparser raises on odd input; a phrase it cannot read is no date
        return None
    return found.date() if found else None


# -- revisit dates in a reply ---------------------------------------------------------------

# cue words before a date, with a strength: "come back in Q3" beats "until March"
_CUES: list[tuple[int, str]] = [
    # asked to be contacted again
    (5, r"(?:check|come|circle|get|reach|ping|write|touch|follow)\s+(?:back|out|up|base)?\s*"
        r"(?:with|to)?\s*(?:me|us)?\s*(?:again)?"),
    (5, r"(?:ping|hit|contact|email|e-mail|call|try|nudge|bug)\s+(?:me|us)\s*(?:up)?\s*(?:again|back)?"),
    (5, r"drop (?:me|us) a (?:line|note|mail)|reconnect|revisit|try again|let'?s talk|talk again|speak again"
        r"|pick (?:this|it|that) (?:back )?up|get back in touch|touch base|follow up"),
    (5, r"re-?contact\w*(?:[- ]moi|[- ]nous)?|me recontacter|nous recontacter|relanc\w*(?:[- ]moi|[- ]nous)?"
        r"|revene[zr] vers (?:moi|nous)|reviens vers moi|revenir vers (?:moi|nous)|reprendre contact"
        r"|(?:on en )?repar\w+|refaire le point|repren\w* contact|recontactez|reecrive[zr]|ecrive[zr][- ]moi|ecris[- ]moi"),
    # out of office: the day they are back
    (4, r"back|return\w*|will be back|(?:de )?retour|rentr\w+|reprends?|reprendrai|reprise"),
    # thresholds
    (3, r"after|not before|no earlier than|from|starting|apres|pas avant|a partir d[ue']|des le|des"),
    (1, r"until|till|through|jusqu'(?:au|a|en)|au|to"),
]
_CUE_RE = re.compile("|".join(f"(?P<c{i}>\\b(?:{pat}))" for i, (_, pat) in enumerate(_CUES)))
_CUE_STRENGTH = {f"c{i}": s for i, (s, _) in enumerate(_CUES)}
_CUE_REACH = {5: 60, 4: 45, 3: 6, 1: 6}
_SENTENCE_END = re.compile(r"[.!?;\n]")
_ANAPHORA_RE = re.compile(
    r"\b(?:relance[zr]?|recontacte[zr]|reviens|revene[zr]|ping|contact|call|email|write|"
    r"reach out|get back|come back|ecrive[zr])\b[^.!?\n]{0,25}?"
    r"(?:\bthen\b|at that point|at that time|a ce moment[- ]la|a ce moment|d'ici la|a cette date)"
)
# dates that are not revisit dates: past references ("signed in March", "since January")
_PAST_RE = re.compile(
    r"\b(?:since|last|ago|depuis|dernier|derniere|il y a|signed|signe|left|quitte)\b"
)


def find_revisit(
    text: str, sent_on: date, lang: str | None = None, context: str | None = None
) -> date | None:
    """The revisit day stated in `text` (new text of a reply), relative to `sent_on`.

    context "ooo": an absence notice; a bare "until X" counts. Otherwise (a decline) only dates
    introduced by a cue count: "Hit me up in January", "revenez vers moi après le 15 septembre".
    """
    if not text:
        return None
    folded = fold(text)
    best: tuple[int, int, date] | None = None  # (strength, position, day)
    for m in iter_dates(folded):
        if m.group("tomorrow") or (m.group("wd") and context != "ooo"):
            continue
        when = _resolve(m, sent_on)
        if when is None or when <= sent_on:
            continue
        start = m.start()
        window_start = max(0, start - 60)
        window = folded[window_start:start]
        # stay in the same sentence
        ends = list(_SENTENCE_END.finditer(window))
        if ends:
            window = window[ends[-1].end() :]
        strength = 0
        for cm in _CUE_RE.finditer(window):
            s = _CUE_STRENGTH[cm.lastgroup]
            gap = len(window) - cm.end()
            # thresholds ("after", "until") must sit right before the date; "back"/"retour"
            # within a short clause; explicit "contact me again" anywhere in the sentence
            if gap > _CUE_REACH[s]:
                continue
            strength = max(strength, s)
        if _PAST_RE.search(window[-25:]):
            continue
        if context == "ooo":
            if strength == 0:
                strength = 1 if m.group("dm") or m.group("md") or m.group("wdd") else 0
        elif strength < 3:
            continue
        if strength == 0:
            continue
        if best is None or strength > best[0] or (strength == best[0] and start > best[1]):
            best = (strength, start, when)
    if best is None or best[0] < 5:
        # "...not before November. Relancez-moi à ce moment-là" / "ping me then"
        for am in _ANAPHORA_RE.finditer(folded):
            earlier = [m for m in iter_dates(folded[: am.start()]) if not m.group("wd")]
            if earlier:
                when = _resolve(earlier[-1], sent_on)
                if when is not None and when > sent_on:
                    return when
    return best[2] if best else None
