"""RIS records (``TY  - JOUR`` ... ``ER  -``), as exported by Zotero, Mendeley, publishers."""

from __future__ import annotations

import re

from paperdeck.core import names as bibnames
from paperdeck.core.models import Draft

from .bibtex_paste import field_doi
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
            if cur is None:  # an ER line, or a tag outside any record
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


# RIS types -> BibTeX entry types (RIS 2011 spec; unknown types stay untyped).
_TYPES = {
    "JOUR": "article", "JFULL": "article", "MGZN": "article", "NEWS": "article",
    "CONF": "inproceedings", "CPAPER": "inproceedings", "CHAP": "incollection",
    "BOOK": "book", "EBOOK": "book", "EDBOOK": "book", "THES": "phdthesis",
    "RPRT": "techreport", "UNPB": "unpublished", "GEN": "misc", "ELEC": "misc",
}  # fmt: skip


def _parsed_name(raw: str) -> bibnames.Name:
    """ "Doe, Jane" / "Doe, J., Jr." / "Guevara Gómez, Juan" (family, given, suffix); a
    name with no comma is one field (an organisation), as RIS writers mean it."""
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if len(parts) >= 3:
        return bibnames.Name(first=parts[1], last=parts[0], jr=", ".join(parts[2:]))
    if len(parts) == 2:
        family = parts[0].split()
        von = [t for t in family[:-1] if t[:1].islower()]
        return bibnames.Name(parts[1], " ".join(von), " ".join(family[len(von):]))
    name = bibnames.parse_display(squash(raw))
    if len(raw.split()) > 1 and not name.corporate:
        return bibnames.Name(last=squash(raw), corporate=True)  # one-field name, as Zotero reads it
    return name


def _name(raw: str) -> str:
    """ "Doe, Jane" -> "Jane Doe"; "Doe, J., Jr." -> "J. Doe, Jr."."""
    return _parsed_name(raw).display()


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
    raws = [a for tag in _AUTHOR_TAGS[:2] for a in rec.get(tag, []) if a.strip()]
    parsed = [_parsed_name(a) for a in raws]
    d.authors = [n.display() for n in parsed]
    forms = bibnames.name_forms(d.authors, parsed)
    if forms:
        d.fields["names"] = forms
    kind = _TYPES.get(_first(rec, ("TY",)).upper(), "")
    d.entry_type = kind
    for tag, name in (("VL", "volume"), ("IS", "number"), ("PB", "publisher"), ("SN", "issn")):
        if _first(rec, (tag,)):
            d.fields[name] = _first(rec, (tag,))
    first_page, last_page = _first(rec, ("SP",)), _first(rec, ("EP",))
    if first_page:
        d.fields["pages"] = f"{first_page}--{last_page}" if last_page else first_page
    editors = [_name(a) for tag in ("A2", "ED") for a in rec.get(tag, []) if a.strip()]
    if editors and kind in ("incollection", "inproceedings", "book"):
        d.fields["editor"] = " and ".join(editors)
    keywords = [squash(k) for k in rec.get("KW", []) if k.strip()]
    if keywords:
        d.fields["keywords"] = keywords
    dated = re.match(r"\s*\d{4}/(\d{1,2})/", _first(rec, ("DA", "PY", "Y1")))
    if dated and 1 <= int(dated.group(1)) <= 12:
        d.fields["month"] = str(int(dated.group(1)))
    d.venue = next((v for v in (_first(rec, (t,)) for t in _VENUE_TAGS) if v and v != title), "")
    if kind in ("inproceedings", "incollection") and d.venue:
        d.fields["booktitle"] = d.venue
    d.year = find_year(_first(rec, _YEAR_TAGS))
    d.abstract = _first(rec, _ABSTRACT_TAGS)
    d.doi = field_doi(_first(rec, ("DO",)))
    urls = [squash(u) for u in rec.get("UR", []) + rec.get("L1", []) if u.strip()]
    for u in urls:
        d.arxiv_id = d.arxiv_id or (normalise_arxiv_id(u)[0] if "arxiv.org" in u else "")
        d.doi = d.doi or (normalise_doi(u) if "doi.org" in u else "")
    d.url = paper_url(d.arxiv_id, d.doi, urls[0] if urls else "")
    d.links = [u for u in urls if u != d.url and not _same_paper(u, d)]
    key = _first(rec, ("ID",))
    if re.fullmatch(r"[A-Za-z0-9_:.+/-]{1,100}", key):
        d.citekey = key  # our own export's key, so a round trip keeps it
    for note in rec.get("N1", []):
        m = re.fullmatch(r"\s*arXiv category:\s*(\S.*?)\s*", note)
        if m:
            d.primary_class = m.group(1)
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
