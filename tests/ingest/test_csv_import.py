"""CSV import: encodings, delimiters, FR/EN headers, --map, clear column errors, decisions."""

from __future__ import annotations

import pytest

from triage.ingest import CsvFormatError, import_paths, parse_mapping
from triage.ingest.csv_import import parse_fit


def _write(tmp_path, name: str, text: str, encoding: str = "utf-8", bom: bool = False):
    path = tmp_path / name
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def test_french_export_semicolon_cp1252(store, tmp_path):
    path = _write(
        tmp_path, "export.csv",
        "Courriel;Prénom;Nom;Société;Poste;Secteur;Taille;Canal;Propriétaire;Score\r\n"
        "helene@vega.fr;Hélène;Lefèvre;Groupe Véga;Directrice financière;industrie;51-200;"
        "cold_email;julie;72 %\r\n"
        "marc@ateliers.fr;Marc;Noël;Ateliers Noël;Gérant;artisanat;1-10;referral;karim;0,4\r\n",
        encoding="cp1252",
    )
    report = import_paths(store, [path])
    assert report.errors == [] and report.imported == 2
    lead = store.lead(store.lead_id_by_email("helene@vega.fr"))
    assert lead["name"] == "Hélène Lefèvre" and lead["company"] == "Groupe Véga"
    assert lead["title"] == "Directrice financière" and lead["fit"] == 0.72
    assert lead["company_size"] == "51-200" and lead["owner"] == "julie"
    assert store.lead(store.lead_id_by_email("marc@ateliers.fr"))["fit"] == 0.4


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_sniffing_and_bom(store, tmp_path, delimiter):
    rows = [["E-mail", "Name", "Company", "Industry"],
            ["a@x.com", "Ann Lee", "X, Inc.", "saas"], ["b@y.com", "Bo Kim", "Y", "retail"]]
    text = "\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in r) for r in rows)
    report = import_paths(store, [_write(tmp_path, "l.csv", text + "\n", bom=True)])
    assert report.errors == [] and report.imported == 2
    assert store.lead(store.lead_id_by_email("a@x.com"))["company"] == "X, Inc."


def test_map_option(store, tmp_path):
    path = _write(tmp_path, "odd.csv", "Adresse pro,Raison\nx@corp.fr,Corp SA\n")
    with pytest.raises(CsvFormatError):
        import_paths(store, [path])
    report = import_paths(store, [path], mapping=parse_mapping(["Adresse pro=email",
                                                                "Raison=company"]))
    assert report.imported == 1
    assert store.lead(store.lead_id_by_email("x@corp.fr"))["company"] == "Corp SA"


def test_missing_email_column_names_it_and_the_accepted_names(store, tmp_path):
    path = _write(tmp_path, "bad.csv", "Nom,Société\nDupont,ACME\n")
    with pytest.raises(CsvFormatError) as err:
        import_paths(store, [path])
    message = str(err.value)
    assert "bad.csv" in message and "no email column" in message
    assert "courriel" in message and "e-mail" in message and "--map" in message
    assert store.scalar("SELECT count(*) FROM leads") == 0


def test_bad_map_syntax_and_unknown_column(store, tmp_path):
    with pytest.raises(CsvFormatError, match="COLUMN=field"):
        parse_mapping(["email"])
    with pytest.raises(CsvFormatError, match="unknown field 'mail_adress'"):
        parse_mapping(["x=mail_adress"])
    path = _write(tmp_path, "l.csv", "email\na@b.fr\n")
    with pytest.raises(CsvFormatError, match="not in the header"):
        import_paths(store, [path], mapping={"Courriel pro": "email"})


def test_bad_rows_are_reported_and_skipped(store, tmp_path):
    path = _write(tmp_path, "l.csv",
                  "email,name,fit\na@b.fr,Ann,0.5\nnot-an-address,Bob,0.1\nc@d.fr,Cy,banana\n"
                  "e@f.fr,Eve,\n")
    report = import_paths(store, [path])
    assert report.imported == 2
    sources = {e.source.rsplit("/", 1)[-1]: e.reason for e in report.errors}
    assert set(sources) == {"l.csv#3", "l.csv#4"}
    assert "invalid email" in sources["l.csv#3"] and "banana" in sources["l.csv#4"]
    again = import_paths(store, [path])
    assert again.imported == 0 and again.skipped == 2


