"""The arXiv API (Atom 1.0): building queries and reading its feed.

Docs: https://info.arxiv.org/help/api/user-manual.html. A lookup by ``id_list``
answers one ``<entry>`` per id found; an unknown id gives no entry (older servers
answered an entry without a title); a malformed query gives one entry titled
"Error" whose ``<id>`` is under ``http://arxiv.org/api/errors``.
"""

from __future__ import annotations

import re
import urllib.parse
import xml.etree.ElementTree as ET

from ..digest.identifiers import normalise_arxiv_id, normalise_doi
from .http import Malformed
from .records import Found

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
ERROR_ID = "arxiv.org/api/errors"


class ArxivQueryError(Malformed):
    """arXiv answered with its error entry (e.g. an id it does not accept)."""


def id_list_url(base: str, ids: list[str]) -> str:
    query = {"id_list": ",".join(ids), "max_results": str(len(ids))}
    return f"{base}?{urllib.parse.urlencode(query)}"


def title_query_url(base: str, title: str, rows: int = 5) -> str:
    """``ti:"..."`` over the title's words (quotes and operators in titles break the query)."""
    words = re.findall(r"\w+", title)
    query = {"search_query": f'ti:"{" ".join(words)}"', "start": "0", "max_results": str(rows)}
    return f"{base}?{urllib.parse.urlencode(query)}"


def parse_feed(body: bytes) -> list[Found]:
    """The papers in an arXiv Atom feed; raises Malformed / ArxivQueryError."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise Malformed(f"arXiv sent a feed that cannot be read ({exc}).") from None
    if root.tag != f"{ATOM}feed":
        raise Malformed("arXiv sent something that is not an Atom feed.")
    out = []
    for entry in root.iter(f"{ATOM}entry"):
        entry_id = _text(entry, f"{ATOM}id")
        if ERROR_ID in entry_id:
            message = _text(entry, f"{ATOM}summary") or "error"
            raise ArxivQueryError(f"arXiv refused the query: {message}.")
        found = _entry(entry, entry_id)
        if found is not None:
            out.append(found)
    return out


def _entry(entry: ET.Element, entry_id: str) -> Found | None:
    arxiv_id, version = normalise_arxiv_id(entry_id)
    title = _clean(_text(entry, f"{ATOM}title"))
    if not arxiv_id or not title:
        return None  # an older server's placeholder for an unknown id
    published = _text(entry, f"{ATOM}published")
    year = int(published[:4]) if re.match(r"\d{4}-", published) else None
    primary = entry.find(f"{ARXIV}primary_category")
    authors = [_clean(a.findtext(f"{ATOM}name") or "") for a in entry.findall(f"{ATOM}author")]
    return Found(
        source="arXiv",
        title=title,
        abstract=_clean(_text(entry, f"{ATOM}summary")),
        authors=[a for a in authors if a],
        year=year,
        venue=_clean(_text(entry, f"{ARXIV}journal_ref")),
        doi=normalise_doi(_text(entry, f"{ARXIV}doi")),
        arxiv_id=arxiv_id,
        arxiv_version=version,
        primary_class=(primary.get("term", "") if primary is not None else "").strip(),
        url=f"https://arxiv.org/abs/{arxiv_id}",
    )


def _text(el: ET.Element, tag: str) -> str:
    return (el.findtext(tag) or "").strip()


def _clean(text: str) -> str:
    """Titles and abstracts in the feed are wrapped over lines: one line, single spaces."""
    return " ".join(text.split())
