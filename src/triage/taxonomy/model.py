"""Pydantic models of taxonomy.yaml and the cross-reference rules between its parts."""

from __future__ import annotations

from functools import cached_property
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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

Lang = Literal["en", "fr"]
CodeId = Field(pattern=r"^[a-z][a-z0-9_]*$", min_length=2, max_length=40)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Strict):
    """A text in English and French."""

    en: str = Field(min_length=1)
    fr: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


def _check_key(value: str) -> str:
    if len(value) != 1 or not ("a" <= value <= "z"):
        raise ValueError(
            f"key must be one lowercase letter a-z (AZERTY-safe, no digits), got {value!r}"
        )
    if value in RESERVED_KEYS:
        raise ValueError(
            f"key {value!r} is reserved by the app (reserved: {' '.join(sorted(RESERVED_KEYS))})"
        )
    return value


class _Keyed(_Strict):
    key: str

    @field_validator("key")
    @classmethod
    def _valid_key(cls, v: str) -> str:
        return _check_key(v)


class ReferenceProblem(ValueError):
    """A cross-reference error, with the path of the offending value inside the file."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path


class SubReason(_Strict):
    id: str = CodeId
    label: Localized


class Status(_Keyed):
    id: str = CodeId
    label: Localized
    final: bool = False
    requires_reason: bool = False
    set_automatically_by: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _reason_only_on_final(self) -> Status:
        if self.requires_reason and not self.final:
            raise ValueError(
                f"status {self.id!r}: requires_reason is only allowed on a final status "
                "(a reason is optional while the lead is active)"
            )
        return self


class Reason(_Keyed):
    id: str = CodeId
    label: Localized
    definition: Localized
    example: Localized
    sub_reasons: tuple[SubReason, ...] = ()

    @field_validator("label")
    @classmethod
    def _no_bundled_label(cls, v: Localized) -> Localized:
        for text in (v.en, v.fr):
            if "/" in text and " / " not in text:
                raise ValueError(f"bundled label {text!r}: one code, one reason (no 'Timing/Budget')")
        return v

    def sub_reason(self, sub_id: str) -> SubReason | None:
        return next((s for s in self.sub_reasons if s.id == sub_id), None)


class ReplyClass(_Strict):
    id: ReplyClassId
    label: Localized
    status: str
    reason: str | None = None


class RetiredCode(_Strict):
    id: str = CodeId
    label: Localized
    merged_into: str
    retired_in: str | None = None


class Taxonomy(_Strict):
    version: str = Field(min_length=1)
    statuses: tuple[Status, ...] = Field(min_length=1)
    reasons: tuple[Reason, ...] = Field(min_length=6, max_length=12)
    reply_classes: tuple[ReplyClass, ...]
    retired: tuple[RetiredCode, ...] = ()

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, v: object) -> object:
        return str(v) if isinstance(v, (int, float)) else v

    @model_validator(mode="after")
    def _cross_references(self) -> Taxonomy:
        _unique("statuses", "status id", [s.id for s in self.statuses])
        _unique("reasons", "reason id", [r.id for r in self.reasons])
        _unique("reply_classes", "reply class", [c.id for c in self.reply_classes])
        active = {r.id for r in self.reasons}
        for i, old in enumerate(self.retired):
            if old.id in active:
                raise ReferenceProblem(
                    ("retired", i, "id"), f"retired code {old.id!r} is also an active reason"
                )
        seen: dict[str, str] = {}
        for part, items in (("statuses", self.statuses), ("reasons", self.reasons)):
            for i, item in enumerate(items):
                owner = f"{part[:-1] if part == 'reasons' else 'status'} {item.id!r}"
                if item.key in seen:
                    raise ReferenceProblem(
                        (part, i, "key"),
                        f"key {item.key!r} is used twice: by {seen[item.key]} and by {owner}",
                    )
                seen[item.key] = owner
        for i, r in enumerate(self.reasons):
            _unique(("reasons", i, "sub_reasons"), "sub-reason", [s.id for s in r.sub_reasons])
        missing = set(REPLY_CLASS_IDS) - {c.id for c in self.reply_classes}
        if missing:
            raise ReferenceProblem(
                ("reply_classes",), f"reply_classes is missing: {', '.join(sorted(missing))}"
            )
        status_ids = {s.id for s in self.statuses}
        for i, c in enumerate(self.reply_classes):
            if c.status not in status_ids:
                raise ReferenceProblem(
                    ("reply_classes", i, "status"),
                    f"reply class {c.id!r} suggests unknown status {c.status!r}",
                )
            if c.reason is not None and c.reason not in active:
                raise ReferenceProblem(
                    ("reply_classes", i, "reason"),
                    f"reply class {c.id!r} suggests unknown reason {c.reason!r}",
                )
        for i, s in enumerate(self.statuses):
            for cls_id in s.set_automatically_by:
                where = ("statuses", i, "set_automatically_by")
                if cls_id not in REPLY_CLASS_IDS:
                    raise ReferenceProblem(where, f"status {s.id!r}: unknown reply class {cls_id!r}")
                suggested = self.reply_class(cls_id).status
                if suggested != s.id:
                    raise ReferenceProblem(
                        where,
                        f"status {s.id!r} is set automatically by {cls_id!r}, "
                        f"but that reply class suggests {suggested!r}",
                    )
        for i, old in enumerate(self.retired):
            if old.merged_into not in active:
                raise ReferenceProblem(
                    ("retired", i, "merged_into"),
                    f"retired code {old.id!r} is merged into {old.merged_into!r}, "
                    "which is not an active reason",
                )
        return self

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


def _unique(part: str | tuple[str | int, ...], what: str, values: list[str]) -> None:
    base = (part,) if isinstance(part, str) else part
    seen: set[str] = set()
    for i, v in enumerate(values):
        if v in seen:
            raise ReferenceProblem((*base, i, "id"), f"duplicate {what} {v!r}")
        seen.add(v)
