"""The reader's session is saved as it changes, so a killed app reopens where it was."""

from __future__ import annotations

from papertui.ui import session


def test_the_session_is_saved_whenever_it_changed(tmp_path):
    path = tmp_path / "ui-state.json"
    now = [session.Session("model", "2310.01217")]
    keeper = session.Keeper(lambda: now[0], path)
    keeper.keep()
    assert session.load(path) == session.Session("model", "2310.01217")
    now[0] = session.Session("model is:unread", "2401.00001")
    keeper.keep()
    assert session.load(path) == session.Session("model is:unread", "2401.00001")


def test_an_unchanged_session_is_not_written_again(tmp_path):
    path = tmp_path / "ui-state.json"
    keeper = session.Keeper(lambda: session.Session("x", None), path)
    keeper.keep()
    path.unlink()
    keeper.keep()
    assert not path.exists()
