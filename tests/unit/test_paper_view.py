"""What the detail pane and the list rows say about a paper (papertui.paper_view), without Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest

from papertui import pdfs
from papertui.models import Mark, make_paper
from papertui.paper_view import (PaperView, Rows, byline, clipboard_text, counts_line, fold_id,
                                 links, topics_line, view_of, where_line, why_line)

FIXTURES = Path(__file__).parent.parent / "fixtures"


def rss_paper():
    return make_paper("Safe Vision-Language Models", arxiv="2503.11742", date="2025-03-18",
                      source="rss-cs-cv.xml", categories=["cs.CV", "cs.AI"],
                      extra={"announce_type": "cross"})


def hf_paper(**changes):
    fields = dict(arxiv="2606.13392", date="2026-06-11", source="daily.json",
                  authors=["Xunhao Lai", "Weiqi Xu"], upvotes=103,
                  github="https://github.com/MiniMax-AI/MSA", project_page="https://msa.example",
                  extra={"comments": 4, "github_stars": 1251})
    fields.update(changes)
    return make_paper("MiniMax Sparse Attention", **fields)


# Where a paper comes from -------------------------------------------------------


def test_the_date_shows_once_when_the_source_label_already_ends_with_it():
    view = PaperView(rss_paper(), sources=("cs.CV updates on arXiv.org · 2025-03-18",))
    assert where_line(view) == "cs.CV updates on arXiv.org · 2025-03-18"


def test_the_date_leads_when_no_source_label_has_it():
    view = PaperView(hf_paper(), sources=("daily.json",))
    assert where_line(view) == "2026-06-11 · daily.json"


def test_a_seed_paper_has_no_dangling_separator():
    seed = make_paper("ScaLearn: Simple and Highly Parameter-Efficient", source="seed.txt")
    assert where_line(PaperView(seed, sources=("Daily Papers · Aug 13",))) == "Daily Papers · Aug 13"
    assert where_line(PaperView(seed)) == ""


# Topics, counts and links ---------------------------------------------------------


def test_categories_and_the_announce_type():
    assert topics_line(rss_paper()) == "cs.CV · cs.AI · announced as cross"
    assert topics_line(hf_paper()) == ""


def test_hugging_face_counts():
    assert counts_line(hf_paper()) == "103 upvotes · 4 comments"
    assert counts_line(hf_paper(upvotes=1, extra={"comments": 1})) == "1 upvote · 1 comment"
    assert counts_line(hf_paper(upvotes=0, extra={})) == "0 upvotes"
    assert counts_line(rss_paper()) == ""


def test_links_name_the_code_with_its_stars_the_project_and_the_paper():
    assert links(hf_paper()) == [
        ("Code", "https://github.com/MiniMax-AI/MSA", "★ 1,251"),
        ("Project", "https://msa.example", ""),
        ("Link", "https://arxiv.org/abs/2606.13392", ""),
    ]
    seed = make_paper("A title only", source="seed.txt")
    assert links(seed) == []


def test_why_names_the_shared_terms():
    view = PaperView(rss_paper(), why=("diffusion", "video", "motion"))
    assert why_line(view) == "For you: shares diffusion, video, motion with your stars"
    assert why_line(PaperView(rss_paper())) == ""


# The id, folded ------------------------------------------------------------------


LONG_ID = "scalearn-simple-and-highly-parameter-efficient-task-transfer-by-learning-to-scale"


@pytest.mark.parametrize("width", [20, 31, 50, 77])
def test_a_title_id_folds_after_hyphens_never_mid_word(width):
    lines = fold_id(LONG_ID, width)
    assert "".join(lines) == LONG_ID
    assert all(len(line) <= width for line in lines)
    assert all(line.endswith("-") for line in lines[:-1])
    assert len(lines) > 1


def test_a_short_id_and_no_width_stay_whole():
    assert fold_id("2606.13392", 20) == ["2606.13392"]
    assert fold_id(LONG_ID, 0) == [LONG_ID]


def test_a_part_longer_than_the_line_is_cut_at_the_width():
    assert fold_id("abcdefghij-kl", 4) == ["abcd", "efgh", "ij-", "kl"]


# The clipboard and the list's columns ---------------------------------------------


def test_c_copies_the_title_and_link_or_says_there_is_no_link():
    assert clipboard_text("T", "https://x") == ("T\nhttps://x", "Copied the title and link.")
    assert clipboard_text("T", None) == ("T", "Copied the title (no link known).")


def test_the_byline_is_the_date_and_the_first_authors_surname():
    assert byline(hf_paper()) == ("2026-06-11", "Lai et al.")
    assert byline(hf_paper(authors=["Gould, Andrew"])) == ("2026-06-11", "Gould")
    assert byline(make_paper("Seed", source="s")) == ("", "")


# Through the facade ---------------------------------------------------------------


def test_view_of_gathers_labels_tags_note_and_pdf(seed_library):
    pid = seed_library.ids[0]
    seed_library.organise.change_tags([pid], add=["survey", "ask-ana"])
    seed_library.organise.set_note(pid, "Read **section 3**.")
    seed_library.set_marks({pid: Mark(read=True, starred=True)})
    view = view_of(seed_library, pid)
    assert view.sources == ("Daily Papers · Aug 13",)  # the label, not the file name
    assert view.tags == ("ask-ana", "survey")
    assert view.note == "Read **section 3**."
    assert view.mark == Mark(read=True, starred=True)
    assert view.pdf is False and view.why == ()
    pdfs.path_for(pid).parent.mkdir(parents=True)
    pdfs.path_for(pid).write_bytes(b"%PDF-1.4\n")
    assert view_of(seed_library, pid).pdf is True


def test_rows_follow_the_library_they_are_given(seed_library):
    pid = seed_library.ids[0]
    rows = Rows(lambda: seed_library)
    seed_library.organise.change_tags([pid], add=["baselines"])
    assert rows.row(pid).title == seed_library.paper(pid).title
    assert rows.tags(pid) == ("baselines",)
    assert rows.mark(pid) == Mark()
