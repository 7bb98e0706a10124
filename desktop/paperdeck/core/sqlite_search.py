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

import fnmatch
import json
from collections.abc import Callable

from whoosh import query as wq

from .dense_search import STEM_CUT, STEM_MIN, _similar
from .phrases import Facets
from .storage import Store, fetch_ids
from .text_mirror import FIELDS as TEXT_FIELDS
from .text_mirror import TABLE

ID_FIELDS = {"arxiv": "lower(arxiv_id)", "doi": "lower(doi)"}
QUEUE_ORDER = "priority DESC, position, id"


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
        self._vocab: tuple[int, dict[str, list[str]]] = (-2, {})

    def search(self, q: wq.Query) -> list[int]:
        """Ids of the papers outside the trash matching `q`, in queue order."""
        self._universe: set[int] | None = None
        db = self.store.read()
        ordered = fetch_ids(db, f"SELECT id FROM papers WHERE trashed_at IS NULL ORDER BY {QUEUE_ORDER}")
        self._universe = set(ordered)
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
        assert self._universe is not None
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
        raise NotImplementedError(f"no SQLite answer for {type(q).__name__}")

    # -- leaves ----------------------------------------------------------------------
    def _fts(self, field: str, expr: str) -> set[int]:
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
        gen = self.store.generation()
        if self._vocab[0] != gen:
            self._vocab = (gen, {})
        words = self._vocab[1].get(field)
        if words is None:
            words = self._vocab[1][field] = [r[0] for r in self.store.read().execute(
                f"SELECT term FROM {TABLE}_vocab WHERE col = ?", [field])]
        return words

    def _similar_words(self, field: str, q: wq.FuzzyTerm) -> list[str]:
        """The words a typo-tolerant term stands for, as the index expands it."""
        words = self._vocabulary(field)
        found = set(_similar(q.text, words, q.maxdist, q.prefixlength))
        if field in self.stemmed:
            shortest = max(STEM_MIN, len(q.text) - STEM_CUT)
            shorter = [w for w in words if shortest <= len(w) < len(q.text)]
            for length in {len(w) for w in shorter}:
                group = [w for w in shorter if len(w) == length]
                found.update(_similar(q.text[:length], group, q.maxdist, q.prefixlength))
        return sorted(found)

    def _facet(self, q: wq.Query) -> set[int]:
        from .dense_search import _facet_words

        field = q.fieldname
        if isinstance(q, wq.Term):
            text = q.text.decode() if isinstance(q.text, bytes) else str(q.text)
            words = [text]
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
        column = ID_FIELDS[q.fieldname]
        db = self.store.read()
        if isinstance(q, wq.Term):
            sql, params = f"{column} = ?", [str(q.text)]
        elif isinstance(q, wq.FuzzyTerm):  # an arXiv id or DOI: no typos, as in the index
            sql, params = f"{column} = ?", [q.text]
        elif isinstance(q, (wq.Prefix, wq.Wildcard, wq.Every)):
            pattern = (q.text + "*") if isinstance(q, wq.Prefix) else getattr(q, "text", "*")
            values = [r[0] for r in db.execute(f"SELECT DISTINCT {column} FROM papers "
                                               f"WHERE {column} != ''")]
            chosen = [v for v in values if fnmatch.fnmatchcase(v, pattern)]
            sql, params = f"{column} IN (SELECT value FROM json_each(?))", [json.dumps(chosen)]
        else:
            return set()
        return set(fetch_ids(db, f"SELECT id FROM papers WHERE {sql}", params)) & self.universe()
