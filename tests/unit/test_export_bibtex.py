"""BibTeX export: read back by bibtexparser and pybtex with every title and author intact."""

from __future__ import annotations

import datetime
import re

import bibtexparser
import pybtex.database
import pytest
from bibtexparser.middlewares.names import split_multiple_persons_names
from export_cases import ITEMS, MANY_AUTHORS, NASTY, SEED_LIKE, items_for
from hypothesis import given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from papertui.export import ExportItem, citation_key, render
from papertui.export.citekeys import assign_keys
from papertui.models import Paper, make_paper

ON = datetime.date(2025, 8, 13)


def bib(items) -> str:
    return render(items, "bib", list_name="Daily Papers", on=ON)


def _decoder() -> LatexNodes2Text:
    # Un-escaping as TeX would print it, minus ligatures (-- stays --, as typed),
    # plus the text symbols pylatexenc's decoder lacks or maps elsewhere
    # (it reads \textasciicircum as U+02C6 and drops \textbraceleft).
    context = get_default_latex_context_db().filter_context(keep_which=["macros", "environments"])
    symbols = {"textbraceleft": "{", "textbraceright": "}", "textasciicircum": "^",
               "textless": "<", "textgreater": ">", "textbar": "|"}
    context.add_context_category(
        "export-test", prepend=True, macros=[MacroTextSpec(n, t) for n, t in symbols.items()]
    )
    return LatexNodes2Text(latex_context=context, math_mode="verbatim", strict_latex_spaces=True)


DECODER = _decoder()


def plain(tex: str) -> str:
    """A field's text as it prints: escapes undone, protecting braces dropped."""
    return DECODER.latex_to_text(tex)


def read_with_bibtexparser(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    return {entry.key: {f.key: f.value for f in entry.fields} for entry in library.entries}


def read_with_pybtex(text: str) -> pybtex.database.BibliographyData:
    return pybtex.database.parse_string(text, "bibtex")


def pybtex_name(person: pybtex.database.Person, original: str) -> str:
    if "," in original:
        return plain(str(person))
    parts = person.first_names + person.middle_names + person.prelast_names
    return plain(" ".join(parts + person.last_names + person.lineage_names))


# --- round trips -------------------------------------------------------------


def test_every_title_and_author_survives_bibtexparser():
    entries = read_with_bibtexparser(bib(ITEMS))
    assert len(entries) == 23
    for fields, item in zip(entries.values(), ITEMS):
        assert plain(fields["title"]) == item.paper.title
        authors = split_multiple_persons_names(fields["author"]) if "author" in fields else []
        assert [plain(a) for a in authors] == list(item.paper.authors)


def test_every_title_and_author_survives_pybtex():
    data = read_with_pybtex(bib(ITEMS))
    assert len(data.entries) == 23
    for entry, item in zip(data.entries.values(), ITEMS):
        assert plain(entry.fields["title"]) == item.paper.title
        people = entry.persons.get("author", [])
        assert [pybtex_name(p, a) for p, a in zip(people, item.paper.authors)] == list(
            item.paper.authors
        )
        assert len(people) == len(item.paper.authors)


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1),
    st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))), max_size=3),
)
def test_any_title_and_author_survive_both_parsers(text, names):
    title = " ".join(text.split())
    authors = tuple(a for a in (" ".join(n.split()) for n in names) if a)
    if not title:
        return
    authors = tuple(a for a in authors if a.count(",") <= 2)  # BibTeX's own name syntax
    item = ExportItem(Paper(id="x", title=title, authors=authors), False, False)
    text = bib([item])
    (fields,) = read_with_bibtexparser(text).values()
    assert plain(fields["title"]) == title
    names = split_multiple_persons_names(fields["author"]) if authors else []
    assert [plain(name) for name in names] == list(authors)
    (entry,) = read_with_pybtex(text).entries.values()
    assert plain(entry.fields["title"]) == title
    assert len(entry.persons.get("author", [])) == len(authors)


# --- what the entries say ----------------------------------------------------


def only_entry(paper: Paper, read=False, starred=False) -> str:
    return bib([ExportItem(paper, read, starred)])


