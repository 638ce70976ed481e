"""Raw message builders for importer tests (bytes as mail clients and MTAs write them)."""

from __future__ import annotations


def raw_mail(
    *,
    frm: str = "Lea Dubois <lea@client.fr>",
    to: str = "Julie Martin <julie@acme-sales.io>",
    subject: str = "Re: Relay",
    msgid: str = "reply-1@client.fr",
    in_reply_to: str | None = None,
    date: str = "Mon, 09 Nov 2026 10:00:00 +0100",
    ctype: str = "text/plain; charset=utf-8",
    cte: str = "8bit",
    body: bytes = b"Bonjour, oui pourquoi pas.\n",
    extra: str = "",
) -> bytes:
    head = (
        f"From: {frm}\nTo: {to}\nSubject: {subject}\nDate: {date}\nMessage-ID: <{msgid}>\n"
        + (f"In-Reply-To: <{in_reply_to}>\nReferences: <{in_reply_to}>\n" if in_reply_to else "")
        + extra
        + f"MIME-Version: 1.0\nContent-Type: {ctype}\nContent-Transfer-Encoding: {cte}\n\n"
    )
    return head.encode("utf-8", "surrogateescape") + body


def outbound(msgid: str = "out-1@acme-sales.io", to: str = "lea@client.fr") -> bytes:
    return raw_mail(
        frm="Julie Martin <julie@acme-sales.io>", to=f"Lea Dubois <{to}>",
        subject="Relay", msgid=msgid, date="Fri, 06 Nov 2026 09:00:00 +0100",
        body=b"Hello, 15 minutes next week?\n",
    )


DSN = b"""From: MAILER-DAEMON@mail.acme-sales.io (Mail Delivery System)
To: julie@acme-sales.io
Subject: Undelivered Mail Returned to Sender
Date: Fri, 06 Nov 2026 09:01:00 +0100
Message-Id: <dsn-1@mail.acme-sales.io>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BB"

--BB
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<gone@client.fr>: host mx.client.fr said: 550 5.1.1 User unknown

--BB
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.acme-sales.io

Final-Recipient: rfc822; gone@client.fr
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--BB
Content-Type: text/rfc822-headers

From: Julie Martin <julie@acme-sales.io>
To: gone@client.fr
Subject: Relay
Message-ID: <out-gone@acme-sales.io>

--BB--
"""
