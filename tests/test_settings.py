"""Settings: config.toml, then TRIAGE_* variables over it; clear errors, never a traceback.

The expected values are what pydantic-settings (BaseSettings + TomlConfigSettingsSource, prefix
TRIAGE_, nested delimiter __, NoDecode lists) produced for the same inputs before it was
replaced by `load_settings`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from triage.cli import run
from triage.settings import QueueSettings, Settings, SettingsError, load_settings


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "config.toml"

    def write(text: str):
        path.write_text(text, encoding="utf-8")
        return path

    return write


def load(path, **env):
    return load_settings(path, environ=env)


def test_no_file_no_variables_gives_the_defaults(tmp_path):
    s = load(tmp_path / "absent.toml")
    assert s.language == "en" and s.taxonomy is None and s.keymap == {}
    assert s.queue == QueueSettings() and s.our_domains == [] and s.our_addresses == []
    assert s.rep  # the login name, or "rep"


def test_the_file(config):
    s = load(config(
        'language = "fr"\nrep = "julie"\ntaxonomy = "/x/t.yaml"\nour_domains = ["acme-sales.io"]\n'
        '[queue]\nstale_after_days = 5\n[keymap]\n"queue.next" = "down,j,n"\n'
    ))
    assert (s.language, s.rep, str(s.taxonomy)) == ("fr", "julie", "/x/t.yaml")
    assert s.our_domains == ["acme-sales.io"] and s.queue.stale_after_days == 5
    assert s.keymap == {"queue.next": "down,j,n"}


def test_variables_win_over_the_file_key_by_key(config):
    path = config('language = "fr"\n[queue]\nstale_after_days = 5\nweight_fit = 2\n')
    s = load(path, TRIAGE_LANGUAGE="en", TRIAGE_QUEUE__STALE_AFTER_DAYS="9")
    assert s.language == "en"
    assert s.queue.stale_after_days == 9 and s.queue.weight_fit == 2.0  # the file's other key stays


def test_variable_values_are_coerced_by_the_model(tmp_path):
    s = load(tmp_path / "absent.toml", TRIAGE_QUEUE__RECENCY_HALF_LIFE_DAYS="2.5",
             TRIAGE_QUEUE__STALE_AFTER_DAYS="5.0", TRIAGE_TAXONOMY="/x/t.yaml")
    assert s.queue.recency_half_life_days == 2.5 and s.queue.stale_after_days == 5
    assert str(s.taxonomy) == "/x/t.yaml"


def test_variable_names_are_case_insensitive(tmp_path):
    s = load(tmp_path / "absent.toml", triage_language="fr", Triage_Rep="x",
             TRIAGE_KEYMAP__QUEUE_NOTE="ctrl+n")
    assert (s.language, s.rep, s.keymap) == ("fr", "x", {"queue_note": "ctrl+n"})


def test_a_table_as_json_then_its_keys(config):
    path = config("[queue]\nweight_class = 3\n")
    s = load(path, TRIAGE_QUEUE='{"weight_fit": 2, "stale_after_days": 3}',
             TRIAGE_QUEUE__STALE_AFTER_DAYS="4")
    assert (s.queue.weight_class, s.queue.weight_fit, s.queue.stale_after_days) == (3, 2, 4)


def test_keymap_from_the_file_json_and_nested_variables(config):
    path = config('[keymap]\n"queue.next" = "j"\n')
    s = load(path, TRIAGE_KEYMAP='{"queue.note": "ctrl+n"}', **{"TRIAGE_KEYMAP__queue.undo": "u"})
    assert s.keymap == {"queue.next": "j", "queue.note": "ctrl+n", "queue.undo": "u"}


@pytest.mark.parametrize(("value", "expected"), [
    ("a.io, b.fr ,,", ["a.io", "b.fr"]),
    ('["a.io", "b.fr"]', ["a.io", "b.fr"]),
    ("", []),
])
def test_our_domains_as_commas_or_json(config, value, expected):
    s = load(config('our_domains = ["x.io"]\nour_addresses = ["a@x.io"]'),
             TRIAGE_OUR_DOMAINS=value, TRIAGE_OUR_ADDRESSES="julie@acme.io")
    assert s.our_domains == expected and s.our_addresses == ["julie@acme.io"]


def test_a_comma_string_in_the_file_too(config):
    assert load(config('our_domains = "a.io, b.io"')).our_domains == ["a.io", "b.io"]


def test_unknown_keys_and_variables_are_ignored(config):
    path = config('foo = 1\nLanguage = "fr"\n[queue]\nbar = 2\n[other]\nx = 1\n')
    s = load(path, TRIAGE_FOO="1", TRIAGE_QUEUE__BAZ="3", TRIAGE_QUEUE__A__B="1",
             TRIAGE_DB="/x.db", TRIAGE_LANGUAGE__X="1", TRIAGE_="x", OTHER_LANGUAGE="de")
    assert s.language == "fr"  # top-level keys of the file match in any case
    assert s.queue == QueueSettings()


def test_triage_config_in_the_given_environment_chooses_the_file(config):
    path = config('rep = "from-file"')
    assert load_settings(environ={"TRIAGE_CONFIG": str(path)}).rep == "from-file"


def test_settings_built_in_code_read_neither_file_nor_environment(config, monkeypatch):
    monkeypatch.setenv("TRIAGE_CONFIG", str(config('language = "fr"\n[queue]\nweight_fit = 5')))
    monkeypatch.setenv("TRIAGE_QUEUE__STALE_AFTER_DAYS", "2")
    s = Settings(rep="julie")
    assert s.language == "en" and s.queue == QueueSettings()


# -- errors: where and why, never a traceback -----------------------------------------------------


def error(path, **env) -> str:
    with pytest.raises(SettingsError) as info:
        load(path, **env)
    return str(info.value)


def test_toml_syntax_error_names_the_file_line_and_column(config):
    path = config('language = "en"\nrep = "julie\n')
    message = error(path)
    assert message.startswith(f"{path}: invalid TOML: ")
    assert "line 2, column 13" in message


def test_a_file_that_is_not_utf8(config):
    path = config("")
    path.write_bytes(b'rep = "Ren\xe9"\n')
    assert error(path) == f"{path}: not UTF-8 text (save it as UTF-8)"


def test_invalid_value_in_the_file(config):
    path = config('language = "de"\n[queue]\nstale_after_days = 0\n')
    assert error(path) == (
        "invalid settings:\n"
        f"  {path}: language: Input should be 'en' or 'fr' (got 'de')\n"
        f"  {path}: queue.stale_after_days: Input should be greater than or equal to 1 (got 0)"
    )


def test_invalid_value_from_a_variable_names_the_variable(config):
    path = config("[queue]\nstale_after_days = 3\nweight_fit = -1\n")
    message = error(path, TRIAGE_QUEUE__STALE_AFTER_DAYS="five", TRIAGE_QUEUE__WEIGHT_FIT="1")
    assert message == (
        "invalid settings:\n  TRIAGE_QUEUE__STALE_AFTER_DAYS: queue.stale_after_days: "
        "Input should be a valid integer, unable to parse string as an integer (got 'five')"
    )


def test_a_key_inside_a_json_variable_is_blamed_on_that_variable(config):
    path = config("[queue]\nweight_class = -1\n")
    message = error(path, TRIAGE_QUEUE='{"weight_class": 2, "weight_fit": -1}')
    assert message.splitlines()[1] == (
        "  TRIAGE_QUEUE: queue.weight_fit: Input should be greater than or equal to 0 (got -1)"
    )
    assert len(message.splitlines()) == 2  # the file's weight_class was overridden


@pytest.mark.parametrize("name", ["TRIAGE_QUEUE", "TRIAGE_KEYMAP"])
def test_a_table_variable_that_is_not_json(tmp_path, name):
    message = error(tmp_path / "absent.toml", **{name: "{nope"})
    assert message.startswith(f"{name}: not valid JSON: Expecting property name")


def test_a_bad_json_list_of_domains(tmp_path):
    message = error(tmp_path / "absent.toml", TRIAGE_OUR_DOMAINS="[nope")
    assert message.startswith("invalid settings:\n  TRIAGE_OUR_DOMAINS: our_domains: Expecting")


def test_cli_reports_a_toml_syntax_error_without_traceback(config, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("TRIAGE_CONFIG", str(config('language = "fr\n')))
    assert run(["taxonomy", "show"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"triage: {tmp_path / 'config.toml'}: invalid TOML: ")
    assert "line 1, column 15" in err and "Traceback" not in err


def test_cli_reports_an_invalid_variable_without_traceback(config, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("TRIAGE_CONFIG", str(config("[queue]\nstale_after_days = 3\n")))
    monkeypatch.setenv("TRIAGE_QUEUE__STALE_AFTER_DAYS", "0")
    assert run(["taxonomy", "show"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "triage: invalid settings:\n  TRIAGE_QUEUE__STALE_AFTER_DAYS: queue.stale_after_days: "
        "Input should be greater than or equal to 1 (got '0')\n"
    )


def test_a_config_path_that_cannot_be_resolved():
    path = Path("~no-such-user-triage/config.toml")
    assert error(path).startswith(f"{path}: cannot read: ")


# -- the remembered result (triage.text_cache) ----------------------------------------------------


def test_unchanged_settings_are_not_validated_again(config, tmp_path, monkeypatch):
    """The second start with the same file and variables builds the same Settings without
    importing pydantic (a fresh process, as `triage open` is)."""
    import subprocess
    import sys

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = config('language = "fr"\nrep = "julie"\n[queue]\nstale_after_days = 5\n')
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "TRIAGE_CONFIG": str(path),
           "TRIAGE_QUEUE__WEIGHT_FIT": "2", "PATH": "/usr/bin:/bin"}
    code = (
        "import sys\n"
        "from triage.settings import load_settings\n"
        "s = load_settings()\n"
        "print(repr(s))\n"
        "print('pydantic' in sys.modules)\n"
    )

    def start() -> tuple[str, str]:
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True).stdout.splitlines()
        return out[0], out[1]

    first, validated = start()
    second, validated_again = start()
    assert validated == "True" and validated_again == "False"
    assert first == second and "stale_after_days=5" in first and "weight_fit=2.0" in first


def test_a_changed_file_is_validated_again_and_errors_are_never_remembered(
    config, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = config('[queue]\nstale_after_days = 5\n')
    assert load(path).queue.stale_after_days == 5
    assert load(path).queue.stale_after_days == 5  # remembered
    config('[queue]\nstale_after_days = 0\n')
    for _ in range(2):
        with pytest.raises(SettingsError, match="stale_after_days"):
            load(path)
    assert load(path, TRIAGE_QUEUE__STALE_AFTER_DAYS="3").queue.stale_after_days == 3


def test_settings_are_frozen_values():
    import dataclasses

    s = Settings(rep="julie")
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.rep = "other"  # type: ignore[misc]
    assert dataclasses.replace(s, rep="other").rep == "other" and hash(s.queue) == hash(QueueSettings())
