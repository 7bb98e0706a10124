"""Crossref's REST API: ``/works/{doi}`` and ``/works?query.bibliographic=``.

Docs: https://api.crossref.org/swagger-ui/index.html and
https://www.crossref.org/documentation/retrieve-metadata/rest-api/. A work is under
``message``; a search's works under ``message.items``. Titles may carry JATS/HTML tags.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from typing import Any

from ..digest.identifiers import normalise_doi
from .http import Malformed
from .records import Found

_BLOCK_TAG = re.compile(r"</?(?:jats:)?(?:p|title|sec)\b[^>]{0,200}>")
_TAG = re.compile(r"<[^>]{1,200}>")
# Crossref "types" that are not where a paper appeared.
_NOT_A_VENUE = ("posted-content",)


def work_url(base: str, doi: str, mailto: str = "") -> str:
    url = f"{base.rstrip('/')}/works/{urllib.parse.quote(doi, safe='')}"
    return url + (f"?{urllib.parse.urlencode({'mailto': mailto})}" if mailto else "")


def search_url(base: str, title: str, rows: int = 5, mailto: str = "") -> str:
    query = {"query.bibliographic": title, "rows": str(rows)}
    if mailto:
        query["mailto"] = mailto
    return f"{base.rstrip('/')}/works?{urllib.parse.urlencode(query)}"


def _message(body: bytes) -> Any:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise Malformed(f"Crossref sent an answer that cannot be read ({exc}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("message"), dict):
        raise Malformed("Crossref sent an answer without a 'message'.")
    return data["message"]


def parse_work(body: bytes) -> Found | None:
    """The work in a ``/works/{doi}`` answer (None if it has no title)."""
    return _work(_message(body))


def parse_search(body: bytes) -> list[Found]:
    items = _message(body).get("items")
    if not isinstance(items, list):
        raise Malformed("Crossref sent a search answer without 'items'.")
    return [f for f in (_work(item) for item in items if isinstance(item, dict)) if f]


def _work(msg: dict[str, Any]) -> Found | None:
    title = _clean(_first(msg.get("title")))
    if not title:
        return None
    subtitle = _clean(_first(msg.get("subtitle")))
    if subtitle and subtitle.lower() not in title.lower():
        title = f"{title}: {subtitle}"
    venue = "" if msg.get("type") in _NOT_A_VENUE else _clean(_first(msg.get("container-title")))
    doi = normalise_doi(str(msg.get("DOI") or ""))
    return Found(
        source="Crossref",
        title=title,
        abstract=re.sub(r"^Abstract\b:?\s*", "", _clean(str(msg.get("abstract") or ""))),
        authors=[a for a in (_author(x) for x in _list(msg.get("author"))) if a],
        year=_year(msg),
        venue=venue,
        doi=doi,
        url=f"https://doi.org/{doi}" if doi else "",
    )


def _author(a: Any) -> str:
    if not isinstance(a, dict):
        return ""
    if a.get("family"):
        return _clean(f"{a.get('given') or ''} {a['family']}")
    return _clean(str(a.get("name") or ""))  # a consortium


def _year(msg: dict[str, Any]) -> int | None:
    for key in ("issued", "published-print", "published-online", "published", "created"):
        parts = msg.get(key, {}).get("date-parts") if isinstance(msg.get(key), dict) else None
        try:
            year = int(parts[0][0])
        except (TypeError, ValueError, IndexError):
            continue
        if 1000 < year < 3000:
            return year
    return None


def _first(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value or "")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _clean(text: str) -> str:
    """Inline tags (<i>, <sub>) go without a trace; paragraph tags become spaces."""
    return " ".join(html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", text))).split())
