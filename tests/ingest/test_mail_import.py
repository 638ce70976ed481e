"""Mail import: charsets, HTML, bounces, threads, direction, mbox/Maildir, atomicity."""

from __future__ import annotations

import mailbox

import pytest

from tests.conftest import SHARED
from tests.ingest.helpers import DSN, outbound, raw_mail
from triage.ingest import Identity, ImportReport, MailImporter, import_paths
from triage.mail.parse import parse_bytes
from triage.mail.sources import RawMail

OURS = Identity(domains={"acme-sales.io"})


def _import(store, *raws: bytes, identity=OURS) -> MailImporter:
    imp = MailImporter(store, identity)
    for n, raw in enumerate(raws):
        imp.import_raw(RawMail(f"test#{n + 1}", raw))
    return imp


def _counts(store) -> tuple[int, int, int]:
    return (
        store.scalar("SELECT count(*) FROM leads"),
        store.scalar("SELECT count(*) FROM messages"),
        store.scalar("SELECT count(*) FROM classifications"),
    )


# -- the labeled corpus ---------------------------------------------------------------------

def test_replies_dev_corpus_imports_cleanly_and_idempotently(store):
    corpus = SHARED / "corpus" / "replies-dev"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus/replies-dev not present")
    files = sorted(corpus.glob("*.eml"))
    assert len(files) >= 100
    report = import_paths(store, [corpus])
    assert report.errors == [], report.errors[:5]
    assert report.messages == len(files)
    assert report.classifications == len(files)  # every inbound message classified
    before = _counts(store)
    again = import_paths(store, [corpus])
    assert again.errors == [] and again.imported == 0 and again.skipped == len(files)
    assert _counts(store) == before
    # every message is linked to a lead, and no lead is one of the SDRs
    assert store.scalar("SELECT count(*) FROM messages WHERE lead_id IS NULL") == 0


# -- charsets -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("ctype", "body", "expected"),
    [
        ("text/plain; charset=utf-8", "Désolé, pas le bon moment — l'été".encode("cp1252"),
         "Désolé, pas le bon moment — l'été"),  # cp1252 bytes mislabelled as UTF-8
        ("text/plain; charset=iso-8859-1", "Réponse ’ “OK”".encode("cp1252"),
         "Réponse ’ “OK”"),  # latin-1 label, cp1252 curly quotes
        ("text/plain; charset=latin-1", "Très intéressé".encode("latin-1"), "Très intéressé"),
        ("text/plain", "Merci, à bientôt".encode("cp1252"), "Merci, à bientôt"),  # no label
        ("text/plain; charset=x-unknown-foo", "Ça marche".encode(), "Ça marche"),
    ],
)
def test_body_charsets(store, ctype, body, expected):
    _import(store, raw_mail(ctype=ctype, body=body))
    assert store.one("SELECT body FROM messages")["body"].startswith(expected)


def test_encoded_word_and_8bit_headers(store):
    raw = raw_mail(
        frm="=?ISO-8859-1?Q?H=E9l=E8ne_Lef=E8vre?= <helene@client.fr>",
        subject="=?UTF-8?B?UmU6IETDqW1vIFJlbGF5?=",
    )
    _import(store, raw)
    # a second message with raw 8-bit cp1252 bytes in its headers
    raw8 = raw_mail(msgid="r8@client.fr", frm="x@y.fr", subject="Re: Pr\udce9sentation")
    assert b"Pr\xe9sentation" in raw8
    _import(store, raw8)
    rows = store.all("SELECT subject, from_name FROM messages ORDER BY id")
    assert rows[0] == {"subject": "Re: Démo Relay", "from_name": "Hélène Lefèvre"}
    assert rows[1]["subject"] == "Re: Présentation"
    assert store.one("SELECT name FROM leads WHERE email = 'helene@client.fr'")["name"] == (
        "Hélène Lefèvre"
    )


def test_broken_bytes_do_not_stop_the_import(store):
    raw = raw_mail(ctype="text/plain; charset=utf-8", cte="base64", body=b"@@@not base64!!\xff\xfe")
    imp = _import(store, raw, b"\xff\xfe\x00garbage without headers")
    # each item is either stored or refused with a reason: never a crash, never both
    assert imp.report.messages + len(imp.report.errors) == 2
    assert store.one("SELECT body FROM messages WHERE message_id = 'reply-1@client.fr'")


