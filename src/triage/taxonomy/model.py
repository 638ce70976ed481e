"""The taxonomy as the app uses it: frozen dataclasses with lookups, no validation.

The rules of taxonomy.yaml (field formats, keys, cross-references) live in schema.py, which
needs pydantic; these objects are built from data the schema has validated — just now, or on
an earlier start with the same file (load.py) — so a start with an unchanged taxonomy imports
neither pydantic nor PyYAML for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, get_args

#: Letters the queue screen uses for itself (navigation, note, revisit, undo, pickers, help).
RESERVED_KEYS = frozenset("jkavzsh")

ReplyClassId = Literal[
    "interested",
    "info_request",
    "not_interested",
    "out_of_office",
    "bounce",
    "unsubscribe",
    "wrong_person",
]
REPLY_CLASS_IDS: tuple[str, ...] = get_args(ReplyClassId)


class ReferenceProblem(ValueError):
    """A cross-reference error, with the path of the offending value inside the file."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path



@dataclass(frozen=True, kw_only=True)
class Localized:
    """A text in English and French."""

    en: str
    fr: str

    def get(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True, kw_only=True)
class SubReason:
    """A finer reason under a reason code."""

    id: str
    label: Localized


@dataclass(frozen=True, kw_only=True)
class Status:
    """A lead status; a final one may require a reason."""

    id: str
    key: str
    label: Localized
    final: bool = False
    requires_reason: bool = False
    set_automatically_by: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Reason:
    """A reason code, with its key, definition and example."""

    id: str
    key: str
    label: Localized
    definition: Localized
    example: Localized
    sub_reasons: tuple[SubReason, ...] = ()

    def sub_reason(self, sub_id: str) -> SubReason | None:
        return next((s for s in self.sub_reasons if s.id == sub_id), None)


@dataclass(frozen=True, kw_only=True)
class ReplyClass:
    """A class of reply and the status (and reason) it suggests."""

    id: ReplyClassId
    label: Localized
    status: str
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class RetiredCode:
    """A reason code no longer offered, reported under `merged_into`."""

    id: str
    label: Localized
    merged_into: str
    retired_in: str | None = None


@dataclass(frozen=True, kw_only=True)
class Taxonomy:
    """Statuses, reason codes, reply classes and retired codes, with lookups."""

    version: str
    statuses: tuple[Status, ...]
    reasons: tuple[Reason, ...]
    reply_classes: tuple[ReplyClass, ...]
    retired: tuple[RetiredCode, ...] = ()

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Taxonomy:
        """The taxonomy of validated JSON data (schema.validated); TypeError, KeyError or
        AttributeError when the data does not have that shape."""

        def loc(d: dict[str, Any]) -> Localized:
            return Localized(**d)

        def labelled(kind: type, d: dict[str, Any], *texts: str) -> Any:
            return kind(**{**d, **{t: loc(d[t]) for t in ("label", *texts)}})

        return cls(
            version=data["version"],
            statuses=tuple(
                labelled(Status, {**s, "set_automatically_by": tuple(s["set_automatically_by"])})
                for s in data["statuses"]
            ),
            reasons=tuple(
                labelled(
                    Reason,
                    {**r, "sub_reasons": tuple(labelled(SubReason, x) for x in r["sub_reasons"])},
                    "definition",
                    "example",
                )
                for r in data["reasons"]
            ),
            reply_classes=tuple(labelled(ReplyClass, c) for c in data["reply_classes"]),
            retired=tuple(labelled(RetiredCode, o) for o in data["retired"]),
        )

    # -- lookups -------------------------------------------------------------------------
    @cached_property
    def _reasons(self) -> dict[str, Reason]:
        return {r.id: r for r in self.reasons}

    @cached_property
    def _statuses(self) -> dict[str, Status]:
        return {s.id: s for s in self.statuses}

    def reason(self, reason_id: str) -> Reason:
        return self._reasons[reason_id]

    def status(self, status_id: str) -> Status:
        return self._statuses[status_id]

    def reply_class(self, class_id: str) -> ReplyClass:
        return next(c for c in self.reply_classes if c.id == class_id)

    def has_reason(self, reason_id: str) -> bool:
        return reason_id in self._reasons

    def has_status(self, status_id: str) -> bool:
        return status_id in self._statuses

    def reason_by_key(self, key: str) -> Reason | None:
        return next((r for r in self.reasons if r.key == key), None)

    def status_by_key(self, key: str) -> Status | None:
        return next((s for s in self.statuses if s.key == key), None)

    def canonical_reason(self, reason_id: str | None) -> str | None:
        """Map a reason recorded under any version to the code it is reported under today."""
        if reason_id is None or reason_id in self._reasons:
            return reason_id
        seen = set()
        current = reason_id
        while current not in self._reasons:
            old = next((o for o in self.retired if o.id == current), None)
            if old is None or current in seen:
                return reason_id  # unknown code: reported as itself, never dropped
            seen.add(current)
            current = old.merged_into
        return current

    def reason_label(self, reason_id: str | None, lang: str = "en") -> str:
        if reason_id is None:
            return "—"
        if reason_id in self._reasons:
            return self._reasons[reason_id].label.get(lang)
        old = next((o for o in self.retired if o.id == reason_id), None)
        return old.label.get(lang) if old else reason_id

    def status_label(self, status_id: str | None, lang: str = "en") -> str:
        if status_id is None:
            return "—"
        s = self._statuses.get(status_id)
        return s.label.get(lang) if s else status_id
