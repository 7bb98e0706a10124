"""What a search matched inside a paper's text, for highlighting and for choosing the
passage a card shows.

The query is parsed by the index's own parser and the text is analysed by the
field's own analyzer, so a word is marked exactly when the index would match it:
`robots` marks "robotic" (same stem), `"chain of thought"` marks that phrase and no
lone "of", `manipulaiton~` marks "manipulation". Words under NOT mark nothing.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import OSA
from whoosh import query as wq

from .errors import QueryError
from .textnorm import fold

Span = tuple[int, int]  # (start, length) in the text as given
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
PASSAGE_CHARS = 160  # about two lines of a card's abstract
LEAD_CHARS = 30  # words kept before a match when a passage cannot open at a sentence


@dataclass
class Wanted:
    """The positive leaves of a query, by field: what a text can be marked for."""

    words: dict[str, set[str]] = field(default_factory=dict)
    prefixes: dict[str, list[str]] = field(default_factory=dict)
    fuzzy: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)
    phrases: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any((self.words, self.prefixes, self.fuzzy, self.phrases))

    def words_of(self, fieldname: str) -> set[str]:
        """The plain words (stems) wanted in `fieldname`, phrase words included."""
        out = set(self.words.get(fieldname, ()))
        for phrase in self.phrases.get(fieldname, ()):
            out.update(phrase)
        return out

    def add(self, q: wq.Query) -> None:
        if isinstance(q, wq.Not):
            return
        if isinstance(q, wq.AndNot):
            self.add(q.a)
            return
        if isinstance(q, wq.FuzzyTerm):
            self.fuzzy.setdefault(q.fieldname, []).append((q.text, q.maxdist, q.prefixlength))
        elif isinstance(q, wq.Prefix):
            self.prefixes.setdefault(q.fieldname, []).append(q.text)
        elif isinstance(q, wq.Phrase):
            words = tuple(w for w in q.words if w)
            if len(words) == 1 or (words and q.slop > 1):
                self.words.setdefault(q.fieldname, set()).update(words)
            elif words:
                self.phrases.setdefault(q.fieldname, []).append(words)
        elif isinstance(q, wq.Term) and isinstance(q.text, str):
            self.words.setdefault(q.fieldname, set()).add(q.text)
        elif q.is_leaf():
            return
        for sub in q.children():
            self.add(sub)


@lru_cache(maxsize=1)
def _index():
    """A SearchIndex used only for its parser and analyzers (it opens nothing)."""
    from .search import SearchIndex

    return SearchIndex(Path("<highlights>"))


@lru_cache(maxsize=64)
def wanted(query: str) -> Wanted:
    """What `query` looks for; nothing for a malformed or empty query."""
    out = Wanted()
    if not (query or "").strip():
        return out
    with contextlib.suppress(QueryError):
        out.add(_index().parse(query))
    return out


def _similar(word: str, text: str, maxdist: int, prefix: int, stemmed: bool) -> bool:
    """Does a fuzzy `text~maxdist/prefix` match this token, by the index's own rule
    (dense_search._similar, sqlite_search.stems_near)? Its stem within the allowed edits
    (a swap of two letters is one) keeping the first `prefix` letters, or, in a stemmed
    field, the stem of a string one edit from `text`. Not the word as written: the index
    holds stems only, so "Robotic" is no match for `robotika~2` ("robot" is 3 edits away)."""
    if word.startswith(text[:prefix]) and OSA.distance(word, text, score_cutoff=maxdist) <= maxdist:
        return True
    return stemmed and word in _stems_near(text, prefix, maxdist, word)


def _stems_near(text: str, prefix: int, maxdist: int, word: str) -> set[str]:
    from .sqlite_search import stems_near

    return stems_near(text, prefix, maxdist, [word])


@lru_cache(maxsize=1024)  # cards repaint on every hover; the visible ones repeat
def spans(query: str, fieldname: str, text: str) -> list[Span]:
    """(start, length) of each stretch of `text` the query matches in `fieldname`: a word,
    or a whole phrase from its first word to its last. Sorted, not overlapping."""
    want = wanted(query)
    if not want or not text:
        return []
    ix = _index()
    if fieldname not in ix.schema:
        return []
    analyzer = ix.schema[fieldname].analyzer
    # stop words are dropped with their positions renumbered: neighbours in this list are
    # neighbours to the index's phrases (its word pairs come from the same analyzer)
    tokens = [(t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True, mode="query")]
    offsets = _original_offsets(text)
    if offsets:
        first, last = offsets
        tokens = [(w, first[a], last[b - 1] + 1) for w, a, b in tokens]
    from .search import STEMMED_FIELDS

    stemmed = fieldname in STEMMED_FIELDS
    words = want.words.get(fieldname, set())
    prefixes = tuple(want.prefixes.get(fieldname, ()))
    fuzzy = want.fuzzy.get(fieldname, [])
    found: list[Span] = []
    for word, start, end in tokens:
        if (word in words or (prefixes and word.startswith(prefixes))
                or any(_similar(word, t, d, p, stemmed) for t, d, p in fuzzy)):
            found.append((start, end - start))
    for phrase in want.phrases.get(fieldname, ()):
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            run = tokens[i:i + n]
            if all(tok[0] == w for tok, w in zip(run, phrase, strict=True)):
                found.append((run[0][1], run[-1][2] - run[0][1]))
    return _merged(found)  # callers must not change it: it is cached


_CHUNKS = re.compile(r"\s+|\S+")  # folding never joins a character across a space


def _original_offsets(text: str) -> tuple[list[int], list[int]] | None:
    """For each offset in the text an analyzer saw, fold(text) (textnorm.fold: NFKC,
    accents dropped), the first and the last character of `text` it comes from: the
    folded text can be longer ("…" is "...") or shorter (decomposed Hangul jamo compose
    to one syllable). None for ASCII text, which folds to itself."""
    if text.isascii():
        return None
    first: list[int] = []
    last: list[int] = []
    pos = 0
    for chunk in _CHUNKS.findall(text):
        sizes = [len(fold(ch)) for ch in chunk]
        if sum(sizes) != len(fold(chunk)):  # characters compose: measure by prefixes
            sizes = [len(fold(chunk[:j + 1])) - len(fold(chunk[:j])) for j in range(len(chunk))]
        for j, n in enumerate(sizes):
            if n:
                first.extend([pos + j] * n)
                last.extend([pos + j] * n)
            elif last:  # folded into the character before: it ends here
                last[-1] = pos + j
        pos += len(chunk)
    return first, last


def _merged(found: list[Span]) -> list[Span]:
    out: list[Span] = []
    for start, length in sorted(found):
        if out and start <= out[-1][0] + out[-1][1]:
            prev_start, prev_len = out[-1]
            out[-1] = (prev_start, max(prev_len, start + length - prev_start))
        else:
            out.append((start, length))
    return out


def passage_start(query: str, fieldname: str, text: str, width: int = PASSAGE_CHARS) -> int:
    """Where a short view of `text` (about `width` characters: a card's lines) should start
    so that it shows what matched: the start that puts the most matched stretches within
    `width`, a sentence's start if one does as well, else a few words before a match.
    0 when the opening already shows as many, or nothing matched."""
    found = spans(query, fieldname, text)
    if not found:
        return 0
    sentences = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
    near = [_word_start(text, max(0, s - LEAD_CHARS)) for s, _n in found]
    # the earliest start that still shows each match: the most that any start shows, one
    # of these shows (the best view's last match is in view from its own candidate on)
    last = [_word_start(text, max(0, s + n - width)) for s, n in found]

    def shown(start: int) -> int:
        return sum(1 for s, n in found if start <= s and s + n <= start + width)

    # the most shown; then a sentence's start; then a few words before a match; then the
    # earliest: 0 unless a later start shows more
    return max(sentences + near + last, key=lambda c: (shown(c), c in sentences, c in near, -c))


def _word_start(text: str, at: int) -> int:
    """The start of the word at or after `at` (so a passage never opens mid-word)."""
    if at == 0 or text[at - 1].isspace():
        return at
    space = text.find(" ", at)
    return space + 1 if space >= 0 else at
