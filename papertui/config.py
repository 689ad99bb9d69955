"""The user's settings in config.toml: one loader with defaults, one atomic save.

```toml
theme = "nord"            # any of Textual's built-in themes
pdf_viewer = "zathura {path}"   # opens downloaded PDFs (default: xdg-open or open)
auto_fetch = 12           # hours: the app fetches the feeds on launch when older (0: never)

[keymap]                  # binding id = "keys", comma-separated
toggle_star = "f"
cursor_down = "j,down,ctrl+n"

[[feeds]]                 # see papertui.feeds.spec
name = "hf-daily"
kind = "hf-daily"
args = []

[pdf]
arxiv_base = "https://arxiv.org"   # where arXiv PDFs are downloaded from (a mirror)
```

A file that cannot be read, or a setting that is unknown or of the wrong type,
gives a one-line message and the default for what was wrong; the app still starts.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from papertui import paths
from papertui.files import replace_atomically
from papertui.feeds.spec import Feed, from_config

DEFAULT_THEME = "textual-dark"
KNOWN = ("theme", "keymap", "feeds", "pdf_viewer", "pdf", "auto_fetch", "hide")
AUTO_FETCH_HOURS = 12.0
ARXIV_BASE = "https://arxiv.org"


@dataclass(frozen=True, slots=True)
class Config:
    """The settings papertui reads; ``raw`` keeps the file's contents for saving."""

    theme: str = DEFAULT_THEME
    keymap: dict[str, str] = field(default_factory=dict)
    keymap_lines: dict[str, int] = field(default_factory=dict, compare=False)  # 0: line not found
    feeds: tuple[Feed, ...] = ()
    pdf_viewer: str | None = None  # a command with {path}; None: the system's opener
    arxiv_base: str = ARXIV_BASE
    auto_fetch: float = AUTO_FETCH_HOURS  # hours; 0 disables fetching on launch
    hide: tuple[tuple[str, int], ...] = ()  # [hide] rules: each query and its line in the file
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    readable: bool = True  # False when the file exists but is not valid TOML

    def with_theme(self, theme: str) -> "Config":
        """The same settings with another theme."""
        return replace(self, theme=theme, raw={**self.raw, "theme": theme})

    def with_feeds(self, feeds: tuple[Feed, ...]) -> "Config":
        """The same settings with another list of feeds."""
        return replace(self, feeds=feeds)


def load(path: Path | None = None) -> tuple[Config, str | None]:
    """The settings, and a one-line message when something in the file was wrong."""
    path = path or paths.config_file()
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
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
    feeds = from_config(raw.get("feeds", []), problems)
    viewer, arxiv_base = _pdf(raw, problems)
    auto_fetch = raw.get("auto_fetch", AUTO_FETCH_HOURS)
    if isinstance(auto_fetch, bool) or not isinstance(auto_fetch, (int, float)) or auto_fetch < 0:
        problems.append("'auto_fetch' must be a number of hours, e.g. 12 (0 disables it)")
        auto_fetch = AUTO_FETCH_HOURS
    hide = _hide(raw.get("hide", {}), text, problems)
    message = f"{path}: " + "; ".join(problems) + " (defaults used)" if problems else None
    return Config(theme=theme.strip(), keymap=keymap, keymap_lines=_keymap_lines(keymap, text),
                  feeds=feeds, pdf_viewer=viewer,
                  arxiv_base=arxiv_base, auto_fetch=float(auto_fetch), hide=hide,
                  raw=raw), message


def _hide(table: Any, text: str, problems: list[str]) -> tuple[tuple[str, int], ...]:
    """``[hide] rules``, each with the line of the file it is on (0 when not found)."""
    rules = table.get("rules", []) if isinstance(table, dict) else None
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        problems.append('[hide] rules must be a list of queries, e.g. rules = ["cat:math.*"]')
        return ()
    lines = text.splitlines()
    start = next((n for n, line in enumerate(lines) if line.strip() == "[hide]"), 0)

    def line_of(rule: str) -> int:
        quoted = (f'"{rule}"', f"'{rule}'")
        found = (n for n in range(start, len(lines)) if any(q in lines[n] for q in quoted))
        return next(found, -1) + 1

    return tuple((rule, line_of(rule)) for rule in rules if rule.strip())


def _pdf(raw: dict[str, Any], problems: list[str]) -> tuple[str | None, str]:
    """``pdf_viewer`` and ``[pdf] arxiv_base``, each checked."""
    viewer = raw.get("pdf_viewer")
    if viewer is not None and (not isinstance(viewer, str) or not viewer.strip()):
        problems.append("'pdf_viewer' must be a command in quotes, e.g. \"zathura {path}\"")
        viewer = None
    table = raw.get("pdf", {})
    if not isinstance(table, dict):
        problems.append("[pdf] must be a table, e.g. [pdf] arxiv_base = \"https://arxiv.org\"")
        table = {}
    base = table.get("arxiv_base", ARXIV_BASE)
    if not isinstance(base, str) or not base.startswith(("http://", "https://")):
        problems.append("pdf.arxiv_base must be a URL in quotes, e.g. \"https://arxiv.org\"")
        base = ARXIV_BASE
    return viewer, base.rstrip("/")


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


def _keymap_lines(keymap: dict[str, str], text: str) -> dict[str, int]:
    """The line of the file each ``[keymap]`` entry is on (1-based; 0 when not found)."""
    lines = text.splitlines()
    start = next((n for n, line in enumerate(lines) if line.strip() == "[keymap]"), 0)

    def line_of(binding_id: str) -> int:
        entry = re.compile(rf"""^\s*(["']?){re.escape(binding_id)}\1\s*=""")
        found = (n for n in range(start, len(lines)) if entry.match(lines[n]))
        return next(found, -1) + 1

    return {binding_id: line_of(binding_id) for binding_id in keymap}


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
    if config.feeds or "feeds" in data:
        data["feeds"] = [feed.table() for feed in config.feeds]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(path, dumps(data).encode("utf-8"), prefix=".config-")
    except OSError as error:
        return f"cannot save settings to {path}: {error.strerror or error}"
    return None


def _table(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def dumps(data: dict[str, Any]) -> str:
    """TOML for a dict of scalars, lists of scalars, one level of tables and
    arrays of tables (``[[feeds]]``)."""
    scalars = [f"{_key(k)} = {_value(v)}" for k, v in data.items()
               if not isinstance(v, dict) and not _is_table_array(v)]
    lines = scalars[:]
    for name, table in data.items():
        if isinstance(table, dict):
            if lines:
                lines.append("")
            lines.append(f"[{_key(name)}]")
            lines.extend(f"{_key(k)} = {_value(v)}" for k, v in table.items()
                         if not isinstance(v, dict))
    for name, tables in data.items():
        for table in tables if _is_table_array(tables) else ():
            if lines:
                lines.append("")
            lines.append(f"[[{_key(name)}]]")
            lines.extend(f"{_key(k)} = {_value(v)}" for k, v in table.items()
                         if not isinstance(v, dict))
    return "\n".join(lines) + "\n"


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


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
