"""Fetching one feed: request, validate every response, then save them all at once.

Nothing is saved unless every request of the feed succeeded and every body
parsed to its end as the format the kind promises, so a failed fetch leaves
the feed's folder, and so the library, as it was. A body identical to one
already stored is not written again, and a 304 keeps what is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode

from papertui.errors import PapertuiError, SourceError
from papertui.feeds import store
from papertui.feeds.fetch_state import FetchState, Validators
from papertui.feeds.http import FetchError, HttpClient, Response
from papertui.feeds.spec import Feed
from papertui.sources import ParsedSource, decode, formats, parse_text

PAGE_SIZE = 200  # arXiv's API pages
FIRST_DAYS = 7  # a first hf-daily fetch: today and the 6 days before
Progress = Callable[[str], None]
_EXTENSIONS = {formats.HF_JSON: ".json", formats.ARXIV_JSON: ".json",
               formats.PAPER_RECORDS: ".json", formats.ARXIV_ATOM: ".xml",
               formats.ARXIV_RSS: ".xml", formats.BIBTEX: ".bib", formats.HF_PAGE: ".html"}
_MEDIA = {"json": ("json",), "xml": ("xml", "rss", "atom")}
_NEUTRAL_MEDIA = ("", "text/plain", "application/octet-stream")


@dataclass(frozen=True, slots=True)
class FetchReport:
    """What fetching one feed did, for the progress report."""

    feed: str
    requests: int = 0
    unit: str = "request"
    papers: int = 0
    new: int = 0
    unchanged: bool = False
    error: str | None = None

    def line(self) -> str:
        """E.g. "hf-daily: 3 days, 142 papers, 37 new", or the error."""
        if self.error:
            return f"{self.feed}: {self.error}"
        done = f"{self.feed}: {self.requests} {self.unit}{'' if self.requests == 1 else 's'}"
        return f"{done}, unchanged" if self.unchanged else (
            f"{done}, {self.papers} papers, {self.new} new")


@dataclass(slots=True)
class _Fetch:
    """One feed's fetch in progress: what came back, to be saved if all goes well."""

    feed: Feed
    client: HttpClient
    state: FetchState
    seen: set[str]
    now: dt.datetime
    progress: Progress
    requests: int = 0
    bodies: int = 0  # responses with a body (not 304)
    received: set[str] = field(default_factory=set)
    to_save: list[tuple[str, bytes]] = field(default_factory=list)
    validators: dict[str, Validators] = field(default_factory=dict)

    def get(self, url: str, expect: str, allowed: set[str], *,
            conditional: bool = True) -> tuple[ParsedSource, bytes] | None:
        """Fetch and validate ``url``: its parse and body, or None when unchanged (304)."""
        self.requests += 1
        self.progress(url)
        etag, modified = self.state.validators(self.feed.name, url) if conditional else (None, None)
        response = self.client.get(url, etag=etag, last_modified=modified)
        if response.unchanged:
            return None
        parsed = validate(response, expect, allowed)
        self.bodies += 1
        self.received.update(p.id for p in parsed.papers)
        if conditional:
            self.validators[url] = (response.etag, response.last_modified)
        return parsed, response.body

    def keep(self, filename: str, body: bytes) -> None:
        self.to_save.append((filename, body))

    @property
    def stamp(self) -> str:
        return self.now.strftime("%Y%m%dT%H%M%SZ")


def validate(response: Response, expect: str, allowed: set[str]) -> ParsedSource:
    """The parse of a response body; FetchError when it is not what the feed promises.

    ``expect`` is "json", "xml" or "any". An HTML page where JSON or XML was
    expected is refused whatever its status, and so is a body that does not
    parse to its end, whatever its Content-Length.
    """
    url, media = response.url, response.content_type.partition(";")[0].strip().lower()
    if expect != "any":
        head = response.body[:512].lstrip().lower()
        if media == "text/html" or head.startswith((b"<!doctype html", b"<html")):
            raise FetchError(f"{url}: an HTML page where {expect.upper()} was expected"
                             f" (HTTP {response.status})")
        if media not in _NEUTRAL_MEDIA and not any(k in media for k in _MEDIA[expect]):
            raise FetchError(f"{url}: expected {expect.upper()}, got content type {media}")
    try:
        parsed = parse_text(decode(response.body, url), url)
    except SourceError as error:
        raise FetchError(f"bad response: {error}") from None
    if parsed.entries and parsed.format not in allowed:
        raise FetchError(f"{url}: {parsed.format} where {' or '.join(sorted(allowed))}"
                         " was expected")
    if parsed.skipped and not parsed.papers:
        raise FetchError(f"{url}: none of its {len(parsed.skipped)} records could be read")
    return parsed


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    for offset in range((last - first).days + 1):
        yield first + dt.timedelta(days=offset)