def test_fit_parsing():
    assert parse_fit("0.7") == 0.7 and parse_fit("70") == 0.7 and parse_fit("70 %") == 0.7
    assert parse_fit("0,35") == 0.35
    with pytest.raises(ValueError):
        parse_fit("250")


def test_decisions_csv_with_undo(store, tmp_path):
    leads = _write(tmp_path, "leads.csv", "email\na@b.fr\n")
    decisions = _write(
        tmp_path, "decisions.csv",
        "lead email,rep,decided at,status,primary reason,undone at,undone by\n"
        "a@b.fr,julie,2026-11-02T10:00:00+00:00,closed_lost,timing,2026-11-02T10:05:00+00:00,julie\n"
        "a@b.fr,julie,2026-11-02T10:06:00+00:00,closed_lost,budget,,\n"
        "a@b.fr,julie,2026-11-03T10:00:00+00:00,closed_lost,,,\n"
        "zz@unknown.fr,julie,2026-11-03T10:00:00+00:00,interested,,,\n",
    )
    report = import_paths(store, [decisions, leads])  # order does not matter
    assert report.decisions == 2 and report.undos == 1
    reasons = {e.source.rsplit("#", 1)[-1]: e.reason for e in report.errors}
    assert "choose a reason" in reasons["4"] and "import it first" in reasons["5"]
    lead = store.lead(store.lead_id_by_email("a@b.fr"))
    assert lead["status"] == "closed_lost" and lead["primary_reason"] == "budget"
    again = import_paths(store, [leads, decisions])
    assert again.decisions == 0 and again.undos == 0
    assert store.scalar("SELECT count(*) FROM decisions") == 3


def test_a_refused_decision_field_is_one_clear_line(store, tmp_path):
    leads = _write(tmp_path, "leads.csv", "email\na@b.fr\n")
    decisions = _write(
        tmp_path, "decisions.csv",
        "lead email,rep,decided at,status,note\n"
        f"a@b.fr,julie,2026-11-02T10:00:00+00:00,interested,{'x' * 400}\n",
    )
    report = import_paths(store, [leads, decisions])
    [error] = report.errors
    assert error.reason.startswith("note: ") and "280" in error.reason
    assert "\n" not in error.reason and "pydantic" not in error.reason


def test_row_numbers_are_file_lines(store, tmp_path):
    path = _write(tmp_path, "l.csv", 'email,note\n\na@b.fr,"two\nlines"\n\nbad,x\n')
    report = import_paths(store, [path])
    assert [e.source.rsplit("/", 1)[-1] for e in report.errors] == ["l.csv#6"]


def test_last_contacted_makes_csv_only_leads_able_to_go_stale(store, tmp_path):
    path = _write(tmp_path, "lemlist.csv",
                  "Email;Dernier contact\na@b.fr;02/11/2026\nc@d.fr;15 septembre 2026\n"
                  "e@f.fr;\ng@h.fr;3 Nov 2026 14:05\n")
    report = import_paths(store, [path])
    assert report.errors == [] and report.imported == 4
    at = {r["email"]: r["last_outbound_at"] for r in store.all("SELECT * FROM leads")}
    assert at == {"a@b.fr": "2026-11-02T00:00:00+00:00", "c@d.fr": "2026-09-15T00:00:00+00:00",
                  "e@f.fr": None, "g@h.fr": "2026-11-03T14:05:00+00:00"}
    # a later export moves the date forward; an older one does not move it back
    newer = _write(tmp_path, "n.csv", "email,last contacted\na@b.fr,2026-11-10\nc@d.fr,2026-01-01\n")
    again = import_paths(store, [newer])
    assert again.imported == 1 and again.skipped == 1
    assert store.lead(store.lead_id_by_email("a@b.fr"))["last_outbound_at"].startswith("2026-11-10")


def test_touch_outbound(store):
    from datetime import UTC, datetime

    lead, _ = store.upsert_lead({"email": "a@b.fr"})
    assert store.touch_outbound(lead, datetime(2026, 11, 2, tzinfo=UTC))
    assert not store.touch_outbound(lead, datetime(2026, 10, 2, tzinfo=UTC))
    assert store.lead(lead)["last_outbound_at"] == "2026-11-02T00:00:00+00:00"
