"""A text field's terms as Whoosh's analyzer makes them, each distinct word analysed once.

Whoosh passes every token of every paper through its chain of generators (fold, split,
stop words, stem, word pairs): ~4 µs a token, half of a rebuild. Every filter of our
text analyzers but the word pairs looks at one token alone, so what becomes of a word
depends on the word only, and a library's vocabulary is small next to its token count
(100,000 papers: ~15 million tokens, ~150,000 distinct words). `TermCounter` runs
Whoosh's own filters once per distinct word, remembers the outcome, and builds the pairs
and counts of a text with list and dict operations. The outcome must be what Whoosh's
`field.index` gives: tests/test_term_counts.py holds the two equal over generated papers
and hostile text, and a rebuild's segment is compared with Whoosh's own writer's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from whoosh.analysis import RegexTokenizer, StemFilter, StopFilter, Token
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.analysis.tokenizers import default_pattern

from .phrases import PAIR_MARK, PAIR_SEPARATOR, WordPairs
from .textnorm import WORD, Folded, fold

# Filters that map one token to one token or none, looking at nothing else (a filter not
# named here, or a subclass, makes the field go through Whoosh's own analysis).
PER_TOKEN_FILTERS = (StopFilter, StemFilter)
# Words remembered per chain of filters, for every writer of this process (an import in the
# window meets mostly words met before); forgotten past this many, to bound the memory.
MAX_WORDS = 500_000
_REMEMBERED: list[tuple[tuple, dict[str, str | None]]] = []


def _outcomes(filters: tuple) -> dict[str, str | None]:
    """The process's remembered outcomes of words through `filters` (equal chains share)."""
    for known, outcome in _REMEMBERED:
        if known == filters:
            return outcome
    outcome: dict[str, str | None] = {}
    _REMEMBERED.append((filters, outcome))
    return outcome


class TermCounter:
    """Term -> frequency and the field length (the sum of the frequencies, as Whoosh counts
    it) of texts analysed by one analyzer: folded words, per-token filters, then pairs."""

    def __init__(self, filters: tuple, pairs: bool) -> None:
        self._filters = filters
        self._pairs = pairs
        self._outcome = _outcomes(filters)  # word as split -> term, None if dropped

    @classmethod
    def for_analyzer(cls, analyzer) -> TermCounter | None:
        """A counter for `analyzer`, or None when it is not of the shape this knows:
        Folded(default RegexTokenizer), then per-token filters, then WordPairs or nothing."""
        items = list(analyzer.items) if isinstance(analyzer, CompositeAnalyzer) else [analyzer]
        tokenizer, filters = items[0], items[1:]
        pairs = bool(filters) and type(filters[-1]) is WordPairs
        if pairs:
            filters = filters[:-1]
        inner = getattr(tokenizer, "inner", None)
        if (type(tokenizer) is not Folded or type(inner) is not RegexTokenizer or inner.gaps
                or inner.expression.pattern != default_pattern.pattern
                or inner.expression.flags != default_pattern.flags
                or any(type(f) not in PER_TOKEN_FILTERS for f in filters)):
            return None
        return cls(tuple(filters), pairs)

    def _analyse(self, word: str) -> str | None:
        """What Whoosh's filters make of `word` alone: its term, or None when dropped."""
        token = Token(removestops=True, mode="index", boosts=True)
        token.text, token.boost, token.stopped = word, 1.0, False
        stream: Iterator[Token] = iter((token,))
        for f in self._filters:
            stream = f(stream)
        out = [t.text for t in stream if not t.stopped]
        if len(out) > 1 or token.boost != 1.0:
            raise ValueError(f"a filter of this analyzer is not one token in, one out: {word!r}")
        return out[0] if out else None

    def terms(self, text: str) -> list[str]:
        """The words of `text` as the index holds them, in order (no pairs)."""
        words = split_words(fold(text))
        outcome = self._outcome
        try:
            found = [outcome[w] for w in words]
        except KeyError:
            if len(outcome) > MAX_WORDS:
                outcome.clear()
            for w in words:
                if w not in outcome:
                    outcome[w] = self._analyse(w)
            found = [outcome[w] for w in words]
        if not self._filters:
            return found
        return [t for t in found if t is not None]

    def counts(self, text: str) -> tuple[Counter, int]:
        """(term -> frequency, field length) of `text`, pairs included."""
        terms = self.terms(text)
        counts = Counter(terms)
        if self._pairs and len(terms) > 1:
            head = PAIR_MARK
            sep = PAIR_SEPARATOR
            counts.update([f"{head}{a}{sep}{b}" for a, b in zip(terms, terms[1:], strict=False)])
            return counts, 2 * len(terms) - 1
        return counts, len(terms)


# ASCII characters that are not part of a word (RegexTokenizer's `[\w*]` and the dots
# between) become spaces, so str.split finds the words of plain-ASCII text
_NOT_WORD = str.maketrans({c: " " for c in map(chr, range(128))
                           if not (c.isalnum() or c in "_*.")})


def split_words(text: str) -> list[str]:
    """WORD.findall(text), three times faster for ASCII text (most abstracts): between
    spaces only a chunk holding a dot needs the regex (`e.g.`, `3.14`, `a..b`)."""
    if not text.isascii():
        return WORD.findall(text)
    chunks = text.translate(_NOT_WORD).split()
    if "." not in text:
        return chunks
    return [w for chunk in chunks
            for w in (WORD.findall(chunk) if "." in chunk else (chunk,))]


def counters(schema, fieldnames: Iterable[str]) -> dict[str, TermCounter]:
    """A TermCounter for each of `fieldnames` whose analyzer it knows (fields sharing an
    analyzer share one counter, and so its remembered words)."""
    out: dict[str, TermCounter] = {}
    by_analyzer: list[tuple[object, TermCounter]] = []
    for name in fieldnames:
        analyzer = getattr(schema[name], "analyzer", None)
        if analyzer is None:
            continue
        shared = next((c for a, c in by_analyzer if a == analyzer), None)
        if shared is None:
            shared = TermCounter.for_analyzer(analyzer)
            if shared is None:
                continue
            by_analyzer.append((analyzer, shared))
        out[name] = shared
    return out
