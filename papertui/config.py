"""The user's settings in config.toml: one loader with defaults, one atomic save.

```toml
theme = "nord"            # any of Textual's built-in themes

[keymap]                  # binding id = "keys", comma-separated
toggle_star = "f"
cursor_down = "j,down,ctrl+n"
```

A file that cannot be read, or a setting that is unknown or of the wrong type,
gives a one-line message and the default for what was wrong; the app still starts.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from papertui import paths

DEFAULT_THEME = "textual-dark"
KNOWN = ("theme", "keymap")


@dataclass(frozen=True, slots=True)
class Config:
    """The settings papertui reads; ``raw`` keeps the file's contents for saving."""

    theme: str = DEFAULT_THEME
    keymap: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    readable: bool = True  # False when the file exists but is not valid TOML

    def with_theme(self, theme: str) -> "Config":
        """The same settings with another theme."""
        return replace(self, theme=theme, raw={**self.raw, "theme": theme})


def load(path: Path | None = None) -> tuple[Config, str | None]:
    """The settings, and a one-line message when something in the file was wrong."""
    path = path or paths.config_file()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config(), None
    except (OSError, UnicodeDecodeError) as error:
        return Config(readable=False), f"{path}: cannot read ({error}); using the defaults"
    except tomllib.TOMLDecodeError as error:
        return Config(readable=False), f"{path}: not valid TOML ({error}); using the defaults"
    problems: list[str] = []
    unknown = sorted(set(raw) - set(KNOWN))
    if unknown:
        problems.append("unknown setting " + ", ".join(repr(k) for k in unknown))
    theme = raw.get("theme", DEFAULT_THEME)
    if not isinstance(theme, str) or not theme.strip():
        problems.append("'theme' must be a theme name in quotes")
        theme = DEFAULT_THEME
    keymap = _keymap(raw.get("keymap", {}), problems)
    message = f"{path}: " + "; ".join(problems) + " (defaults used)" if problems else None
    return Config(theme=theme.strip(), keymap=keymap, raw=raw), message


def _keymap(value: Any, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.append("[keymap] must be a table of binding = \"keys\"")
        return {}
    keymap: dict[str, str] = {}
    for binding_id, keys in value.items():
        if isinstance(keys, str) and keys.strip():
            keymap[binding_id] = keys.replace(" ", "")
        else:
            problems.append(f"keymap.{binding_id} must be keys in quotes, e.g. \"f\"")
    return keymap


def save(config: Config, path: Path | None = None) -> str | None:
    """Write the settings atomically; a one-line message if they were not saved.

    Other settings in the file are kept. A file that was not valid TOML is left
    alone rather than overwritten: the user may be half-way through editing it.
    """
    path = path or paths.config_file()
    if not config.readable:
        return f"{path} has errors, so settings were not saved to it"
    data = {**config.raw, "theme": config.theme}
    if config.keymap or "keymap" in data:
        data["keymap"] = {**_table(data.get("keymap")), **config.keymap}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(dumps(data))
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        return f"cannot save settings to {path}: {error.strerror or error}"
    return None


def _table(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def dumps(data: dict[str, Any]) -> str:
    """TOML for a dict of scalars, lists of scalars and one level of tables."""
    scalars = [f"{_key(k)} = {_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    lines = scalars[:]
    for name, table in data.items():
        if isinstance(table, dict):
            if lines:
                lines.append("")
            lines.append(f"[{_key(name)}]")
            lines.extend(f"{_key(k)} = {_value(v)}" for k, v in table.items()
                         if not isinstance(v, dict))
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    bare = key and all(c.isascii() and (c.isalnum() or c in "-_") for c in key)
    return key if bare else _string(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return _string(str(value))


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c >= " " or c == "\t" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'