def field(text: str, name: str) -> str | None:
    """The raw value of one field of a one-entry file, as written."""
    match = re.search(rf"^  {name} *= \{{(.*)\}},?$", text, re.MULTILINE)
    return match and match.group(1)


def test_arxiv_preprint_is_misc_with_eprint_doi_and_url():
    text = only_entry(SEED_LIKE[0], read=True, starred=True)
    assert text.startswith("@misc{frohmann2023scalearn-")
    assert field(text, "title") == (
        "{ScaLearn: Simple} and {Highly Parameter-Efficient Task Transfer} by"
        " {Learning} to {Scale}"
    )
    assert field(text, "author") == "Markus Frohmann and Carolin Holtermann and Shahed Masoudian"
    assert field(text, "year") == "2023"
    assert field(text, "eprint") == "2310.01217"
    assert field(text, "archivePrefix") == "arXiv"
    assert field(text, "doi") == "10.48550/arXiv.2310.01217"
    assert field(text, "url") == "https://arxiv.org/abs/2310.01217"
    assert field(text, "keywords") == "read, starred"


def test_paper_with_a_journal_is_an_article():
    text = only_entry(SEED_LIKE[4])
    assert text.startswith("@article{kaplan2020scaling-")
    assert field(text, "journal") == "arXiv preprint"
    assert field(text, "eprint") == "2001.08361"
    assert field(text, "doi") is None  # the arXiv DOI names the preprint, not the article


def test_capitals_are_protected_and_lower_case_words_are_not():
    text = only_entry(make_paper("bert2BERT: towards Reusable models", source="x"))
    assert field(text, "title") == "{bert2BERT:} towards {Reusable} models"


def test_non_ascii_stays_utf8():
    text = only_entry(SEED_LIKE[1])
    assert field(text, "title").startswith(
        "{PanGu-α: Large-scale Autoregressive Pretrained Chinese Language Models}"
    )
    assert "ensuremath" not in text


def test_specials_are_escaped_and_print_as_themselves():
    paper = make_paper(r"{ } % & $ # _ \ ~ ^ < > |", source="x")
    text = only_entry(paper)
    title = field(text, "title")
    assert title == (
        r"\textbraceleft{} \textbraceright{} \% \& \$ \# \_ \textbackslash{}"
        r" \textasciitilde{} \textasciicircum{} \textless{} \textgreater{} \textbar{}"
    )
    assert plain(title) == paper.title


def test_math_written_as_tex_passes_through():
    text = only_entry(make_paper(r"$\alpha$-Net and $O(n^2)$ for $5 each", source="x"))
    assert field(text, "title") == r"{$\alpha$-Net} and {$O(n^2)$} for \$5 each"


def test_math_that_would_break_the_file_is_escaped_as_text():
    text = only_entry(make_paper(r"$\{a$ and $50% b$", source="x"))
    assert field(text, "title") == r"\$\textbackslash{}\textbraceleft{}a\$ and \$50\% b\$"


def test_a_backslash_command_outside_math_is_text():
    text = only_entry(make_paper(r"A \textbf{bold} claim", source="x"))
    assert field(text, "title") == (
        r"{A} \textbackslash{}textbf\textbraceleft{}bold\textbraceright{} claim"
    )


def test_a_run_starting_with_a_backslash_gets_double_braces():
    # BibTeX treats {\...} as one special character and lower-cases inside it.
    assert field(only_entry(make_paper("_Foo Bar", source="x")), "title") == r"{{\_Foo Bar}}"


def test_organisations_and_odd_names_stay_one_name():
    paper = make_paper("T", authors=["Google DeepMind and Friends", "A, B, C, D"], source="x")
    (entry,) = read_with_pybtex(only_entry(paper)).entries.values()
    assert [plain(str(p)) for p in entry.persons["author"]] == [
        "Google DeepMind and Friends", "A, B, C, D"
    ]


def test_missing_fields_are_left_out():
    text = only_entry(Paper(id="a-bare-paper", title="A Bare Paper"))
    assert re.fullmatch(
        r"@misc\{bare-[a-z0-9]{5},\n  title    = \{\{A Bare Paper\}\},\n  keywords = \{unread\}\n\}\n",
        text,
    )


