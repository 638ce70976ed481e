"""`triage classify FILE...`: one JSON object per message, and `--check-patterns [FILE]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from triage.cli.common import Context, UserError, pass_ctx


@click.command("classify")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--explain", is_flag=True, help="Add the matched phrases, headers and scores.")
@click.option(
    "--check-patterns",
    "check",
    is_flag=False,
    flag_value="-",
    default=None,
    metavar="[FILE]",
    help="Validate a reply_patterns.yaml (default: the bundled one) and exit.",
)
@click.option(
    "--patterns",
    "patterns_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Classify with this reply_patterns.yaml instead of the bundled one.",
)
@pass_ctx
def classify(
    ctx: Context, files: tuple[Path, ...], explain: bool, check: str | None, patterns_file: Path | None
) -> None:
    """Classify .eml / .mbox / Maildir messages (or - for one message on stdin).

    Prints one JSON object per message: message_id, reply_class, confidence, reason,
    secondary_reason, sub_reason, revisit_on, language, evidence (and source). Unreadable
    messages are reported on stderr and skipped; the exit code is then 1.
    """
    from triage.classify.patterns import (
        PatternsError,
        check_patterns,
        default_patterns_path,
        load_patterns,
    )

    if check is not None:
        path = default_patterns_path() if check == "-" else Path(check)
        problems = check_patterns(path)
        if problems:
            raise UserError(f"{path} is invalid:\n" + "\n".join(problems))
        pats = load_patterns(path)
        click.echo(f"{path}: OK — {len(pats.entries)} phrases, {len(pats.regexes)} regexes")
        if not files:
            return
    if not files:
        raise UserError("give one or more mail files, mbox files or Maildir folders (or - for stdin)")

    try:
        patterns = load_patterns(patterns_file) if patterns_file else load_patterns()
    except PatternsError as exc:
        raise UserError("the reply patterns are invalid:\n" + "\n".join(exc.problems)) from None
    taxonomy = ctx.taxonomy

    from triage.classify import classify_explained
    from triage.mail.parse import MailParseError, parse_bytes
    from triage.mail.sources import MailSourceError, RawMail, iter_mail_files

    failures = 0

    def fail(where: str, why: str) -> None:
        nonlocal failures
        failures += 1
        click.echo(f"triage: {where}: {why}", err=True)

    def sources():
        for path in files:
            if str(path) == "-":
                yield RawMail("<stdin>", sys.stdin.buffer.read())
                continue
            try:
                yield from iter_mail_files(path)
            except MailSourceError as exc:
                fail(str(path), str(exc).removeprefix(f"{path}: "))
            except OSError as exc:
                fail(str(path), exc.strerror or str(exc))

    for raw in sources():
        try:
            mail = parse_bytes(raw.data)
        except MailParseError as exc:
            fail(raw.source, str(exc))
            continue
        try:
            result, explanation = classify_explained(mail, taxonomy, patterns)
        except Exception as exc:  # one odd message must not stop the others
            fail(raw.source, f"cannot classify: {type(exc).__name__}: {exc}")
            continue
        record = result.as_json_dict()
        record["source"] = raw.source
        if explain:
            record["explain"] = explanation.lines()
        click.echo(json.dumps(record, ensure_ascii=False))
    if failures:
        click.echo(f"triage: {failures} message(s) or file(s) could not be classified", err=True)
        raise SystemExit(1)
