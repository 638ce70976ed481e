"""Calibration packs: export, label on another database, import back; corrupt packs."""

from __future__ import annotations

import json

import pytest

from tests.conftest import FixedClock
from tests.review.test_calib_support import decisions_snapshot, populate
from triage.calibrate import add_label, create_session, items, labels, session_results
from triage.calibrate.pack import PackError, build_pack, export_pack, import_pack
from triage.store import Store


@pytest.fixture
def other(tmp_path, taxonomy, clock):
    """A second rep's database: no leads at all."""
    s = Store.open(tmp_path / "other.db", taxonomy, clock)
    yield s
    s.close()


@pytest.fixture
def session(store):
    populate(store)
    return create_session(store, size=4, seed=9, name="Day 4")


def test_pack_is_blind(store, session):
    add_label(store, session.id, "ana", "fit", position=1)
    pack = build_pack(store, session.id)
    text = json.dumps(pack)
    for leaked in ("original", "closed_lost", "disqualified", "decision", "reply_class"):
        assert leaked not in text
    assert len(pack["items"]) == 4 and pack["labels"][0]["rep"] == "ana"
    assert build_pack(store, session.id, with_labels=False)["labels"] == []


def test_round_trip_between_databases_is_idempotent(store, other, session, tmp_path):
    add_label(store, session.id, "ana", "fit", position=1)
    out = tmp_path / "day4.json"
    assert export_pack(store, session.id, out) == {"items": 4, "labels": 1}

    got = import_pack(other, out)
    assert got["session"] == "created" and got["added"] == 1
    here = items(other, got["id"])
    assert [it["lead_id"] for it in here] == [None] * 4  # lead ids of another database
    assert [it["lead_ref"] for it in here] == [it["lead_ref"] for it in items(store, session.id)]
    assert import_pack(other, out)["unchanged"] == 1  # twice: nothing new

    # bo labels on his database and sends his labels back
    other.clock = FixedClock(other.clock().replace(hour=10))
    for pos, code in enumerate(["fit", "budget", "timing", "unknown"], start=1):
        add_label(other, got["id"], "bo", code, position=pos)
    back = tmp_path / "bo.json"
    export_pack(other, got["id"], back, reps=["bo"])
    before = decisions_snapshot(store)
    res = import_pack(store, back)
    assert (res["session"], res["id"], res["added"]) == ("existing", session.id, 4)
    assert import_pack(store, back) | {"id": 0} == {
        "session": "existing", "id": 0, "added": 0, "updated": 0, "unchanged": 4, "older": 0,
        "taxonomy_version": store.taxonomy.version}
    assert decisions_snapshot(store) == before
    r = session_results(store, session.id)
    assert r.reps == ["ana", "bo"] and r.labelled == {"ana": 1, "bo": 4}
    # the receiving side has no original decisions: that column stays empty
    assert all(m.original is None for m in session_results(other, got["id"]).items)


def test_newer_label_wins_older_is_ignored(store, other, session, tmp_path):
    add_label(store, session.id, "ana", "fit", position=1, at="2026-11-16T09:00:00+00:00")
    out = tmp_path / "p.json"
    export_pack(store, session.id, out)
    sid = import_pack(other, out)["id"]
    add_label(other, sid, "ana", "budget", position=1, at="2026-11-16T09:30:00+00:00")
    export_pack(other, sid, out)
    assert import_pack(store, out)["updated"] == 1
    assert labels(store, session.id)[0]["primary_reason"] == "budget"
    add_label(store, session.id, "ana", "timing", position=1, at="2026-11-16T10:00:00+00:00")
    assert import_pack(store, out)["older"] == 1
    assert labels(store, session.id)[0]["primary_reason"] == "timing"


