"""What a list of identifiers says about each paper around its link: title, authors, abstract.

People share reading lists as titles with links far more often than as bare links:

    Attention Is All You Need - https://arxiv.org/abs/1706.03762
    1. Segment Anything (arXiv:2304.02643)

    Direct Preference Optimization: Your Language Model is Secretly a Reward Model
    Rafael Rafailov, Archit Sharma et al.
    https://arxiv.org/abs/2305.18290
    We introduce a new parameterization of the reward model in RLHF ...

A title is read on the identifier's own line (the text before or after the link, never
around it, and no chat's "Check this out:"), or in its block: the lines between the
previous identifier line and this one, when every identifier of the paste has such a
title or each sits in its own blank-line separated block (so a heading above a list of bare
links is no paper's title). Prose lines in the block are its abstract, a line of names its
authors. What cannot be read stays untitled, as before: the raw paste is always kept.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from .textutil import (
    CLOCK_RE,
    is_prose,
    is_title_like,
    looks_like_author_line,
    split_authors,
    title_cased,
    unwrap,
    word_set,
)

# What may stand between a title and its link on one line: dashes, bars, colons, brackets.
_SEPARATORS = " \t-–—|:;,([<>)]•·*"
# A list's number or bullet before a title: "1. ", "2) ", "- ", "• ".
_MARKER_RE = re.compile(r"^\s*(?:\d{1,3}[.)]|[-*•·◦▪‣–—])\s+")
# Words that name the link rather than the paper: "arXiv: 2401.01234", "PDF: https://...".
_LABEL_RE = re.compile(r"(?:\b(?:arxiv|doi|pdf|paper|link|url|abs|code|html)\b\s*:?\s*)+$", re.I)
_LEADING_LABEL_RE = re.compile(r"^(?:\b(?:arxiv|doi|pdf|paper|link|url|abs|html)\b\s*:?\s*)+", re.I)

# Words of a comment on a link, which a paper's title in sentence case hardly has.
_CHAT_WORDS = word_set("""this that these here i i'm me my we our you your check see read look
    skim everyone anyone someone also too thanks""")


@dataclass
class Context:
    """What the text around one identifier tells about its paper."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    abstract: str = ""
    year: int | None = None


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", text)]
    return starts


