"""Enumerate messages in .eml files, mbox files and Maildir folders, as raw bytes."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAIL_SUFFIXES = {".eml", ".msg", ".txt"}


class MailSourceError(ValueError):
    """A path that is not a readable mail source."""


@dataclass(frozen=True)
class RawMail:
    source: str  # file path, or "path#n" inside an mbox/Maildir
    data: bytes


def is_maildir(path: Path) -> bool:
    return path.is_dir() and all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def looks_like_mbox(path: Path) -> bool:
    if path.suffix.lower() == ".mbox":
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    # old Mac files with CR-only line ends are single messages, not mboxes
    return head.startswith(b"From ") and b"\n" in head


def iter_mail_files(path: str | Path) -> Iterator[RawMail]:
    """Every message under `path`: a .eml file, an mbox file, a Maildir, or a folder of those."""
    path = Path(path)
    if not path.exists():
        raise MailSourceError(f"{path}: no such file or folder")
    if is_maildir(path):
        box = mailbox.Maildir(path, factory=None, create=False)
        for key in sorted(box.iterkeys()):
            yield RawMail(f"{path}#{key}", box.get_bytes(key))
    elif path.is_dir():
        for child in sorted(path.iterdir()):
            if child.name.startswith("."):
                continue
            if child.is_dir() or child.suffix.lower() in MAIL_SUFFIXES | {".mbox"}:
                yield from iter_mail_files(child)
    elif looks_like_mbox(path):
        box = mailbox.mbox(path, factory=None, create=False)
        for i, key in enumerate(box.iterkeys()):
            yield RawMail(f"{path}#{i + 1}", box.get_bytes(key))
    else:
        try:
            yield RawMail(str(path), path.read_bytes())
        except OSError as exc:
            raise MailSourceError(f"{path}: {exc.strerror}") from None
