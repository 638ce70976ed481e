"""What an import did: counts, and a reason for every item skipped or refused."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ItemNote:
    source: str  # "file.csv#12", "box.mbox#3", "/path/to/reply.eml"
    reason: str


@dataclass
class ImportReport:
    imported: int = 0
    skipped: int = 0
    skipped_items: list[ItemNote] = field(default_factory=list)
    errors: list[ItemNote] = field(default_factory=list)
    warnings: list[ItemNote] = field(default_factory=list)
    leads_created: int = 0
    messages: int = 0
    classifications: int = 0
    decisions: int = 0
    undos: int = 0

    def ok(self, n: int = 1) -> None:
        self.imported += n

    def skip(self, source: str, reason: str) -> None:
        self.skipped += 1
        self.skipped_items.append(ItemNote(source, reason))

    def error(self, source: str, reason: str) -> None:
        self.errors.append(ItemNote(source, reason))

    def warn(self, source: str, reason: str) -> None:
        self.warnings.append(ItemNote(source, reason))

    def merge(self, other: ImportReport) -> None:
        for name in (
            "imported", "skipped", "leads_created", "messages", "classifications",
            "decisions", "undos",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped_items += other.skipped_items
        self.errors += other.errors
        self.warnings += other.warnings

    def summary_line(self) -> str:
        return (
            f"imported {self.imported}, skipped {self.skipped}, errors {len(self.errors)}"
            f" (new leads {self.leads_created}, messages {self.messages},"
            f" classifications {self.classifications}, decisions {self.decisions},"
            f" undos {self.undos})"
        )

    def as_dict(self) -> dict:
        return {
            "imported": self.imported,
            "skipped": self.skipped,
            "errors": len(self.errors),
            "leads_created": self.leads_created,
            "messages": self.messages,
            "classifications": self.classifications,
            "decisions": self.decisions,
            "undos": self.undos,
        }
