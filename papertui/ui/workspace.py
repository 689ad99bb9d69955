"""The workspace: the sidebar, the list and the detail pane, and the keys that organise papers.

It moves focus between the panes, and owns the selection (``v``, ``space``, ``V``), the sidebar (``b``, 1–9,
``w``), the tag editor (``t``) and notes (``a``). The screen asks it first
for ``s``, ``r``, ``x``, ``S``, ``A``, ``e`` and Esc, which act on the selection
when there is one. What an action did goes up as ``Acted``: the screen repaints from it and
runs the query a folder asks for.
"""

from __future__ import annotations

from collections import Counter

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message

from papertui.errors import PapertuiError
from papertui.reader import NOTHING, Notice, Outcome, Reader
from papertui.selection import Selection, decide_selected, flip_marks, papers, question, read_plan
from papertui.tag_entry import TagEdit
from papertui.ui import keys
from papertui.ui.confirm import confirm_then
from papertui.ui.detail import DetailPane
from papertui.ui.export_dialog import ExportScreen
from papertui.ui.failsafe import guarded
from papertui.ui.name_prompt import NamePrompt
from papertui.ui.note_editor import edit_note
from papertui.ui.paper_list import PaperList
from papertui.ui.sidebar import FolderList, Sidebar
from papertui.ui.tag_editor import TagEditor

# Keys that act on the list's rows: only while the list (or the sidebar) has focus.
_ON_ROWS = {"select_range", "toggle_selected", "select_all", "jump_folder"}


def _said(label: str) -> str:
    return f"{label[:1].upper()}{label[1:]}. u undoes it."


