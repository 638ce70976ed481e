"""The `triage` command line. Each subcommand lives in its own module and imports lazily."""

from __future__ import annotations

from pathlib import Path

import click

from triage import __version__
from triage.cli.common import Context, UserError, report_crash

# name -> "module:function"; the module is imported only when the command runs
COMMANDS: dict[str, tuple[str, str]] = {
    "open": ("triage.cli.open_cmd:open_", "Open the queue (the default)."),
    "demo": ("triage.cli.demo_cmd:demo", "Build a fresh demo database and open it."),
    "import": ("triage.cli.import_cmd:import_", "Import .eml, .mbox, Maildir and CSV files."),
    "export": ("triage.cli.export_cmd:export", "Export leads and decisions (CSV or JSON)."),
    "classify": ("triage.cli.classify_cmd:classify", "Classify messages, one JSON per line."),
    "calibrate": ("triage.cli.calibrate_cmd:calibrate", "Calibration sessions on past leads."),
    "report": ("triage.cli.report_cmd:report", "Weekly review report."),
    "experiment": ("triage.cli.experiment_cmd:experiment", "Log and measure experiments."),
    "db": ("triage.cli.db_cmd:db", "Database maintenance and consistency checks."),
    "taxonomy": ("triage.cli.taxonomy_cmd:taxonomy", "Check and show the taxonomy."),
}


def _available(name: str) -> bool:
    import importlib.util

    module = COMMANDS[name][0].partition(":")[0]
    return importlib.util.find_spec(module) is not None


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | {n for n in COMMANDS if _available(n)})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS and _available(name):
            import importlib

            module, _, attr = COMMANDS[name][0].partition(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in sorted(COMMANDS) if _available(name)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="TRIAGE_DB",
    help="SQLite database (default: triage.db in the user data folder; env TRIAGE_DB).",
)
@click.version_option(__version__, prog_name="triage")
@click.pass_context
def cli(ctx: click.Context, db: Path | None) -> None:
    """Clear your queue of lead replies: status and reason codes from the keyboard.

    Run without a command to open the queue.
    """
    ctx.obj = Context(db_path=db)
    if ctx.invoked_subcommand is None:
        open_cmd = cli.get_command(ctx, "open")
        if open_cmd is None:
            raise UserError("the queue screen is not available in this build")
        ctx.invoke(open_cmd)


def run(argv: list[str] | None = None) -> int:
    try:
        # without standalone mode click *returns* the code of `ctx.exit(n)` / `Exit(n)`
        rv = cli.main(args=argv, prog_name="triage", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except Exception as exc:
        return report_crash(exc)
    return rv if isinstance(rv, int) and not isinstance(rv, bool) else 0
