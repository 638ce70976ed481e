from datetime import date

import pytest

from triage.dates import find_revisit, parse_when

TODAY = date(2026, 6, 10)  # a Wednesday


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("+90d", date(2026, 9, 8)),
        ("+2w", date(2026, 6, 24)),
        ("+3m", date(2026, 9, 10)),
        ("2026-09-15", date(2026, 9, 15)),
        ("15/09", date(2026, 9, 15)),
        ("15/09/2027", date(2027, 9, 15)),
        ("15.09.2026", date(2026, 9, 15)),
        ("septembre", date(2026, 9, 1)),
        ("en septembre 2027", date(2027, 9, 1)),
        ("March", date(2027, 3, 1)),  # past month -> next year
        ("in May", date(2027, 5, 1)),
        ("Q3", date(2026, 7, 1)),
        ("Q2", date(2027, 4, 1)),  # Q2 has started -> next year's
        ("T3 2027", date(2027, 7, 1)),
        ("next year", date(2027, 1, 1)),
        ("l'année prochaine", date(2027, 1, 1)),
        ("early next year", date(2027, 1, 1)),
        ("dans 3 mois", date(2026, 9, 10)),
        ("dans six mois", date(2026, 12, 10)),
        ("in two weeks", date(2026, 6, 24)),
        ("in a month", date(2026, 7, 10)),
        ("after 15 September", date(2026, 9, 15)),
        ("à partir du 3 janvier", date(2027, 1, 3)),
        ("lundi 23 novembre", date(2026, 11, 23)),
        ("September 15th", date(2026, 9, 15)),
        ("mid-October", date(2026, 10, 15)),
        ("fin septembre", date(2026, 9, 30)),
        ("début octobre", date(2026, 10, 1)),
        ("next month", date(2026, 7, 1)),
        ("next quarter", date(2026, 7, 1)),
        ("next week", date(2026, 6, 15)),
        ("après la rentrée", date(2026, 9, 1)),
        ("demain", date(2026, 6, 11)),
        ("friday", date(2026, 6, 12)),
        ("in 2027", date(2027, 1, 1)),
    ],
)
def test_parse_when(phrase, expected):
    assert parse_when(phrase, TODAY) == expected


@pytest.mark.parametrize("phrase", ["", "   ", "no idea", "the budget", "42"])
def test_parse_when_not_a_date(phrase):
    assert parse_when(phrase, TODAY) is None


def test_month_end_clamping():
    assert parse_when("in 1 month", date(2026, 1, 31)) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("text", "sent", "context", "expected"),
    [
        ("I'm out until Friday 6 February, returning on Monday 9 February.", date(2026, 2, 2), "ooo", date(2026, 2, 9)),
        ("On holiday, back Monday the 26th.", date(2026, 10, 14), "ooo", date(2026, 10, 26)),
        ("Je suis absente jusqu'au 9 janvier inclus, de retour le lundi 12 janvier.", date(2026, 1, 6), "ooo", date(2026, 1, 12)),
        ("Je suis en vacances, je rentre le 24 août.", date(2026, 8, 5), "ooo", date(2026, 8, 24)),
        ("Out of the office until Monday 24 August.", date(2026, 8, 14), "ooo", date(2026, 8, 24)),
        ("Back on 5 January.", date(2025, 12, 22), "ooo", date(2026, 1, 5)),  # year rolls over
        ("Hit me up in January.", date(2026, 7, 31), None, date(2027, 1, 1)),
        ("Check back in 3 months.", date(2026, 2, 11), None, date(2026, 5, 11)),
        ("Ping me again in Q4.", date(2026, 4, 21), None, date(2026, 10, 1)),
        ("Revenez vers moi après le 15 septembre.", date(2026, 6, 10), None, date(2026, 9, 15)),
        ("N'hésitez pas à me recontacter dans six mois.", date(2026, 9, 29), None, date(2027, 3, 29)),
        ("Engagés jusqu'en mars 2027. Recontactez-moi en janvier 2027.", date(2026, 3, 25), None, date(2027, 1, 1)),
        ("Reach out again next year.", date(2026, 10, 20), None, date(2027, 1, 1)),
    ],
)
def test_find_revisit(text, sent, context, expected):
    assert find_revisit(text, sent, context=context) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We signed with Heapwise in March, so we're set.",  # a past date, no cue
        "After a rough first quarter all spend is frozen.",  # 'after' far from a date
        "Budget frozen until further notice, maybe later in the year.",
        "Our contract runs until March 2027.",  # a bare 'until' in a decline is no revisit
        "",
    ],
)
def test_find_revisit_none(text):
    assert find_revisit(text, date(2026, 4, 28)) is None
