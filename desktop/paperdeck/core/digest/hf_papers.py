"""Hugging Face papers pages (daily, weekly, trending, single paper), as text or markdown.

Copied pages mix titles with furniture: "Submitted by" and a user name, upvote
counts, "· 12 authors", dates, buttons, and on the trending page a "Subscribe"
button whose text sticks to the first title. We drop the furniture line by line
and keep a small state machine: a title opens a card; the prose line right after
it is the abstract; name lists are authors; ids come from links or ``arxiv:`` lines.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from paperdeck.core.models import Draft

from .identifiers import find_links, normalise_arxiv_id, year_from_arxiv_id
from .textutil import (
    _looks_like_name,
    dedupe,
    is_prose,
    is_title_like,
    is_url_only,
    looks_like_author_line,
    phrase_set,
    split_authors,
    squash,
)

NAME = "hf-papers"
LABEL = "Hugging Face papers page"
SAMPLE = 200_000

_NOISE_EXACT = phrase_set(
    """
    subscribe | daily papers | trending papers | papers | paper | upvote | upvotes
    | upvoted | previous | next | view arxiv page | view pdf | add to collection
    | community | github | arxiv page | project page | collections | models | datasets
    | spaces | daily | weekly | monthly | trending | new | search | ai-generated summary
    | comments | comment | share | · | • | - | submit paper | discussion
    | get trending papers in your email inbox!
    | get trending papers in your email inbox once a day!
    | by ak and the research community | search by arxiv id or title... | no comments
    | models citing this paper | datasets citing this paper | spaces citing this paper
    | collections including this paper | python | jupyter notebook | like | sort by
    | most recent | most upvoted | hot | top | load more | sign up | log in | show more
    """
)
_NOISE_RE = re.compile(
    r"^(?:[\d.,]+\s*[km]?|\+\s*\d+|[·•]?\s*\d+\s+(?:authors?|upvotes?|comments?|likes?|models?|"
    r"datasets?|spaces?|collections?)|(?:\d+|an?)\s+(?:seconds?|minutes?|hours?|days?|weeks?|"
    r"months?)\s+ago|(?:get trending papers|daily papers|trending papers)\b.*|"
    r"(?:submitted|published)\s+(?:by|on)\b.*|(?:upvote|upvotes)\s*\d*|\d+\s*/\s*\d+|"
    r"#\d+\s+paper of the (?:day|week|month))$",
    re.IGNORECASE,
)
_CARD_MARK = re.compile(
    r"^(?:[\d.,]+\s*k?|[·•]?\s*\d+\s+(?:authors?|upvotes?|comments?)|upvotes?|upvote\s*\d+)$"
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_RE = re.compile(
    rf"^(?:published on|submitted on|on|week of|date:?)?\s*"
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?|\d{{1,2}}\s+{_MONTH}(?:\s+(\d{{4}}))?"
    rf"|{_MONTH}\s+(\d{{4}})|(\d{{4}})-\d{{2}}-\d{{2}}|w?\d{{4}}-w\d{{1,2}})$",
    re.IGNORECASE,
)
_MD_LINK_RE = re.compile(r"!?\[([^\[\]\n]{0,400})\]\(\s*<?([^()\s<>]{1,2048})>?[^()\n]{0,200}\)")
_ANGLE_URL_RE = re.compile(r"<(https?://[^<>\s]{1,2048})>")
_MD_PREFIX_RE = re.compile(r"^\s{0,8}(?:#{1,6}\s+|[-*+]\s+|\d{1,3}[.)]\s+|>\s*)*")
_SUBSCRIBE_GLUE = re.compile(r"^Subscribe(?=[A-Z0-9\"'(])")


@functools.lru_cache(maxsize=8192)
def _strip_markdown(raw: str) -> tuple[str, tuple[str, ...]]:
    """A line without markdown markup, and the URLs its links pointed to (cached: pastes repeat)."""
    urls: list[str] = []
    line = raw[:4096]
    if "](" in line:

        def keep_text(m: re.Match[str]) -> str:
            urls.append(m.group(2))
            return "" if m.group(0).startswith("!") else m.group(1)

        for _ in range(2):  # a link around an image (a card's thumbnail): the image, then the link
            line = _MD_LINK_RE.sub(keep_text, line)
    if "<http" in line:
        urls.extend(_ANGLE_URL_RE.findall(line))
        line = _ANGLE_URL_RE.sub("", line)
    line = _MD_PREFIX_RE.sub("", line).replace("**", "").replace("__", "")
    return squash(line), tuple(urls)


def _is_noise(low: str) -> bool:
    """Page furniture: buttons, counters, headers, relative dates."""
    return low in _NOISE_EXACT or bool(_NOISE_RE.match(low))


def _date_year(s: str) -> int | None:
    """The year in a date line, None if it is not a date line or has no year."""
    m = _DATE_RE.match(s)
    if not m:
        return None
    year = next((g for g in m.groups() if g), None)
    return int(year) if year else 0


def _paper_id(urls: tuple[str, ...], text: str) -> str:
    """An arXiv id from an HF/arXiv link or an ``arxiv:ID`` line."""
    for url in urls:
        if "huggingface.co/papers/" in url or "arxiv.org/" in url:
            found, _ = normalise_arxiv_id(url)
            if found:
                return found
    if text.lower().startswith(("arxiv:", "https://", "http://", "huggingface.co/")):
        return normalise_arxiv_id(text)[0]
    return ""


class _Line(NamedTuple):
    """What one line is, worked out once per distinct line."""

    s: str
    low: str
    urls: tuple[str, ...]
    found: str
    kind: str
    year: int = 0
    short: bool = False


_MODES = {"authors-head": "authors", "abstract-head": "abstract", "summary-head": "summary"}


@functools.lru_cache(maxsize=8192)
def _classify(raw: str) -> _Line:
    """Classify a line as blank, id, furniture of some kind, or content (cached)."""
    s, urls = _strip_markdown(raw)
    if not s:
        return _Line(s, "", urls, _paper_id(urls, "") if urls else "", "blank")
    low = s.lower()
    found = _paper_id(urls, s)
    short = len(s.split()) <= 3 and not is_prose(s)
    if is_url_only(raw.strip()) or (found and low.startswith("arxiv:") and len(s) < 40):
        return _Line(s, low, urls, found, "id", short=short)
    kind = "content"
    year = 0
    if low in ("authors:", "authors", "author:"):
        kind = "authors-head"
    elif low in ("abstract", "abstract:"):
        kind = "abstract-head"
    elif low == "ai-generated summary":
        kind = "summary-head"
    elif low == "submitted by" or low.startswith("submitted by "):
        kind = "submitted"
    elif (y := _date_year(s)) is not None:
        kind, year = "date", y
    elif _is_noise(low):
        kind = "mark" if _CARD_MARK.match(low) else "noise"
    return _Line(s, low, urls, found, kind, year, short)


class _Reader:
    """Line-by-line state for one page."""

    def __init__(self) -> None:
        self.drafts: list[Draft] = []
        self.marks: list[int] = []  # card furniture (counters) seen under each draft
        self.cur: Draft | None = None
        self.pending_id = ""
        self.page_year: int | None = None  # a date with a year above the first card
        self.last = ""  # kind of the previous meaningful line
        self.mode = ""  # "authors", "abstract", "summary", "user"
        self.gap = 0  # furniture lines since the last content line

    def start(self, title: str, arxiv_id: str) -> None:
        """Open a new card."""
        self.cur = Draft(title=title, arxiv_id=arxiv_id or self.pending_id)
        self.drafts.append(self.cur)
        self.marks.append(0)
        self.pending_id, self.mode, self.last = "", "", "title"
        self.gap = 0

    def set_id(self, arxiv_id: str) -> None:
        """An id before a title belongs to the next card, after one to the current."""
        if self.cur and not self.cur.arxiv_id and not self.cur.abstract:
            self.cur.arxiv_id = arxiv_id
        else:
            self.pending_id = arxiv_id

    def feed(self, raw: str) -> None:
        """Consume one line."""
        line = _classify(raw)
        kind = line.kind
        if kind == "blank":
            if self.mode == "authors" and self.cur and self.cur.authors:
                self.mode = ""
            if line.found:
                self.set_id(line.found)
            return
        if self.mode == "user":
            self.mode = ""
            if line.short:
                return  # the user name under "Submitted by"
        if kind == "id":
            if line.found:
                self.set_id(line.found)
            return
        if kind == "content":
            self._content(line.s, line.low, line.urls, line.found)
            return
        self.gap += 1
        if kind in _MODES:
            self.mode = _MODES[kind]
        elif kind == "submitted":
            self.mode = "user" if line.low == "submitted by" else self.mode
            self.last = "sep"  # "Submitted by" opens the next card on daily pages
        elif kind == "date" and line.year:
            if self.cur is None:
                self.page_year = line.year  # the page's date: every card was listed then
            elif self.cur.year is None and self.last != "abstract":
                self.cur.year = line.year
        elif kind == "mark" and self.marks:
            self.marks[-1] += 1

    def _content(self, s: str, low: str, urls: tuple[str, ...], found: str) -> None:
        """Titles, abstracts and author lists."""
        cur = self.cur
        if self.mode == "authors" and cur is not None:
            names = [n for n in split_authors(s) if _looks_like_name(n)]
            if names and not is_prose(s):
                cur.authors.extend(names)
                return
            self.mode = ""
        if self.mode == "summary" and is_prose(s):
            # the abstract follows the AI summary: HF's pages now show the summary under the
            # "Abstract" heading, above the abstract; they used to show it above the heading
            self.mode = "abstract"
            return
        opens_card = bool(found) and not is_prose(s, 300)
        if (
            not opens_card
            and cur is not None
            and not cur.authors
            and not cur.abstract
            and looks_like_author_line(s)
        ):
            cur.authors = split_authors(s)
            self.last, self.gap = "authors", 0
            return
        if cur is not None and not opens_card and is_prose(s):
            # Abstracts end with a full stop; a title-like line after furniture is a new card.
            plausible = not self.gap or len(s) >= 200 or not is_title_like(s)
            after_title = self.last in ("title", "authors") and not cur.abstract and plausible
            if self.mode == "abstract" or after_title:
                cur.abstract = s
                self.mode, self.last = "", "abstract"
                return
            if cur.abstract and self.last == "abstract" and not is_title_like(s):
                cur.abstract += "\n\n" + s
                return
        title = _SUBSCRIBE_GLUE.sub("", s)
        if is_title_like(title, allow_period=True) and not looks_like_author_line(title):
            self.start(title, found)


# Scraper markdown ("copy as markdown", r.jina.ai, MarkDownload): each card is a heading
# linking to the paper page, absolute or relative; the abstract is a link whose text
# wraps with hard breaks ("\\" or two spaces at line ends).
_MD_HEADING = re.compile(
    r"^#{1,6}[ \t]*\[(?P<t>(?:[^\[\]\\\n]|\\.){1,600})\]\([ \t]*<?(?:https?://(?:www\.)?huggingface\.co)?"
    r"/papers/(?P<id>\d{4}\.\d{4,5})(?:v\d+)?>?(?:[ \t][^)\n]*)?\)[ \t]*$",
    re.MULTILINE,
)
_MD_ANY_LINK = re.compile(r"(!?)\[((?:[^\[\]\\]|\\.|!\[[^\[\]]*\])*)\]\(([^()\s]*)[^()]*\)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~$&])")
_HARD_BREAK = re.compile(r"(?:\\{1,2}|[ \t]{2,})\n")  # "\\" too: some scrapers escape it again


def hf_page_url(arxiv_id: str) -> str:
    """The paper's page on Hugging Face, which every HF card links to."""
    return f"https://huggingface.co/papers/{arxiv_id}" if arxiv_id else ""


