"""CSL-JSON: the list of items Zotero ("Export… → CSL JSON"), Better BibTeX ("Better
CSL JSON"), Mendeley and Pandoc write.

Each item has a ``type``, a ``title``, ``author`` as ``{family, given}`` or
``{literal}``, ``issued.date-parts`` (or ``issued.raw``), ``DOI``, ``URL``,
``container-title``, ``abstract``, ``note``, ``keyword`` (tags, comma-separated)
and ``citation-key`` (Better BibTeX, Zotero 7). Zotero writes an arXiv preprint's
id as ``number: "arXiv:2401.01234"`` and its DOI as ``10.48550/arXiv.2401.01234``.
An item that cannot be read (no title, a field of the wrong type) is reported and
skipped; text that is not JSON at all is not this format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from paperdeck.core.models import Draft

from .htmltext import html_to_text, looks_like_html
from .identifiers import find_arxiv_ids, normalise_arxiv_id, normalise_doi, paper_url, year_from_arxiv_id
from .textutil import squash

NAME = "csl-json"
LABEL = "CSL-JSON (Zotero, Better BibTeX, Pandoc)"

_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.I)


class BrokenItem(ValueError):
    """An item that cannot be imported whole; the message says why."""


def load_json(text: str) -> Any:
    """The JSON value of a paste, or None when it is not JSON."""
    try:
        return json.loads(text, strict=False)  # pastes turn U+2028/9 inside strings into newlines
    except (ValueError, RecursionError):
        return None  # not JSON, or nested too deeply


def broken_export(text: str) -> str:
    """Why a paste that looks like a JSON library export is not valid JSON ("" when it
    is JSON, or is not such an export). A cut-off export must not be read as loose
    text: its ids alone would import as half-empty cards."""
    # Anywhere in the text: Better BibTeX writes its collections before the first item.
    marks = r'"(?:itemType|citation-key|citationKey|container-title|issued|author)"\s*:'
    if text.lstrip()[:1] not in ("[", "{") or not re.search(marks, text):
        return ""
    try:
        json.loads(text, strict=False)
    except RecursionError:
        return "the JSON is nested too deeply"
    except json.JSONDecodeError as e:
        return f"it is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})"
    return ""


def identifiable(d: Draft) -> bool:
    """A library entry without a title is still kept when something else names it
    (authors, an id, a link or a venue); with nothing at all it is reported as broken."""
    return bool(d.title or d.authors or d.doi or d.arxiv_id or d.url or d.venue)


def text_field(item: dict, name: str) -> str:
    """A string field; a number is accepted as its text, anything else is broken."""
    value = item.get(name, "")
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BrokenItem(f"{name} is not text")
    return squash(str(value))


def note_text(note: str) -> str:
    """A Zotero note (HTML) as plain text, paragraphs kept."""
    if looks_like_html(note) or re.search(r"</?(?:p|div|h\d|br)\b", note, re.I):
        note = html_to_text(note)
    return "\n".join(squash(line) for line in note.strip().split("\n")).strip()


def arxiv_from(*values: str) -> tuple[str, int | None]:
    """The first arXiv id in an arXiv DOI, an ``arXiv:ID`` number, an arxiv.org URL or
    an ``arXiv: ID`` line of Zotero's Extra field."""
    for value in values:
        m = _ARXIV_DOI.match(value.strip())
        if m:
            found = normalise_arxiv_id(m.group(1))
            if found[0]:
                return found
        for line in value.split("\n"):
            low = line.lower()
            if "arxiv" in low or low.startswith(("http", "10.")):
                ids = find_arxiv_ids(line)
                if ids:
                    return normalise_arxiv_id(ids[0])
    return "", None


