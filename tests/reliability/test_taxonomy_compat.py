"""Taxonomy changes: retired/merged codes stay readable; dropping a used code is refused."""

from __future__ import annotations

import pytest

from tests.reliability.util import seed_leads, taxonomy_variant
from triage.cli import run
from triage.store import DecisionIn, Store
from triage.store.compat import TaxonomyIncompatibleError, unmapped_codes
from triage.store.consistency import check
from triage.taxonomy import load_taxonomy


def _drop_reason(code: str, merged_into: str | None = None, version: str = "2027.01"):
    def edit(data: dict) -> None:
        data["version"] = version
        data["reasons"] = [r for r in data["reasons"] if r["id"] != code]
        data["reply_classes"] = [
            {**c, "reason": None} if c.get("reason") == code else c for c in data["reply_classes"]
        ]
        if merged_into:
            data["retired"].append(
                {"id": code, "label": {"en": code.title(), "fr": code.title()},
                 "merged_into": merged_into, "retired_in": version}
            )
    return edit


@pytest.fixture
def used_db(tmp_path, taxonomy, clock):
    """A database whose decisions use 'competition' (3x primary, 1x secondary)."""
    path = tmp_path / "t.db"
    with Store.open(path, taxonomy, clock) as s:
        a, b, c, d = seed_leads(s, 4)
        for lead in (a, b, c):
            s.record_decision(DecisionIn(lead_id=lead, rep="r", status="closed_lost",
                                         primary_reason="competition"))
        s.record_decision(DecisionIn(lead_id=d, rep="r", status="closed_lost",
                                     primary_reason="budget", secondary_reason="competition"))
    return path


def test_dropping_a_used_code_is_refused_with_counts_and_fix(tmp_path, used_db):
    new = load_taxonomy(taxonomy_variant(tmp_path, _drop_reason("competition")))
    with pytest.raises(TaxonomyIncompatibleError) as err:
        Store.open(used_db, new, check_taxonomy=True)
    message = str(err.value)
    assert "taxonomy 2027.01 no longer defines codes this database uses" in message
    assert ("reason 'competition' is used 4 time(s) (3 in decisions.primary_reason, "
            "1 in decisions.secondary_reason)") in message
    assert "move it to `retired:`" in message and "merged_into" in message
    # without the check (the default) the store still opens: db check can then report it
    with Store.open(used_db, new) as s:
        assert [u.code for u in unmapped_codes(s, new)] == ["competition"]


def test_dropping_an_unused_code_is_fine(tmp_path, used_db):
    new = load_taxonomy(taxonomy_variant(tmp_path, _drop_reason("decision_maker")))
    Store.open(used_db, new, check_taxonomy=True).close()


def test_dropping_a_used_status_is_refused(tmp_path, used_db):
    def edit(data):
        data["statuses"] = [s for s in data["statuses"] if s["id"] != "closed_lost"]
        data["reply_classes"] = [
            {**c, "status": "disqualified"} if c["status"] == "closed_lost" else c
            for c in data["reply_classes"]
        ]
    new = load_taxonomy(taxonomy_variant(tmp_path, edit))
    with pytest.raises(TaxonomyIncompatibleError, match="status 'closed_lost' is used 4 time"):
        Store.open(used_db, new, check_taxonomy=True)


def test_merged_code_keeps_old_decisions_readable(tmp_path, used_db):
    new = load_taxonomy(taxonomy_variant(tmp_path, _drop_reason("competition", "not_interested")))
    with Store.open(used_db, new, check_taxonomy=True) as s:
        lead = s.lead(1)
        # the log and the state keep what was recorded, under the version it was recorded in
        assert lead["primary_reason"] == "competition"
        assert s.decision(lead["last_decision_id"])["taxonomy_version"] == "2026.11"
        # ...and read and report under the mapping
        assert new.canonical_reason(lead["primary_reason"]) == "not_interested"
        assert new.reason_label("competition") == "Competition"
        counts: dict[str, int] = {}
        for r in s.all("SELECT primary_reason FROM effective_decisions"):
            key = new.canonical_reason(r["primary_reason"])
            counts[key] = counts.get(key, 0) + 1
        assert counts == {"not_interested": 3, "budget": 1}
        assert check(s) == []
        # a new decision with the retired code is refused with the replacement
        from triage.store import DecisionError

        with pytest.raises(DecisionError, match="retired; use 'not_interested'"):
            s.record_decision(DecisionIn(lead_id=1, rep="r", status="closed_lost",
                                         primary_reason="competition"))
        # undo still works on a decision recorded under the old code
        s.undo(lead["last_decision_id"], rep="r")
        assert s.lead(1)["status"] is None


def test_merging_a_merge_target_needs_the_old_mapping_updated(tmp_path, used_db):
    """price -> budget (bundled); retiring budget too: the loader asks to re-point 'price'."""
    from triage.taxonomy import TaxonomyError

    with pytest.raises(TaxonomyError, match="'price' is merged into 'budget', which is not an"):
        load_taxonomy(taxonomy_variant(tmp_path, _drop_reason("budget", "not_interested")))

    def edit(data):
        _drop_reason("budget", "not_interested")(data)
        data["retired"][0]["merged_into"] = "not_interested"
    new = load_taxonomy(taxonomy_variant(tmp_path, edit))
    assert new.canonical_reason("price") == "not_interested"
    assert new.canonical_reason("budget") == "not_interested"
    Store.open(used_db, new, check_taxonomy=True).close()


