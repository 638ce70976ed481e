"""Reading mail: RFC 5322/MIME bytes to a ParsedMail, mail sources (.eml, .mbox, Maildir)."""

from triage.mail.parse import MailParseError, ParsedMail, parse_bytes
from triage.mail.sources import MailSourceError, iter_mail_files

__all__ = ["MailParseError", "MailSourceError", "ParsedMail", "iter_mail_files", "parse_bytes"]
