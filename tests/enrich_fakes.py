"""A local stand-in for arXiv and Crossref: recorded answers served on 127.0.0.1.

Tests never touch the internet. `FakeServices` serves `tests/samples/enrich/` files by
route; each route has a list of replies used in turn (the last one repeats), so a test
can answer 429 first and 200 after. Every request is recorded with the fake clock's time.
"""

from __future__ import annotations

import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "samples" / "enrich"
ATOM = "application/atom+xml; charset=utf-8"
JSON = "application/json"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/plain"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def sample(cls, name: str, status: int = 200, **kw) -> Reply:
        ctype = ATOM if name.endswith(".xml") else JSON if name.endswith(".json") else "text/plain"
        return cls(status, (SAMPLES / name).read_bytes(), ctype, **kw)


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float  # the fake clock's reading when the request arrived


class FakeClock:
    """time.monotonic and time.sleep for the rate limiter, without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class FakeServices:
    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.routes: dict[tuple[str, str], list[Reply]] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        # a short poll: shutdown() waits up to one poll, at every test's teardown
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def arxiv_api(self) -> str:
        return f"{self.base}/api/query"

    @property
    def crossref_api(self) -> str:
        return f"{self.base}/crossref"

    def route(self, path: str, match: str = "", *replies: Reply) -> None:
        """Answer requests to `path` whose decoded query string contains `match`."""
        self.routes[(path, match)] = list(replies)

    def arxiv(self, match: str, *replies: Reply) -> None:
        self.route("/api/query", match, *replies)

    def crossref(self, path: str, match: str = "", *replies: Reply) -> None:
        self.route(f"/crossref{path}", match, *replies)

    def _pick(self, path: str, query: str) -> Reply:
        with self._lock:
            for (rpath, match), replies in self.routes.items():
                if rpath == path and match in query:
                    return replies.pop(0) if len(replies) > 1 else replies[0]
        return Reply(404, b"Resource not found.")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        services = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                url = urllib.parse.urlsplit(self.path)
                path, query = urllib.parse.unquote(url.path), urllib.parse.unquote_plus(url.query)
                services.seen.append(Seen(
                    path, dict(urllib.parse.parse_qsl(url.query)), dict(self.headers),
                    services.clock.now))
                reply = services._pick(path, query)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(reply.body)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def start(self) -> FakeServices:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def offline_settings(**extra):
    """EnrichSettings whose arXiv and Crossref addresses nobody listens on (offline)."""
    from paperdeck.core.enrich import EnrichSettings

    dead = f"http://127.0.0.1:{free_port()}"
    return EnrichSettings(arxiv_api=f"{dead}/api/query", crossref_api=dead, **extra)


def free_port() -> int:
    """A port nothing listens on (for "offline": connection refused)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
