"""x and A on a selection, and the sidebar marking the entry shown, driven by keys."""

from __future__ import annotations

from test_ui_organise import counts, entry_text
from ui_helpers import notices, running, settle, type_query

from papertui.models import Mark
from papertui.ui.sidebar import FolderList


async def test_x_on_a_selection_marks_it_read_clears_it_and_goes_to_the_next_unread(make_library):
    library = make_library()
    ids = list(library.ids)
    library.set_marks({ids[3]: Mark(read=True)})
    async with running(library) as (app, pilot):
        paper_list = app.main_screen.paper_list
        await pilot.press("space", "space")  # papers 0 and 1; the cursor is on 2
        assert counts(app).endswith("· 2 selected")
        await pilot.press("x")
        assert [library.mark(pid).read for pid in ids[:5]] == [True, True, False, True, False]
        assert "Marked 2 papers read. u undoes it." in notices(app)
        assert counts(app) == "67 papers · 3 read · 0 starred"  # the selection is gone
        assert paper_list.cursor == 4  # the next unread after the cursor (3 was read)
        await pilot.press("u")
        assert [library.mark(pid).read for pid in ids[:2]] == [False, False]
        assert "Undone: marked 2 papers read." in notices(app)
        await pilot.press("space", "A")  # A marks only the selection read
        assert library.mark(ids[4]).read and library.counts()[1] == 2
        assert "Marked 1 paper read. u undoes it." in notices(app)


async def test_the_sidebar_marks_the_entry_the_filter_shows_and_follows_it(make_library):
    library = make_library()
    library.organise.add_saved("diffusion", "diffusion")
    async with running(library) as (app, pilot):
        await pilot.press("b")
        await settle(pilot)
        assert not any("▸" in entry_text(app, n) for n in range(4))
        await pilot.press("escape", "2")  # Unread
        await settle(pilot)
        assert app.main_screen.reader.query == "is:unread"
        assert [("▸" in entry_text(app, n)) for n in range(4)] == [False, True, False, False]
        assert app.query_one(FolderList).highlighted == 1
        await type_query(pilot, "diffusion")
        assert [("▸" in entry_text(app, n)) for n in range(4)] == [False, False, False, True]
        await type_query(pilot, " diffusion model")
        assert not any("▸" in entry_text(app, n) for n in range(4))
