"""Generic fallback: a title line, then an abstract paragraph, repeated.

This is the shape of most copied reading lists once page furniture is gone:
either one line per title and one long line per abstract, or blank-line
separated blocks whose first line is the title and whose rest is wrapped prose,
or a newsletter's list with no blank line at all (title, a sentence or two, title...).

A newsletter's list in blocks (a title line, a summary of a sentence or two, a blank line,
and so on, often under a heading, sometimes numbered) shows its shape by repeating it: three
such blocks in a row make each block a paper, however short its summary ("DPO: RLHF without
the RL."), and a heading above it (one line) is none; a number ("1. ", "2) ") or an email's
bullet ("• ") is no part of a title, and lines of links or identifiers under a summary give
the paper's identifiers. What else repeats that shape (a chat log's names and messages, an article's or a
README's subheadings and their paragraphs, an FAQ) is told apart by its titles: a list's are
in Title Case or have a subtitle, are no questions, each appears once, none holds a clock
time, and most have four words or more (or a subtitle).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from paperdeck.core.models import Draft

from .identifiers import find_links, paper_url
from .textutil import (
    CLOCK_RE,
    attach_identifiers,
    dedupe,
    is_prose,
    is_title_like,
    letter_ratio,
    looks_like_abstract,
    looks_like_author_line,
    phrase_set,
    squash,
    title_cased,
    unwrap,
)

NAME = "title-paragraph"
LABEL = "titles each followed by an abstract paragraph"
LONG_LINE = 200  # lines this long are unwrapped paragraphs, not wrapped prose
SUMMARY_MIN = 40  # characters of the shortest summary of a paper packed in a block
SAMPLE = 200_000
LIST_MIN = 3  # blocks in a row that show a newsletter's list (title, a sentence or two)
LIST_SUMMARY_MAX = 400  # characters of a list block's summary: longer is an abstract
LIST_SUMMARY_LINES = 4  # lines of a list block's summary, wrapped in a narrow window

SECTION_HEADINGS = phrase_set(
    """
    introduction | overview | background | summary | abstract | conclusion | conclusions
    | results | methods | method | discussion | references | acknowledgements
    | acknowledgments | installation | usage | features | requirements | license
    | contributing | contents | changelog | faq | examples | getting started
    | related work | future work | table of contents | how it works | quick start
    | quickstart | news | citation
    """
)


def _paragraphs(lines: Iterable[str]) -> list[list[str]]:
    """Group non-blank lines into blank-line separated paragraphs."""
    out: list[list[str]] = [[]]
    for line in lines:
        s = line.strip()
        if s:
            out[-1].append(s)
        elif out[-1]:
            out.append([])
    return [p for p in out if p]


_SENTENCE_END = (".", "!", "?", ".)", '."', ".”")
# "standards. Also note that while": a sentence ends inside the line, so it is wrapped prose.
_SENTENCE_INSIDE = re.compile(r"[a-z]{2}[.!?]\s+[A-Z]")


def _opens_paragraph(line: str) -> bool:
    """A capital or a digit ("3D scenes ..."): how an abstract's first line starts."""
    return line[:1].isupper() or line[:1].isdigit()


def _papers_in_one_block(para: list[str]) -> list[list[str]]:
    """A block with no blank lines that holds several papers, title then abstract each:
    cut before each title-like line that follows a finished sentence and opens a prose
    paragraph. [] when that does not give two or more such papers (one wrapped abstract)."""
    cuts = [0] + [k for k in range(2, len(para) - 1)
                  if para[k - 1].endswith(_SENTENCE_END) and not para[k].endswith(_SENTENCE_END)
                  and is_title_like(para[k]) and _opens_paragraph(para[k + 1])]
    parts = [para[a:b] for a, b in zip(cuts, [*cuts[1:], len(para)], strict=True)]
    if _heading_above(parts[0], parts[1:]):  # (with no other part, no cut is made below)
        parts[0] = parts[0][1:]
    ok = len(parts) >= 2 and all(
        len(p) >= 2 and is_title_like(p[0]) and not _SENTENCE_INSIDE.search(p[0])
        and _packed_summary(unwrap(p[1:])) for p in parts)
    return parts if ok else []


