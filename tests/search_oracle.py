"""A reference search to compare paperdeck's with: plain positional Whoosh.

The reference indexes the same stored papers with Whoosh's ordinary machinery: real
positions for phrases (no word pairs), tags and status as indexed fields (no SQLite
facets), and its answers come from Whoosh's standard `Searcher` (no array ranking).
It shares with paperdeck only what defines the language: the analyzers (textnorm),
the field boosts and the query text as `query.check` normalises it (colons,
punctuation, Unicode), and the stop-word rule (a property test checks that rule on
the reference alone). Its fuzzy terms are expanded here, from its own lexicon, with
an edit distance written here (a swap of two letters is one edit: the one documented
difference from Whoosh's Levenshtein `FuzzyTerm`). A phrase with slop (`"a b"~3`) is
its words ANDed, as README says.

Importable on its own so other comparisons (the SQLite fallback, say) can reuse it:
`Reference.build(papers, folder)`, `reference.ids(query)`, `papers_of(library)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from whoosh import index as windex
from whoosh import query as wq
from whoosh.analysis import CommaSeparatedTokenizer, IDTokenizer
from whoosh.fields import ID, NUMERIC, TEXT, Schema
from whoosh.lang.porter import stem
from whoosh.qparser import FuzzyTermPlugin, GtLtPlugin, MultifieldParser

from paperdeck.core.query import StopWordsPlugin, check
from paperdeck.core.search import DEFAULT_FIELDS, FIELD_BOOSTS, STEMMED_FIELDS
from paperdeck.core.textnorm import Folded, names_analyzer, text_analyzer

NAME_FIELDS = frozenset({"authors"})
WHOLE_FIELDS = frozenset({"arxiv", "doi", "tag", "status"})


@dataclass(frozen=True)
class RefPaper:
    """What a search can see of one paper."""

    id: int
    title: str
    abstract: str
    authors: list[str]
    notes: str
    year: int | None
    arxiv: str
    doi: str
    tags: list[str]
    status: str
    trashed: bool = False


def papers_of(library) -> list[RefPaper]:
    """Every paper of a `Library` (trash included, flagged), as stored."""
    ids = library.ids(view="all") + library.ids(view="trash")
    return [RefPaper(id=p.id, title=p.title, abstract=p.abstract, authors=list(p.authors),
                     notes=p.notes, year=p.year, arxiv=p.arxiv_id, doi=p.doi, tags=list(p.tags),
                     status=p.status, trashed=p.trashed_at is not None)
            for p in library.papers(ids)]


def reference_schema() -> Schema:
    whole = Folded(IDTokenizer())
    return Schema(
        id=ID(stored=True),
        title=TEXT(analyzer=text_analyzer(), phrase=True),
        abstract=TEXT(analyzer=text_analyzer(), phrase=True),
        notes=TEXT(analyzer=text_analyzer(), phrase=True),
        authors=TEXT(analyzer=names_analyzer(), phrase=True),
        arxiv=TEXT(analyzer=whole, phrase=False),
        doi=TEXT(analyzer=whole, phrase=False),
        tag=TEXT(analyzer=Folded(CommaSeparatedTokenizer()), phrase=False),
        status=TEXT(analyzer=whole, phrase=False),
        year=NUMERIC(int),
    )


def osa(a: str, b: str) -> int:
    """Optimal string alignment distance: insert, delete, replace, or swap neighbours."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def one_edit_away(word: str) -> set[str]:
    """`word` and every string that `osa` puts one edit from it (over a-z, 0-9)."""
    letters = "abcdefghijklmnopqrstuvwxyz0123456789"
    out = set()
    for i in range(len(word)):
        out.add(word[:i] + word[i + 1:])
        out.update(word[:i] + c + word[i + 1:] for c in letters)
        if i + 1 < len(word):
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2:])
    for i in range(len(word) + 1):
        out.update(word[:i] + c + word[i:] for c in letters)
    out.add(word)
    return out


class Reference:
    """A positional Whoosh index of the papers not in the trash."""

    def __init__(self, folder: Path) -> None:
        self.ix = windex.open_dir(str(folder))
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(list(DEFAULT_FIELDS), self.ix.schema,
                                       fieldboosts=FIELD_BOOSTS)
        self.parser.add_plugin(FuzzyTermPlugin())
        self.parser.add_plugin(GtLtPlugin())
        self.parser.add_plugin(StopWordsPlugin())
        self._ids = {d: int(f["id"]) for d, f in self.searcher.reader().iter_docs()}
        self._lexicon: dict[str, list[str]] = {}

    @classmethod
    def build(cls, papers: list[RefPaper], folder: Path) -> Reference:
        folder.mkdir(parents=True, exist_ok=True)
        writer = windex.create_in(str(folder), reference_schema()).writer(limitmb=128)
        for p in papers:
            if p.trashed:
                continue
            doc = {"id": str(p.id), "title": p.title, "abstract": p.abstract, "notes": p.notes,
                   "authors": "; ".join(p.authors), "status": p.status}
            if p.tags:
                doc["tag"] = ",".join(p.tags)
            for name, value in (("arxiv", p.arxiv), ("doi", p.doi)):
                if value.strip():
                    doc[name] = value
            if p.year is not None:
                doc["year"] = p.year
            writer.add_document(**doc)
        writer.commit()
        return cls(folder)

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()

    def query(self, text: str) -> wq.Query:
        return self._expand(self.parser.parse(check(text)))

    def ids(self, text: str) -> set[int]:
        q = self.query(text)
        return {self._ids[d] for d in q.docs(self.searcher)}

    # -- the documented rewrites ---------------------------------------------------------
    def _expand(self, q: wq.Query) -> wq.Query:
        if isinstance(q, wq.FuzzyTerm):
            words = self._similar(q.fieldname, q.text, q.maxdist, q.prefixlength)
            return wq.Or([wq.Term(q.fieldname, w, boost=q.boost) for w in words]) if words \
                else wq.NullQuery
        if isinstance(q, wq.Phrase) and q.slop > 1:
            return wq.And([wq.Term(q.fieldname, w) for w in q.words])
        return q.apply(self._expand) if not q.is_leaf() else q

    def _words(self, field: str) -> list[str]:
        if field not in self._lexicon:
            self._lexicon[field] = [t.decode() if isinstance(t, bytes) else t
                                    for t in self.searcher.lexicon(field)]
        return self._lexicon[field]

    def _similar(self, field: str, text: str, maxdist: int, prefix: int) -> list[str]:
        """Fuzzy, as README defines it: words of the field within `maxdist` edits (a swap
        is one); an identifier field (arxiv, doi) takes no typos. In a stemmed field
        the words are stems, and a stem also counts when a string one edit from the
        typed (stemmed) word stems to it."""
        if field in ("arxiv", "doi"):
            return [text]
        words = self._words(field)
        out = {w for w in words if w.startswith(text[:prefix]) and abs(len(w) - len(text))
               <= maxdist and osa(w, text) <= maxdist}
        if field in STEMMED_FIELDS:
            near = {stem(v) for v in one_edit_away(text) if v.startswith(text[:prefix])}
            out.update(w for w in words if w in near)
        return sorted(out)
