"""Every key's action in the Ctrl+P command palette, next to Textual's own (theme, quit, keys)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from papertui.ui import keys

# Keys of the help and export dialogs, which act only inside them.
_DIALOG_OWNERS = {"help", "export", "overwrite", "confirm", "tags", "note", "name", "sidebar"}
# Keys that make no sense as commands: leaving the filter or detail pane.
_NOT_COMMANDS = {"help_close", "filter_leave", "filter_search", "back_to_list", "detail_down", "detail_up",
                 "detail_similar", "quit"}


class PaperCommands(Provider):
    """The reader's actions, by their descriptions."""

    def _commands(self):
        for key in keys.CATALOG:
            if key.id in _NOT_COMMANDS or key.owner in _DIALOG_OWNERS:
                continue
            shown = self.app.key_display(key)
            yield key.binding.tooltip or key.binding.description, f"{key.group} · {shown}", partial(self.app.run_key_action, key)

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
