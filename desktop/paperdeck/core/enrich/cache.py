"""A small SQLite cache of lookups, so asking twice does not bother the services twice.

Keys are like ``arxiv:2401.01234``, ``doi:10.1/x`` or ``title:<title key>``; a value is a
found record (JSON) or a miss. Hits are kept `cache_days`, misses `cache_miss_days`.
The cache is a convenience: any failure to read or write it is logged and ignored.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
DAY = 86400.0
MISS = object()  # "looked up recently, nothing there"


class LookupCache:
    def __init__(self, path: Path | None, *, hit_days: float, miss_days: float,
                 now: Callable[[], float] = time.time) -> None:
        self.path = path
        self.hit_age = hit_days * DAY
        self.miss_age = miss_days * DAY
        self.now = now
        self._lock = threading.Lock()
        self._broken = path is None

    @contextlib.contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        assert self.path is not None
        conn = sqlite3.connect(self.path, timeout=2.0)
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS lookups (key TEXT PRIMARY KEY, at REAL NOT NULL, "
                "data TEXT)"
            )
            yield conn
            conn.commit()
        finally:
            conn.close()

    def get(self, key: str) -> Any:
        """The cached record (a dict), MISS for a recent miss, None when unknown or too old."""
        if self._broken:
            return None
        try:
            with self._lock, self._conn() as conn:
                row = conn.execute("SELECT at, data FROM lookups WHERE key = ?", [key]).fetchone()
        except (sqlite3.Error, OSError) as exc:
            self._give_up(exc)
            return None
        if row is None:
            return None
        at, data = row
        age = self.now() - at
        if data is None:
            return MISS if age < self.miss_age else None
        if age >= self.hit_age:
            return None
        try:
            return json.loads(data)
        except ValueError:
            return None

    def put(self, key: str, record: dict[str, Any] | None) -> None:
        """Remember a record, or (None) that nothing was found."""
        if self._broken:
            return
        data = None if record is None else json.dumps(record, ensure_ascii=False)
        try:
            with self._lock, self._conn() as conn:
                conn.execute("INSERT OR REPLACE INTO lookups (key, at, data) VALUES (?, ?, ?)",
                             [key, self.now(), data])
                conn.execute("DELETE FROM lookups WHERE at < ?",
                             [self.now() - max(self.hit_age, self.miss_age)])
        except (sqlite3.Error, OSError) as exc:
            self._give_up(exc)

    def _give_up(self, exc: BaseException) -> None:
        log.warning("metadata cache %s unusable, going on without it: %s", self.path, exc)
        self._broken = True
        text = str(exc).lower()
        if self.path is not None and ("not a database" in text or "malformed" in text):
            with contextlib.suppress(OSError):
                self.path.unlink()  # a damaged cache is rebuilt from scratch next time
