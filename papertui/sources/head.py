"""The first papers of a large file, read from its head: what a preview shows at once."""

from __future__ import annotations

from papertui.models import Paper
from papertui.sources import decode, parse_text, read_bytes

HEAD_BYTES = 256 << 10


def read_head(path: str, size: int = HEAD_BYTES) -> list[Paper]:
    """The papers in the first ``size`` bytes of a file, cut at the last full line.

    SourceError when the file cannot be read or its head is in no known format.
    """
    data = read_bytes(path, size)
    data = data[: data.rfind(b"\n") + 1] or data
    return parse_text(decode(data, path), path).papers