def _unescape(s: str) -> str:
    """Markdown backslash escapes (``\\[CLS\\]``, ``\\_``) back to the characters."""
    return _MD_ESCAPE.sub(r"\1", s)


def _md_paragraph(par: str) -> str:
    """A markdown paragraph as plain text: images dropped, links to their text."""

    def keep_text(m: re.Match[str]) -> str:
        return "" if m.group(1) else m.group(2)

    text = par
    for _ in range(2):  # a link around images: the images first, then the link
        text = _MD_ANY_LINK.sub(keep_text, text)
    text = _MD_PREFIX_RE.sub("", squash(text)).replace("**", "")
    return squash(_unescape(text))


def _markdown_cards(text: str) -> list[Draft]:
    """Cards from a page whose papers are ``### [Title](…/papers/ID)`` headings."""
    heads = list(_MD_HEADING.finditer(text))
    drafts: list[Draft] = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        body = _HARD_BREAK.sub(" ", text[m.end() : end])
        d = Draft(title=squash(_unescape(m.group("t"))), arxiv_id=m.group("id"))
        for par in re.split(r"\n[ \t]*\n", body):
            plain = _md_paragraph(par)
            if not plain or _is_noise(plain.lower()):
                continue
            if not d.authors and not d.abstract and looks_like_author_line(plain):
                d.authors = split_authors(plain)
            elif not d.abstract and is_prose(plain):
                d.abstract = plain
        drafts.append(d)
    return drafts


