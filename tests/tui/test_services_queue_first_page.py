"""Queue.first_page before any ranking (a bounded top-N search over tiers) gives exactly the
rows the full ranking puts first: same leads, same order, same ties by id, same priorities;
filters too, at several "now"s (time decay) and weights.

Leads are written straight into the lead-state columns the queue reads (random, many ties:
few distinct fits and times), plus a bench/synth.py database for a realistic mix.
"""

from __future__ import annotations

import importlib.util
import random
from datetime import timedelta

import pytest

import triage.queue as queue_module
from tests.conftest import NOW, ROOT
from triage.queue import Queue, QueueFilter
from triage.settings import QueueSettings
from triage.store import Store
from triage.timeutil import iso

CLASSES = ["interested", "info_request", "wrong_person", "not_interested", "out_of_office",
           "unsubscribe", "bounce", "question", "", None]
STATUSES = [(None, 0), ("interested", 0), ("nurturing", 0), ("waiting", 0),
            ("closed_lost", 1), ("disqualified", 1), ("unsubscribed", 1), ("bounced", 1)]
FILTERS = [
    QueueFilter(),
    QueueFilter(reply_class="interested"),
    QueueFilter(reply_class="out_of_office"),
    QueueFilter(reply_class="question"),
    QueueFilter(channel="inbound"),
    QueueFilter(segment="CTO"),
    QueueFilter(segment=("industry", "SaaS")),
    QueueFilter(channel="cold_email", segment="Retail"),
]
SETTINGS = [
    QueueSettings(),
    QueueSettings(weight_class=0.0),
    QueueSettings(weight_fit=0.0, recency_half_life_days=0.5),
    QueueSettings(weight_recency=0.0),
    QueueSettings(weight_class=3.0, weight_fit=0.5, weight_recency=2.0,
                  recency_half_life_days=30.0, stale_after_days=2),
]
LIMITS = (0, 1, 3, 10, 40, 5000)


def _stamp(rnd: random.Random) -> str | None:
    """A time with many ties (whole and half days), sometimes in the future, rarely
    unreadable (no recency) or missing."""
    pick = rnd.random()
    if pick < 0.03:
        return "someday"
    if pick < 0.08:
        return None
    days = rnd.choice([-0.5, 0, 0, 0.25, 0.5, 1, 2, 3, 5, 7, 7.5, 8, 10, 20, 45])
    return iso(NOW - timedelta(days=days))