def _hf_daily(job: _Fetch) -> str | None:
    """One request a UTC day: the first fetch takes a week, later ones from the last day on."""
    today = job.now.date()
    last_day = job.state.status(job.feed.name).last_day
    first = dt.date.fromisoformat(last_day) if last_day else today - dt.timedelta(FIRST_DAYS - 1)
    for day in _days(min(first, today), today):
        got = job.get(f"{job.feed.base}/api/daily_papers?date={day}", "json", {formats.HF_JSON})
        if got and got[0].entries:
            job.keep(f"{day}.json", got[1])
    return today.isoformat()


def _arxiv_rss(job: _Fetch) -> None:
    url = f"{job.feed.base}/rss/{'+'.join(job.feed.args)}"
    got = job.get(url, "xml", {formats.ARXIV_RSS})
    if got and got[0].entries:
        job.keep(f"{got[0].date or job.now.date().isoformat()}.xml", got[1])


def _arxiv_query(job: _Fetch) -> None:
    """Pages, newest first, until papers already seen, the end, or the feed's max."""
    collected, page = 0, 0
    while collected < job.feed.max:
        known = job.seen | job.received  # papers stored, or on an earlier page of this fetch
        size = min(PAGE_SIZE, job.feed.max - collected)
        query = urlencode({"search_query": job.feed.args[0], "sortBy": "submittedDate",
                           "sortOrder": "descending", "start": collected, "max_results": size})
        got = job.get(f"{job.feed.base}/api/query?{query}", "xml", {formats.ARXIV_ATOM},
                      conditional=False)
        assert got is not None  # no validators were sent, so no 304
        parsed, body = got
        ids = {p.id for p in parsed.papers}
        if ids - known:
            # The folder is read in reverse name order: page 0 must sort last.
            job.keep(f"{job.stamp}-{999 - page:03d}.xml", body)
        collected += parsed.entries
        if parsed.entries < size or ids & known:
            break
        page += 1


def _url(job: _Fetch) -> None:
    """Any URL in a format papertui reads; ``--url`` replaces the URL given."""
    got = job.get(job.feed.url or job.feed.args[0], "any", set(_EXTENSIONS) | {formats.DAILY_PAGE})
    if got and got[0].entries and not store.holds(job.feed.name, got[1]):
        job.keep(store.unused_name(job.feed.name, job.stamp, _EXTENSIONS.get(got[0].format, ".txt")),
                 got[1])


_KINDS: dict[str, Callable[[_Fetch], str | None]] = {
    "hf-daily": _hf_daily, "arxiv-rss": _arxiv_rss, "arxiv-query": _arxiv_query, "url": _url,
}
_UNITS = {"hf-daily": "day", "arxiv-rss": "request", "arxiv-query": "page", "url": "request"}


def fetch(feed: Feed, client: HttpClient, state: FetchState, *,
          now: dt.datetime | None = None, progress: Progress = lambda _: None) -> FetchReport:
    """Fetch one feed and save what it brought; failures come back in the report."""
    seen = store.paper_ids(feed.name)
    job = _Fetch(feed, client, state, seen, now or dt.datetime.now(dt.timezone.utc), progress)
    try:
        last_day = _KINDS[feed.kind](job)
        for filename, body in job.to_save:
            store.save(feed.name, filename, body)
        papers = len(store.paper_ids(feed.name)) if job.to_save else len(seen)
        report = FetchReport(feed.name, job.requests, _UNITS[feed.kind], len(job.received),
                             len(job.received - seen), unchanged=job.bodies == 0)
        state.succeeded(feed.name, report.line().partition(": ")[2], papers=papers,
                        last_day=last_day, validators=job.validators)
        return report
    except PapertuiError as error:
        report = FetchReport(feed.name, job.requests, _UNITS[feed.kind], error=str(error))
        state.failed(feed.name, str(error))
        return report
