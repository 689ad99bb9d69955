"""Bad paper files for the source tests: damaged text for the parsers, and compression."""

from __future__ import annotations

import gzip
import lzma

from hypothesis import strategies as st


@st.composite
def mutated(draw: st.DrawFn, seeds: tuple[str, ...]) -> str:
    """One of ``seeds`` cut short, or with a slice replaced by random characters."""
    text = draw(st.sampled_from(seeds))
    start = draw(st.integers(0, len(text)))
    if draw(st.booleans()):
        return text[:start]
    end = draw(st.integers(start, min(len(text), start + 50)))
    return text[:start] + draw(st.text(max_size=10)) + text[end:]


def bad_text(alphabet: str, *seeds: str) -> st.SearchStrategy[str]:
    """Any text, text made of a format's ``alphabet``, or one of its ``seeds`` damaged."""
    return st.one_of(st.text(), st.text(alphabet=alphabet), mutated(seeds))


def compress(name: str, data: bytes) -> bytes:
    """``data`` as a file called ``name`` holds it: gzip or xz by its suffix (fast levels)."""
    if name.endswith(".gz"):
        return gzip.compress(data, compresslevel=1)
    if name.endswith(".xz"):
        return lzma.compress(data, preset=0)
    return data