def test_taxonomy_check_cli_against_a_database(tmp_path, used_db, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    bad = taxonomy_variant(tmp_path, _drop_reason("competition"), "bad.yaml")
    good = taxonomy_variant(tmp_path, _drop_reason("competition", "fit"), "good.yaml")
    assert run(["taxonomy", "check", str(bad), "--db", str(used_db)]) == 2
    err = capsys.readouterr().err
    assert f"{bad} cannot be used with {used_db}" in err
    assert "reason 'competition' is used 4 time(s)" in err and "Traceback" not in err
    assert run(["taxonomy", "check", str(good), "--db", str(used_db)]) == 0
    assert "OK — version 2027.01" in capsys.readouterr().out
    assert run(["taxonomy", "check", str(good), "--db", str(tmp_path / "none.db")]) == 2


def test_cli_refuses_to_open_with_an_incompatible_taxonomy(tmp_path, used_db, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    bad = taxonomy_variant(tmp_path, _drop_reason("competition"), "bad.yaml")
    monkeypatch.setenv("TRIAGE_TAXONOMY", str(bad))
    # db info opens without the check; db check reports the orphaned code
    assert run(["--db", str(used_db), "db", "info"]) == 0
    capsys.readouterr()
    assert run(["--db", str(used_db), "db", "check"]) == 1
    assert "taxonomy: reason 'competition' is used 4 time(s)" in capsys.readouterr().out


def test_weekly_report_counts_old_decisions_under_the_merged_code(tmp_path, used_db, clock):
    from triage.report import render, week_of, weekly_report

    new = load_taxonomy(taxonomy_variant(tmp_path, _drop_reason("competition", "not_interested")))
    with Store.open(used_db, new, clock, check_taxonomy=True) as s:
        report = weekly_report(s, week_of(clock()))
        counts = {r.reason: r.count for r in report.reasons}
        assert counts == {"not_interested": 3, "budget": 1}
        text = render(report, "md", new)
        assert "Not interested" in text and "Competition" not in text


def _calibration_label(store: Store, primary: str) -> None:
    """A calibration session with one item and one label (rows as the calibration code writes)."""
    with store.write():
        sid = store.db.execute(
            "INSERT INTO calibration_sessions (uid, name, created_at, taxonomy_version) "
            "VALUES ('u1', 's', '2026-11-16', '2026.11')").lastrowid
        iid = store.db.execute(
            "INSERT INTO calibration_items (session_id, position, lead_ref, lead_id, "
            "original_primary, blind, blind_sha256) VALUES (?, 1, 1, 1, ?, '{}', 'x')",
            (sid, primary)).lastrowid
        store.db.execute(
            "INSERT INTO calibration_labels (item_id, rep, primary_reason, labelled_at, "
            "taxonomy_version) VALUES (?, 'ana', ?, '2026-11-16', '2026.11')", (iid, primary))


def test_codes_used_only_by_calibration_labels_are_protected_too(tmp_path, taxonomy):
    path = tmp_path / "calib.db"
    with Store.open(path, taxonomy) as s:
        seed_leads(s, 1)
        _calibration_label(s, "decision_maker")
    new = load_taxonomy(taxonomy_variant(tmp_path, _drop_reason("decision_maker")))
    with pytest.raises(TaxonomyIncompatibleError) as err:
        Store.open(path, new, check_taxonomy=True)
    assert ("reason 'decision_maker' is used 2 time(s) (1 in calibration_labels.primary_reason, "
            "1 in calibration_items.original_primary)") in str(err.value)


def test_past_decisions_with_a_retired_code_import_and_report_under_the_mapping(tmp_path, store):
    """'price' was retired into 'budget' (bundled taxonomy): a rep can no longer choose it, but
    history that used it (a CRM export, an older triage export) still imports, as recorded."""
    from triage.ingest import import_paths
    from triage.store import DecisionError

    (lead,) = seed_leads(store, 1)
    with pytest.raises(DecisionError, match="retired; use 'budget'"):
        store.record_decision(DecisionIn(lead_id=lead, rep="r", status="closed_lost",
                                         primary_reason="price"))
    path = tmp_path / "history.csv"
    path.write_text("lead email,rep,decided at,status,primary reason,sub reason\n"
                    "lead0@example.com,r,2026-05-04T10:00:00+00:00,closed_lost,price,\n"
                    "lead0@example.com,r,2026-05-05T10:00:00+00:00,closed_lost,price,x\n"
                    "lead0@example.com,r,2026-05-06T10:00:00+00:00,closed_lost,nope,\n")
    report = import_paths(store, [path])
    assert report.decisions == 2 and len(report.errors) == 1
    assert "unknown reason 'nope'" in report.errors[0].reason
    assert store.lead(lead)["primary_reason"] == "price"
    assert store.taxonomy.canonical_reason("price") == "budget"
    assert check(store) == [] and unmapped_codes(store, store.taxonomy) == []
