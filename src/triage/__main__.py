"""Entry point of the `triage` command."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from triage.cli import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
