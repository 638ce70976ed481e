from datetime import date
from email.message import EmailMessage

import pytest

from triage.classify import CLASSIFIER_VERSION, Classification, classify, classify_explained
from triage.mail.parse import parse_bytes

from .helpers import QUOTE_EN, QUOTE_FR, mail


def test_interface():
    assert CLASSIFIER_VERSION == "1.0"
    c = classify(mail("Yes, Thursday at 10:00 works, send the invite."))
    assert isinstance(c, Classification)
    assert c.as_json_dict()["reply_class"] == "interested"


@pytest.mark.parametrize(
    ("body", "quote", "expected", "lang"),
    [
        ("Yes, worth a chat. Could we do Thursday at 9:30?", QUOTE_EN, "interested", "en"),
        ("Ok pour une démo, je suis dispo mardi 14h.", QUOTE_FR, "interested", "fr"),
        ("Does it integrate with Xero? And how much per user?", QUOTE_EN, "info_request", "en"),
        ("Avez-vous une plaquette ? C'est combien par mois ?", QUOTE_FR, "info_request", "fr"),
        ("Thanks, but we're not interested.", QUOTE_EN, "not_interested", "en"),
        ("Non merci, ça ne nous intéresse pas.", QUOTE_FR, "not_interested", "fr"),
        ("Please take me off your mailing list.", QUOTE_EN, "unsubscribe", "en"),
        ("Merci de me retirer de votre liste de diffusion.", QUOTE_FR, "unsubscribe", "fr"),
        ("I'm not the right person - talk to Jane Doe, our COO: jane@acme.com", QUOTE_EN, "wrong_person", "en"),
        ("Mauvais interlocuteur : voyez avec Paul Martin, paul@acme.fr", QUOTE_FR, "wrong_person", "fr"),
        ("I'm out of the office until 12 March with no access to email.", "", "out_of_office", "en"),
        ("Je suis en congés, de retour le 12 mars.", "", "out_of_office", "fr"),
    ],
)
def test_classes_both_languages(body, quote, expected, lang):
    c = classify(mail(body, quote=quote))
    assert (c.reply_class, c.language) == (expected, lang), c.evidence
    assert c.evidence or expected == "info_request"


def test_only_new_text_is_judged():
    # the quoted outbound talks about demo, budget and unsubscribing
    c = classify(mail("No thanks.", quote=QUOTE_EN))
    assert c.reply_class == "not_interested"
    assert not any("unsubscribe" in e.lower() or "demo" in e.lower() for e in c.evidence)


def test_footer_unsubscribe_is_not_a_request():
    body = "Happy to take a look - Friday 10am works.\n\nAmy\nOur newsletter: unsubscribe at acme.com/prefs"
    assert classify(mail(body)).reply_class == "interested"


@pytest.mark.parametrize(
    ("body", "reason", "sub"),
    [
        ("We're locked into our current contract until March.", "timing", "contract_locked"),
        ("We're a two-person shop, this is way more than we need.", "fit", "too_small"),
        ("Sorry, there's no budget for this right now.", "budget", "no_budget"),
        ("We signed with another vendor last month.", "competition", "chose_competitor"),
        ("Not my call, our parent company decides these things, so I will pass.", "decision_maker", "no_authority"),
        ("No thanks.", "not_interested", None),
        ("Pour des raisons internes, nous ne donnerons pas suite.", "unknown", None),
        ("Budget isn't the problem, timing is: we're in the middle of a migration.", "timing", "project_delayed"),
        ("Ce n'est pas une question de prix : on vient de renouveler avec notre prestataire actuel.", "timing", "contract_locked"),
    ],
)
def test_decline_reasons(body, reason, sub):
    c = classify(mail(body))
    assert c.reply_class == "not_interested"
    assert c.reason == reason
    if sub:
        assert c.sub_reason == sub


def test_secondary_reason_when_a_second_obstacle_is_explicit():
    c = classify(mail("We already use Acme for this, and there's no budget to pay twice."))
    assert (c.reason, c.secondary_reason) == ("competition", "budget")
    assert c.secondary_reason != c.reason


def test_revisit_is_relative_to_the_message_date():
    c = classify(mail("Not now - busy season. Check back in 3 months.", date="Wed, 11 Feb 2026 09:00:00 +0100"))
    assert (c.reason, c.revisit_on) == ("timing", date(2026, 5, 11))
    ooo = classify(mail("Out of the office, back on Monday 9 February.", date="Mon, 02 Feb 2026 08:00:00 +0000"))
    assert ooo.revisit_on == date(2026, 2, 9)
    # an interested reply proposing a day gets no revisit date
    assert classify(mail("Yes! Tuesday 3 March at 10:00?")).revisit_on is None


def test_ooo_from_headers_and_subject():
    c = classify(mail("Thanks for your message.", headers={"Auto-Submitted": "auto-replied"}))
    assert c.reply_class == "out_of_office" and c.confidence >= 0.9
    c = classify(mail("Merci pour votre message.", subject="Réponse automatique : Re: démo"))
    assert c.reply_class == "out_of_office"
    c = classify(mail("Hello", headers={"X-Autoreply": "yes"}))
    assert c.reply_class == "out_of_office"


def test_ooo_with_urgent_contact_is_not_wrong_person():
    body = "I'm on annual leave until 3 April. For anything urgent, please contact my colleague Jo at jo@acme.com."
    assert classify(mail(body)).reply_class == "out_of_office"


