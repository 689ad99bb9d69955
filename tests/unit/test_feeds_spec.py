"""Feeds in config.toml: checked when added, kept through the one loader and atomic save."""

from __future__ import annotations

import pytest

from papertui import config
from papertui.feeds.spec import BadFeed, Feed, new_feed


def test_feeds_round_trip_through_config_toml(tmp_path) -> None:
    path = tmp_path / "config.toml"
    feeds = (new_feed("hf-daily", []), new_feed("arxiv-rss", ["cs.CL", "cs.LG"]),
             new_feed("arxiv-query", ["ti:diffusion", "AND", "cat:cs.CV"], max_results=50),
             new_feed("url", ["https://example.org/list.json"], name="mine"))
    assert config.save(config.Config().with_feeds(feeds), path) is None
    loaded, message = config.load(path)
    assert message is None and loaded.feeds == feeds
    assert loaded.feeds[2].args == ("ti:diffusion AND cat:cs.CV",) and loaded.feeds[2].max == 50


def test_a_bad_feed_entry_is_named_and_left_out(tmp_path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[[feeds]]\nname = "a"\nkind = "hf-daily"\n\n'
                    '[[feeds]]\nname = "b"\nkind = "gopher"\n', encoding="utf-8")
    loaded, message = config.load(path)
    assert [f.name for f in loaded.feeds] == ["a"]
    assert "feeds entry 2: feed 'b': unknown kind 'gopher'" in message


def test_the_base_url_is_the_kinds_unless_replaced() -> None:
    assert new_feed("hf-daily", []).base == "https://huggingface.co"
    assert new_feed("arxiv-rss", ["cs.CL"], url="http://127.0.0.1:8/").base == "http://127.0.0.1:8"
    assert new_feed("hf-daily", [], taken=["hf-daily", "hf-daily-2"]).name == "hf-daily-3"


@pytest.mark.parametrize(("kind", "args", "url"), [
    ("hf-daily", ["x"], None), ("arxiv-rss", ["cs CL"], None), ("arxiv-query", [], None),
    ("url", [], None), ("url", ["file:///etc/passwd"], None), ("hf-daily", [], "http://"),
])
def test_bad_input_is_refused(kind, args, url) -> None:
    with pytest.raises(BadFeed):
        new_feed(kind, args, url=url)


def test_a_feed_name_must_be_a_plain_folder_name() -> None:
    with pytest.raises(BadFeed, match="feed name"):
        new_feed("hf-daily", [], name="../escape")
    assert Feed("x", "hf-daily").table() == {"name": "x", "kind": "hf-daily", "args": []}
