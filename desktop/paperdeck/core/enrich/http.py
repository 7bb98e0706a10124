"""One polite GET: a per-service rate limit, short timeouts, a bounded retry on 429/503.

Failures are `LookupFailed` subclasses with a message for the user; an answer of
404 is not a failure (`Response.status == 404`), it means "no such paper".
"""

from __future__ import annotations

import email.utils
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import PaperdeckError

MAX_BODY = 8 * 1024 * 1024  # an answer larger than this is not metadata
Clock = Callable[[], float]
Sleep = Callable[[float], object]


class LookupFailed(PaperdeckError):
    """A service could not be asked or did not answer usefully."""

    kind = "error"


class Offline(LookupFailed):
    """No network, or the service's host cannot be reached."""

    kind = "offline"


class TimedOut(LookupFailed):
    kind = "timeout"


class Busy(LookupFailed):
    """The service kept answering 429/503, or asked us to come back much later."""

    kind = "busy"


class Malformed(LookupFailed):
    """The answer could not be read (broken XML or JSON, unexpected shape)."""

    kind = "malformed"


class Cancelled(LookupFailed):
    kind = "cancelled"


class RateLimiter:
    """At most one request per `interval` seconds, measured from request start.

    `clock` and `sleep` are injectable so tests can check the spacing without waiting.
    """

    def __init__(self, interval: float, *, clock: Clock = time.monotonic,
                 sleep: Sleep = time.sleep) -> None:
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._next: float | None = None
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            if self._next is not None and now < self._next:
                self.sleep(self._next - now)
                now = max(self.clock(), self._next)
            self._next = now + self.interval

    def hold(self, seconds: float) -> None:
        """Push the next allowed request at least `seconds` into the future (Retry-After)."""
        with self._lock:
            self._next = max(self._next or 0.0, self.clock() + seconds)


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = ""


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Fetcher:
    """GETs for one service: its name (for messages), its rate limiter, our User-Agent."""

    def __init__(
        self, service: str, limiter: RateLimiter, *, user_agent: str, timeout: float,
        retries: int = 2, max_retry_wait: float = 5.0,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        self.service = service
        self.limiter = limiter
        self.user_agent = user_agent
        self.timeout = timeout
        self.retries = retries
        self.max_retry_wait = max_retry_wait
        self.cancelled = cancelled
        self._opener = urllib.request.build_opener()

    def get(self, url: str, accept: str = "*/*") -> Response:
        """The answer to a GET (2xx or 404); anything else raises LookupFailed."""
        for attempt in range(self.retries + 1):
            if self.cancelled():
                raise Cancelled("Cancelled.")
            self.limiter.wait()
            if self.cancelled():
                raise Cancelled("Cancelled.")
            status, body, headers = self._once(url, accept)
            if status < 300 or status == 404:
                return Response(status, body, headers.get("Content-Type", "") if headers else "")
            if status not in (429, 503):
                raise LookupFailed(f"{self.service} answered HTTP {status}.")
            wait = retry_after_seconds(headers.get("Retry-After") if headers else None)
            if wait is not None and wait > self.max_retry_wait:
                self.limiter.hold(wait)
                raise Busy(f"{self.service} is busy and asked us to wait {wait:.0f} s; "
                           "try again later.")
            if attempt == self.retries:
                break
            # Honour Retry-After (else back off a little); the limiter then adds its spacing.
            self.limiter.sleep(wait if wait is not None else min(2.0 * (attempt + 1),
                                                                 self.max_retry_wait))
        raise Busy(f"{self.service} is busy (HTTP {status}); try again later.")

    def _once(self, url: str, accept: str) -> tuple[int, bytes, dict[str, str] | None]:
        try:  # a service address without a scheme (PAPERDECK_ARXIV_API=host/path) is a ValueError
            req = urllib.request.Request(url, headers={"User-Agent": self.user_agent, "Accept": accept})
            with self._opener.open(req, timeout=self.timeout) as resp:
                body = resp.read(MAX_BODY + 1)
                if len(body) > MAX_BODY:
                    raise Malformed(f"{self.service} sent an answer too large to be metadata.")
                return resp.status, body, dict(resp.headers)
        except urllib.error.HTTPError as exc:
            with exc:
                try:
                    body = exc.read(MAX_BODY)
                except (OSError, ValueError, http.client.HTTPException):  # a 503 cut short
                    body = b""
                return exc.code, body, dict(exc.headers or {})
        except urllib.error.URLError as exc:
            raise self._explain(exc.reason) from exc
        except (OSError, ValueError, http.client.HTTPException) as exc:  # broken status lines too
            raise self._explain(exc) from exc

    def _explain(self, reason: object) -> LookupFailed:
        if isinstance(reason, TimeoutError | socket.timeout):
            return TimedOut(f"{self.service} did not answer within {self.timeout:g} s.")
        if isinstance(reason, OSError):  # DNS failure, refused, unreachable, reset
            return Offline(f"{self.service} cannot be reached (offline?): {_short(reason)}.")
        return LookupFailed(f"{self.service} could not be asked: {_short(reason)}.")


def _short(reason: object) -> str:
    text = getattr(reason, "strerror", None) or str(reason)
    return text.strip()[:120] or type(reason).__name__