def test_human_left_is_wrong_person_but_system_notice_is_bounce():
    human = classify(mail("Hi, I left Acme in March - try Bob Lee (bob@acme.com) instead."))
    assert (human.reply_class, human.reason, human.sub_reason) == ("wrong_person", "decision_maker", "left_company")
    system = classify(mail(
        "This is an automated message. The mailbox of Ann Lee is no longer active and your message has not been delivered.",
        headers={"Auto-Submitted": "auto-generated"},
    ))
    assert system.reply_class == "bounce"


def _dsn(status: str = "5.1.1", action: str = "failed") -> bytes:
    return (
        "From: MAILER-DAEMON@mx.example.com\r\nTo: sam@routelane.io\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nDate: Tue, 03 Mar 2026 10:00:00 +0000\r\n"
        "Message-ID: <dsn-1@mx.example.com>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\n"
        f"Final-Recipient: rfc822; kate@acme.com\r\nAction: {action}\r\nStatus: {status}\r\n"
        "--B--\r\n"
    ).encode()


def test_dsn_bounce_from_structure():
    c = classify(parse_bytes(_dsn()))
    assert c.reply_class == "bounce" and c.confidence >= 0.95
    assert any("Status: 5.1.1" in e for e in c.evidence)


def test_plain_text_mta_bounce_and_x_failed_recipients():
    c = classify(mail("Delivery to the following recipient failed permanently: kate@acme.com\n550 5.1.1 user unknown",
                      sender="Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
                      subject="Delivery Status Notification (Failure)"))
    assert c.reply_class == "bounce"
    c = classify(mail("A message that you sent could not be delivered.", headers={"X-Failed-Recipients": "kate@acme.com"}))
    assert c.reply_class == "bounce"


def test_unsubscribe_keeps_an_explicit_reason():
    c = classify(mail("We already work with another agency. Please remove me from your list."))
    assert (c.reply_class, c.reason) == ("unsubscribe", "competition")
    c = classify(mail("Please remove me from your list."))
    assert (c.reply_class, c.reason) == ("unsubscribe", None)


def test_gdpr_erasure_is_flagged(taxonomy):
    c = classify(mail("Under Article 17 GDPR, erase all personal data you hold about me."), taxonomy)
    assert (c.reply_class, c.reason, c.sub_reason) == ("unsubscribe", None, "gdpr_erasure")


def test_terse_replies():
    assert classify(mail("No")).reply_class == "not_interested"
    assert classify(mail("STOP")).reply_class == "unsubscribe"
    assert classify(mail("stop merci")).reply_class == "unsubscribe"
    assert classify(mail("non merci")).reply_class == "not_interested"


def test_explanation_lists_matches_and_negations():
    c, ex = classify_explained(mail("It's not too expensive, but we're not interested."))
    lines = "\n".join(ex.lines())
    assert "negated" in lines and "not_interested" in lines
    assert c.reason == "not_interested"


def test_taxonomy_codes_only(taxonomy):
    codes = {r.id for r in taxonomy.reasons}
    for body in ("No budget.", "We use Acme.", "Not my call.", "We're too small.", "Not now, maybe Q3."):
        c = classify(mail(body), taxonomy)
        assert c.reason in codes
        if c.sub_reason:
            assert taxonomy.reason(c.reason).sub_reason(c.sub_reason) is not None


# -- hostile input --------------------------------------------------------------------------


def test_empty_body():
    c = classify(mail(""))
    assert c.reply_class == "info_request" and c.confidence <= 0.2


def test_html_only_body():
    c = classify(mail("Not interested, please remove me from your list.", html=True))
    assert c.reply_class == "unsubscribe"


def test_huge_lines_and_control_characters():
    body = ("blah " * 100_000) + "\x1b[2J\x00 No thanks."
    c = classify(mail(body))
    assert c.reply_class in {"not_interested", "info_request"}
    assert all("\x1b" not in e and "\x00" not in e for e in c.evidence)


def test_escape_sequences_never_reach_the_evidence():
    c = classify(mail("Thanks.", subject="Automatic reply \x1b[31mred\x07", headers={"Auto-Submitted": "auto-replied"}))
    assert c.reply_class == "out_of_office"
    assert all("\x1b" not in e and "\x07" not in e for e in c.evidence)


def test_broken_charset():
    raw = (
        b"From: a@b.fr\r\nTo: c@d.fr\r\nSubject: Re: test\r\nDate: Wed, 04 Mar 2026 10:00:00 +0100\r\n"
        b"Message-ID: <x@b.fr>\r\nContent-Type: text/plain; charset=x-unknown-charset\r\n\r\n"
        b"Non merci, \xe7a ne nous int\xe9resse pas.\r\n"
    )
    c = classify(parse_bytes(raw))
    assert c.reply_class == "not_interested" and c.language == "fr"


def test_no_date_header_gives_no_revisit():
    msg = EmailMessage()
    msg["From"] = "a@b.com"
    msg["Subject"] = "Re: x"
    msg.set_content("Out of office, back on 12 March.")
    c = classify(parse_bytes(msg.as_bytes()))
    assert c.reply_class == "out_of_office" and c.revisit_on is None


def test_model_has_no_opinion_on_unknown_words():
    from triage.classify.bayes import features, load_models
    from triage.dates import fold

    lorem = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt."
    assert load_models()["class"].posteriors(features(fold(lorem))) == {}
    c = classify(mail(lorem))
    assert c.reply_class in {"not_interested", "info_request"} and c.confidence <= 0.5
    known = load_models()["class"].posteriors(features(fold("No thanks, not interested.")))
    assert max(known, key=known.get) == "not_interested"
