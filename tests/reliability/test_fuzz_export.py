"""Export properties over random data: no CSV cell a spreadsheet would evaluate; JSON is the
database as is; export -> import into a fresh database -> export gives the same decisions."""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.export import FORMULA_STARTS, decision_rows, export_text, lead_rows
from triage.ingest import import_paths
from triage.store import DecisionIn, Store
from triage.store.consistency import check

FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
                max_examples=50 if settings.default.max_examples < 1000 else 500)
_n = itertools.count()

texts = st.one_of(
    st.sampled_from(["=1+1", "+33 6 12", "-2", "@SUM(A1:A2)", "\t=cmd", "\r=x", "=HYPERLINK(\"h\")",
                     "'=already quoted", "plain", "a,b;c", 'say "hi"', "é€", " =lead space"]),
    st.text(max_size=20),
)
CHOICES = [
    dict(status="interested"),
    dict(status="closed_lost", primary_reason="budget", secondary_reason="timing"),
    dict(status="nurturing", primary_reason="timing", sub_reason="contract_locked"),
    dict(status="disqualified", primary_reason="fit"),
]


@st.composite
def histories(draw):
    leads = draw(st.lists(st.tuples(texts, texts, texts), min_size=1, max_size=4))
    steps = draw(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), texts, texts,
                                    st.booleans()), max_size=10))
    return leads, steps


def build(store: Store, leads, steps) -> None:
    ids = []
    for i, (name, company, persona) in enumerate(leads):
        ids.append(store.upsert_lead({"email": f"l{i}@example.com", "name": name,
                                      "company": company, "persona": persona})[0])
    when = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    done: list[int] = []
    for lead, choice, rep, note, undo in steps:
        when += timedelta(minutes=7)
        try:
            d = DecisionIn(lead_id=ids[lead % len(ids)], rep=rep.strip() or "r", note=note,
                           **CHOICES[choice])
        except ValueError:
            continue  # e.g. a note over 280 characters: refused before the store
        done.append(store.record_decision(d, at=when))
        if undo and done:
            store.undo(done.pop(0), rep="u", at=when + timedelta(minutes=1))


def cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]


@FUZZ
@given(histories())
def test_csv_export_has_no_formula_cell(tmp_path, history):
    with Store.open(tmp_path / f"e{next(_n)}.db") as store:
        build(store, *history)
        for what in ("leads", "decisions"):
            for undone in (False, True):
                for cell in cells(export_text(store, what, "csv", include_undone=undone)):
                    assert not cell.startswith(FORMULA_STARTS), repr(cell)


@FUZZ
@given(histories())
def test_json_export_is_the_database_as_is(tmp_path, history):
    with Store.open(tmp_path / f"j{next(_n)}.db") as store:
        build(store, *history)
        assert json.loads(export_text(store, "leads", "json")) == lead_rows(store)
        assert json.loads(export_text(store, "decisions", "json", True)) == decision_rows(
            store, include_undone=True)


KEYS = ("lead_email", "rep", "decided_at", "status", "primary_reason", "secondary_reason",
        "sub_reason", "note", "revisit_on", "taxonomy_version", "undone_at", "undone_by")


@FUZZ
@given(histories())
def test_csv_export_reimports_to_the_same_decisions(tmp_path, history):
    n = next(_n)
    folder = Path(tmp_path / f"r{n}")
    folder.mkdir()
    with Store.open(folder / "a.db") as a:
        build(a, *history)
        (folder / "leads.csv").write_text(export_text(a, "leads", "csv"), newline="")
        (folder / "decisions.csv").write_text(
            export_text(a, "decisions", "csv", include_undone=True), newline="")
        original = [{k: r[k] for k in KEYS} for r in decision_rows(a, include_undone=True)]
        leads_a = {r["email"]: r for r in lead_rows(a)}
    with Store.open(folder / "b.db") as b:
        report = import_paths(b, [folder / "leads.csv", folder / "decisions.csv"])
        assert report.errors == [], report.errors
        again = [{k: r[k] for k in KEYS} for r in decision_rows(b, include_undone=True)]
        assert again == original
        for r in lead_rows(b):
            before = leads_a[r["email"]]
            for k in ("name", "company", "persona", "status", "primary_reason", "note"):
                # the importer strips cells (outside the formula quote): compare the content
                assert (r[k] or "").strip() == (before[k] or "").strip(), k
        assert check(b) == []


def test_reimport_keeps_the_taxonomy_version_a_decision_was_made_under(tmp_path, taxonomy):
    """Rule 8: each decision records the version it was made under, also after a round trip."""
    with Store.open(tmp_path / "a.db", taxonomy) as a:
        (lead,) = [a.upsert_lead({"email": "x@example.com"})[0]]
        a.record_decision(DecisionIn(lead_id=lead, rep="r", status="closed_lost",
                                     primary_reason="price"), at=datetime(2026, 5, 1, tzinfo=UTC),
                          historical=True, taxonomy_version="2026.05")
        (tmp_path / "l.csv").write_text(export_text(a, "leads", "csv"), newline="")
        (tmp_path / "d.csv").write_text(export_text(a, "decisions", "csv"), newline="")
    with Store.open(tmp_path / "b.db", taxonomy) as b:
        import_paths(b, [tmp_path / "l.csv", tmp_path / "d.csv"])
        row = b.one("SELECT taxonomy_version, primary_reason FROM decisions")
        assert row == {"taxonomy_version": "2026.05", "primary_reason": "price"}
    # a decision made now always records the current version
    with Store.open(tmp_path / "b.db", taxonomy) as b:
        did = b.record_decision(DecisionIn(lead_id=1, rep="r", status="interested"),
                                taxonomy_version="1999.01")
        assert b.decision(did)["taxonomy_version"] == taxonomy.version
