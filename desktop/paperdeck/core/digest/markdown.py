"""Markdown lists and tables of papers: awesome-lists, papers-of-the-week, reading lists.

An item counts only if it links to a paper (arXiv, DOI, OpenReview, ACL, a PDF, ...):
awesome-lists also list tools and repos, and those are not cards. The title is
the paper link's text when that is a real title, else the bold text, else the
text before the first link or separator.
"""

from __future__ import annotations

import re

from paperdeck.core.models import Draft

from .identifiers import find_dois, find_links, normalise_arxiv_id, paper_url
from .textutil import dedupe, find_year, is_title_like, squash, word_set

NAME = "markdown"
LABEL = "Markdown list or table of papers"
SAMPLE = 200_000

_LINK = re.compile(
    r"\[((?:[^\[\]\n]|\[[^\[\]\n]{0,200}\]){0,500})\]\(\s*<?(https?://[^()\s<>]{1,2048}(?:\([^()\s]{0,200}\)[^()\s<>]{0,500})?)>?(?:\s+\"[^\"\n]{0,200}\")?\s*\)"
)
_ITEM = re.compile(r"^\s{0,12}(?:[-*+]|\d{1,4}[.)])\s+(.*)$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*)$")
_ROW = re.compile(r"^\s{0,3}\|(.*)\|\s*$")
_SEP_ROW = re.compile(r"^[\s|:\-]+$")
_BOLD = re.compile(r"\*\*([^*\n]{3,300})\*\*|__([^_\n]{3,300})__")
_NUMBERING = re.compile(r"^\s*(?:\d{1,4}[.)]|[-*+•])\s*")
_SEPARATOR = re.compile(r"\s+[-\u2013\u2014:|]\s+|\s*[\u2013\u2014]\s*")
_GENERIC = word_set(
    """
    paper pdf arxiv code github gitlab project page website site homepage tweet thread
    blog post video youtube slides demo link official unofficial pytorch tensorflow jax
    huggingface hf openreview doi html abs bib bibtex poster talk data dataset datasets
    model models colab notebook here this repo repository weights checkpoint leaderboard
    benchmark summary review supplementary supp appendix acl anthology ieee acm springer
    semantic scholar proceedings openalex pubmed
    """
)
_PAPER_HOSTS = (
    "arxiv.org",
    "doi.org",
    "openreview.net",
    "aclanthology.org",
    "aclweb.org",
    "papers.nips.cc",
    "neurips.cc",
    "mlr.press",
    "openaccess.thecvf.com",
    "ieeexplore.ieee.org",
    "dl.acm.org",
    "link.springer.com",
    "nature.com",
    "science.org",
    "sciencedirect.com",
    "biorxiv.org",
    "medrxiv.org",
    "semanticscholar.org",
    "huggingface.co/papers",
    "ojs.aaai.org",
    "ijcai.org",
    "jmlr.org",
    "iclr.cc",
    "ssrn.com",
    "pubmed",
    "ncbi.nlm.nih.gov",
    "openalex.org",
    "proceedings.",
    "researchgate.net/publication",
    "papers.ssrn",
    "alphaxiv.org",
)


def is_paper_url(url: str) -> bool:
    """Links that point at a paper rather than code, tweets or videos."""
    low = url.lower()
    return any(h in low for h in _PAPER_HOSTS) or low.split("?")[0].endswith(".pdf")


def _is_generic(text: str) -> bool:
    """Link texts like "[paper]", "PDF", "Code": labels, not titles."""
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    return not words or all(w in _GENERIC for w in words) or len(words) == 1


def _clean_title(text: str) -> str:
    """Drop numbering, emphasis, emoji and stray brackets around a candidate title."""
    text = _NUMBERING.sub("", text).replace("**", "").replace("__", "").replace("`", "")
    text = text.strip(" *_[]()|:-–—,.;")
    return squash(text)


def _candidates(text: str, links: list[tuple[str, str]]) -> list[str]:
    """Possible titles for an item, best first."""
    out: list[str] = []
    for label, url in links:
        if is_paper_url(url) and not _is_generic(label):
            out.append(label)
    for m in _BOLD.finditer(text):
        out.append(m.group(1) or m.group(2))
    plain = _LINK.sub(lambda m: " ¦ " if _is_generic(m.group(1)) else m.group(1), text)
    head = plain.split("¦")[0]
    before_sep = _SEPARATOR.split(_NUMBERING.sub("", head), maxsplit=1)[0]
    # "Title. Authors. Venue 2023." lists: the title is the first sentence.
    out.append(re.split(r"(?<=[a-z0-9)\]?!])\.\s+(?=[A-Z])", before_sep, maxsplit=1)[0])
    return out


