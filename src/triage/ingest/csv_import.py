"""Import CSV exports from CRMs and outbound tools: leads, or past decisions.

The encoding is detected (BOM, UTF-8, else charset-normalizer; cp1252 on ties), the delimiter
sniffed (csv.Sniffer over , ; tab |), headers matched against common French and English names
(accents, case and punctuation ignored), `--map COLUMN=field` for the rest. A file whose
header has a decision date is a decisions file (e.g. our own `triage export decisions`).
One transaction per row: a bad row is reported as file#row and skipped.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from triage.ingest.batches import in_batches
from triage.ingest.report import ImportReport
from triage.mail.parse import guess_decode
from triage.store import DecisionIn, Store
from triage.timeutil import iso

Progress = Callable[[int], None]


class CsvFormatError(ValueError):
    """The file as a whole cannot be imported (missing column, bad --map); one clear message."""


LEAD_FIELDS: dict[str, tuple[str, ...]] = {
    "email": ("email", "e-mail", "mail", "courriel", "email address", "adresse email",
              "adresse e-mail", "adresse mail", "adresse courriel", "work email",
              "email professionnel", "lead email", "contact email"),
    "external_id": ("id", "external id", "crm id", "record id", "lead id", "contact id",
                    "identifiant", "id crm", "id externe"),
    "name": ("name", "full name", "nom complet", "contact", "contact name", "lead name",
             "nom et prenom", "prenom nom"),
    "first_name": ("first name", "firstname", "given name", "prenom"),
    "last_name": ("last name", "lastname", "surname", "family name", "nom", "nom de famille"),
    "company": ("company", "company name", "account", "account name", "organization",
                "organisation", "societe", "entreprise", "raison sociale", "compte"),
    "title": ("title", "job title", "position", "role", "poste", "fonction", "intitule de poste",
              "titre"),
    "persona": ("persona", "buyer persona", "profil", "cible"),
    "industry": ("industry", "sector", "vertical", "secteur", "secteur d activite", "industrie"),
    "company_size": ("company size", "size", "employees", "headcount", "number of employees",
                     "taille", "taille entreprise", "taille de l entreprise", "effectif",
                     "effectifs", "nombre de salaries", "tranche d effectif"),
    "channel": ("channel", "source", "lead source", "canal", "origine", "source du lead"),
    "owner": ("owner", "lead owner", "sdr", "rep", "assigned to", "proprietaire", "responsable",
              "commercial"),
    "language": ("language", "lang", "langue", "locale"),
    "fit": ("fit", "score", "fit score", "lead score", "icp fit", "scoring"),
    "segment": ("segment",),
    "last_contacted": ("last contacted", "last contact", "last contacted at", "last email sent",
                       "last touch", "dernier contact", "date dernier contact",
                       "date du dernier contact", "dernier envoi", "derniere relance"),
}
#: Columns of a decisions file (`triage export decisions --format csv` writes these names).
DECISION_FIELDS: dict[str, tuple[str, ...]] = {
    "email": ("lead email", "email", "e-mail", "courriel", "lead"),
    "external_id": ("external id", "lead external id", "crm id"),
    "rep": ("rep", "sdr", "decided by", "commercial", "auteur"),
    "decided_at": ("decided at", "decision date", "date de decision", "decided on", "date"),
    "status": ("status", "statut"),
    "primary_reason": ("primary reason", "reason", "raison", "raison principale", "motif"),
    "secondary_reason": ("secondary reason", "raison secondaire", "motif secondaire"),
    "sub_reason": ("sub reason", "sous raison", "sous motif"),
    "note": ("note", "comment", "commentaire"),
    "revisit_on": ("revisit on", "revisit", "relance le", "date de relance", "a revoir le"),
    "source": ("source",),
    "taxonomy_version": ("taxonomy version",),
    "undone_at": ("undone at", "annule le"),
    "undone_by": ("undone by", "annule par"),
}
REQUIRED_LEAD = ("email", "external_id")  # one of them
REQUIRED_DECISION = ("rep", "decided_at", "status")

_FORMULA_QUOTED = re.compile(r"^'+[=+\-@\t\r]")  # the export adds one ' to each of these


def norm_header(text: str) -> str:
    """'Société ' -> 'societe', 'E-mail_address' -> 'e mail address'."""
    text = unicodedata.normalize("NFKD", text.strip().lstrip("\ufeff"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9@]+", " ", text).strip()
    return text


def _aliases(fields: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, names in fields.items():
        for alias in (name, *names):
            out.setdefault(norm_header(alias), name)
    return out


def decode_csv(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a CSV file's bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"  # may be cut mid-character
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return guess_decode(data), "guessed"


def sniff_dialect(text: str) -> type[csv.Dialect]:
    """The delimiter from csv.Sniffer (, ; tab |); quoting as every spreadsheet writes it
    (the Sniffer's guesses of doublequote/quotechar are unreliable on real exports)."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        counts = {d: first.count(d) for d in ",;\t|"}
        best = max(counts, key=counts.get)
        delimiter = best if counts[best] else ","

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter
    return Dialect


def parse_mapping(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`--map "Adresse pro=email"` -> {"Adresse pro": "email"}; bad syntax is a CsvFormatError."""
    mapping: dict[str, str] = {}
    known = set(LEAD_FIELDS) | set(DECISION_FIELDS)
    for item in items:
        column, sep, target = item.rpartition("=")
        column, target = column.strip(), target.strip().lower()
        if not sep or not column or not target:
            raise CsvFormatError(f"--map {item!r}: expected COLUMN=field, e.g. --map 'Adresse pro=email'")
        if target not in known:
            raise CsvFormatError(
                f"--map {item!r}: unknown field {target!r}; fields: {', '.join(sorted(known))}"
            )
        mapping[column] = target
    return mapping


def _resolve_columns(
    header: list[str], fields: dict[str, tuple[str, ...]], mapping: dict[str, str], path: str
) -> dict[str, int]:
    aliases = _aliases(fields)
    columns: dict[str, int] = {}
    normalised = [norm_header(h) for h in header]
    for column, target in mapping.items():
        if column in header:
            idx = header.index(column)
        elif norm_header(column) in normalised:
            idx = normalised.index(norm_header(column))
        else:
            raise CsvFormatError(
                f"{path}: --map names a column {column!r} that is not in the header "
                f"(columns: {', '.join(header)})"
            )
        columns[target] = idx
    canonical = {norm_header(f): f for f in fields}
    for lookup in (canonical, aliases):  # exact field names first ("external_id" over "id")
        for idx, name in enumerate(normalised):
            target = lookup.get(name)
            if target and target not in columns and idx not in columns.values():
                columns[target] = idx
    return columns


def _accepted(fields: dict[str, tuple[str, ...]], name: str) -> str:
    return ", ".join(dict.fromkeys((name, *fields[name])))


def is_decisions_header(header: list[str]) -> bool:
    names = {norm_header(h) for h in header}
    return bool(names & {"decided at", "decision date", "date de decision"}) and bool(
        names & {"status", "statut"}
    )


class CsvImporter:
    def __init__(
        self, store: Store, report: ImportReport | None = None,
        mapping: dict[str, str] | None = None, source_root: Path | None = None,
    ) -> None:
        self.store = store
        self.source_root = source_root
        self.report = report or ImportReport()
        self.mapping = mapping or {}

    def read(self, path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
        """(header, [(line number, cells), ...]); blank lines skipped, numbers kept."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CsvFormatError(f"{path}: {exc.strerror}") from None
        text, _encoding = decode_csv(data)
        if not text.strip():
            raise CsvFormatError(f"{path}: the file is empty")
        reader = csv.reader(io.StringIO(text.replace("\x00", ""), newline=""), sniff_dialect(text))
        rows: list[tuple[int, list[str]]] = []  # (line number where the row starts, cells)
        try:
            start = 1
            for cells in reader:
                if any(c.strip() for c in cells):
                    rows.append((start, cells))
                start = reader.line_num + 1
        except csv.Error as exc:
            raise CsvFormatError(f"{path}#{reader.line_num}: unreadable CSV: {exc}") from None
        if not rows:
            raise CsvFormatError(f"{path}: no header row")
        return [h.strip() for h in rows[0][1]], rows[1:]

    def inspect(
        self, path: str | Path
    ) -> tuple[str, list[tuple[int, list[str]]], dict[str, int]]:
        """(kind "leads"|"decisions", data rows, field -> column index); CsvFormatError if the
        file cannot be imported as a whole (unreadable, missing column, bad --map)."""
        header, rows = self.read(path)
        path = str(path)
        if is_decisions_header(header) or "decided_at" in self.mapping.values():
            cols = _resolve_columns(header, DECISION_FIELDS, self.mapping, path)
            for name in REQUIRED_DECISION:
                if name not in cols:
                    raise CsvFormatError(
                        f"{path}: no {name} column. Accepted names: "
                        f"{_accepted(DECISION_FIELDS, name)}; columns found: "
                        f"{', '.join(header)}; or name it with --map COLUMN={name}"
                    )
            if "email" not in cols and "external_id" not in cols:
                raise CsvFormatError(
                    f"{path}: no lead email column. Accepted names: "
                    f"{_accepted(DECISION_FIELDS, 'email')}; columns found: {', '.join(header)}"
                )
            return "decisions", rows, cols
        cols = _resolve_columns(header, LEAD_FIELDS, self.mapping, path)
        if not any(f in cols for f in REQUIRED_LEAD):
            raise CsvFormatError(
                f"{path}: no email column. Accepted names: {_accepted(LEAD_FIELDS, 'email')} "
                f"(or an id column: {_accepted(LEAD_FIELDS, 'external_id')}); "
                f"columns found: {', '.join(header) or '(none)'}; "
                "or name it with --map COLUMN=email"
            )
        return "leads", rows, cols

    def import_file(self, path: str | Path, progress: Progress | None = None) -> str:
        kind, rows, cols = self.inspect(path)
        label = str(path)
        if self.source_root is not None:
            from triage.ingest.mail_import import relative_source

            label = relative_source(label, self.source_root)
        if kind == "decisions":
            self._import_decisions(label, rows, cols, progress)
        else:
            self._import_leads(label, rows, cols, progress)
        return kind

    # -- leads ------------------------------------------------------------------------------

    def _import_leads(self, path: str, rows: list[tuple[int, list[str]]], cols: dict[str, int], progress) -> None:
        for n, row in in_batches(self.store, rows):
            source = f"{path}#{n}"
            try:
                fields = self._lead_fields(row, cols)
                contacted = fields.pop("last_contacted", None)
                with self.store.write():
                    lead_id, created = self.store.upsert_lead(fields)
                    touched = contacted is not None and self.store.touch_outbound(
                        lead_id, contacted
                    )
            except (ValueError, TypeError) as exc:
                self.report.error(source, str(exc))
            except Exception as exc:
                self.report.error(source, f"not imported: {type(exc).__name__}: {exc}")
            else:
                if created:
                    self.report.ok()
                    self.report.leads_created += 1
                elif touched:
                    self.report.ok()
                else:
                    self.report.skip(source, "lead already known")
            if progress:
                progress(1)

    def _lead_fields(self, row: list[str], cols: dict[str, int]) -> dict:
        def get(name: str) -> str:
            idx = cols.get(name)
            if idx is None or idx >= len(row):
                return ""
            return unquote_formula(row[idx].strip())

        fields = {name: get(name) for name in cols}
        email = fields.get("email", "")
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            raise ValueError(f"invalid email address {email!r}")
        if not email and not fields.get("external_id"):
            raise ValueError("no email address and no id: nothing identifies this lead")
        if not fields.get("name"):
            full = " ".join(p for p in (fields.get("first_name"), fields.get("last_name")) if p)
            fields["name"] = full
        if fields.get("fit"):
            fields["fit"] = parse_fit(fields["fit"])
        if fields.get("language"):
            lang = fields["language"].lower()[:2]
            fields["language"] = lang if lang in ("en", "fr") else None
        if fields.get("last_contacted"):
            fields["last_contacted"] = parse_datetime(fields["last_contacted"])
        else:
            fields.pop("last_contacted", None)
        if fields.get("segment") and not fields.get("persona"):
            fields["persona"] = fields["segment"]
        return fields

    # -- decisions --------------------------------------------------------------------------

    def _import_decisions(
        self, path: str, rows: list[tuple[int, list[str]]], cols: dict[str, int], progress
    ) -> None:
        for n, row in in_batches(self.store, rows):
            source = f"{path}#{n}"
            values = {
                name: unquote_formula(row[idx].strip()) if idx < len(row) else ""
                for name, idx in cols.items()
            }
            try:
                self._one_decision(values, source)
            except Exception as exc:  # DecisionError, bad date, unknown lead: row skipped
                self.report.error(source, str(exc))
            if progress:
                progress(1)

    def _one_decision(self, v: dict[str, str], source: str) -> None:
        store = self.store
        lead_id = None
        if v.get("email"):
            lead_id = store.lead_id_by_email(v["email"])
        if lead_id is None and v.get("external_id"):
            lead_id = store.scalar("SELECT id FROM leads WHERE external_id = ?", (v["external_id"],))
        if lead_id is None:
            raise ValueError(f"no lead {v.get('email') or v.get('external_id')!r}: import it first")
        at = parse_datetime(v["decided_at"])
        src = v.get("source") or "import"
        decision = DecisionIn(
            lead_id=lead_id,
            rep=v["rep"],
            status=v["status"],
            primary_reason=v.get("primary_reason") or None,
            secondary_reason=v.get("secondary_reason") or None,
            sub_reason=v.get("sub_reason") or None,
            note=v.get("note") or None,
            revisit_on=parse_date(v["revisit_on"]) if v.get("revisit_on") else None,
            source=src if src in ("manual", "auto", "bulk", "calibration", "import") else "import",
        )
        with store.write():
            existing = store.scalar(
                """SELECT id FROM decisions WHERE lead_id = ? AND rep = ? AND decided_at = ?
                   AND kind = 'decision' AND status IS ? AND primary_reason IS ?
                   AND secondary_reason IS ? AND note IS ?""",
                (lead_id, decision.rep, iso(at), decision.status, decision.primary_reason,
                 decision.secondary_reason, decision.note),
            )
            if existing is not None:
                decision_id = int(existing)
                added = False
            else:
                decision_id = store.record_decision(
                    decision, at=at, historical=True,
                    taxonomy_version=v.get("taxonomy_version") or None,
                )
                added = True
                self.report.decisions += 1
            undone = False
            if v.get("undone_at") and not store.is_undone(decision_id):
                store.undo(decision_id, v.get("undone_by") or v["rep"], at=parse_datetime(v["undone_at"]))
                self.report.undos += 1
                undone = True
        if added or undone:
            self.report.ok()
        else:
            self.report.skip(source, "decision already imported")


def unquote_formula(value: str) -> str:
    """Undo the export's formula neutralisation ("'=SUM(...)" -> "=SUM(...)")."""
    return value[1:] if _FORMULA_QUOTED.match(value) else value


def parse_fit(text: str) -> float:
    raw = text.strip().rstrip("%").strip().replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"fit/score {text!r} is not a number") from None
    if text.strip().endswith("%") or 1 < value <= 100:
        value /= 100
    if not 0 <= value <= 1:
        raise ValueError(f"fit/score {text!r} is out of range (0-1 or 0-100)")
    return round(value, 4)


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%Y/%m/%d")


def parse_date(text: str) -> date:
    text = text.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    parsed = _dateparser(text)
    if parsed is not None:
        return parsed.date()
    raise ValueError(f"unreadable date {text!r} (use YYYY-MM-DD or DD/MM/YYYY)")


def _dateparser(text: str) -> datetime | None:
    """French and English written dates ("15 septembre 2026", "3 Nov 2026 14:05")."""
    if not text or len(text) > 60 or not any(ch.isdigit() for ch in text):
        return None  # relative phrases ("yesterday") have no place in an export
    import dateparser

    return dateparser.parse(
        text, languages=["fr", "en"],
        settings={"DATE_ORDER": "DMY", "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False},
    )


def parse_datetime(text: str) -> datetime:
    text = text.strip()
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M"):
            try:
                dt = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            dt = _dateparser(text) if ":" in text else None
            if dt is None:
                dt = datetime.combine(parse_date(text), datetime.min.time())
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
