"""Converting between SQLite rows and `Paper` objects."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from .bidi import without_bidi_controls
from .models import Paper

PAPER_COLUMNS = (
    "id", "title", "abstract", "authors", "year", "arxiv_id", "doi", "url", "links", "venue",
    "primary_class", "status", "position", "priority", "notes", "citekey", "added_at",
    "updated_at", "started_at", "finished_at", "trashed_at", "import_id", "arxiv_version",
    "entry_type", "fields",
)
JSON_COLUMNS = ("authors", "links")
EDITABLE_FIELDS = (
    "title", "abstract", "authors", "year", "arxiv_id", "doi", "url", "links", "venue",
    "primary_class", "notes", "citekey",
)


def now_iso() -> str:
    """Timestamps are UTC, second precision, ISO 8601: sortable as text."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def iso_or_empty(text: str) -> str:
    """A date or time another program wrote ("2023-01-12T10:22:31", "2024-02-01T10:00:00Z",
    "2023-01-12") as our UTC timestamp, or "" if it is not one (or lies in the future)."""
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    when = when.astimezone(UTC).replace(microsecond=0)
    return when.isoformat() if when <= datetime.now(UTC) else ""


def to_db(column: str, value: Any) -> Any:
    if column == "fields":
        return json.dumps(dict(value or {}), ensure_ascii=False, sort_keys=True)
    if column in JSON_COLUMNS:
        return json.dumps(list(value or []), ensure_ascii=False)
    return value


def from_db(column: str, value: Any) -> Any:
    if column == "fields":
        try:
            data = json.loads(value or "{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    if column in JSON_COLUMNS:
        try:
            data = json.loads(value or "[]")
        except ValueError:
            return []
        return [str(x) for x in data] if isinstance(data, list) else []
    return value


SHOWN_TEXT = ("title", "abstract", "notes", "venue")  # shown as written, on cards and in lists


def paper_from_row(row: dict[str, Any], tags: list[str]) -> Paper:
    """A Paper as shown: bidi controls dropped from its text, including text stored before
    imports dropped them (see bidi.py)."""
    values = {c: from_db(c, row[c]) for c in PAPER_COLUMNS if c in row}
    for col in SHOWN_TEXT:
        if isinstance(values.get(col), str):
            values[col] = without_bidi_controls(values[col])
    if values.get("authors"):
        values["authors"] = [without_bidi_controls(a) for a in values["authors"]]
    return Paper(tags=tags, **values)
