"""Export: CSV formula neutralisation, JSON untouched, round trip through `triage import`."""

from __future__ import annotations

import csv
import io
import json

import pytest

from triage.export import export_text, neutralise
from triage.ingest import import_paths
from triage.store import DecisionIn, Store

HOSTILE = {
    "=HYPERLINK(\"http://evil\",\"x\")": True, "+33 6 12 34 56 78": True, "-2+3": True,
    "@SUM(A1)": True, "\tTab": True, "\rCR": True, "Normal Co": False, "a=b": False,
}


@pytest.mark.parametrize(("value", "dangerous"), HOSTILE.items())
def test_neutralise(value, dangerous):
    assert neutralise(value) == ("'" + value if dangerous else value)
    assert neutralise(3) == 3 and neutralise(None) is None


@pytest.fixture
def filled(store):
    lead, _ = store.upsert_lead({"email": "a@evil.fr", "name": "[bold]Ann[/bold]",
                                 "company": "=cmd|' /C calc'!A0", "title": "@boss",
                                 "external_id": "CRM-1", "fit": 0.5})
    store.upsert_lead({"email": "b@good.fr", "name": "Bob \x1b[31m", "company": "Good"})
    first = store.record_decision(DecisionIn(lead_id=lead, rep="julie", status="closed_lost",
                                             primary_reason="timing", note="-renewal in May"))
    store.undo(first, "julie")
    store.record_decision(DecisionIn(lead_id=lead, rep="julie", status="closed_lost",
                                     primary_reason="budget", note="=too expensive"))
    return store


def test_csv_is_neutralised_and_json_untouched(filled):
    rows = list(csv.DictReader(io.StringIO(export_text(filled, "leads", "csv"))))
    ann = next(r for r in rows if r["email"] == "a@evil.fr")
    assert ann["company"] == "'=cmd|' /C calc'!A0" and ann["title"] == "'@boss"
    assert ann["status"] == "closed_lost" and ann["primary_reason"] == "budget"
    data = json.loads(export_text(filled, "leads", "json"))
    assert next(r for r in data if r["email"] == "a@evil.fr")["company"] == "=cmd|' /C calc'!A0"
    decisions = list(csv.DictReader(io.StringIO(export_text(filled, "decisions", "csv"))))
    assert len(decisions) == 1 and decisions[0]["note"] == "'=too expensive"
    log = json.loads(export_text(filled, "decisions", "json", include_undone=True))
    assert [d["primary_reason"] for d in log] == ["timing", "budget"]
    assert log[0]["undone_by"] == "julie" and log[1]["undone_at"] is None


def test_round_trip_through_import(filled, tmp_path, taxonomy, clock):
    (tmp_path / "leads.csv").write_text(export_text(filled, "leads", "csv"), encoding="utf-8")
    (tmp_path / "dec.csv").write_text(
        export_text(filled, "decisions", "csv", include_undone=True), encoding="utf-8"
    )
    with Store.open(tmp_path / "copy.db", taxonomy, clock) as copy:
        report = import_paths(copy, [tmp_path / "leads.csv", tmp_path / "dec.csv"])
        assert report.errors == []
        for what in ("leads", "decisions"):
            a = json.loads(export_text(filled, what, "json", include_undone=True))
            b = json.loads(export_text(copy, what, "json", include_undone=True))
            drop = {"created_at", "id", "taxonomy_version", "source", "last_decision_at"}
            assert [{k: v for k, v in r.items() if k not in drop} for r in a] == [
                {k: v for k, v in r.items() if k not in drop} for r in b
            ]
