"""Whoosh queries evaluated a segment at a time over numpy arrays.

Whoosh's own matchers score one posting at a time in Python: about 10 µs a hit, so a
word found in 70,000 of 100,000 papers took a second. Here a term's postings are read
a block at a time into arrays and a query becomes array arithmetic over all the
segment's documents: the same BM25F scores as Whoosh's default weighting, the same
documents, in milliseconds. Query types without a fast path (ranges, say) still run
through Whoosh's matcher, for that part of the query only.

Quoted phrases arrive already rewritten into word pairs (see `phrases`).
"""

from __future__ import annotations

import fnmatch
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from functools import lru_cache
from pickle import loads

import numpy as np
from rapidfuzz import process as rf_process
from rapidfuzz.distance import OSA
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.lang.porter import stem
from whoosh.util.numeric import _length_byte_cache

from .phrases import PAIR_MARK, Facets, PairPhrase, PhraseTexts, is_pair
from .textnorm import has_phrase

BM25_B, BM25_K1 = 0.75, 1.2  # whoosh.scoring.BM25F's defaults, which the index uses
PHRASE_CHECK_MAX = 1_000  # a phrase with more candidates in a segment keeps the pairs' answer
# A fuzzy expansion whose stem is only close to the typed word's stem (`atention~`:
# "atent" -> "agent", "latent") counts this much of one reached through the typed word.
FAR_STEM_WEIGHT = 0.1
WITNESS_DOCS = 20  # papers of a stem read to find a real word behind it (see word_weight)
POSTINGS_CACHE_BYTES = 24 * 1024 * 1024  # per segment; common words repeat while typing
_LENGTHS = np.array(list(_length_byte_cache), dtype=np.float64)

Dense = tuple[np.ndarray, np.ndarray]  # (matches: bool[n], scores: float64[n])


