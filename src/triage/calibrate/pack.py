"""Calibration packs: one JSON file carrying a session to reps on other databases and back.

A pack holds the session, each lead's blind view (profile and thread text: no classification,
no original decision) and the labels made so far. Importing it creates the session if it is
new here and merges its labels: the newer label of a rep on a lead wins, a label already
present is left alone, so importing the same pack twice changes nothing.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from triage.calibrate.sessions import (
    CalibrationError,
    Session,
    blind_sha256,
    check_label,
    get_session,
    items,
    labels,
)
from triage.store import Store

FORMAT = "triage-calibration-pack"
FORMAT_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PackMessage(_Model):
    direction: Literal["in", "out"]
    sent_at: str | None = None
    subject: str = ""
    body: str = ""
    # "from" is a Python keyword: aliased
    from_: str = Field("", alias="from")


class PackBlind(_Model):
    lead: dict[str, str | float | int | None] = {}
    messages: list[PackMessage]


class PackItem(_Model):
    position: int = Field(ge=1)
    lead_ref: int
    blind: PackBlind
    blind_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class PackLabel(_Model):
    position: int = Field(ge=1)
    rep: str = Field(min_length=1, max_length=80, pattern=r"^[^\x00-\x1f\x7f-\x9f]+$")
    primary: str = Field(min_length=1)
    secondary: str | None = None
    labelled_at: datetime
    taxonomy_version: str = ""


class PackSession(_Model):
    uid: str = Field(pattern=r"^[0-9a-f]{8,64}$")
    name: str = Field(min_length=1)
    created_at: datetime
    created_by: str | None = None
    taxonomy_version: str
    seed: int | None = None
    since: str | None = None


class Pack(_Model):
    format: str
    format_version: int
    exported_at: datetime
    session: PackSession
    items: list[PackItem] = Field(min_length=1)
    labels: list[PackLabel] = []


class PackError(CalibrationError):
    """A pack that cannot be imported: the message names the file, the field and why."""


# -- export -------------------------------------------------------------------------------


def build_pack(store: Store, session_id: int, reps: list[str] | None = None,
               with_labels: bool = True) -> dict:
    """The pack as a JSON-ready dict (labels of `reps` only, when given)."""
    s = get_session(store, session_id)
    pack_items = [
        {"position": it["position"], "lead_ref": it["lead_ref"], "blind": it["blind"],
         "blind_sha256": it["blind_sha256"]}
        for it in items(store, session_id)
    ]
    pack_labels = [
        {"position": lab["position"], "rep": lab["rep"], "primary": lab["primary_reason"],
         "secondary": lab["secondary_reason"], "labelled_at": lab["labelled_at"],
         "taxonomy_version": lab["taxonomy_version"]}
        for lab in labels(store, session_id)
        if with_labels and (not reps or lab["rep"] in reps)
    ]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": store.now(),
        "session": {"uid": s.uid, "name": s.name, "created_at": s.created_at,
                    "created_by": s.created_by, "taxonomy_version": s.taxonomy_version,
                    "seed": s.seed, "since": s.since},
        "items": pack_items,
        "labels": pack_labels,
    }


def export_pack(store: Store, session_id: int, path: Path, reps: list[str] | None = None,
                with_labels: bool = True) -> dict:
    pack = build_pack(store, session_id, reps, with_labels)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(pack, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)  # never a half-written pack
    return {"items": len(pack["items"]), "labels": len(pack["labels"])}


# -- import -------------------------------------------------------------------------------


def _where(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def read_pack(path: Path) -> tuple[Pack, dict]:
    """Parse and validate a pack file; PackError says which field is wrong and why."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PackError(f"{path}: not UTF-8 text (byte {exc.start}); is this a pack?") from None
    except json.JSONDecodeError as exc:
        raise PackError(f"{path}: line {exc.lineno}, column {exc.colno}: invalid JSON: "
                        f"{exc.msg} (file truncated or edited?)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        got = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise PackError(f"{path}: format: not a triage calibration pack (format={got!r}, "
                        f"expected {FORMAT!r})")
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise PackError(f"{path}: format_version: {version!r} is not supported (this triage "
                        f"reads version {FORMAT_VERSION}; upgrade triage)")
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in exc.errors()[:5])
        more = f" (+{exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
        raise PackError(f"{path}: {problems}{more}") from None
    positions = [it.position for it in pack.items]
    refs = [it.lead_ref for it in pack.items]
    for i, it in enumerate(pack.items):
        if positions.count(it.position) > 1:
            raise PackError(f"{path}: items[{i}].position: {it.position} appears twice")
        if refs.count(it.lead_ref) > 1:
            raise PackError(f"{path}: items[{i}].lead_ref: lead {it.lead_ref} appears twice")
        # hashed exactly as the exporting database wrote it
        if blind_sha256(data["items"][i]["blind"]) != it.blind_sha256:
            raise PackError(f"{path}: items[{i}].blind_sha256: does not match the lead's "
                            "thread text (pack corrupted or edited)")
    for j, lab in enumerate(pack.labels):
        if lab.position not in positions:
            raise PackError(f"{path}: labels[{j}].position: no item at position {lab.position}")
    return pack, data


