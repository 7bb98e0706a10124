"""Reading statistics computed from papers: a small pure function, easy to test without Qt."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from paperdeck.core.models import QUEUE_STATUSES, Paper


@dataclass
class Stats:
    weeks: list[tuple[date, int, int]] = field(default_factory=list)  # (monday, added, read)
    queue_length: int = 0
    total: int = 0
    read_total: int = 0
    median_days_to_read: float | None = None
    top_tags: list[tuple[str, int]] = field(default_factory=list)


def _day(stamp: str | None) -> date | None:
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def compute_stats(papers: Iterable[Paper], today: date | None = None, weeks: int = 12,
                  tags: int = 8) -> Stats:
    """Added and read per week over the last `weeks` weeks (Monday to Sunday), queue length,
    the median days from added to read, and the most used tags. Trashed papers are left out."""
    today = today or datetime.now(UTC).date()
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    added, read = Counter(), Counter()
    durations: list[float] = []
    tag_counts: Counter[str] = Counter()
    out = Stats()
    for p in papers:
        if p.trashed_at:
            continue
        out.total += 1
        if p.status in QUEUE_STATUSES:
            out.queue_length += 1
        tag_counts.update(p.tags)
        start, end = _day(p.added_at), _day(p.finished_at)
        if start and start >= first:
            added[(start - first).days // 7] += 1
        if end or p.status == "read":  # moved in as read: counted, on no known day
            out.read_total += 1
        if end:
            if end >= first:
                read[(end - first).days // 7] += 1
            if start:
                durations.append(max(0.0, (end - start).days))
    out.weeks = [(first + timedelta(weeks=i), added[i], read[i]) for i in range(weeks)]
    out.median_days_to_read = statistics.median(durations) if durations else None
    out.top_tags = sorted(tag_counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))[:tags]
    return out