class Workspace(Horizontal):
    """The panes beside each other, and what acts on many papers."""

    BINDINGS = keys.bindings("workspace")

    class Acted(Message):
        """An action is done: repaint from ``outcome``; show what ``query`` finds, unless None."""

        def __init__(self, outcome: Outcome, query: str | None = None, keep: str | None = None) -> None:
            super().__init__()
            self.outcome = outcome
            self.query = query
            self.keep = keep  # the paper to put the cursor on in what ``query`` finds

    def __init__(self, reader: Reader, paper_list: PaperList, detail: DetailPane, *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.reader = reader
        self.paper_list = paper_list
        self.detail = detail
        self.selection = Selection()
        paper_list.selected = self.selection
        paper_list.detail, detail.back_to = detail, paper_list  # Enter and Esc between them
        detail.similar.chosen = self._go_to_similar
        self.sidebar = Sidebar(lambda: self.reader.library, choose=self._choose,
                               leave=self._focus_list, id="sidebar")

    def compose(self) -> ComposeResult:
        yield self.sidebar  # docked left, whatever the order

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool:
        if action in _ON_ROWS:
            return self.screen.focused is self.paper_list or isinstance(self.screen.focused, FolderList)
        return True

    def _act(self, outcome: Outcome, query: str | None = None, keep: str | None = None) -> None:
        self.post_message(self.Acted(outcome, query, keep))

    def _tell(self, text: str, severity: str = "information") -> None:
        self._act(Outcome(notice=Notice(text, severity, 10 if severity == "error" else 3)))

    def _chosen(self) -> list[str]:
        """The selected papers (in the list's order), else the one under the cursor."""
        self._follow_cursor()
        if self.selection:
            library = self.reader.library
            return [pid for pid in self.selection.in_order(self.paper_list.ids) if pid in library]
        current = self.paper_list.current
        return [current] if current else []

    # Between the panes -----------------------------------------------------

    def _focus_list(self) -> None:
        """Focus the list now, in the key's action: the keys queued after that key are the list's."""
        self.screen.set_focus(self.paper_list)

    def _go_to_similar(self, paper_id: str) -> None:
        """Enter on a similar paper: focus the list, on that paper."""
        self._focus_list()
        if not self.paper_list.select(paper_id):
            # Not among the papers shown: show them all, then go to it.
            self._act(Outcome(notice=Notice("Filter cleared to show that paper.")), "", paper_id)

    # The selection ---------------------------------------------------------

    def _selection_changed(self) -> None:
        self._act(Outcome(repaint=True))

    @guarded
    def action_select_range(self) -> None:
        self.selection.start_range(self.paper_list.ids, self.paper_list.cursor)
        self._selection_changed()

    @guarded
    def action_toggle_selected(self) -> None:
        if self.paper_list.current is not None:
            self.selection.toggle(self.paper_list.current)
            self._selection_changed()
            self.paper_list.move_to(self.paper_list.cursor + 1)

    @guarded
    def action_select_all(self) -> None:
        self.selection.select_all(self.paper_list.ids)
        self._selection_changed()

    def clear_selection(self) -> bool:
        """Clear the selection; False when there was none (Esc then does what it did before)."""
        if not self.selection and not self.selection.ranging:
            return False
        self.selection.clear()
        self._selection_changed()
        return True

    @on(PaperList.Highlighted)
    @guarded
    def _cursor_moved(self) -> None:
        self._follow_cursor()

    def _follow_cursor(self) -> None:
        """Stretch a range to the cursor now: keys typed fast (``v j j s``) act before the
        list's Highlighted messages arrive here."""
        if self.selection.follow(self.paper_list.ids, self.paper_list.cursor):
            self._selection_changed()

    # Marks and export on the selection -------------------------------------

    def mark_selected(self, flag: str) -> bool:
        """Set ``flag`` ("read", "starred") on every selected paper, or clear it when all have it.

        False when nothing is selected: the key then acts on the paper under the cursor.
        """
        self._follow_cursor()
        if not self.selection:
            return False
        plan = flip_marks(self._chosen(), flag, self.reader.mark)

        def save() -> None:
            problem = self.reader.apply(plan.label, plan.after)
            self._act(Outcome(True, notice=problem or Notice(_said(plan.label), timeout=4)))

        confirm_then(self.app, plan.question, save)
        return True

    def decide(self, star: bool) -> Outcome:
        """``x`` (``S`` with ``star``): mark every selected paper read (and starred) as one
        change, clear the selection and go to the next unread paper below the cursor (the
        outcome comes as Acted); with no selection, the paper under the cursor."""
        self._follow_cursor()
        if not self.selection:
            return self.reader.decide(self.paper_list.ids, self.paper_list.cursor, star=star)
        plan = read_plan(self._chosen(), star, self.reader.mark)
        confirm_then(self.app, plan.question, lambda: self._act(decide_selected(
            self.reader, self.selection, plan, self.paper_list.ids, self.paper_list.cursor)))
        return NOTHING

    def read_all(self) -> None:
        """``A``: mark every selected paper read, else every paper shown (asks above 100)."""
        self._follow_cursor()
        ids, what = (self._chosen(), "selected") if self.selection else (list(self.paper_list.ids), "shown")
        confirm_then(self.app, self.reader.read_all_question(ids),
                     lambda: self._act(self.reader.read_all(ids, what)))

    def export_selected(self) -> bool:
        """Open the export dialog on the selected papers; False when nothing is selected."""
        self._follow_cursor()
        if not self.selection:
            return False
        ids = self._chosen()
        self.app.push_screen(ExportScreen(self.reader.library, ids, query=f"{papers(len(ids))} selected",
                                          selected=True))
        return True

    # Tags and notes ---------------------------------------------------------

    @guarded
    def action_edit_tags(self) -> None:
        ids = self._chosen()
        if not ids:
            return
        organise = self.reader.library.organise
        counted = Counter(tag for pid in ids for tag in organise.tags_of(pid))
        common = sorted(tag for tag, n in counted.items() if n == len(ids))
        some = {tag: n for tag, n in sorted(counted.items()) if n < len(ids)}
        in_use = [tag for tag, _ in sorted(organise.tag_counts().items(), key=lambda item: -item[1])]
        what = self.reader.title(ids[0]) if len(ids) == 1 else f"{papers(len(ids))} selected"
        editor = TagEditor(what, common, some, len(ids), in_use)
        self.app.push_screen(editor, lambda edit: edit and self._tags_edited(ids, edit))

    def _tags_edited(self, ids: list[str], edit: TagEdit) -> None:
        if not edit.add and not edit.remove:
            return
        confirm_then(self.app, question("Change the tags of {}?", len(ids)), lambda: self._tag(ids, edit))

    def _tag(self, ids: list[str], edit: TagEdit) -> None:
        try:
            change = self.reader.library.organise.change_tags(ids, edit.add, edit.remove)
        except PapertuiError as error:
            self._tell(f"Tags not saved: {error}", "error")
            return
        self._act(Outcome(True, notice=Notice(_said(change.label) if change else "Tags unchanged.")))
        self.sidebar.recount(force=True)

    @guarded
    def action_edit_note(self) -> None:
        paper_id = self.paper_list.current
        if paper_id is None:
            return
        text = self.reader.library.organise.note(paper_id)
        edit_note(self.app, self.reader.title(paper_id), text,
                  lambda edited: self._save_note(paper_id, edited),
                  lambda problem: self._tell(f"Note not saved: {problem}", "error"))

    def _save_note(self, paper_id: str, text: str) -> None:
        try:
            change = self.reader.library.organise.set_note(paper_id, text)
        except PapertuiError as error:
            self._tell(f"Note not saved: {error}", "error")
            return
        said = "Note unchanged." if change is None else (
            "Note cleared. u undoes it." if not text.strip() else "Note saved. u undoes it.")
        self._act(Outcome(True, notice=Notice(said)))
        self.sidebar.recount(force=True)

    # The sidebar -----------------------------------------------------------

    def recount(self) -> None:
        """The marks, papers, index or query may have changed: the sidebar counts again if the
        first three did, and marks the entry whose query is shown."""
        self.sidebar.show_query(self.reader.query)
        self.sidebar.recount()

    @guarded
    def action_toggle_sidebar(self) -> None:
        shown = not self.sidebar.display
        self.sidebar.show(shown)
        if shown:
            self.sidebar.focus_list()
        else:
            self._focus_list()

    @guarded
    def action_jump_folder(self, number: int) -> None:
        folders = self.sidebar.entries()
        if number > len(folders):
            self._tell(f"The sidebar has no entry {number}.")
            return
        self._choose(folders[number - 1].query)

    def _choose(self, query: str) -> None:
        """Show what ``query`` finds, in the list, which takes the focus."""
        self._focus_list()
        self._act(NOTHING, query)

    @guarded
    def action_save_search(self) -> None:
        query = self.reader.query.strip()
        if not query:
            self._tell("Type a filter first (/): w saves it as a saved search.")
            return
        self.app.push_screen(NamePrompt(query, lambda name: self._save_search(name, query)))

    def _save_search(self, name: str, query: str) -> str | None:
        if not name:
            return "Type a name."
        try:
            self.reader.library.organise.add_saved(name, query)
        except PapertuiError as error:
            return str(error)
        self._tell(f"Saved the search {name!r}: {query}")
        self.sidebar.recount(force=True)
        return None