def _finish(d: Draft, page_year: int | None = None) -> Draft:
    """Derive url, links and year once the card is complete. The year: the card's own date,
    else its arXiv id's, else the page's date (the day HF listed it, maybe a year later)."""
    d.url = hf_page_url(d.arxiv_id)
    d.links = [link for link in find_links(d.abstract) if link != d.url]
    if d.year is None and d.arxiv_id:
        d.year = year_from_arxiv_id(d.arxiv_id)
    if d.year is None:
        d.year = page_year
    return d


def score(text: str) -> float:
    """Strong when HF's own furniture or links are present."""
    head = text[:SAMPLE]
    low = head.lower()
    # Links count when they are a card's title link (markdown or flattened HTML),
    # not when someone pastes a list of bare HF URLs.
    hf_links = low.count("](https://huggingface.co/papers/") + low.count("<https://huggingface.co/papers/")
    hf_links += len(_MD_HEADING.findall(head))  # relative links in scraper markdown
    if "get trending papers in your email inbox" in low:
        return 0.9
    furniture = low.count("submitted by") + low.count("upvote") + low.count("daily papers")
    if hf_links >= 2 or (hf_links and furniture):
        return 0.85
    if furniture >= 3 or ("daily papers" in low and furniture >= 2):
        return 0.75
    if "published on" in low and re.search(r"^arxiv:\d{4}\.\d{4,5}\s*$", low, re.M):
        return 0.7
    return 0.0


def parse(text: str) -> list[Draft]:
    """Cards for every paper on the page."""
    cards = _markdown_cards(text)
    if cards:
        return dedupe([_finish(d) for d in cards])
    reader = _Reader()
    for raw in text.split("\n"):
        reader.feed(raw)
    # A title-like line with nothing under it (a site header, a button) is not a card.
    kept = [
        d
        for d, marks in zip(reader.drafts, reader.marks, strict=True)
        if d.abstract or d.authors or d.arxiv_id or marks
    ]
    return dedupe([_finish(d, reader.page_year) for d in kept])
