"""What the detail pane and the list rows show, and what `c` copies (issues 11, 12, 13, 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_helpers import body_lines, burst, drawn, notices, running, settle

from papertui.models import Mark
from papertui.ui.paper_list import PaperList
from papertui.ui.sidebar import FolderList

FIXTURES = Path(__file__).parent.parent / "fixtures"
HF = FIXTURES / "daily_papers-2026-06.json"
RSS = FIXTURES / "rss-cs-cv.xml"
MINIMAX = "2606.13392"  # in the HF fixture: 103 upvotes, 4 comments, code with 251 stars
ROBUST = "2606.08063"  # in the HF fixture: code and a project page


def body(app) -> str:
    return str(app.query_one("#detail-body").content)


def row_text(app, index: int) -> str:
    papers = app.query_one(PaperList)
    y = index - round(papers.scroll_offset.y)
    return "".join(segment.text for segment in papers.render_line(y))


@pytest.fixture
def with_feeds(make_library):
    """The seed plus the Hugging Face and arXiv RSS fixtures."""
    library = make_library()
    library.add_sources([str(HF), str(RSS)])
    return library


async def go_to(app, pilot, paper_id: str) -> None:
    assert app.main_screen.paper_list.select(paper_id)
    await settle(pilot)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_hugging_face_paper_shows_authors_counts_code_project_and_link(with_feeds, size):
    async with running(with_feeds, size=size) as (app, pilot):
        await go_to(app, pilot, ROBUST)
        text = body(app)
        assert "Jiaqi Tang, Jianmin Chen" in text
        assert "2026-06-06 · daily_papers-2026-06.json" in text
        assert "74 upvotes · 3 comments" in text
        assert "Code https://github.com/jqtangust/Robust-U1  ★ 86" in text
        assert "Project https://huggingface.co/spaces/Jiaqi-hkust/Robust-U1" in text
        assert "Link https://arxiv.org/abs/2606.08063" in text
        assert "id 2606.08063" in text


async def test_an_rss_paper_shows_its_categories_announce_type_and_the_date_once(with_feeds):
    async with running(with_feeds) as (app, pilot):
        await go_to(app, pilot, "2503.12827")
        lines = body_lines(app)
        assert "cs.CV updates on arXiv.org · 2025-03-18" in lines
        assert "cs.CV · cs.LG · announced as replace-cross" in lines
        assert body(app).count("2025-03-18") == 1


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_seed_paper_has_no_dangling_dot_and_its_id_breaks_between_words(make_library, size):
    library = make_library()
    async with running(library, size=size) as (app, pilot):
        paper_id = app.main_screen.paper_list.current
        assert len(paper_id) > 60  # a title id, longer than the pane is wide
        lines = body_lines(app)
        assert not any(line.endswith("·") for line in lines)
        start = next(i for i, line in enumerate(lines) if line.startswith("id "))
        id_lines = lines[start:start + 3]
        id_lines[0] = id_lines[0].removeprefix("id ")
        folded = []
        for line in id_lines:
            folded.append(line)
            if "".join(folded) == paper_id:
                break
        assert "".join(folded) == paper_id
        assert all(line.endswith("-") for line in folded[:-1])


async def test_tags_note_pdf_and_marks_show_in_the_pane(make_library):
    library = make_library()
    pid = library.ids[0]
    library.organise.change_tags([pid], add=["survey", "ask-ana"])
    library.organise.set_note(pid, "Read **section 3** first.\n\n- compare with GQA")
    library.set_marks({pid: Mark(starred=True)})
    from papertui import pdfs
    pdfs.path_for(pid).parent.mkdir(parents=True)
    pdfs.path_for(pid).write_bytes(b"%PDF-1.4\n")
    async with running(library) as (app, pilot):
        lines = body_lines(app)
        assert "ask-ana   survey" in "\n".join(lines)
        assert "★ Starred  ● Unread  PDF ✓" in lines
        note = app.query_one("#detail-note")
        assert note.display
        shown = "\n".join(drawn(note))
        assert "Read section 3 first." in shown and "**" not in shown  # rendered, not raw
        assert "compare with GQA" in shown
        await pilot.press("j")
        await settle(pilot)
        assert not app.query_one("#detail-note").display  # the next paper has no note


# The list's rows ------------------------------------------------------------------


async def test_tags_show_as_chips_in_the_row(make_library):
    library = make_library()
    pid = library.ids[1]
    library.organise.change_tags([pid], add=["baselines"])
    async with running(library) as (app, pilot):
        assert "baselines" in row_text(app, 1)
        assert "baselines" not in row_text(app, 0)
        library.organise.change_tags([pid], remove=["baselines"])
        app.main_screen.paper_list.refresh_marks()
        await pilot.pause()
        assert "baselines" not in row_text(app, 1)


async def test_wide_terminals_show_the_date_and_first_author(with_feeds):
    async with running(with_feeds, size=(150, 40)) as (app, pilot):
        index = app.main_screen.paper_list.ids.index(MINIMAX)
        await go_to(app, pilot, MINIMAX)
        row = row_text(app, index)
        assert "MiniMax Sparse Attention" in row
        assert "2026-06-11" in row and "Lai et al." in row
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        row = row_text(app, index)
        assert "MiniMax Sparse Attention" in row and "Lai et al." not in row


# c and O agree ----------------------------------------------------------------------


async def test_c_on_a_paper_without_a_link_copies_the_title_and_says_so(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        paper = library.paper(app.main_screen.paper_list.current)
        assert paper.link is None
        await pilot.press("c")
        assert app.clipboard == paper.title
        assert notices(app)[-1] == "Copied the title (no link known)."
        await pilot.press("O")
        assert notices(app)[-1] == "No link is known for this paper."


async def test_c_on_a_paper_with_a_link_copies_both(with_feeds):
    async with running(with_feeds) as (app, pilot):
        await go_to(app, pilot, MINIMAX)
        await pilot.press("c")
        assert app.clipboard == "MiniMax Sparse Attention\nhttps://arxiv.org/abs/2606.13392"
        assert notices(app)[-1] == "Copied the title and link."


@pytest.mark.parametrize("opens", ["enter", "tab"])
async def test_keys_typed_right_after_opening_or_leaving_the_pane_reach_the_pane_they_lead_to(
        make_library, opens):
    async with running(make_library()) as (app, pilot):
        screen = app.main_screen
        papers = screen.paper_list
        burst(app, "j", opens, "j", "j")
        await settle(pilot)
        assert screen.detail.has_focus
        assert papers.ids.index(papers.current) == 1  # the j's after it were the pane's
        burst(app, "escape", "j", "j")
        await settle(pilot)
        assert papers.has_focus
        assert papers.ids.index(papers.current) == 3  # those after Esc were the list's


async def test_keys_typed_right_after_enter_in_the_pane_or_b_reach_what_they_focus(make_library):
    async with running(make_library(), size=(120, 50)) as (app, pilot):
        screen = app.main_screen
        papers, similar = screen.paper_list, screen.detail.similar
        await pilot.press("enter")
        await settle(pilot)
        assert similar.has_papers
        burst(app, "enter", "j")
        await settle(pilot)
        assert similar.has_focus and similar.highlighted == 1  # Enter went in; j moved in it
        burst(app, "escape", "b", "j", "b", "j")
        await settle(pilot)
        assert papers.has_focus
        assert papers.ids.index(papers.current) == 1  # the second j: the first was the sidebar's
        assert screen.workspace.sidebar.query_one(FolderList).highlighted == 1


@pytest.mark.parametrize(("page", "entry"), [("pagedown", -1), ("pageup", 0)])
async def test_a_page_key_typed_right_after_b_pages_the_sidebar_before_it_is_laid_out(
        make_library, page, entry):
    async with running(make_library()) as (app, pilot):
        burst(app, "b", "j", page)  # the page key arrives before the sidebar has a size
        await settle(pilot)
        sidebar = app.main_screen.workspace.sidebar
        assert app.is_running
        assert sidebar.query_one(FolderList).highlighted == range(len(sidebar.folders))[entry]


async def test_keys_typed_right_after_enter_on_a_similar_paper_or_a_sidebar_entry_or_esc_there_reach_the_list(
        make_library):
    async with running(make_library(), size=(120, 50)) as (app, pilot):
        screen = app.main_screen
        papers, similar = screen.paper_list, screen.detail.similar
        await pilot.press("enter")
        await settle(pilot)
        target = similar.get_option_at_index(0).id
        burst(app, "enter", "enter", "j")  # into the similar papers, to the first, then down the list
        await settle(pilot)
        assert papers.has_focus
        assert papers.ids.index(papers.current) == papers.ids.index(target) + 1
        burst(app, "b", "escape", "k")
        await settle(pilot)
        assert papers.has_focus and papers.current == target
        assert screen.workspace.sidebar.display  # Esc left it shown: b hides it, b again focuses it
        burst(app, "b", "b", "home", "j", "j", "enter", "j")  # Starred, then j is the list's
        await settle(pilot)
        assert screen.reader.query == "is:starred"
        assert papers.has_focus and screen.workspace.sidebar.query_one(FolderList).highlighted == 2
