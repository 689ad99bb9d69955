"""The reader as a user sees it: the list, the detail pane, the filter bar, moving around."""

from __future__ import annotations

import dataclasses

from ui_helpers import SEED_PAPERS, notices, running, settle, type_query
from textual.widgets import Label

from papertui.ui.detail import DetailPane
from papertui.ui.filter_bar import FilterInput


def status(app) -> str:
    return str(app.query_one("#filter-status", Label).content)


def counts(app) -> str:
    return str(app.query_one("#counts", Label).content)


def detail_text(app) -> str:
    """The detail pane's facts and abstract, as shown."""
    return "\n".join(str(app.query_one(part).content) for part in ("#detail-body", "#detail-abstract"))


async def test_opens_on_the_seed_list_with_name_and_counts(make_library):
    async with running(make_library()) as (app, pilot):
        assert len(app.main_screen.paper_list.ids) == SEED_PAPERS
        assert str(app.query_one("#list-name", Label).content) == "Daily Papers · Aug 13"
        assert counts(app) == "67 papers · 0 read · 0 starred"
        assert status(app) == "67 of 67"
        assert app.focused is app.main_screen.paper_list
        first = app.main_screen.reader.library.paper(app.main_screen.paper_list.ids[0])
        assert first.title in detail_text(app)


async def test_movement_keys(make_library):
    async with running(make_library()) as (app, pilot):
        papers = app.main_screen.paper_list
        await pilot.press("j", "j", "down")
        assert papers.cursor == 3
        await pilot.press("k", "up")
        assert papers.cursor == 1
        await pilot.press("G")
        assert papers.cursor == SEED_PAPERS - 1
        await pilot.press("g")
        assert papers.cursor == 0
        await pilot.press("pagedown")
        page = papers.cursor
        assert page > 10
        await pilot.press("pagedown", "pageup")
        assert papers.cursor == page
        await pilot.press("end", "home")
        assert papers.cursor == 0
        await pilot.press("k")
        assert papers.cursor == 0  # stays at the top


async def test_moving_the_cursor_updates_the_detail_pane_but_no_marks(make_library):
    async with running(make_library()) as (app, pilot):
        await pilot.press("j", "j", "j")
        paper = app.main_screen.reader.library.paper(app.main_screen.paper_list.current)
        assert paper.title in detail_text(app)
        assert app.main_screen.reader.library.counts() == (SEED_PAPERS, 0, 0)


