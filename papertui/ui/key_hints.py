"""The footer: the keys that work now, drawn as one line.

Textual's Footer rebuilds a widget for every key each time the bindings change,
and they change with every focus move (the footer follows focus: the filter bar
has keys of its own). That cost about 100 ms a move at 74k papers, twice per
search typed. Here the hints are plain data drawn by one widget: a focus move
costs one repaint of one line.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True, slots=True)
class Hint:
    """One key as shown: what to press, what it does, and whether it works now."""

    key: str
    description: str
    enabled: bool = True

    @property
    def width(self) -> int:
        return len(self.key) + 1 + len(self.description)


GAP = 2  # spaces between two hints


class KeyHints(Widget):
    """The active bindings of the screen (those shown), the command palette's at the right."""

    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    KeyHints > .key-hints--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    KeyHints > .key-hints--disabled {
        color: $text-disabled;
    }
    """
    COMPONENT_CLASSES = {"key-hints--key", "key-hints--disabled"}

    def __init__(self) -> None:
        super().__init__()
        self.hints: tuple[Hint, ...] = ()
        self.palette: Hint | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        # The screen's widgets are all there after the first refresh: read its keys then.
        self.call_after_refresh(lambda: self._bindings_changed(self.screen))

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        """Read the keys again; repaint only when what is shown changes."""
        if not self.app.app_focus or screen is not self.screen:
            return  # the terminal lost focus: keep what was shown, as Textual's footer does
        hints, palette, seen = [], None, set()
        for key, (_, binding, enabled, _tooltip) in screen.active_bindings.items():
            shown = Hint(self.app.get_key_display(binding), binding.description, enabled)
            if key == self.app.COMMAND_PALETTE_BINDING and self.app.ENABLE_COMMAND_PALETTE:
                palette = shown
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)  # one hint an action, as Textual's footer shows
                hints.append(shown)
        if (tuple(hints), palette) != (self.hints, self.palette):
            self.hints, self.palette = tuple(hints), palette
            self.refresh()

    def spans(self, width: int) -> list[tuple[Hint, int]]:
        """The hints that fit in ``width`` columns, each with the column it starts at."""
        room = width - (self.palette.width + GAP + 1 if self.palette else 0)
        placed, x = [], 1
        for hint in self.hints:
            if x + hint.width > room:
                break
            placed.append((hint, x))
            x += hint.width + GAP
        return placed

    def render(self) -> Content:
        key_style = self.get_visual_style("key-hints--key")
        off = self.get_visual_style("key-hints--disabled")
        parts: list[str | tuple[str, object]] = [" "]
        for hint, _ in self.spans(self.size.width):
            parts += [(hint.key, key_style if hint.enabled else off), " ",
                      hint.description if hint.enabled else (hint.description, off), " " * GAP]
        line = Content.assemble(*parts)
        if self.palette is None:
            return line
        palette = Content.assemble((self.palette.key, key_style), " ", self.palette.description, " ")
        padding = max(1, self.size.width - line.cell_length - palette.cell_length)
        return Content.assemble(line, " " * padding, palette)
