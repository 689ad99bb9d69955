"""The paper model and the identity rules that marks hang on.

Identity rule (never change it silently, marks are keyed on it):

* A paper with a known arXiv id is identified by that id without its version,
  e.g. ``2310.01217`` or ``astro-ph/0601001``.
* Any other paper is identified by its *title key*: the title in Unicode NFKC,
  casefolded, accents stripped, every run of characters that are not letters
  or digits turned into one ``-``, leading and trailing ``-`` dropped.
  ``"García's Café: A Study"`` becomes ``garcia-s-cafe-a-study``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

_NEW_STYLE = r"\d{4}\.\d{4,5}"
_OLD_STYLE = r"[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_ID = re.compile(rf"^(?:arxiv:)?({_NEW_STYLE}|{_OLD_STYLE})(?:v\d+)?$", re.IGNORECASE)
_ARXIV_IN_URL = re.compile(
    rf"arxiv\.org/(?:abs|pdf|html)/({_NEW_STYLE}|{_OLD_STYLE})(?:v\d+)?(?!\d)", re.IGNORECASE
)


def arxiv_id(text: str | None) -> str | None:
    """Return the versionless arXiv id in ``text`` (an id or an arXiv URL), else None."""
    if not text:
        return None
    text = text.strip()
    match = _ARXIV_ID.match(text) or _ARXIV_IN_URL.search(text)
    if not match:
        return None
    found = match.group(1)
    # Archive names are lower case ("astro-ph"), subject classes upper ("math.GT").
    head, sep, tail = found.partition("/")
    if sep:
        archive, dot, subject = head.partition(".")
        head = archive.lower() + (dot + subject.upper() if dot else "")
        return f"{head}/{tail}"
    return found


def normalise_id(text: str) -> str:
    """The paper id that ``text`` names, in any form a user may paste.

    ``2505.15270v2``, ``arXiv:2505.15270``, ``https://arxiv.org/abs/2505.15270`` and
    ``https://arxiv.org/pdf/2505.15270v1`` all give ``2505.15270``; old-style ids
    (``astro-ph/0601001v1``) likewise. Anything else (a title key) comes back stripped.
    """
    return arxiv_id(text) or text.strip()


def is_arxiv_id(paper_id: str) -> bool:
    """True when ``paper_id`` is an arXiv id rather than a title key."""
    return bool(_ARXIV_ID.match(paper_id))


_WORD = re.compile(r"[^\W_]+")


def normalise_title(title: str) -> str:
    """Fold a title to lower-case, accent-free words separated by single spaces."""
    if title.isascii():  # fast path: NFKC, casefold and accents change nothing here
        text = title.lower()
    else:
        text = unicodedata.normalize("NFKC", title).casefold()
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    return " ".join(_WORD.findall(text))


def title_sort_key(title: str) -> str:
    """What titles sort by: case, accents, quotes and punctuation ignored.

    ``'"Quoted" Title'``, ``"(Parenthesised) title"`` and ``"¿Qué?"`` sort under
    their first word, as a reader expects.
    """
    return normalise_title(title)


def title_key(title: str) -> str:
    """The id of a paper known only by its title (see the module docstring)."""
    return normalise_title(title).replace(" ", "-")


def abs_url(paper_id: str) -> str | None:
    """The arXiv abstract page for an arXiv id, None for a title key."""
    return f"https://arxiv.org/abs/{paper_id}" if is_arxiv_id(paper_id) else None


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper, merged from one or more sources.

    ``date`` is an ISO date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) or None when
    unknown. ``categories`` are arXiv categories (``cs.CL``), primary first;
    ``upvotes`` are Hugging Face's; ``github`` and ``project_page`` are URLs.
    ``extra`` holds the rest of what a source gave: journal, doi, comment, ...
    """

    id: str
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    date: str | None = None
    url: str | None = None
    sources: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    categories: tuple[str, ...] = ()
    upvotes: int | None = None
    github: str | None = None
    project_page: str | None = None

    @property
    def arxiv_id(self) -> str | None:
        """The arXiv id, when this paper has one."""
        return self.id if is_arxiv_id(self.id) else None

    @property
    def title_key(self) -> str:
        """The title-derived key, which aliases to the arXiv id once one is known."""
        return title_key(self.title)

    @property
    def link(self) -> str | None:
        """The best URL to open: the source's URL, else the arXiv abstract page."""
        return self.url or abs_url(self.id)


@dataclass(frozen=True, slots=True)
class Mark:
    """The triage state of one paper."""

    read: bool = False
    starred: bool = False


NO_MARK = Mark()


def make_paper(
    title: str,
    *,
    arxiv: str | None = None,
    abstract: str = "",
    authors: tuple[str, ...] | list[str] = (),
    date: str | None = None,
    url: str | None = None,
    source: str,
    extra: dict[str, Any] | None = None,
    categories: tuple[str, ...] | list[str] = (),
    upvotes: int | None = None,
    github: str | None = None,
    project_page: str | None = None,
) -> Paper:
    """Build a Paper, deriving its id from ``arxiv`` (an id or URL) or the title."""
    found = arxiv_id(arxiv) or arxiv_id(url)
    return Paper(
        id=found or title_key(title),
        title=" ".join(title.split()),
        abstract=abstract.strip(),
        authors=tuple(a for a in (" ".join(x.split()) for x in authors) if a),
        date=date,
        url=url or (abs_url(found) if found else None),
        sources=(source,),
        extra=dict(extra or {}),
        categories=tuple(dict.fromkeys(c.strip() for c in categories if c.strip())),
        upvotes=upvotes,
        github=github or None,
        project_page=project_page or None,
    )