def _name(person: Any) -> str:
    if not isinstance(person, dict):
        raise BrokenItem("an author is not a name record")
    if person.get("literal"):
        return squash(str(person["literal"]))
    parts = [person.get("given", ""), person.get("non-dropping-particle", ""), person.get("family", "")]
    name = squash(" ".join(str(p) for p in parts if p))
    suffix = person.get("suffix")
    return f"{name}, {suffix}" if name and suffix else name


def _year(issued: Any) -> int | None:
    if not issued:
        return None
    if not isinstance(issued, dict):
        raise BrokenItem("issued is not a date record")
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        try:
            return int(str(parts[0][0]))
        except ValueError:
            raise BrokenItem(f"issued year {parts[0][0]!r} is not a number") from None
    m = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", str(issued.get("raw", "") or issued.get("literal", "")))
    return int(m.group(1)) if m else None


def item_draft(item: dict) -> Draft:
    """One CSL item as a draft; raises BrokenItem for an item that cannot be read whole."""
    title = text_field(item, "title")
    authors = item.get("author") or item.get("editor") or []
    if not isinstance(authors, list):
        raise BrokenItem("author is not a list")
    d = Draft(title=title, authors=[n for n in map(_name, authors) if n])
    d.year = _year(item.get("issued"))
    d.abstract = text_field(item, "abstract")
    d.venue = text_field(item, "container-title") or text_field(item, "event-title")
    doi = text_field(item, "DOI")
    url = text_field(item, "URL")
    d.arxiv_id, d.arxiv_version = arxiv_from(doi, text_field(item, "number"), url, text_field(item, "note"))
    d.doi = normalise_doi(doi) if doi and not _ARXIV_DOI.match(doi) else ""
    d.url = url if url.startswith(("http://", "https://")) else paper_url(d.arxiv_id, d.doi)
    if d.year is None and d.arxiv_id:
        d.year = year_from_arxiv_id(d.arxiv_id)
    d.citekey = text_field(item, "citation-key") or text_field(item, "citationKey")
    d.tags = [t for t in (squash(k) for k in re.split(r"[,;]", text_field(item, "keyword"))) if t]
    note = item.get("note", "")
    d.notes = note_text(note) if isinstance(note, str) else ""
    if not identifiable(d):
        raise BrokenItem("no title, authors, identifier or link")
    return d


def parse_report(text: str) -> tuple[list[Draft], list[str]]:
    """Every readable item, in file order, and a line for each one skipped."""
    data = load_json(text)
    if isinstance(data, dict) and isinstance(data.get("items"), list) and "config" not in data:
        data = data["items"]  # some tools wrap the list
    if not isinstance(data, list):
        return [], []
    return read_items(data, item_draft, ("id",))


def read_items(items: list, make: Callable[[dict], Draft], keys: tuple[str, ...],
               skip: Callable[[dict], bool] = lambda _item: False) -> tuple[list[Draft], list[str]]:
    """Each item through `make`, in file order; one that cannot be read whole (BrokenItem)
    is skipped and named by its number and first key found (CSL-JSON and Zotero share this)."""
    drafts, skipped = [], []
    for n, item in enumerate(items, 1):
        if isinstance(item, dict) and skip(item):
            continue
        label = f"item {n}"
        key = next((item[k] for k in keys if isinstance(item, dict) and item.get(k)), None)
        if key:
            label += f" ({str(key)[:60]})"
        try:
            if not isinstance(item, dict):
                raise BrokenItem("not an item record")
            drafts.append(make(item))
        except BrokenItem as e:
            skipped.append(f"{label}: {e}")
    return drafts, skipped


def parse(text: str) -> list[Draft]:
    return parse_report(text)[0]


def score(text: str) -> float:
    """A JSON list of records with CSL's ``type`` and ``title`` or ``issued`` keys."""
    if text.lstrip()[:1] != "[" or '"type"' not in text:
        return 0.0
    if not re.search(r'"(?:issued|container-title|citation-key|author)"\s*:', text):
        return 0.0
    return 0.97 if isinstance(load_json(text), list) else 0.0
