"""PDFs: the links, a download from a loopback server with its faults, the cache, the viewer.

The server serves a small real PDF (tests/fixtures/minimal.pdf); the viewer and
the system's opener are stubs that write their arguments to a file.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest
from feed_server import HTML, FeedServer, Reply, fixture
from foryou_corpus import AUCTIONS, ROBOTS, write_corpus
from stubs import recorded, stub

from papertui import pdfs
from papertui.cli import main
from papertui.feeds.http import Cancelled, HttpClient
from papertui.library import Library
from papertui.models import Paper

PDF = fixture("minimal.pdf")
PDF_TYPE = "application/pdf"


def leftovers() -> list[str]:
    """Every file in the PDF folder: a failed download must leave none."""
    return sorted(p.name for p in pdfs.folder().iterdir()) if pdfs.folder().exists() else []


@pytest.fixture
def library(isolated_dirs: Path, server: FeedServer, monkeypatch: pytest.MonkeyPatch):
    """The topics library, with arXiv at the loopback server and stub viewer and opener."""
    viewer, _ = stub(isolated_dirs, "viewer")
    bin_dir = isolated_dirs / "bin"
    bin_dir.mkdir()
    for opener in ("xdg-open", "open"):
        stub(bin_dir, opener)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "papertui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'pdf_viewer = "{viewer} --page 1 {{path}}"\n\n'
                      f'[pdf]\narxiv_base = "{server.url}/"\n')
    opened = Library.load()
    opened.add_sources([str(write_corpus(isolated_dirs))])
    yield opened
    opened.close()


# Links ------------------------------------------------------------------

def test_links_arxiv_a_pdf_field_a_pdf_url_a_doi_or_none() -> None:
    base = "http://mirror.test"
    assert pdfs.link_of(Paper("2601.00001", "T"), base) == \
        pdfs.Link("http://mirror.test/pdf/2601.00001")
    assert pdfs.link_of(Paper("hep-th/9901001", "T"), base + "/") == \
        pdfs.Link("http://mirror.test/pdf/hep-th/9901001")
    assert pdfs.link_of(Paper("k1", "T", extra={"pdf": "http://x.test/a.PDF"})) == \
        pdfs.Link("http://x.test/a.PDF")
    assert pdfs.link_of(Paper("k2", "T", url="http://x.test/b.pdf?v=2")) == \
        pdfs.Link("http://x.test/b.pdf?v=2")
    assert pdfs.link_of(Paper("k3", "T", url="http://x.test/page", extra={"doi": "10.1/x"})) == \
        pdfs.Link("https://doi.org/10.1/x", pdf=False)
    assert pdfs.link_of(Paper("k4", "T", url="http://x.test/page")) is None


def test_ids_with_slashes_are_kept_under_a_safe_name() -> None:
    assert pdfs.path_for("hep-th/9901001") == pdfs.folder() / "hep-th_9901001.pdf"


# Downloads --------------------------------------------------------------

def test_a_download_is_kept_and_reused(library: Library, server: FeedServer) -> None:
    server.route(f"/pdf/{ROBOTS[0]}", Reply(PDF, content_type=PDF_TYPE))
    assert library.pdf_path(ROBOTS[0]) is None
    seen: list[tuple[int, int | None]] = []
    path = library.download_pdf(ROBOTS[0], lambda done, total: seen.append((done, total)))
    assert path == pdfs.path_for(ROBOTS[0]) and path.read_bytes() == PDF
    assert seen[-1] == (len(PDF), len(PDF))
    assert library.pdf_path(ROBOTS[0]) == path
    assert library.download_pdf(ROBOTS[0]) == path
    assert len(server.asked(f"/pdf/{ROBOTS[0]}")) == 1
    assert leftovers() == [path.name]
    assert library.search("is:downloaded").ids == [ROBOTS[0]]


def test_a_paper_without_a_pdf_link_says_so() -> None:
    with pytest.raises(pdfs.PdfError, match=r"^k4: no PDF link \(no arXiv id, PDF URL or DOI\)$"):
        pdfs.fetch(Paper("k4", "T", url="http://x.test/page"))
    with pytest.raises(pdfs.PdfError, match="^k3: no PDF link, only its landing page https://doi"):
        pdfs.fetch(Paper("k3", "T", extra={"doi": "10.1/x"}))
    assert leftovers() == []


@pytest.mark.parametrize(("reply", "cause"), [
    (Reply(b"not found", status=404, content_type="text/plain"), "HTTP 404 Not Found"),
    (Reply(b"<!DOCTYPE html><html>Sign in</html>", content_type=HTML),
     "is not a PDF (it begins b'<!DOCTYPE html><html')"),
    (Reply(b"%PD", content_type=PDF_TYPE), "is not a PDF (it is b'%PD')"),
    (Reply(b"", content_type=PDF_TYPE), "is not a PDF (the body is empty)"),
    (Reply(PDF[:100], content_type=PDF_TYPE, length=len(PDF)), "the server broke off"),
])
def test_a_failed_download_is_one_line_and_leaves_nothing(
        library: Library, server: FeedServer, reply: Reply, cause: str) -> None:
    server.route(f"/pdf/{ROBOTS[1]}", reply)
    with pytest.raises(pdfs.PdfError) as raised:
        library.download_pdf(ROBOTS[1])
    message = str(raised.value)
    assert message.startswith(f"{ROBOTS[1]}: ") and cause in message and "\n" not in message
    assert leftovers() == []
    assert library.pdf_path(ROBOTS[1]) is None


def test_a_stalled_server_times_out_and_leaves_nothing(library: Library,
                                                      server: FeedServer) -> None:
    server.route(f"/pdf/{ROBOTS[1]}", Reply(PDF, content_type=PDF_TYPE, stall=3))
    paper = library.paper(ROBOTS[1])
    with HttpClient(read_timeout=0.3) as client, pytest.raises(pdfs.PdfError, match="timed out"):
        pdfs.download(paper, pdfs.link_of(paper, server.url), client)
    assert leftovers() == []


def test_a_cancelled_download_leaves_nothing(library: Library, server: FeedServer) -> None:
    server.route(f"/pdf/{ROBOTS[2]}", Reply(PDF, content_type=PDF_TYPE))
    with pytest.raises(Cancelled):
        library.download_pdf(ROBOTS[2], cancel=lambda: True)
    assert leftovers() == []


# The viewer -------------------------------------------------------------

def test_open_calls_the_configured_viewer_with_the_kept_file(
        library: Library, server: FeedServer, isolated_dirs: Path) -> None:
    server.route(f"/pdf/{ROBOTS[0]}", Reply(PDF, content_type=PDF_TYPE))
    opened = library.open_pdf(ROBOTS[0])
    assert opened == str(pdfs.path_for(ROBOTS[0]))
    assert recorded(isolated_dirs / "viewer.argv") == ["--page", "1", opened]


def test_without_a_configured_viewer_the_system_opener_is_used(tmp_path: Path,
                                                               monkeypatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert pdfs.viewer_command(tmp_path / "a.pdf") == ["xdg-open", str(tmp_path / "a.pdf")]
    monkeypatch.setattr(sys, "platform", "darwin")
    assert pdfs.viewer_command(tmp_path / "a.pdf") == ["open", str(tmp_path / "a.pdf")]
    assert pdfs.viewer_command(tmp_path / "a.pdf", "zathura") == \
        ["zathura", str(tmp_path / "a.pdf")]


def test_a_doi_alone_opens_its_landing_page_with_the_system_opener(
        isolated_dirs: Path, library: Library) -> None:
    paper = Paper("doi-only", "T", extra={"doi": "10.1000/xyz"})
    opened = pdfs.open_paper(paper)
    assert opened == "https://doi.org/10.1000/xyz"
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    assert recorded(isolated_dirs / "bin" / f"{opener}.argv") == [opened]
    assert not (isolated_dirs / "viewer.argv").exists()


# The command line -------------------------------------------------------

def test_cli_pdf_downloads_then_opens(library: Library, server: FeedServer, isolated_dirs: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    server.route(f"/pdf/{AUCTIONS[0]}", Reply(PDF, content_type=PDF_TYPE))
    library.close()
    assert main(["pdf", AUCTIONS[0]]) == 0
    path = str(pdfs.path_for(AUCTIONS[0]))
    assert capsys.readouterr().out == f"{path}\n"
    assert main(["pdf", AUCTIONS[0], "--open"]) == 0
    assert recorded(isolated_dirs / "viewer.argv") == ["--page", "1", path]
    assert len(server.asked(f"/pdf/{AUCTIONS[0]}")) == 1


def test_cli_pdf_unknown_id_exits_2(library: Library, capsys) -> None:
    library.close()
    assert main(["pdf", "2699.99999"]) == 2
    assert "no paper with id '2699.99999'" in capsys.readouterr().err


def test_cli_pdf_failure_exits_1_with_one_line(library: Library, server: FeedServer,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    server.route(f"/pdf/{AUCTIONS[1]}", Reply(b"<html>", content_type=HTML))
    library.close()
    assert main(["pdf", AUCTIONS[1]]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"papertui: {AUCTIONS[1]}: ") and err.count("\n") == 1
    assert leftovers() == []


def test_downloading_in_a_thread_can_be_cancelled_midway(library: Library,
                                                         server: FeedServer) -> None:
    body = PDF + b"%" * (2 * 1024 * 1024)
    server.route(f"/pdf/{ROBOTS[3]}", Reply(body, content_type=PDF_TYPE))
    stop = threading.Event()
    chunks: list[int] = []

    def progress(done: int, total: int | None) -> None:
        chunks.append(done)
        stop.set()

    with pytest.raises(Cancelled):
        library.download_pdf(ROBOTS[3], progress, stop.is_set)
    assert chunks and chunks[-1] < len(body)
    assert leftovers() == []
