"""Checking the user's ``[keymap]`` before it replaces any key.

An entry is refused, and its action keeps its default keys, when it names an
unknown binding id, a key Textual does not know, or a key that another binding
already uses where both are active at once (the main screen with whichever
widget has focus, or one dialog). One notice quotes every refused entry.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from textual.app import App
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

from papertui.config import Config
from papertui.ui import keys

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED = frozenset(key.value for key in Keys)
DIALOGS = frozenset({"help", "export", "overwrite", "confirm", "tags", "note", "name"})  # never beside another
PANES = frozenset({"list", "detail", "similar", "sidebar"})  # inside the workspace, active with its keys
APP_KEYS = {"ctrl+q": "Quit", "ctrl+c": "Copy", "ctrl+p": "Command palette"}
NOTICE_SECONDS = 20


@dataclass(frozen=True, slots=True)
class Checked:
    """The keymap to use, and what was refused (one line each), for one notice."""

    keymap: dict[str, str]
    refused: list[str]


def is_key(name: str) -> bool:
    """True for a key Textual can report: "j", "down", "ctrl+n", "question_mark", "f5" …"""
    *modifiers, base = name.split("+") if name != "+" else ["+"]
    if not base or any(m not in MODIFIERS for m in modifiers):
        return False
    if len(base) == 1:
        return base.isprintable()
    return base in NAMED or key_to_character(base) is not None


def key_name(key: str) -> str:
    """One spelling per key: "?" and "question_mark" are the same key."""
    if len(key) == 1 and not key.isalnum():
        try:
            name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
        except ValueError:
            return key
        return KEY_NAME_REPLACEMENTS.get(name, name)
    return key


def split(keys_text: str) -> list[str]:
    return [k.strip() for k in keys_text.split(",") if k.strip()]


def share_a_place(owner: str, other: str) -> bool:
    """Can bindings of these two owners be active at the same time?"""
    if owner == other:
        return True
    pair = {owner, other}
    if pair & DIALOGS:
        return False
    return "main" in pair or ("workspace" in pair and bool(pair & PANES))


def check(keymap: Mapping[str, str], where: Callable[[str], str],
          raw: Mapping[str, object] | None = None) -> Checked:
    """The entries of ``keymap`` that can be used; ``where(id)`` says where an entry is written."""
    catalog = {key.id: key for key in keys.CATALOG}
    raw = raw or {}
    refused: dict[str, str] = {}
    for binding_id, text in keymap.items():
        if binding_id not in catalog:
            refused[binding_id] = "unknown binding id (? lists them)"
        elif bad := [k for k in split(text) if not is_key(k)]:
            refused[binding_id] = f"unknown key {bad[0]!r}" if len(split(text)) > 1 else "unknown key"
    while True:  # a refused entry gives its keys back, which can clash with another entry
        chosen = {**{i: k.binding.key for i, k in catalog.items()},
                  **{i: t for i, t in keymap.items() if i not in refused}}
        clash = _first_clash(keymap, refused, chosen, catalog)
        if clash is None:
            break
        refused[clash[0]] = clash[1]
    lines = []
    for binding_id, why in refused.items():
        shown = raw.get(binding_id, keymap[binding_id])
        default = catalog[binding_id].binding.key.replace(",", ", ") if binding_id in catalog else ""
        keeping = f"; keeping {default}" if default else ""
        lines.append(f'{where(binding_id)}[keymap] {binding_id} = "{shown}": {why}{keeping}')
    return Checked({i: t for i, t in keymap.items() if i not in refused}, lines)


def _first_clash(keymap: Mapping[str, str], refused: Mapping[str, str], chosen: Mapping[str, str],
                 catalog: Mapping[str, keys.Key]) -> tuple[str, str] | None:
    """The first entry whose key another binding active beside it uses, and why."""
    for binding_id in keymap:
        if binding_id in refused:
            continue
        owner = catalog[binding_id].owner
        defaults = {key_name(k) for k in split(catalog[binding_id].binding.key)}
        for key in split(keymap[binding_id]):
            name = key_name(key)
            if name in defaults:
                continue  # not new: the catalog's own keys may share a place on purpose
            if name in APP_KEYS:
                return binding_id, f"{key} is already {APP_KEYS[name]}"
            for other_id, other in catalog.items():
                if other_id == binding_id or not share_a_place(owner, other.owner):
                    continue
                if name in {key_name(k) for k in split(chosen[other_id])}:
                    return binding_id, f"{key} is already \"{other.binding.description}\" ({other_id})"
    return None


def apply(app: App, settings: Config, path: Path) -> Config:
    """Put the good entries of the settings' keymap to use, say once what was refused; the settings."""
    def where(binding_id: str) -> str:
        line = settings.keymap_lines.get(binding_id, 0)
        return f"{path.name} line {line}: " if line else f"{path.name}: "

    raw = settings.raw.get("keymap")
    checked = check(settings.keymap, where, raw if isinstance(raw, dict) else None)
    if checked.refused:
        app.notify("\n".join(checked.refused), severity="warning", timeout=NOTICE_SECONDS, markup=False)
    app.set_keymap(checked.keymap)
    return replace(settings, keymap=checked.keymap)
