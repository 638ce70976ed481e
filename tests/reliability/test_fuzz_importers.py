"""Fuzzing the real importers (CSV and mail): whatever the input, a whole-file CsvFormatError
(nothing written) or a report in which every item is imported, skipped or refused with a reason;
row counts match the report; a failure forced in the middle of an item writes nothing of it."""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.test_fuzz_mail import messages
from triage.ingest import CsvFormatError, Identity, MailImporter, import_paths
from triage.store import Store
from triage.store.consistency import check

#: each example builds a database: 60 per property in the normal run, 600 with --stress
FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
                max_examples=60 if settings.default.max_examples < 1000 else 600)
_counter = itertools.count()


def counts(store: Store) -> dict[str, int]:
    return {t: store.scalar(f"SELECT COUNT(*) FROM {t}")
            for t in ("leads", "messages", "classifications", "decisions")}


def fresh(tmp_path: Path) -> tuple[Store, Path]:
    n = next(_counter)
    folder = tmp_path / f"case{n}"
    folder.mkdir()
    return Store.open(folder / "t.db"), folder


# -- CSV -----------------------------------------------------------------------------------

HEADERS = ["email", "E-mail", "Courriel", "name", "Société", "company", "fit", "score", "id",
           "channel", "langue", "Taille", "notes", "", "email"]
cells = st.one_of(
    st.sampled_from(["ana@acme.io", "bob@acme.io", "ANA@ACME.IO", "not an email", "", "  ",
                     "=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "'=quoted", "75%", "0,4",
                     "1e400", "nan", "fr", "FR-fr", "x" * 300, 'a "quoted" cell', "line\nbreak",
                     "tab\there", "semi;colon", "comma,inside", "nul\x00byte", "é€ü"]),
    st.text(max_size=30),
    st.emails().map(str),
)


@st.composite
def csv_files(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6))
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=len(header) + 2), max_size=12))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    text = buf.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):  # truncate anywhere, even inside a multi-byte character
        data = data[: draw(st.integers(0, len(data)))]
    return data


def data_rows(data: bytes, importer_rows: int | None) -> int | None:
    return importer_rows


def run_csv(store: Store, folder: Path, data: bytes) -> None:
    path = folder / "leads.csv"
    path.write_bytes(data)
    before = counts(store)
    try:
        report = import_paths(store, [path])
    except CsvFormatError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
        assert counts(store) == before, "a refused file wrote something"
        return
    after = counts(store)
    assert after["leads"] - before["leads"] == report.leads_created
    from triage.ingest.csv_import import CsvImporter

    _, rows, _ = CsvImporter(store).inspect(path)
    # every data row is accounted for: imported, skipped with a reason, or refused with one
    assert report.imported + report.skipped + len(report.errors) == len(rows)
    for note in report.skipped_items + report.errors:
        assert note.source.startswith(f"{path}#") and note.reason.strip()
    assert check(store) == []


@FUZZ
@given(csv_files())
def test_csv_importer_on_random_exports(tmp_path, data):
    store, folder = fresh(tmp_path)
    with store:
        run_csv(store, folder, data)


@FUZZ
@given(st.binary(max_size=3000))
def test_csv_importer_on_random_bytes(tmp_path, data):
    store, folder = fresh(tmp_path)
    with store:
        run_csv(store, folder, data)


def test_csv_cell_over_the_csv_field_limit_is_a_clear_error(tmp_path):
    store, folder = fresh(tmp_path)
    with store:
        path = folder / "big.csv"
        path.write_bytes(b"email,notes\na@b.co," + b"x" * 200_000 + b"\n")
        with pytest.raises(CsvFormatError, match=r"big.csv#2: unreadable CSV: field larger than"):
            import_paths(store, [path])
        assert counts(store)["leads"] == 0


def test_csv_bad_rows_are_skipped_with_a_reason_and_good_ones_kept(tmp_path):
    store, folder = fresh(tmp_path)
    with store:
        path = folder / "leads.csv"
        path.write_text("email;name;fit\nana@acme.io;Ana;0,4\nnot-an-email;Bob;1\n"
                        "cy@acme.io;Cy;250\n;nobody;\ndee@acme.io;Dee;75%\n", encoding="cp1252")
        report = import_paths(store, [path])
        assert counts(store)["leads"] == 2 == report.leads_created
        reasons = {n.source.rsplit("#", 1)[1]: n.reason for n in report.errors}
        assert set(reasons) == {"3", "4", "5"}
        assert "invalid email address" in reasons["3"] and "out of range" in reasons["4"]


