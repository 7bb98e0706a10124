"""Lists of arXiv ids, arXiv/HF links or DOIs, possibly with prose around them.

One untitled draft per identifier: the metadata is filled in later by the
library. Repeats within the paste (``2401.01234`` and ``arxiv.org/abs/2401.01234v2``)
collapse to one.
"""

from __future__ import annotations

import bisect
import re
from urllib.parse import urlsplit

from paperdeck.core.models import Draft

from .id_context import contexts, line_starts, title_beside, titled_before
from .identifiers import (
    DOI_RE,
    LINK_RE,
    MAX_TOKEN,
    NEW_ID_RE,
    arxiv_abs_url,
    doi_url,
    find_arxiv_ids,
    find_dois,
    is_paper_url,
    iter_old_ids,
    normalise_arxiv_id,
    normalise_doi,
    strip_trailing_punctuation,
    unwrap_redirect,
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


# Hosts whose paper pages carry an arXiv id or a DOI in the address (read as such above);
# other paper pages (OpenReview, IEEE Xplore, ACL Anthology, PMLR, CVF...) are papers too.
_ID_HOSTS = ("arxiv.org", "doi.org", "huggingface.co", "alphaxiv.org")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
# Slack's link markup: "<https://arxiv.org/abs/2010.11929|An Image is Worth 16x16 Words>".
_SLACK_LINK_RE = re.compile(r"<(https?://[^|>\s]+)\|([^>\n]+)>")


def _readable(text: str) -> str:
    """The text with links as a reader sees them: Slack's `<link|title>` as the title then
    the link, and links a mail reader wrapped (Outlook Safe Links) as the link inside."""
    if "|" in text:
        text = _SLACK_LINK_RE.sub(r"\2 \1", text)
    if "%2F" in text or "%2f" in text:
        text = LINK_RE.sub(lambda m: unwrap_redirect(m[0]), text)
    return text


def _paper_pages(text: str, id_starts: list[int]) -> list[tuple[int, str]]:
    """(position, link) of each paper page with no identifier in its address."""
    out = []
    for m in LINK_RE.finditer(text):
        k = bisect.bisect_left(id_starts, m.start())
        if k < len(id_starts) and id_starts[k] < m.end():
            continue  # an arXiv or DOI link: read as its identifier
        link = unwrap_redirect(strip_trailing_punctuation(m.group(0)))
        parts = urlsplit(link) if len(link) <= MAX_TOKEN else None
        host = (parts.hostname or "") if parts else ""
        if (parts and is_paper_url(link) and "." in host
                and not any(host == h or host.endswith("." + h) for h in _ID_HOSTS)
                and (parts.path.strip("/") or parts.query)):
            out.append((m.start(), link))
    return out


def _has_text(text: str, blank_ends: list[int], block: int) -> bool:
    """Does this blank-line separated block hold a line with no link or identifier (a title,
    names): a paper's block, not a stretch of a bare list of links?"""
    start = blank_ends[block - 1] if block else 0
    end = blank_ends[block] if block < len(blank_ends) else len(text)
    return any(line.strip() and not (LINK_RE.search(line) or NEW_ID_RE.search(line)
                                     or DOI_RE.search(line) or next(iter_old_ids(line), None))
               for line in text[start:end].split("\n"))


def _published_versions(text: str, found: list[tuple[int, str, str, int | None]]
                        ) -> dict[tuple[str, str], tuple[int, str, str, int | None]]:
    """DOIs written on the titled line of one arXiv id, and only of it ("Title - arXiv link
    (CVPR version: DOI)"): the paper's published version, mapped to that arXiv id's first
    mention (one paper, not two). A bare list's line of two ids names two papers."""
    starts = line_starts(text)
    rows: dict[int, list[tuple[int, str, str, int | None]]] = {}
    for item in found:
        rows.setdefault(bisect.bisect_right(starts, item[0]), []).append(item)
    firsts: dict[str, tuple[int, str, str, int | None]] = {}
    for item in found:
        if item[1] == "arxiv":
            firsts.setdefault(item[2], item)
    out = {}
    for row, items in rows.items():
        arxiv = {i[2] for i in items if i[1] == "arxiv"}
        dois = {i[2].lower() for i in items if i[1] == "doi"}
        line_start = starts[row - 1]
        line = text[line_start : text.find("\n", line_start) % (len(text) + 1)]
        if len(arxiv) == 1 and len(dois) == 1 and titled_before(line, items[0][0] - line_start):
            out[("doi", dois.pop())] = firsts[arxiv.pop()]
    return out


def parse(text: str) -> list[Draft]:
    """One draft per distinct identifier or paper page, titled from the text around it where
    that names the paper (see id_context). A paper page in the block of an identifier
    ("Title / arXiv:… / OpenReview: https://…") is a link of that paper, not another one."""
    text = _readable(text)
    found = _every_identifier(text)
    blank_ends = [m.end() for m in _BLANK_LINE_RE.finditer(text)]

    def block_of(pos: int) -> int:
        return bisect.bisect_right(blank_ends, pos)

    items: list[tuple[int, tuple[str, str], Draft | None]] = []  # (position, key, new draft)
    seen: set[tuple[str, str]] = set()
    in_block: dict[int, list[Draft]] = {}  # the papers named by identifiers in each block
    published = _published_versions(text, found)
    by_key: dict[tuple[str, str], Draft] = {}
    for pos, kind, value, version in found:
        key = (kind, value.lower())
        published_doi = ""
        if key in published:  # "… arxiv.org/abs/1512.03385 (CVPR version: https://doi.org/…)"
            published_doi = value
            _, kind, value, version = published[key]
            key = (kind, value.lower())
        d = None
        if key not in seen:
            seen.add(key)
            if kind == "arxiv":
                d = Draft(arxiv_id=value, url=arxiv_abs_url(value), year=year_from_arxiv_id(value))
                d.arxiv_version = version
            else:
                d = Draft(doi=value, url=doi_url(value))
            by_key[key] = d
            in_block.setdefault(block_of(pos), []).append(d)
        if published_doi and not by_key[key].doi:
            by_key[key].doi = published_doi
        items.append((pos, key, d))
    for pos, link in _paper_pages(text, [f[0] for f in found]):
        block = block_of(pos)
        papers = in_block.get(block, [])
        if len(papers) == 1 and not title_beside(text, pos) and _has_text(text, blank_ends, block):
            owner = papers[0]  # "OpenReview: https://…" under one paper's arXiv id
            if link not in owner.links:
                owner.links.append(link)
            continue
        key = ("page", link.lower())
        d = None
        if key not in seen:
            seen.add(key)
            d = Draft(url=link)
        items.append((pos, key, d))
    items.sort(key=lambda item: item[0])
    drafts: list[Draft] = []
    index: dict[tuple[str, str], int] = {}
    positions: list[int] = []
    every: list[tuple[int, int]] = []
    for pos, key, d in items:
        if d is not None:
            index[key] = len(drafts)
            drafts.append(d)
            positions.append(pos)
        every.append((pos, index[key]))
    for d, ctx in zip(drafts, contexts(text, positions, every), strict=True):
        d.title, d.authors, d.abstract = ctx.title, ctx.authors, ctx.abstract
        d.year = ctx.year or d.year  # the year a list gives (its venue's), else the arXiv id's
    return drafts


def score(text: str) -> float:
    """Higher the more of the non-blank lines carry an identifier or a paper's page."""
    head = _readable(text[:SAMPLE])
    lines = [line for line in head.split("\n") if line.strip()]
    hits = sum(
        1 for line in lines if NEW_ID_RE.search(line) or DOI_RE.search(line) or next(iter_old_ids(line), None)
        or ("://" in line and _paper_pages(line, []))
    )
    if not hits or not (find_arxiv_ids(head) or find_dois(head) or _paper_pages(head, [])):
        return 0.0
    share = hits / len(lines)  # lines is not empty: a line holds each hit
    return round(0.25 + 0.3 * share, 3)
