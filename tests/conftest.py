"""Every test runs with XDG dirs in a temporary folder: no test touches the real home."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point XDG_DATA_HOME, XDG_CACHE_HOME and XDG_CONFIG_HOME at tmp_path."""
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        folder = tmp_path / name.lower()
        folder.mkdir()
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


@pytest.fixture(scope="session")
def built_seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seed index built once per session, in its own cache dir."""
    from papertui.library import Library

    root = tmp_path_factory.mktemp("seed-index")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
            patch.setenv(name, str(root / name.lower()))
        library = Library.load()
        library.ensure_index()
        library.close()
    return root / "xdg_cache_home" / "papertui" / "index"


@pytest.fixture
def seed_library(isolated_dirs: Path, built_seed_index: Path):
    """The seed library with its index ready, in this test's own dirs."""
    import shutil

    from papertui import paths
    from papertui.library import Library

    shutil.copytree(built_seed_index, paths.index_dir())
    library = Library.load()
    assert library.ensure_index() is False
    yield library
    library.close()


@pytest.fixture
def make_library(built_seed_index: Path):
    """Open the user's library as the app does; ``with_index`` copies in the prebuilt index."""
    import shutil

    from papertui import paths
    from papertui.library import Library

    opened = []

    def make(with_index: bool = True) -> Library:
        if with_index and not paths.index_dir().exists():
            shutil.copytree(built_seed_index, paths.index_dir())
        library = Library.load()
        opened.append(library)
        return library

    yield make
    for library in opened:
        library.close()


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy from the machine's environment: requests go straight to 127.0.0.1."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server(no_proxy):
    """A loopback server of recorded responses and faults (tests/feed_server.py)."""
    from feed_server import FeedServer

    with FeedServer() as running:
        yield running


@pytest.fixture
def rss_feed(server):
    """The loopback server, with one arXiv RSS feed (cs.CV) on it in config.toml."""
    from papertui import config
    from papertui.feeds.spec import new_feed

    feed = new_feed("arxiv-rss", ["cs.CV"], url=server.url)
    assert config.save(config.Config(feeds=(feed,))) is None
    return server
