"""arXiv daily listing emails (the "cs daily Subj-class mailing" kind).

Each paper is a block between ``-----`` rules: ``\\\\``, ``arXiv:ID``, a ``Date:``
line, RFC-822-like fields (``Title:``, ``Authors:``, ``Categories:`` ...) whose
continuation lines are indented, then the abstract between ``\\\\`` lines and a
``\\\\ ( https://arxiv.org/abs/ID ,  123kb)`` trailer. Replacements may have no
abstract and are still papers.
"""

from __future__ import annotations

import re

from paperdeck.core.models import Draft

from .bibtex_paste import keep_math
from .identifiers import find_links, normalise_arxiv_id, paper_url, year_from_arxiv_id
from .textutil import dedupe, find_year, latex_to_unicode, split_authors, squash, unwrap

NAME = "arxiv-email"
LABEL = "arXiv listing email"
SAMPLE = 200_000

_ID_LINE = re.compile(r"^arXiv:(\S{1,64})(?:\s+\(\*cross-listing\*\)|\s+\(\*replaced\*\)|\s.{0,200})?$")
_FIELD = re.compile(r"^([A-Z][A-Za-z-]{1,20}):\s?(.*)$")
_RULE = re.compile(r"^(?:-{20,}|%{2}[-%]{10,}|%%%[-%]{10,}|={20,})\s*$")
_TRAILER = re.compile(r"^\\\\\s*\(\s*(https?://\S+)\s*,.*\)\s*$")
_RFC_DATE = re.compile(  # "3 Mar 2025": the year of a date
    r"\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{4})\b"
)
_REPLACED = re.compile(r"^replaced with revised version\b", re.IGNORECASE)


def _blocks(lines: list[str]) -> list[list[str]]:
    """Lines from each ``arXiv:ID`` line up to the next rule or id line."""
    blocks: list[list[str]] = []
    cur: list[str] | None = None
    for line in lines:
        stripped = line.rstrip()
        if _ID_LINE.match(stripped):
            cur = [stripped]
            blocks.append(cur)
        elif _RULE.match(stripped):
            cur = None
        elif cur is not None and len(cur) < 2000:
            cur.append(stripped)
    return blocks


def _read_fields(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Header fields (continuations joined) and the remaining abstract lines."""
    fields: dict[str, str] = {}
    key = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == "\\\\" or _TRAILER.match(line):
            i += 1  # the abstract follows a "\\"; a trailer here means there is none
            break
        m = _FIELD.match(line)
        if m and not line.startswith((" ", "\t")):
            key = m.group(1).lower()
            fields[key] = m.group(2).strip()
        elif key and line.strip() and not _REPLACED.match(line.strip()):
            # a continuation line; "replaced with revised version <date>" is none (of "Date:")
            fields[key] = unwrap((fields[key], line))
        i += 1
    abstract: list[str] = []
    for line in lines[i:]:
        if line.strip() == "\\\\" or _TRAILER.match(line):
            break
        abstract.append(line.strip())
    return fields, abstract


def _unwrap(lines: list[str]) -> str:
    """Join wrapped abstract lines; blank lines become paragraph breaks."""
    paras: list[list[str]] = [[]]
    for line in lines:
        if line:
            paras[-1].append(line)
        elif paras[-1]:
            paras.append([])
    return "\n\n".join(unwrap(p) for p in paras if p)


def _date_year(date: str) -> int | None:
    """The year of the line's first date ("Mon, 3 Mar 2025 19:02:11 GMT   (2048kb,D)" is of
    2025: the size is no year, nor is a revision's later date); else any year in it."""
    m = _RFC_DATE.search(date[:1000])
    return find_year(m.group(1)) if m else find_year(date)


def _draft(block: list[str]) -> Draft | None:
    """One paper from one block, None when it has no usable id or title."""
    arxiv_id, version = normalise_arxiv_id(_ID_LINE.match(block[0]).group(1))
    fields, abstract_lines = _read_fields(block[1:])
    title = keep_math(squash(fields.get("title", "")))
    if not title or not arxiv_id:
        return None
    d = Draft(title=title, arxiv_id=arxiv_id, url=paper_url(arxiv_id))
    d.arxiv_version = version
    d.authors = [latex_to_unicode(a) for a in split_authors(fields.get("authors", ""))]
    categories = fields.get("categories", "").split()
    d.primary_class = categories[0] if categories else ""
    d.doi = fields.get("doi", "").split()[0] if fields.get("doi", "").split() else ""
    d.venue = latex_to_unicode(squash(fields.get("journal-ref", "")))
    d.abstract = keep_math(_unwrap(abstract_lines))
    d.year = _date_year(fields.get("date", "")) or year_from_arxiv_id(arxiv_id)
    extra = f"{d.abstract}\n{fields.get('comments', '')}"
    d.links = [link for link in find_links(extra) if link != d.url]
    return d


def score(text: str) -> float:
    """Strong when id lines, field lines and ``\\\\`` separators are all present."""
    head = text[:SAMPLE]
    ids = len(re.findall(r"^arXiv:\d{4}\.\d{4,5}|^arXiv:[a-z\-]+/\d{7}", head, re.M))
    seps = len(re.findall(r"^\\\\", head, re.M))
    fields = len(re.findall(r"^(?:Title|Authors|Categories):", head, re.M))
    if ids and seps >= ids and fields >= 2 * ids:
        return 0.95
    if ids and fields >= ids:
        return 0.6
    return 0.0


def parse(text: str) -> list[Draft]:
    """Every paper in the email, new, cross-listed and replaced."""
    unique = {"\n".join(b): b for b in _blocks(text.split("\n"))}  # literal repeats once
    drafts = [d for b in unique.values() if (d := _draft(b)) is not None]
    return dedupe(drafts)
