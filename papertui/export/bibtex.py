"""A reading list as BibTeX: UTF-8 text, TeX specials escaped, capitals protected.

bibtexparser (v2) writes the entries; pylatexenc escapes the text, with its
conversion rules cut down to the ten characters TeX treats specially, so that
every other character, "α" included, stays UTF-8 as biber and BibTeX 0.99 read it.
Where the source already wrote TeX, a ``$...$`` math segment, it passes through.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from urllib.parse import quote

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from pylatexenc.latexencode import (
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
    get_builtin_uni2latex_dict,
)

from papertui.models import Paper

from .citekeys import assign_keys
from .item import ExportItem, doi_of, journal_of, one_line, tags_of, year_of

_BUILTIN = get_builtin_uni2latex_dict()
_SPECIALS = {ord(ch): _BUILTIN[ord(ch)] for ch in "%&$#_\\~^"}
# pylatexenc writes { and } as \{ and \}. BibTeX and pybtex count those as braces
# (only bibtexparser treats the backslash as an escape), so a title with one lone
# brace leaves the whole entry unbalanced: pybtex stops with "premature end of file".
# \textbraceleft and \textbraceright print the same and hold no brace.
_SPECIALS |= {ord("{"): r"\textbraceleft", ord("}"): r"\textbraceright"}
_ENCODER = UnicodeToLatexEncoder(
    conversion_rules=[UnicodeToLatexConversionRule(RULE_DICT, _SPECIALS)],
    replacement_latex_protection="braces-after-macro",
    unknown_char_policy="keep",
    unknown_char_warning=False,
)

# Math as pandoc reads it: the opening $ has no space after it, the closing $ no
# space before it and no digit after it, so "$5 to $10" stays text.
_MATH = re.compile(r"(?<![\\$])\$(?![\s$])(?:[^$\\]|\\.)+?(?<!\s)\$(?!\d)", re.DOTALL)
# A % # or & that TeX would read as a comment, parameter or alignment.
_TEX_BREAKERS = re.compile(r"(?<!\\)[%#&]")
_LITERAL_NAME = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"


def escape(text: str) -> str:
    """Plain text as TeX that prints exactly ``text``."""
    return _ENCODER.unicode_to_latex(text)


def render(items: Sequence[ExportItem]) -> str:
    """One ``@misc`` entry per paper, ``@article`` where a journal is known."""
    keys = assign_keys(item.paper for item in items)
    library = Library()
    library.add([_entry(item, keys[item.paper.id]) for item in items])
    layout = bibtexparser.BibtexFormat()
    layout.indent = "  "
    layout.value_column = "auto"
    layout.block_separator = "\n"
    return bibtexparser.write_string(library, bibtex_format=layout)


def _entry(item: ExportItem, key: str) -> Entry:
    paper = item.paper
    journal = journal_of(paper)
    fields = {
        "author": " and ".join(_name(author) for author in paper.authors),
        "title": title_tex(paper.title),
        "year": year_of(paper),
        "journal": journal and escape(journal),
        **_eprint_fields(paper),
        "doi": doi_of(paper),
        "url": paper.link and _url(paper.link),
        "keywords": ", ".join(tags_of(item)),
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