def _packed_summary(text: str) -> bool:
    """A packed paper's summary: 40 characters or more of prose, in ten words or more, or in
    six or more that end a sentence ("LMs teach themselves to use external tools via simple
    APIs.", nine words)."""
    return is_prose(text, SUMMARY_MIN) or (
        len(text) >= SUMMARY_MIN and len(text.split()) >= 6 and text.endswith(_SENTENCE_END)
        and not text.endswith("?") and letter_ratio(text) >= 0.6)


def _heading_above(first: list[str], others: list[list[str]]) -> bool:
    """Is the first line of a packed list's first paper a heading (`Papers of the week`)?
    Each title of such a list is one line; where the others' titles are in Title Case
    and their summaries are not, a first paper whose second line is the Title Case one
    has a line above its title, if that line is not in Title Case itself or is short (a
    title of six words or more whose summary opens in Title Case stays as it is)."""
    return (len(first) >= 3 and is_title_like(first[1]) and not first[1].endswith(_SENTENCE_END)
            and title_cased(first[1]) and not title_cased(first[2])
            and (not title_cased(first[0]) or len(first[0].split()) <= 5)
            and all(title_cased(p[0]) and not title_cased(p[1]) for p in others))


# "1. Segment Anything", "2) Toolformer": a list's number, not part of the title.
_NUMBER_RE = re.compile(r"(\d{1,3})[.)]\s+(?=\S)")
# An entry's number or an email's bullet ("• Segment Anything"; "- " and "* " are Markdown's).
_MARKER_RE = re.compile(r"(?:\d{1,3}[.)]|[•◦▪‣·])\s+(?=\S)")
# A line with nothing but a link or an identifier ("arXiv:2305.18290", "Paper: https://..."):
# a list block's reference under its summary, read for identifiers, not kept as its abstract.
_REFERENCE_RE = re.compile(
    r"(?:[A-Za-z]{2,10}\s*:\s*)?(?:<?https?://\S+>?|\d{4}\.\d{4,5}(?:v\d+)?|10\.\d{4,9}/\S+)",
    re.IGNORECASE)
_QUOTES = "\"'“‘«("


@dataclass
class ListItem:
    """One block of a newsletter's list: its title (number or bullet dropped), summary, and
    the lines of links or identifiers under it."""

    title: str
    summary: str
    references: str = ""


def _list_item(para: list[str]) -> ListItem | None:
    """A block shaped as a list's entry: a title-like line, then a summary of a sentence or
    two (opening a paragraph, ending a sentence, not a question, not a list of names), then
    maybe lines of links or identifiers. None for any other block."""
    refs = len(para)
    while refs > 1 and _REFERENCE_RE.fullmatch(para[refs - 1]):
        refs -= 1
    body = para[1:refs]
    if not 1 <= len(body) <= LIST_SUMMARY_LINES or sum(map(len, body)) > 2 * LIST_SUMMARY_MAX:
        return None
    title = squash(_MARKER_RE.sub("", para[0], count=1))
    summary = unwrap(body)
    ok = (_accept_title(title) and len(summary) <= LIST_SUMMARY_MAX and len(summary.split()) >= 3
          and _opens_paragraph(summary.lstrip(_QUOTES)) and summary.endswith(_SENTENCE_END)
          and not summary.endswith("?") and letter_ratio(summary) >= 0.6
          and not looks_like_author_line(summary))
    return ListItem(title, summary, "\n".join(para[refs:])) if ok else None


def _paper_title(title: str) -> bool:
    """What most titles of a list of papers look like: a subtitle after a colon, or four
    words or more."""
    return ": " in title or len(title.split()) >= 4


def _listed_title(title: str) -> bool:
    """A list's entry is a paper if its title has a subtitle or is in Title Case ("Segment
    Anything"), and is no question (an FAQ's) nor an exclamation ("Thanks for reading!")."""
    return (": " in title or title_cased(title)) and not title.endswith(("?", "!"))


