"""The stylesheet ships in the package; the top-level copy is the one people edit."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT


def test_packaged_stylesheet_is_identical_to_top_level() -> None:
    top = ROOT / "styles" / "triage.tcss"
    packaged = ROOT / "src" / "triage" / "styles" / "triage.tcss"
    assert packaged.read_bytes() == top.read_bytes(), "edit styles/triage.tcss, then copy it"


def test_app_css_path_resolves_to_the_packaged_copy() -> None:
    import triage.tui.app as app_module
    from triage.tui.app import TriageApp

    path = (Path(app_module.__file__).parent / TriageApp.CSS_PATH).resolve()
    assert path == (ROOT / "src" / "triage" / "styles" / "triage.tcss").resolve()
    assert path.is_file()
