"""What a paper says as a citation, shared by the BibTeX, CSL-JSON and RIS exporters.

`citation_record` decides once, for every format, the entry type, the venue and its
role (journal or "how published"), the standard fields kept from a paste
(`Paper.fields`), the date, and the identifiers. Nothing is invented: a type is used
only when its required fields are present, and an arXiv journal-ref
("Phys. Rev. D 108, 012345 (2023)") is split into journal, volume, pages and year only
when it has one of the unambiguous shapes in `parse_journal_ref`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from paperdeck.core import names
from paperdeck.core.models import Paper

_ENTRY_TYPE_NAMES = """article inproceedings incollection book inbook phdthesis mastersthesis
    techreport misc unpublished manual proceedings online report thesis"""
ENTRY_TYPES = frozenset(_ENTRY_TYPE_NAMES.split())
# Fields kept from a paste (`Paper.fields`) and written back as they came.
EXTRA_FIELDS = (
    "booktitle", "editor", "volume", "number", "pages", "publisher", "address", "month",
    "organization", "school", "institution", "series", "edition", "chapter", "isbn", "issn",
    "note",  # printed with the reference ("To appear in ICML"), unlike the user's own notes
)  # fmt: skip
REQUIRED = {  # what the standard styles warn about when missing
    "article": ("author", "journal", "year"),
    "inproceedings": ("author", "booktitle", "year"),
    "incollection": ("author", "booktitle", "publisher", "year"),
    "book": ("publisher", "year"),
    "phdthesis": ("author", "school", "year"),
    "mastersthesis": ("author", "school", "year"),
    "techreport": ("author", "institution", "year"),
}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ARXIV_VENUES = re.compile(r"\s*(arxiv|corr)\b", re.IGNORECASE)
_JOURNAL = r"(?P<journal>[A-Za-z][A-Za-z.&' ]*?[A-Za-z.])"
_PAGES = r"(?P<pages>[A-Za-z]?\d+(?:\s*[-–]+\s*[A-Za-z]?\d+)?)"
_JOURNAL_REFS = (
    # Phys. Rev. D 108, 012345 (2023) / Nature 123 (4), 456-789 (2020)
    re.compile(_JOURNAL + r"\s+(?P<volume>\d+)\s*(?:\((?P<number>\d+)\))?\s*,\s*" + _PAGES
               + r"\s*\((?P<year>(?:19|20)\d\d)\)\.?"),
    # JHEP 05 (2023) 123
    re.compile(_JOURNAL + r"\s+(?P<volume>\d+)\s*\((?P<year>(?:19|20)\d\d)\)\s*,?\s*" + _PAGES
               + r"\.?"),
)


def clean_text(text: str) -> str:
    """NFC text with one space for any whitespace run and no control characters; a
    non-breaking hyphen (U+2011, common in text copied from web pages: "Fine‑Tuning") is
    a hyphen, which every TeX font has (pdflatex stops at U+2011: "not set up")."""
    out = []
    for ch in unicodedata.normalize("NFC", text or ""):
        cat = unicodedata.category(ch)
        if ch.isspace() or cat == "Zs":
            out.append(" ")
        elif ch == "\u2011":
            out.append("-")
        elif cat != "Cc" and ch not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
            out.append(ch)
    return " ".join("".join(out).split())


def parse_journal_ref(ref: str) -> dict[str, str] | None:
    """journal, volume, (number), pages, year of an unambiguous journal-ref, else None."""
    for pattern in _JOURNAL_REFS:
        m = pattern.fullmatch(clean_text(ref))
        if m:
            return {k: v for k, v in m.groupdict().items() if v}
    return None


def month_number(value: str) -> int | None:
    low = value.strip().lower()[:3]
    if low in MONTHS:
        return MONTHS.index(low) + 1
    return int(low) if low.isdigit() and 1 <= int(low) <= 12 else None


@dataclass
class Record:
    """A paper as a citation; texts are clean Unicode, formats escape them their way."""

    kind: str  # a BibTeX entry type
    title: str
    authors: list[str]  # display names; "et al." marks a list cut short
    forms: dict  # name parts a display guess would miss (`names.resolve`)
    venue: str = ""  # the journal (article) or "how published" (misc)
    extra: dict[str, str] = field(default_factory=dict)  # booktitle, volume, pages...
    year: str = ""
    month: int | None = None
    arxiv: str = ""
    primary_class: str = ""
    doi: str = ""
    url: str = ""
    tags: list[str] = field(default_factory=list)
    abstract: str = ""
    notes: str = ""
    protect: frozenset[str] = frozenset()  # title words the paste shielded with braces

    @property
    def people(self) -> list[str]:
        return [a for a in self.authors if clean_text(a) and not names.is_et_al(a)]

    @property
    def et_al(self) -> bool:
        return any(names.is_et_al(a) for a in self.authors) and bool(self.people)


def _keywords(tags: list[str], pasted: object) -> list[str]:
    """The paper's tags, then keywords that came with a paste (RIS ``KW``), once each."""
    extra = [k for k in pasted if isinstance(k, str)] if isinstance(pasted, list) else []
    cleaned = [clean_text(t.replace(",", " ")) for t in [*tags, *extra]]
    return list(dict.fromkeys(t for t in cleaned if t))


