"""Fuzzing: odd queries raise only QueryError; odd paper files raise only SourceError;
odd config text never raises."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bad_sources import compress
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papertui import config, paths
from papertui.errors import QueryError, SourceError
from papertui.library import Library
from papertui.sources import read_source

FIXTURES = Path(__file__).parent.parent / "fixtures"
FIXTURE_SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Queries ------------------------------------------------------------------------------

TOKENS = [
    '"', "'", "(", ")", "[", "]", "{", "}", "*", "~", "^", "\\", "-", "+", ":", "?", "!",
    "AND", "OR", "NOT", "and", "or", "not", "TO", "title:", "abstract:", "author:", "authors:",
    "tItLe:", "-title:", "title:*", "title:~", "title:(", 'title:"', "is:", "IS:READ", "is:read",
    "is:unread", "is:starred", "is:unstarred", "-is:read", "is:read:", "source:", "-source:x",
    "source:000", "source:nothing", "source:*", "law", "scaling", "scal*", "sc*", "mixtre~",
    "mixture~2", "experts~-1", "x*y", '"scaling law"', '"open', "GPT-4:", "Note:", "日本語",
    "pangú", "\u0301", "\x00", "\t", "\n", "😀", "ﬁ", "İ",
]
QUERIES = st.one_of(
    st.text(max_size=80),
    st.text(st.characters(codec="utf-8"), max_size=200),
    st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), max_size=16).map(" ".join),
    st.lists(st.sampled_from(TOKENS), max_size=16).map("".join),
    st.lists(st.sampled_from(["NOT", "AND", "OR", "(", ")", "law", "-", '"']), max_size=20)
    .map(" ".join),
    st.sampled_from(["*", "~", "title:", "source:", "is:", '"', "(", ")", "NOT", "AND", "OR"]),
    st.text(min_size=1, max_size=20).map(lambda s: (s * (10_240 // len(s) + 1))[:10_240]),
)


@settings(FIXTURE_SETTINGS, max_examples=400)
@given(QUERIES)
def test_odd_queries_give_results_or_a_one_line_query_error(seed_library: Library, query: str) -> None:
    # Library.search turns only the query language's errors into QueryError: any
    # other exception escapes and fails this test.
    try:
        result = seed_library.search(query)
    except QueryError as error:
        assert str(error) and "\n" not in str(error).strip()
    else:
        assert set(result.ids) <= set(seed_library.ids)


def test_an_error_inside_the_search_is_not_disguised_as_a_query_error(
    seed_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> list[str]:
        raise RuntimeError("a bug in the index")

    monkeypatch.setattr(type(seed_library._keeper.opened), "hits", broken)
    with pytest.raises(RuntimeError, match="a bug in the index"):
        seed_library.search("scaling")


@pytest.fixture
def unindexed_library(isolated_dirs: Path) -> Iterator[Library]:
    library = Library.load()
    yield library
    library.close()


@settings(FIXTURE_SETTINGS, max_examples=100)
@given(QUERIES)
def test_search_before_the_index_is_open_gives_results_or_a_query_error(
    unindexed_library: Library, query: str
) -> None:
    try:
        result = unindexed_library.search(query)
    except QueryError as error:
        assert str(error) and "\n" not in str(error).strip()
    else:
        assert not result.ranked


# Words of the seed's titles, so that the properties below meet real hits, and made-up ones.
SEED_WORDS = sorted({w for w in re.findall(r"[a-z]{3,}", paths.seed_file().read_text("utf-8").lower())})
PLAIN_WORD = st.sampled_from(SEED_WORDS) | st.text(
    st.characters(categories=["Ll"]), min_size=1, max_size=12
)


@settings(FIXTURE_SETTINGS, max_examples=300)
@given(st.lists(PLAIN_WORD, min_size=1, max_size=6))
def test_a_query_of_plain_words_never_errors(seed_library: Library, words: list[str]) -> None:
    result = seed_library.search(" ".join(words))
    assert set(result.ids) <= set(seed_library.ids)


@settings(FIXTURE_SETTINGS, max_examples=300)
@given(PLAIN_WORD, PLAIN_WORD)
def test_a_or_b_finds_every_paper_that_a_b_finds(seed_library: Library, a: str, b: str) -> None:
    both = set(seed_library.search(f"{a} {b}").ids)
    either = set(seed_library.search(f"{a} OR {b}").ids)
    assert both <= either
    alone = seed_library.search(a)
    if alone.ranked:  # a stop word alone leaves no text, and lists every paper
        assert set(alone.ids) <= either


# Paper files ----------------------------------------------------------------------------


def _first_lines(path: Path, count: int) -> str:
    return "".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:count])


def _hf_sample() -> str:
    items = json.loads((FIXTURES / "daily_papers-2026-06.json").read_text(encoding="utf-8"))
    return json.dumps(items[:2], indent=1)


def _bib_sample() -> str:
    text = (FIXTURES / "d2l.bib").read_text(encoding="utf-8")
    return text[: text.index("\n@", 2000)]


def _page_sample() -> str:
    text = paths.seed_file().read_text(encoding="utf-8")
    return text[: text.index("\n\n", 3000)]


SAMPLES = {
    "page.txt": _page_sample(),
    "daily.json": _hf_sample(),
    "search.xml": (FIXTURES / "old-style-id.xml").read_text(encoding="utf-8"),
    "feed.xml": (FIXTURES / "rss-cs-cv.xml").read_text(encoding="utf-8"),
    "refs.bib": _bib_sample(),
    "records.jsonl": _first_lines(FIXTURES / "arxiv-20.jsonl", 3),
    "records.jsonl.gz": _first_lines(FIXTURES / "arxiv-20.jsonl", 3),
    "records.jsonl.xz": _first_lines(FIXTURES / "arxiv-20.jsonl", 3),
}


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    """A sample of one format, cut short, spliced with junk, or with its bytes flipped."""
    name = draw(st.sampled_from(sorted(SAMPLES)))
    data = SAMPLES[name].encode("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["cut", "text", "bytes", "flip", "repeat"]))
        if how == "cut":
            data = data[:start]
        elif how == "text":
            end = draw(st.integers(start, min(len(data), start + 80)))
            markup = st.sampled_from('<>/&;"{}[]@,=\\#%$ \n:\x00é€')
            junk = draw(st.text(alphabet=markup, max_size=20) | st.text(max_size=20))
            data = data[:start] + junk.encode("utf-8") + data[end:]
        elif how == "bytes":
            data = data[:start] + draw(st.binary(max_size=12)) + data[start:]
        elif how == "flip" and data:
            at = min(start, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
        else:
            times = draw(st.integers(2, 50))
            data = data[:start] + data[start : start + 200] * times + data[start:]
    return name, data


@settings(FIXTURE_SETTINGS, max_examples=300)
@given(damaged())
def test_damaged_paper_files_raise_nothing_but_source_error(
    tmp_path: Path, case: tuple[str, bytes]
) -> None:
    name, data = case
    path = tmp_path / name
    path.write_bytes(compress(name, data))
    try:
        parsed = read_source(str(path))
    except SourceError as error:
        assert str(error).startswith(str(path)) and "\n" not in str(error)
    else:
        assert all(paper.title.strip() for paper in parsed.papers)


@settings(FIXTURE_SETTINGS, max_examples=150)
@given(st.sampled_from(sorted(SAMPLES)),
       st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_random_content_under_any_name_raises_nothing_but_source_error(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / name.replace(".gz", "").replace(".xz", "")
    path.write_bytes(data)
    try:
        read_source(str(path))
    except SourceError as error:
        assert str(error).startswith(str(path))


# Config ----------------------------------------------------------------------------------

TOML_PIECES = ["theme", "keymap", "[keymap]", "[theme]", "=", '"', "'", "nord", "1", "true",
               "[", "]", "{", "}", ",", "\n", " ", "toggle_star", "f", "#", "\\", "é", "\x00",
               '"""', "[[keymap]]", "inf", "1979-05-27"]


@settings(FIXTURE_SETTINGS, max_examples=200)
@given(st.one_of(st.lists(st.sampled_from(TOML_PIECES), max_size=30).map("".join),
                 st.text(max_size=200)).map(str.encode) | st.binary(max_size=200))
def test_any_config_file_loads_with_defaults_and_at_most_one_line(
    isolated_dirs: Path, content: bytes
) -> None:
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_bytes(content)
    settings_, message = config.load()
    assert isinstance(settings_.theme, str) and settings_.theme
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in settings_.keymap.items())
    if message is not None:
        assert "\n" not in message, message
