"""triage.thread: newest first, new text / quoted history / signature, headers summarised."""

from __future__ import annotations

import sys
import types

from tests.tui.test_services_helpers import ago, lead, reply, send
from triage.store import Store
from triage.thread import summarise_headers, thread_view

REPLY = """Sounds good, can we talk Thursday?

Best,
Ann Archer
Acme

On Mon, 9 Nov 2026 at 10:02, Julie <julie@vendor.test> wrote:
> Hi Ann,
> would a 15-minute call work?
"""


def test_thread_newest_first_with_parts(store: Store) -> None:
    a = lead(store, "ann@acme.test", name="Ann Archer")
    send(store, a, ago(7), subject="Quick question")
    reply(store, a, ago(2), text=REPLY, cls="interested", confidence=0.8)
    msgs = thread_view(store, a)
    assert [m.direction for m in msgs] == ["in", "out"]
    new = msgs[0]
    assert new.who == "Ann Archer <ann@acme.test>"
    assert new.when == ago(2) and new.sent_at == ago(2).strftime("%Y-%m-%d %H:%M")
    assert new.new_text.startswith("Sounds good, can we talk Thursday?")
    assert "would a 15-minute call work?" in new.quoted
    assert "would a 15-minute call work?" not in new.new_text
    assert "Ann Archer" in new.signature or "Ann Archer" in new.new_text
    assert (new.reply_class, new.confidence) == ("interested", 0.8)
    assert new.header.startswith("Ann Archer <ann@acme.test> · ")
    assert msgs[1].who == "rep@vendor.test" and msgs[1].reply_class is None
    assert thread_view(store, 99999) == []


def test_auto_reply_and_bounce_headers_are_summarised(store: Store) -> None:
    a = lead(store, "ann@acme.test")
    reply(store, a, ago(2), cls="out_of_office", text="I am away until 30 November.",
          headers={"auto-submitted": "auto-replied", "x-autoreply": "yes"})
    reply(store, a, ago(1), cls="bounce", text="Delivery failed", content_type="multipart/report",
          headers={"x-failed-recipients": "ann@acme.test"})
    bounce, ooo = thread_view(store, a)
    assert bounce.markers == ("bounce",)
    assert bounce.header_notes == (
        "delivery failure (multipart/report, X-Failed-Recipients: ann@acme.test)",)
    assert ooo.markers == ("auto_reply",)
    assert "Auto-Submitted: auto-replied" in ooo.header_notes[0]
    assert ooo.header.endswith("· auto-reply")
    fr = thread_view(store, a, lang="fr")[1]
    assert fr.header_notes[0].startswith("réponse automatique")


def test_summarise_headers_cases() -> None:
    assert summarise_headers({"auto-submitted": "no"}, "text/plain") == ((), ())
    assert summarise_headers({"precedence": "bulk", "list-unsubscribe": "<mailto:x>"}, None)[0] == (
        "bulk", "list")
    assert summarise_headers({"precedence": "auto_reply"}, None)[0] == ("auto_reply",)
    assert summarise_headers(None, None, from_html=True)[0] == ("from_html",)
    assert summarise_headers({}, "text/plain", from_addr="MAILER-DAEMON@mx.example")[1] == (
        "delivery failure (From: MAILER-DAEMON@mx.example)",)


def test_text_is_sanitised(store: Store) -> None:
    a = lead(store, "ann@acme.test", name="Ann \x1b[31mRed")
    reply(store, a, ago(1), text="hello \x1b]0;pwned\x07[bold]world[/]\x1b[2J",
          subject="Re:\x1b[5m hi", headers={"x-autoreply": "\x1b[1myes"})
    (m,) = thread_view(store, a)
    assert "\x1b" not in m.new_text + m.subject + m.who + "".join(m.header_notes)
    assert "[bold]world[/]" in m.new_text
    assert m.who == "Ann Red <ann@acme.test>"


def test_the_classifiers_splitter_is_used_when_present(store: Store, monkeypatch) -> None:
    fake = types.ModuleType("triage.classify.quotes")
    fake.split_reply = lambda text: ("NEW", "OLD", "SIG")
    monkeypatch.setitem(sys.modules, "triage.classify.quotes", fake)
    a = lead(store, "ann@acme.test")
    reply(store, a, ago(1), text="whatever")
    (m,) = thread_view(store, a)
    assert (m.new_text, m.quoted, m.signature) == ("NEW", "OLD", "SIG")


def test_limit_and_a_failing_splitter_never_hides_the_message(store: Store, monkeypatch) -> None:
    fake = types.ModuleType("triage.classify.quotes")

    def boom(text: str) -> tuple[str, str, str]:
        raise RuntimeError("splitter bug")

    fake.split_reply = boom
    monkeypatch.setitem(sys.modules, "triage.classify.quotes", fake)
    a = lead(store, "ann@acme.test")
    send(store, a, ago(3))
    reply(store, a, ago(1), text="still shown\n> quoted")
    msgs = thread_view(store, a, limit=1)
    assert len(msgs) == 1 and msgs[0].new_text == "still shown\n> quoted"
    assert len(thread_view(store, a)) == 2 and thread_view(store, a, limit=0) == []


def test_the_splitter_does_not_load_the_whole_classifier() -> None:
    """The thread view is on the path to the first lead: splitting must not import the
    classifier's engine (patterns, tables) nor build its pydantic model."""
    import subprocess

    code = (
        "import sys\n"
        "from triage.classify.quotes import split_reply\n"
        "loaded = [m for m in ('triage.classify.engine', 'triage.classify.model') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
        "text = 'Yes please.\\n\\nOn Mon, 9 Nov 2026, Julie <j@v.test> wrote:\\n> old'\n"
        "assert split_reply(text)[0] == 'Yes please.'\n"
        "from triage.classify import Classification, classify\n"  # still there, on use
        "assert Classification.__name__ == 'Classification' and callable(classify)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_unreadable_stored_values_do_not_break_the_view(store: Store) -> None:
    a = lead(store, "ann@acme.test")
    pk = reply(store, a, ago(1), text="hello")
    store.db.execute("UPDATE messages SET sent_at = 'garbage', headers = '{not json', "
                     "to_addrs = NULL, body = NULL WHERE id = ?", (pk,))
    (m,) = thread_view(store, a)
    assert m.when is None and m.sent_at == "" and m.markers == () and m.new_text == ""
