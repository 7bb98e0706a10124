"""Markdown lists and tables of papers: awesome-lists, papers-of-the-week, reading lists.

An item counts only if it links to a paper (arXiv, DOI, OpenReview, ACL, a PDF, ...):
awesome-lists also list tools and repos, and those are not cards. The title is
the paper link's text when that is a real title, else the bold text, else the
text before the first link or separator.
"""

from __future__ import annotations

import re

from paperdeck.core.models import Draft

from .identifiers import (
    DOI_RE,
    NEW_ID_RE,
    find_arxiv_ids,
    find_dois,
    find_links,
    is_paper_url,
    normalise_arxiv_id,
    paper_url,
    year_from_arxiv_id,
)
from .textutil import (
    dedupe,
    find_year,
    is_title_like,
    looks_like_author_line,
    split_authors,
    squash,
    word_set,
)

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
# " - ", " — ", and two spaces ("1) Title  Summary of the paper" in weekly tables).
_SEPARATOR = re.compile(r"\s+[-\u2013\u2014:|]\s+|\s*[\u2013\u2014]\s*|(?<=\S)[ \t]{2,}(?=\S)")
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# When something was read, not when it was published: "2025-03-04", "Mon 04 Nov 2024", "Nov 4, 2024".
_DATE = re.compile(
    rf"\b(?:\d{{4}}-\d{{1,2}}(?:-\d{{1,2}})?|\d{{1,2}}/\d{{1,2}}/\d{{4}}|"
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?:\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}}|"
    rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}))\b",
    re.IGNORECASE,
)
# "(ACL 2023)", ", CVPR 2022": a venue acronym (two capitals or more) and its year.
_VENUE_YEAR = re.compile(r"(?:\(|,\s)([A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:[ -][A-Z][A-Za-z]+)?\s+(?:19|20)\d\d)\b")
# A reading log's "2025-03-04 read " before a title, and "(arXiv:…)" / "(ACL 2023)" after it.
_LOG_HEAD = re.compile(
    rf"^\s*(?:\[[ xX]\]\s*)?(?:{_DATE.pattern})\s*[:\-\u2013\u2014]?\s*"
    r"(?:(?:read|re-?read|skimmed|started|finished|queued|reading)\b\s*[:\-\u2013\u2014]?\s*)?",
    re.IGNORECASE,
)
_ID_OR_VENUE_NOTE = re.compile(
    r"\s*[(\[](?:arxiv:\s*[^()\[\]]{4,40}|doi:\s*[^()\[\]]{4,200}|"
    r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:[ -][A-Z][A-Za-z]+)?\s+(?:19|20)\d\d)[)\]]",
    re.IGNORECASE,
)
_WRITTEN_ID = re.compile(r"\barxiv:\s*\d{4}\.\d{4,5}", re.IGNORECASE)
_HTML_BITS = re.compile(
    r"<br\s*/?>|!\[[^\[\]\n]{0,400}\]\([^()\s]{0,2048}\)|<img\b[^>]{0,2048}>", re.IGNORECASE
)
_GENERIC = word_set(
    """
    paper pdf arxiv code github gitlab project page website site homepage tweet thread
    blog post video youtube slides demo link official unofficial pytorch tensorflow jax
    huggingface hf openreview doi html abs bib bibtex poster talk data dataset datasets
    model models colab notebook here this repo repository weights checkpoint leaderboard
    benchmark summary review supplementary supp appendix acl anthology ieee acm springer
    semantic scholar proceedings openalex pubmed preprint article full text abstract
    published publication version camera ready official source download read more
    """
)
# Link texts that are an address or an identifier: "[https://arxiv.org/abs/…](…)" (Notion and
# GitHub write a pasted link so), "[arxiv.org](…)", "[arXiv:2305.20050](…)", "[10.1145/…](…)".
_ADDRESS = re.compile(
    r"(?:https?://|www\.)\S*|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}(?:/\S*)?|"
    r"(?:arxiv|doi):\s*\S+|\d{4}\.\d{4,5}(?:v\d+)?|10\.\d{4,9}/\S+",
    re.IGNORECASE,
)


