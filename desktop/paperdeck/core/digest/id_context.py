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

from paperdeck.core.names import ET_AL

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
# A list's number or bullet before a title: "1. ", "2) ", "[3] ", a thread's "4/ ", "- ",
# "• ", an emoji ("📄 ").
_MARKER_RE = re.compile(r"^\s*(?:\[\d{1,3}\]|\d{1,3}[.)/]|[^\w\s\"“‘'(\[]{1,3})\s+")
# A reading list's label before a reference: "Required: ", "Week 3 — ", "Optional - ".
_LEAD_LABEL_RE = re.compile(
    r"^(?:required|optional|recommended|background|bonus|extra|further|must[- ]read|"
    r"(?:week|day|session|lecture|part|paper|reading)\s*\d{1,2})\s*[:—–-]\s+", re.I)
# A comment marked as one after a title: "QLoRA  <-- read this first", "Title // skim".
_COMMENT_RE = re.compile(r"\s+(?:<-+|←|⬅|//|#)\s+.*$")
# A title in quotation marks, as IEEE, Chicago and most threads write it.
_QUOTED_RE = re.compile(r"[\"“]([^\"“”]{3,300}?)[,.]?[\"”]")
_ANY_YEAR_RE = re.compile(r"\b((?:19|20)\d{2})[a-z]?\b")
# The words and the dash between a title and what follows it: "Title — Kipf, Welling (ICLR 2017)".
_DASH_RE = re.compile(r"\s+[-–—|]{1,2}\s+")
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


def line_starts(text: str) -> list[int]:
    """The offset each line of text starts at (bisect an offset in it for its line)."""
    return [0, *(m.end() for m in re.finditer("\n", text))]


