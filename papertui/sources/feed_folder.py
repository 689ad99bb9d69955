"""A feed's folder of fetched responses, read as one source named after the feed.

The folder holds a marker file (MARKER) and the responses as they came, each in
a format papertui reads. Newer responses sort later by name, so they are read
first: their papers lead the list and their fields (upvotes, comments) win when
a paper came in several responses. Files whose names start with "." are not
responses (the marker, a half-written temporary file).
"""

from __future__ import annotations

import dataclasses
import os

from papertui.errors import SourceError
from papertui.merge import Merger
from papertui.sources import formats
from papertui.sources.base import ParsedSource, Skipped

FORMAT = formats.FEED
MARKER = ".papertui-feed"


def is_feed_folder(path: str) -> bool:
    """True for a folder papertui fetches a feed into."""
    return os.path.isfile(os.path.join(path, MARKER))


def read(path: str) -> ParsedSource:
    """The papers of every response in the folder, each paper once."""
    from papertui.sources import read_source

    if not is_feed_folder(path):
        raise SourceError(path, "is a directory, not a paper file")
    name = os.path.basename(os.path.normpath(path))
    try:
        files = sorted((f for f in os.listdir(path) if not f.startswith(".")), reverse=True)
    except OSError as error:
        raise SourceError(path, f"cannot read: {error.strerror or error}") from None
    result = ParsedSource(path=path, format=FORMAT, title=name)
    merger = Merger()
    for file in files:
        try:
            parsed = read_source(os.path.join(path, file))
        except SourceError as error:
            result.skipped.append(Skipped(file, str(error).rpartition(": ")[2]))
            continue
        result.entries += parsed.entries
        result.skipped.extend(Skipped(f"{file} {s.where}", s.reason) for s in parsed.skipped)
        merger.add_all(dataclasses.replace(p, sources=(name,)) for p in parsed.papers)
    result.papers = [merger.papers[pid] for pid in merger.order]
    return result
