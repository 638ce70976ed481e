"""Import mail (.eml, .mbox, Maildir, folders) into the store, one transaction per message.

For each message: parse, decide direction (ours → out), find the lead (thread first:
In-Reply-To / References; then the address; bounces by failed recipient and original
Message-ID), store it once (keyed by Message-ID), classify it when inbound.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from email.parser import BytesHeaderParser
from pathlib import Path

from triage.ingest.batches import in_batches
from triage.ingest.bounces import failed_recipients, looks_like_bounce, original_message_ids
from triage.ingest.identity import Identity, hub_addresses
from triage.ingest.report import ImportReport
from triage.mail.parse import (
    _MSGID_RE,
    MailParseError,
    ParsedMail,
    _addresses,
    _header,
    parse_bytes,
)
from triage.mail.sources import MailSourceError, RawMail, iter_mail_files
from triage.store import Store

Progress = Callable[[int], None]  # called with the number of items just processed
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Outlook .msg, old Office files


def scan_headers(raws: Iterable[RawMail]) -> Iterator[tuple[str, str, list[str], list[str]]]:
    """(Message-ID, from, recipients, answered Message-IDs) of each message; headers only."""
    parser = BytesHeaderParser()
    for raw in raws:
        try:
            head = parser.parsebytes(raw.data, headersonly=True)
        except Exception:
            continue
        warnings: list[str] = []
        sender = [a for _, a in _addresses(_header(head, "from", warnings))]
        rcpts = [a for h in ("to", "cc") for _, a in _addresses(_header(head, h, warnings))]
        msgid = _MSGID_RE.findall(_header(head, "message-id", warnings))
        parents = _MSGID_RE.findall(
            _header(head, "in-reply-to", warnings) + " " + _header(head, "references", warnings)
        )
        yield (msgid[0] if msgid else "", sender[0] if sender else "", rcpts, parents)


def batch_identity(headers: Iterable[tuple[str, str, list[str], list[str]]]) -> set[str]:
    """Our addresses as the batch shows them, when settings name none:
    - hubs: an address corresponding with several others (an SDR writes to many leads);
    - the sender of a thread's first message when that message's recipient answered it
      (our address is the one that appears as a recipient of the lead's replies).
    """
    headers = list(headers)
    hubs = hub_addresses((frm, rcpts) for _, frm, rcpts, _ in headers)
    by_id = {mid: (frm, rcpts, parents) for mid, frm, rcpts, parents in headers if mid}
    ours = set(hubs)
    for _mid, frm, _rcpts, parents in headers:
        if not parents or frm in hubs:
            continue
        root = by_id.get(parents[0])
        if root is None or root[2]:  # unknown, or not the first message of its thread
            continue
        root_from, root_rcpts, _ = root
        if frm in root_rcpts and root_from and root_from != frm:
            ours.add(root_from)
    return ours


def relative_source(source: str, root: Path) -> str:
    """'/tmp/x/bounces/a.eml' -> 'bounces/a.eml' when root is /tmp/x (demo sources)."""
    prefix = str(root).rstrip("/\\") + "/"
    return source[len(prefix):] if source.startswith(prefix) else source


class MailImporter:
    def __init__(
        self,
        store: Store,
        identity: Identity | None = None,
        report: ImportReport | None = None,
        classify: Callable | None = None,
        source_root: Path | None = None,
    ) -> None:
        self.store = store
        self.source_root = source_root
        self.identity = identity or Identity()
        self.report = report or ImportReport()
        if classify is None:
            from triage.classify import classify as classify_fn

            classify = classify_fn
        self.classify = classify
        from triage.classify import CLASSIFIER_VERSION

        self.classifier_version = CLASSIFIER_VERSION
        # addresses this database has already seen sending outbound mail
        self.identity.learn(
            r["from_addr"]
            for r in store.all("SELECT DISTINCT from_addr FROM messages WHERE direction = 'out'")
        )

    # -- sources ----------------------------------------------------------------------------

    def import_paths(self, paths: Iterable[str | Path], progress: Progress | None = None) -> int:
        """Import every message under `paths`; returns how many messages were seen."""
        paths = list(paths)
        if not self.identity.configured:
            self.identity.learn(batch_identity(scan_headers(self._iter(paths))))
        seen = 0
        for raw in in_batches(self.store, self._iter(paths)):
            self.import_raw(raw)
            seen += 1
            if progress:
                progress(1)
        return seen

    def count(self, paths: Iterable[str | Path]) -> int:
        return sum(1 for _ in self._iter(list(paths)))

    def _iter(self, paths: list[str | Path]) -> Iterator[RawMail]:
        for path in paths:
            try:
                yield from iter_mail_files(path)
            except MailSourceError as exc:
                self.report.error(str(path), str(exc))
            except Exception as exc:  # an unreadable mbox/Maildir: report, go on
                self.report.error(str(path), f"cannot read mail source: {exc}")

    # -- one message ------------------------------------------------------------------------

    def import_raw(self, raw: RawMail) -> bool:
        """Import one message; returns True when it added a row. Never raises for bad input."""
        if self.source_root is not None:
            raw = RawMail(relative_source(raw.source, self.source_root), raw.data)
        if raw.data.startswith(_OLE_MAGIC):
            self.report.error(raw.source, "an Outlook .msg (OLE) file: save it as .eml first")
            return False
        try:
            mail = parse_bytes(raw.data)
            if mail.message is not None and not mail.message.keys():
                raise MailParseError("no mail headers: not an email message")
        except MailParseError as exc:
            self.report.error(raw.source, str(exc))
            return False
        except Exception as exc:  # the stdlib parser is lenient; anything else is hostile input
            self.report.error(raw.source, f"unreadable message: {type(exc).__name__}: {exc}")
            return False
        return self.import_mail(mail, raw.source)

    def import_mail(self, mail: ParsedMail, source: str) -> bool:
        if self.store.message_pk(mail.message_id) is not None:
            self.report.skip(source, f"already imported (Message-ID <{mail.message_id}>)")
            return False
        counters = ("messages", "leads_created", "classifications")
        saved = [getattr(self.report, name) for name in counters]
        try:
            with self.store.write():
                created = self._store_mail(mail, source)
        except Exception as exc:  # rolled back as a whole: nothing half-written
            for name, value in zip(counters, saved):  # nor half-counted
                setattr(self.report, name, value)
            self.report.error(source, f"not imported: {type(exc).__name__}: {exc}")
            return False
        for w in mail.warnings:
            self.report.warn(source, w)
        if created:
            self.report.ok()
        return created

    def _store_mail(self, mail: ParsedMail, source: str) -> bool:
        bounce = looks_like_bounce(mail)
        direction = "in" if bounce else self.direction(mail)
        lead_id = self._lead_for(mail, direction, bounce, source)
        pk, created = self.store.add_message(mail, lead_id, direction, source=source)
        if not created:
            return False
        self.report.messages += 1
        if direction == "out":
            self.identity.learn([mail.from_addr])
        else:
            result = self.classify(mail, self.store.taxonomy)
            data = result.as_json_dict() if hasattr(result, "as_json_dict") else dict(result)
            self.store.add_classification(pk, data, self.classifier_version)
            self.report.classifications += 1
        return True

    def direction(self, mail: ParsedMail) -> str:
        ident = self.identity
        if mail.from_addr and ident.is_ours(mail.from_addr):
            return "out"
        if ident.configured or any(ident.is_ours(a) for a in mail.to_addrs):
            return "in"
        parent = self._parent(mail)
        if parent is not None and mail.from_addr in json.loads(parent["to_addrs"] or "[]"):
            # the sender was a recipient of the message it answers: the other side spoke
            return "in" if parent["direction"] == "out" else "out"
        if mail.from_addr and self.store.lead_id_by_email(mail.from_addr) is not None:
            return "in"
        if any(self.store.lead_id_by_email(a) is not None for a in mail.to_addrs):
            return "out"
        return "in"

    def _parent(self, mail: ParsedMail) -> dict | None:
        for mid in mail.thread_ids:
            row = self.store.one(
                "SELECT direction, to_addrs, from_addr, lead_id FROM messages WHERE message_id = ?",
                (mid,),
            )
            if row is not None:
                return row
        return None

    def _lead_for(self, mail: ParsedMail, direction: str, bounce: bool, source: str) -> int | None:
        store = self.store
        if bounce:
            lead_id = store.lead_for_thread(original_message_ids(mail))
            if lead_id is not None:
                return lead_id
            for address in failed_recipients(mail):
                if self.identity.is_ours(address):
                    continue
                return self._lead_by_address(address, "")
            self.report.warn(source, "bounce without an identifiable recipient: kept unlinked")
            return None
        lead_id = store.lead_for_thread(mail.thread_ids)
        if lead_id is not None:
            return lead_id
        if direction == "in":
            if not mail.from_addr:
                return None
            return self._lead_by_address(mail.from_addr, mail.from_name)
        for address in mail.to_addrs:
            if not self.identity.is_ours(address):
                return self._lead_by_address(address, "")
        return None

    def _lead_by_address(self, address: str, name: str) -> int:
        lead_id, created = self.store.upsert_lead({"email": address, "name": name or None})
        if created:
            self.report.leads_created += 1
        return lead_id