def _is_generic(text: str) -> bool:
    """Link texts like "[paper]", "PDF", "Code", or an address: labels, not titles."""
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    return not words or all(w in _GENERIC for w in words) or len(words) == 1 or bool(
        _ADDRESS.fullmatch(text.strip()))


def _clean_title(text: str) -> str:
    """Drop numbering, emphasis, emoji and stray brackets around a candidate title."""
    text = _NUMBERING.sub("", text).replace("**", "").replace("__", "").replace("`", "")
    core = text.strip(" *_[]()|:-–—,.;")
    # "The Annotated Transformer (blog)": a ")" that closes the title's own "(" stays
    if core.count("(") > core.count(")") and text.rstrip(" *_|:-–—,.;").endswith(")"):
        core += ")"
    return squash(core)


_BARE_URL = re.compile(r"https?://\S+")


def _bold_text(m: re.Match[str]) -> str:
    """The words of a bold span; "**[Title](url)**" (Substack, newsletters) is its link's text."""
    return _LINK.sub(lambda link: link.group(1), m.group(1) or m.group(2))


def _candidates(text: str, links: list[tuple[str, str]]) -> list[str]:
    """Possible titles for an item, best first."""
    out: list[str] = []
    for label, url in links:
        # a one-word label is a name ("[Mamba](arxiv…)", "[`Mamba`](…)") unless it is a
        # generic one ("[PDF]") or an address ("[arXiv.org](…)")
        name = _clean_title(label)
        one_word = re.fullmatch(r"[A-Za-z][\w.+-]{2,60}", name) and name.lower() not in _GENERIC and not (
            _ADDRESS.fullmatch(name))
        if is_paper_url(url) and (not _is_generic(label) or one_word):
            out.append(label)
    for m in _BOLD.finditer(text):
        out.append(_bold_text(m))
    plain = _LINK.sub(lambda m: " ¦ " if _is_generic(m.group(1)) else m.group(1), text)
    plain = _BARE_URL.sub(" ¦ ", plain)  # "Title https://arxiv.org/abs/…": the address ends it
    head = _ID_OR_VENUE_NOTE.sub(" ", _LOG_HEAD.sub("", _NUMBERING.sub("", plain.split("¦")[0])))
    before_sep = _SEPARATOR.split(head.strip(), maxsplit=1)[0]
    # "Title. Authors. Venue 2023." lists: the title is the first sentence.
    first = re.split(r"(?<=[a-z0-9)\]?!])\.\s+(?=[A-Z])", before_sep, maxsplit=1)[0]
    # "Title? Summary sentence." - only when what follows reads as a summary, since
    # titles ask questions too ("How Far Can Camels Go? Exploring the State of ...").
    m = re.search(r"[?!]\s+(?=[A-Z])", first)
    if m and len(first[m.end() :].split()) >= 8 and first.rstrip().endswith("."):
        first = first[: m.end()]
    out.append(first)
    return out


def _ok_title(cand: str, strong: bool) -> bool:
    """Title-like; a one-word coined name ("FlashAttention-2") only when bold or linked."""
    if is_title_like(cand) and not _is_generic(cand):
        return True
    coined = re.fullmatch(r"[A-Za-z][\w.+-]{2,60}", cand) is not None
    return strong and coined and cand.lower() not in _GENERIC and any(c.isupper() for c in cand)


