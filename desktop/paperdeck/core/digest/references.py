"""Reference lists with no links: a paper's bibliography copied from its PDF or its web
page, a syllabus, an email's list of classics.

    1. Jumper, J. et al. Highly accurate protein structure prediction with AlphaFold.
       Nature 596, 583–589 (2021).
    [5] Diego Ongaro and John Ousterhout. 2014. In search of an understandable consensus
    algorithm. In Proceedings of USENIX ATC '14. 305–319.
    - Going Deeper with Convolutions (Szegedy et al., 2015)

An entry starts at its number ("1.", "[5]") where the list has numbers, and runs over the
lines a PDF wrapped it into; else each line is one. An entry is a paper when it names a
title, authors and a year in one of the styles id_context reads (APA, IEEE, ACM, Chicago,
Nature, "Title (Names, Year)"); a DOI or arXiv id written in it is kept. Lines that are no
reference (a greeting, a heading) are left out, so a list is this format only when most of
its entries are references.
"""

from __future__ import annotations

import re

from paperdeck.core.models import Draft

from .id_context import reference
from .identifiers import paper_url
from .textutil import attach_identifiers, clean_text

NAME = "references"
LABEL = "reference list without links (APA, IEEE, ACM, Chicago, Nature style)"
SAMPLE = 200_000
MIN_ENTRIES = 2
MIN_SHARE = 0.5  # of the entries of four words or more that must read as references
MAX_LINES = 6  # lines one numbered entry may be wrapped over
# An entry's number at the start of a line: "1. ", "12) ", "[3] ".
_NUMBER_RE = re.compile(r"^\s*(?:\[\d{1,4}\]|\d{1,4}[.)])\s+")


def _entries(text: str) -> list[str]:
    """The list's entries: a numbered one with the lines it was wrapped over, any other line
    on its own (a list without numbers has one entry a line)."""
    lines = [line.strip() for line in clean_text(text).split("\n")]
    out: list[list[str]] = []
    wrapped = False  # may the next line go on the entry above?
    for line in lines:
        if _NUMBER_RE.match(line):
            out.append([line])
            wrapped = True
        elif not line:
            wrapped = False  # a blank line ends an entry
        elif wrapped and len(out[-1]) < MAX_LINES:
            out[-1].append(line)
        else:
            out.append([line])  # a heading, a greeting: an entry of its own
            wrapped = False
    return ["\n".join(entry) for entry in out]


def parse(text: str) -> list[Draft]:
    """One draft per entry that reads as a reference, or that names a DOI or an arXiv id
    (a reference in a style not read: the paper, untitled, rather than nothing)."""
    drafts = []
    for entry in _entries(text):
        ctx = reference(entry)
        d = Draft(title=ctx.title, authors=ctx.authors, year=ctx.year) if ctx else Draft()
        attach_identifiers(d, entry)
        if ctx is None and not (d.arxiv_id or d.doi):
            continue  # neither a reference nor an identifier: a heading, a greeting
        d.url = paper_url(d.arxiv_id, d.doi)
        drafts.append(d)
    return drafts


def score(text: str) -> float:
    """Higher the larger the share of entries that read as references."""
    # a greeting, a sign-off or a name ("Hi all,", "Cheers,") is no candidate either way
    entries = [e for e in _entries(text[:SAMPLE]) if len(e.split()) >= 4]
    refs = sum(1 for e in entries if reference(e))
    if refs < MIN_ENTRIES or refs < MIN_SHARE * len(entries):
        return 0.0
    return round(0.3 + 0.35 * refs / len(entries), 3)