def test_html_only_body_becomes_text(store):
    html = b"<html><body><p>Yes, <b>interested</b>.</p><p>Call me Tuesday</p><script>x()</script></body></html>"
    _import(store, raw_mail(ctype="text/html; charset=utf-8", body=html))
    row = store.one("SELECT body, body_from_html FROM messages")
    assert row["body_from_html"] == 1
    assert "Yes, interested." in row["body"] and "Call me Tuesday" in row["body"]
    assert "<b>" not in row["body"]


def test_deeply_nested_mime_is_survived():
    parts = b"".join(
        f'--b{i}\nContent-Type: multipart/mixed; boundary="b{i + 1}"\n\n'.encode() for i in range(200)
    )
    raw = (b'From: a@b.fr\nSubject: deep\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b0"\n\n'
           + parts + b"--b200\nContent-Type: text/plain\n\nhello\n")
    mail = parse_bytes(raw)
    assert mail.subject == "deep"


# -- threads, direction, bounces -------------------------------------------------------------

def test_thread_links_reply_to_lead_by_message_id(store):
    # the reply comes from another address (an assistant) but answers our outbound
    reply = raw_mail(frm="assistant@client.fr", in_reply_to="out-1@acme-sales.io")
    imp = _import(store, outbound(), reply)
    assert imp.report.errors == []
    rows = store.all("SELECT direction, lead_id FROM messages ORDER BY id")
    assert [r["direction"] for r in rows] == ["out", "in"]
    assert rows[0]["lead_id"] == rows[1]["lead_id"] == store.lead_id_by_email("lea@client.fr")
    assert store.scalar("SELECT count(*) FROM classifications") == 1  # only the inbound


def test_direction_without_settings_uses_the_thread(store, tmp_path):
    box = mailbox.mbox(tmp_path / "all.mbox")
    box.add(outbound())
    box.add(raw_mail(in_reply_to="out-1@acme-sales.io"))
    box.flush()
    box.close()
    report = import_paths(store, [tmp_path / "all.mbox"], Identity())
    assert report.errors == []
    # nothing configured: the address the lead's reply went to is ours
    directions = [r["direction"] for r in store.all("SELECT direction FROM messages ORDER BY id")]
    assert directions == ["out", "in"]
    assert store.lead_id_by_email("julie@acme-sales.io") is None
    assert store.lead_id_by_email("lea@client.fr") is not None


def test_hub_address_is_ours_without_settings(store, tmp_path):
    box = mailbox.mbox(tmp_path / "sent.mbox")
    for n in range(4):
        box.add(outbound(msgid=f"o{n}@acme-sales.io", to=f"lead{n}@client{n}.fr"))
    box.flush()
    box.close()
    report = import_paths(store, [tmp_path / "sent.mbox"])
    assert report.errors == []
    assert {r["direction"] for r in store.all("SELECT direction FROM messages")} == {"out"}
    assert store.lead_id_by_email("julie@acme-sales.io") is None
    assert store.scalar("SELECT count(*) FROM leads") == 4


def test_dsn_bounce_is_linked_to_the_failed_recipient(store):
    out = outbound(msgid="out-gone@acme-sales.io", to="gone@client.fr")
    imp = _import(store, out, DSN)
    assert imp.report.errors == []
    bounce = store.one("SELECT * FROM messages WHERE message_id = 'dsn-1@mail.acme-sales.io'")
    assert bounce["direction"] == "in"
    assert bounce["lead_id"] == store.lead_id_by_email("gone@client.fr")
    assert store.lead_id_by_email("mailer-daemon@mail.acme-sales.io") is None


def test_dsn_bounce_before_its_outbound_creates_the_lead(store):
    imp = _import(store, DSN)
    assert imp.report.errors == []
    assert store.one("SELECT lead_id FROM messages")["lead_id"] == store.lead_id_by_email(
        "gone@client.fr"
    )


