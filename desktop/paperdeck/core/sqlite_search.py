"""Answering a parsed query from SQLite alone, with the index's matching: the fallback
while the index is missing, being rebuilt, locked elsewhere or cannot be written.

Each leaf of the query is one lookup: text words, prefixes and phrases in the FTS5
table of index terms (text_mirror.py), typo-tolerant words against that table's
vocabulary (as the index expands them), years, arXiv ids and DOIs in the papers
table, tags and status through the same `Facets` the index uses. AND, OR and NOT
combine the sets, NOT against every paper outside the trash. No ranking: hits come
in queue order.
"""

from __future__ import annotations

import bisect
import fnmatch
from collections.abc import Callable

from whoosh import query as wq

from . import dense_search
from .dense_search import _similar
from .phrases import Facets
from .storage import Store, fetch_ids
from .text_mirror import FIELDS as TEXT_FIELDS
from .text_mirror import TABLE

ID_FIELDS = {"arxiv": "lower(arxiv_id)", "doi": "lower(doi)"}
QUEUE_ORDER = "priority DESC, position, id"


def stems_near(text: str, prefix: int, maxdist: int, words: list[str]) -> set[str]:
    """The stems among `words` that a fuzzy `text` also reaches in a stemmed field, as
    dense_search expands it: the stems of the strings one edit from `text`."""
    return set(dense_search.neighbour_stems(text, prefix)) & set(words)


