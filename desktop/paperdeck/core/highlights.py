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


def _similar(word: str, surface: str, text: str, maxdist: int, prefix: int,
             stemmed: bool) -> bool:
    """Does a fuzzy `text~maxdist` match this token? Its word as written, or its stem,
    within the allowed edits (a swap of two letters is one), or, in a stemmed field, a
    stem the index also reaches from `text` (see sqlite_search.stems_near)."""
    if prefix and not (word.startswith(text[:prefix]) or surface.startswith(text[:prefix])):
        return False
    if OSA.distance(surface, text, score_cutoff=maxdist) <= maxdist:
        return True
    if OSA.distance(word, text, score_cutoff=maxdist) <= maxdist:
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
    where = _original_offsets(text)
    tokens = [(t.text, t.pos, where(t.startchar), where(t.endchar - 1) + 1)
              for t in analyzer(text, positions=True, chars=True, mode="query")]
    from .search import STEMMED_FIELDS

    stemmed = fieldname in STEMMED_FIELDS
    words = want.words.get(fieldname, set())
    prefixes = tuple(want.prefixes.get(fieldname, ()))
    fuzzy = want.fuzzy.get(fieldname, [])
    found: list[Span] = []
    for word, _pos, start, end in tokens:
        surface = text[start:end].lower()
        if (word in words or (prefixes and word.startswith(prefixes))
                or any(_similar(word, surface, t, d, p, stemmed) for t, d, p in fuzzy)):
            found.append((start, end - start))
    for phrase in want.phrases.get(fieldname, ()):
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            run = tokens[i:i + n]
            if (all(tok[0] == w for tok, w in zip(run, phrase, strict=True))
                    and all(b[1] == a[1] + 1 for a, b in zip(run, run[1:], strict=False))):
                found.append((run[0][2], run[-1][3] - run[0][2]))
    return _merged(found)  # callers must not change it: it is cached


def _original_offsets(text: str):
    """Offset in the text an analyzer saw -> offset in `text`. An analyzer that folds
    Unicode first (textnorm.fold, where the tree has it: NFKC, accents dropped) reports
    offsets into the folded text, which can be longer ("…" is "...") or shorter."""
    try:
        from .textnorm import fold
    except ImportError:  # a tree whose analyzers see the text as it is
        fold = None
    if fold is None or text.isascii():
        return lambda i: min(i, len(text) - 1)
    table: list[int] = []
    for i, ch in enumerate(text):
        table.extend([i] * len(fold(ch)))
    if len(table) != len(fold(text)):  # folding joined characters: offsets stay as they are
        return lambda i: min(i, len(text) - 1)
    return lambda i: table[min(i, len(table) - 1)] if table else 0


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

    def shown(start: int) -> int:
        return sum(1 for s, n in found if start <= s and s + n <= start + width)

    best = max(sentences + near, key=lambda c: (shown(c), c == 0, c in sentences, -c))
    return 0 if shown(best) <= shown(0) else best


def _word_start(text: str, at: int) -> int:
    """The start of the word at or after `at` (so a passage never opens mid-word)."""
    if at == 0 or text[at - 1].isspace():
        return at
    space = text.find(" ", at)
    return space + 1 if space >= 0 else at