def import_pack(store: Store, path: Path) -> dict:
    """Create the session if new, merge labels. One transaction: all or nothing.

    Returns counts: session ('created' or 'existing'), id, added, updated, unchanged, older.
    """
    pack, data = read_pack(path)
    tax = store.taxonomy
    # validate every label first: nothing half-written
    checked = []
    for j, lab in enumerate(pack.labels):
        primary = tax.canonical_reason(lab.primary)
        secondary = tax.canonical_reason(lab.secondary) if lab.secondary else None
        try:
            check_label(tax, primary, secondary)
        except CalibrationError as exc:
            raise PackError(f"{path}: labels[{j}] ({lab.rep}, lead #{lab.position}): {exc}") \
                from None
        checked.append((lab, primary, secondary))
    counts = {"added": 0, "updated": 0, "unchanged": 0, "older": 0}
    with store.write():
        row = store.one("SELECT id FROM calibration_sessions WHERE uid = ?", (pack.session.uid,))
        if row is None:
            session_id = _create_from_pack(store, pack, data)
            counts["session"] = "created"
        else:
            session_id = row["id"]
            _check_same_items(store, session_id, pack, path)
            counts["session"] = "existing"
        item_ids = {r["position"]: r["id"] for r in store.all(
            "SELECT id, position FROM calibration_items WHERE session_id = ?", (session_id,))}
        for lab, primary, secondary in checked:
            at = lab.labelled_at.isoformat(timespec="seconds")
            item_id = item_ids[lab.position]
            mine = store.one("SELECT * FROM calibration_labels WHERE item_id = ? AND rep = ?",
                             (item_id, lab.rep))
            if mine is None:
                store.db.execute(
                    """INSERT INTO calibration_labels (item_id, rep, primary_reason,
                           secondary_reason, labelled_at, taxonomy_version)
                       VALUES (?, ?, ?, ?, ?, ?)""",
                    (item_id, lab.rep, primary, secondary, at,
                     lab.taxonomy_version or tax.version),
                )
                counts["added"] += 1
            elif (mine["primary_reason"], mine["secondary_reason"]) == (primary, secondary):
                counts["unchanged"] += 1
            elif at > mine["labelled_at"]:
                store.db.execute(
                    """UPDATE calibration_labels SET primary_reason = ?, secondary_reason = ?,
                           labelled_at = ?, taxonomy_version = ? WHERE id = ?""",
                    (primary, secondary, at, lab.taxonomy_version or tax.version, mine["id"]),
                )
                counts["updated"] += 1
            else:
                counts["older"] += 1
    counts["id"] = session_id
    counts["taxonomy_version"] = pack.session.taxonomy_version
    return counts


def _create_from_pack(store: Store, pack: Pack, data: dict) -> int:
    s = pack.session
    cur = store.db.execute(
        """INSERT INTO calibration_sessions (uid, name, created_at, created_by, taxonomy_version,
               seed, since, origin) VALUES (?, ?, ?, ?, ?, ?, ?, 'pack')""",
        (s.uid, s.name, s.created_at.isoformat(timespec="seconds"), s.created_by,
         s.taxonomy_version, s.seed, s.since),
    )
    session_id = int(cur.lastrowid)
    for it, raw in zip(pack.items, data["items"]):
        store.db.execute(
            """INSERT INTO calibration_items (session_id, position, lead_ref, blind,
                   blind_sha256) VALUES (?, ?, ?, ?, ?)""",
            (session_id, it.position, it.lead_ref, json.dumps(raw["blind"], ensure_ascii=False),
             it.blind_sha256),
        )
    return session_id


def _check_same_items(store: Store, session_id: int, pack: Pack, path: Path) -> None:
    here = {r["position"]: r["blind_sha256"] for r in store.all(
        "SELECT position, blind_sha256 FROM calibration_items WHERE session_id = ?",
        (session_id,))}
    for i, it in enumerate(pack.items):
        if here.get(it.position) != it.blind_sha256:
            raise PackError(f"{path}: items[{i}]: lead #{it.position} differs from session "
                            f"{pack.session.name!r} in this database (a different session "
                            "with the same uid?)")
    if len(here) != len(pack.items):
        raise PackError(f"{path}: items: the pack has {len(pack.items)} leads, session "
                        f"{pack.session.name!r} here has {len(here)}")


__all__ = ["FORMAT", "FORMAT_VERSION", "PackError", "Session", "build_pack", "export_pack",
           "import_pack", "read_pack"]
