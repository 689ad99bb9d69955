"""An Input whose editing keys act in turn with the characters typed around them."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input

# Input's own keys (Backspace, Delete, ctrl+u, ctrl+w, the arrows …) and their actions.
_EDITING = {key.strip(): binding.action for binding in Input.BINDINGS
            if isinstance(binding, Binding) for key in binding.key.split(",")}


class TypedInput(Input):
    """Textual runs a widget's bindings once the key has bubbled up to the app, after the
    keys queued behind it: typed fast, "modle", Backspace twice and "el" gave "modle"
    (the Backspaces took the "el"). Here the editing keys act as the field reads them."""

    async def _on_key(self, event: events.Key) -> None:
        action = _EDITING.get(event.key)
        if action is None:
            return  # a character, or another widget's key: Input's own handling follows
        event.stop()
        event.prevent_default()  # neither Input's handling nor the binding again
        await self.run_action(action)
