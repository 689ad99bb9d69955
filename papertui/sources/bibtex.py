"""BibTeX and biblatex files, read with bibtexparser v2.

Field values are resolved here rather than by bibtexparser's middlewares, so that
``#`` concatenation works and entries that bibtexparser flags but still parses
(a duplicate key or field) are imported too. TeX becomes Unicode except ``$...$``
math, which stays verbatim. Extra keys: ``entry_type``, ``citation_key``,
``journal`` (journal or journaltitle, unless it only names the arXiv preprint, as
in "arXiv:1607.06450"), ``booktitle``, ``doi``, ``year``.
"""

from __future__ import annotations

import functools
import logging
import re

import bibtexparser
from bibtexparser.middlewares.names import split_multiple_persons_names
from bibtexparser.model import Block, Entry, ParsingFailedBlock, String
from pylatexenc.latexwalker import LatexWalkerError
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from papertui.errors import SourceError
from papertui.models import Paper, arxiv_id, make_paper
from papertui.sources import formats
from papertui.sources.base import (
    ParsedSource,
    Skipped,
    collapse_whitespace,
    iso_date,
    require_text,
    source_name,
)

FORMAT = formats.BIBTEX
# bibtexparser logs every broken block as a warning; we report them as Skipped.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

_TEX_MARKUP = re.compile(r"[\\$]|--|``|''")
_UNESCAPED_TEXT_SPECIAL = re.compile(r"(?<!\\)([%&])")
_ARXIV_NOTE = re.compile(r"\barxiv(?:\s+preprint)?(?:\s+arxiv)?\s*:\s*(\S+)", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/)?10\.48550/arxiv\.(\S+)", re.IGNORECASE)
_YEAR = re.compile(r"\d{4}")
_NOT_AUTHORS = {"others", "et al.", "et al"}
_MARKS = {"hyphen": "-", "hyp": "-", "slash": "/", "LaTeXe": "LaTeX2e"}


def parse(text: str, path: str) -> ParsedSource:
    """Parse a .bib file; broken or untitled entries are skipped and counted."""
    require_text(text, path)
    try:
        library = bibtexparser.parse_string(text, parse_stack=[])
    except Exception as error:  # bibtexparser re-raises its own internal errors as they come
        raise SourceError(path, f"cannot parse BibTeX: {error}") from None
    result = ParsedSource(path=path, format=FORMAT)
    entries = _resolved_entries(library.blocks, result.skipped)
    result.entries = len(entries) + len(result.skipped)
    by_key = {entry.key.lower(): fields for entry, fields in entries}
    source = source_name(path)
    for entry, fields in entries:
        paper = _paper(entry, _with_crossref(fields, by_key), source)
        result.add(paper, f"entry {entry.key} (line {_line(entry)})")
    return result


def _resolved_entries(
    blocks: list[Block], skipped: list[Skipped]
) -> list[tuple[Entry, dict[str, str]]]:
    """Each entry with its fields resolved; blocks that are no entry at all go to ``skipped``."""
    strings: dict[str, str] = {}
    entries = []
    for block in blocks:
        if isinstance(block, String):
            strings[block.key.lower()] = _resolve(block.value, strings)
        elif (entry := _entry_of(block)) is not None:
            fields: dict[str, str] = {}
            for field in entry.fields:
                if isinstance(field.value, str):
                    fields.setdefault(field.key.lower(), _resolve(field.value, strings))
            entries.append((entry, fields))
        elif isinstance(block, ParsingFailedBlock):
            skipped.append(Skipped(f"line {_line(block)}", "unparsable entry"))
    return entries


def _with_crossref(fields: dict[str, str], by_key: dict[str, dict[str, str]]) -> dict[str, str]:
    """Fill a cross-referenced entry's missing date and booktitle from its parent."""
    parent = by_key.get(fields.get("crossref", "").strip().lower())
    if not parent:
        return fields
    inherited = {key: parent[key] for key in ("year", "date") if key in parent}
    if "title" in parent:
        inherited["booktitle"] = parent["title"]
    return inherited | fields


def _entry_of(block: Block) -> Entry | None:
    """The entry of a block, including one flagged for a duplicate key or field."""
    if isinstance(block, ParsingFailedBlock):
        block = block.ignore_error_block
    return block if isinstance(block, Entry) else None


def _line(block: Block) -> int:
    """The 1-based line a block starts on (bibtexparser counts from 0)."""
    return (block.start_line or 0) + 1