def _ok_title(cand: str, strong: bool) -> bool:
    """Title-like; a one-word coined name ("FlashAttention-2") only when bold or linked."""
    if is_title_like(cand):
        return not _is_generic(cand)
    coined = re.fullmatch(r"[A-Za-z][\w.+-]{2,60}", cand) is not None
    return strong and coined and cand.lower() not in _GENERIC and any(c.isupper() for c in cand)


def _item_draft(text: str, venue: str = "", title_hint: str = "") -> Draft | None:
    """A draft from one bullet, heading or table row, if it links to a paper."""
    text = text[:5000]
    links = [(squash(m.group(1)), m.group(2)) for m in _LINK.finditer(text)]
    urls = [u for _, u in links] + [u for u in find_links(_LINK.sub(" ", text))]
    papers = [u for u in urls if is_paper_url(u)]
    if not papers:
        return None
    title = ""
    strong = {_clean_title(label) for label, _ in links} | {
        _clean_title(m.group(1) or m.group(2)) for m in _BOLD.finditer(text)
    }
    hints = _candidates(_LINK.sub(" ", title_hint), []) if title_hint else []
    for cand in hints + _candidates(text, links):
        cand = _clean_title(cand)
        if _ok_title(cand, cand in strong):
            title = cand
            break
    if not title:
        return None
    d = Draft(title=title, venue=venue)
    for u in papers:
        d.arxiv_id = d.arxiv_id or normalise_arxiv_id(u)[0]
        d.doi = d.doi or next(iter(find_dois(u)), "")
    d.url = paper_url(d.arxiv_id, d.doi, papers[0])
    d.links = [u for u in dict.fromkeys(urls) if u not in papers]
    rest = _LINK.sub(" ", text)
    rest = re.sub(r"https?://\S+", " ", rest)
    d.year = find_year(venue or rest)
    desc = _SEPARATOR.split(_clean_title(rest).replace(title, "", 1), maxsplit=1)
    tail = squash(desc[-1]).strip(" -–—:|,.") if desc else ""
    if len(tail) >= 30 and tail != title:
        d.abstract = tail
    return d


def _table_drafts(rows: list[list[str]]) -> list[Draft]:
    """Drafts from a table; the header tells which column holds the title or venue."""
    header = [c.lower() for c in rows[0]] if rows else []
    body = rows[1:] if header and not any(_LINK.search(c) for c in rows[0]) else rows
    venue_col = next((i for i, h in enumerate(header) if re.search(r"venue|conf|journal", h)), -1)
    title_col = next((i for i, h in enumerate(header) if re.search(r"title|paper|name", h)), -1)
    out: list[Draft] = []
    for cells in body:
        venue = _clean_title(cells[venue_col]) if 0 <= venue_col < len(cells) else ""
        ordered, hint = cells, ""
        if 0 <= title_col < len(cells):
            ordered = [cells[title_col]] + [c for i, c in enumerate(cells) if i != title_col]
            hint = cells[title_col] if not _LINK.fullmatch(cells[title_col].strip()) else ""
        d = _item_draft(" | ".join(ordered), venue, hint)
        if d is not None:
            out.append(d)
    return out


def parse(text: str) -> list[Draft]:
    """Every linked paper in bullets, numbered items, headings and table rows."""
    drafts: list[Draft] = []
    table: list[list[str]] = []
    seen: set[str] = set()
    for line in text.split("\n"):
        if line in seen and not table:
            continue  # a literal repeat of an item reads the same: skip the work
        seen.add(line)
        row = _ROW.match(line[:20000])
        if row:
            if not _SEP_ROW.match(row.group(1)):
                table.append([c.strip() for c in row.group(1).split("|")])
            continue
        if table:
            drafts.extend(_table_drafts(table))
            table = []
        m = _ITEM.match(line[:20000]) or _HEADING.match(line[:20000])
        if m:
            d = _item_draft(m.group(1))
            if d is not None:
                drafts.append(d)
    if table:
        drafts.extend(_table_drafts(table))
    return dedupe(drafts)


def score(text: str) -> float:
    """Strong when many list items or table rows carry markdown links to papers."""
    head = text[:SAMPLE]
    items = with_paper = 0
    for line in head.split("\n"):
        if _ITEM.match(line[:2000]) or _ROW.match(line[:2000]) or _HEADING.match(line[:2000]):
            items += 1
            if "](" in line and any(is_paper_url(m.group(2)) for m in _LINK.finditer(line)):
                with_paper += 1
    if with_paper >= 3 and with_paper >= 0.2 * items:
        return 0.65
    return 0.35 if with_paper else 0.0
