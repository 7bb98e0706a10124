"""A Zotero library exported as "Zotero RDF" (RDF/XML).

Each item is an element such as ``bib:Article`` or ``bib:Book`` (``rdf:about`` its
URL or ``#item_N``) with ``z:itemType``, ``dc:title``, ``bib:authors`` →
``rdf:Seq`` → ``foaf:Person`` (``foaf:surname``, ``foaf:givenName``), ``dc:date``,
``dcterms:abstract``, ``dc:subject`` (tags), ``dc:identifier`` (``DOI 10.…``, or a
``dcterms:URI`` holding the URL), ``prism:number``/``dc:description`` (where Zotero
puts ``arXiv:ID``), ``dcterms:isPartOf`` (the journal, a ``bib:Journal`` with a
``dc:title``, and for journal articles and conference papers also the DOI),
``dcterms:isReferencedBy`` (notes: ``bib:Memo`` with an HTML ``rdf:value``) and
``link:link`` (attachments). ``z:Collection`` elements name their members with
``dcterms:hasPart``. Collections and tags become tags (not call numbers, a
``dcterms:LCC`` in ``dc:subject``), memos notes. Attachments and memos are not papers;
an item with nothing to name it (no title, author, identifier or link) is reported and
skipped. Zotero wrote ``foaf:givenname`` until 2019.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from paperdeck.core.models import Draft

from .csl_json import arxiv_from, identifiable, note_text
from .identifiers import normalise_doi, paper_url, year_from_arxiv_id
from .textutil import squash

NAME = "zotero-rdf"
LABEL = "Zotero library (Zotero RDF)"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS = {
    "rdf": RDF,
    "z": "http://www.zotero.org/namespaces/export#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "bib": "http://purl.org/net/biblio#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "link": "http://purl.org/rss/1.0/modules/link/",
    "prism": "http://prismstandard.org/namespaces/1.2/basic/",
}
_ABOUT = f"{{{RDF}}}about"
_RESOURCE = f"{{{RDF}}}resource"
_NOT_PAPERS = frozenset(("Memo", "Journal", "Series", "Collection", "Attachment", "Periodical"))


def _text(el: ET.Element | None) -> str:
    return squash("".join(el.itertext())) if el is not None else ""


def _person(p: ET.Element) -> str:
    # Zotero wrote foaf:givenname until its 2019 translator fix, foaf:givenName since.
    given = _text(p.find("foaf:givenName", NS)) or _text(p.find("foaf:givenname", NS))
    return squash(f"{given} {_text(p.find('foaf:surname', NS))}")


def _tree(text: str) -> ET.Element | None:
    if "<!ENTITY" in text:  # anywhere: a long comment may come before the DOCTYPE
        return None  # entity declarations are never in a Zotero export: refuse, do not expand
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return None
    return root if root.tag == f"{{{RDF}}}RDF" else None


def _is_item(el: ET.Element) -> bool:
    """A bibliographic record: has a title or an item type, and is not a note, a journal
    or a collection (Zotero writes those as separate resources)."""
    local = el.tag.split("}")[-1]
    if local in _NOT_PAPERS or el.find("z:itemType", NS) is None and el.find("dc:title", NS) is None:
        return False
    return _text(el.find("z:itemType", NS)) not in ("attachment", "note")


def _container(el: ET.Element, resources: dict[str, ET.Element]) -> ET.Element | None:
    """The journal, proceedings or book the item is in: written inside its
    dcterms:isPartOf, or as a resource of its own (``urn:issn:…``) the first time a
    journal's ISSN is used. Not the series a book is part of."""
    targets = (resources.get(ref) if (ref := part.get(_RESOURCE)) else next(iter(part), None)
               for part in el.iterfind("dcterms:isPartOf", NS))
    return next((t for t in targets if t is not None and not t.tag.endswith("}Series")), None)


def _draft(el: ET.Element, memos: dict[str, str], resources: dict[str, ET.Element], held: list[str]) -> Draft:
    d = Draft(title=_text(el.find("dc:title", NS)))
    d.authors = [n for n in (_person(p) for p in el.iterfind("bib:authors//foaf:Person", NS)) if n]
    date = _text(el.find("dc:date", NS))
    m = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", date)
    d.year = int(m.group(1)) if m else None
    d.abstract = _text(el.find("dcterms:abstract", NS))
    container = _container(el, resources)
    # Zotero writes a journal article's or conference paper's DOI on its container.
    owners = [el] if container is None else [el, container]
    ids = [_text(i) for owner in owners for i in owner.iterfind("dc:identifier", NS)]
    url = next((i for i in ids if i.startswith(("http://", "https://"))), "")
    doi = next((i[4:].strip() for i in ids if i.upper().startswith("DOI ")), "")
    extra = [_text(el.find("prism:number", NS)), _text(el.find("dc:description", NS))]
    d.arxiv_id, d.arxiv_version = arxiv_from(doi, *extra, url)
    d.doi = normalise_doi(doi) if doi and not doi.lower().startswith("10.48550/arxiv.") else ""
    d.url = url or paper_url(d.arxiv_id, d.doi)
    if d.year is None and d.arxiv_id:
        d.year = year_from_arxiv_id(d.arxiv_id)
    d.venue = _text(container.find("dc:title", NS)) if container is not None else ""
    d.venue = d.venue or _text(el.find("bib:presentedAt/bib:Conference/dc:title", NS))
    # a call number (dcterms:LCC inside dc:subject) is not a tag
    subjects = (_text(s) for s in el.iterfind("dc:subject", NS) if s.find("dcterms:LCC", NS) is None)
    d.tags = list(dict.fromkeys([*held, *(t for t in subjects if t)]))
    notes = [memos.get(r.get(_RESOURCE, ""), "") for r in el.iterfind("dcterms:isReferencedBy", NS)]
    d.notes = "\n\n".join(n for n in notes if n)
    if not identifiable(d):
        raise ValueError("no title, authors, identifier or link")
    return d


def parse_report(text: str) -> tuple[list[Draft], list[str]]:
    """Every titled item, in file order, and a line for each one skipped."""
    root = _tree(text)
    if root is None:
        return [], []
    memos = {
        el.get(_ABOUT, ""): note_text(_text(el.find("rdf:value", NS)))
        for el in root.iterfind("bib:Memo", NS)
    }
    resources = {el.get(_ABOUT, ""): el for el in root if el.get(_ABOUT)}
    members: dict[str, list[str]] = {}
    for coll in root.iterfind("z:Collection", NS):
        name = _text(coll.find("dc:title", NS))
        for part in coll.iterfind("dcterms:hasPart", NS):
            if name:
                members.setdefault(part.get(_RESOURCE, ""), []).append(name)
    drafts, skipped = [], []
    for n, el in enumerate((el for el in root if _is_item(el)), 1):
        about = el.get(_ABOUT, "")
        try:
            drafts.append(_draft(el, memos, resources, members.get(about, [])))
        except ValueError as e:
            skipped.append(f"item {n}" + (f" ({about[:60]})" if about else "") + f": {e}")
    return drafts, skipped


def parse(text: str) -> list[Draft]:
    return parse_report(text)[0]


def score(text: str) -> float:
    """RDF/XML in Zotero's export namespace."""
    if text.lstrip()[:1] != "<" or NS["z"] not in text:
        return 0.0
    return 0.97 if _tree(text) is not None else 0.0