def _is_list(items: list[ListItem]) -> bool:
    """Do these entries of a run, those whose titles pass as papers', make a list of papers?
    Three or more, each title once, none with a clock time (a chat's "Ann Lee 10:32 AM"),
    most of them with a subtitle or four words or more (a chat's names are shorter)."""
    keys = {squash(re.sub(r"\d", "", i.title)).casefold() for i in items}
    return (len(items) >= LIST_MIN and len(keys) == len(items)
            and not any(CLOCK_RE.search(i.title) for i in items)
            and 2 * sum(_paper_title(i.title) for i in items) > len(items))


def _numbered_blocks(para: list[str]) -> list[list[str]]:
    """A block with no blank line whose entries are numbered (1., 2., 3. ...) split at each
    number; [para] when its lines hold no such numbering."""
    starts: list[int] = []
    expected = 0
    for k, line in enumerate(para):
        m = _NUMBER_RE.match(line)
        if m and (not starts or int(m.group(1)) == expected):
            starts.append(k)
            expected = int(m.group(1)) + 1
        elif m:
            return [para]
    if len(starts) < 2:
        return [para]
    cuts = [0, *starts] if starts[0] else starts
    return [para[a:b] for a, b in zip(cuts, [*cuts[1:], len(para)], strict=True)]


def _list_blocks(paragraphs: list[list[str]]) -> tuple[list[list[str]], dict[int, ListItem]]:
    """The blocks and the list's papers among them, by index. Blocks shaped as entries make a
    run (lines standing alone, such as a heading or a section's name, do not break it); the
    entries whose titles pass as papers' are the papers if they make a list (the others,
    such as a sign-off, are read as before). A block of numbered entries is split apart
    where that gives a list's papers, and left whole otherwise."""
    split = [_numbered_blocks(para) for para in paragraphs]
    blocks = [b for parts in split for b in parts]
    found: dict[int, ListItem] = {}
    run: dict[int, ListItem] = {}
    for k, block in enumerate([*blocks, ["", ""]]):
        if len(block) == 1:
            continue
        item = _list_item(block) if k < len(blocks) else None
        if item is not None:
            run[k] = item
            continue
        papers = {j: it for j, it in run.items() if _listed_title(it.title)}
        if _is_list(list(papers.values())):
            found.update(papers)
        run = {}
    out: list[list[str]] = []
    items: dict[int, ListItem] = {}
    k = 0  # the index in `blocks` of the paragraph's first part
    for para, parts in zip(paragraphs, split, strict=True):
        if len(parts) > 1 and not any(j in found for j in range(k, k + len(parts))):
            out.append(para)  # no paper in its parts: the block stays whole, as before
        else:
            for j in range(k, k + len(parts)):
                if j in found:
                    items[len(out)] = found[j]
                out.append(blocks[j])
        k += len(parts)
    return out, items


@dataclass
class Units:
    """A paste cut into title-or-paragraph units, with the evidence of a digest's shape:
    a block with no blank line that held several papers (`packed`; `cut`: the indices of
    their title units), and the list entries (`listed`: the indices of their title units,
    with any links under each summary). Each title there is followed by its summary."""

    units: list[str] = field(default_factory=list)
    packed: bool = False
    cut: set[int] = field(default_factory=set)
    listed: dict[int, str] = field(default_factory=dict)

    def papers(self) -> set[int]:
        """The indices of the titles whose next unit is their summary for sure."""
        return self.cut | self.listed.keys()


def units_of(lines: Iterable[str]) -> Units:
    """Split text into title-or-paragraph units, unwrapping wrapped prose; and note the
    layouts that show the digest's shape as two title + abstract pairs do: a block with no
    blank line that held several papers, and a newsletter's list of blocks."""
    out = Units()
    units = out.units
    blocks, items = _list_blocks(_paragraphs(lines))
    for k, para in enumerate(blocks):
        if k in items:
            out.listed[len(units)] = items[k].references
            units.extend((items[k].title, items[k].summary))
        elif len(para) == 1 or any(len(line) >= LONG_LINE for line in para):
            units.extend(para)
        elif papers := _papers_in_one_block(para):
            out.packed = True
            for title, *body in papers:
                out.cut.add(len(units))
                units.extend((title, unwrap(body)))
        elif (is_title_like(para[0]) and _opens_paragraph(para[1])
              and is_prose(rest := unwrap(para[1:]))):
            units.extend((para[0], rest))
        else:
            units.append(unwrap(para))
    return out