def _paper(entry: Entry, fields: dict[str, str], source: str) -> Paper | None:
    """The Paper of an entry whose field values are resolved, or None without a title."""
    title = _tex_to_text(fields.get("title", ""))
    if not title:
        return None
    if subtitle := _tex_to_text(fields.get("subtitle", "")):
        title = f"{title}: {subtitle}"
    journal = _tex_to_text(fields.get("journal") or fields.get("journaltitle") or "")
    arxiv = _arxiv_of(fields, journal)
    if arxiv and journal.lower().startswith("arxiv"):
        journal = ""  # "arXiv:1607.06450" names the preprint, not a journal
    year = _first_match(_YEAR, fields.get("year", "")) or _first_match(
        _YEAR, fields.get("date", "")
    )
    extra = {
        "entry_type": entry.entry_type.lower(),
        "citation_key": entry.key,
        "journal": journal,
        "booktitle": _tex_to_text(fields.get("booktitle", "")),
        "doi": fields.get("doi", "").strip(),
        "year": year,
    }
    return make_paper(
        title,
        arxiv=arxiv,
        abstract=_tex_to_text(fields.get("abstract", "")),
        authors=_authors_of(fields.get("author", "")),
        date=iso_date(fields.get("date")) or year,
        url=fields.get("url", "").strip() or None,
        source=source,
        extra={key: value for key, value in extra.items() if value},
    )


def _first_match(pattern: re.Pattern[str], text: str) -> str | None:
    """The first text ``pattern`` finds in ``text``, else None."""
    match = pattern.search(text)
    return match.group() if match else None


def _arxiv_of(fields: dict[str, str], journal: str) -> str | None:
    """The arXiv id from eprint, url, an arXiv DOI, or a note such as "arXiv:1607.06450"."""
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "arxiv").strip().lower()
    if prefix == "arxiv" and (found := arxiv_id(fields.get("eprint"))):
        return found
    if found := arxiv_id(fields.get("url")):
        return found
    if doi := _ARXIV_DOI.match(fields.get("doi", "").strip()):
        return arxiv_id(doi.group(1))
    for text in (journal, fields.get("note", ""), fields.get("howpublished", "")):
        found = arxiv_id(text)
        if not found and (match := _ARXIV_NOTE.search(text)):
            found = arxiv_id(match.group(1))
        if found:
            return found
    return None


def _resolve(raw: str, strings: dict[str, str]) -> str:
    """A field's value: ``{...}``/``"..."`` unwrapped, @string macros expanded, ``#`` joined."""
    parts = _split_top_level(raw, "#", quotes=True) if "#" in raw else [raw]
    out = []
    for part in parts:
        part = part.strip()
        if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            out.append(part[1:-1])
        else:
            out.append(strings.get(part.lower(), part))
    return "".join(out)


def _split_top_level(text: str, separator: str, *, quotes: bool = False) -> list[str]:
    """Split on ``separator`` outside braces (and, if asked, outside double quotes)."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == '"' and quotes and depth == 0:
            quoted = not quoted
        elif char == separator and depth == 0 and not quoted:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _authors_of(field: str) -> list[str]:
    """Names of a BibTeX name list, "Last, First" turned to "First Last", TeX to Unicode."""
    names = []
    for name in split_multiple_persons_names(field):
        parts = [p.strip() for p in _split_top_level(name, ",") if p.strip()]
        if len(parts) == 2:  # Last, First
            parts = [parts[1], parts[0]]
        elif len(parts) >= 3:  # von Last, Jr, First
            parts = [parts[2], parts[0], parts[1], *parts[3:]]
        text = _tex_to_text(" ".join(parts))
        if text and text.lower() not in _NOT_AUTHORS:
            names.append(text)
    return names


@functools.lru_cache(maxsize=8192)
def _tex_to_text(tex: str) -> str:
    """TeX as plain Unicode on one line, with braces gone and ``$...$`` kept verbatim."""
    if not _TEX_MARKUP.search(tex):
        # The common case: braces only protect capitals; pylatexenc is 1000x slower.
        return collapse_whitespace(tex.replace("{", "").replace("}", "").replace("~", " "))
    escaped = _UNESCAPED_TEXT_SPECIAL.sub(r"\\\1", tex)
    try:
        text = _latex_converter().latex_to_text(escaped)
    except (LatexWalkerError, RecursionError):
        text = tex.replace("{", "").replace("}", "")
    return " ".join(text.split())


@functools.cache
def _latex_converter() -> LatexNodes2Text:
    """pylatexenc's converter, keeping the text of unknown macros and math as written."""
    context = get_default_latex_context_db()
    context.set_unknown_macro_spec(MacroTextSpec("", discard=False))
    logos = [MacroTextSpec(name, name) for name in ("TeX", "LaTeX", "BibTeX")]
    marks = [MacroTextSpec(name, text) for name, text in _MARKS.items()]
    context.add_context_category("papertui", macros=logos + marks, prepend=True)
    return LatexNodes2Text(latex_context=context, math_mode="verbatim")