def _fts_string(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class SqliteSearch:
    """Evaluates Whoosh query trees over SQLite (see the module docstring)."""

    def __init__(self, store: Store, facets: Facets | None, stemmed: frozenset[str],
                 year_of: Callable[[object], int]) -> None:
        self.store = store
        self.facets = facets
        self.stemmed = stemmed
        self._year_of = year_of  # the index's encoding of a year term -> the number
        self._vocab: dict[str, tuple[int, list[str]]] = {}  # field -> (last id read, words)
        self._ids: dict[str, tuple[int, dict[str, list[int]], list[str]]] = {}
        self._queue: tuple[int, list[int], set[int]] | None = None  # the papers outside the trash
        self._universe: set[int] = set()

    def search(self, q: wq.Query) -> list[int]:
        """Ids of the papers outside the trash matching `q`, in queue order."""
        gen = self.store.generation()
        if self._queue is None or self._queue[0] != gen:  # kept while someone types
            ordered = fetch_ids(self.store.read(), "SELECT id FROM papers "
                                f"WHERE trashed_at IS NULL ORDER BY {QUEUE_ORDER}")
            self._queue = (gen, ordered, set(ordered))
        _gen, ordered, self._universe = self._queue
        found = self.eval(q)
        return [i for i in ordered if i in found]

    # -- the tree --------------------------------------------------------------------
    def eval(self, q: wq.Query) -> set[int]:
        if isinstance(q, (wq.And, wq.Require)):
            out: set[int] | None = None
            for sub in q.children():
                part = self.eval(sub)
                out = part if out is None else out & part
                if not out:
                    return set()
            return out or set()
        if isinstance(q, (wq.Or, wq.DisjunctionMax)):
            out = set()
            for sub in q.children():
                out |= self.eval(sub)
            return out
        if isinstance(q, wq.Not):
            return self.universe() - self.eval(q.query)
        if isinstance(q, wq.AndNot):
            return self.eval(q.a) - self.eval(q.b)
        if isinstance(q, wq.AndMaybe):
            return self.eval(q.a)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return set()
        return self.leaf(q)

    def universe(self) -> set[int]:
        return self._universe

    def leaf(self, q: wq.Query) -> set[int]:
        field = getattr(q, "fieldname", None)
        if self.facets is not None and field in self.facets.fields:
            return self._facet(q)
        if field == "year":
            return self._year(q)
        if field in ID_FIELDS:
            return self._identifier(q)
        if field not in TEXT_FIELDS:
            if isinstance(q, wq.Every) and field in (None, "*"):
                return set(self.universe())
            return set()
        if isinstance(q, wq.Phrase):
            words = [w for w in q.words if w]
            if not words:
                return set()
            if q.slop > 1:  # the words anywhere in the field, as the index does
                return self._fts(field, "(" + " AND ".join(_fts_string(w) for w in words) + ")")
            return self._fts(field, _fts_string(" ".join(words)))
        if isinstance(q, wq.Term):
            return self._fts(field, _fts_string(str(q.text)))
        if isinstance(q, wq.FuzzyTerm):
            return self._words(field, self._similar_words(field, q))
        if isinstance(q, wq.Prefix):
            return self._fts(field, _fts_string(q.text) + " *") if q.text else self._every(field)
        if isinstance(q, wq.Wildcard):
            return self._words(field, [w for w in self._vocabulary(field)
                                       if fnmatch.fnmatchcase(w, q.text)])
        if isinstance(q, wq.Every):
            return self._every(field)
        if isinstance(q, wq.TermRange):  # `title:[a TO c]`: the stored words in that span
            return self._words(field, [w for w in self._vocabulary(field) if _in_range(w, q)])
        raise NotImplementedError(f"no SQLite answer for {type(q).__name__}")

    # -- leaves ----------------------------------------------------------------------
    def _fts(self, field: str, expr: str) -> set[int]:
        if "\x00" in expr:  # FTS5 reads a query up to a NUL; no stored word holds one
            return set()
        rows = self.store.read().execute(
            f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ?", [f"{{{field}}} : {expr}"])
        return {r[0] for r in rows} & self.universe()

    def _words(self, field: str, words: list[str]) -> set[int]:
        out: set[int] = set()
        for i in range(0, len(words), 200):  # FTS5 ORs them; keep each expression modest
            chunk = words[i:i + 200]
            if chunk:
                out |= self._fts(field, "(" + " OR ".join(_fts_string(w) for w in chunk) + ")")
        return out

    def _every(self, field: str) -> set[int]:
        rows = self.store.read().execute(f"SELECT rowid FROM {TABLE} WHERE {field} != ''")
        return {r[0] for r in rows} & self.universe()

    def _vocabulary(self, field: str) -> list[str]:
        """Every word stored for `field` (see text_mirror): read once, then only the new ones."""
        last, words = self._vocab.get(field, (0, []))
        rows = self.store.read().execute(
            "SELECT id, word FROM search_words WHERE id > ? AND +field = ? ORDER BY id",
            [last, field]).fetchall()  # `+field`: walk the new rowids, not the field's words
        if rows:
            words = words + [w for _i, w in rows]
            self._vocab[field] = (rows[-1][0], words)
        return words

    def _similar_words(self, field: str, q: wq.FuzzyTerm) -> list[str]:
        """The words a typo-tolerant term stands for, by the index's own rule (dense_search)."""
        words = self._vocabulary(field)
        found = set(_similar(q.text, words, q.maxdist, q.prefixlength))
        if field in self.stemmed:
            found.update(stems_near(q.text, q.prefixlength, q.maxdist, words))
        return sorted(found)

    def _facet(self, q: wq.Query) -> set[int]:
        from .dense_search import _facet_words

        field = q.fieldname
        if isinstance(q, wq.Term):
            text = q.text.decode() if isinstance(q.text, bytes) else str(q.text)
            words = [text]
        elif isinstance(q, wq.TermRange):  # `tag:[a TO c]`: the values in that span, not all
            words = [w for w in self.facets.words(field) if _in_range(w, q)]
        else:
            words = _facet_words(q, self.facets.words(field))
        if not words:
            return set()
        return set(self.facets.paper_ids(field, words)) & self.universe()

    def _year(self, q: wq.Query) -> set[int]:
        if isinstance(q, wq.Term):
            sql, params = "year = ?", [self._year_of(q.text)]
        elif isinstance(q, wq.NumericRange):
            clauses, params = ["year IS NOT NULL"], []
            if q.start is not None:
                clauses.append("year >" + ("" if q.startexcl else "=") + " ?")
                params.append(q.start)
            if q.end is not None:
                clauses.append("year <" + ("" if q.endexcl else "=") + " ?")
                params.append(q.end)
            sql = " AND ".join(clauses)
        elif isinstance(q, wq.Every):
            sql, params = "year IS NOT NULL", []
        else:
            return set()
        return set(fetch_ids(self.store.read(), f"SELECT id FROM papers WHERE {sql}", params)
                   ) & self.universe()

    def _identifier(self, q: wq.Query) -> set[int]:
        """arXiv ids and DOIs are whole values, lower-cased, as the index keeps them."""
        values, keys = self._id_values(q.fieldname)
        if isinstance(q, (wq.Term, wq.FuzzyTerm)):  # no typos in an identifier, as in the index
            chosen = [str(q.text)]
        elif isinstance(q, wq.Prefix):
            i = bisect.bisect_left(keys, q.text)
            chosen = []
            while i < len(keys) and keys[i].startswith(q.text):
                chosen.append(keys[i])
                i += 1
        elif isinstance(q, wq.Wildcard):
            chosen = [k for k in keys if fnmatch.fnmatchcase(k, q.text)]
        elif isinstance(q, wq.Every):
            chosen = keys
        elif isinstance(q, wq.TermRange):  # `arxiv:[2401 TO 2402]`: as text, as the index compares
            chosen = [k for k in keys if _in_range(k, q)]
        else:
            return set()
        return {pid for k in chosen for pid in values.get(k, ())} & self.universe()

    def _id_values(self, field: str) -> tuple[dict[str, list[int]], list[str]]:
        """Value -> paper ids of an identifier field, and its values sorted; read once per
        generation (an expression over every row per search would scan the table)."""
        gen = self.store.generation()
        cached = self._ids.get(field)
        if cached is None or cached[0] != gen:
            values: dict[str, list[int]] = {}
            for pid, value in self.store.read().execute(
                    f"SELECT id, {ID_FIELDS[field]} FROM papers WHERE {field_column(field)} != ''"):
                values.setdefault(value, []).append(pid)
            cached = self._ids[field] = (gen, values, sorted(values))
        return cached[1], cached[2]


def field_column(field: str) -> str:
    return {"arxiv": "arxiv_id", "doi": "doi"}[field]


def _in_range(word: str, q: wq.TermRange) -> bool:
    """Whether `word` lies in a term range as Whoosh compares terms (as text, by code point)."""
    if q.start is not None and (word < q.start or (q.startexcl and word == q.start)):
        return False
    return q.end is None or word < q.end or (word == q.end and not q.endexcl)