def _item_draft(text: str, venue: str = "", title_hint: str = "") -> Draft | None:
    """A draft from one bullet, heading or table row, if it links to a paper."""
    text = text[:5000]
    links = [(squash(m.group(1)), m.group(2)) for m in _LINK.finditer(text)]
    bare = _LINK.sub(" ", text)
    urls = [u for _, u in links] + [u for u in find_links(bare)]
    # "Title (arXiv:2401.01234)": an id written out is a link to the paper too
    written = find_arxiv_ids(re.sub(r"https?://\S+", " ", bare), bare=False)
    urls += [f"https://arxiv.org/abs/{a}" for a in written if not any(a in u for u in urls)]
    papers = [u for u in urls if is_paper_url(u)]
    if not papers:
        return None
    title = ""
    strong = {_clean_title(label) for label, _ in links} | {
        _clean_title(_bold_text(m)) for m in _BOLD.finditer(text)
    }
    hints = _candidates(_LINK.sub(" ", title_hint), []) if title_hint else []
    strong |= {_clean_title(h) for h in hints}  # a "Paper" column holds coined names too
    for cand in hints + _candidates(text, links):
        cand = _clean_title(cand)
        if _ok_title(cand, cand in strong):
            title = cand
            break
    if not title:
        return None
    d = Draft(title=title, venue=venue)
    for u in papers:
        if not d.arxiv_id:
            d.arxiv_id, d.arxiv_version = normalise_arxiv_id(u)
        d.doi = d.doi or next(iter(find_dois(u)), "")
    d.url = paper_url(d.arxiv_id, d.doi, papers[0])
    d.links = [u for u in dict.fromkeys(urls) if u not in papers]
    rest = _LINK.sub(" ", text)
    rest = re.sub(r"https?://\S+", " ", rest)
    if not venue and (m := _VENUE_YEAR.search(rest.replace(title, " ", 1))):
        d.venue = m.group(1)
    # A reading log's dates say when it was read: the year is the venue's, else one
    # standing alone, else the arXiv id's.
    undated = NEW_ID_RE.sub(" ", DOI_RE.sub(" ", _DATE.sub(" ", rest)))  # "2006.11239" is no year
    d.year = find_year(d.venue) or find_year(undated) or year_from_arxiv_id(d.arxiv_id)
    # What follows the title; the title's own link keeps its text here, so that the
    # description after "[Title](url) — " is not cut at its first separator.
    said = _LINK.sub(lambda m: m.group(1) if _clean_title(m.group(1)) == title else " ", text)
    said = _BARE_URL.sub(" ", said)
    said = _ID_OR_VENUE_NOTE.sub(" ", _LOG_HEAD.sub("", _NUMBERING.sub("", said)))
    desc = _SEPARATOR.split(_clean_title(said).replace(title, "", 1), maxsplit=1)
    tail = squash(desc[-1]).strip(" -–—:|,.") if desc else ""
    if len(tail) >= 30 and tail != title:
        _describe(d, tail)
    return d


_AUTHORS_THEN = re.compile(r"^(.{3,2000}?(?:\bet al|[a-z\u00e0-\u024f]{2}))\.\s+(.*)$")
_VENUE_ONLY = re.compile(r"^([A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:[ -][A-Z][A-Za-z]+)?\s+(?:19|20)\d\d)\.?$")


def _describe(d: Draft, tail: str) -> None:
    """What follows a title: "Jason Wei, Xuezhi Wang et al. NeurIPS 2022" is authors and a
    venue, not an abstract; anything else is the item's description."""
    m = _AUTHORS_THEN.match(tail)
    names, rest = (m.group(1), m.group(2)) if m else (tail, "")
    if looks_like_author_line(names):
        d.authors = split_authors(names)
        if v := _VENUE_ONLY.match(rest.strip()):
            d.venue = d.venue or v.group(1)
        elif len(rest) >= 30:
            d.abstract = rest
        return
    d.abstract = tail


def _column(header: list[str], pattern: str) -> int:
    """The first column whose header matches, or -1."""
    return next((i for i, h in enumerate(header) if re.search(pattern, h)), -1)


def _cell(cells: list[str], i: int) -> str:
    return cells[i] if 0 <= i < len(cells) else ""


def _plain_cell(cell: str) -> str:
    """A cell without badges, images and ``<br>``; links become their text."""
    return squash(_LINK.sub(lambda m: m.group(1), _HTML_BITS.sub(" ", cell)))


def _id_url(cell: str) -> str:
    """A bare arXiv id or DOI in an identifier column, as a link to it."""
    ids = find_arxiv_ids(cell)
    if ids:
        return f"https://arxiv.org/abs/{ids[0]}"
    dois = find_dois(cell)
    return f"https://doi.org/{dois[0]}" if dois else ""


