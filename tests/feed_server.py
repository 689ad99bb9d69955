"""A real HTTP server on 127.0.0.1 that answers from recorded responses and serves faults.

Routes are keyed by path (the query is ignored); each route answers with its
replies in turn, the last one for every request after. Every request is
recorded, so tests can check what was asked (dates, pages, validators).
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"
JSON = "application/json; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
RSS = "application/rss+xml"
HTML = "text/html; charset=utf-8"
ERROR_PAGE = b"<!DOCTYPE html><html><head><title>Error</title></head><body>Oops</body></html>"


def fixture(name: str) -> bytes:
    """The bytes of a recorded response in tests/fixtures."""
    return (FIXTURES / name).read_bytes()


@dataclass(frozen=True)
class Reply:
    """One answer. ``etag`` adds an ETag and honours If-None-Match with a 304;
    ``stall`` waits before answering; ``length`` declares a Content-Length other
    than the body's (longer: the body is cut short); ``gzip`` compresses the body."""

    body: bytes = b""
    status: int = 200
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = False
    stall: float = 0.0
    length: int | None = None
    gzip: bool = False


@dataclass(frozen=True)
class Request:
    """What the server was asked."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]


class FeedServer:
    """``with FeedServer() as server: server.route("/rss/cs.CV", Reply(...))``."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def route(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def asked(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def __enter__(self) -> "FeedServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next(self, path: str) -> Reply | None:
        with self._lock:
            replies = self.routes.get(path)
            if not replies:
                return None
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                with server._lock:
                    server.requests.append(Request(parts.path, query, dict(self.headers)))
                reply = server._next(parts.path)
                if reply is None:
                    reply = Reply(b"not found", status=404, content_type="text/plain")
                time.sleep(reply.stall)
                body = gzip.compress(reply.body) if reply.gzip else reply.body
                tag = f'"{hashlib.sha1(reply.body).hexdigest()}"' if reply.etag else None
                if tag and self.headers.get("If-None-Match") == tag:
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(reply.length or len(body)))
                if reply.gzip:
                    self.send_header("Content-Encoding", "gzip")
                if tag:
                    self.send_header("ETag", tag)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.length and reply.length > len(body):
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting: what a stall test wants

        return Handler


def refused_url() -> str:
    """A loopback URL where nothing listens: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