async def test_detail_shows_tex_as_text(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        jiuzhang = next(pid for pid in library.ids if "JiuZhang" in library.paper(pid).title)
        assert app.main_screen.paper_list.select(jiuzhang)
        await settle(pilot)
        text = detail_text(app)
        assert "language models (PLMs)" in text
        assert "(e.g. a model copy" in text
        assert "JiuZhang 2.0" in text
        assert "\\eg" not in text and "~" not in text


async def test_clicking_a_row_selects_it(make_library):
    async with running(make_library()) as (app, pilot):
        await pilot.click("#paper-list", offset=(10, 4))
        assert app.main_screen.paper_list.cursor == 4
        assert app.main_screen.reader.library.counts()[1:] == (0, 0)


async def test_enter_focuses_the_detail_pane_and_escape_comes_back(make_library):
    async with running(make_library()) as (app, pilot):
        await pilot.press("enter")
        assert isinstance(app.focused, DetailPane)
        await pilot.press("j", "j")  # scrolls the abstract, not the list
        assert app.main_screen.paper_list.cursor == 0
        await pilot.press("escape")
        assert app.focused is app.main_screen.paper_list
        await pilot.press("tab")
        assert isinstance(app.focused, DetailPane)


# The filter bar -----------------------------------------------------------


async def test_slash_filters_with_ranked_results_and_highlights(make_library):
    async with running(make_library()) as (app, pilot):
        await type_query(pilot, "mixture experts")
        shown = app.main_screen.paper_list.ids
        assert 0 < len(shown) < SEED_PAPERS
        assert "Mixture of Experts" in app.main_screen.reader.library.paper(shown[0]).title or "Mixture" in (
            app.main_screen.reader.library.paper(shown[0]).title
        )
        assert status(app) == f"{len(shown)} of 67"
        assert counts(app).endswith(f"· {len(shown)} shown")
        assert app.focused is app.main_screen.paper_list  # Enter went back to the list
        spans = app.main_screen.reader.shown.result.highlights.spans("title", app.main_screen.reader.library.paper(shown[0]).title)
        assert spans  # the list and detail highlight these


async def test_typing_filters_live_after_a_pause(make_library):
    async with running(make_library()) as (app, pilot):
        await pilot.press("slash", *"is:starred")
        await settle(pilot)  # the debounce timer fires after typing stops: settle waits for it
        assert status(app) == "0 of 67"
        assert isinstance(app.focused, FilterInput)


async def test_an_invalid_query_says_why_and_keeps_the_last_good_list(make_library):
    async with running(make_library()) as (app, pilot):
        await type_query(pilot, "mixture experts")
        good = list(app.main_screen.paper_list.ids)
        await type_query(pilot, "mixture is:bogus")
        assert app.main_screen.paper_list.ids == good
        assert "unknown filter 'is:bogus'" in app.main_screen.filter_bar.message
        assert app.query_one("#filter-message").has_class("-error")
        assert status(app) == f"{len(good)} of 67"  # what is still shown
        await type_query(pilot, 'title:')
        assert app.main_screen.paper_list.ids == good
        assert "title: needs a word" in app.main_screen.filter_bar.message
        await type_query(pilot, "mixture")
        assert app.main_screen.filter_bar.message == ""
        assert app.is_running


async def test_escape_leaves_the_bar_then_clears_the_query(make_library):
    async with running(make_library()) as (app, pilot):
        await pilot.press("slash", *"is:unread", "enter")
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, FilterInput)
        await pilot.press("escape")
        assert app.focused is app.main_screen.paper_list
        assert app.main_screen.filter_bar.value == "is:unread"
        await pilot.press("escape")
        await settle(pilot)
        assert app.main_screen.filter_bar.value == ""
        assert len(app.main_screen.paper_list.ids) == SEED_PAPERS
        assert status(app) == "67 of 67"


async def test_quick_filters_add_and_remove_their_terms(make_library):
    async with running(make_library()) as (app, pilot):
        await pilot.press("s", "j", "j", "s", "r")
        await pilot.press("U")
        await settle(pilot)
        assert app.main_screen.filter_bar.value == "is:unread"
        assert len(app.main_screen.paper_list.ids) == SEED_PAPERS - 1
        await pilot.press("asterisk")
        await settle(pilot)
        assert app.main_screen.filter_bar.value == "is:unread is:starred"
        assert len(app.main_screen.paper_list.ids) == 1  # starred AND unread
        await pilot.press("U")
        await settle(pilot)
        assert app.main_screen.filter_bar.value == "is:starred"
        assert len(app.main_screen.paper_list.ids) == 2
        await pilot.press("asterisk")
        await settle(pilot)
        assert app.main_screen.filter_bar.value == ""
        assert len(app.main_screen.paper_list.ids) == SEED_PAPERS


async def test_quick_filter_keeps_typed_text(make_library):
    async with running(make_library()) as (app, pilot):
        await type_query(pilot, '"mixture of experts"  is:read')
        await pilot.press("U")
        await settle(pilot)
        assert app.main_screen.filter_bar.value == '"mixture of experts" is:unread'


