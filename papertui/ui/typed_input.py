"""An Input whose own keys act in turn with the characters typed around them."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class TypedInput(Input):
    """Textual runs a widget's bindings once the key has bubbled up to the app, after the
    keys queued behind it: typed fast, "modle", Backspace twice and "el" gave "modle"
    (the Backspaces took the "el"), and a tag's Tab completed after the text typed behind
    it. Here the field's own keys (Input's editing keys, a subclass's, as the user's
    keymap binds them) act as the field reads them; priority keys the app ran already."""

    async def _on_key(self, event: events.Key) -> None:
        active = self.screen.active_bindings.get(event.key)
        if active is None or active.node is not self or active.binding.priority or not active.enabled:
            return  # a character, or another widget's key: Input's own handling follows
        event.stop()
        event.prevent_default()  # neither Input's handling nor the binding again
        await self.run_action(active.binding.action)
