"""The path to the first lead: with the taxonomy and settings unchanged since the last start,
`triage open` shows the first lead without importing pydantic or PyYAML (~60 ms of a ~0.2 s
start); pydantic loads afterwards, in a worker, before the first decision needs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHILD = """
import sys
from datetime import UTC, datetime
from pathlib import Path

from triage.settings import load_settings
from triage.taxonomy import load_taxonomy
from triage.tui import make_app

settings = load_settings(environ={"TRIAGE_CONFIG": "/nonexistent/config.toml",
                                  "TRIAGE_REP": "julie", "TRIAGE_LANGUAGE": "fr"})
taxonomy = load_taxonomy(settings.taxonomy)
now = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
app = make_app(Path(sys.argv[1]), settings, taxonomy, clock=lambda: now)
seen = {}

def first_lead():
    seen["at_first_lead"] = sorted(m for m in ("pydantic", "yaml") if m in sys.modules)
    app.call_later(done)

async def done():
    await app.workers.wait_for_complete()
    seen["after_warm_up"] = "pydantic" in sys.modules
    app.exit()

app.on_first_lead = first_lead
app.run(headless=True, size=(120, 36))
app.store.close()
print(seen["at_first_lead"], seen["after_warm_up"])
"""


def _start(db: Path, cache: Path) -> str:
    env = {"XDG_CACHE_HOME": str(cache), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(db)], env=env, capture_output=True, text=True,
        check=True, timeout=120,
    ).stdout.strip().splitlines()[-1]


def test_second_start_shows_the_first_lead_without_pydantic_or_yaml(tui_db, tmp_path) -> None:
    db, _ids = tui_db
    cache = tmp_path / "cache"
    first = _start(db, cache)  # validates the settings and the taxonomy, remembers them
    assert first.startswith("['pydantic', 'yaml']")
    assert _start(db, cache) == "[] True"  # then pydantic is warmed up by a worker
