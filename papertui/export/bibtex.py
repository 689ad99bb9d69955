"""A reading list as BibTeX: UTF-8 text, TeX specials escaped, capitals protected.

bibtexparser (v2) writes the entries. Text is escaped with pylatexenc's TeX
spellings, cut down to the characters that would not print as themselves
(``{ } % & $ # _ \\ ~ ^`` and ``< > |``), so that every other character, "α"
included, stays UTF-8 as biber and BibTeX read it. Where the source already wrote
TeX, a ``$...$`` math segment, it passes through, and so do TeX's ligatures
(``--`` prints as an en dash), as in every .bib made from arXiv titles.

``keywords`` holds read or unread, starred, then the user's tags; ``annote`` the
user's note, as text (its Markdown is not TeX), its line breaks kept in the file
for bibtexparser and reference managers (BibTeX itself reads them as spaces).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from urllib.parse import quote

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from pylatexenc.latexencode import get_builtin_uni2latex_dict

from papertui.models import Paper

from .citekeys import assign_keys
from .item import ExportItem, doi_of, journal_of, month_of, note_of, one_line, tags_of, year_of


def _tex_table() -> dict[int, str]:
    """TeX for each character that would not print as itself, as pylatexenc spells it.

    pylatexenc's UnicodeToLatexEncoder is not used to apply the table because it
    NFC-normalizes its whole input first, with no option to turn that off, so it
    changes characters it was told to keep: U+F900 豈 becomes U+8C48 豈, U+212B Å
    becomes U+00C5 Å. ``str.translate`` applies the table and touches nothing else.
    """
    builtin = get_builtin_uni2latex_dict()
    table = {ord(ch): builtin[ord(ch)] for ch in "%&$#_\\~^"}
    # pylatexenc writes { and } as \{ and \}. BibTeX and pybtex count those as
    # braces (only bibtexparser treats the backslash as an escape), so a title with
    # one lone brace leaves the entry unbalanced and pybtex stops with "premature
    # end of file". \textbraceleft and \textbraceright print the same, brace-free.
    table |= {ord("{"): r"\textbraceleft", ord("}"): r"\textbraceright"}
    # LaTeX's default font encoding (OT1) prints < > | as ¡ ¿ and a dash, and
    # pylatexenc's \ensuremath{<} reads back as math, so use the text symbols.
    table |= {ord("<"): r"\textless", ord(">"): r"\textgreater", ord("|"): r"\textbar"}
    # A macro name runs on through letters; {} ends it before the next one.
    return {code: tex + "{}" if tex[-1].isalpha() else tex for code, tex in table.items()}


_TEX = _tex_table()

# Math as pandoc reads it: the opening $ has no space after it, the closing $ no
# space before it and no digit after it, so "$5 to $10" stays text.
_MATH = re.compile(r"(?<![\\$])\$(?![\s$])(?:[^$\\]|\\.)+?(?<!\s)\$(?!\d)", re.DOTALL)
# A % # or & that TeX would read as a comment, parameter or alignment.
_TEX_BREAKERS = re.compile(r"(?<!\\)[%#&]")
_LITERAL_NAME = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"


def escape(text: str) -> str:
    """Plain text as TeX that prints exactly ``text``."""
    return text.translate(_TEX)


def render(items: Sequence[ExportItem]) -> str:
    """One ``@misc`` entry per paper, ``@article`` where a journal is known."""
    keys = assign_keys(item.paper for item in items)
    library = Library()
    library.add([_entry(item, keys[item.paper.id]) for item in items])
    layout = bibtexparser.BibtexFormat()
    layout.indent = "  "
    layout.value_column = "auto"
    layout.block_separator = "\n"
    # The library is built for this write alone, so the writer may change it in
    # place rather than deep-copy every entry first (4 s for 20,000 papers).
    in_place = bibtexparser.middlewares.default_unparse_stack(allow_inplace_modification=True)
    return bibtexparser.write_string(library, unparse_stack=in_place, bibtex_format=layout)


def _entry(item: ExportItem, key: str) -> Entry:
    paper = item.paper
    journal = journal_of(paper)
    fields = {
        "author": " and ".join(_name(author) for author in paper.authors),
        "title": title_tex(paper.title),
        "year": year_of(paper),
        "month": str(month) if (month := month_of(paper)) else None,
        "journal": journal and escape(journal),
        **_eprint_fields(paper),
        "doi": doi_of(paper),
        "url": paper.link and _url(paper.link),
        "keywords": ", ".join(tags_of(item)),
        "annote": escape(note_of(item)),
    }
    return Entry(
        "article" if journal else "misc",
        key,
        [Field(name, value) for name, value in fields.items() if value],
    )


def _eprint_fields(paper: Paper) -> dict[str, str]:
    if not paper.arxiv_id:
        return {}
    return {"eprint": paper.arxiv_id, "archivePrefix": "arXiv"}


def _name(author: str) -> str:
    """One author; a name BibTeX would misread is braced into one literal name."""
    tex = escape(one_line(author))
    if _LITERAL_NAME.search(author) or author.count(",") > 2:
        return "{" + tex + "}"
    if tex.startswith("\\"):
        # bibtexparser's name splitter steps over the character after a backslash
        # and so misses the " and " before a name that starts with one ("\_why");
        # a brace in front keeps the split visible. BibTeX reads it the same.
        first, space, rest = tex.partition(" ")
        return "{" + first + "}" + space + rest
    return tex


def _url(url: str) -> str:
    # The url field is read verbatim, so only what breaks the entry is encoded.
    return quote(url, safe=_URL_SAFE)


def title_tex(title: str) -> str:
    """The title as TeX, with each run of words that hold a capital in braces.

    BibTeX styles lower-case titles outside braces, which would turn "ScaLearn"
    into "Scalearn". A braced run that begins with a backslash would count as one
    "special character", whose letters BibTeX lower-cases all the same, so such a
    run gets a second pair of braces.
    """
    pieces: list[str] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            text = " ".join(run)
            pieces.append("{{" + text + "}}" if text.startswith("\\") else "{" + text + "}")
            run.clear()

    for raw, tex in _words(one_line(title)):
        if any(ch.isupper() for ch in raw):
            run.append(tex)
        else:
            close_run()
            pieces.append(tex)
    close_run()
    return " ".join(pieces)


def _words(title: str) -> Iterator[tuple[str, str]]:
    """Each space-separated word as (raw text, TeX); a math segment is part of one word."""
    raw, tex = "", ""
    for text, is_math in _segments(title):
        for part in [text] if is_math else re.split(r"(\s+)", text):
            if not part:
                continue
            if part.isspace() and not is_math:
                if raw:
                    yield raw, tex
                raw, tex = "", ""
                continue
            raw += part
            tex += part if is_math else escape(part)
    if raw:
        yield raw, tex


def _segments(title: str) -> Iterator[tuple[str, bool]]:
    """Split into (text, is_math) pieces; only math TeX can take as it is counts as math."""
    start = 0
    for match in _MATH.finditer(title):
        if _is_safe_tex(match.group()):
            yield title[start : match.start()], False
            yield match.group(), True
            start = match.end()
    yield title[start:], False


def _is_safe_tex(math: str) -> bool:
    """Whether the segment's braces balance both when counted raw (BibTeX, pybtex)
    and when counted with \\{ as an escape (bibtexparser), and TeX can read it."""
    if _TEX_BREAKERS.search(math):
        return False
    for braces in (re.findall(r"[{}]", math), re.findall(r"(?<!\\)[{}]", math)):
        depth = 0
        for brace in braces:
            depth += 1 if brace == "{" else -1
            if depth < 0:
                return False
        if depth:
            return False
    return True
