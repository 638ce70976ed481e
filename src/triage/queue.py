"""The rep's queue: which leads need a look now, in which order, and why.

A lead is in the queue when (checked in SQL against the lead's cached state):

- **reply**: it has an inbound message newer than the one its last decision saw
  (``last_inbound_pk > COALESCE(decided_inbound_pk, 0)``) — whatever its status, so a new
  reply brings back even a closed lead;
- **revisit**: its revisit date is due (``revisit_on <= today``), unless it is unsubscribed or
  bounced (statuses set automatically: never contact again). A closed-lost lead with "come
  back in 90 days" does come back: the revisit date is the rep's own instruction;
- **stale**: its last outbound is older than ``settings.queue.stale_after_days`` with no inbound
  after it, its status is not final, no decision was taken since that outbound, and no future
  revisit date says "not before".

Priority is transparent (``settings.queue`` holds the weights)::

    priority = weight_class   * signal   (reply class score; a due revisit or stale lead has a
                                          fixed signal, see SIGNAL_SCORE)
             + weight_fit     * fit      (the lead's fit 0..1; unknown counts as 0.5)
             + weight_recency * 2 ** (-age_days / recency_half_life_days)

where ``age_days`` is the time since the signal (the reply, the last outbound, the revisit
date). The ``why`` text of each row shows those parts: ``Interested · fit 0.8 · 2d ago``.

Speed: the priority depends on "now", so no index can hold the order. The queue ranks the
members once in SQL (one scan, ~0.1 s at 100,000 leads) and keeps the ranked ids; ``count`` is
then O(1), ``page`` is one primary-key lookup per row, ``index_of``/``next_after`` a bisection.
Every call first checks the highest decision/message/classification ids (three O(1) reads):
when they moved — this rep's decision, another rep's, an import — only the touched leads are
re-ranked. ``refresh()`` re-ranks everything (e.g. for a new "now").

The first screen does not wait for that scan: ``first_page`` finds the top rows with a bounded
search (each signal tier read newest first through an index, stopped when its best possible
priority falls below the rows found: ~2 ms at 1,000 or 100,000 leads) and the ranking follows
in a worker.
"""

from __future__ import annotations

import gc
import math
import sqlite3
import threading
import unicodedata
import weakref
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from heapq import heappush, heapreplace
from typing import Any, Literal

from triage.sanitise import one_line
from triage.settings import QueueSettings, Settings
from triage.store import Store
from triage.timeutil import iso, parse_iso

Reason = Literal["reply", "stale", "revisit"]

#: Intent of the newest reply, 0..1 (interested first; bulk-handled classes last).
CLASS_SCORE: dict[str, float] = {
    "interested": 1.0,
    "info_request": 0.9,
    "wrong_person": 0.6,
    "not_interested": 0.4,
    "out_of_office": 0.3,
    "unsubscribe": 0.2,
    "bounce": 0.1,
}
#: Signal of a lead in the queue for another cause than a classified reply.
SIGNAL_SCORE: dict[str, float] = {"unclassified": 0.7, "revisit": 0.5, "stale": 0.3}
#: Fit assumed when the lead has none.
UNKNOWN_FIT = 0.5

SEGMENT_FIELDS = ("persona", "industry", "company_size")
_CHUNK = 500
#: `first_page` counts the members at once up to this many leads (~2 ms); above, the count
#: comes with the ranking
EXACT_COUNT_UP_TO = 10_000


@dataclass(frozen=True)
class _Tier:
    """Members with one fixed signal (see `Queue._top`): `terms` narrow the leads through an
    index, `order` is the column of the signal time, read newest first."""

    reason: str
    order: str
    terms: tuple[str, ...]
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QueueFilter:
    """Narrow the queue. ``segment`` is a value matched against persona, industry or company
    size, or a ``(field, value)`` pair for one of them. ``search`` is a case-insensitive
    substring of the name, company, email or any message subject."""

    reply_class: str | None = None
    channel: str | None = None
    segment: str | tuple[str, str] | None = None
    search: str | None = None

    @property
    def active(self) -> bool:
        return any(v not in (None, "") for v in (self.reply_class, self.channel,
                                                  self.segment, self.search))


@dataclass
class QueueRow:
    lead_id: int
    name: str
    company: str
    email: str
    reply_class: str | None
    confidence: float | None
    reason_in_queue: Reason
    priority: float
    why: str
    last_activity_at: datetime | None
    subject: str
    channel: str | None
    persona: str | None
    industry: str | None
    company_size: str | None
    #: the three weighted parts of `priority`: {"signal": .., "fit": .., "recency": ..}
    parts: dict[str, float] = field(default_factory=dict)
    #: the sum spelled out: "2.43 = intent 1.00 + fit 0.80 + recency 0.63"
    detail: str = ""