def _entry_type(wanted: str, have: dict[str, str]) -> str:
    """The pasted type when its required fields are here; else @article for a journal
    paper with author and year, else @misc (never a type whose fields we would invent)."""
    if wanted in REQUIRED and all(have.get(f) for f in REQUIRED[wanted]):
        return wanted
    if wanted in ENTRY_TYPES and wanted not in REQUIRED and wanted not in ("online", "report", "thesis"):
        return wanted
    if all(have.get(f) for f in REQUIRED["article"]):
        return "article"
    return "misc"


def citation_record(paper: Paper) -> Record:
    """The citation `paper` makes (rules in the module doc)."""
    stored = paper.fields if isinstance(paper.fields, dict) else {}
    extra = {k: clean_text(str(v)) for k, v in stored.items()
             if k in EXTRA_FIELDS and isinstance(v, str | int) and clean_text(str(v))}
    forms = stored.get("names") if isinstance(stored.get("names"), dict) else {}
    shielded = stored.get("protect")
    protect = frozenset(w for w in shielded if isinstance(w, str)) if isinstance(shielded, list) else None
    rec = Record(
        kind="misc",
        title=clean_text(paper.title or paper.arxiv_id or paper.doi or paper.url) or "Untitled",
        authors=[a for a in paper.authors if clean_text(a)], forms=forms,
        year=str(paper.year) if isinstance(paper.year, int) and paper.year > 0 else "",
        arxiv=paper.arxiv_id.strip(), primary_class=clean_text(paper.primary_class),
        doi=paper.doi.strip(), tags=_keywords(paper.tags, stored.get("keywords")),
        abstract=clean_text(paper.abstract), notes=clean_text(paper.notes), protect=protect or frozenset(),
    )
    rec.url = paper.url.strip() or (f"https://arxiv.org/abs/{rec.arxiv}" if rec.arxiv else "")
    rec.month = month_number(extra.pop("month", ""))
    venue = clean_text(paper.venue)
    if _ARXIV_VENUES.match(venue):
        venue = ""
    wanted = paper.entry_type.strip().lower()
    ref = parse_journal_ref(venue) if venue and not wanted and "volume" not in extra else None
    if ref:
        venue = ref.pop("journal")
        rec.year = ref.pop("year")  # the journal's year, not the preprint's
        extra.update(ref)
    if wanted in ("inproceedings", "incollection") and venue and not extra.get("booktitle"):
        extra["booktitle"] = venue
    truncated = venue.endswith(("…", "..."))  # a Scholar venue cut short is no journal name
    have = {"author": "x" if rec.people else "", "year": rec.year,
            "journal": "" if truncated else venue, **extra}
    rec.kind = _entry_type(wanted, have)
    if rec.kind in ("inproceedings", "incollection") and extra.get("booktitle") == venue:
        venue = ""
    if rec.kind not in ("article", "misc") and "booktitle" in extra:
        venue = ""
    rec.venue, rec.extra = venue, extra
    return rec
