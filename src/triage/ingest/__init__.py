"""Importing mail and CSV files into the store (`triage import`).

    report = import_paths(store, ["replies.mbox", "leads.csv"], identity=Identity(...))

CSV files (by suffix) go to the CSV importer, everything else to the mail importer.
Each item (row, message) is its own transaction; the report says what happened to each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from triage.ingest.csv_import import CsvFormatError, CsvImporter, parse_mapping
from triage.ingest.identity import Identity
from triage.ingest.mail_import import MailImporter
from triage.ingest.report import ImportReport, ItemNote

CSV_SUFFIXES = {".csv", ".tsv"}

Progress = Callable[[int], None]


def split_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """(csv files, mail sources). A CSV is imported only when named: a folder's CSVs are
    often something else (labels, reports)."""
    csvs: list[Path] = []
    mails: list[Path] = []
    for p in map(Path, paths):
        if p.is_file() and p.suffix.lower() in CSV_SUFFIXES:
            csvs.append(p)
        else:
            mails.append(p)
    return csvs, mails


def import_paths(
    store,
    paths: Iterable[str | Path],
    identity: Identity | None = None,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    report: ImportReport | None = None,
    classify: Callable | None = None,
    source_root: Path | None = None,
) -> ImportReport:
    """Import lead CSVs first (profiles), then mail, then decision CSVs (they need the leads).

    Raises CsvFormatError before writing anything when a CSV cannot be imported as a whole.
    """
    report = report or ImportReport()
    csvs, mails = split_paths(paths)
    for folder in (p for p in mails if p.is_dir()):
        inside = sum(1 for c in folder.rglob("*") if c.suffix.lower() in CSV_SUFFIXES)
        if inside:
            report.warn(str(folder), f"{inside} CSV file(s) inside were not imported "
                        "(name a CSV file on the command line to import it)")
    csv_importer = CsvImporter(store, report, mapping, source_root)
    # every CSV is checked before anything is written: a wrong column stops the whole run
    kinds = {path: csv_importer.inspect(path)[0] for path in csvs}
    for path in csvs:
        if kinds[path] == "leads":
            csv_importer.import_file(path, progress)
    if mails:
        MailImporter(store, identity, report, classify, source_root).import_paths(mails, progress)
    for path in csvs:  # decisions need their leads (from the CSVs and the mail) first
        if kinds[path] == "decisions":
            csv_importer.import_file(path, progress)
    return report


__all__ = [
    "CsvFormatError",
    "CsvImporter",
    "Identity",
    "ImportReport",
    "ItemNote",
    "MailImporter",
    "import_paths",
    "parse_mapping",
]