def test_csv_decision_row_failing_mid_transaction_writes_nothing(tmp_path, monkeypatch):
    """The 2nd decision row fails after its INSERT (while folding the lead state): that row's
    decision is rolled back, the others are imported, the state cache stays consistent."""
    store, folder = fresh(tmp_path)
    with store:
        leads = folder / "leads.csv"
        leads.write_text("email\na@acme.io\nb@acme.io\nc@acme.io\n")
        decisions = folder / "decisions.csv"
        decisions.write_text(
            "lead email,rep,decided at,status,primary reason\n"
            "a@acme.io,r,2026-11-01T10:00:00+00:00,closed_lost,budget\n"
            "b@acme.io,r,2026-11-01T11:00:00+00:00,closed_lost,timing\n"
            "c@acme.io,r,2026-11-01T12:00:00+00:00,interested,\n"
        )
        import_paths(store, [leads])
        real = Store._refresh_lead_state
        calls = itertools.count(1)

        def flaky(self, lead_id):  # noqa: ANN001
            if next(calls) == 2:
                raise OSError("disk full (simulated)")
            return real(self, lead_id)

        monkeypatch.setattr(Store, "_refresh_lead_state", flaky)
        report = import_paths(store, [decisions])
        monkeypatch.undo()
        assert report.decisions == 2 and len(report.errors) == 1
        assert report.errors[0].source.endswith("decisions.csv#3")
        assert "disk full" in report.errors[0].reason
        rows = store.all("SELECT l.email FROM decisions d JOIN leads l ON l.id = d.lead_id")
        assert sorted(r["email"] for r in rows) == ["a@acme.io", "c@acme.io"]
        assert store.lead(store.lead_id_by_email("b@acme.io"))["status"] is None
        assert check(store) == []


# -- mail ----------------------------------------------------------------------------------

def good_reply(i: int) -> bytes:
    return (f"From: Lead {i} <lead{i}@client.example>\r\nTo: julie@acme-sales.io\r\n"
            f"Subject: Re: hello\r\nMessage-ID: <r{i}@client.example>\r\n"
            f"Date: Mon, 09 Nov 2026 10:0{i % 10}:00 +0100\r\n\r\nNot now, maybe in Q3.\r\n").encode()


def mbox_entry(raw: bytes) -> bytes:
    """mboxrd framing by hand (the stdlib mailbox re-renders messages and trips on bad ones)."""
    body = re.sub(rb"(?m)^(>*From )", rb">\1", raw.replace(b"\r\n", b"\n"))
    return b"From fuzz@example Mon Nov  9 10:00:00 2026\n" + body + b"\n\n"


@FUZZ
@given(st.lists(messages() | st.integers(0, 5).map(good_reply) | st.binary(max_size=300),
                min_size=1, max_size=8),
       st.sampled_from(["eml", "mbox"]))
def test_mail_importer_on_random_messages(tmp_path, raws, layout):
    store, folder = fresh(tmp_path)
    with store:
        src = folder / "mail"
        src.mkdir()
        if layout == "eml":
            for i, raw in enumerate(raws):
                (src / f"{i}.eml").write_bytes(raw)
            target = src
        else:
            target = folder / "box.mbox"
            target.write_bytes(b"".join(mbox_entry(raw) for raw in raws))
        before = counts(store)
        importer = MailImporter(store, Identity(addresses={"julie@acme-sales.io"}))
        seen = importer.import_paths([target])
        report = importer.report
        after = counts(store)
        assert after["messages"] - before["messages"] == report.messages
        assert after["leads"] - before["leads"] == report.leads_created
        # every message: imported, skipped (duplicate) or refused, each with a reason
        assert report.imported + report.skipped + len(report.errors) == seen
        for note in report.skipped_items + report.errors:
            assert note.source and note.reason.strip()
        assert check(store) == []


def test_mail_failure_mid_message_writes_nothing_of_it(tmp_path):
    """The classifier fails on the 2nd message, after its lead and message rows were written
    inside the item's transaction: neither survives; the 1st and 3rd are imported."""
    store, folder = fresh(tmp_path)
    with store:
        calls = itertools.count(1)
        from triage.classify import classify as real_classify

        def flaky(mail, taxonomy=None):  # noqa: ANN001, ANN202
            if next(calls) == 2:
                raise RuntimeError("classifier crashed (simulated)")
            return real_classify(mail, taxonomy)

        src = folder / "mail"
        src.mkdir()
        for i in range(3):
            (src / f"{i}.eml").write_bytes(good_reply(i))
        importer = MailImporter(store, Identity(addresses={"julie@acme-sales.io"}),
                                classify=flaky)
        importer.import_paths([src])
        report = importer.report
        assert report.messages == 2 and len(report.errors) == 1
        assert "classifier crashed" in report.errors[0].reason
        assert report.errors[0].source.endswith("1.eml")
        assert store.message_pk("r1@client.example") is None
        assert store.lead_id_by_email("lead1@client.example") is None
        assert counts(store)["leads"] == 2 and counts(store)["classifications"] == 2
        # importing again (classifier fixed) picks the failed message up
        importer = MailImporter(store, Identity(addresses={"julie@acme-sales.io"}))
        importer.import_paths([src])
        assert store.message_pk("r1@client.example") is not None
        assert check(store) == []


@pytest.mark.parametrize("data, message", [
    (b"|", "no header row"), (b";;;\n;;\n", "no header row"), (b"\xff\xfee", "no email column"),
])
def test_csv_degenerate_files_are_clear_errors(tmp_path, data, message):
    """Found by the fuzzer: IndexError on a file of delimiters, UnicodeDecodeError on a UTF-16
    file cut in the middle of a character."""
    store, folder = fresh(tmp_path)
    with store:
        path = folder / "x.csv"
        path.write_bytes(data)
        with pytest.raises(CsvFormatError, match=message):
            import_paths(store, [path])
