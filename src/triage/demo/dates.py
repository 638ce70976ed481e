"""Date phrases written into the demo mail bodies, and how to move them in time.

The generator records each phrase it writes ("7 December", "Le mar. 3 nov. 2026 à 10:02")
with its date and style in manifest.json; `build_demo` rewrites them shifted by the same
amount as the Date headers, so an out-of-office return date stays in the future.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

EN_MONTHS = ("January February March April May June July August September October November "
             "December").split()
FR_MONTHS = ("janvier février mars avril mai juin juillet août septembre octobre novembre "
             "décembre").split()
EN_MON = [m[:3] for m in EN_MONTHS]
FR_MON = "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.".split()
EN_DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
FR_DAYS = "lun. mar. mer. jeu. ven. sam. dim.".split()
EN_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
FR_WEEKDAYS = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()


def fmt(at: datetime, style: str) -> str:
    if style == "en_dm":  # 7 December
        return f"{at.day} {EN_MONTHS[at.month - 1]}"
    if style == "fr_dm":  # 7 décembre
        return f"{at.day} {FR_MONTHS[at.month - 1]}"
    if style == "en_wdm":  # Monday 7 December
        return f"{EN_WEEKDAYS[at.weekday()]} {at.day} {EN_MONTHS[at.month - 1]}"
    if style == "fr_wdm":  # lundi 7 décembre
        return f"{FR_WEEKDAYS[at.weekday()]} {at.day} {FR_MONTHS[at.month - 1]}"
    if style == "en_quote":  # On Tue, 3 Nov 2026 at 10:02
        return (f"On {EN_DAYS[at.weekday()]}, {at.day} {EN_MON[at.month - 1]} {at.year} "
                f"at {at:%H:%M}")
    if style == "fr_quote":  # Le mar. 3 nov. 2026 à 10:02
        return (f"Le {FR_DAYS[at.weekday()]} {at.day} {FR_MON[at.month - 1]} {at.year} "
                f"à {at:%H:%M}")
    if style == "fr_outlook":  # Envoyé : mardi 3 novembre 2026 10:02
        return (f"{FR_WEEKDAYS[at.weekday()]} {at.day} {FR_MONTHS[at.month - 1]} {at.year} "
                f"{at:%H:%M}")
    if style == "iso":
        return at.date().isoformat()
    raise ValueError(f"unknown date style {style!r}")


class PhraseShifter:
    """Rewrites every recorded phrase found in bytes (UTF-8 or cp1252) in one pass."""

    def __init__(self, phrases: Iterable[dict], delta: timedelta) -> None:
        table: dict[bytes, bytes] = {}
        for p in phrases:
            new = fmt(datetime.fromisoformat(p["at"]) + delta, p["style"])
            for enc in ("utf-8", "cp1252"):
                try:
                    table[p["text"].encode(enc)] = new.encode(enc)
                except UnicodeEncodeError:
                    continue
        self.table = {k: v for k, v in table.items() if k != v}
        self.pattern = None
        if self.table:
            keys = sorted(self.table, key=len, reverse=True)
            self.pattern = re.compile(
                rb"(?<![0-9A-Za-z])(" + b"|".join(re.escape(k) for k in keys) + rb")(?![0-9])"
            )

    def __call__(self, data: bytes) -> bytes:
        if self.pattern is None:
            return data
        return self.pattern.sub(lambda m: self.table[m.group(1)], data)
