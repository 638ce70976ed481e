"""What every subcommand shares: settings, the database path, opening the store, errors."""

from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import click

from triage.locations import data_dir, default_db_path


class UserError(click.ClickException):
    """A problem the user can fix; printed as one clear message, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(f"triage: {self.format_message()}", err=True, file=file)


@dataclass
class Context:
    db_path: Path | None = None
    _settings: object | None = field(default=None, repr=False)
    _taxonomy: object | None = field(default=None, repr=False)

    @property
    def settings(self):  # -> triage.settings.Settings
        if self._settings is None:
            from triage.settings import SettingsError, load_settings

            try:
                self._settings = load_settings()
            except SettingsError as exc:
                raise UserError(str(exc)) from None
        return self._settings

    @property
    def taxonomy(self):  # -> triage.taxonomy.Taxonomy
        if self._taxonomy is None:
            from triage.taxonomy import TaxonomyError, load_taxonomy

            try:
                self._taxonomy = load_taxonomy(self.settings.taxonomy)
            except TaxonomyError as exc:
                raise UserError(f"the taxonomy is invalid:\n{exc.render()}") from None
        return self._taxonomy

    @property
    def resolved_db(self) -> Path:
        return self.db_path or default_db_path()

    def open_store(
        self, must_exist: bool = False, check_taxonomy: bool = True
    ):  # -> triage.store.Store
        """Open the database; by default refuse a taxonomy that drops codes it still uses."""
        from triage.store import SchemaTooNewError, Store, StoreError

        path = self.resolved_db
        if must_exist and not path.exists():
            raise UserError(
                f"no database at {path}: run `triage import FILES` or `triage demo` first"
            )
        try:
            return Store.open(path, self.taxonomy, check_taxonomy=check_taxonomy)
        except (StoreError, SchemaTooNewError) as exc:
            raise UserError(str(exc)) from None


pass_ctx = click.make_pass_decorator(Context, ensure=True)


def report_crash(exc: BaseException) -> int:
    """An unexpected error: one line on screen, the traceback in a log file."""
    if os.environ.get("TRIAGE_DEBUG"):
        raise exc
    log = data_dir() / "crash.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as fh:
            traceback.print_exception(exc, file=fh)
        where = f" (details in {log})"
    except OSError:
        where = ""
    print(f"triage: internal error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
    return 70