def _write(tmp_path, data, name="bad.json"):
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: json.dumps(d)[:200], r"line 1, column \d+: invalid JSON"),
        (lambda d: {**d, "format": "something-else"}, "format: not a triage calibration pack"),
        (lambda d: {**d, "format_version": 99}, "format_version: 99 is not supported"),
        (lambda d: [1, 2], "not a triage calibration pack"),
        (lambda d: {**d, "items": []}, "items: List should have at least 1 item"),
        (lambda d: _set(d, ["items", 0, "blind", "messages", 0, "body"], "tampered"),
         r"items\[0\]\.blind_sha256: does not match"),
        (lambda d: _drop(d, ["items", 1, "blind", "messages"]),
         r"items\[1\]\.blind\.messages: Field required"),
        (lambda d: _set(d, ["labels", 0, "primary"], "vibes"),
         r"labels\[0\] \(ana, lead #1\): unknown primary reason 'vibes'"),
        (lambda d: _set(d, ["labels", 0, "position"], 77),
         r"labels\[0\]\.position: no item at position 77"),
        (lambda d: _set(d, ["labels", 0, "labelled_at"], "yesterday"),
         r"labels\[0\]\.labelled_at"),
        (lambda d: _set(d, ["session", "uid"], "not hex!"), r"session\.uid"),
        (lambda d: _set(d, ["items", 1, "position"], 1), r"items\[0\]\.position: 1 appears twice"),
        (lambda d: _set(d, ["items", 1, "lead_ref"], d["items"][0]["lead_ref"]),
         r"items\[0\]\.lead_ref: lead \d+ appears twice"),
    ],
)
def test_corrupt_packs_are_refused_with_the_field_and_why(store, other, session, tmp_path,
                                                          damage, message):
    add_label(store, session.id, "ana", "fit", position=1)
    data = build_pack(store, session.id)
    bad = _write(tmp_path, damage(json.loads(json.dumps(data))))
    with pytest.raises(PackError, match=message) as exc:
        import_pack(other, bad)
    assert str(bad) in str(exc.value)
    assert other.scalar("SELECT COUNT(*) FROM calibration_sessions") == 0
    assert other.scalar("SELECT COUNT(*) FROM calibration_labels") == 0


def test_unreadable_and_binary_files(other, tmp_path):
    with pytest.raises(PackError, match="cannot read"):
        import_pack(other, tmp_path / "missing.json")
    p = tmp_path / "bin.json"
    p.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(PackError, match="not UTF-8"):
        import_pack(other, p)


def test_same_uid_with_different_leads_is_refused(store, other, session, tmp_path):
    out = tmp_path / "p.json"
    export_pack(store, session.id, out)
    import_pack(other, out)
    data = json.loads(out.read_text())
    data["items"] = data["items"][:2]
    with pytest.raises(PackError, match="the pack has 2 leads"):
        import_pack(other, _write(tmp_path, data, "short.json"))


def test_labels_under_a_retired_code_are_mapped_forward(store, other, session, tmp_path):
    data = build_pack(store, session.id)
    data["labels"] = [{"position": 1, "rep": "zoe", "primary": "price", "secondary": None,
                       "labelled_at": "2026-11-16T09:00:00+00:00", "taxonomy_version": "2025"}]
    import_pack(other, _write(tmp_path, data))
    assert [r["primary_reason"] for r in labels(other, 1)] == ["budget"]


def _set(d, path, value):
    node = d
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return d


def _drop(d, path):
    node = d
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return d


def test_hostile_text_never_reaches_the_terminal(store, other, session, tmp_path):
    from triage.calibrate.render import RENDERERS

    data = build_pack(store, session.id)
    data["session"]["name"] = "Day\x1b]0;pwned\x07 4"
    data["labels"] = [{"position": 1, "rep": "ana\x1b[2J", "primary": "fit",
                       "labelled_at": "2026-11-16T09:00:00+00:00"}]
    with pytest.raises(PackError, match=r"labels\[0\]\.rep: String should match pattern"):
        import_pack(other, _write(tmp_path, data))
    data["labels"] = []
    sid = import_pack(other, _write(tmp_path, data, "ok.json"))["id"]
    add_label(other, sid, "ana", "fit", position=1)
    add_label(other, sid, "bo", "budget", position=1)
    for render in RENDERERS.values():
        assert "\x1b" not in render(session_results(other, sid))
    from triage.calibrate import CalibrationError

    with pytest.raises(CalibrationError, match="printable"):
        add_label(other, sid, "eve\x07", "fit", position=1)
