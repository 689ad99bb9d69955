"""Drive the reader with pilot and write SVG screenshots next to this file (`make screenshots`).

`python screenshots/make_screenshots.py organise` makes only the scenes named
(first_launch, reader, feeds, organise). Everything runs in a throwaway XDG
home, so your own marks, index and config are never touched. The first-launch picture is taken while the real index build is
half done: the progress callback holds the build there until the picture is taken.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE = (120, 36)
NARROW = (80, 24)


def _isolate() -> None:
    home = Path(tempfile.mkdtemp(prefix="papertui-screens-"))
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        os.environ[name] = str(home / name.lower())


async def _settle(pilot) -> None:
    from textual.worker import WorkerCancelled, WorkerFailed

    for _ in range(4):
        for worker in list(pilot.app.workers):
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass
        await pilot.pause()


def _save(app, name: str) -> Path:
    path = HERE / f"{name}.svg"
    app.save_screenshot(filename=path.name, path=str(HERE))
    print(f"wrote {path.relative_to(HERE.parent)}")
    return path


async def first_launch() -> None:
    """The index being built on first launch, held at half way for the picture."""
    from papertui.library import Library
    from papertui.ui.app import PaperApp

    library = Library.load()
    halfway, release = threading.Event(), threading.Event()
    build = library.ensure_index

    def held_build(progress=None):
        def report(done: int, total: int, *phase: str) -> None:
            progress(done, total, *phase)
            if done * 2 >= total and not halfway.is_set():
                halfway.set()
                release.wait(30)

        return build(report)

    library.ensure_index = held_build
    app = PaperApp(library, restore_session=False)
    async with app.run_test(size=SIZE) as pilot:
        while not halfway.is_set():
            await pilot.pause(0.02)
        await pilot.pause(0.1)  # let the progress message reach the bar
        await pilot.press("slash", *"mixture experts")
        await pilot.press("enter")
        await pilot.pause(0.1)
        _save(app, "first-launch")
        release.set()
        await _settle(pilot)
        await pilot.press("escape")
    library.close()


async def reader() -> None:
    """The main view, a filtered view, similar papers, help, light theme and 80x24."""
    from papertui.library import Library
    from papertui.ui.app import PaperApp

    library = Library.load()
    app = PaperApp(library, restore_session=False)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        # Some triage, so that stars, read rows and counts show.
        await pilot.press("s", "x", "x", "j", "S", "j", "j")
        await _settle(pilot)
        _save(app, "main")

        await pilot.press("slash", *"mixture experts", "enter")
        await _settle(pilot)
        await pilot.press("j")
        await _settle(pilot)
        _save(app, "filtered")

        await pilot.press("enter", "end")
        await _settle(pilot)
        _save(app, "similar")
        await pilot.press("escape", "escape")
        await _settle(pilot)

        await pilot.press("question_mark")
        await pilot.pause()
        _save(app, "help")
        await pilot.press("escape")

        await pilot.press("escape", "g")  # clear the filter, back to the top
        app.theme = "textual-light"
        await _settle(pilot)
        _save(app, "main-light")
        app.theme = "textual-dark"

        await pilot.resize_terminal(*NARROW)
        await _settle(pilot)
        _save(app, "narrow")
    library.close()


async def feeds() -> None:
    """A library with a Hugging Face list: authors, counts, code, tags and a note; then 150 wide."""
    from papertui.library import Library
    from papertui.models import Mark
    from papertui.ui.app import PaperApp

    library = Library.load()
    library.add_sources([str(HERE.parent / "tests" / "fixtures" / "daily_papers-2026-06.json")])
    minimax = "2606.13392"
    library.set_marks({minimax: Mark(starred=True)})
    library.organise.change_tags([minimax, "2606.08063"], add=["sparse-attention"])
    library.organise.set_note(minimax, "Compare with **GQA** in section 3.\n\n- ask Ana for the kernel")
    app = PaperApp(library, restore_session=False)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("slash", *"source:daily", "enter")
        await _settle(pilot)
        app.main_screen.paper_list.select(minimax)
        await _settle(pilot)
        _save(app, "hugging-face")
        await pilot.resize_terminal(150, SIZE[1])
        await _settle(pilot)
        _save(app, "wide")
    library.close()


async def organise() -> None:
    """The sidebar with two saved searches and tags, the one shown marked; chips and a note."""
    from papertui.library import Library
    from papertui.models import Mark
    from papertui.ui.app import PaperApp

    library = Library.load()
    library.add_sources([str(HERE.parent / "tests" / "fixtures" / "daily_papers-2026-06.json")])
    noted = "2606.07867"
    tag = library.organise.change_tags
    tag(["2606.10423", noted, "2606.13572", "2606.13174"], add=["agents"])
    tag([noted, "2606.11409"], add=["safety"])
    tag(["2606.12730", "2606.11409", "2606.12451"], add=["eval"])
    library.set_marks({"2606.13174": Mark(read=True), "2606.13572": Mark(starred=True)})
    library.organise.add_saved("Agents to read", "tag:agents is:unread")
    library.organise.add_saved("LLM evaluation", "source:daily evaluation")
    library.organise.set_note(noted, "Safety drops in the **first steps** of an agent's run.\n\n"
                              "- compare with *ToolSense*\n- ask Ana about the traces")
    app = PaperApp(library, restore_session=False)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("b")
        await _settle(pilot)
        await pilot.press("escape", "4")  # the first saved search, from the list
        await _settle(pilot)
        app.main_screen.paper_list.select(noted)
        await _settle(pilot)
        _save(app, "organise")
    library.close()


SCENES = {"first_launch": first_launch, "reader": reader, "feeds": feeds, "organise": organise}
OWN_HOME = {"feeds", "organise"}  # a library of its own


async def main(names: list[str]) -> None:
    for name in names:
        if name in OWN_HOME:
            _isolate()
        await SCENES[name]()


if __name__ == "__main__":
    wanted = sys.argv[1:] or list(SCENES)
    if unknown := [name for name in wanted if name not in SCENES]:
        sys.exit(f"unknown scene {', '.join(unknown)}; the scenes: {', '.join(SCENES)}")
    _isolate()
    sys.exit(asyncio.run(main(wanted)))
