"""Generic fallback: a title line, then an abstract paragraph, repeated.

This is the shape of most copied reading lists once page furniture is gone:
either one line per title and one long line per abstract, or blank-line
separated blocks whose first line is the title and whose rest is wrapped prose,
or a newsletter's list with no blank line at all (title, a sentence or two, title...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from paperdeck.core.models import Draft

from .identifiers import find_links, paper_url
from .textutil import (
    attach_identifiers,
    dedupe,
    is_prose,
    is_title_like,
    looks_like_abstract,
    phrase_set,
    squash,
)

NAME = "title-paragraph"
LABEL = "titles each followed by an abstract paragraph"
LONG_LINE = 200  # lines this long are unwrapped paragraphs, not wrapped prose
SUMMARY_MIN = 40  # characters of the shortest summary of a paper packed in a block
SAMPLE = 200_000

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
    ok = len(parts) >= 2 and all(  # a summary of one sentence of ten words will do
        len(p) >= 2 and is_title_like(p[0]) and is_prose(squash(" ".join(p[1:])), SUMMARY_MIN)
        for p in parts)
    return parts if ok else []


def _title_cased(line: str) -> bool:
    """Most words of four letters or more capitalised, as titles are in many lists."""
    long = [w for w in line.split() if sum(c.isalpha() for c in w) >= 4]
    return len(long) >= 2 and sum(w[0].isupper() for w in long) >= 0.6 * len(long)


def _heading_above(first: list[str], others: list[list[str]]) -> bool:
    """Is the first line of a packed list's first paper a heading (`Papers of the week`)?
    Each title of such a list is one line; where the others' titles are in Title Case
    and their summaries are not, a first paper whose second line is the Title Case one
    has a line above its title, if that line is not in Title Case itself or is short (a
    title of six words or more whose summary opens in Title Case stays as it is)."""
    return (len(first) >= 3 and is_title_like(first[1]) and not first[1].endswith(_SENTENCE_END)
            and _title_cased(first[1]) and not _title_cased(first[2])
            and (not _title_cased(first[0]) or len(first[0].split()) <= 5)
            and all(_title_cased(p[0]) and not _title_cased(p[1]) for p in others))


def units_of(lines: Iterable[str]) -> tuple[list[str], bool]:
    """Split text into title-or-paragraph units, unwrapping wrapped prose; and whether a
    block with no blank line held several papers (that layout shows the digest's shape,
    as two title + abstract pairs do)."""
    units: list[str] = []
    packed = False
    for para in _paragraphs(lines):
        if len(para) == 1 or any(len(line) >= LONG_LINE for line in para):
            units.extend(para)
        elif papers := _papers_in_one_block(para):
            packed = True
            for title, *body in papers:
                units.extend((title, squash(" ".join(body))))
        elif (is_title_like(para[0]) and _opens_paragraph(para[1])
              and is_prose(rest := squash(" ".join(para[1:])))):
            units.extend((para[0], rest))
        else:
            units.append(squash(" ".join(para)))
    return units, packed


def pair_units(
    units: list[str],
    accept_abstract: Callable[[str], bool],
    accept_title: Callable[[str], bool] = is_title_like,
) -> list[tuple[str, str]]:
    """(title, abstract) for each title unit directly followed by an accepted abstract."""
    pairs: list[tuple[str, str]] = []
    i, n = 0, len(units)
    while i < n - 1:
        title, body = units[i], units[i + 1]
        if not (accept_title(title) and accept_abstract(body)):
            i += 1
            continue
        parts = [body]
        j = i + 2
        # Further prose paragraphs belong to this abstract unless they start a new pair.
        while j < n and is_prose(units[j]) and not is_title_like(units[j]):
            parts.append(units[j])
            j += 1
        pairs.append((squash(title), "\n\n".join(parts)))
        i = j
    return pairs


def drafts_from_pairs(pairs: list[tuple[str, str]]) -> list[Draft]:
    """Drafts with identifiers and links taken from each pair's own text."""
    drafts = []
    for title, abstract in pairs:
        d = Draft(title=title, abstract=abstract)
        attach_identifiers(d, f"{title}\n{abstract}")
        d.url = paper_url(d.arxiv_id, d.doi)
        d.links = [link for link in find_links(abstract) if link != d.url]
        drafts.append(d)
    return drafts


def _accept_title(line: str) -> bool:
    """Titles, minus the section headings of READMEs and articles."""
    return is_title_like(line) and line.strip().lower().rstrip(":") not in SECTION_HEADINGS


def score(text: str) -> float:
    """Weak by design: every structured format should beat it."""
    units, packed = units_of(text[:SAMPLE].split("\n"))
    pairs = pair_units(units, looks_like_abstract, _accept_title)
    if not pairs and not packed:
        return 0.0
    return 0.3 if len(pairs) >= 2 or packed else 0.2


def parse(text: str) -> list[Draft]:
    """Drafts for every title + abstract-like paragraph. Once two pairs read as a title and
    an abstract (or two papers sit in one block with no blank line), the paste has shown
    its shape, and any title followed by a paragraph of prose is a paper too, even one
    whose abstract lacks the usual cues ("we propose")."""
    units, packed = units_of(text.split("\n"))
    pairs = pair_units(units, looks_like_abstract, _accept_title)
    if len(pairs) >= 2 or packed:
        shortest = SUMMARY_MIN if packed else 100  # a list of summaries: each is short
        pairs = pair_units(units, lambda body: is_prose(body, shortest), _accept_title)
    return dedupe(drafts_from_pairs(list(dict.fromkeys(pairs))))