def title_beside(text: str, pos: int) -> str:
    """The title written on the line of the link at text[pos], or "" (a bare link, or one
    under a label such as "OpenReview:")."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    found = _same_line(text[start : end if end >= 0 else len(text)], [pos - start])
    return found.title if found else ""


def reference(entry: str) -> Context | None:
    """A reference written with no link ("Jumper, J. et al. Title. Nature 596, 583–589
    (2021)."): its title, authors and year, or None unless all three are there (a line of
    prose is no reference)."""
    found = _titled(unwrap(entry.split("\n")))
    return found if found and found.authors and found.year else None


def titled_before(line: str, offset: int) -> bool:
    """Does a title stand before the link at line[offset] ("Title - https://…")?"""
    start = _token_span(line, offset)[0]
    return _titled(_words(_MARKER_RE.sub("", line[:start]))) is not None


def _token_span(line: str, start: int) -> tuple[int, int]:
    """The token around line[start] (the link an id sits in): to the blank after it, and
    back to the blank, bracket or comma before it ("(https://…)", a CSV row's "Title,10.1109/…")."""
    end = start
    while start > 0 and not line[start - 1].isspace() and line[start - 1] not in "(<,":
        start -= 1
    while end < len(line) and not line[end].isspace():
        end += 1
    return start, end


def _same_line(line: str, offsets: list[int], relaxed: bool = False) -> Context | None:
    """A title written on the identifier's line: the text before its links or after them
    (what follows a title's link is a comment: "Title https://… (must read!)")."""
    if "](" in line or line.lstrip().startswith("|"):
        return None  # Markdown's links and tables: the Markdown reader's to read
    spans = sorted(_token_span(line, o) for o in offsets)
    a, b = spans[0][0], spans[-1][1]
    before = _words(_MARKER_RE.sub("", line[:a]))
    after = _words(line[b:])
    if before:  # "Title https://… (must read!)", but not "see 2401.01234 for details"
        found = _titled(before, relaxed)
        return found if found and not _titled(after) else None
    if any(_words(line[e:s]) for (_, e), (s, _) in zip(spans, spans[1:], strict=False)):
        return None  # words between two links of the line: whose title would they be?
    return _titled(after, relaxed) if after else None


def _words(s: str) -> str:
    """The text of a stretch of a line without separators and link labels ("PDF:")."""
    s = _LABEL_RE.sub("", _strip(_COMMENT_RE.sub("", s)))
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
# ACM's reference: "Jeffrey Dean and Sanjay Ghemawat. 2008. MapReduce: … clusters. Commun. ACM".
_ACM_RE = re.compile(r"^(.+?)\.\s+((?:19|20)\d{2})[a-z]?\.\s+(.+?)\.(?:\s+(.+))?$")
# A journal's name after a title's full stop: "… of the human genome. Nature (2001)".
_JOURNAL_TAIL_RE = re.compile(r"\.\s+(?:[A-Z][\w&.'’-]*\s*){1,5}[.,]?\s*$")
_APA_RE = re.compile(r"^(.+?)\s*\(((?:19|20)\d{2})[a-z]?\)\.?\s+(.+)$")


def _titled(rest: str, relaxed: bool = False) -> Context | None:
    """A title, or a title with its authors and year, from what a line says beside its link:
    "Segment Anything. Kirillov et al.", "Segment Anything, Kirillov et al. 2023",
    "Attention Is All You Need (Vaswani et al., 2017)", "Vaswani et al. (2017). Attention
    Is All You Need." Or None when it names no paper. `relaxed` takes short and lowercase
    titles ("Mistral 7B", "mixup: …") too: lines around it showed the list's shape."""
    rest = _LEAD_LABEL_RE.sub("", _MARKER_RE.sub("", rest))
    quoted = _QUOTED_RE.search(rest)
    if quoted and len(quoted[1].split()) >= 2:
        return _quoted(rest, quoted)
    apa = _APA_RE.match(rest)
    names = (_apa_names(apa[1]) or (split_authors(apa[1]) if looks_like_author_line(apa[1]) else [])
             ) if apa else []
    if apa and names:  # the title ends at its full stop; the source follows
        title = _without_period(apa[3].split(". ")[0])
        return Context(title, names, year=int(apa[2])) if _good_title(title, True) else None
    names, after = [], 0  # APA's names with no year: "Kingma, D. P., & Welling, M. Title. ICLR 2014."
    for stop in re.finditer(r"\.\s+(?=[A-Z0-9])", rest):
        longer = _apa_names(rest[: stop.start() + 1])
        if not longer:
            break
        names, after = longer, stop.end()
    if names:
        title, _, source = rest[after:].partition(". ")
        year = _ANY_YEAR_RE.search(source)
        if _good_title(title := _without_period(title), True):
            return Context(title, names, year=int(year[1]) if year else None)
    acm = _ACM_RE.match(rest)
    if acm and (looks_like_author_line(acm[1]) or _NAME_RE.fullmatch(acm[1]) and " " in acm[1]):
        # "Names. 2008. Title. Venue …", "Leslie Lamport. 1978. Time, clocks, …"
        title = acm[3]
        return Context(title, split_authors(acm[1]), year=int(acm[2])) if _good_title(title, True) else None
    dash = _DASH_RE.search(rest)
    head = rest[: dash.start()] if dash else ""
    tail = rest[dash.end() :] if dash else ""
    venue = _VENUE_YEAR_RE.search(tail)
    names = tail[: venue.start()] if venue else tail
    if dash and looks_like_author_line(names) and _good_title(head.rstrip("?"), relaxed):
        # "Title — Thomas N. Kipf, Max Welling (ICLR 2017)", "How Powerful are GNNs? — Keyulu Xu"
        return Context(head, split_authors(names), year=int(venue[1]) if venue else None)
    if dash and _good_title(head, relaxed) and not _good_title(tail):
        return Context(head, year=int(venue[1]) if venue else None)  # "Title — must read"
    year_m = _YEAR_END_RE.search(rest)
    body = rest[: year_m.start()] if year_m else rest
    year = int(year_m[1]) if year_m else None
    by = re.search(r",\s+by\s+", body)  # "Title, by A. P. Dempster, N. M. Laird and D. B. Rubin"
    by_names = body[by.end() :] if by else ""
    if by and (looks_like_author_line(by_names) or _NAME_RE.fullmatch(by_names) and " " in by_names) \
            and _good_title(body[: by.start()], relaxed):
        return Context(body[: by.start()], split_authors(body[by.end() :]), year=year)
    for m in reversed(list(re.finditer(r"\.\s+|,\s+|\s+\(", body))):
        head, tail = body[: m.start()], body[m.end() :].rstrip(" ,.)")
        bracketed = m[0].strip() == "(" and (body.endswith(")") or year_m is not None)
        names = (split_authors(tail) if looks_like_author_line(tail)
                 else _family_names(tail) if bracketed else [])
        if (m[0].strip() != "(" or bracketed) and names and _good_title(_without_period(head), relaxed):
            return Context(_without_period(head), names, year=year)
    venue = _VENUE_YEAR_RE.search(rest.rstrip("."))
    if venue:  # "(CVPR 2016)", "(NeurIPS 2017": the venue is dropped, its year kept
        title = _without_period(_JOURNAL_TAIL_RE.sub("", rest[: venue.start()]))
        return Context(title, year=int(venue[1])) if _good_title(title, relaxed) else None
    title = _without_period(rest)
    return Context(title) if _good_title(title, relaxed) else None


# Chicago's first author: "Breiman, Leo." (one comma: family name, then given names).
_INVERTED_RE = re.compile(r"([A-Z][\w'’-]+), ([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*)\.?")
# Names and a year in brackets after a quoted title: "(Vaswani et al., 2017)".
_NAMES_YEAR_RE = re.compile(r"^\s*\(([^()]+?),?\s+((?:19|20)\d{2})[a-z]?\)")


def _chicago_names(s: str) -> list[str]:
    """Chicago's names: the first inverted, the rest not ("Dempster, A. P., N. M. Laird, and
    D. B. Rubin"), or [] if s is not such a list."""
    parts = [p for p in re.split(r",\s+(?:and\s+)?|\s+and\s+", s) if p]
    if len(parts) < 3 or " " in parts[0] or not all(_NAME_RE.fullmatch(p) for p in parts):
        return []
    return [f"{parts[1]} {parts[0]}", *parts[2:]]


_INITIALS_NAME_RE = re.compile(r"(?:[A-Z]\.(?:-[A-Z]\.)?\s?)+[A-Z][\w'’-]+")


def _initials_names(s: str) -> list[str]:
    """Names written with initials first ("J. Devlin, M.-W. Chang, and K. Toutanova"), or []."""
    parts = [p for p in re.split(r",\s+(?:and\s+)?|\s+and\s+", s.strip()) if p]
    return parts if parts and all(_INITIALS_NAME_RE.fullmatch(p) for p in parts) else []


def _family_names(s: str) -> list[str]:
    """A citation's family names in brackets ("Chen, Kornblith, Norouzi & Hinton"), or []."""
    parts = [p for p in re.split(r",\s+(?:&\s+|and\s+)?|\s+(?:&|and)\s+", s.strip()) if p]
    ok = len(parts) >= 2 and all(re.fullmatch(r"[A-Z][\w'’-]+", p) for p in parts)
    return parts if ok else []


_NAME_RE = re.compile(r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}")


def _quoted(rest: str, quoted: re.Match[str]) -> Context:
    """A reference whose title is in quotation marks: the names before it (IEEE's "A.
    Vaswani et al.,", Chicago's "Breiman, Leo.") or in brackets after it, the first year
    after it."""
    title = quoted[1].strip(" ,.")
    before = _MARKER_RE.sub("", rest[: quoted.start()]).strip(" ,.:")
    after = rest[quoted.end() :]
    authors: list[str] = []
    if inverted := _INVERTED_RE.fullmatch(before):
        authors = [f"{inverted[2].rstrip('.')} {inverted[1]}"]
    elif chicago := _chicago_names(before):
        authors = chicago
    elif before and looks_like_author_line(before):
        authors = _apa_names(before) or split_authors(before)
    elif before:
        authors = _initials_names(before)  # IEEE's "J. Devlin, M.-W. Chang, and K. Lee"
    names_year = _NAMES_YEAR_RE.match(after)
    if not authors and names_year:  # "(Vaswani et al., 2017)", "(Gu & Dao, 2023)"
        names = names_year[1]
        authors = split_authors(names) if looks_like_author_line(names) else _family_names(names)
    year = _ANY_YEAR_RE.search(after)
    return Context(title, authors, year=int(year[1]) if year else None)


# "He, K., Zhang, X., & Sun, J.": APA's "Last, I." names, joined by commas and an ampersand.
_APA_NAME_RE = re.compile(r"([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)*), ((?:[A-Z]\.[ -]?)+)")
_APA_SEP_RE = re.compile(r"(?<=\.),\s+(?:&\s+)?|\s+&\s+")


def _apa_names(s: str) -> list[str]:
    """APA's author list as names ("K. He"), or [] if it is not one."""
    s = s.strip()
    others = s.endswith(("et al.", "et al")) or "…" in s  # "Jumper, J. et al."; APA 7's "…"
    s = re.sub(r",?\s*et al\.?$", "", s) if others else s
    parts = [p.strip() for p in _APA_SEP_RE.split(s) if p.strip()]
    names = []
    for part in parts:
        part = part.lstrip("…. ")  # APA 7 elides the middle of a long list: "…, Hassabis, D."
        if not part:
            continue
        m = _APA_NAME_RE.fullmatch(part)
        if not m:
            return []
        names.append(f"{m[2].strip()} {m[1]}")
    return [*names, ET_AL] if names and others else names


def _without_period(s: str) -> str:
    """A title without the full stop a reference puts after it ("et al." keeps its own)."""
    s = s.strip()
    return s.removesuffix(".") if not s.endswith(("..", "al.")) else s


def _good_title(s: str, relaxed: bool = False) -> bool:
    """A paper's title: title-like, opening with a capital or a digit, in Title Case, with
    a subtitle, or of four words or more none of which talks to the reader ("everyone is
    talking about this one", "Check out this paper" are comments on a link, not titles).
    Relaxed: two words or more, in any case, none talking to the reader."""
    if relaxed and not _good_title(s):
        return (is_title_like(s) and not s.endswith(("?", "!")) and not CLOCK_RE.search(s)
                and not _CHAT_WORDS & set(s.lower().split()) and not looks_like_author_line(s))
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
    starts = line_starts(text)
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
    for relaxed in (False, True):
        for i, row in enumerate(rows):
            if per_row[row] == 1 and not out[i].title:  # several papers on one line: whose title?
                found = _same_line(lines[row], [o - starts[row] for o in on_row[row]], relaxed)
                out[i] = found or out[i]
        if sum(bool(c.title) for c in out) < 2:
            break  # short titles only in a list that shows its shape by two titled lines
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
