"""Bounce notices as real MTAs write them (Postfix, Exim, Gmail, Exchange, qmail, French ISP).

Each function returns the raw bytes of the notice for a failed `rcpt`, quoting the original
message's headers (`orig_*`), as the MTA of our outbound server (or the recipient's) would.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime


def _orig_headers(orig_from: str, rcpt: str, subject: str, msgid: str, at: datetime) -> str:
    return (
        f"From: {orig_from}\r\nTo: {rcpt}\r\nSubject: {subject}\r\n"
        f"Date: {format_datetime(at)}\r\nMessage-ID: <{msgid}>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
    )


def postfix(rcpt, orig_from, subject, msgid, at, sent_at, notice_id, boundary) -> bytes:
    host = "mail.acme-sales.io"
    return (
        f"Return-Path: <>\r\nDate: {format_datetime(at)}\r\n"
        f"From: MAILER-DAEMON@{host} (Mail Delivery System)\r\n"
        f"Subject: Undelivered Mail Returned to Sender\r\nTo: {orig_from}\r\n"
        "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"{boundary}\"\r\n"
        f"Content-Transfer-Encoding: 7bit\r\nMessage-Id: <{notice_id}@{host}>\r\n\r\n"
        "This is a MIME-encapsulated message.\r\n\r\n"
        f"--{boundary}\r\nContent-Description: Notification\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        f"This is the mail system at host {host}.\r\n\r\n"
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients. It's attached below.\r\n\r\n"
        "For further assistance, please send mail to postmaster.\r\n\r\n"
        "                   The mail system\r\n\r\n"
        f"<{rcpt}>: host mx1.{rcpt.split('@')[1]}[203.0.113.25] said: 550 5.1.1\r\n"
        f"    <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox\r\n"
        "    table (in reply to RCPT TO command)\r\n\r\n"
        f"--{boundary}\r\nContent-Description: Delivery report\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        f"Reporting-MTA: dns; {host}\r\nX-Postfix-Queue-ID: 4Q{notice_id[:8].upper()}\r\n"
        f"X-Postfix-Sender: rfc822; {orig_from}\r\nArrival-Date: {format_datetime(sent_at)}\r\n\r\n"
        f"Final-Recipient: rfc822; {rcpt}\r\nOriginal-Recipient: rfc822;{rcpt}\r\n"
        "Action: failed\r\nStatus: 5.1.1\r\n"
        f"Remote-MTA: dns; mx1.{rcpt.split('@')[1]}\r\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <{rcpt}>: Recipient address rejected: User\r\n"
        "    unknown in virtual mailbox table\r\n\r\n"
        f"--{boundary}\r\nContent-Description: Undelivered Message Headers\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        + _orig_headers(orig_from, rcpt, subject, msgid, sent_at)
        + f"\r\n--{boundary}--\r\n"
    ).encode("utf-8")


def exim(rcpt, orig_from, subject, msgid, at, sent_at, notice_id, boundary) -> bytes:
    host = "smtp.acme-sales.io"
    return (
        f"Return-path: <>\r\nFrom: Mail Delivery System <Mailer-Daemon@{host}>\r\n"
        f"To: {orig_from}\r\nX-Failed-Recipients: {rcpt}\r\nAuto-Submitted: auto-replied\r\n"
        "Subject: Mail delivery failed: returning message to sender\r\n"
        f"Message-Id: <E1{notice_id[:14]}-000Abc-7Q@{host}>\r\nDate: {format_datetime(at)}\r\n\r\n"
        "This message was created automatically by mail delivery software.\r\n\r\n"
        "A message that you sent could not be delivered to one or more of its\r\n"
        "recipients. This is a permanent error. The following address(es) failed:\r\n\r\n"
        f"  {rcpt}\r\n    host mx.{rcpt.split('@')[1]} [198.51.100.7]\r\n"
        "    SMTP error from remote mail server after RCPT TO:<"
        f"{rcpt}>:\r\n    550 5.1.1 No such user here\r\n\r\n"
        "------ This is a copy of the message, including all the headers. ------\r\n\r\n"
        + _orig_headers(orig_from, rcpt, subject, msgid, sent_at)
        + "\r\nHi,\r\n\r\n(original message body omitted)\r\n"
    ).encode("utf-8")


def gmail(rcpt, orig_from, subject, msgid, at, sent_at, notice_id, boundary) -> bytes:
    return (
        f"Date: {format_datetime(at)}\r\n"
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\r\n"
        f"To: {orig_from}\r\nAuto-Submitted: auto-replied\r\n"
        "Subject: Delivery Status Notification (Failure)\r\n"
        f"Message-ID: <{notice_id}@mx.google.com>\r\nIn-Reply-To: <{msgid}>\r\n"
        f"References: <{msgid}>\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: multipart/report; boundary=\"{boundary}\"; report-type=delivery-status\r\n\r\n"
        f"--{boundary}\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\n\r\n"
        "** Address not found **\r\n\r\n"
        f"Your message wasn't delivered to {rcpt} because the address couldn't be found, or\r\n"
        "is unable to receive mail.\r\n\r\nThe response from the remote server was:\r\n"
        "550 5.1.1 The email account that you tried to reach does not exist.\r\n\r\n"
        f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; googlemail.com\r\n"
        f"Arrival-Date: {format_datetime(sent_at)}\r\n\r\n"
        f"Final-Recipient: rfc822; {rcpt}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does\r\n"
        " not exist.\r\n"
        f"Last-Attempt-Date: {format_datetime(at)}\r\n\r\n"
        f"--{boundary}\r\nContent-Type: message/rfc822\r\n\r\n"
        + _orig_headers(orig_from, rcpt, subject, msgid, sent_at)
        + f"\r\n(original body)\r\n\r\n--{boundary}--\r\n"
    ).encode("utf-8")


def exchange(rcpt, orig_from, subject, msgid, at, sent_at, notice_id, boundary) -> bytes:
    domain = rcpt.split("@")[1]
    return (
        f"From: Microsoft Outlook <postmaster@{domain}>\r\nTo: {orig_from}\r\n"
        f"Date: {format_datetime(at)}\r\nSubject: Undeliverable: {subject}\r\n"
        f"Message-ID: <{notice_id}@EUR03-AM5.prod.outlook.com>\r\n"
        f"In-Reply-To: <{msgid}>\r\nReferences: <{msgid}>\r\nAuto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        f"Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"{boundary}\"\r\n\r\n"
        f"--{boundary}\r\nContent-Type: text/plain; charset=\"us-ascii\"\r\n\r\n"
        "Delivery has failed to these recipients or groups:\r\n\r\n"
        f"{rcpt}\r\nThe email address you entered couldn't be found. Please check the\r\n"
        "recipient's email address and try to resend the message.\r\n\r\n"
        "Diagnostic information for administrators:\r\n\r\n"
        f"Generating server: AM5PR03MB{notice_id[:4].upper()}.eurprd03.prod.outlook.com\r\n\r\n"
        f"{rcpt}\r\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound;\r\n"
        "Recipient not found by SMTP address lookup'\r\n\r\n"
        f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns;AM5PR03MB.eurprd03.prod.outlook.com\r\n"
        f"Received-From-MTA: dns;mail.acme-sales.io\r\nArrival-Date: {format_datetime(sent_at)}\r\n\r\n"
        f"Final-Recipient: rfc822;{rcpt}\r\nAction: failed\r\nStatus: 5.1.10\r\n"
        "Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not\r\n"
        " found by SMTP address lookup\r\n\r\n"
        f"--{boundary}\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        + _orig_headers(orig_from, rcpt, subject, msgid, sent_at)
        + f"\r\n--{boundary}--\r\n"
    ).encode("utf-8")


def qmail(rcpt, orig_from, subject, msgid, at, sent_at, notice_id, boundary) -> bytes:
    host = rcpt.split("@")[1]
    return (
        f"Return-Path: <>\r\nDate: {format_datetime(at)}\r\nFrom: MAILER-DAEMON@mail.{host}\r\n"
        f"To: {orig_from}\r\nSubject: failure notice\r\nMessage-ID: <{notice_id}.qmail@mail.{host}>\r\n\r\n"
        f"Hi. This is the qmail-send program at mail.{host}.\r\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\r\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\r\n\r\n"
        f"<{rcpt}>:\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n\r\n"
        "--- Below this line is a copy of the message.\r\n\r\n"
        + _orig_headers(orig_from, rcpt, subject, msgid, sent_at)
        + "\r\n(original body)\r\n"
    ).encode("utf-8")


def french_isp(rcpt, orig_from, subject, msgid, at, sent_at, notice_id, boundary) -> bytes:
    body = (
        "Bonjour,\r\n\r\nVotre message n'a pas pu être distribué au destinataire suivant :\r\n\r\n"
        f"    {rcpt}\r\n    Motif : 552 5.2.2 Mailbox full - la boîte aux lettres du "
        "destinataire est pleine.\r\n\r\nLe serveur a tenté de livrer le message pendant 5 jours, "
        "sans succès.\r\n\r\n--- En-têtes du message d'origine ---\r\n"
        + _orig_headers(orig_from, rcpt, subject, msgid, sent_at)
    )
    head = (
        f"From: Service de messagerie <postmaster@{orig_from.split('@')[1]}>\r\n"
        f"To: {orig_from}\r\nSubject: =?UTF-8?Q?Message_non_distribu=C3=A9?=\r\n"
        f"Date: {format_datetime(at)}\r\nMessage-ID: <{notice_id}@smtp-out.orange-pro.example>\r\n"
        f"In-Reply-To: <{msgid}>\r\nReferences: <{msgid}>\r\nAuto-Submitted: auto-generated\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=\"iso-8859-1\"\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode("ascii") + body.encode("cp1252")


FORMATS = [postfix, exim, gmail, exchange, qmail, french_isp]