def fill(store: Store, rnd: random.Random, n: int) -> None:
    today = NOW.date()
    rows = []
    for i in range(n):
        status, final = rnd.choice(STATUSES)
        inbound_pk = rnd.choice([None, None, 5, 9])
        rows.append((
            f"l{i}@x{i % 7}.test", f"Lead {i}", f"Co {i % 13}",
            rnd.choice(["cold_email", "inbound", "referral", None]),
            rnd.choice(["CTO", "CFO", None]), rnd.choice(["SaaS", "Retail", None]),
            rnd.choice(["1-10", "11-50"]),
            rnd.choice([None, 0.0, 0.5, 0.5, 0.9, 1.0]),
            iso(NOW - timedelta(days=60)),
            _stamp(rnd), _stamp(rnd) if inbound_pk else None, inbound_pk,
            rnd.choice(CLASSES) if inbound_pk else None,
            status, final,
            rnd.choice([None, None, today - timedelta(days=rnd.choice([0, 1, 4, 30])),
                        today + timedelta(days=rnd.choice([1, 10]))]),
            _stamp(rnd) if status else None,
            rnd.choice([None, 5, 9]) if status else None,
        ))
    store.db.conn.executemany(
        """INSERT INTO leads (email, name, company, channel, persona, industry, company_size,
               fit, created_at, last_outbound_at, last_inbound_at, last_inbound_pk,
               last_reply_class, status, status_final, revisit_on, last_decision_at,
               decided_inbound_pk)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [(*r[:15], r[15].isoformat() if r[15] else None, *r[16:]) for r in rows],
    )


def assert_first_pages_match(store: Store, qs: QueueSettings, now, f: QueueFilter) -> None:  # noqa: ANN001
    ranked = Queue(store, qs, now, f, lang="en")
    count = ranked.count()
    for limit in LIMITS:
        lazy = Queue(store, qs, now, f, lang="en", rank=False)
        got_count, rows = lazy.first_page(limit)
        expected = ranked.page(0, limit)
        assert [(r.lead_id, r.priority) for r in rows] == [
            (r.lead_id, r.priority) for r in expected], (f, limit)
        assert rows == expected
        assert got_count == count
        assert not lazy._ranked  # the answer did not come from a full ranking


@pytest.mark.parametrize("seed", range(8))
def test_first_page_equals_the_ranking_on_random_leads(store: Store, seed: int) -> None:
    rnd = random.Random(seed)
    fill(store, rnd, 400)
    qs = SETTINGS[seed % len(SETTINGS)]
    for now in (NOW, NOW + timedelta(hours=7), NOW + timedelta(days=9)):
        for f in FILTERS:
            assert_first_pages_match(store, qs, now, f)


def test_first_page_with_all_ties_keeps_the_id_order(store: Store) -> None:
    stamp = iso(NOW - timedelta(days=1))
    store.db.conn.executemany(
        """INSERT INTO leads (email, fit, created_at, last_outbound_at, last_inbound_at,
               last_inbound_pk, last_reply_class) VALUES (?, 0.5, ?, ?, ?, 3, ?)""",
        [(f"t{i}@x.test", stamp, stamp, stamp, cls)
         for i, cls in enumerate(["interested", "interested", None, "info_request"] * 30)],
    )
    assert_first_pages_match(store, QueueSettings(), NOW, QueueFilter())
    assert_first_pages_match(store, QueueSettings(weight_class=0.0), NOW, QueueFilter())


def test_first_page_on_a_synthetic_database(tmp_path, taxonomy) -> None:  # noqa: ANN001
    spec = importlib.util.spec_from_file_location("synth", ROOT / "bench" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    synth.build(tmp_path / "s.db", 1500, seed=5)
    store = Store.open(tmp_path / "s.db", taxonomy, lambda: synth.NOW)
    try:
        for now in (synth.NOW, synth.NOW + timedelta(days=3)):
            for qs in SETTINGS[:3]:
                for f in FILTERS[:2] + FILTERS[4:6]:
                    assert_first_pages_match(store, qs, now, f)
    finally:
        store.close()


def test_first_page_count_is_left_to_the_ranking_on_a_big_table(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store, random.Random(3), 300)
    ranked = Queue(store, QueueSettings(), NOW)
    monkeypatch.setattr(queue_module, "EXACT_COUNT_UP_TO", 100)
    lazy = Queue(store, QueueSettings(), NOW, rank=False)
    count, rows = lazy.first_page(10)
    assert count is None and rows == ranked.page(0, 10)
    # fewer members than asked: the search saw them all, the count is exact
    count, rows = lazy.first_page(5000)
    assert count == ranked.count() == len(rows)
    lazy.rank_now()
    assert lazy.first_page(10) == (ranked.count(), ranked.page(0, 10))


def test_first_page_reads_each_tier_through_an_index(store: Store) -> None:
    """No tier query scans the leads table or sorts it (the speed does not grow with it);
    waiting replies are read from the index alone."""
    fill(store, random.Random(1), 50)
    for f in FILTERS:
        queue = Queue(store, QueueSettings(), NOW, f, rank=False)
        tiers = queue._tiers()
        assert tiers
        for _, tier in tiers:
            sql, params = queue._ranked_sql(None, tier)
            plan = " | ".join(r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + sql,
                                                             params))
            assert plan.startswith("SEARCH l USING ") and "TEMP B-TREE" not in plan, plan
            if tier.reason == "reply" and f == QueueFilter():  # no table row read at all
                assert "COVERING INDEX leads_pending_reply" in plan, plan


def test_first_page_with_weights_the_bounds_do_not_cover(store: Store) -> None:
    """Negative weights (refused by load_settings, possible by building QueueSettings in code)
    fall back to scoring every lead: still the ranking's rows."""
    fill(store, random.Random(4), 200)
    qs = QueueSettings(stale_after_days=7, recency_half_life_days=3.0,
                       weight_class=1.0, weight_fit=-1.0, weight_recency=1.0)
    assert_first_pages_match(store, qs, NOW, QueueFilter())
