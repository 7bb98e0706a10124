"""Quoted phrases without positions: the word pairs the index stores, and the query
rewriting that turns a phrase into them.

At index time each word is followed by the pair "previous-word word" (`WordPairs`), so
`"large language model"` is found as the pairs `larg languag` and `languag model`:
two term look-ups instead of checking every candidate's word positions. Pairs alone
would also find "...language model. Large language..." for a phrase of three words or
more, so those (`PairPhrase`) are checked against the stored text of their few
candidates (see `PhraseTexts`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from whoosh import query as wq
from whoosh.analysis import Filter, Token

# A pair term is PAIR_MARK + "word next". The mark sorts before any word, so the pairs
# sit together at the start of a field's lexicon: prefix and fuzzy expansion skip them.
PAIR_MARK = "\x01"
PAIR_SEPARATOR = " "
AFTER_PAIRS = chr(ord(PAIR_MARK) + 1)  # the lowest term that is not a pair


def pair(a: str, b: str) -> str:
    """The index term for word `a` followed by word `b`."""
    return PAIR_MARK + a + PAIR_SEPARATOR + b


class PairPhrase(wq.And):
    """The pairs of a phrase of three words or more: an And that also remembers the
    phrase, so its candidates can be checked against their text."""

    def __init__(self, subqueries, boost: float = 1.0, fieldname: str = "",
                 words: tuple[str, ...] = ()) -> None:
        super().__init__(subqueries, boost=boost)
        self.phrase_field = fieldname
        self.phrase_words = tuple(words)


def rewrite_phrases(q: wq.Query, paired: frozenset[str]) -> wq.Query:
    """Replace each `Phrase` by the word pairs it is made of, so no positions are needed
    (and keep a range open at its start from reaching the pairs).

    `"large language model"` in a paired field means both pairs `larg languag` and
    `languag model` occur (a PairPhrase: its candidates are then checked). A phrase
    with slop (`"a b"~3`) becomes its words ANDed.
    """
    if isinstance(q, wq.Phrase):
        words = [w for w in q.words if w]
        if not words:
            return wq.NullQuery
        if len(words) == 1:
            return wq.Term(q.fieldname, words[0], boost=q.boost)
        if q.slop <= 1 and q.fieldname in paired:
            parts = [wq.Term(q.fieldname, pair(a, b))
                     for a, b in zip(words, words[1:], strict=False)]
        else:
            parts = [wq.Term(q.fieldname, w) for w in words]
        if len(parts) == 1:
            return parts[0].with_boost(q.boost)
        if q.slop <= 1 and q.fieldname in paired:
            return PairPhrase(parts, q.boost, q.fieldname, tuple(words))
        return wq.And(parts, boost=q.boost)
    if isinstance(q, wq.TermRange) and q.fieldname in paired and (q.start or "") < AFTER_PAIRS:
        # `title:[TO b]` starts at the lexicon's start, where the pairs sit: start after them
        return wq.TermRange(q.fieldname, AFTER_PAIRS, q.end, False, q.endexcl, boost=q.boost,
                            constantscore=q.constantscore)
    return q.apply(lambda sub: rewrite_phrases(sub, paired))


def is_pair(word: str | bytes) -> bool:
    """True for a stored word pair (as str or as index bytes)."""
    return word[:1] in (PAIR_MARK, PAIR_MARK.encode())


class WordPairs(Filter):
    """At index time, after each word also emit its pair with the word before it.
    Queries are analysed without pairs (the phrase rewriting asks for them)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        prev = None
        for t in tokens:
            if t.mode != "index":
                yield t
                continue
            word = t.text
            yield t
            if prev is not None:
                t.text = pair(prev, word)  # tokens are reused objects
                yield t
                t.text = word
            prev = word


def without_fields(q: wq.Query, fields: frozenset[str]) -> wq.Query:
    """`q` with its terms on `fields` matching nothing (for Whoosh's own searcher, which
    knows nothing of facets)."""
    if not q.is_leaf():
        return q.apply(lambda sub: without_fields(sub, fields))
    return wq.NullQuery if getattr(q, "fieldname", None) in fields else q


class PhraseTexts(Protocol):
    """The stored text of papers, to check a phrase's candidates against."""

    def texts(self, field: str, paper_ids: list[int]) -> dict[int, str]:
        """Paper id -> the text of `field` as it was indexed."""
        ...


class Facets(Protocol):
    """Fields answered outside the index (tags, status: SQLite holds them, and they change
    in bulk). A facet term scores its query boost, like a filter that also ranks a bit."""

    fields: frozenset[str]

    def words(self, field: str) -> list[str]:
        """Every value the field has (for prefix, wildcard and fuzzy terms)."""
        ...

    def paper_ids(self, field: str, words: list[str]) -> list[int]:
        """Ids of the papers whose field has any of `words`."""
        ...
