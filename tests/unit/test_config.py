"""config.toml: one loader with defaults and one-line problems, one atomic save."""

from __future__ import annotations

import os
import tomllib

import pytest

from papertui import config, paths


def write(text: str) -> None:
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(text, encoding="utf-8")


def test_no_file_means_defaults_and_no_message():
    settings, problem = config.load()
    assert settings.theme == "textual-dark"
    assert settings.keymap == {}
    assert problem is None


def test_reads_theme_and_keymap():
    write('theme = "nord"\n\n[keymap]\ntoggle_star = "f"\ncursor_down = "j, down, ctrl+n"\n')
    settings, problem = config.load()
    assert problem is None
    assert settings.theme == "nord"
    assert settings.keymap == {"toggle_star": "f", "cursor_down": "j,down,ctrl+n"}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('theme = "nord\n', "not valid TOML"),
        ("theme = 3\n", "'theme' must be a theme name"),
        ('colour = "red"\n', "unknown setting 'colour'"),
        ("keymap = 1\n", "[keymap] must be a table"),
        ("[keymap]\ntoggle_star = 1\n", "keymap.toggle_star must be keys in quotes"),
    ],
)
def test_problems_give_one_line_and_defaults(text, says):
    write(text)
    settings, problem = config.load()
    assert says in problem
    assert "\n" not in problem
    assert str(paths.config_file()) in problem
    assert settings.theme == "textual-dark"
    assert settings.keymap == {}


def test_a_good_setting_survives_a_bad_neighbour():
    write('theme = "nord"\nfont = "big"\n[keymap]\nundo = "z"\nquit = 5\n')
    settings, problem = config.load()
    assert settings.theme == "nord"
    assert settings.keymap == {"undo": "z"}
    assert "unknown setting 'font'" in problem and "keymap.quit" in problem


def test_an_unreadable_file_is_reported(tmp_path):
    folder = tmp_path / "config.toml"
    folder.mkdir()
    settings, problem = config.load(folder)
    assert "cannot read" in problem and settings.theme == "textual-dark"


def test_save_then_load_round_trips_and_keeps_other_settings():
    write('# mine\nfont = "big"\n[keymap]\nundo = "z"\n')
    settings, _ = config.load()
    assert config.save(settings.with_theme("gruvbox")) is None
    data = tomllib.loads(paths.config_file().read_text())
    assert data == {"font": "big", "theme": "gruvbox", "keymap": {"undo": "z"}}
    again, _ = config.load()
    assert again.theme == "gruvbox" and again.keymap == {"undo": "z"}


def test_save_creates_the_folder_and_leaves_no_temporary_files():
    assert config.save(config.Config().with_theme("nord")) is None
    folder = paths.config_file().parent
    assert [p.name for p in folder.iterdir()] == ["config.toml"]
    assert config.load()[0].theme == "nord"


def test_save_refuses_to_overwrite_a_file_that_is_not_valid_toml():
    write('theme = "nord\n')
    settings, _ = config.load()
    problem = config.save(settings.with_theme("gruvbox"))
    assert "has errors" in problem
    assert paths.config_file().read_text() == 'theme = "nord\n'


def test_save_is_atomic(monkeypatch):
    write('theme = "nord"\n')
    settings, _ = config.load()

    def crash(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    problem = config.save(settings.with_theme("gruvbox"))
    assert "No space left on device" in problem
    assert paths.config_file().read_text() == 'theme = "nord"\n'
    assert [p.name for p in paths.config_file().parent.iterdir()] == ["config.toml"]


def test_dumps_quotes_what_toml_needs():
    text = config.dumps({"theme": 'say "hi"\\', "n": 1, "on": True, "list": [1, "a"],
                         "keymap": {"odd key": "x"}})
    assert tomllib.loads(text) == {"theme": 'say "hi"\\', "n": 1, "on": True, "list": [1, "a"],
                                   "keymap": {"odd key": "x"}}