# -- the formula, once in Python (for the why text and the tests) ------------------------------


def signal_score(reason: str, reply_class: str | None) -> float:
    if reason == "reply":
        return CLASS_SCORE.get(reply_class or "", SIGNAL_SCORE["unclassified"])
    return SIGNAL_SCORE[reason]


def score_parts(
    reason: str, reply_class: str | None, fit: float | None, age_days: float, qs: QueueSettings
) -> dict[str, float]:
    """The weighted parts of the priority (their sum is the priority)."""
    return {
        "signal": qs.weight_class * signal_score(reason, reply_class),
        "fit": qs.weight_fit * (UNKNOWN_FIT if fit is None else fit),
        "recency": qs.weight_recency * 2.0 ** (-max(age_days, 0.0) / qs.recency_half_life_days),
    }


# -- the why text ------------------------------------------------------------------------------

_WORDS = {
    "en": {
        "reply": "reply", "stale": "no reply", "revisit": "revisit due",
        "today": "today", "now": "just now",
    },
    "fr": {
        "reply": "réponse", "stale": "sans réponse", "revisit": "à revoir",
        "today": "aujourd'hui", "now": "à l'instant",
    },
}


def age_text(age_days: float, lang: str = "en") -> str:
    """'2d ago' / 'il y a 2 j' (minutes, hours, days, weeks)."""
    fr = lang == "fr"
    if not math.isfinite(age_days):
        return "?"
    minutes = age_days * 24 * 60
    if minutes < 1:
        return _WORDS["fr" if fr else "en"]["now"]
    if minutes < 60:
        n, unit = int(minutes), ("min" if fr else "m")
    elif minutes < 24 * 60:
        n, unit = int(minutes // 60), ("h" if fr else "h")
    elif age_days < 14:
        n, unit = int(age_days), ("j" if fr else "d")
    else:
        n, unit = int(age_days // 7), ("sem." if fr else "w")
    return f"il y a {n} {unit}" if fr else f"{n}{unit} ago"


def _num(x: float, lang: str) -> str:
    text = f"{x:.1f}"
    return text.replace(".", ",") if lang == "fr" else text


_PART_NAMES = {
    "en": {"signal": "intent", "fit": "fit", "recency": "recency"},
    "fr": {"signal": "intention", "fit": "fit", "recency": "récence"},
}


def detail_text(priority: float, parts: dict[str, float], lang: str = "en") -> str:
    """The priority as the sum of its weighted parts, for a detail line or tooltip."""
    names = _PART_NAMES["fr" if lang == "fr" else "en"]

    def num(x: float) -> str:
        text = f"{x:.2f}"
        return text.replace(".", ",") if lang == "fr" else text

    terms = " + ".join(f"{names[k]} {num(v)}" for k, v in parts.items())
    return f"{num(priority)} = {terms}"


def why_text(
    reason: str,
    reply_class: str | None,
    fit: float | None,
    age_days: float,
    lang: str = "en",
    class_label: Callable[[str], str] | None = None,
) -> str:
    """Short, human: 'Interested · fit 0.8 · 2d ago', 'no reply · fit ? · 9d ago'."""
    words = _WORDS["fr" if lang == "fr" else "en"]
    if reason == "reply":
        head = class_label(reply_class) if (reply_class and class_label) else (
            reply_class or words["reply"])
    else:
        head = words[reason]
    fit_part = "fit ?" if fit is None else f"fit {_num(fit, lang)}"
    if reason == "revisit" and age_days < 1:
        when = words["today"]
    else:
        when = age_text(age_days, lang)
    return f"{head} · {fit_part} · {when}"


# -- the queue ---------------------------------------------------------------------------------


class Queue:
    """The ranked queue at `now`, narrowed by `filter`; stays in step with the store."""

    def __init__(
        self,
        store: Store,
        settings: Settings | QueueSettings | None = None,
        now: datetime | None = None,
        filter: QueueFilter | None = None,
        lang: str | None = None,
        rank: bool = True,
    ) -> None:
        """With `rank=False` the ranking waits for the first call that needs it (or for
        `rank_now()` in a worker); `first_page` can show the top of the queue before that."""
        self.store = store
        if isinstance(settings, Settings):
            self.qs = settings.queue
            self.lang = lang or settings.language
        else:
            self.qs = settings or QueueSettings()
            self.lang = lang or "en"
        self.now = now or store.clock()
        self.filter = filter or QueueFilter()
        self._needle = fold(" ".join((self.filter.search or "").split()))
        self._lock = threading.RLock()
        self._keys: list[tuple[float, int]] = []  # (-priority, lead_id), sorted
        self._info: dict[int, tuple[float, str]] = {}  # member -> (priority, reason)
        self._gone: dict[int, tuple[float, int]] = {}  # former member -> its last key
        self._marks: tuple[int, int, int] = (0, 0, 0)
        self._ranked = False
        #: rows already built, by lead id, with the (priority, reason) they were built for:
        #: after a decision the next page is mostly the same leads, shifted by one
        self._row_cache: dict[int, tuple[tuple[float, str], QueueRow]] = {}
        _register_functions(store)
        if rank:
            self._rank()

    # -- public API ----------------------------------------------------------------------

    def first_page(self, limit: int) -> tuple[int | None, list[QueueRow]]:
        """(count, the first `limit` rows) as `count()` and `page(0, limit)` give them. Before
        the queue is ranked the rows come from a bounded top-N search (`_top`: a few hundred
        index reads instead of scoring every lead), so the first lead shows while the rest is
        ranked (`rank_now` in a worker, or the first call that needs it). The count is then
        exact when it is cheap (all members found, or a small table) and None otherwise: the
        caller shows it once the queue is ranked."""
        with self._lock:
            if self._ranked or self._needle:
                count = self.count()
                return count, self.page(0, limit)
            top = self._top(limit)
            count: int | None = None
            if len(top) < limit:
                count = len(top)  # the search ran every tier to its end: all members
            elif self._small():
                sql, params = self._ranked_sql(None)
                count = self.store.db.execute(
                    f"SELECT COUNT(*) FROM ({sql})", params).fetchone()[0]
        return count, self._rows([r[0] for r in top], {r[0]: (r[1], r[2]) for r in top})

    def rank_now(self) -> None:
        """Rank the whole queue if it is not ranked yet (thread-safe; for a worker)."""
        with self._lock:
            if not self._ranked:
                self._rank()

    def count(self) -> int:
        with self._lock:
            self._sync()
            return len(self._keys)

    def page(self, offset: int, limit: int) -> list[QueueRow]:
        """Rows `offset`..`offset+limit-1` in priority order (fewer at the end, [] past it)."""
        with self._lock:
            self._sync()
            offset = max(offset, 0)
            ids = [lead_id for _, lead_id in self._keys[offset : offset + max(limit, 0)]]
            info = {i: self._info[i] for i in ids}
        return self._rows(ids, info)

    def row(self, lead_id: int) -> QueueRow | None:
        """One lead's row, if it is in the queue."""
        with self._lock:
            self._sync()
            if lead_id not in self._info:
                return None
            info = {lead_id: self._info[lead_id]}
        rows = self._rows([lead_id], info)
        return rows[0] if rows else None

    def index_of(self, lead_id: int) -> int | None:
        """Position of the lead in the queue (0 = first), None when it is not in it."""
        with self._lock:
            self._sync()
            info = self._info.get(lead_id)
            return None if info is None else bisect_left(self._keys, (-info[0], lead_id))

    def positions(self, lead_ids: Iterable[int]) -> dict[int, int]:
        """Positions of those of `lead_ids` that are in the queue (one catch-up for all)."""
        with self._lock:
            self._sync()
            out = {}
            for lead_id in lead_ids:
                info = self._info.get(lead_id)
                if info is not None:
                    out[lead_id] = bisect_left(self._keys, (-info[0], lead_id))
            return out

    def next_after(self, lead_id: int, wrap: bool = False) -> int | None:
        """The lead that follows `lead_id` — also after `lead_id` left the queue (decided):
        the one that came after it. None at the end (or when the queue is empty); with
        `wrap`, the end continues at the top (never returning `lead_id` itself)."""
        with self._lock:
            self._sync()
            if not self._keys:
                return None
            key = self._key(lead_id)
            pos = 0 if key is None else bisect_right(self._keys, key)
            if pos < len(self._keys):
                return self._keys[pos][1]
            if wrap and self._keys[0][1] != lead_id:
                return self._keys[0][1]
            return None

    def previous_before(self, lead_id: int) -> int | None:
        """The lead just before `lead_id` (or before where it was), None at the top."""
        with self._lock:
            self._sync()
            key = self._key(lead_id)
            if key is None:
                return None
            pos = bisect_left(self._keys, key)
            return self._keys[pos - 1][1] if pos > 0 else None

    def lead_ids(self) -> list[int]:
        """All member ids in order (for bulk actions)."""
        with self._lock:
            self._sync()
            return [lead_id for _, lead_id in self._keys]

    def __contains__(self, lead_id: object) -> bool:
        with self._lock:
            self._sync()
            return lead_id in self._info

    def __len__(self) -> int:
        return self.count()

    def with_filter(self, filter: QueueFilter) -> Queue:
        return Queue(self.store, self.qs, self.now, filter, self.lang)

    def refresh(self, now: datetime | None = None) -> None:
        """Re-rank every lead (at `now` if given), e.g. after profile fields (fit) changed."""
        self._rank(now, reuse=False)

    def _rank(self, now: datetime | None = None, reuse: bool = True) -> None:
        with self._lock, _no_gc():
            if now is not None:
                self.now = now
            self._marks = self._read_marks()
            ranked = self._ranked_all(reuse)
            if self._needle:
                ranked = self._searched(ranked)
            old = self._info
            self._keys = [(-p, lead_id) for lead_id, p, _ in ranked]
            self._info = {lead_id: (p, reason) for lead_id, p, reason in ranked}
            for lead_id in old.keys() - self._info.keys():
                self._gone[lead_id] = (-old[lead_id][0], lead_id)
            self._ranked = True
            self._row_cache.clear()

    def _ranked_all(self, reuse: bool = True) -> list[tuple[int, float, str]]:
        """Every member before the search, best first; the last ranking is reused while
        nothing changed (typing a search re-filters it instead of re-ranking 100k leads)."""
        f = self.filter
        key = (iso(self.now), self.qs, f.reply_class, f.channel, f.segment,
               self._marks)
        cached = _RANKINGS.get(self.store)
        if reuse and cached is not None and cached[0] == key:
            return cached[1]
        sql, params = self._ranked_sql(None)
        ranked = self.store.db.execute(sql + " ORDER BY priority DESC, id", params).fetchall()
        _RANKINGS[self.store] = (key, ranked)
        return ranked

    def _searched(self, ranked: list) -> list:
        texts = search_index(self.store).texts()
        needle = self._needle
        return [r for r in ranked if needle in texts.get(r[0], "")]

    def _key(self, lead_id: int) -> tuple[float, int] | None:
        info = self._info.get(lead_id)
        return (-info[0], lead_id) if info is not None else self._gone.get(lead_id)

    # -- the first page without ranking ---------------------------------------------------

    def _small(self) -> bool:
        """Few enough leads that counting the members costs under ~2 ms."""
        top = self.store.db.execute("SELECT MAX(id) FROM leads").fetchone()[0]
        return int(top or 0) <= EXACT_COUNT_UP_TO

    def _top(self, limit: int) -> list[tuple[int, float, str]]:
        """The first `limit` members as the full ranking orders them: (lead id, priority,
        reason), priority descending, then lead id.

        Branch and bound over tiers. Every member belongs to one tier: a waiting reply of one
        class, a due revisit, a stale lead; a tier fixes the signal, fit is at most 1 and the
        recency factor at most 1, so ``wc*signal + wf + wr`` bounds its priorities. Tiers are
        read best bound first, each newest signal first through an index (recency can only
        fall along the way, so ``wc*signal + wf + wr*recency`` of the row just read bounds the
        rest of the tier); a tier stops as soon as its bound is below the `limit`-th best
        priority found, and the search stops at the first tier whose bound is. Priorities are
        computed by the same SQL as the full ranking, so rows and ties are identical.

        "Newest first" is the text order of the stamps: ISO 8601 UTC text as the store writes
        them (`timeutil.iso`, dates for revisits), the order the store's own comparisons rely
        on. An unreadable stamp has no recency (NULL) and moves no bound."""
        if limit <= 0:
            return []
        qs = self.qs
        wc, wf, wr = qs.weight_class, qs.weight_fit, qs.weight_recency
        # the bounds hold for weights >= 0 (as settings validate them)
        tiers = self._tiers() if min(wc, wf, wr) >= 0 else None
        if tiers is None:  # unusual data: the plain top-N query (scores every lead)
            sql, params = self._ranked_sql(None)
            return self.store.db.execute(
                sql + " ORDER BY priority DESC, id LIMIT :first_limit",
                {**params, "first_limit": limit},
            ).fetchall()
        # rounding margin: a bound is only trusted when it is clearly below the threshold
        eps = 1e-9 * (1.0 + wc + wf + wr)
        heap: list[tuple[float, int, int, str]] = []  # (priority, -id, id, reason), worst first
        for signal, tier in sorted(tiers, key=lambda t: -t[0]):
            base = wc * signal + wf
            if len(heap) >= limit and base + wr < heap[0][0] - eps:
                break  # this tier and every later one are below the limit-th best
            sql, params = self._ranked_sql(None, tier)
            cur = self.store.db.execute(sql, params)
            try:
                for lead_id, priority, reason, recency in cur:
                    item = (priority, -lead_id, lead_id, reason)
                    if len(heap) < limit:
                        heappush(heap, item)
                    elif item > heap[0]:
                        heapreplace(heap, item)
                    if (recency is not None and len(heap) >= limit
                            and base + wr * recency < heap[0][0] - eps):
                        break  # the rest of this tier is older: lower recency, lower bound
            finally:
                cur.close()
        return [(i, p, r) for p, _, i, r in sorted(heap, key=lambda t: (-t[0], t[2]))]

    def _tiers(self) -> list[tuple[float, _Tier]] | None:
        """(signal, tier) for every tier that can hold members under the filter; None when
        the classes of waiting replies are too many to read one by one."""
        pending = "l.last_inbound_pk > COALESCE(l.decided_inbound_pk, 0)"
        if self.filter.reply_class:
            classes: list[str | None] = [self.filter.reply_class]
        else:
            # the distinct classes of the replies waiting for a decision: one index seek each
            classes = [None]
            row = self.store.db.execute(
                f"SELECT MIN(l.last_reply_class) FROM leads l WHERE {pending}"
                " AND l.last_reply_class IS NOT NULL").fetchone()
            while row[0] is not None:
                if len(classes) > 64 or not isinstance(row[0], str):
                    return None
                classes.append(row[0])
                row = self.store.db.execute(
                    f"SELECT MIN(l.last_reply_class) FROM leads l WHERE {pending}"
                    " AND l.last_reply_class > ?", (row[0],)).fetchone()
        tiers: list[tuple[float, _Tier]] = []
        for cls in classes:
            terms = [pending, "l.last_reply_class IS NULL" if cls is None
                     else "l.last_reply_class = :tier_class"]
            tiers.append((signal_score("reply", cls),
                          _Tier("reply", "last_inbound_at", tuple(terms), {"tier_class": cls})))
        if not self.filter.reply_class:  # the class filter keeps waiting replies only
            tiers.append((SIGNAL_SCORE["revisit"],
                          _Tier("revisit", "revisit_on", ("l.revisit_on <= :today",))))
            tiers.append((SIGNAL_SCORE["stale"], _Tier(
                "stale", "last_outbound_at",
                ("l.status_final = 0", "l.last_outbound_at <= :stale_cutoff"))))
        return tiers

    # -- keeping in step -----------------------------------------------------------------

    def _read_marks(self) -> tuple[int, int, int]:
        row = self.store.db.execute(
            "SELECT (SELECT MAX(id) FROM decisions), (SELECT MAX(id) FROM messages), "
            "(SELECT MAX(id) FROM classifications)"
        ).fetchone()
        return tuple(int(v or 0) for v in row)  # type: ignore[return-value]

    def _sync(self) -> None:
        if not self._ranked:
            self._rank()
            return
        marks = self._read_marks()
        if marks == self._marks:
            return
        d0, m0, c0 = self._marks
        touched = {
            r[0]
            for r in self.store.db.execute(
                """SELECT lead_id FROM decisions WHERE id > ?
                   UNION SELECT lead_id FROM messages WHERE id > ? AND lead_id IS NOT NULL
                   UNION SELECT m.lead_id FROM classifications c
                         JOIN messages m ON m.id = c.message_pk
                         WHERE c.id > ? AND m.lead_id IS NOT NULL""",
                (d0, m0, c0),
            )
        }
        self._marks = marks
        for lead_id in touched:
            self._row_cache.pop(lead_id, None)
        if len(touched) > max(2000, len(self._keys) // 4):
            self._rank()
            return
        fresh: dict[int, tuple[float, str]] = {}
        ids = sorted(touched)
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            rows = self.store.db.execute(*self._ranked_sql(chunk)).fetchall()
            if self._needle:
                rows = self._searched(rows)
            for lead_id, p, reason in rows:
                fresh[lead_id] = (p, reason)
        for lead_id in ids:
            old = self._info.pop(lead_id, None)
            if old is not None:
                key = (-old[0], lead_id)
                pos = bisect_left(self._keys, key)
                if pos < len(self._keys) and self._keys[pos] == key:
                    del self._keys[pos]
                self._gone[lead_id] = key
            if lead_id in fresh:
                insort(self._keys, (-fresh[lead_id][0], lead_id))
                self._info[lead_id] = fresh[lead_id]
                self._gone.pop(lead_id, None)

    # -- SQL -----------------------------------------------------------------------------

    def _params(self) -> dict[str, Any]:
        qs = self.qs
        return {
            "now": iso(self.now),
            "today": self.now.date().isoformat(),
            "stale_cutoff": iso(self.now - timedelta(days=qs.stale_after_days)),
            "wc": qs.weight_class,
            "wf": qs.weight_fit,
            "wr": qs.weight_recency,
            "half_life": qs.recency_half_life_days,
            "unknown_fit": UNKNOWN_FIT,
        }

    def _ranked_sql(
        self, only_ids: Sequence[int] | None, tier: _Tier | None = None
    ) -> tuple[str, dict[str, Any]]:
        """(lead_id, priority, reason) of the members (unordered). With a `tier`: its members
        only, newest signal first, with a fourth column, the recency factor (0..1; NULL for an
        unreadable date)."""
        params = self._params()
        where, fparams = self._filter_sql()
        params.update(fparams)
        if tier is not None:
            where.extend(tier.terms)
            params.update(tier.params)
        if only_ids is not None:
            marks = []
            for i, lead_id in enumerate(only_ids):
                params[f"id{i}"] = int(lead_id)
                marks.append(f":id{i}")
            where.append(f"l.id IN ({', '.join(marks) or 'NULL'})")
        never = _never_again_statuses(self.store)
        never_sql = ", ".join(f"'{s}'" for s in never) or "NULL"
        class_case = " ".join(f"WHEN '{k}' THEN {v!r}" for k, v in CLASS_SCORE.items())
        signal_at = """CASE reason WHEN 'reply' THEN last_inbound_at
                                    WHEN 'stale' THEN last_outbound_at
                                    ELSE revisit_on END"""
        if tier is not None and tier.reason == "reply":
            # a waiting reply (its terms say so): the reason needs no other column, and the
            # tier's index holds every column read (no table row read without a filter)
            signal_at = "last_inbound_at"
            columns = "l.id, l.fit, l.last_reply_class AS cls, l.last_inbound_at, 'reply' AS reason"
        else:
            columns = f"""l.id, l.fit, l.last_reply_class AS cls, l.last_inbound_at,
                   l.last_outbound_at, l.revisit_on,
                   CASE
                     WHEN l.last_inbound_pk > COALESCE(l.decided_inbound_pk, 0) THEN 'reply'
                     WHEN l.revisit_on <= :today
                          AND COALESCE(l.status, '') NOT IN ({never_sql}) THEN 'revisit'
                     WHEN l.last_outbound_at <= :stale_cutoff
                          AND l.status_final = 0
                          AND (l.last_inbound_at IS NULL OR l.last_inbound_at < l.last_outbound_at)
                          AND (l.last_decision_at IS NULL OR l.last_decision_at < l.last_outbound_at)
                          AND (l.revisit_on IS NULL OR l.revisit_on <= :today) THEN 'stale'
                   END AS reason"""
        recency = f"""pow(2.0, -MAX(0.0, julianday(:now) - julianday(
                        {signal_at})) / :half_life)"""
        sql = f"""
        WITH m AS (
            SELECT {columns}
            FROM leads l
            WHERE {' AND '.join(where) if where else '1'}
        )
        SELECT id,
               :wc * (CASE reason
                        WHEN 'reply' THEN (CASE cls {class_case}
                                           ELSE {SIGNAL_SCORE['unclassified']!r} END)
                        WHEN 'revisit' THEN {SIGNAL_SCORE['revisit']!r}
                        ELSE {SIGNAL_SCORE['stale']!r} END)
             + :wf * COALESCE(fit, :unknown_fit)
             + :wr * COALESCE({recency}, 0.0) AS priority,
               reason{f", {recency} AS recency" if tier else ""}
        FROM m WHERE {"reason = :tier_reason" if tier else "reason IS NOT NULL"}
        {f"ORDER BY {tier.order} DESC" if tier else ""}
        """
        if tier is not None:
            params["tier_reason"] = tier.reason
        return sql, params

    def _filter_sql(self) -> tuple[list[str], dict[str, Any]]:
        f = self.filter
        where: list[str] = []
        params: dict[str, Any] = {}
        if f.reply_class:
            # the class of a reply waiting for a decision
            where.append(
                "l.last_reply_class = :f_class"
                " AND l.last_inbound_pk > COALESCE(l.decided_inbound_pk, 0)"
            )
            params["f_class"] = f.reply_class
        if f.channel:
            where.append("l.channel = :f_channel COLLATE NOCASE")
            params["f_channel"] = f.channel
        if f.segment:
            if isinstance(f.segment, tuple):
                column, value = f.segment
                if column not in SEGMENT_FIELDS:
                    raise ValueError(f"segment field must be one of {', '.join(SEGMENT_FIELDS)}")
                where.append(f"l.{column} = :f_segment COLLATE NOCASE")
            else:
                value = f.segment
                where.append(
                    "(" + " OR ".join(f"l.{c} = :f_segment COLLATE NOCASE"
                                      for c in SEGMENT_FIELDS) + ")"
                )
            params["f_segment"] = value
        return where, params

    # -- rows ----------------------------------------------------------------------------

    def _rows(self, ids: list[int], info: dict[int, tuple[float, str]]) -> list[QueueRow]:
        """The rows of `ids`: from the cache when the lead was not touched since (a decision,
        a message or a classification about it drops its row), else read from the store."""
        with self._lock:  # a ranking in a worker clears the cache
            cache = self._row_cache
            cached = {i: hit[1] for i in ids
                      if (hit := cache.get(i)) is not None and hit[0] == info[i]}
            missing = [i for i in ids if i not in cached]
            if missing:
                if len(cache) > 4 * _CHUNK:
                    cache.clear()
                for row in self._read_rows(missing, info):
                    cached[row.lead_id] = row
                    cache[row.lead_id] = (info[row.lead_id], row)
            return [cached[i] for i in ids if i in cached]

    def _read_rows(self, ids: list[int], info: dict[int, tuple[float, str]]) -> list[QueueRow]:
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        cur = self.store.db.execute(
            f"""SELECT l.id, l.name, l.company, l.email, l.last_reply_class, l.fit, l.channel,
                       l.persona, l.industry, l.company_size, l.last_inbound_at,
                       l.last_outbound_at, l.revisit_on,
                       (SELECT c.confidence FROM classifications c
                         WHERE c.message_pk = l.last_inbound_pk ORDER BY c.id DESC LIMIT 1),
                       COALESCE(
                         (SELECT subject FROM messages WHERE id = l.last_inbound_pk),
                         (SELECT subject FROM messages WHERE lead_id = l.id
                           ORDER BY sent_at DESC, id DESC LIMIT 1))
                FROM leads l WHERE l.id IN ({marks})""",
            ids,
        )
        by_id = {r[0]: r for r in cur.fetchall()}
        taxonomy = self.store.taxonomy
        known = {c.id for c in taxonomy.reply_classes}

        def label(cls: str) -> str:
            return taxonomy.reply_class(cls).label.get(self.lang) if cls in known else cls

        rows = []
        for lead_id in ids:
            r = by_id.get(lead_id)
            if r is None:
                continue
            (_, name, company, email, cls, fit, channel, persona, industry, size,
             inbound_at, outbound_at, revisit_on, confidence, subject) = r
            priority, reason = info[lead_id]
            signal_at = _signal_at(reason, inbound_at, outbound_at, revisit_on)
            age = _age_days(self.now, signal_at)
            last_activity = max(
                (d for d in (_safe_iso(inbound_at), _safe_iso(outbound_at)) if d), default=None
            )
            rows.append(
                QueueRow(
                    lead_id=lead_id,
                    name=one_line(name),
                    company=one_line(company),
                    email=one_line(email),
                    reply_class=cls,
                    confidence=confidence,
                    reason_in_queue=reason,  # type: ignore[arg-type]
                    priority=priority,
                    why=why_text(reason, cls, fit, age, self.lang, label),
                    last_activity_at=last_activity,
                    subject=one_line(subject),
                    channel=channel,
                    persona=persona,
                    industry=industry,
                    company_size=size,
                    parts=(parts := score_parts(reason, cls, fit, age, self.qs)),
                    detail=detail_text(priority, parts, self.lang),
                )
            )
        return rows


# -- helpers -----------------------------------------------------------------------------------


def _signal_at(reason: str, inbound_at: str | None, outbound_at: str | None,
               revisit_on: str | None) -> datetime | None:
    try:
        if reason == "reply":
            return parse_iso(inbound_at)
        if reason == "stale":
            return parse_iso(outbound_at)
        if revisit_on:
            d = date.fromisoformat(revisit_on)
            return datetime(d.year, d.month, d.day, tzinfo=UTC)
    except ValueError:  # unreadable date: no recency (as in SQL, where it is NULL -> 0)
        return None
    return None


def _safe_iso(text: str | None) -> datetime | None:
    try:
        return parse_iso(text)
    except ValueError:
        return None


def _age_days(now: datetime, then: datetime | None) -> float:
    if then is None:
        return math.inf
    return max((now - then).total_seconds() / 86400.0, 0.0)


def _never_again_statuses(store: Store) -> list[str]:
    """Statuses the system sets itself (bounced, unsubscribed): no revisit brings them back."""
    return sorted(s.id for s in store.taxonomy.statuses if s.set_automatically_by
                  and s.id.isidentifier())


def _fold_table() -> dict[int, str]:
    """Latin letters with diacritics (and ligatures) -> plain letters, for str.translate."""
    table = {}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if base != ch and base.isascii():
            table[code] = base
    table.update({ord("œ"): "oe", ord("Œ"): "OE", ord("æ"): "ae", ord("Æ"): "AE",
                  ord("ß"): "ss", ord("ẞ"): "SS", ord("ø"): "o", ord("Ø"): "O",
                  ord("ł"): "l", ord("Ł"): "L", ord("đ"): "d", ord("Đ"): "D"})
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'Société Œuvre' -> 'societe oeuvre'."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD).casefold()


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic GC while ~100k acyclic tuples are allocated: in a running app (a big
    heap) each allocation-triggered collection walks every object, which doubled the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class SearchIndex:
    """Folded "name, company, email, every subject" per lead, kept in memory per store.

    SQLite's LIKE folds ASCII only ("societe" would miss "Société", "é" would miss "É"), and a
    Python function called from SQL on every value costs ~0.3 s a search at 100k leads. Built
    once (on the first search, or ahead of it with ``warm()``), then extended with the leads
    and messages added since; a search is then a substring test per member.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._texts: dict[int, str] = {}
        self._max_lead = 0
        self._max_message = 0
        self._lock = threading.Lock()
        self._warming: threading.Thread | None = None

    def warm(self) -> threading.Thread | None:
        """Build the index in a background thread on a connection of its own (call it when
        the screen is idle, e.g. after the first lead is shown). Returns the thread, or None
        when there is nothing to do (already built, in-memory database)."""
        with self._lock:
            if self._warming is not None or self._max_lead or self._max_message:
                return self._warming
            row = self.store.db.execute("PRAGMA database_list").fetchone()
            path = row[2] if row else ""
            if not path:
                return None
            thread = threading.Thread(target=self._build_from, args=(path,), daemon=True,
                                      name="triage-search-index")
            self._warming = thread
        thread.start()
        return thread

    def _build_from(self, path: str) -> None:
        texts: dict[int, str] = {}
        try:
            conn = sqlite3.connect(path, timeout=30)
            try:
                conn.execute("BEGIN")  # one snapshot for the marks and the rows
                max_lead, max_message = _marks(conn)
                _extend(conn, texts, 0, max_lead, 0, max_message)
                conn.execute("COMMIT")
            finally:
                conn.close()
        except sqlite3.Error:
            with self._lock:
                self._warming = None
            return  # the first search builds it the ordinary way
        with self._lock:
            if not (self._max_lead or self._max_message):
                self._texts, self._max_lead, self._max_message = texts, max_lead, max_message
            self._warming = None

    def texts(self) -> dict[int, str]:
        warming = self._warming
        if warming is not None and warming is not threading.current_thread():
            warming.join()
        with self._lock:
            max_lead, max_message = _marks(self.store.db.conn)
            if max_lead > self._max_lead or max_message > self._max_message:
                with _no_gc():
                    _extend(self.store.db.conn, self._texts, self._max_lead, max_lead,
                            self._max_message, max_message)
                self._max_lead = max(self._max_lead, max_lead)
                self._max_message = max(self._max_message, max_message)
            return self._texts


def _marks(conn: sqlite3.Connection) -> tuple[int, int]:
    a, b = conn.execute(
        "SELECT (SELECT MAX(id) FROM leads), (SELECT MAX(id) FROM messages)"
    ).fetchone()
    return int(a or 0), int(b or 0)


def _extend(conn: sqlite3.Connection, texts: dict[int, str], lead_from: int, lead_to: int,
            message_from: int, message_to: int) -> None:
    """Add the folded text of leads (lead_from, lead_to] and subjects (message_from,
    message_to] to `texts`."""
    if lead_to > lead_from:
        for lead_id, head in conn.execute(
            """SELECT id, COALESCE(name, '') || char(10) || COALESCE(company, '')
                          || char(10) || COALESCE(email, '')
               FROM leads WHERE id > ? AND id <= ?""",
            (lead_from, lead_to),
        ):
            texts[lead_id] = fold(head) + texts.get(lead_id, "")
    if message_to > message_from:
        for lead_id, subject in conn.execute(
            """SELECT lead_id, subject FROM messages
               WHERE id > ? AND id <= ? AND lead_id IS NOT NULL AND subject IS NOT NULL
                 AND subject != ''""",
            (message_from, message_to),
        ):
            texts[lead_id] = texts.get(lead_id, "") + "\n" + fold(subject)


_INDEXES: weakref.WeakKeyDictionary[Store, SearchIndex] = weakref.WeakKeyDictionary()


#: the last full ranking per store: (what it was computed for, rows)
_RANKINGS: weakref.WeakKeyDictionary[Store, tuple[tuple, list]] = weakref.WeakKeyDictionary()


def search_index(store: Store) -> SearchIndex:
    index = _INDEXES.get(store)
    if index is None:
        index = _INDEXES[store] = SearchIndex(store)
    return index


def _pow(x: float | None, y: float | None) -> float | None:
    if x is None or y is None:
        return None
    return math.pow(x, y)


def _register_functions(store: Store) -> None:
    conn = store.db.conn
    try:
        conn.execute("SELECT pow(2.0, 1.0)").fetchone()
    except Exception:  # SQLite built without math functions: same result from Python
        conn.create_function("pow", 2, _pow, deterministic=True)


__all__ = [
    "CLASS_SCORE",
    "SIGNAL_SCORE",
    "Queue",
    "QueueFilter",
    "QueueRow",
    "age_text",
    "detail_text",
    "fold",
    "score_parts",
    "search_index",
    "signal_score",
    "why_text",
]
