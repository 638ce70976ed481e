"""Whatever bytes a CSV file holds, import reports problems; it never crashes or half-writes."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.ingest import CsvFormatError, import_paths
from triage.store import Store

HEADERS = ["email", "Courriel", "Nom", "Société", "fit", "score", "decided at", "status", "rep",
           "", "x;y", '"quoted"']
cells = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["a@b.fr", "=1+1", "70 %", "0,5", "banana", "x@y", "2026-13-45", ""]),
)


@settings(max_examples=60, deadline=timedelta(seconds=5),
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=5),
    rows=st.lists(st.lists(cells, max_size=6), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]),
)
def test_any_csv_is_imported_or_refused_cleanly(taxonomy, header, rows, delimiter, encoding):
    text = "\n".join(delimiter.join(r) for r in [header, *rows]) + "\n"
    data = text.encode(encoding, errors="replace")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        path.write_bytes(data)
        with Store.open(Path(tmp) / "t.db", taxonomy) as store:
            try:
                report = import_paths(store, [path])
            except CsvFormatError as exc:
                assert "f.csv" in str(exc)
                assert store.scalar("SELECT count(*) FROM leads") == 0
                return
            leads = store.scalar("SELECT count(*) FROM leads")
            assert leads == report.leads_created
            for e in report.errors:
                assert e.source.rsplit("#", 1)[-1].isdigit() and e.reason


@settings(max_examples=40, deadline=timedelta(seconds=5))
@given(st.binary(max_size=300))
def test_random_bytes_csv(taxonomy, data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.csv"
        path.write_bytes(data)
        with Store.open(Path(tmp) / "t.db", taxonomy) as store:
            try:
                import_paths(store, [path])
            except CsvFormatError:
                pass
