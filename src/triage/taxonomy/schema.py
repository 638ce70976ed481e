"""The rules of taxonomy.yaml as pydantic models: imported only when a file must be validated.

`validated(data)` checks the parsed YAML and gives the taxonomy back as plain JSON data (defaults
filled in, the version as text), which `triage.taxonomy.model.Taxonomy.from_data` turns into
the objects the app uses. A file seen before is not validated again (see load.py), so a start
with an unchanged taxonomy never imports pydantic for it.

The model names are part of some error messages ("... instance of Localized"): keep them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from triage.taxonomy.model import REPLY_CLASS_IDS, RESERVED_KEYS, ReferenceProblem, ReplyClassId

CodeId = Field(pattern=r"^[a-z][a-z0-9_]*$", min_length=2, max_length=40)


class Invalid(Exception):
    """The data breaks the rules: (location inside the file, message) of every problem."""

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
        super().__init__(problems)
        self.problems = problems


def validated(data: object) -> dict:
    """The taxonomy in `data` as JSON data, or Invalid."""
    try:
        return Taxonomy.model_validate(data).model_dump(mode="json")
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc: tuple = tuple(err["loc"])
            cause = (err.get("ctx") or {}).get("error")
            if isinstance(cause, ReferenceProblem):
                loc, message = cause.path, str(cause)
            else:
                message = _humanize(err)
            problems.append((loc, message))
        raise Invalid(problems) from None


def _humanize(err: dict) -> str:
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if err["type"] == "missing":
        return f"missing field {err['loc'][-1]!r}"
    if err["type"] == "extra_forbidden":
        return f"unknown field {err['loc'][-1]!r}"
    return msg


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Strict):
    """A text in English and French."""

    en: str = Field(min_length=1)
    fr: str = Field(min_length=1)


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
        suggests = {c.id: c.status for c in self.reply_classes}
        for i, s in enumerate(self.statuses):
            for cls_id in s.set_automatically_by:
                where = ("statuses", i, "set_automatically_by")
                if cls_id not in REPLY_CLASS_IDS:
                    raise ReferenceProblem(where, f"status {s.id!r}: unknown reply class {cls_id!r}")
                suggested = suggests[cls_id]
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


def _unique(part: str | tuple[str | int, ...], what: str, values: list[str]) -> None:
    base = (part,) if isinstance(part, str) else part
    seen: set[str] = set()
    for i, v in enumerate(values):
        if v in seen:
            raise ReferenceProblem((*base, i, "id"), f"duplicate {what} {v!r}")
        seen.add(v)
