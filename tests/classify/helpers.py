"""Build small messages for classifier tests."""

from __future__ import annotations

from email.message import EmailMessage

from triage.mail.parse import ParsedMail, parse_bytes

QUOTE_EN = (
    "\n\nOn Mon, 2 Mar 2026 at 10:02, Sam Ortiz <sam@routelane.io> wrote:\n"
    "> Would a 15-minute demo make sense? We fit any budget.\n"
    "> To unsubscribe, reply STOP.\n"
)
QUOTE_FR = (
    "\n\nLe lun. 2 mars 2026 à 10:02, Léa Garnier <lea@plannix.fr> a écrit :\n"
    "> Auriez-vous 15 minutes pour une démo ? Budget à partir de 29 €.\n"
    "> Pour vous désinscrire, répondez STOP.\n"
)


def mail(
    body: str,
    *,
    subject: str = "Re: Scheduling",
    date: str = "Wed, 04 Mar 2026 10:00:00 +0000",
    headers: dict[str, str] | None = None,
    sender: str = "Lead <lead@example.com>",
    html: bool = False,
    quote: str = "",
) -> ParsedMail:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "sam@routelane.io"
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = "<t-1@example.com>"
    for k, v in (headers or {}).items():
        msg[k] = v
    if html:
        msg.set_content(f"<html><body><p>{body}</p></body></html>", subtype="html")
    else:
        msg.set_content(body + quote)
    return parse_bytes(msg.as_bytes())
