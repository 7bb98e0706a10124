"""Papers as tf-idf vectors: the words, word pairs, authors and venue of each paper.

The for-you ranking, suggested tags and related papers (`foryou.py`) all compare
papers through these vectors. Plain numpy: the library's matrix is kept as three
arrays (row of each entry, term of each entry, weight), which is all a linear model
and a nearest-neighbour search over sparse rows need; scikit-learn and scipy would
add ~150 MB to a ~140 MB bundle for the same arithmetic (see README, dependencies).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

# Words that say nothing about a paper's subject: English function words and the
# phrases every abstract uses ("we propose a novel method ... results show").
_STOP_TEXT = """
a about above across after again against all almost along already also although always am
among an and another any are around as at be because been before being below between both but
by can could did do does doing done down due during each either else enough especially etc even
ever every few for from further furthermore had has have having he her here hers herself him
himself his how however i if in into is it its itself just least less like made make makes
many may me might more moreover most much must my neither no nor not now of off often on once one
only onto or other others otherwise our ours ourselves out over own per perhaps rather same several
she should show shown shows since so some such than that the their theirs them themselves then
there thereby therefore these they this those though three through thus to together too toward
towards two under until up upon us use used uses using very via was we well were what when where
whereas whether which while who whom whose why will with within without would yet you your
paper papers propose proposed proposes present presents introduce introduces novel new approach
approaches method methods result results work works demonstrate demonstrates significantly
significant existing based various different recent recently first second prior achieve achieves
achieving state-of-the-art art further key able need needs provide provides including include
includes given across find found obtain obtained study studies
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[a-z][a-z0-9]*(?:[-'][a-z0-9]+)*")
_CUT = re.compile(r"[.,;:!?()\[\]{}]")  # word pairs never span these
AUTHOR_PREFIX = "@"
CATEGORY_PREFIX = "cat:"
TITLE_WEIGHT = 2  # a title word counts as two abstract words


def stem(word: str) -> str:
    """Fold plain English plurals ("models" -> "model", "policies" -> "policy")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")):
        return word[:-1]
    return word


_KEPT: dict[str, str] = {}  # word as found -> the term it counts as ("" : not a term)


def _term(raw: str) -> str:
    word = raw.strip("'")
    term = "" if word in STOP_WORDS or len(word) < 3 or word.isdigit() else stem(word)
    if len(_KEPT) < 500_000:  # bounded: a library's vocabulary, not every typo ever seen
        _KEPT[raw] = term
    return term


def text_terms(text: str) -> list[str]:
    """Words (stemmed, stop words dropped) and pairs of neighbouring kept words."""
    out: list[str] = []
    kept = _KEPT
    for chunk in _CUT.split(text.lower()):
        prev = ""
        for raw in _WORD.findall(chunk):
            word = kept.get(raw)
            if word is None:
                word = _term(raw)
            if not word:
                prev = ""
                continue
            out.append(word)
            if prev:
                out.append(f"{prev} {word}")
            prev = word
    return out


def surname(name: str) -> str:
    """The family name as written last ("Ada Lovelace" -> "lovelace"); "Lovelace, A." too."""
    if "," in name:  # the surname before the comma, trimmed; else split() skips the spaces
        return name.split(",", 1)[0].strip().lower()
    parts = name.split()
    return parts[-1].lower() if parts else ""


def paper_terms(title: str, abstract: str, authors: Iterable[str] = (), venue: str = "",
                category: str = "") -> Counter[str]:
    """Every feature of one paper with its count."""
    counts: Counter[str] = Counter()
    for term in text_terms(title):
        counts[term] += TITLE_WEIGHT
    counts.update(text_terms(abstract))
    counts.update(text_terms(venue))
    for name in authors:
        key = surname(name)
        if key:
            counts[AUTHOR_PREFIX + key] += 1
    if category:
        counts[CATEGORY_PREFIX + category.strip().lower()] += 1
    return counts


def display_term(term: str) -> str:
    """How a reason names a feature: "world model", "Lovelace (author)", "cs.ro (category)"."""
    if term.startswith(AUTHOR_PREFIX):
        return f"{term[len(AUTHOR_PREFIX):].title()} (author)"
    if term.startswith(CATEGORY_PREFIX):
        return f"{term[len(CATEGORY_PREFIX):]} (category)"
    return term


class Vocabulary:
    """Term <-> column number; only grows, so cached rows stay valid."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.names: list[str] = []

    def encode(self, counts: Counter[str], *, grow: bool = True) -> tuple[np.ndarray, np.ndarray]:
        cols, vals = [], []
        for term, n in counts.items():
            col = self.ids.get(term)
            if col is None:
                if not grow:
                    continue
                col = self.ids[term] = len(self.names)
                self.names.append(term)
            cols.append(col)
            vals.append(n)
        order = np.argsort(np.asarray(cols, dtype=np.int64), kind="stable")
        return (np.asarray(cols, dtype=np.int32)[order], np.asarray(vals, dtype=np.float32)[order])


ROW_TYPE = np.int32  # 4 bytes an entry instead of 8: 12 million entries at 100,000 papers
COL_TYPE = np.int32
VAL_TYPE = np.float32


@dataclass
class Rows:
    """Sparse rows: entry k is (row[k], col[k]) = val[k]. Rows are l2-normalised tf-idf."""

    n: int
    row: np.ndarray
    col: np.ndarray
    val: np.ndarray

    def dot(self, w: np.ndarray) -> np.ndarray:
        """Each row times the dense vector `w` (rows are stored in order: sums of runs,
        twice as fast as a weighted bincount)."""
        if not self.n:
            return np.zeros(0, dtype=np.float64)
        starts = self.starts()
        if not len(self.val):
            return np.zeros(self.n)
        sums = np.add.reduceat(self.val * w[self.col], np.minimum(starts, len(self.val) - 1))
        sums[self._empty()] = 0.0  # an empty row "sums" its neighbour's first entry
        return sums

    def _empty(self) -> np.ndarray:
        cached = getattr(self, "_empty_rows", None)
        if cached is None:
            cached = self._empty_rows = np.diff(np.append(self.starts(), len(self.val))) == 0
        return cached

    def starts(self) -> np.ndarray:
        cached = getattr(self, "_starts", None)
        if cached is None:
            cached = self._starts = np.searchsorted(self.row, np.arange(self.n))
        return cached

    def t_dot(self, r: np.ndarray, width: int) -> np.ndarray:
        """The transpose times `r` (one value per row): a dense vector of `width` columns.
        After `by_columns(width)`, sums of runs over a column-ordered copy (3× faster)."""
        cols = getattr(self, "_by_columns", None)
        if cols is None or cols[0] != width or not len(self.val):
            return np.bincount(self.col, weights=self.val * r[self.row], minlength=width)
        _, rows, vals, starts, empty = cols
        sums = np.add.reduceat(vals * r[rows], starts)
        sums[empty] = 0.0
        return sums

    def by_columns(self, width: int) -> None:
        """Keep a column-ordered copy for repeated `t_dot` (training runs ~70 of them)."""
        order = np.argsort(self.col, kind="stable")
        bounds = np.searchsorted(self.col[order], np.arange(width + 1))
        self._by_columns = (width, self.row[order], self.val[order],
                            np.minimum(bounds[:-1], max(len(self.val) - 1, 0)),
                            bounds[1:] == bounds[:-1])

    def select(self, rows: np.ndarray) -> Rows:
        """The given rows (indices into this matrix), renumbered 0..len(rows)-1, read as
        ranges: the cost follows the rows taken, not the whole matrix."""
        rows = np.asarray(rows, dtype=np.int64)
        bounds = np.append(self.starts(), len(self.val))
        at = _ranges(bounds[rows], bounds[rows + 1])
        lens = bounds[rows + 1] - bounds[rows]
        new_row = np.repeat(np.arange(len(rows), dtype=ROW_TYPE), lens)
        return Rows(len(rows), new_row, self.col[at], self.val[at])

    def entries(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Columns and values of row `i` (rows are stored in order)."""
        lo, hi = np.searchsorted(self.row, [i, i + 1])
        return self.col[lo:hi], self.val[lo:hi]


def weigh(cols: list[np.ndarray], counts: list[np.ndarray], idf: np.ndarray) -> Rows:
    """Sublinear tf times idf, each row scaled to length 1."""
    n = len(cols)
    lengths = np.fromiter((len(c) for c in cols), dtype=np.int64, count=n)
    row = np.repeat(np.arange(n, dtype=ROW_TYPE), lengths)
    col = np.concatenate(cols).astype(COL_TYPE) if n else np.zeros(0, dtype=COL_TYPE)
    tf = np.concatenate(counts) if n else np.zeros(0, dtype=np.float32)
    idf32 = idf.astype(np.float32)  # float32 throughout: the peak memory of a build halves
    val = (np.log(np.maximum(tf, np.float32(1.0))) + np.float32(1.0)) * idf32[col] if n \
        else np.zeros(0, dtype=np.float32)
    keep = val > 0
    row, col, val = row[keep], col[keep], val[keep]
    norm = np.sqrt(np.bincount(row, weights=val * val, minlength=n))
    norm[norm == 0] = 1.0
    return Rows(n, row, col, (val / norm[row]).astype(VAL_TYPE))


def inverse_document_frequency(cols: list[np.ndarray], width: int, min_df: int = 2,
                               max_share: float = 0.5) -> np.ndarray:
    """Smoothed idf per column; 0 for terms in fewer than `min_df` papers (they tell
    nothing about another paper) or in more than `max_share` of them."""
    n = len(cols)
    if not n:
        return np.zeros(width)
    df = np.bincount(np.concatenate(cols).astype(np.int64), minlength=width).astype(np.float64)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    if n >= 50:  # a small library keeps every term: it has little else to go on
        idf[df < min_df] = 0.0
        idf[df > max(2.0, max_share * n)] = 0.0
    return idf


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The positions start..end-1 of every (start, end) pair, concatenated."""
    lens = ends - starts
    total = int(lens.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
    return offsets + np.arange(total)


def cosine_to(rows: Rows, q_cols: np.ndarray, q_vals: np.ndarray, width: int) -> np.ndarray:
    """Cosine similarity of one normalised sparse vector with every row."""
    dense = np.zeros(width, dtype=np.float64)
    dense[q_cols] = q_vals
    return rows.dot(dense)


class Postings:
    """The rows by column (an inverted index): a query touches only the entries of its
    own terms, not every entry of the matrix (10,000 papers: ~0.5 ms instead of 7)."""

    def __init__(self, rows: Rows, width: int) -> None:
        order = np.argsort(rows.col, kind="stable")
        self.n = rows.n
        self.row = rows.row[order]
        self.val = rows.val[order]
        self.ptr = np.searchsorted(rows.col[order], np.arange(width + 1))

    def cosine(self, q_cols: np.ndarray, q_vals: np.ndarray) -> np.ndarray:
        """Cosine similarity of one normalised sparse vector with every row."""
        known = q_cols < len(self.ptr) - 1
        q_cols, q_vals = q_cols[known], q_vals[known]
        starts, ends = self.ptr[q_cols], self.ptr[q_cols + 1]
        at = _ranges(starts, ends)
        if not len(at):
            return np.zeros(self.n)
        weights = self.val[at] * np.repeat(q_vals, ends - starts)
        return np.bincount(self.row[at], weights=weights, minlength=self.n)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def log_odds(p: float) -> float:
    return math.log(p / (1.0 - p))
