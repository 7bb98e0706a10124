"""CSL-JSON export, the input format of Pandoc, Zotero and every CSL processor.

One item per paper from the shared citation record (`citation.py`), under the stored
citation key as ``id`` (so ``[@key]`` in Pandoc matches the .bib). Names are split into
``family``/``given``/``suffix`` with BibTeX's von part as ``non-dropping-particle``, as
Better BibTeX does; a corporate name is a ``literal``; "et al." is left out (CSL-JSON
has no way to say it, and processors add "et al." themselves). Titles are plain text:
``$...$`` math is kept as TeX, which Pandoc renders. arXiv preprints are ``article``
items with ``number`` "arXiv:ID" and ``publisher`` "arXiv", as Zotero writes them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from paperdeck.core import names
from paperdeck.core.citation import Record, citation_record
from paperdeck.core.models import Paper

CSL_TYPES = {
    "article": "article-journal", "inproceedings": "paper-conference", "incollection": "chapter",
    "inbook": "chapter", "book": "book", "proceedings": "book", "phdthesis": "thesis",
    "mastersthesis": "thesis", "techreport": "report", "manual": "report",
    "unpublished": "manuscript",
}  # fmt: skip


def csl_name(author: str, forms: dict) -> dict[str, str]:
    """One CSL name object."""
    parts = names.resolve(author, forms)
    alone = not (parts.first or parts.von or parts.jr)
    if parts.corporate or (alone and len(parts.last.split()) > 1):
        return {"literal": parts.last}
    out = {"family": parts.last}
    if parts.first:
        out["given"] = parts.first
    if parts.von:
        out["non-dropping-particle"] = parts.von
    if parts.jr:
        out["suffix"] = parts.jr
    return out


def _type(rec: Record) -> str:
    if rec.kind in CSL_TYPES:
        return CSL_TYPES[rec.kind]
    return "article" if rec.arxiv else "document"


def csl_item(paper: Paper) -> dict:
    """One CSL-JSON item."""
    rec = citation_record(paper)
    item: dict = {"id": paper.citekey, "citation-key": paper.citekey, "type": _type(rec),
                  "title": rec.title}
    if rec.people:
        item["author"] = [csl_name(a, rec.forms) for a in rec.people]
    editors = [e.strip() for e in rec.extra.get("editor", "").split(" and ") if e.strip()]
    if editors:
        item["editor"] = [csl_name(e, {}) for e in editors]
    if rec.year:
        item["issued"] = {"date-parts": [[int(rec.year), rec.month] if rec.month else [int(rec.year)]]}
    container = rec.extra.get("booktitle") or (rec.venue if rec.kind == "article" else "")
    if container:
        item["container-title"] = container
    elif rec.venue:
        item["publisher"] = rec.venue
    for field, key in (("volume", "volume"), ("number", "issue"), ("pages", "page"),
                       ("publisher", "publisher"), ("address", "publisher-place"), ("isbn", "ISBN"),
                       ("issn", "ISSN"), ("edition", "edition"), ("series", "collection-title"),
                       ("note", "note")):
        if rec.extra.get(field):
            item[key] = rec.extra[field].replace("--", "-") if key == "page" else rec.extra[field]
    school = rec.extra.get("school") or rec.extra.get("institution")
    if school and "publisher" not in item:
        item["publisher"] = school
    if rec.arxiv:
        item["number"] = f"arXiv:{rec.arxiv}"
        item.setdefault("publisher", "arXiv")
    if rec.doi:
        item["DOI"] = rec.doi
    if rec.url:
        item["URL"] = rec.url
    if rec.tags:
        item["keyword"] = ", ".join(rec.tags)
    if rec.abstract:
        item["abstract"] = rec.abstract
    if rec.notes:
        item["note"] = rec.notes
    return item


def to_csl_json(papers: Iterable[Paper]) -> str:
    """A CSL-JSON array (UTF-8 text, one item per paper)."""
    return json.dumps([csl_item(p) for p in papers], ensure_ascii=False, indent=2) + "\n"
