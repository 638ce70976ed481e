"""triage.queue: who is in the queue, in which order, why, filters, paging, staying in step."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import NOW
from tests.tui.test_services_helpers import ago, decide, lead, reply, send
from triage.queue import Queue, QueueFilter, age_text, detail_text, fold, score_parts, why_text
from triage.settings import QueueSettings, Settings
from triage.store import DecisionIn, Store

TODAY = NOW.date()


def settings(**queue: object) -> Settings:
    return Settings(language="en", rep="julie", queue=QueueSettings(**queue))


def q(store: Store, filter: QueueFilter | None = None, lang: str = "en", **queue: object) -> Queue:
    return Queue(store, settings(**queue), NOW, filter, lang=lang)


def members(queue: Queue) -> dict[int, str]:
    return {r.lead_id: r.reason_in_queue for r in queue.page(0, 10_000)}


# -- membership -----------------------------------------------------------------------------


def test_reply_enters_and_leaves_with_the_decision(store: Store) -> None:
    a = lead(store, "ann@acme.test")
    send(store, a, ago(3))
    reply(store, a, ago(1))
    queue = q(store)
    assert members(queue) == {a: "reply"}
    decide(store, a, "interested")
    assert queue.count() == 0 and a not in queue  # same Queue object stays in step
    reply(store, a, ago(hours=1), cls="info_request")
    assert members(queue) == {a: "reply"}


def test_lead_without_any_message_or_with_recent_outbound_is_not_queued(store: Store) -> None:
    lead(store, "nobody@acme.test")
    b = lead(store, "bob@acme.test")
    send(store, b, ago(6))
    assert q(store).count() == 0


def test_stale_after_the_configured_days(store: Store) -> None:
    a = lead(store, "ann@acme.test")
    send(store, a, ago(8))
    b = lead(store, "bob@acme.test")
    send(store, b, ago(6))
    c = lead(store, "cid@acme.test")  # replied long ago, then we wrote again 10 days ago
    reply(store, c, ago(20), cls="info_request")
    decide(store, c, "in_discussion", at=ago(19))
    send(store, c, ago(10))
    assert members(q(store)) == {a: "stale", c: "stale"}
    assert members(q(store, stale_after_days=5)) == {a: "stale", b: "stale", c: "stale"}


def test_stale_lead_handled_after_its_outbound_leaves(store: Store) -> None:
    a = lead(store, "ann@acme.test")
    send(store, a, ago(8))
    queue = q(store)
    assert a in queue
    decide(store, a, "nurturing")
    assert a not in queue
    decide(store, a, "no_response", primary_reason="no_response")
    assert a not in q(store)


def test_final_status_is_not_stale_but_a_new_reply_reenters(store: Store) -> None:
    a = lead(store, "ann@acme.test")
    reply(store, a, ago(30), cls="not_interested")
    decide(store, a, "closed_lost", primary_reason="timing", at=ago(29))
    send(store, a, ago(20))  # e.g. a sequence step still went out
    queue = q(store)
    assert a not in queue
    reply(store, a, ago(1), cls="interested")
    assert members(queue) == {a: "reply"}


def test_revisit_due_reenters(store: Store) -> None:
    due = lead(store, "due@acme.test")
    later = lead(store, "later@acme.test")
    lost = lead(store, "lost@acme.test")
    unsub = lead(store, "unsub@acme.test")
    for lead_id in (due, later, lost, unsub):
        reply(store, lead_id, ago(40), cls="out_of_office")
    decide(store, due, "waiting", revisit_on=TODAY, at=ago(39))
    decide(store, later, "waiting", revisit_on=TODAY + timedelta(days=1), at=ago(39))
    decide(store, lost, "closed_lost", primary_reason="timing",
           revisit_on=TODAY - timedelta(days=2), at=ago(39))
    decide(store, unsub, "unsubscribed", primary_reason="not_interested",
           revisit_on=TODAY - timedelta(days=2), at=ago(39))
    assert members(q(store)) == {due: "revisit", lost: "revisit"}


def test_future_revisit_holds_back_a_stale_lead(store: Store) -> None:
    a = lead(store, "ann@acme.test")
    decide(store, a, "waiting", revisit_on=TODAY + timedelta(days=5), at=ago(12))
    send(store, a, ago(10))
    assert a not in q(store)


def test_undo_brings_the_lead_back(store: Store) -> None:
    a = lead(store, "ann@acme.test")
    reply(store, a, ago(1))
    queue = q(store)
    d = decide(store, a, "interested")
    assert queue.count() == 0
    store.undo(d, "julie")
    assert members(queue) == {a: "reply"}


def test_another_reps_decision_is_seen(store: Store, tmp_path, taxonomy, clock) -> None:
    a, b = lead(store, "ann@acme.test"), lead(store, "bob@acme.test")
    reply(store, a, ago(1))
    reply(store, b, ago(2))
    queue = q(store)
    assert queue.count() == 2
    other = Store.open(tmp_path / "triage.db", taxonomy, clock)
    try:
        other.record_decision(DecisionIn(lead_id=a, rep="marc", status="interested"))
    finally:
        other.close()
    assert queue.lead_ids() == [b]


# -- order and why --------------------------------------------------------------------------


def test_order_follows_class_fit_and_recency(store: Store) -> None:
    hot = lead(store, "hot@acme.test", fit=0.8)
    cold = lead(store, "cold@acme.test", fit=0.8)
    fit_lo = lead(store, "lo@acme.test", fit=0.1)
    old = lead(store, "old@acme.test", fit=0.8)
    reply(store, hot, ago(2), cls="interested")
    reply(store, cold, ago(2), cls="not_interested")
    reply(store, fit_lo, ago(2), cls="interested")
    reply(store, old, ago(20), cls="interested")
    order = q(store).lead_ids()
    # same fit and age: class decides; same class and age: fit; same class and fit: recency
    assert order[0] == hot
    assert order.index(cold) > order.index(hot)
    assert order.index(fit_lo) > order.index(hot)
    assert order.index(old) > order.index(hot)
    # 0.4 + 0.8 + 2^(-2/3) = 1.83 > 1.0 + 0.8 + 2^(-20/3) = 1.81 > 1.0 + 0.1 + 0.63 = 1.73
    assert order == [hot, cold, old, fit_lo]
    # weights are settings: with recency only, the newest first, ties by id
    assert q(store, weight_class=0, weight_fit=0).lead_ids()[-1] == old
    # with fit only, the low-fit lead is last
    assert q(store, weight_class=0, weight_recency=0).lead_ids()[-1] == fit_lo


def test_priority_is_the_sum_of_the_parts_shown(store: Store) -> None:
    a = lead(store, "ann@acme.test", fit=0.8)
    reply(store, a, ago(2), cls="interested")
    b = lead(store, "bob@acme.test")
    send(store, b, ago(9))
    c = lead(store, "cid@acme.test", fit=0.3)
    reply(store, c, ago(30), cls="out_of_office")
    decide(store, c, "waiting", revisit_on=TODAY - timedelta(days=1), at=ago(29))
    qs = QueueSettings(weight_class=1.5, weight_fit=0.5, recency_half_life_days=4)
    rows = {r.lead_id: r for r in Queue(store, qs, NOW).page(0, 10)}
    assert rows[a].why == "Interested · fit 0.8 · 2d ago"
    # 1.5 x 1.0 + 0.5 x 0.8 + 1.0 x 2^(-2/4)
    assert rows[a].detail == "2.61 = intent 1.50 + fit 0.40 + recency 0.71"
    assert rows[b].why == "no reply · fit ? · 9d ago"
    assert rows[c].why == "revisit due · fit 0.3 · 1d ago"
    for row in rows.values():
        assert row.priority == pytest.approx(sum(row.parts.values()), abs=1e-9)
    assert rows[a].parts == pytest.approx(score_parts("reply", "interested", 0.8, 2.0, qs))
    assert rows[a].parts["recency"] == pytest.approx(2 ** (-2 / 4))
    assert rows[a].parts["signal"] == pytest.approx(1.5)
    assert rows[b].reply_class is None and rows[a].confidence == pytest.approx(0.9)
    assert rows[a].subject == "Re: Quick question"
    assert rows[b].subject == "Quick question"
    assert rows[a].last_activity_at == ago(2)


def test_why_in_french() -> None:
    assert why_text("reply", "interested", 0.8, 2.2, "fr", lambda c: "Intéressé") == (
        "Intéressé · fit 0,8 · il y a 2 j")
    assert why_text("revisit", None, None, 0.2, "fr") == "à revoir · fit ? · aujourd'hui"
    assert detail_text(1.25, {"signal": 0.5, "fit": 0.5, "recency": 0.25}, "fr") == (
        "1,25 = intention 0,50 + fit 0,50 + récence 0,25")
    assert why_text("stale", None, 0.5, 9, "en") == "no reply · fit 0.5 · 9d ago"
    assert [age_text(x) for x in (0.0001, 0.02, 0.5, 3, 30)] == [
        "just now", "28m ago", "12h ago", "3d ago", "4w ago"]
    assert age_text(30, "fr") == "il y a 4 sem."


def test_queue_uses_the_ui_language(store: Store) -> None:
    a = lead(store, "ann@acme.test", fit=0.8)
    reply(store, a, ago(2), cls="out_of_office")
    row = q(store, lang="fr").page(0, 1)[0]
    assert row.why == "Absent · fit 0,8 · il y a 2 j"
    fr_settings = Settings(language="fr", rep="x")
    assert Queue(store, fr_settings, NOW).page(0, 1)[0].why.startswith("Absent")


def test_email_text_in_rows_is_sanitised(store: Store) -> None:
    a = lead(store, "ann@acme.test", name="Ann \x1b[31mRed\x1b[0m", company="[bold]Acme[/]")
    reply(store, a, ago(1), subject="Re:\x1b]0;pwn\x07 hi\nthere")
    row = q(store).page(0, 1)[0]
    assert row.name == "Ann Red" and row.company == "[bold]Acme[/]"
    assert row.subject == "Re: hi there"


# -- filters and search ---------------------------------------------------------------------


@pytest.fixture
def crowd(store: Store) -> dict[str, int]:
    ids = {
        "ann": lead(store, "ann@acme.test", name="Ann Archer", company="Acme",
                    channel="cold_email", industry="SaaS", persona="CTO", company_size="11-50"),
        "bob": lead(store, "bob@globex.test", name="Bob Stone", company="Globex",
                    channel="inbound", industry="Retail", persona="CFO", company_size="51-200"),
        "eve": lead(store, "eve@societe.test", name="Ève Durand", company="Société Générique",
                    channel="referral", industry="SaaS", persona="CEO", company_size="1-10"),
        "stale": lead(store, "old@initech.test", name="Olga", company="Initech",
                      channel="cold_email"),
    }
    reply(store, ids["ann"], ago(1), cls="interested", subject="Re: pricing 100%")
    reply(store, ids["bob"], ago(1), cls="out_of_office", subject="Absence")
    reply(store, ids["eve"], ago(1), cls="info_request", subject="Question_tarifs")
    send(store, ids["stale"], ago(12), subject="Budget planning")
    return ids


def test_filters(store: Store, crowd: dict[str, int]) -> None:
    def ids(**kw: object) -> set[int]:
        return set(q(store, QueueFilter(**kw)).lead_ids())

    assert ids() == set(crowd.values())
    assert ids(reply_class="out_of_office") == {crowd["bob"]}
    assert ids(channel="cold_email") == {crowd["ann"], crowd["stale"]}
    assert ids(channel="COLD_EMAIL") == {crowd["ann"], crowd["stale"]}
    assert ids(segment="saas") == {crowd["ann"], crowd["eve"]}
    assert ids(segment=("persona", "CFO")) == {crowd["bob"]}
    assert ids(segment=("company_size", "1-10")) == {crowd["eve"]}
    assert ids(segment="CFO", channel="cold_email") == set()
    with pytest.raises(ValueError):
        ids(segment=("title", "x"))


@pytest.mark.parametrize(
    ("needle", "who"),
    [
        ("archer", {"ann"}),          # name
        ("GLOBEX", {"bob"}),          # company, any case
        ("@initech", {"stale"}),      # email
        ("pricing", {"ann"}),         # subject of a reply
        ("budget plan", {"stale"}),   # subject of an outbound
        ("société", {"eve"}),         # accents
        ("SOCIÉTÉ", {"eve"}),         # accents, any case
        ("ève", {"eve"}),
        ("societe generique", {"eve"}),  # accent-insensitive both ways
        ("eve durand", {"eve"}),
        ("ÉVE", {"eve"}),
        ("100%", {"ann"}),            # LIKE wildcards are literal
        ("%", {"ann"}),
        ("n_tarifs", {"eve"}),
        ("_", {"eve"}),
        ("zzz", set()),
        ("  ", {"ann", "bob", "eve", "stale"}),
    ],
)
def test_search(store: Store, crowd: dict[str, int], needle: str, who: set[str]) -> None:
    assert set(q(store, QueueFilter(search=needle)).lead_ids()) == {crowd[w] for w in who}


def test_fold() -> None:
    assert fold("Société Œuvre ÉCOLE straße") == "societe oeuvre ecole strasse"
    assert fold("ABC") == "abc"


def test_a_filtered_queue_stays_in_step(store: Store, crowd: dict[str, int]) -> None:
    queue = q(store, QueueFilter(channel="cold_email"))
    assert queue.count() == 2
    decide(store, crowd["ann"], "interested")
    decide(store, crowd["bob"], "waiting")  # not in this filter: no effect
    assert queue.lead_ids() == [crowd["stale"]]


# -- paging ---------------------------------------------------------------------------------


def test_paging_boundaries_and_navigation(store: Store) -> None:
    ids = []
    for i in range(7):
        lead_id = lead(store, f"p{i}@acme.test", fit=1 - i / 10)  # fit decides the order
        reply(store, lead_id, ago(1))
        ids.append(lead_id)
    queue = q(store)
    assert queue.count() == 7 and len(queue) == 7
    assert [r.lead_id for r in queue.page(0, 3)] == ids[:3]
    assert [r.lead_id for r in queue.page(3, 3)] == ids[3:6]
    assert [r.lead_id for r in queue.page(6, 3)] == ids[6:]
    assert queue.page(7, 3) == [] and queue.page(100, 3) == []
    assert queue.page(0, 0) == []
    assert [r.lead_id for r in queue.page(-5, 2)] == ids[:2]
    assert [queue.index_of(i) for i in ids] == list(range(7))
    assert queue.index_of(99999) is None
    assert queue.positions([ids[4], 99999, ids[0]]) == {ids[4]: 4, ids[0]: 0}
    assert queue.next_after(ids[2]) == ids[3]
    assert queue.next_after(ids[6]) is None
    assert queue.next_after(ids[6], wrap=True) == ids[0]
    assert queue.previous_before(ids[1]) == ids[0] and queue.previous_before(ids[0]) is None
    assert queue.next_after(99999) == ids[0]  # unknown lead: start at the top
    # the decided lead leaves; "next" is the one that came after it
    decide(store, ids[2], "interested")
    assert queue.index_of(ids[2]) is None
    assert queue.next_after(ids[2]) == ids[3]
    assert queue.previous_before(ids[2]) == ids[1]
    assert queue.index_of(ids[3]) == 2
    assert queue.row(ids[3]).lead_id == ids[3] and queue.row(ids[2]) is None


def test_empty_queue(store: Store) -> None:
    queue = q(store)
    assert queue.count() == 0 and queue.page(0, 50) == []
    assert queue.next_after(1) is None and queue.index_of(1) is None


def test_refresh_at_a_later_now(store: Store) -> None:
    a = lead(store, "ann@acme.test")
    send(store, a, ago(5))
    queue = q(store)
    assert queue.count() == 0
    queue.refresh(NOW + timedelta(days=3))
    assert queue.lead_ids() == [a]


def test_search_sees_leads_and_subjects_added_later(store: Store, crowd: dict[str, int]) -> None:
    searching = q(store, QueueFilter(search="renouvellement"))
    assert searching.count() == 0
    reply(store, crowd["stale"], ago(hours=2), cls="interested",
          subject="Re: Renouvellement en mai")
    assert searching.lead_ids() == [crowd["stale"]]  # the open search stays in step
    late = lead(store, "late@zeta.test", name="Zoé Renouvellement")
    reply(store, late, ago(hours=1), cls="info_request", subject="Question")
    assert set(q(store, QueueFilter(search="RENOUVELLEMENT")).lead_ids()) == {
        crowd["stale"], late}
    assert q(store, QueueFilter(search="zoe")).lead_ids() == [late]


def test_rankings_are_reused_only_while_nothing_changed(store: Store, crowd) -> None:
    first = q(store)
    assert q(store, QueueFilter(search="a")).count() <= first.count()
    decide(store, crowd["ann"], "interested")
    assert crowd["ann"] not in q(store)  # a new decision: a fresh ranking
    assert crowd["ann"] not in first


def test_refresh_picks_up_profile_changes(store: Store) -> None:
    a = lead(store, "ann@acme.test", fit=0.1)
    b = lead(store, "bob@acme.test", fit=0.5)
    reply(store, a, ago(1))
    reply(store, b, ago(1))
    queue = q(store)
    assert queue.lead_ids() == [b, a]
    store.db.execute("UPDATE leads SET fit = 0.9 WHERE id = ?", (a,))  # e.g. a CRM re-import
    queue.refresh()
    assert queue.lead_ids() == [a, b]


def test_search_index_can_be_warmed_in_the_background(store: Store, crowd) -> None:
    from triage.queue import search_index

    index = search_index(store)
    thread = index.warm()
    assert thread is not None
    thread.join(10)
    assert index.warm() is None  # built: nothing more to do
    assert "archer" in index.texts()[crowd["ann"]]
    late = lead(store, "late@zeta.test", name="Zoé Lafleur")
    reply(store, late, ago(hours=1), subject="Question")
    assert q(store, QueueFilter(search="lafleur")).lead_ids() == [late]
    assert set(q(store, QueueFilter(search="SOCIETE")).lead_ids()) == {crowd["eve"]}


def test_an_unreadable_date_costs_recency_not_the_queue(store: Store) -> None:
    a = lead(store, "ann@acme.test", fit=0.5)
    reply(store, a, ago(30), cls="out_of_office")
    decide(store, a, "waiting", revisit_on=TODAY, at=ago(29))
    b = lead(store, "bob@acme.test", fit=0.5)
    reply(store, b, ago(1))
    store.db.execute("UPDATE leads SET last_inbound_at = 'someday' WHERE id = ?", (b,))
    rows = {r.lead_id: r for r in q(store).page(0, 10)}
    assert rows[b].parts["recency"] == 0.0 and rows[b].why == "Interested · fit 0.5 · ?"
    assert rows[b].priority == pytest.approx(sum(rows[b].parts.values()))
    assert rows[b].last_activity_at is None
    assert rows[a].reason_in_queue == "revisit"


# -- the first page before the ranking ------------------------------------------------------


@pytest.mark.parametrize("kw", [{}, {"reply_class": "interested"}, {"search": "acme"}])
def test_first_page_before_ranking_is_what_the_ranked_queue_shows(
    store: Store, crowd: dict[str, int], kw: dict
) -> None:
    for i in range(12):  # ties on priority: the order falls back to the lead id
        reply(store, lead(store, f"t{i}@acme.test", fit=0.5), ago(2), cls="interested")
    ranked = q(store, QueueFilter(**kw))
    for limit in (0, 3, 40):
        lazy = Queue(store, settings(), NOW, QueueFilter(**kw), lang="en", rank=False)
        count, rows = lazy.first_page(limit)
        assert count == ranked.count()
        assert rows == ranked.page(0, limit)
        lazy.rank_now()
        assert lazy.first_page(limit) == (count, rows)


def test_an_unranked_queue_ranks_on_first_use_and_stays_in_step(store: Store) -> None:
    a = lead(store, "ann@acme.test")
    reply(store, a, ago(1))
    queue = Queue(store, settings(), NOW, lang="en", rank=False)
    assert queue.first_page(10)[0] == 1
    b = lead(store, "bob@acme.test")
    reply(store, b, ago(2))  # arrives between the first page and the ranking
    assert queue.next_after(a) == b and queue.count() == 2
    decide(store, a, "interested")
    assert members(queue) == {b: "reply"}


def test_rows_are_reread_for_the_leads_that_changed(store: Store) -> None:
    a = lead(store, "ann@acme.test", name="Ann")
    b = lead(store, "bob@acme.test", name="Bob")
    reply(store, a, ago(2), cls="interested", subject="first")
    reply(store, b, ago(3), cls="out_of_office")
    queue = q(store)
    before = {r.lead_id: r for r in queue.page(0, 10)}
    reply(store, a, ago(1), cls="info_request", subject="second")
    after = {r.lead_id: r for r in queue.page(0, 10)}
    assert after[b] is before[b]  # untouched: the same row, not read again
    assert after[a].reply_class == "info_request" and after[a].subject == "second"
    decide(store, b, "interested")
    assert [r.lead_id for r in queue.page(0, 10)] == [a]