def pair_units(
    units: list[str],
    accept_abstract: Callable[[str], bool],
    accept_title: Callable[[str], bool] = is_title_like,
    listed: Collection[int] = (),
) -> list[tuple[str, str]]:
    """(title, abstract) for each title unit directly followed by an accepted abstract, and
    for each paper known (`listed`: the indices of their titles, each followed by its summary)."""
    pairs: list[tuple[str, str]] = []
    i, n = 0, len(units)
    while i < n - 1:
        title, body = units[i], units[i + 1]
        if i in listed:
            pairs.append((squash(title), body))
            i += 2
            continue
        if i + 1 in listed or not (accept_title(title) and accept_abstract(body)):
            i += 1
            continue
        parts = [body]
        j = i + 2
        # Further prose paragraphs belong to this abstract unless they start a new pair.
        while j < n and j not in listed and is_prose(units[j]) and not is_title_like(units[j]):
            parts.append(units[j])
            j += 1
        pairs.append((squash(title), "\n\n".join(parts)))
        i = j
    return pairs


def drafts_from_pairs(pairs: list[tuple[str, str]],
                      references: dict[tuple[str, str], str] | None = None) -> list[Draft]:
    """Drafts with identifiers and links taken from each pair's own text (and the lines of
    links or identifiers under it, `references`, by pair)."""
    drafts = []
    for title, abstract in pairs:
        d = Draft(title=title, abstract=abstract)
        refs = (references or {}).get((title, abstract), "")
        attach_identifiers(d, f"{title}\n{abstract}\n{refs}")
        d.url = paper_url(d.arxiv_id, d.doi)
        d.links = [link for link in find_links(f"{abstract}\n{refs}") if link != d.url]
        drafts.append(d)
    return drafts


def _accept_title(line: str) -> bool:
    """Titles, minus the section headings of READMEs and articles."""
    return is_title_like(line) and line.strip().lower().rstrip(":") not in SECTION_HEADINGS


def score(text: str) -> float:
    """Weak by design: every structured format should beat it."""
    u = units_of(text[:SAMPLE].split("\n"))
    # a list's entries are pairs whatever their summaries: three or more, so a list scores 0.3
    pairs = pair_units(u.units, looks_like_abstract, _accept_title, u.papers())
    if not pairs and not u.packed:
        return 0.0
    return 0.3 if len(pairs) >= 2 or u.packed else 0.2


def parse(text: str) -> list[Draft]:
    """Drafts for every title + abstract-like paragraph, and every entry of a newsletter's
    list. Once two pairs read as a title and an abstract (or two papers sit in one block with
    no blank line, or a list shows), the paste has shown its shape, and any title followed
    by a paragraph of prose is a paper too, even one whose abstract lacks the usual cues
    ("we propose"); where a list shows, only from its first paper on (above it are the
    email's heading and greeting, "Hi all, five papers this week...")."""
    u = units_of(text.split("\n"))
    known = u.papers()
    pairs = pair_units(u.units, looks_like_abstract, _accept_title, known)
    if len(pairs) >= 2 or u.packed:
        start = min(u.listed, default=0)
        shortest = SUMMARY_MIN if u.packed else 100  # a list of summaries: each is short
        pairs = pair_units(u.units[:start], looks_like_abstract, _accept_title, known) + pair_units(
            u.units[start:], lambda body: is_prose(body, shortest), _accept_title,
            {i - start for i in known if i >= start})
    references = {(u.units[i], u.units[i + 1]): refs for i, refs in u.listed.items() if refs}
    return dedupe(drafts_from_pairs(list(dict.fromkeys(pairs)), references))