class _Segment:
    """What one (immutable) segment needs for dense evaluation, kept across searchers."""

    def __init__(self, leaf, paper_ids: np.ndarray) -> None:
        self.size = leaf.doc_count_all()
        self.paper_ids = paper_ids
        self._lengths: dict[str, np.ndarray] = {}
        self._words: dict[str, list[str]] = {}
        self._word_sets: dict[str, frozenset[str]] = {}
        self.witnessed: dict[tuple, bool] = {}  # (field, stem, words) -> a word is in a text
        self._postings: OrderedDict[tuple[str, bytes], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cached_bytes = 0

    def lengths(self, leaf, field: str) -> np.ndarray:
        """Each document's (quantised) length of `field`, as BM25 sees it."""
        out = self._lengths.get(field)
        if out is None:
            out = self._lengths[field] = _read_lengths(leaf, field, self.size)
        return out

    def similar_words(self, leaf, field: str, text: str, maxdist: int, prefix: int,
                      stemmed: bool) -> list[str]:
        """Words of `field` close to `text` (see _similar). In a stemmed field the words are
        stems and `text` is the typed word's stem, so a stem also matches when some word
        one edit from `text` stems to it: `manipulaiton~` finds "manipul" through
        "manipulation". Never a stem merely close to the typed word's start (that made
        `transformer~` find "than")."""
        words = self.words(leaf, field)
        found = set(_similar(text, words, maxdist, prefix))
        if stemmed:
            known = self._known(leaf, field)
            found.update(s for s in neighbour_stems(text, prefix) if s in known)
        return sorted(found)

    def _known(self, leaf, field: str) -> frozenset[str]:
        known = self._word_sets.get(field)
        if known is None:
            known = self._word_sets[field] = frozenset(self.words(leaf, field))
        return known

    def words(self, leaf, field: str) -> list[str]:
        words = self._words.get(field)
        if words is None:
            words = self._words[field] = _words_of(leaf, field)
        return words

    def postings(self, leaf, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        key = (field, btext)
        hit = self._postings.get(key)
        if hit is not None:
            self._postings.move_to_end(key)
            return hit
        hit = _read_postings(leaf, field, btext)
        size = hit[0].nbytes + hit[1].nbytes
        if size <= POSTINGS_CACHE_BYTES // 4:
            self._postings[key] = hit
            self._cached_bytes += size
            while self._cached_bytes > POSTINGS_CACHE_BYTES:
                _key, (d, w) = self._postings.popitem(last=False)
                self._cached_bytes -= d.nbytes + w.nbytes
        return hit


def _similar(text: str, words: list[str], maxdist: int, prefix: int) -> list[str]:
    """Words within `maxdist` edits of `text` (a swap of two neighbouring letters counts
    as one edit: typists swap letters), sharing its first `prefix` letters."""
    found = rf_process.extract(text, words, scorer=OSA.distance, score_cutoff=maxdist, limit=None)
    return [w for w, _dist, _i in found if w.startswith(text[:prefix])]


_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


@lru_cache(maxsize=256)
def neighbour_words(text: str, prefix: int = 0) -> dict[str, frozenset[str]]:
    """Every string one edit from `text` (a letter dropped, added, replaced, or two
    neighbours swapped) that keeps its first `prefix` letters, by its stem; about 700
    strings for a 12-letter word, a few ms, kept for the words typed last."""
    out = set()
    for i in range(prefix, len(text) + 1):
        head, tail = text[:i], text[i:]
        if tail:
            out.add(head + tail[1:])
            if len(tail) > 1:
                out.add(head + tail[1] + tail[0] + tail[2:])
        for c in _LETTERS:
            out.add(head + c + tail)
            if tail:
                out.add(head + c + tail[1:])
    by_stem: dict[str, set[str]] = {}
    for w in out:
        if w:
            by_stem.setdefault(stem(w), set()).add(w)
    return {k: frozenset(v) for k, v in by_stem.items()}


@lru_cache(maxsize=256)
def neighbour_stems(text: str, prefix: int = 0) -> frozenset[str]:
    """The stems of every string one edit from `text` (see neighbour_words); cached too,
    as highlighting asks once a word of each card."""
    return frozenset(neighbour_words(text, prefix))


def _facet_words(q, values: list[str]) -> list[str]:
    """The values a prefix, wildcard, fuzzy, range or every-query on a facet stands for."""
    if isinstance(q, wq.TermRange):
        return [v for v in values if _in_range(v, q)]
    if isinstance(q, wq.FuzzyTerm):
        return _similar(q.text, values, q.maxdist, q.prefixlength)
    if isinstance(q, wq.Prefix):
        return [v for v in values if v.startswith(q.text)]
    if isinstance(q, wq.Wildcard):
        return [v for v in values if fnmatch.fnmatchcase(v, q.text)]
    return list(values)


def _in_range(word: str, q: wq.TermRange) -> bool:
    """Whether `word` lies in a term range as Whoosh compares terms (UTF-8 bytes, which
    sort as code points do)."""
    if q.start is not None and (word < q.start or (q.startexcl and word == q.start)):
        return False
    return q.end is None or word < q.end or (word == q.end and not q.endexcl)


def _words_of(leaf, field: str) -> list[str]:
    """The single words of a field's lexicon (the word pairs sort before them). Asked only
    for a field of the index (`expanded` checks; `warm` passes paired fields)."""
    fieldobj = leaf.schema[field]
    out = []
    for name, btext in leaf.terms_from(field, chr(ord(PAIR_MARK) + 1).encode()):
        if name != field:
            break
        out.append(fieldobj.from_bytes(btext))
    return [w for w in out if isinstance(w, str)]


def paper_ids_of(leaf) -> list[int]:
    """The paper id of each document of a segment, from the `id` column."""
    count = leaf.doc_count_all()
    if not count:  # an empty index has no columns at all
        return []
    try:
        # Signed and float fields also store 64-bit columns ("Q"), of shifted values:
        # only the field's own definition says the bytes are the ids as they are.
        field = leaf.schema["id"]
        if (field.numtype, field.bits, field.signed) != (int, 64, False):
            raise ValueError(f"id is {field.numtype.__name__}, {field.bits} bits, signed {field.signed}")
        raw = leaf.column_reader("id", translate=False)
        data = bytes(raw._dbfile.get(raw._basepos, raw._count * 8))
        ids = np.zeros(count, np.int64)
        ids[: raw._count] = np.frombuffer(data, ">u8")[:count]
        return ids.tolist()
    except (AttributeError, ValueError):  # another column layout: the slow, public way
        return [int(v) for v in leaf.column_reader("id")]



def _read_lengths(leaf, field: str, size: int) -> np.ndarray:
    perdoc = getattr(leaf, "_perdoc", None)
    reader = None
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        reader = perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
    raw = None
    if reader is not None and all(hasattr(reader, a) for a in ("_dbfile", "_basepos", "_count")):
        try:
            raw = np.frombuffer(bytes(reader._dbfile.get(reader._basepos, reader._count)), np.uint8)
        except Exception:  # noqa: BLE001 - the slow, public way below
            raw = None
    if raw is None or len(raw) > size:
        return np.array([leaf.doc_field_length(d, field) or 0 for d in range(size)], np.float64)
    codes = np.zeros(size, np.uint8)
    codes[: len(raw)] = raw
    return _LENGTHS[codes]


def _read_postings(leaf, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, weights) of one term in one segment, read a block at a time."""
    if (field, btext) not in leaf:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    m = leaf.postings(field, btext)
    if type(m) is not W3LeafMatcher or m._byteids:
        ids, weights = [], []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
        return np.array(ids, np.int64), np.array(weights, np.float64)
    id_parts, weight_parts = [], []
    while True:
        raw = m._postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
        data = loads(zlib.decompress(raw) if m._compression else raw)
        deltas, weights = data[0], data[1]
        count = m._blocklength
        id_parts.append(np.cumsum(np.asarray(deltas, np.int64)))
        if weights is None:
            weight_parts.append(np.ones(count, np.float64))
        elif isinstance(weights, float):
            weight_parts.append(np.full(count, weights, np.float64))
        else:
            weight_parts.append(np.asarray(weights, np.float64))
        if m._lastblock:
            break
        m._next_block()
    # A block stores its ids as deltas, the first one from zero.
    return np.concatenate(id_parts), np.concatenate(weight_parts)


class DenseSearch:
    """Ranks a parsed query over a searcher's segments; segment data outlives searchers."""

    def __init__(self, paired: frozenset[str], stemmed: frozenset[str] = frozenset()) -> None:
        self.paired = paired
        self.stemmed = stemmed
        self._segments: dict[str, _Segment] = {}

    def search(self, searcher, q: wq.Query, facets: Facets | None = None,
               texts: PhraseTexts | None = None) -> tuple[list[int], list[float]] | None:
        """Paper ids and their scores, best first (ties in index order, as Whoosh orders
        them); None when the index is not made of plain segments we can read this way."""
        segments = self._segments_of(searcher)
        if segments is None:
            return None
        ids_parts, score_parts = [], []
        for sub, leaf, seg in segments:
            run = _Run(searcher, sub, leaf, seg, self.paired, facets, self.stemmed, texts)
            matches, scores = run.eval(q)
            matches &= run.live()
            found = np.flatnonzero(matches)
            ids_parts.append(seg.paper_ids[found])
            score_parts.append(scores[found])
        if not ids_parts:
            return [], []
        ids, scores = np.concatenate(ids_parts), np.concatenate(score_parts)
        order = np.argsort(-scores, kind="stable")
        return ids[order].tolist(), scores[order].tolist()

    def warm(self, searcher, fields: tuple[str, ...]) -> None:
        """Read what the first searches would otherwise wait for."""
        for _sub, leaf, seg in self._segments_of(searcher) or []:
            for field in fields:
                if field in leaf.schema and leaf.schema[field].scorable:
                    seg.lengths(leaf, field)
                if field in self.paired:
                    seg.words(leaf, field)

    def _segments_of(self, searcher) -> list[tuple] | None:
        out = []
        for sub, _offset in searcher.leaf_searchers():
            leaf = sub.reader()
            segment = leaf.segment() if hasattr(leaf, "segment") else None
            if segment is None:
                return None
            key = segment.segment_id()
            seg = self._segments.get(key)
            if seg is None:
                ids = np.asarray(paper_ids_of(leaf), np.int64)
                seg = self._segments[key] = _Segment(leaf, ids)
            out.append((sub, leaf, seg))
        if len(self._segments) > len(out):  # some were merged away: drop what they kept
            keep = {leaf.segment().segment_id() for _s, leaf, _g in out}
            self._segments = {k: v for k, v in self._segments.items() if k in keep}
        return out


class _Run:
    """One query over one segment."""

    def __init__(self, searcher, sub, leaf, seg: _Segment, paired: frozenset[str],
                 facets: Facets | None, stemmed: frozenset[str],
                 texts: PhraseTexts | None = None) -> None:
        self.searcher, self.sub, self.leaf, self.seg = searcher, sub, leaf, seg
        self.texts = texts
        self.paired = paired
        self.stemmed = stemmed
        self.facets = facets
        self.facet_fields = facets.fields if facets is not None else frozenset()
        self.n = seg.size

    def live(self) -> np.ndarray:
        alive = np.ones(self.n, bool)
        if self.leaf.has_deletions():
            perdoc = getattr(self.leaf, "_perdoc", None)
            if perdoc is not None and hasattr(perdoc, "deleted_docs"):
                gone = np.fromiter(perdoc.deleted_docs(), np.int64)
                alive[gone[gone < self.n]] = False
            else:
                alive[:] = False
                alive[np.fromiter(self.leaf.all_doc_ids(), np.int64)] = True
        return alive

    def empty(self) -> Dense:
        return np.zeros(self.n, bool), np.zeros(self.n, np.float64)

    def eval(self, q: wq.Query) -> Dense:
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text, q.boost)
        if isinstance(q, PairPhrase):
            return self.phrase(q)
        if isinstance(q, wq.And):
            return self._and((self.eval(s) for s in q.subqueries), q.boost)
        if isinstance(q, wq.Or) and not q.scale and q.minmatch in (0, 1):
            return self._or((self.eval(s) for s in q.subqueries), q.boost)
        if isinstance(q, wq.Not):
            inner, _ = self.eval(q.query)
            return ~inner, np.where(inner, 0.0, q.boost)
        if isinstance(q, wq.AndNot):
            (m, s), (drop, _) = self.eval(q.a), self.eval(q.b)
            return m & ~drop, s
        if isinstance(q, wq.AndMaybe):
            (m, s), (_, extra) = self.eval(q.a), self.eval(q.b)
            return m, np.where(m, s + extra, 0.0)
        if isinstance(q, wq.Require):
            (m, s), (need, _) = self.eval(q.a), self.eval(q.b)
            return m & need, np.where(need, s, 0.0)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return self.empty()
        if isinstance(q, wq.Every) and q.fieldname not in self.facet_fields:
            return self.every(q)
        if isinstance(q, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm, wq.Every)):
            return self.expanded(q)
        if isinstance(q, wq.TermRange) and q.fieldname in self.facet_fields:
            return self.expanded(q)  # `tag:[a TO c]`: the facet's values in that span
        return self.by_whoosh(q)

    # Parts come one at a time and are folded in place: a prefix like `c*` can stand for
    # thousands of words, and stacking their arrays would take gigabytes.
    def _and(self, parts: Iterable[Dense], boost: float) -> Dense:
        m = s = None
        for pm, ps in parts:
            if m is None:
                m, s = pm.copy(), ps.copy()
            else:
                m &= pm
                s += ps
        if m is None:
            return self.empty()
        s[~m] = 0.0
        return m, s * boost if boost != 1 else s

    def _or(self, parts: Iterable[Dense], boost: float) -> Dense:
        m, s = self.empty()
        for pm, ps in parts:
            m |= pm
            s += ps
        return m, s * boost if boost != 1 else s

    def phrase(self, q: PairPhrase) -> Dense:
        """A phrase of three words or more: the documents with all its pairs, each checked
        against its stored text (the pairs could sit in different places)."""
        m, s = self._and((self.eval(sub) for sub in q.subqueries), q.boost)
        found = np.flatnonzero(m)
        if self.texts is None or not len(found) or len(found) > PHRASE_CHECK_MAX:
            return m, s
        ids = self.seg.paper_ids[found].tolist()
        texts = self.texts.texts(q.phrase_field, ids)
        stemmed = q.phrase_field in self.stemmed
        for doc, pid in zip(found.tolist(), ids, strict=True):
            text = texts.get(pid)
            if text is not None and not has_phrase(text, q.phrase_words, stemmed):
                m[doc] = False
                s[doc] = 0.0
        return m, s

    def facet(self, field: str, words: list[str], boost: float) -> Dense:
        if not words or self.facets is None:
            return self.empty()
        m = np.isin(self.seg.paper_ids, self.facets.paper_ids(field, words))
        return m, np.where(m, boost, 0.0)

    def term(self, field: str, text, boost: float) -> Dense:
        if field in self.facet_fields:
            word = text.decode() if isinstance(text, bytes) else str(text)
            return self.facet(field, [word], boost)
        matches, scores = self.empty()
        self._add_term(field, text, boost, matches, scores)
        return matches, scores

    def _add_term(self, field: str, text, boost: float, matches: np.ndarray,
                  scores: np.ndarray) -> None:
        """Mark the term's documents in `matches` and add its BM25 score to `scores`."""
        if field not in self.leaf.schema:
            return
        btext = self.leaf.schema[field].to_bytes(text) if isinstance(text, str) else text
        docs, tf = self.seg.postings(self.leaf, field, btext)
        if not len(docs):
            return
        matches[docs] = True
        if not self.leaf.schema[field].scorable:
            scores[docs] += boost
            return
        idf = self.searcher.idf(field, btext)
        avgfl = self.searcher.avg_field_length(field) or 1
        fl = self.seg.lengths(self.leaf, field)[docs]
        norm = BM25_K1 * ((1 - BM25_B) + BM25_B * fl / avgfl)
        scores[docs] += boost * idf * (tf * (BM25_K1 + 1)) / (tf + norm)

    def expanded(self, q) -> Dense:
        """Prefix, wildcard and fuzzy terms: the words of this segment they stand for
        (never a stored word pair), each scored by BM25 and summed; a fuzzy term's stems
        weighted by how close their words are to the typed one (typo_weights)."""
        if q.fieldname in self.facet_fields:
            return self.facet(q.fieldname, _facet_words(q, self.facets.words(q.fieldname)),
                              q.boost)
        if q.fieldname not in self.leaf.schema:
            return self.empty()
        paired = q.fieldname in self.paired
        stemmed = q.fieldname in self.stemmed
        weights = None
        if isinstance(q, wq.FuzzyTerm) and not paired:  # an arXiv id or DOI: no typos
            words = [q.text]
        elif isinstance(q, wq.FuzzyTerm):
            words = self.seg.similar_words(self.leaf, q.fieldname, q.text, q.maxdist,
                                           q.prefixlength, stemmed)
            weights = self.typo_weights(q, words) if stemmed else None
        else:
            words = [w for w in q._btexts(self.leaf) if w and not (paired and is_pair(w))]
        matches, scores = self.empty()
        for i, w in enumerate(words):
            boost = q.boost * weights[i] if weights else q.boost
            self._add_term(q.fieldname, w, boost, matches, scores)
        return matches, scores

    def typo_weights(self, q: wq.FuzzyTerm, stems: list[str]) -> list[float] | None:
        """How much each stem a fuzzy term in a stemmed field stands for counts: fully when
        it is the typed word's stem or the stem of a real word of the text one edit from
        the typed word (`atention~` -> "attention" -> "attent"), FAR_STEM_WEIGHT when it is
        only close to the typed word's stem (`atention~` -> "atent" -> "agent", "latent":
        "agention" stems to "agent" too, but no paper says "agention"). None (all count
        fully) for a term built without the typed word or with no stored text to read."""
        typed = getattr(q, "typed", None)
        if not typed or stem(typed) != q.text or self.texts is None:
            return None
        near = neighbour_words(typed, q.prefixlength)
        return [1.0 if s == q.text or (s in near and self.occurs(q.fieldname, s, near[s]))
                else FAR_STEM_WEIGHT for s in stems]

    def occurs(self, field: str, stem_: str, words: frozenset[str]) -> bool:
        """True when one of `words` (all stemming to `stem_`) is in the text of one of the
        first WITNESS_DOCS papers holding `stem_`: a word of the text, not a string the
        stemmer happens to map there. A rare form of a common stem can be missed (it then
        counts as far), never a word that is not there."""
        key = (field, stem_, words)
        found = self.seg.witnessed.get(key)
        if found is None:
            btext = self.leaf.schema[field].to_bytes(stem_)
            docs, _tf = self.seg.postings(self.leaf, field, btext)
            ids = self.seg.paper_ids[docs[:WITNESS_DOCS]].tolist()
            texts = self.texts.texts(field, ids).values()
            found = any(has_phrase(t, (w,), stemmed=False) for t in texts for w in words)
            if len(self.seg.witnessed) > 4096:
                self.seg.witnessed.clear()
            self.seg.witnessed[key] = found
        return found

    def every(self, q) -> Dense:
        field = q.fieldname
        if not field or field == "*":
            return np.ones(self.n, bool), np.full(self.n, q.boost)
        if field not in self.leaf.schema:
            return self.empty()
        m = self.seg.lengths(self.leaf, field) > 0 if self.leaf.schema[field].scorable else (
            self.by_whoosh(q)[0])
        return m, np.where(m, q.boost, 0.0)

    def by_whoosh(self, q: wq.Query) -> Dense:
        """Any other query type: Whoosh's own matcher, for this part of the query only."""
        matches, scores = self.empty()
        field = q.field() if hasattr(q, "field") else None
        if field is not None and field not in self.leaf.schema:  # a field the index does not hold
            return matches, scores
        m = q.matcher(self.sub, self.sub.context())
        while m.is_active():
            d = m.id()
            matches[d] = True
            scores[d] = m.score()
            m.next()
        return matches, scores
