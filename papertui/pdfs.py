"""A paper's PDF: where to get it, the downloaded copy, and the viewer that opens it.

* The link: an arXiv paper's is ``{arxiv_base}/pdf/<id>``; another paper's is
  its ``pdf`` or ``url`` field when that ends in ``.pdf``; a paper with only a
  DOI has its landing page instead, for the browser. Else there is none.
* The copy: ``<data dir>/pdfs/<id>.pdf`` (an id's ``/`` and other unsafe
  characters made ``_``), written through a temporary file and renamed, so it
  is whole or absent. A body that does not start with ``%PDF-`` is refused.
* The viewer: ``pdf_viewer`` from the config (a command with ``{path}``; the
  path is appended when it has none), else ``open`` on macOS, ``xdg-open``
  elsewhere. It is started detached; papertui does not wait for it.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from papertui import config, paths
from papertui.config import Config
from papertui.errors import PapertuiError
from papertui.feeds.http import FetchError, HttpClient, Progress
from papertui.files import replacing
from papertui.filters import Context, members, register
from papertui.models import Paper

MAGIC = b"%PDF-"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


class PdfError(PapertuiError):
    """No PDF to be had: the message names the paper and the cause, in one line."""


@dataclass(frozen=True, slots=True)
class Link:
    """Where a paper's PDF is; ``pdf`` False for a landing page (open it in a browser)."""

    url: str
    pdf: bool = True


def link_of(paper: Paper, arxiv_base: str | None = None) -> Link | None:
    """The paper's PDF link, its DOI's landing page, or None (``arxiv_base``: the config's)."""
    if paper.arxiv_id:
        base = arxiv_base or config.load()[0].arxiv_base
        return Link(f"{base.rstrip('/')}/pdf/{paper.arxiv_id}")
    for value in (paper.extra.get("pdf"), paper.url):
        if isinstance(value, str) and value.split("?")[0].lower().endswith(".pdf"):
            return Link(value)
    doi = paper.extra.get("doi")
    if isinstance(doi, str) and doi.strip():
        return Link(f"https://doi.org/{doi.strip()}", pdf=False)
    return None


def folder() -> Path:
    """Where downloaded PDFs are kept."""
    return paths.data_dir() / "pdfs"


def path_for(paper_id: str) -> Path:
    """Where this paper's PDF is (or would be) kept."""
    return folder() / f"{_UNSAFE.sub('_', paper_id)}.pdf"


def downloaded(paper_id: str) -> Path | None:
    """The kept copy of this paper's PDF, if there is one."""
    path = path_for(paper_id)
    return path if path.is_file() else None


def downloaded_ids(ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` have a kept PDF (one directory listing, not a stat each)."""
    try:
        names = {entry.name for entry in os.scandir(folder())}
    except OSError:
        return set()
    return {pid for pid in ids if path_for(pid).name in names}


def _downloaded(context: Context, ids: Sequence[str] | None, value: str) -> list[str]:
    kept = downloaded_ids(context.ids if ids is None else ids)
    return members(context, ids, kept)


register("is:downloaded", _downloaded, small=True)


class _Checked:
    """A file that refuses a body not starting with %PDF- (checked on the first bytes)."""

    def __init__(self, out: BinaryIO, paper_id: str, url: str) -> None:
        self._out, self._paper_id, self._url = out, paper_id, url
        self._head = b""

    def write(self, chunk: bytes) -> None:
        if len(self._head) < len(MAGIC):
            self._head += chunk[: len(MAGIC) - len(self._head)]
            if not MAGIC.startswith(self._head):
                raise PdfError(f"{self._paper_id}: {self._url} is not a PDF"
                               f" (it begins {chunk[:20]!r})")
        self._out.write(chunk)

    def complete(self) -> None:
        """Refuse a body too short to hold the header at all."""
        if self._head != MAGIC:
            cause = f"it is {self._head!r}" if self._head else "the body is empty"
            raise PdfError(f"{self._paper_id}: {self._url} is not a PDF ({cause})")


def download(paper: Paper, link: Link, client: HttpClient, progress: Progress | None = None,
             cancel: Callable[[], bool] | None = None) -> Path:
    """Fetch the paper's PDF into its place and return the path; a failure leaves nothing.

    PdfError (or FetchError, Cancelled) with one line naming the paper and the cause.
    """
    if not link.pdf:
        raise PdfError(f"{paper.id}: no PDF link, only its landing page {link.url}")
    target = path_for(paper.id)
    target.parent.mkdir(parents=True, exist_ok=True)
    with replacing(target, prefix=".download-", suffix=".part") as out:
        checked = _Checked(out, paper.id, link.url)
        try:
            client.download(link.url, checked, progress, cancel)
        except FetchError as error:
            raise PdfError(f"{paper.id}: {error}") from None
        checked.complete()
    return target


def fetch(paper: Paper, progress: Progress | None = None,
          cancel: Callable[[], bool] | None = None, settings: Config | None = None) -> Path:
    """The paper's PDF: the kept copy, else downloaded now (blocks: call it off the UI loop).

    PdfError naming the paper when it has no PDF link (a landing page is no PDF)
    or the download failed; Cancelled when ``cancel`` said so.
    """
    kept = downloaded(paper.id)
    if kept is not None:
        return kept
    settings = settings or config.load()[0]
    link = link_of(paper, settings.arxiv_base)
    if link is None:
        raise PdfError(f"{paper.id}: no PDF link (no arXiv id, PDF URL or DOI)")
    with HttpClient() as client:
        return download(paper, link, client, progress, cancel)


def open_paper(paper: Paper, progress: Progress | None = None,
               cancel: Callable[[], bool] | None = None) -> str:
    """Open the paper's PDF in the viewer (fetched first if needed), or its DOI's landing
    page with the system's opener; the path or URL opened. Errors as :func:`fetch`."""
    settings = config.load()[0]
    link = link_of(paper, settings.arxiv_base)
    if link is not None and not link.pdf and downloaded(paper.id) is None:
        launch(viewer_command(link.url))
        return link.url
    path = fetch(paper, progress, cancel, settings)
    launch(viewer_command(path, settings.pdf_viewer))
    return str(path)


def viewer_command(target: Path | str, viewer: str | None = None) -> list[str]:
    """The command that opens ``target`` (a file or a URL): ``viewer``, else the system's."""
    if viewer:
        parts = shlex.split(viewer)
        if "{path}" in viewer:
            return [part.replace("{path}", str(target)) for part in parts]
        return [*parts, str(target)]
    return ["open" if sys.platform == "darwin" else "xdg-open", str(target)]


def launch(command: Sequence[str]) -> None:
    """Start ``command`` detached from papertui's terminal; PdfError if it cannot start."""
    try:
        subprocess.Popen(list(command), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as error:
        raise PdfError(f"cannot start the viewer {command[0]!r}: {error.strerror or error}") \
            from None