def test_three_thousand_authors_parse():
    data = read_with_pybtex(bib([ExportItem(MANY_AUTHORS, False, False)]))
    (entry,) = data.entries.values()
    assert len(entry.persons["author"]) == 3000
    assert str(entry.persons["author"][2999]) == "Surname2999, Author2999"


# --- citation keys -------------------------------------------------------------


def test_key_is_last_name_year_title_word_and_a_tag():
    assert re.fullmatch(r"kaplan2020scaling-[a-z0-9]{5}", citation_key(SEED_LIKE[4]))
    assert re.fullmatch(r"li2025predictable-[a-z0-9]{5}", citation_key(SEED_LIKE[2]))


@pytest.mark.parametrize(
    ("title", "authors", "date", "readable"),
    [
        ("The Art of War", ["Sun Tzu"], "2000", "tzu2000art"),
        ("On the Origin", ["Charles Darwin Jr."], None, "darwinorigin"),
        ("Études", ["José García-López"], "1999-05", "garcialopez1999etudes"),
        ("A Title", ["Kaplan, Jared"], "2020", "kaplan2020title"),
        ("Without Any Authors", [], "2021", "without2021"),
        ("中文标题", ["李华"], "2022", "paper2022"),
        ("$\\alpha$-Net", ["O'Brien"], None, "obrienalpha"),
        ("100 Ways", ["A B"], None, "bways"),
    ],
)
def test_key_readable_part(title, authors, date, readable):
    paper = make_paper(title, authors=authors, date=date, source="x")
    assert citation_key(paper).rsplit("-", 1)[0] == readable


def test_keys_are_the_same_in_every_export_whatever_the_order_or_company():
    full = assign_keys(item.paper for item in ITEMS)
    shuffled = assign_keys(item.paper for item in reversed(ITEMS))
    subset = assign_keys(item.paper for item in ITEMS[::3])
    assert full == shuffled
    assert all(full[paper_id] == key for paper_id, key in subset.items())
    assert all(citation_key(item.paper) == full[item.paper.id] for item in ITEMS)


def test_rendered_keys_do_not_depend_on_order():
    def keys(items):
        return set(re.findall(r"^@\w+\{([^,]+),", bib(items), re.MULTILINE))

    assert keys(ITEMS) == keys(list(reversed(ITEMS)))
    assert keys(ITEMS[:5]) <= keys(ITEMS)


def test_namesakes_get_different_keys():
    namesakes = [
        make_paper("A Survey of Large Language Models", arxiv=f"2303.{n:05d}",
                   authors=["Wei Wang"], date="2023-03-01", source="x")
        for n in range(200)
    ]
    keys = assign_keys(namesakes)
    assert len(set(keys.values())) == 200
    assert all(key.startswith("wang2023survey-") for key in keys.values())
    assert len(read_with_pybtex(bib(items_for(namesakes))).entries) == 200


def test_a_clash_of_whole_keys_lengthens_only_the_clashing_tags(monkeypatch):
    from papertui.export import citekeys

    real_tag = citekeys._tag
    monkeypatch.setattr(citekeys, "_tag", lambda pid, n: "aaaaa" if n == 5 else real_tag(pid, n))
    papers = [make_paper("Same", authors=["X Y"], source="x", arxiv=a)
              for a in ("2301.00001", "2301.00002")]
    other = make_paper("Other", authors=["Z Q"], source="x")
    keys = assign_keys([*papers, other])
    assert keys[other.id] == "qother-aaaaa"
    assert len({keys[p.id] for p in papers}) == 2
    assert all(re.fullmatch(r"ysame-[a-z0-9]{10}", keys[p.id]) for p in papers)
    assert assign_keys([other, *reversed(papers)]) == keys


def test_nasty_papers_all_get_distinct_valid_keys():
    keys = assign_keys(p for p in NASTY)
    assert len(set(keys.values())) == len(NASTY)
    assert all(re.fullmatch(r"[a-z0-9]+-[a-z0-9]{5}", key) for key in keys.values())
