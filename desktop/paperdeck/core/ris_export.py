"""RIS export (Zotero, Mendeley, EndNote and most reference managers import it).

Tags follow the RIS specification as Zotero writes them: ``TY`` from the entry type
(``JOUR``, ``CPAPER``, ``CHAP``..., ``GEN`` for a preprint or an untyped paper), ``AU`` as
"Family, Given, Suffix" (von part in the family name), a corporate name whole, ``PY``
"YYYY/MM//", ``T2`` the journal or book, ``VL``/``IS``/``SP``/``EP``, ``PB``, ``DO``, ``UR``,
``KW`` per tag, ``AB``, ``N1`` notes, and the citation key as ``ID``. "et al." is left out.
Values are one line (whitespace runs become one space).
"""

from __future__ import annotations

from collections.abc import Iterable

from paperdeck.core import names
from paperdeck.core.citation import citation_record
from paperdeck.core.models import Paper

RIS_TYPES = {
    "article": "JOUR", "inproceedings": "CPAPER", "incollection": "CHAP", "inbook": "CHAP",
    "book": "BOOK", "proceedings": "BOOK", "phdthesis": "THES", "mastersthesis": "THES",
    "techreport": "RPRT", "manual": "RPRT", "unpublished": "UNPB",
}  # fmt: skip


def ris_name(author: str, forms: dict) -> str:
    """ "Family, Given, Suffix" with the von part kept in the family name."""
    parts = names.resolve(author, forms)
    if parts.corporate or not (parts.first or parts.jr):
        return parts.family()
    given = f", {parts.first}" if parts.first else ","
    return f"{parts.family()}{given}" + (f", {parts.jr}" if parts.jr else "")


def ris_record(paper: Paper) -> str:
    """One ``TY`` ... ``ER`` record."""
    rec = citation_record(paper)
    lines: list[tuple[str, str]] = [("TY", RIS_TYPES.get(rec.kind, "GEN")), ("TI", rec.title)]
    lines += [("AU", ris_name(a, rec.forms)) for a in rec.people]
    editors = [e.strip() for e in rec.extra.get("editor", "").split(" and ") if e.strip()]
    lines += [("A2", ris_name(e, {})) for e in editors]
    container = rec.extra.get("booktitle") or rec.venue
    if container:
        lines.append(("T2", container))
    if rec.year:
        lines.append(("PY", f"{rec.year}/{rec.month:02d}//" if rec.month else rec.year))
    for field, tag in (("volume", "VL"), ("number", "IS"), ("publisher", "PB"), ("address", "CY"),
                       ("isbn", "SN"), ("issn", "SN")):
        if rec.extra.get(field):
            lines.append((tag, rec.extra[field]))
    pages = rec.extra.get("pages", "")
    if pages:
        first, _, last = pages.replace("--", "-").partition("-")
        lines.append(("SP", first.strip()))
        if last.strip():
            lines.append(("EP", last.strip()))
    if rec.arxiv:
        lines.append(("M3", f"arXiv:{rec.arxiv}"))
        if rec.primary_class:
            lines.append(("N1", f"arXiv category: {rec.primary_class}"))
    if rec.doi:
        lines.append(("DO", rec.doi))
    if rec.url:
        lines.append(("UR", "%20".join(rec.url.split())))
    lines += [("KW", t) for t in rec.tags]
    if rec.abstract:
        lines.append(("AB", rec.abstract))
    if rec.notes:
        lines.append(("N1", rec.notes))
    lines.append(("ID", paper.citekey))
    body = "".join(f"{tag}  - {' '.join(value.split())}\n" for tag, value in lines if value.strip())
    return body + "ER  - \n"


def to_ris(papers: Iterable[Paper]) -> str:
    """A whole .ris file, records separated by a blank line."""
    return "\n".join(ris_record(p) for p in papers)
