"""Lists of arXiv ids, arXiv/HF links or DOIs, possibly with prose around them.

One untitled draft per identifier: the metadata is filled in later by the
library. Repeats within the paste (``2401.01234`` and ``arxiv.org/abs/2401.01234v2``)
collapse to one.
"""

from __future__ import annotations

from paperdeck.core.models import Draft

from .id_context import contexts
from .identifiers import (
    DOI_RE,
    NEW_ID_RE,
    arxiv_abs_url,
    doi_url,
    find_arxiv_ids,
    find_dois,
    iter_old_ids,
    normalise_arxiv_id,
    normalise_doi,
    year_from_arxiv_id,
)

ARXIV_DOI_PREFIX = "10.48550/arxiv."

NAME = "identifiers"
LABEL = "list of arXiv ids, arXiv links or DOIs"
SAMPLE = 200_000


def _every_identifier(text: str) -> list[tuple[int, str, str, int | None]]:
    """(position, kind, value, arXiv version) for every identifier written, in text order."""
    found: list[tuple[int, str, str, int | None]] = []
    doi_spans: list[tuple[int, int]] = []
    for m in DOI_RE.finditer(text):
        doi = normalise_doi(m.group(0))
        if not doi:
            continue
        doi_spans.append((m.start(), m.end()))
        if doi.lower().startswith(ARXIV_DOI_PREFIX):  # arXiv's own DOI names an arXiv id
            arxiv_id, version = normalise_arxiv_id(doi[len(ARXIV_DOI_PREFIX) :])
            if arxiv_id:
                found.append((m.start(), "arxiv", arxiv_id, version))
                continue
        found.append((m.start(), "doi", doi, None))
    candidates = [(m.start(), *normalise_arxiv_id(m.group(0))) for m in NEW_ID_RE.finditer(text)]
    candidates += list(iter_old_ids(text))
    candidates.sort(key=lambda c: c[0])
    span_idx = 0
    for pos, arxiv_id, version in candidates:
        while span_idx < len(doi_spans) and doi_spans[span_idx][1] <= pos:
            span_idx += 1
        if span_idx < len(doi_spans) and doi_spans[span_idx][0] <= pos:
            continue  # digits inside a DOI are not an arXiv id
        if arxiv_id:
            found.append((pos, "arxiv", arxiv_id, version))
    found.sort(key=lambda item: item[:3])
    return found


def parse(text: str) -> list[Draft]:
    """One draft per distinct identifier, titled from the text around it where that names
    the paper (see id_context)."""
    firsts: dict[tuple[str, str], int] = {}  # (kind, value) -> the paper's index
    every: list[tuple[int, int]] = []
    drafts = []
    positions = []
    for pos, kind, value, version in _every_identifier(text):
        key = (kind, value.lower())
        if key not in firsts:
            firsts[key] = len(drafts)
            positions.append(pos)
            if kind == "arxiv":
                d = Draft(arxiv_id=value, url=arxiv_abs_url(value), year=year_from_arxiv_id(value))
                d.arxiv_version = version
            else:
                d = Draft(doi=value, url=doi_url(value))
            drafts.append(d)
        every.append((pos, firsts[key]))
    for d, ctx in zip(drafts, contexts(text, positions, every), strict=True):
        d.title, d.authors, d.abstract = ctx.title, ctx.authors, ctx.abstract
        d.year = d.year or ctx.year  # an arXiv id's month is its year; a DOI says none
    return drafts


def score(text: str) -> float:
    """Higher the more of the non-blank lines carry an identifier."""
    head = text[:SAMPLE]
    lines = [line for line in head.split("\n") if line.strip()]
    hits = sum(
        1 for line in lines if NEW_ID_RE.search(line) or DOI_RE.search(line) or next(iter_old_ids(line), None)
    )
    if not hits or not (find_arxiv_ids(head) or find_dois(head)):
        return 0.0
    share = hits / len(lines)  # lines is not empty: a line holds each hit
    return round(0.25 + 0.3 * share, 3)