def _table_drafts(rows: list[list[str]]) -> list[Draft]:
    """Drafts from a table; the header tells which column holds the title, venue,
    date, authors and identifiers. Under a "Paper"/"Title" header in a table of
    papers, a row whose title is plain text is a paper too (milestone tables)."""
    header = [c.lower() for c in rows[0]] if rows else []
    body = rows[1:] if header and not any(_LINK.search(c) for c in rows[0]) else rows
    if body is rows:
        header = []
    venue_col = _column(header, r"venue|conf|journal|publication|published")
    title_col = _column(header, r"title|paper|name")
    date_col = _column(header, r"^\W*(?:date|year|when|month)\W*$")
    author_col = _column(header, r"author")
    id_col = _column(header, r"^\W*(?:arxiv|id|doi|identifier|arxiv id)\W*$")
    skip = {venue_col, date_col, author_col, id_col} - {-1, title_col}
    drafts: list[tuple[Draft | None, list[str]]] = []
    for cells in body:
        venue = _clean_title(_HTML_BITS.sub(" ", _cell(cells, venue_col)))
        ordered, hint = [c for i, c in enumerate(cells) if i not in skip], ""
        if 0 <= title_col < len(cells):
            others = [c for i, c in enumerate(cells) if i != title_col and i not in skip]
            ordered = [cells[title_col], *others]
            hint = _HTML_BITS.sub(" ", cells[title_col])
            hint = hint if not _LINK.fullmatch(hint.strip()) else ""
        if id_url := _id_url(_cell(cells, id_col)):
            ordered.append(id_url)
        d = _item_draft(" | ".join(_HTML_BITS.sub(" ", c) for c in ordered), venue, hint)
        if d is not None:
            if author_col >= 0:
                d.authors = split_authors(_plain_cell(_cell(cells, author_col)))
            date_year = find_year(_cell(cells, date_col))
            d.year = find_year(venue) or date_year or d.year
        drafts.append((d, cells))
    if title_col >= 0 and sum(d is not None for d, _ in drafts) >= max(2, len(drafts) // 2):
        cols = (title_col, venue_col, date_col, author_col)
        drafts = [(d or _plain_row(cells, *cols), cells) for d, cells in drafts]
    return [d for d, _ in drafts if d is not None]


def _plain_row(
    cells: list[str], title_col: int, venue_col: int, date_col: int, author_col: int
) -> Draft | None:
    """A row of a paper table whose title cell links nowhere a paper lives."""
    cands = (_clean_title(c) for c in _candidates(_plain_cell(_cell(cells, title_col)), []))
    title = next((c for c in cands if _ok_title(c, True)), "")
    if not title:
        return None
    venue = _clean_title(_HTML_BITS.sub(" ", _cell(cells, venue_col)))
    links = [m.group(2) for c in cells for m in _LINK.finditer(c)]
    own = [m.group(2) for m in _LINK.finditer(_cell(cells, title_col))]
    return Draft(
        title=title,
        venue=venue,
        url=own[0] if own else "",
        links=[u for u in dict.fromkeys(links) if u not in own[:1]],
        year=find_year(venue) or find_year(_cell(cells, date_col)),
        authors=split_authors(_plain_cell(_cell(cells, author_col))),
    )


def parse(text: str) -> list[Draft]:
    """Every linked paper in bullets, numbered items, headings and table rows."""
    drafts: list[Draft] = []
    table: list[list[str]] = []
    seen: set[str] = set()
    for line in text.split("\n"):
        if line in seen and not table and not line.lstrip().startswith("|"):
            continue  # a literal repeat reads the same (table rows excepted: headers repeat)
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
            d = _item_draft(_HTML_BITS.sub(" ", m.group(1)))  # badges are pictures, not links
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
            elif _ROW.match(line[:2000]) and (NEW_ID_RE.search(line) or DOI_RE.search(line)):
                with_paper += 1  # a table with an arXiv id or DOI column
            elif _WRITTEN_ID.search(line[:2000]) and len(line) > 40:
                with_paper += 1  # "Title (arXiv:2401.01234)": more than a bare id
    if with_paper >= 3 and with_paper >= 0.2 * items:
        return 0.65
    return 0.35 if with_paper else 0.0
