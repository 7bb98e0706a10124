"""Google Scholar alert emails, as plain text or flattened from HTML.

Each result is a title line (maybe ``[PDF]``-prefixed, maybe followed by its
link in angle brackets), an author/venue line ``J Doe, A Smith… - Venue, 2024 -
publisher``, then a snippet until the "Save / Twitter / ..." buttons or the next
title. The author line is the anchor: it is the most regular thing in the email.
"""

from __future__ import annotations

import re

from paperdeck.core.models import Draft
from paperdeck.core.names import ET_AL

from .identifiers import find_arxiv_ids, find_dois, normalise_arxiv_id, paper_url, unwrap_redirect
from .textutil import _looks_like_name, dedupe, find_year, is_title_like, squash, unwrap, word_set

NAME = "scholar"
LABEL = "Google Scholar alert email"
SAMPLE = 200_000

_MARKER = re.compile(r"^\s*(?:\[(?:PDF|HTML|BOOK|B|CITATION|C|DOC|PS)\]\s*)+", re.IGNORECASE)
_URL_IN_ANGLES = re.compile(r"<(https?://[^<>\s]{1,4096})>")
_BUTTON_WORDS = word_set(
    """
    save twitter linkedin facebook cite related articles cited by all versions image x
    """
)
_FOOTER = re.compile(
    r"^(?:this (?:message|alert) was sent by google scholar|list alerts|cancel alert|"
    r"scholar alert|google scholar alert|new articles in|new citations to|see all recommendations|"
    r"recommended articles|citations to articles|new results for)\b",
    re.IGNORECASE,
)
_DASH = re.compile(r"\s[-\u2010-\u2015]\s")


def _is_buttons(line: str) -> bool:
    """The share/save row under each result, however the mail client rendered it."""
    words = re.sub(r"<[^<>]*>|[\[\]:|]|\d+", " ", line[:400]).lower().split()
    return bool(words) and all(w in _BUTTON_WORDS for w in words)


def _is_author_line(line: str) -> bool:
    """``J Doe, A Smith… - arXiv preprint arXiv:2401.01234, 2024`` (names before " - ")."""
    parts = _DASH.split(line[:600], maxsplit=2)
    if len(parts) < 2 or _URL_IN_ANGLES.search(parts[0]):  # a dash past the first 600 characters
        return False
    names = [n.strip(" ….") for n in parts[0].replace("…", ",").split(",")]
    names = [n for n in names if n]
    if not names or len(names) > 40:
        return False
    good = sum(1 for n in names if _looks_like_name(n) and len(n.split()) <= 4)
    return good >= 0.8 * len(names) and (
        len(parts) > 2 or find_year(parts[1]) is not None or "…" in parts[1] or "," in parts[1]
    )


def _title_at(lines: list[str], i: int, floor: int) -> tuple[str, str, int]:
    """(title, url, index) from the nearest non-link line above author line ``i``."""
    url = ""
    j = i - 1
    while j >= floor and j >= i - 3:
        s = lines[j].strip()
        m = _URL_IN_ANGLES.fullmatch(s) or re.fullmatch(r"(https?://\S+)", s)
        if m:
            url = url or m.group(1)
            j -= 1
            continue
        if not s and j < i - 1:
            return "", "", i  # two blank lines: the title is not this far up
        if not s:
            j -= 1
            continue
        if _is_buttons(s) or _FOOTER.match(s):
            return "", "", i
        inline = _URL_IN_ANGLES.search(s)
        if inline:
            url = url or inline.group(1)
            s = _URL_IN_ANGLES.sub("", s)
        title = squash(_MARKER.sub("", s))
        return (title, url, j) if is_title_like(title, allow_period=True) else ("", "", i)
    return "", "", i


def _build(title: str, url: str, author_line: str, snippet: list[str]) -> Draft:
    """A draft from the pieces of one result."""
    url = unwrap_redirect(url)  # Scholar's own redirect, and a mail reader's around it
    parts = _DASH.split(author_line, maxsplit=2)
    names = [squash(n.strip(" …")) for n in parts[0].replace("…", ",").split(",")]
    names = [n for n in names if n]
    if names and parts[0].rstrip().endswith("…"):
        names.append(ET_AL)  # Scholar cut the list short
    venue_part = parts[1]  # an author line has a dash
    year = find_year(venue_part)
    # A venue Scholar cut short keeps its "…", so an export never takes it for a journal name.
    venue = re.sub(r",?\s*(?:19|20)\d{2}\s*$", "", venue_part).strip(" ,")
    d = Draft(title=title, authors=names, year=year, venue=venue)
    d.abstract = unwrap(snippet)
    arxiv_id = normalise_arxiv_id(url)[0] if "arxiv.org" in url else ""
    if not arxiv_id:
        ids = find_arxiv_ids(venue_part, bare=False)
        arxiv_id = ids[0] if ids else ""
    d.arxiv_id = arxiv_id
    dois = find_dois(url)
    d.doi = dois[0] if dois else ""
    d.url = paper_url(d.arxiv_id, d.doi, url)
    return d


def score(text: str) -> float:
    """Strong when Scholar's own words or redirect links appear with author lines."""
    head = text[:SAMPLE]
    low = head.lower()
    authors = sum(1 for line in head.split("\n") if _DASH.search(line) and _is_author_line(line))
    branded = "scholar.google" in low or "google scholar" in low or "scholar alert" in low
    if authors and branded:
        return 0.9
    markers = len(re.findall(r"^\s*\[(?:PDF|HTML)\]", head, re.M))
    if authors >= 2 and markers:
        return 0.7
    return 0.3 if authors >= 3 else 0.0


def parse(text: str) -> list[Draft]:
    """One draft per result in the alert."""
    lines = [line.strip() for line in text.split("\n")]
    anchors = [i for i, line in enumerate(lines) if _DASH.search(line) and _is_author_line(line)]
    drafts: list[Draft] = []
    found: list[tuple[str, str, int, int]] = []  # title, url, title index, author index
    floor = 0
    for i in anchors:
        title, url, start = _title_at(lines, i, floor)
        if title:
            found.append((title, url, start, i))
        floor = i + 1
    seen: set[tuple[str, ...]] = set()
    for k, (title, url, _, i) in enumerate(found):
        end = found[k + 1][2] if k + 1 < len(found) else len(lines)
        snippet: list[str] = []
        for line in lines[i + 1 : end]:
            if not line and not snippet:
                continue
            if not line or _is_buttons(line) or _FOOTER.match(line) or len(snippet) > 30:
                break
            snippet.append(_URL_IN_ANGLES.sub("", line))
        key = (title, url, lines[i], *snippet)
        if key not in seen:  # a literal repeat reads the same: skip the work
            seen.add(key)
            drafts.append(_build(title, url, lines[i], snippet))
    return dedupe(drafts)