def title_beside(text: str, pos: int) -> str:
    """The title written on the line of the link at text[pos], or "" (a bare link, or one
    under a label such as "OpenReview:")."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    found = _same_line(text[start : end if end >= 0 else len(text)], [pos - start])
    return found.title if found else ""


def _token_span(line: str, start: int) -> tuple[int, int]:
    """The token around line[start] (the link an id sits in): to the blank after it, and
    back to the blank or the bracket before it (Markdown's "[Title](https://...)")."""
    end = start
    while start > 0 and not line[start - 1].isspace() and line[start - 1] not in "(<":
        start -= 1
    while end < len(line) and not line[end].isspace():
        end += 1
    return start, end


def _same_line(line: str, offsets: list[int]) -> Context | None:
    """A title written on the identifier's line: the text before its links or after them."""
    spans = [_token_span(line, o) for o in offsets]
    a, b = min(s for s, _ in spans), max(e for _, e in spans)
    if any(_words(line[e:s]) for (_, e), (s, _) in zip(spans, spans[1:], strict=False)):
        return None  # words between two links of the line: whose title would they be?
    before = _words(_MARKER_RE.sub("", line[:a]))
    after = _words(line[b:])
    if before and after:
        return None  # a link inside a sentence: "see 2401.01234 for details"
    return _titled(before or after) if before or after else None


def _words(s: str) -> str:
    """The text of a stretch of a line without separators and link labels ("PDF:")."""
    s = _LABEL_RE.sub("", _strip(s))
    return _strip(_LEADING_LABEL_RE.sub("", _strip(s)))


def _strip(s: str) -> str:
    """s without separators at its ends, but with the bracket that closes one it opens
    ("Machine Translation (WMT19)")."""
    inner = s.strip(_SEPARATORS)
    at = s.find(inner) + len(inner) if inner else 0
    while inner.count("(") > inner.count(")") and s[at : at + 1] == ")":
        inner, at = inner + ")", at + 1
    return inner


# A year written at the end of a reference: "Kirillov et al. 2023", "(Vaswani et al., 2017)".
_YEAR_END_RE = re.compile(r"[\s,(]*\b((?:19|20)\d{2})[a-z]?\)?\.?$")
# A reference in the APA way: "Vaswani et al. (2017). Attention Is All You Need."
# A venue and year in brackets after a title: "(CVPR 2016)", "(NeurIPS 2017, oral)".
_VENUE_YEAR_RE = re.compile(r"\s*\([^()]{0,40}?\b((?:19|20)\d{2})\b[^()]{0,20}\)?$")
_APA_RE = re.compile(r"^(.+?)\s*\(((?:19|20)\d{2})[a-z]?\)\.?\s+(.+)$")


def _titled(rest: str) -> Context | None:
    """A title, or a title with its authors and year, from what a line says beside its link:
    "Segment Anything. Kirillov et al.", "Segment Anything, Kirillov et al. 2023",
    "Attention Is All You Need (Vaswani et al., 2017)", "Vaswani et al. (2017). Attention
    Is All You Need." Or None when it names no paper."""
    apa = _APA_RE.match(rest)
    names = (_apa_names(apa[1]) or (split_authors(apa[1]) if looks_like_author_line(apa[1]) else [])
             ) if apa else []
    if apa and names:
        title = _without_period(apa[3])
        return Context(title, names, year=int(apa[2])) if _good_title(title) else None
    year_m = _YEAR_END_RE.search(rest)
    body = rest[: year_m.start()] if year_m else rest
    year = int(year_m[1]) if year_m else None
    for m in reversed(list(re.finditer(r"\.\s+|,\s+|\s+\(", body))):
        head, tail = body[: m.start()], body[m.end() :].rstrip(" ,.)")
        if (m[0].strip() != "(" or body.endswith(")") or year_m) and looks_like_author_line(tail) \
                and _good_title(_without_period(head)):
            return Context(_without_period(head), split_authors(tail), year=year)
    venue = _VENUE_YEAR_RE.search(rest)
    if venue:  # "(CVPR 2016)", "(NeurIPS 2017": the venue is dropped, its year kept
        title = _without_period(rest[: venue.start()])
        return Context(title, year=int(venue[1])) if _good_title(title) else None
    title = _without_period(rest)
    return Context(title) if _good_title(title) else None


# "He, K., Zhang, X., & Sun, J.": APA's "Last, I." names, joined by commas and an ampersand.
_APA_NAME_RE = re.compile(r"([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)*), ((?:[A-Z]\.[ -]?)+)")
_APA_SEP_RE = re.compile(r"(?<=\.),\s+(?:&\s+)?|\s+&\s+")


def _apa_names(s: str) -> list[str]:
    """APA's author list as names ("K. He"), or [] if it is not one."""
    parts = [p.strip() for p in _APA_SEP_RE.split(s.strip()) if p.strip()]
    names = []
    for part in parts:
        m = _APA_NAME_RE.fullmatch(part)
        if not m:
            return []
        names.append(f"{m[2].strip()} {m[1]}")
    return names


def _without_period(s: str) -> str:
    """A title without the full stop a reference puts after it ("et al." keeps its own)."""
    s = s.strip()
    return s.removesuffix(".") if not s.endswith(("..", "al.")) else s


def _good_title(s: str) -> bool:
    """A paper's title: title-like, opening with a capital or a digit, in Title Case, with
    a subtitle, or of four words or more none of which talks to the reader ("everyone is
    talking about this one", "Check out this paper" are comments on a link, not titles)."""
    return (is_title_like(s) and (s[0].isupper() or s[0].isdigit())
            and " | " not in s and not s.endswith(("?", "!")) and not CLOCK_RE.search(s)
            and (": " in s or title_cased(s)
                 or (len(s.split()) >= 4 and not _CHAT_WORDS & set(s.lower().split())))
            and not looks_like_author_line(s))


def _abstract_line(s: str) -> bool:
    """A line of an abstract: prose that is no title (a sentence ends it, or it is long)."""
    return is_prose(s, 40) and not _good_title(s)


def _block(lines: list[str]) -> Context:
    """A title, its authors and an abstract from the lines of one identifier's block."""
    ctx = Context()
    prose: list[str] = []
    for line in lines:
        s = _MARKER_RE.sub("", line).strip() if not ctx.title else line.strip()
        if not ctx.title and not prose and _good_title(s):
            ctx.title = s
        elif ctx.title and not ctx.authors and not prose and looks_like_author_line(s):
            ctx.authors = split_authors(s)
        elif _abstract_line(s):
            prose.append(s)
    ctx.abstract = unwrap(prose) if ctx.title else ""
    return ctx


def contexts(text: str, firsts: list[int], every: list[tuple[int, int]]) -> list[Context]:
    """A Context for each paper, whose identifier is first seen at each of `firsts` (offsets
    into text, in text order); `every` holds (offset, paper's index) for every identifier
    written, repeats included ("arXiv:2401.01234" and its PDF link name one paper)."""
    starts = _line_starts(text)
    lines = text.split("\n")

    def row_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset) - 1

    rows = [row_of(o) for o in firsts]
    per_row = Counter(rows)
    on_row: dict[int, list[int]] = {}
    papers_on: dict[int, set[int]] = {}
    for o, paper in every:
        on_row.setdefault(row_of(o), []).append(o)
        papers_on.setdefault(row_of(o), set()).add(paper)
    id_rows = set(on_row)
    out = [Context() for _ in firsts]
    for i, row in enumerate(rows):
        if per_row[row] == 1:  # several papers on one line: no line tells whose title is whose
            found = _same_line(lines[row], [o - starts[row] for o in on_row[row]])
            out[i] = found or out[i]
    blocks = _blocks(lines, rows, id_rows)
    bare = [i for i, ctx in enumerate(out) if not ctx.title]
    read = {i: _block(blocks[i]) for i in bare}
    own_blocks = all(_alone_in_block(lines, rows[i], i, papers_on) for i in bare)
    if all(read[i].title for i in bare) or own_blocks:
        for i in bare:
            out[i] = read[i]
    return out