def test_real_mta_bounces_from_shared_corpus(store):
    real = SHARED / "corpus" / "real" / "flufl-bounce"
    if not real.is_dir():
        pytest.skip("../shared/corpus/real not present")
    report = import_paths(store, [real])
    assert report.errors == [], report.errors[:5]
    linked = store.scalar("SELECT count(*) FROM messages WHERE lead_id IS NOT NULL")
    assert linked >= 0.7 * report.messages


# -- sources --------------------------------------------------------------------------------

def test_mbox_and_maildir(store, tmp_path):
    box = mailbox.mbox(tmp_path / "in.mbox")
    box.add(raw_mail(msgid="m1@client.fr"))
    box.add(raw_mail(msgid="m2@client.fr", frm="bob@other.com"))
    box.flush()
    box.close()
    md = mailbox.Maildir(tmp_path / "Maildir", create=True)
    md.add(raw_mail(msgid="m3@client.fr", frm="carol@third.com"))
    md.close()
    report = import_paths(store, [tmp_path / "in.mbox", tmp_path / "Maildir"], OURS)
    assert report.errors == [] and report.messages == 3
    sources = {r["source"] for r in store.all("SELECT source FROM messages")}
    assert any(s.endswith("in.mbox#2") for s in sources)
    assert any("Maildir#" in s for s in sources)


def test_unreadable_message_reported_with_its_source(store):
    imp = _import(store, b"   \n")
    assert imp.report.errors and imp.report.errors[0].source == "test#1"
    assert "empty" in imp.report.errors[0].reason


# -- atomicity ------------------------------------------------------------------------------

def test_failure_mid_item_writes_nothing(store):
    def broken_classifier(mail, taxonomy=None):
        raise RuntimeError("classifier exploded")

    imp = MailImporter(store, OURS, ImportReport(), classify=broken_classifier)
    imp.import_raw(RawMail("x.eml", raw_mail(frm="new@lead.fr")))
    assert imp.report.errors and "classifier exploded" in imp.report.errors[0].reason
    # neither the lead, nor the message, nor a classification was left behind
    assert _counts(store) == (0, 0, 0)
    # a later run with a working classifier imports it whole
    _import(store, raw_mail(frm="new@lead.fr"))
    assert _counts(store) == (1, 1, 1)


def test_failing_item_inside_a_batch_rolls_back_alone(store, tmp_path):
    box = mailbox.mbox(tmp_path / "in.mbox")
    for n in range(5):
        box.add(raw_mail(msgid=f"m{n}@client.fr", frm=f"p{n}@client{n}.fr"))
    box.flush()
    box.close()

    def classifier(mail, taxonomy=None):
        if mail.message_id == "m2@client.fr":
            raise RuntimeError("boom")
        from triage.classify import classify

        return classify(mail, taxonomy)

    report = import_paths(store, [tmp_path / "in.mbox"], OURS, classify=classifier)
    assert [e.source.rsplit("/", 1)[-1] for e in report.errors] == ["in.mbox#3"]
    assert _counts(store) == (4, 4, 4)
    assert store.lead_id_by_email("p2@client2.fr") is None
    # committed: a second connection sees the other four
    from triage.store import Store

    with Store.open(store.db.conn.execute("PRAGMA database_list").fetchone()[2]) as other:
        assert other.scalar("SELECT count(*) FROM messages") == 4


def test_files_that_are_not_mail_are_refused_with_a_reason(store):
    imp = _import(store, b"Just a note I saved as .eml\nwith two lines\n",
                  b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    reasons = [e.reason for e in imp.report.errors]
    assert "not an email message" in reasons[0] and "Outlook .msg" in reasons[1]
    assert _counts(store) == (0, 0, 0)


def test_csv_inside_a_folder_is_not_imported_but_mentioned(store, tmp_path):
    (tmp_path / "a.eml").write_bytes(raw_mail())
    (tmp_path / "labels.csv").write_text("id,label\n1,x\n", encoding="utf-8")
    report = import_paths(store, [tmp_path], OURS)
    assert report.messages == 1 and store.scalar("SELECT count(*) FROM leads") == 1
    assert any("1 CSV file(s) inside were not imported" in w.reason for w in report.warnings)
