from triage.classify.quotes import normalise_text, split_reply


def test_gmail_attribution_en():
    new, quoted, _ = split_reply("Sounds good.\n\nOn Tue, 3 Mar 2026 at 10:02, Julie <j@x.io> wrote:\n> old\n> text")
    assert new == "Sounds good."
    assert quoted.startswith("On Tue") and "> text" in quoted


def test_french_attribution_wrapped_over_two_lines():
    text = "Non merci.\n\nLe mar. 3 mars 2026 à 10:02, Julie Martin <\njulie@acme.fr> a écrit :\n> Bonjour"
    new, quoted, _ = split_reply(text)
    assert new == "Non merci."
    assert "a écrit" in quoted


def test_narrow_nbsp_before_colon_is_normalised():
    text = "Oui.\n\nLe 3 mars 2026 à 10:02, Julie <j@x.fr> a écrit\u202f:\n> démo ?"
    new, quoted, _ = split_reply(text)
    assert new == "Oui."
    assert "\u202f" not in quoted


def test_outlook_blocks_en_and_fr():
    for header in (
        "-----Original Message-----\nFrom: Sam\nSent: Monday\nTo: Lead\nSubject: demo",
        "________________________________\nDe : Sam\nEnvoyé : lundi\nÀ : Lead\nObjet : démo",
        "From: Sam Ortiz <sam@x.io>\nSent: Monday, March 2, 2026 9:14 AM\nTo: Lead\nSubject: budget",
        "----- Mail original -----\nDe: \"Sam\" <sam@x.io>\nÀ: lead\nEnvoyé: Mardi\nObjet: démo",
        "De : Sam <sam@x.fr>\nEnvoyé : lundi 2 mars 2026 09:14\nÀ : Lead\nObjet : démo",
    ):
        new, quoted, _ = split_reply(f"Please remove me.\n\n{header}\n\nHi, budget? unsubscribe here")
        assert new == "Please remove me.", header
        assert "budget" in quoted


def test_bottom_posted_reply_keeps_new_text_after_quote():
    text = "Le lun. 15 juin 2026 à 10:02, Léa <l@x.fr> a écrit :\n> Une démo ?\n> Budget ?\n\nOui, vendredi 14h.\n\nThomas"
    new, quoted, _ = split_reply(text)
    assert "Oui, vendredi 14h." in new
    assert "Budget" not in new and "Budget" in quoted


def test_unprefixed_quote_after_attribution_runs_to_end():
    new, quoted, _ = split_reply("No.\n\nOn Mon, 2 Mar 2026, Sam <s@x.io> wrote:\n\nHi, a demo?\nSam")
    assert new == "No."
    assert "a demo" in quoted


def test_signatures_and_mobile_footers():
    new, _, sig = split_reply("Ok pour jeudi.\n\nCordialement,\nJean Dupont\nDirecteur")
    assert new == "Ok pour jeudi." and sig.startswith("Cordialement")
    new, _, sig = split_reply("Yes please.\n\nSent from my iPhone")
    assert new == "Yes please." and "iPhone" in sig
    new, _, sig = split_reply("Non merci.\n-- \nJean")
    assert new == "Non merci."


def test_newsletter_footer_is_signature_not_request():
    text = ("Yes, Thursday 9:30 works.\n\nShauna\nGet our tips - unsubscribe any time from the link in each email.")
    new, _, sig = split_reply(text)
    assert "unsubscribe" not in new.lower()
    assert "unsubscribe" in sig


def test_request_mentioning_a_link_stays_new_text():
    new, _, _ = split_reply("Please unsubscribe me, the link in your footer does not work.")
    assert "unsubscribe me" in new


def test_trailing_name_block_is_signature():
    new, _, sig = split_reply("Ça ne nous intéresse pas.\n\nKarim Haddou\nHaddou Déménagements")
    assert new == "Ça ne nous intéresse pas." and "Déménagements" in sig


def test_disclaimer_cut_but_automatic_notice_kept():
    new, _, sig = split_reply("No budget.\n\nThis email and any attachments are confidential.")
    assert new == "No budget." and "confidential" in sig
    new, _, _ = split_reply("Ce message est généré automatiquement : l'adresse n'est plus active.")
    assert "n'est plus active" in new


def test_every_line_lands_somewhere_and_hostile_text():
    assert split_reply("") == ("", "", "")
    assert normalise_text("a\r\nb\x00\x1b[31m\u00a0c") == "a\nb[31m c"
    huge = "x" * 200_000 + "\nOn Mon, Sam <s@x> wrote:\n> y"
    new, quoted, _ = split_reply(huge)
    assert len(new) == 200_000 and quoted.endswith("> y")
