"""Reading paper files: decompression, decoding, format detection and dispatch."""

from __future__ import annotations

import gzip
import lzma
import os
from collections import Counter
from types import ModuleType

from papertui.errors import SourceError
from papertui.sources import daily_page
from papertui.sources.base import ParsedSource, Skipped
from papertui.sources.detect import detect

__all__ = ["ParsedSource", "Skipped", "decode", "parse_text", "read_bytes", "read_source"]


def _parsers() -> dict[str, ModuleType]:
    from papertui.sources import arxiv_json, atom, bibtex, hf_json, hf_page, paper_records

    return {
        daily_page.FORMAT: daily_page,
        hf_json.FORMAT: hf_json,
        atom.ATOM_FORMAT: atom,
        atom.RSS_FORMAT: atom,
        bibtex.FORMAT: bibtex,
        arxiv_json.FORMAT: arxiv_json,
        hf_page.FORMAT: hf_page,
        paper_records.FORMAT: paper_records,
    }


def read_bytes(path: str, limit: int = -1) -> bytes:
    """The bytes of a paper file, decompressed (``.gz``, ``.xz``): all, or the first ``limit``."""
    opener = lzma.open if path.endswith(".xz") else gzip.open if path.endswith(".gz") else open
    try:
        if os.path.isdir(path):
            raise SourceError(path, "is a directory, not a paper file")
        with opener(path, "rb") as handle:
            return handle.read(limit)
    except FileNotFoundError:
        raise SourceError(path, "no such file") from None
    except PermissionError:
        raise SourceError(path, "permission denied") from None
    except (OSError, EOFError, lzma.LZMAError) as error:
        raise SourceError(path, f"cannot read: {error}") from None


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (BOM allowed); a failure names the line and column."""
    if b"\x00" in data[:4096]:
        raise SourceError(path, "binary file, not a paper list")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise SourceError(
            path, f"not UTF-8 (byte 0x{data[error.start]:02x} at column {column})", line=line
        ) from None


def parse_text(text: str, path: str) -> ParsedSource:
    """Parse the text of a paper file in whichever format it is in; SourceError if none."""
    return _parsers()[detect(text, path)].parse(text, path)


def read_source(path: str) -> ParsedSource:
    """Read and parse one paper file of any supported format.

    A file with entries none of which could be read is a SourceError; one with no
    entries at all (an empty search result or feed) is zero papers. A feed's
    folder of fetched responses is one source (papertui.sources.feed_folder).
    """
    if os.path.isdir(path):
        from papertui.sources import feed_folder

        return feed_folder.read(path)
    parsed = parse_text(decode(read_bytes(path), path), path)
    if parsed.skipped and not parsed.papers:
        reasons = Counter(s.reason for s in parsed.skipped).most_common()
        detail = ", ".join(f"{reason}: {count}" for reason, count in reasons)
        raise SourceError(path, f"no papers could be read ({len(parsed.skipped)} skipped, the"
                                f" first at {parsed.skipped[0].where}; {detail})")
    return parsed
