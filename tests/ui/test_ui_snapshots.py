"""A few pictures at fixed sizes, taken with workers finished (regenerate with --snapshot-update)."""

from __future__ import annotations

from ui_helpers import settle, type_query

from papertui.ui.app import PaperApp


def test_main_view(make_library, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("s", "j", "r", "j")
        await settle(pilot)

    assert snap_compare(PaperApp(make_library()), terminal_size=(120, 36), run_before=run_before)


def test_filtered_view_with_highlights(make_library, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await type_query(pilot, "mixture experts")

    assert snap_compare(PaperApp(make_library()), terminal_size=(120, 36), run_before=run_before)


def test_narrow_view(make_library, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("j", "s")
        await settle(pilot)

    assert snap_compare(PaperApp(make_library()), terminal_size=(80, 24), run_before=run_before)


def test_invalid_query(make_library, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await type_query(pilot, "is:bogus")

    assert snap_compare(PaperApp(make_library()), terminal_size=(100, 20), run_before=run_before)