async def test_o_cycles_the_sort_order(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        await pilot.press("o")
        await settle(pilot)
        titles = [library.paper(pid).title.casefold() for pid in app.main_screen.paper_list.ids]
        assert titles == sorted(titles)
        assert status(app).endswith("· by title")
        await pilot.press("o", "o", "o")  # date, for you (no stars: list order), list order
        await settle(pilot)
        assert app.main_screen.reader.shown.result.order == "list order"
        await settle(pilot)
        assert app.main_screen.paper_list.ids == library.ids
        await type_query(pilot, "mixture experts")
        ranked = list(app.main_screen.paper_list.ids)
        await pilot.press("o")  # relevance -> list order
        await settle(pilot)
        assert sorted(app.main_screen.paper_list.ids) == sorted(ranked)
        order = {pid: i for i, pid in enumerate(library.ids)}
        assert app.main_screen.paper_list.ids == sorted(ranked, key=order.__getitem__)


# Paper actions ---------------------------------------------------------------


async def test_c_copies_the_title_alone_when_no_link_is_known(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        await pilot.press("c")
        paper = library.paper(app.main_screen.paper_list.current)
        assert paper.link is None  # a seed paper: `O` says no link is known, so `c` copies none
        assert app.clipboard == paper.title


async def test_O_opens_the_link_or_says_there_is_none(make_library, monkeypatch):
    library = make_library()
    opened: list[str] = []
    async with running(library, opener=opened.append) as (app, pilot):
        await pilot.press("O")
        await settle(pilot)
        assert opened == []
        assert "No link is known for this paper." in notices(app)
        first = app.main_screen.paper_list.current
        real = library.paper

        def with_link(pid):
            paper = real(pid)
            return dataclasses.replace(paper, url="https://arxiv.org/abs/2310.01217") if pid == first else paper

        monkeypatch.setattr(library, "paper", with_link)
        await pilot.press("O")
        await settle(pilot)
        assert opened == ["https://arxiv.org/abs/2310.01217"]


async def test_e_opens_the_export_dialog(make_library):
    from papertui.ui.export_dialog import ExportScreen

    async with running(make_library()) as (app, pilot):
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)


async def test_library_notices_show_at_start(make_library):
    library = make_library()
    library.notices.append("broken.bib: not UTF-8 (byte 0xff at column 3)")
    async with running(library) as (app, pilot):
        assert "broken.bib: not UTF-8 (byte 0xff at column 3)" in notices(app)


async def test_notices_from_opening_the_index_show_too(make_library, monkeypatch):
    library = make_library()
    opened = library.ensure_index

    def ensure_index(progress=None):
        library.notices.append("An earlier index build was interrupted; rebuilding the index.")
        return opened(progress)

    monkeypatch.setattr(library, "ensure_index", ensure_index)
    async with running(library) as (app, pilot):
        assert notices(app).count("An earlier index build was interrupted; rebuilding the index.") == 1


async def test_query_and_cursor_are_restored_after_a_restart(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        await type_query(pilot, "mixture experts")
        await pilot.press("j")
        chosen = app.main_screen.paper_list.current
        await pilot.press("q")
    library.close()
    async with running(make_library()) as (again, pilot):
        assert again.main_screen.filter_bar.value == "mixture experts"
        assert again.main_screen.paper_list.current == chosen


async def test_the_cursor_is_restored_without_a_query_too(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        await pilot.press("j", "j", "j")
        chosen = app.main_screen.paper_list.current
        await pilot.press("q")
    library.close()
    async with running(make_library()) as (again, pilot):
        assert again.main_screen.filter_bar.value == ""
        assert again.main_screen.paper_list.current == chosen


async def test_clearing_a_filter_keeps_the_paper_in_view(make_library):
    async with running(make_library(), size=(80, 24)) as (app, pilot):
        await pilot.press("G", "k", "s")  # star a paper near the end
        chosen = app.main_screen.paper_list.current
        await pilot.press("asterisk")
        await settle(pilot)
        assert app.main_screen.paper_list.ids == [chosen]
        await pilot.press("escape")
        await settle(pilot)
        papers = app.main_screen.paper_list
        assert papers.current == chosen and papers.cursor == len(papers.ids) - 2
        top = round(papers.scroll_offset.y)
        assert top <= papers.cursor < top + papers.scrollable_content_region.height
