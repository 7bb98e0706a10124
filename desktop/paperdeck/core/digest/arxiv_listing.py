"""Text copied from arxiv.org/list pages (new, recent, pastweek), old and new layouts.

Entries start with ``[12]  arXiv:2401.01234 [pdf, html, other]`` (cross-lists
add ``(cross-list from cs.AI)``, replacements ``(replaced)``). Then a title (with
or without a ``Title:`` label), authors (with or without ``Authors:``),
optional ``Comments:``/``Journal-ref:``, ``Subjects:`` and, on /new pages, the abstract.
"""

from __future__ import annotations

import re

from paperdeck.core.models import Draft

from .bibtex_paste import keep_math
from .identifiers import find_links, normalise_arxiv_id, paper_url, year_from_arxiv_id
from .textutil import (
    MAX_TITLE,
    _looks_like_name,
    dedupe,
    is_prose,
    is_title_like,
    latex_to_unicode,
    looks_like_author_line,
    split_authors,
    squash,
    unwrap,
)

NAME = "arxiv-listing"
LABEL = "arXiv list page (arxiv.org/list)"
SAMPLE = 200_000

_ENTRY = re.compile(r"^\s{0,4}\[\d{1,5}\]\s*(?:arXiv:)?(\S{1,64})(?:\s.{0,200})?$", re.IGNORECASE)
_FIELD = re.compile(
    r"^(Title|Authors?|Comments|Journal-ref|Subjects|DOI|Report-no|MSC-class|ACM-class):\s*(.*)$",
    re.IGNORECASE,
)
_SECTION = re.compile(
    r"^(?:new submissions|cross[- ]submissions|cross-lists|replacement submissions|replacements|"
    r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*, \d{1,2} [a-z]{3} \d{4}|total of \d+ entries)\b",
    re.IGNORECASE,
)
_PRIMARY = re.compile(r"\(([a-z\-]+(?:\.[A-Za-z\-]+)?)\)")
_SKIP_FIELDS = ("report-no", "msc-class", "acm-class")
# Rows that are page furniture in a copy: "[ pdf , html , other ]", the page footer
# "[ showing up to 25 entries per page: fewer | more ]" / "[ total of 3 entries ]", and the
# "(cross-list from cs.LG)" / "(replaced)" note when it lands on a line of its own.
_LINK_ROW = re.compile(
    r"^(?:\[\s*(?:pdf|ps|html|other|src|tex|showing|total of)\b[^\]]*\]"
    r"|\(\s*(?:cross-list from [\w.\-]+|replaced)\s*\))$",
    re.IGNORECASE,
)


def _joined_labels(body: list[str]) -> tuple[list[str], bool]:
    """A browser copy of the current layout puts each label alone on its line
    (``Title:`` then the title below): join such a label with the line after it,
    and drop the ``[ pdf , html , other ]`` rows. Also says whether labels stood
    alone: then a title is one line and the unlabelled line after it is the authors."""
    out: list[str] = []
    pending = ""
    alone = False
    for line in body:
        if _LINK_ROW.match(line):
            continue
        if pending:
            if not _FIELD.match(line):
                out.append(f"{pending} {line}")
                pending = ""
                alone = True
                continue
            pending = ""  # an empty field: it says nothing (every field read defaults to "")
        m = _FIELD.match(line)
        if m and not m.group(2).strip():
            pending = line.strip()
        else:
            out.append(line)
    return out, alone


_NUMBER_ALONE = re.compile(r"^\s{0,4}\[\d{1,5}\]\s*$")
_ID_START = re.compile(r"^(?:arXiv:\S|\d{4}\.\d{4,5})", re.IGNORECASE)


def _rejoined_numbers(lines: list[str]) -> list[str]:
    """Some copies put the entry number alone on a line and the ``arXiv:ID`` on the next
    (the score already counts such entries): put them back on one line. A number alone
    is never a paper's text, so one with no id after it is dropped."""
    out: list[str] = []
    number = ""
    for line in lines:
        if _NUMBER_ALONE.match(line):
            number = line.strip()
            continue
        if number and line.strip():
            if _ID_START.match(line.strip()):
                line = f"{number} {line.strip()}"
            number = ""
        out.append(line)
    return out


def _entries(lines: list[str]) -> list[tuple[str, list[str]]]:
    """(id, body lines) for each numbered entry. A section heading ends an entry (its date
    gives no year: every valid id carries its own)."""
    out: list[tuple[str, list[str]]] = []
    body: list[str] | None = None
    for line in lines:
        s = line.strip()
        m = _ENTRY.match(line)
        if m and normalise_arxiv_id(m.group(1))[0]:
            body = []
            out.append((m.group(1), body))  # normalised in _draft, keeping the version
        elif _SECTION.match(s):
            body = None
        elif body is not None and s and len(body) < 500:
            body.append(s)
    return out


def _draft(arxiv_id: str, body: list[str]) -> Draft | None:
    """One paper from the lines under its entry line."""
    fields: dict[str, str] = {}
    loose: list[str] = []
    key = ""
    lines, labels_alone = _joined_labels(body)
    for line in lines:
        m = _FIELD.match(line)
        if m:
            key = m.group(1).lower()
            key = "author" if key == "authors" else key
            fields[key] = m.group(2).strip()
        elif (key == "title" and not loose and not labels_alone and not is_prose(line)
              and len(fields[key]) + 1 + len(line) <= MAX_TITLE):
            fields[key] = unwrap((fields[key], line))  # a wrapped title, up to a title's length
        else:  # once a loose line is read, no later line continues the title
            loose.append(line)
    title = fields.get("title", "")
    if not title and loose and is_title_like(loose[0], allow_period=True):
        title = loose.pop(0)
    authors = fields.get("author", "")
    if not authors and loose and looks_like_author_line(loose[0]):
        authors = loose.pop(0)
    elif not authors and loose and labels_alone and _looks_like_name(loose[0]):
        authors = loose.pop(0)  # a single author, on the line under the title
    title = keep_math(squash(title))
    if not title:
        return None
    arxiv_id, version = normalise_arxiv_id(arxiv_id)
    d = Draft(title=title, arxiv_id=arxiv_id, url=paper_url(arxiv_id), arxiv_version=version)
    d.authors = [latex_to_unicode(a) for a in split_authors(authors)]
    m = _PRIMARY.search(fields.get("subjects", ""))
    d.primary_class = m.group(1) if m else ""
    d.venue = squash(fields.get("journal-ref", ""))
    d.doi = fields.get("doi", "").split()[0] if fields.get("doi", "").split() else ""
    d.abstract = keep_math(unwrap(x for x in loose if is_prose(x, 20)))
    d.year = year_from_arxiv_id(arxiv_id)
    d.links = [link for link in find_links(d.abstract) if link != d.url]
    return d


def score(text: str) -> float:
    """Strong when numbered ``[n] arXiv:ID`` lines come with Subjects/Title fields."""
    head = text[:SAMPLE]
    entries = len(re.findall(r"^\s{0,4}\[\d{1,5}\]\s*arXiv:\S+", head, re.M | re.I))
    fields = len(re.findall(r"^(?:Subjects|Title|Comments):", head, re.M))
    if entries and fields >= entries:
        return 0.9
    if entries >= 2:
        return 0.5
    return 0.0


def parse(text: str) -> list[Draft]:
    """Every entry on the page, in page order."""
    unique = {(e[0], *e[1]): e for e in _entries(_rejoined_numbers(text.split("\n")))}  # literal repeats once
    drafts = [d for e in unique.values() if (d := _draft(*e)) is not None]
    return dedupe(drafts)
