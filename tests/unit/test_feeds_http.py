"""The HTTP policy, against a real server on 127.0.0.1 serving recorded responses and faults."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import pytest
from feed_server import ERROR_PAGE, HTML, Reply, fixture, refused_url

from papertui.feeds.http import USER_AGENT, FetchError, HttpClient, RateLimiter

DAILY = fixture("daily_papers-2026-06.json")


pytestmark = pytest.mark.usefixtures("no_proxy")  # see tests/conftest.py


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def client(waits: list[float]) -> Iterator[HttpClient]:
    with HttpClient(read_timeout=0.5, sleep=waits.append) as made:
        yield made


def test_a_response_comes_with_its_validators_and_papertuis_user_agent(server, client) -> None:
    server.route("/d", Reply(DAILY, etag=True, headers={"Last-Modified": "Fri, 12 Jun 2026 08:00:00 GMT"}))
    response = client.get(server.url + "/d")
    assert response.status == 200 and response.body == DAILY and not response.unchanged
    assert response.etag and response.last_modified == "Fri, 12 Jun 2026 08:00:00 GMT"
    sent = server.requests[0].headers
    assert sent["User-Agent"] == USER_AGENT and USER_AGENT.startswith("papertui/0.1.0")
    assert "gzip" in sent["Accept-Encoding"]


def test_a_gzipped_body_is_decompressed(server, client) -> None:
    server.route("/d", Reply(DAILY, gzip=True))
    assert client.get(server.url + "/d").body == DAILY


def test_a_conditional_request_answered_304_is_unchanged(server, client) -> None:
    server.route("/d", Reply(DAILY, etag=True))
    first = client.get(server.url + "/d")
    second = client.get(server.url + "/d", etag=first.etag)
    assert second.unchanged and second.body == b""
    assert server.requests[1].headers["If-None-Match"] == first.etag


def test_429_waits_as_long_as_retry_after_says_then_retries(server, client, waits) -> None:
    server.route("/d", Reply(b"slow down", 429, "text/plain", {"Retry-After": "7"}), Reply(DAILY))
    assert client.get(server.url + "/d").body == DAILY
    assert waits == [7.0]


def test_503_then_200_backs_off_and_succeeds(server, client, waits) -> None:
    server.route("/d", Reply(b"busy", 503, "text/plain"), Reply(b"busy", 503, "text/plain"),
                 Reply(DAILY))
    assert client.get(server.url + "/d").body == DAILY
    assert waits == [2.0, 4.0] and len(server.requests) == 3


def test_503_three_times_gives_up_after_three_tries(server, client, waits) -> None:
    server.route("/d", Reply(b"busy", 503, "text/plain"))
    with pytest.raises(FetchError, match=r"/d: HTTP 503 Service Unavailable \(after 3 tries\)$"):
        client.get(server.url + "/d")
    assert len(server.requests) == 3 and len(waits) == 2


def test_a_retry_after_longer_than_a_minute_is_reported_not_waited(server, client, waits) -> None:
    server.route("/d", Reply(b"", 429, "text/plain", {"Retry-After": "3600"}))
    with pytest.raises(FetchError, match="HTTP 429 Too Many Requests, retry after 3600 s"):
        client.get(server.url + "/d")
    assert waits == []


def test_an_http_error_is_one_line_naming_the_url(server, client) -> None:
    server.route("/d", Reply(ERROR_PAGE, 404, HTML))
    with pytest.raises(FetchError) as caught:
        client.get(server.url + "/d")
    assert str(caught.value) == f"{server.url}/d: HTTP 404 Not Found"


def test_a_server_that_stalls_past_the_read_timeout_times_out(server, client) -> None:
    server.route("/d", Reply(DAILY, stall=2.0))
    with pytest.raises(FetchError, match=r"timed out waiting for the server \(after 0.5 s\)"):
        client.get(server.url + "/d")


def test_a_body_cut_short_of_its_content_length_is_an_error(server, client) -> None:
    server.route("/d", Reply(DAILY[:500], length=len(DAILY)))
    with pytest.raises(FetchError, match="the server broke off"):
        client.get(server.url + "/d")


def test_a_redirect_loop_stops_after_five_redirects(server, client) -> None:
    server.route("/loop", Reply(b"", 302, "text/plain", {"Location": "/loop"}))
    with pytest.raises(FetchError, match=r"too many redirects \(more than 5\)"):
        client.get(server.url + "/loop")
    assert len(server.requests) == 6


def test_a_refused_connection_is_one_line(client) -> None:
    url = refused_url()
    with pytest.raises(FetchError, match=r"cannot connect \(.*[Rr]efused"):
        client.get(url + "/d")


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_arxiv_hosts_get_at_most_one_request_every_3_seconds() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    limiter.wait("export.arxiv.org")
    clock.now += 1.0
    limiter.wait("rss.arxiv.org")  # the same family of hosts
    limiter.wait("huggingface.co")
    clock.now += 5.0
    limiter.wait("export.arxiv.org")
    assert clock.slept == [pytest.approx(2.0)]


def test_the_limiter_spaces_requests_to_a_limited_host(server, waits) -> None:
    clock = FakeClock()
    limiter = RateLimiter({"127.0.0.1": 3.0}, clock=clock, sleep=clock.sleep)
    server.route("/d", Reply(gzip.compress(b"x"), content_type="application/gzip"))
    with HttpClient(sleep=waits.append, limiter=limiter) as client:
        client.get(server.url + "/d")
        client.get(server.url + "/d")
    assert clock.slept == [pytest.approx(3.0)]