def _blocks(lines: list[str], rows: list[int], id_rows: set[int]) -> list[list[str]]:
    """For each identifier, the lines of its block around it: from the blank line or
    identifier line above to the blank line or identifier line below, where the lines
    below are kept only while they are prose (an abstract under the link) or names; the
    lines above start after those (a title right above the next link is that paper's)."""
    id_ahead = _id_ahead(lines, id_rows)
    stop = set(id_rows)  # rows the lines above an identifier do not reach past
    below: list[list[str]] = []
    for row in rows:
        under: list[str] = []
        r = row + 1
        while r < len(lines) and lines[r].strip() and r not in id_rows:
            s = lines[r].strip()
            if not (_abstract_line(s) or looks_like_author_line(s)) and id_ahead[r]:
                break  # the next paper's title, directly above its link
            under.append(s)
            stop.add(r)
            r += 1
        below.append(under)
    out = []
    for row, under in zip(rows, below, strict=True):
        top = row
        while top > 0 and lines[top - 1].strip() and top - 1 not in stop:
            top -= 1
        out.append(lines[top:row] + under)
    return out


def _id_ahead(lines: list[str], id_rows: set[int]) -> list[bool]:
    """For each line: is an identifier line at or below it before the next blank line?"""
    out = [False] * (len(lines) + 1)
    for r in range(len(lines) - 1, -1, -1):
        out[r] = r in id_rows or (bool(lines[r].strip()) and out[r + 1])
    return out


def _alone_in_block(lines: list[str], row: int, paper: int, papers_on: dict[int, set[int]]) -> bool:
    """Is this paper the only one named in its blank-line separated block?"""
    top, end = row, row + 1
    while top > 0 and lines[top - 1].strip():
        top -= 1
    while end < len(lines) and lines[end].strip():
        end += 1
    return all(papers_on.get(r, set()) <= {paper} for r in range(top, end))
