"""RIS records (``TY  - JOUR`` ... ``ER  -``), as exported by Zotero, Mendeley, publishers."""

from __future__ import annotations

import re

from paperdeck.core.models import Draft

from .identifiers import normalise_arxiv_id, normalise_doi, paper_url
from .textutil import dedupe, find_year, squash

NAME = "ris"
LABEL = "RIS records"
SAMPLE = 200_000

_TAG = re.compile(r"^([A-Z][A-Z0-9])\s{1,2}-(?:\s(.*))?$")
_TITLE_TAGS = ("TI", "T1", "CT", "BT")
_VENUE_TAGS = ("T2", "JO", "JF", "JA", "J2", "BT", "PB")
_AUTHOR_TAGS = ("AU", "A1", "A2")
_YEAR_TAGS = ("PY", "Y1", "DA", "Y2")
_ABSTRACT_TAGS = ("AB", "N2")


def _records(lines: list[str]) -> list[dict[str, list[str]]]:
    """Tag -> values for each record; untagged lines continue the previous value."""
    records: list[dict[str, list[str]]] = []
    cur: dict[str, list[str]] | None = None
    last = ""
    for line in lines:
        m = _TAG.match(line.rstrip()[:20000])
        if m:
            tag, value = m.group(1), (m.group(2) or "").strip()
            if tag == "TY":
                cur = {}
                records.append(cur)
            elif tag == "ER":
                cur = None
                continue
            if cur is None:
                continue
            cur.setdefault(tag, []).append(value)
            last = tag
        elif cur is not None and last in cur and line.strip() and len(cur[last][-1]) < 50_000:
            cur[last][-1] = f"{cur[last][-1]} {line.strip()}"
    return records


def _first(rec: dict[str, list[str]], tags: tuple[str, ...]) -> str:
    """The first non-empty value among ``tags``, in the order given."""
    for tag in tags:
        for value in rec.get(tag, []):
            if value.strip():
                return squash(value)
    return ""


def _name(raw: str) -> str:
    """ "Doe, Jane" -> "Jane Doe"; "Doe, J., Jr." keeps its suffix."""
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if len(parts) == 2:
        return f"{parts[1]} {parts[0]}"
    if len(parts) >= 3:
        return f"{parts[1]} {parts[0]} {parts[2]}"
    return squash(raw)


def _same_paper(url: str, d: Draft) -> bool:
    """An arXiv or DOI link to the paper the card already opens."""
    if d.arxiv_id and normalise_arxiv_id(url)[0] == d.arxiv_id:
        return True
    return bool(d.doi) and "doi.org/" in url and normalise_doi(url).lower() == d.doi.lower()


def _draft(rec: dict[str, list[str]]) -> Draft | None:
    """One draft per record with a title."""
    title = _first(rec, _TITLE_TAGS)
    if not title:
        return None
    d = Draft(title=title)
    d.authors = [_name(a) for tag in _AUTHOR_TAGS[:2] for a in rec.get(tag, []) if a.strip()]
    d.venue = next((v for v in (_first(rec, (t,)) for t in _VENUE_TAGS) if v and v != title), "")
    d.year = find_year(_first(rec, _YEAR_TAGS))
    d.abstract = _first(rec, _ABSTRACT_TAGS)
    d.doi = normalise_doi(_first(rec, ("DO",)))
    urls = [squash(u) for u in rec.get("UR", []) + rec.get("L1", []) if u.strip()]
    for u in urls:
        d.arxiv_id = d.arxiv_id or (normalise_arxiv_id(u)[0] if "arxiv.org" in u else "")
        d.doi = d.doi or (normalise_doi(u) if "doi.org" in u else "")
    d.url = paper_url(d.arxiv_id, d.doi, urls[0] if urls else "")
    d.links = [u for u in urls if u != d.url and not _same_paper(u, d)]
    return d


def score(text: str) -> float:
    """Strong when ``TY  -`` openers are matched by ``ER  -`` closers or title tags."""
    head = text[:SAMPLE]
    opens = len(re.findall(r"^TY\s{1,2}-", head, re.M))
    tagged = len(re.findall(r"^(?:TI|T1|AU|A1|PY|ER)\s{1,2}-", head, re.M))
    if opens and tagged >= 2 * opens:
        return 0.95
    return 0.3 if opens else 0.0


def parse(text: str) -> list[Draft]:
    """Every titled record."""
    unique = {repr(rec): rec for rec in _records(text.split("\n"))}  # literal repeats once
    drafts = [d for rec in unique.values() if (d := _draft(rec)) is not None]
    return dedupe(drafts)
