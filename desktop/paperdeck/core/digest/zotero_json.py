"""A Zotero library exported by Better BibTeX as "Better BibTeX JSON".

The file is ``{"config": …, "version": …, "collections": {KEY: {name, parent,
collections, items}}, "items": [...]}``. Items use Zotero's field names
(``itemType``, ``title``, ``creators`` with ``firstName``/``lastName`` or ``name``,
``date``, ``DOI``, ``url``, ``abstractNote``, ``publicationTitle``…, ``extra``,
``archiveID``), carry ``tags`` (``{"tag": …}`` or plain strings), ``notes`` (HTML,
as ``{"note": …}`` or strings), ``citationKey`` and ``collections`` (keys). A
collection lists its items by ``itemID`` (or key). Collections become tags (the
collection's own name), notes become the paper's notes. Standalone notes and
attachments are not papers and are passed over; an item that cannot be read whole
is reported and skipped.
"""

from __future__ import annotations

import re
from typing import Any

from paperdeck.core.models import Draft

from .csl_json import BrokenItem, arxiv_from, identifiable, load_json, note_text, read_items, text_field
from .identifiers import normalise_doi, paper_url, year_from_arxiv_id
from .textutil import squash

NAME = "zotero-json"
LABEL = "Zotero library (Better BibTeX JSON)"

_NOT_PAPERS = frozenset(("note", "attachment", "annotation"))
_VENUE_FIELDS = (
    "publicationTitle",
    "proceedingsTitle",
    "conferenceName",
    "bookTitle",
    "websiteTitle",
    "university",
    "institution",
    "repository",
    "publisher",
)


def _collections(data: dict) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Collection key → name, and item id or key → names of the collections holding it."""
    names: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    raw = data.get("collections") or {}
    records = raw.values() if isinstance(raw, dict) else raw if isinstance(raw, list) else []
    for coll in records:
        if not isinstance(coll, dict) or not isinstance(coll.get("name"), str):
            continue
        name = squash(coll["name"])
        if coll.get("key"):
            names[str(coll["key"])] = name
        for member in coll.get("items") or []:
            members.setdefault(str(member), []).append(name)
    return names, members


def _creator(c: Any) -> str:
    if not isinstance(c, dict):
        raise BrokenItem("a creator is not a name record")
    if c.get("name"):
        return squash(str(c["name"]))
    return squash(f"{c.get('firstName', '')} {c.get('lastName', '')}")


def _tags(item: dict) -> list[str]:
    tags = item.get("tags") or []
    if not isinstance(tags, list):
        raise BrokenItem("tags is not a list")
    out = []
    for t in tags:
        name = t.get("tag") if isinstance(t, dict) else t
        if isinstance(name, str) and squash(name):
            out.append(squash(name))
    return out


def _notes(item: dict) -> str:
    notes = item.get("notes") or []
    if not isinstance(notes, list):
        raise BrokenItem("notes is not a list")
    texts = [note_text(n.get("note", "") if isinstance(n, dict) else str(n)) for n in notes]
    return "\n\n".join(t for t in texts if t)


def _draft(item: dict, names: dict[str, str], members: dict[str, list[str]]) -> Draft:
    title = text_field(item, "title")
    creators = item.get("creators") or []
    if not isinstance(creators, list):
        raise BrokenItem("creators is not a list")
    authors = [c for c in creators if not isinstance(c, dict) or c.get("creatorType", "author") == "author"]
    d = Draft(title=title, authors=[n for n in map(_creator, authors or creators) if n])
    date = text_field(item, "date")
    m = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", date)
    d.year = int(m.group(1)) if m else None
    d.abstract = text_field(item, "abstractNote")
    d.venue = next((v for f in _VENUE_FIELDS if (v := text_field(item, f))), "")
    if d.venue.lower() == "arxiv":
        d.venue = ""
    doi, url, extra = text_field(item, "DOI"), text_field(item, "url"), item.get("extra") or ""
    extra = extra if isinstance(extra, str) else ""
    d.arxiv_id, d.arxiv_version = arxiv_from(text_field(item, "archiveID"), doi, url, extra)
    d.doi = normalise_doi(doi) if doi and not doi.lower().startswith("10.48550/arxiv.") else ""
    if not d.doi and (dm := re.search(r"^DOI:\s*(10\.\S+)", extra, re.M | re.I)):
        d.doi = normalise_doi(dm.group(1))
    d.url = url if url.startswith(("http://", "https://")) else paper_url(d.arxiv_id, d.doi)
    if d.year is None and d.arxiv_id:
        d.year = year_from_arxiv_id(d.arxiv_id)
    key = text_field(item, "citationKey")
    if not key and (km := re.search(r"^Citation Key:\s*(\S+)", extra, re.M | re.I)):
        key = km.group(1)
    d.citekey = key
    held = [names.get(str(k), "") for k in item.get("collections") or []]
    held += members.get(str(item.get("itemID", "")), []) + members.get(str(item.get("itemKey", "")), [])
    d.tags = list(dict.fromkeys([*[h for h in held if h], *_tags(item)]))
    d.notes = _notes(item)
    d.added_at = str(item.get("dateAdded") or "")
    d.links = [
        str(a.get("path") or a.get("url"))
        for a in item.get("attachments") or []
        if isinstance(a, dict) and (a.get("path") or a.get("url"))
    ]
    if not identifiable(d):
        raise BrokenItem("no title, authors, identifier or link")
    return d


def parse_report(text: str) -> tuple[list[Draft], list[str]]:
    """Every readable item, in file order, and a line for each one skipped."""
    data = load_json(text)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return [], []
    names, members = _collections(data)
    return read_items(data["items"], lambda item: _draft(item, names, members),
                      ("citationKey", "itemKey"), skip=lambda item: item.get("itemType") in _NOT_PAPERS)


def parse(text: str) -> list[Draft]:
    return parse_report(text)[0]


def score(text: str) -> float:
    """A JSON object with ``items`` holding Zotero ``itemType`` records. The whole text
    is searched: BBT writes the collections, every member listed, before the items."""
    if text.lstrip()[:1] != "{" or '"itemType"' not in text:
        return 0.0
    data = load_json(text)
    return 0.97 if isinstance(data, dict) and isinstance(data.get("items"), list) else 0.0
