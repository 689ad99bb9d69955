"""Where papertui keeps things, located with platformdirs (XDG variables honoured).

Functions, not constants, so that tests can point XDG_* at a temporary dir.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import platformdirs

APP = "papertui"


def data_dir() -> Path:
    """Per-user state: the marks database and the list of sources."""
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """Derived data that can be deleted at any time: the index, the catalog, the log."""
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def config_dir() -> Path:
    """The user's settings."""
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def state_db() -> Path:
    """The marks database."""
    return data_dir() / "state.db"


def index_dir() -> Path:
    """The Whoosh index."""
    return cache_dir() / "index"


def config_file() -> Path:
    """The TOML config file."""
    return config_dir() / "config.toml"


def log_file() -> Path:
    """Where unexpected errors are logged."""
    return cache_dir() / "papertui.log"


def seed_file() -> Path:
    """The bundled default library, shipped as package data."""
    folder = resources.files(APP) / "seeds"
    return Path(str(next(p for p in folder.iterdir() if p.name.endswith(".txt"))))
