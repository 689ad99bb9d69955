"""The one HTTP policy papertui fetches with: feeds, and PDFs (streamed, with progress).

Timeouts of 10 s to connect and 30 s to read, a User-Agent naming papertui,
gzip, at most 5 redirects, proxies from the environment, conditional requests
(a 304 is "unchanged"), retries on 429 and 503 that honour Retry-After (3 tries
at most), and at most one request every 3 s to arXiv's hosts, as arXiv asks.
Every failure is a FetchError with a one-line message naming the URL.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

import httpx

from papertui import __version__
from papertui.errors import PapertuiError

USER_AGENT = f"papertui/{__version__} (terminal paper reader)"
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
MAX_REDIRECTS = 5
TRIES = 3
RETRY_STATUSES = frozenset({429, 503})
FIRST_BACKOFF = 2.0
LONGEST_WAIT = 60.0  # a server asking for longer is reported, not waited for
HOST_INTERVALS: Mapping[str, float] = {"arxiv.org": 3.0}

CHUNK = 64 * 1024

Sleep = Callable[[float], None]
Clock = Callable[[], float]
Progress = Callable[[int, int | None], None]  # bytes so far, the total when announced


class Cancelled(PapertuiError):
    """A download stopped because the user cancelled it."""


class FetchError(PapertuiError):
    """A request failed; the message says which URL and why, in one line."""


@dataclass(frozen=True, slots=True)
class Response:
    """A response to keep: its body and the validators for the next conditional request."""

    url: str
    status: int
    body: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None

    @property
    def unchanged(self) -> bool:
        """True for a 304: what we hold is current."""
        return self.status == 304


class RateLimiter:
    """Spaces requests to the same host family by at least its interval."""

    def __init__(self, intervals: Mapping[str, float] = HOST_INTERVALS,
                 clock: Clock = time.monotonic, sleep: Sleep = time.sleep) -> None:
        self._intervals = dict(intervals)
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}

    def _family(self, host: str) -> str | None:
        for suffix in self._intervals:
            if host == suffix or host.endswith("." + suffix):
                return suffix
        return None

    def wait(self, host: str) -> None:
        """Block until a request to ``host`` is allowed, and count it as made."""
        family = self._family(host)
        if family is None:
            return
        last = self._last.get(family)
        if last is not None:
            delay = last + self._intervals[family] - self._clock()
            if delay > 0:
                self._sleep(delay)
        self._last[family] = self._clock()


class HttpClient:
    """GET with papertui's policy; ``sleep`` and ``limiter`` are injectable for tests."""

    def __init__(self, *, connect_timeout: float = CONNECT_TIMEOUT,
                 read_timeout: float = READ_TIMEOUT, sleep: Sleep = time.sleep,
                 limiter: RateLimiter | None = None) -> None:
        self._timeouts = (connect_timeout, read_timeout)
        self._sleep = sleep
        self._limiter = limiter or RateLimiter(sleep=sleep)
        self._client = httpx.Client(
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"},
            trust_env=True,
        )

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def get(self, url: str, *, etag: str | None = None,
            last_modified: str | None = None) -> Response:
        """Fetch ``url``; a 304 comes back as an unchanged Response, failures as FetchError."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = urlsplit(url).hostname or ""
        for attempt in range(1, TRIES + 1):
            self._limiter.wait(host)
            response = self._send(url, headers)
            if response.status_code not in RETRY_STATUSES:
                break
            if attempt == TRIES:
                raise FetchError(f"{url}: {_status(response)} (after {TRIES} tries)")
            wait = _retry_after(response.headers.get("Retry-After"))
            if wait is None:
                wait = FIRST_BACKOFF * 2 ** (attempt - 1)
            if wait > LONGEST_WAIT:
                raise FetchError(f"{url}: {_status(response)}, retry after {wait:.0f} s")
            self._sleep(wait)
        if response.status_code == 304:
            return Response(url, 304, b"", "", etag, last_modified)
        if not 200 <= response.status_code < 300:
            raise FetchError(f"{url}: {_status(response)}")
        return Response(
            url, response.status_code, response.content,
            response.headers.get("Content-Type", ""),
            response.headers.get("ETag"), response.headers.get("Last-Modified"),
        )

    def download(self, url: str, out: BinaryIO, progress: Progress | None = None,
                 cancel: Callable[[], bool] | None = None) -> int:
        """Stream ``url``'s body into ``out``, a chunk at a time; the bytes written.

        ``progress`` is told the bytes so far after each chunk; ``cancel``
        returning True stops it with Cancelled. One try (no retries); failures,
        and an error status, are FetchError. Whatever ``out.write`` raises
        passes through.
        """
        self._limiter.wait(urlsplit(url).hostname or "")
        done = 0
        with self._failures(url), self._client.stream("GET", url) as response:
            if not 200 <= response.status_code < 300:
                raise FetchError(f"{url}: {_status(response)}")
            length = response.headers.get("Content-Length", "")
            compressed = "Content-Encoding" in response.headers  # the length is not the body's
            total = int(length) if length.isdigit() and not compressed else None
            for chunk in response.iter_bytes(CHUNK):
                if cancel is not None and cancel():
                    raise Cancelled(f"{url}: download cancelled")
                out.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        return done

    def _send(self, url: str, headers: dict[str, str]) -> httpx.Response:
        """One request, its body read whole; transport failures become FetchError."""
        with self._failures(url):
            response = self._client.get(url, headers=headers)
        return response

    @contextmanager
    def _failures(self, url: str) -> Iterator[None]:
        """Turn httpx's transport failures into one-line FetchErrors naming ``url``."""
        connect, read = self._timeouts
        try:
            yield
        except httpx.ConnectTimeout:
            raise FetchError(f"{url}: timed out connecting (after {connect:g} s)") from None
        except httpx.TimeoutException:
            raise FetchError(f"{url}: timed out waiting for the server (after {read:g} s)") from None
        except httpx.TooManyRedirects:
            raise FetchError(f"{url}: too many redirects (more than {MAX_REDIRECTS})") from None
        except httpx.ConnectError as error:  # refused, DNS, TLS
            raise FetchError(f"{url}: cannot connect ({_reason(error)})") from None
        except httpx.RemoteProtocolError as error:  # a body cut short, a garbled reply
            raise FetchError(f"{url}: the server broke off ({_reason(error)})") from None
        except httpx.DecodingError as error:
            raise FetchError(f"{url}: cannot decompress the body ({_reason(error)})") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
            raise FetchError(f"{url}: not a URL papertui can fetch ({_reason(error)})") from None
        except httpx.HTTPError as error:
            raise FetchError(f"{url}: {type(error).__name__} ({_reason(error)})") from None


def _status(response: httpx.Response) -> str:
    return f"HTTP {response.status_code} {response.reason_phrase}".rstrip()


def _reason(error: Exception) -> str:
    """The last line of an exception's text: the one that says what went wrong."""
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[-1]


def _retry_after(value: str | None, now: Clock = time.time) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now())
