"""The overwrite rule: what a lookup may change in a paper the user already has.

- Only these columns are ever touched: title, authors, year, venue, doi, arxiv_id,
  primary_class, abstract, url. Notes, tags, status, priority, links and the citation
  key never are (keys change only through `Library.regenerate_citekeys`).
- An empty field is filled.
- A filled field is replaced only when it is clearly worse than the answer:
  authors cut short ("..., et al.", "others", "…", or the first few of the same list);
  a title or abstract cut off with "…"/"..." that the answer continues; a venue that only
  says "arXiv"/"CoRR"/"preprint", when the answer names a real one.
- Otherwise the user's value stays, and a disagreement on year, DOI or arXiv id is
  reported as "kept" so the user can look.
"""

from __future__ import annotations

import re
from typing import Any

from ..citekeys import ascii_fold, family_name
from ..dedupe import doi_key, title_key
from ..models import Paper
from .records import Found
from .report import FieldChange

FIELDS = ("title", "authors", "year", "venue", "doi", "arxiv_id", "primary_class", "abstract",
          "url")
_ELLIPSIS = ("…", "...")
_ETAL = re.compile(r"^(?:et\.?\s*al\.?|others|…|\.\.\.)$", re.IGNORECASE)
_PREPRINT_VENUE = re.compile(
    r"^(?:arxiv(?:\s+(?:preprint|e-?prints?))?(?:\s+arxiv:\S+)?|corr(?:\s+abs/\S+)?|preprint|"
    r"biorxiv|medrxiv|ssrn)\.?$", re.IGNORECASE)


def plan(paper: Paper, found: Found) -> tuple[dict[str, Any], list[FieldChange], list[FieldChange]]:
    """(new values by column, the changes, the disagreements kept as the user has them)."""
    new: dict[str, Any] = {}
    kept: list[FieldChange] = []
    if found.title and (not paper.title.strip() or _continues(paper.title, found.title)):
        new["title"] = found.title
    if found.authors and _authors_worse(paper.authors, found.authors):
        new["authors"] = list(found.authors)
    if found.year:
        if paper.year is None:
            new["year"] = found.year
        elif paper.year != found.year:
            kept.append(FieldChange("year", paper.year, found.year))
    if found.venue and (not paper.venue.strip() or (
            is_preprint_venue(paper.venue) and not is_preprint_venue(found.venue))):
        new["venue"] = found.venue
    for col, same in (("doi", doi_key), ("arxiv_id", str.lower)):
        ours, theirs = getattr(paper, col).strip(), getattr(found, col)
        if theirs and not ours:
            new[col] = theirs
        elif theirs and same(ours) != same(theirs):
            kept.append(FieldChange(col, ours, theirs))
    if found.primary_class and not paper.primary_class.strip():
        new["primary_class"] = found.primary_class
    if found.abstract and (not paper.abstract.strip() or _continues(paper.abstract, found.abstract)):
        new["abstract"] = found.abstract
    if found.url and not paper.url.strip():
        new["url"] = found.url
    changes = [FieldChange(c, getattr(paper, c), v) for c, v in new.items()
               if getattr(paper, c) != v]
    return {ch.field: ch.after for ch in changes}, changes, kept


def is_preprint_venue(venue: str) -> bool:
    return bool(_PREPRINT_VENUE.match(" ".join(venue.split())))


def _continues(ours: str, theirs: str) -> bool:
    """`ours` was cut off ("A long title…") and `theirs` is the whole of it."""
    ours = ours.strip()
    if not ours.endswith(_ELLIPSIS):
        return False
    stem = title_key(ours.rstrip(".… "))
    return bool(stem) and title_key(theirs).startswith(stem) and len(theirs) > len(ours) - 3


def _authors_worse(ours: list[str], theirs: list[str]) -> bool:
    """Empty, cut short with "et al.", or the first few names of the same list."""
    names = [a for a in ours if a.strip()]
    if not names:
        return True
    if any(_ETAL.match(a.strip()) or a.strip().lower().endswith(" et al.") for a in names):
        return len(theirs) >= len(names) - 1
    if len(names) < len(theirs):
        return [_family(a) for a in names] == [_family(a) for a in theirs[:len(names)]]
    return False


def _family(author: str) -> str:
    return ascii_fold(family_name(author)).casefold().replace(" ", "")
