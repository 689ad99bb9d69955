"""Where the library and its index are while text search waits, and how long the build has left."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IndexStatus:
    """Where the library and its index are: "loading", "building", "ready", "failed" or "opening"."""

    stage: str = "opening"
    done: int = 0
    total: int = 0
    what: str = ""
    seconds_left: float | None = None  # the build's estimate, once it has gone a while
    arrivals_only: bool = False  # "building" only adds the papers a fetch brought: no progress row

    @property
    def percent(self) -> int:
        return round(100 * self.done / max(self.total, 1))


class BuildClock:
    """Guesses the time a build has left from its pace since it was first seen."""

    SETTLE = 1.0  # seconds of progress before the pace is trusted

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._start: tuple[float, int] | None = None  # (when, done) at the first report

    def status(self, was: IndexStatus, done: int, total: int, phase: str = "indexing") -> IndexStatus:
        """The status after the build reports ``done`` of ``total`` in ``phase`` (each phase its own pace)."""
        now = self._clock()
        if was.stage != "building" or was.what != phase or self._start is None or done < self._start[1]:
            self._start = (now, done)
        began, first = self._start
        left = None
        if done > first and now - began >= self.SETTLE:
            left = (now - began) / (done - first) * (total - done)
        arrivals_only = was.stage == "building" and was.arrivals_only
        return IndexStatus("building", done, total, phase, left, arrivals_only)


def about(seconds: float) -> str:
    """ "about 40 s", "about 3 min" """
    if seconds < 60:
        return f"about {max(5, round(seconds / 5) * 5)} s"
    return f"about {round(seconds / 60)} min"
