"""The array ranker (dense_search) case by case, against plain Whoosh.

One small library is built once through the core's own path (add in several batches,
so the index has several segments; an edit, so a segment has a deletion; tags, status,
notes, a paper in the trash). Two oracles check it: hit sets against search_oracle's
positional Whoosh index, which indexes tags and status as ordinary fields; scores
against Whoosh's own searcher over the very same index (facet terms removed, as they
are not in it). Every answer must come from the array ranker, not from its fallback.
"""

from __future__ import annotations

import pytest
from rapidfuzz.distance import OSA
from whoosh import query as wq
from whoosh.lang.porter import stem

from paperdeck.core import dense_search
from paperdeck.core.dense_search import FAR_STEM_WEIGHT
from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from paperdeck.core.phrases import is_pair, rewrite_phrases, without_fields
from paperdeck.core.search import (
    DEFAULT_FIELDS,
    FACET_FIELDS,
    FIELD_BOOSTS,
    PAIRED_FIELDS,
    IndexDoc,
    SearchIndex,
)
from search_oracle import Reference, one_edit_away, osa, papers_of

FIRST = [
    Draft(title="Robot arms grasp objects", abstract="Robot arms learn to grasp cups and tools.",
          authors=["Ann Lee", "Bo Chen"], year=2019, arxiv_id="1901.00001"),
    Draft(title="Chain of thought prompting", abstract="A chain of thought helps language models.",
          authors=["Cy Dee"], year=2022, doi="10.1000/cot.1"),
    Draft(title="Language model agents", abstract="Agents built from a language model act.",
          authors=["Dana Eve"], year=2023, arxiv_id="2301.00002"),
    Draft(title="Attention is what robots need", abstract="Attention for robot manipulation.",
          authors=["Ed Fox", "Ann Lee"], year=2017),
]
SECOND = [
    Draft(title="Zebra crossings for robots", abstract="Robots cross roads at zebra crossings.",
          authors=["Fay Gu"], year=2020, doi="10.1000/zebra.2"),
    Draft(title="Planning with world models", abstract="World models help planning and robot control.",
          authors=["Gil Ho"], year=2021, arxiv_id="2101.00003"),
    Draft(title="Thought experiments on agents", abstract="Thought and chain and agents, apart.",
          authors=["Hal Ito"], year=2018),
]
THIRD = [
    Draft(title="Quokka sightings", abstract="Small marsupials, no robots at all.",
          authors=["Ivy Jo"], year=2015),
    Draft(title="Serendipity", abstract="", authors=["Jo Ky"], year=2014),  # a one-word field
    Draft(title="Trashed robot paper", abstract="trashedonlyword robot", year=2016),
]
TAGS = {0: ["agents", "robotics"], 1: ["cot"], 2: ["agents"], 3: ["robotics", "vision"],
        4: ["zoo"], 5: ["planning", "robotics"], 7: ["zoo", "marsupials"]}
STATUS = {0: "read", 2: "reading", 4: "archived", 6: "reading"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("dense-cases")
    library = Library.open(root / "library", backup=False)
    ids = []
    for batch in (FIRST, SECOND, THIRD):
        ids += library.add(batch, raw_text="cases", fmt="test")
        library.ids("warm")  # the index catches up: one segment per batch
    library.update(ids[1], notes="Robots think in chains; notes about language.")
    for i, tags in TAGS.items():
        library.add_tags([ids[i]], tags)
    for i, status in STATUS.items():
        library.set_status([ids[i]], status)
    library.trash([ids[-1]])
    library.ids("warm")
    reference = Reference.build(papers_of(library), root / "reference")
    yield library, reference, ids
    reference.close()
    library.close()


def _answer(library, text: str) -> set[int]:
    index = library.index.index
    before = index.fast_path_failures
    got = set(library.ids(text))
    assert index.fast_path_failures == before, f"{text}: the array ranker failed"
    return got


def test_the_index_has_several_segments_and_a_deletion(world):
    library, _reference, _ids = world
    searcher = library.index.index._get_searcher()
    leaves = [sub.reader() for sub, _offset in searcher.leaf_searchers()]
    assert len(leaves) > 1
    assert any(leaf.has_deletions() for leaf in leaves)


TAG_RANGES = [
    "tag:[a TO c]", "tag:[a TO cot]", "tag:[a TO cot}", "tag:{agents TO robotics]",
    "tag:{agents TO robotics}", "tag:[r TO]", "tag:[TO b]", "tag:[q TO s]", "tag:[x TO y]",
    "tag:[zoo TO zoo]", "tag:{zoo TO zzz]", "tag:[agents TO b]", "tag:[cot TO cot2]", "robot tag:[p TO s]",
    "tag:[a TO c] OR zebra", "robot NOT tag:[r TO s]",
]


@pytest.mark.parametrize("text", TAG_RANGES)
def test_a_range_over_tags_or_status_answers_as_whoosh_indexing_them(world, text):
    """Tags are not in the index: a range over them must read SQLite's values, as a
    term, prefix or typo on them does (it used to find nothing). (A status is one of
    four words; query.check refuses a range there.)"""
    library, reference, _ids = world
    want = reference.ids(text)
    assert _answer(library, text) == want


WORDS = [
    # words, fields, operators: hits and scores as Whoosh's own searcher gives them
    "robot", "robots arms", "title:robot", "notes:language", "authors:lee", "robot OR zebra",
    "robot AND attention", "robot NOT zebra", "NOT robot", "robot ANDNOT chain",
    "robot ANDMAYBE zebra", "zebra ANDMAYBE robot", "robot REQUIRE chain", "chain REQUIRE robot",
    "(robot OR arms)^3", "(robot AND arms)^2", "robot^2 zebra^0.5", "(robot OR arms) AND NOT zebra",
    # phrases, prefixes, wildcards, every word of a field, word ranges, years, identifiers
    '"chain of thought"', '"language model agents"', '"robot arms grasp"', '"thought chain"~3',
    "title:rob*", "title:z*", "abstract:r?bot*", "notes:*", "title:*", "NOT notes:*", "*:*",
    "abstract:*", "NOT abstract:*",
    "title:[a TO c]", "title:{chain TO robot]", "abstract:[x TO]", "year:[2018 TO 2021]",
    "year:>2020 robot", "arxiv:2301.00002", "arxiv:2*", "doi:*", "NOT doi:*", "arxiv:[2 TO 21]",
    "zzzz", "zzzz OR robot", "NOT zzzz",
]


def _whoosh_scores(library, text: str) -> dict[int, float]:
    """Whoosh's own searcher over the same index: the query as the index parses it,
    facet terms removed (Whoosh knows nothing of them)."""
    index = library.index.index
    searcher = index._get_searcher()
    q = without_fields(rewrite_phrases(index.parse(text), PAIRED_FIELDS), FACET_FIELDS)
    ids = index._ids_by_docnum(searcher)
    return {ids[d]: score for score, d in searcher.search(q, limit=None).top_n}


@pytest.mark.parametrize("text", WORDS)
def test_hits_and_scores_are_whooshs(world, text):
    library, reference, _ids = world
    index = library.index.index
    got = _answer(library, text)
    assert got == reference.ids(text)
    live = set(library.ids(view="all"))
    # Whoosh's NOT also yields documents deleted from a segment: only live papers count
    whoosh = {p: s for p, s in _whoosh_scores(library, text).items() if p in live}
    assert got == set(whoosh)
    scored = [(p, s) for p, s in index.scored(text) if p in live]
    assert len(scored) == len({p for p, _ in scored})  # an updated paper is found once
    assert dict(scored) == pytest.approx(whoosh, rel=1e-9)
    values = [s for _p, s in scored]
    assert values == sorted(values, reverse=True)  # best first


FACETED = ["robotics", "agents robot", "rob*", "r?bot*", "*", "(robot OR agents)^3",
           "(robot OR agents) AND NOT zebra", "tag:zoo", "tag:zo*", "tag:z?o", "tag:robtoics~",
           "tag:* NOT tag:zoo", "status:reading", "NOT status:reading", "tag:[a TO c] tag:robotics"]


@pytest.mark.parametrize("text", FACETED)
def test_tag_and_status_terms_inside_a_search_find_what_whoosh_indexing_them_finds(world, text):
    library, reference, _ids = world
    assert _answer(library, text) == reference.ids(text)


@pytest.mark.parametrize("text, boost", [("tag:zoo", 1.0), ("tag:zoo^2", 2.0), ("tag:z*^3", 3.0),
                                         ("tag:zo?", 1.0), ("tag:zooo~", 1.0),
                                         ("status:reading", 1.0), ("tag:[y TO zz]^4", 4.0)])
def test_a_tag_or_status_term_scores_its_boost(world, text, boost):
    """README: a facet term scores its query boost, like a filter that also ranks a bit."""
    library, reference, _ids = world
    live = set(library.ids(view="all"))
    scored = {p: s for p, s in library.index.index.scored(text) if p in live}
    assert scored == {p: boost for p in reference.ids(text.rsplit("^", 1)[0])}


class _Texts:
    """The stored text of the papers of a bare SearchIndex (a Library reads SQLite's)."""

    def __init__(self, docs: list[IndexDoc]) -> None:
        self.docs = {d.id: d for d in docs}

    def texts(self, field: str, paper_ids: list[int]) -> dict[int, str]:
        return {pid: getattr(self.docs[pid], field) for pid in paper_ids}


def _bare_index(folder, titles: list[str]) -> SearchIndex:
    docs = [IndexDoc(id=i, title=t, abstract="", authors="", notes="", year=None, arxiv_id="",
                     doi="") for i, t in enumerate(titles)]
    ix = SearchIndex(folder)
    ix.rebuild(docs, len(docs), "lib", 1)
    ix.texts = _Texts(docs)
    return ix


def test_a_phrase_is_checked_up_to_1000_candidates_in_a_segment(tmp_path):
    """README: a phrase of three words or more with more than 1,000 candidates in a
    segment keeps the word pairs' answer (checking each text would take too long); up to
    1,000 each candidate's text is read."""
    titles = ["alpha beta omega beta gamma plus beta delta"] * 1000 + ["alpha beta omega beta delta"]
    ix = _bare_index(tmp_path / "index", titles)
    try:
        assert ix.search('"alpha beta gamma"') == []  # 1,000 candidates: none has it
        assert len(ix.search('"alpha beta delta"')) == 1001  # 1,001: the pairs' answer
        assert ix.search('"omega beta gamma"') == list(range(1000))  # checked: really there
    finally:
        ix.close()


@pytest.mark.parametrize("first_real, weight", [(19, 1.0), (20, FAR_STEM_WEIGHT)])
def test_a_stem_counts_fully_when_its_first_20_papers_show_a_real_word(tmp_path, first_real,
                                                                      weight):
    """README: whether a stem close to a typo's stem comes from a real word of the text is
    read from the first 20 papers with that stem. `atention~` reaches "attent"; papers
    saying "attentive" (stem "attent", two edits from the typo) are no witness, a paper
    saying "attention" (one edit) is one, if it is among the first 20."""
    titles = ["attentive readers"] * first_real + ["attention readers"] * 3
    ix = _bare_index(tmp_path / "index", titles)
    try:
        searcher = ix._get_searcher()
        term = wq.Term("title", "attent", boost=FIELD_BOOSTS["title"])
        ids = ix._ids_by_docnum(searcher)
        whoosh = {ids[d]: s * weight for s, d in searcher.search(term, limit=None).top_n}
        assert dict(ix.scored("atention~")) == pytest.approx(whoosh, rel=1e-9)
    finally:
        ix.close()


def test_the_postings_cache_keeps_the_words_searched_last_within_its_bytes(tmp_path, monkeypatch):
    """Each segment keeps the postings of the words searched last (people retype them),
    a term of at most a quarter of the budget, the least recently used dropped first,
    never more than POSTINGS_CACHE_BYTES in all. A budget of 4 KB here (24 MB in use):
    each `k` word is in 20 papers (320 bytes of ids and weights), `mid` in 64 (1,024
    bytes: a quarter, kept), `big` in 65 (not kept)."""
    monkeypatch.setattr(dense_search, "POSTINGS_CACHE_BYTES", 4096)
    docs = [IndexDoc(id=i, title=f"paper {i}", abstract=f"k{i % 30} {'mid' if i < 64 else ''} "
                     f"{'big' if i < 65 else ''}", authors="", notes="", year=None, arxiv_id="",
                     doi="") for i in range(600)]
    ix = SearchIndex(tmp_path / "index")
    try:
        ix.rebuild(docs, len(docs), "lib", 1)
        assert sorted(ix.search("abstract:k0")) == list(range(0, 600, 30))
        [seg] = ix._dense._segments.values()
        for k in range(1, 30):
            assert sorted(ix.search(f"abstract:k{k}")) == list(range(k, 600, 30))
            assert ("abstract", b"k0") in seg._postings  # the least recently used goes first
            assert sorted(ix.search("abstract:k0")) == list(range(0, 600, 30))  # kept in use
        [seg] = ix._dense._segments.values()
        cached = {key[1].decode(): d.nbytes + w.nbytes for key, (d, w) in seg._postings.items()}
        assert seg._cached_bytes == sum(cached.values()) <= 4096
        assert set(cached) == {"k0"} | {f"k{k}" for k in range(19, 30)}  # 12 x 320 bytes
        assert sorted(ix.search("abstract:mid")) == list(range(64))
        assert sorted(ix.search("abstract:big")) == list(range(65))
        assert "mid" in {key[1].decode() for key in seg._postings}
        assert "big" not in {key[1].decode() for key in seg._postings}
        assert seg._cached_bytes == sum(d.nbytes + w.nbytes for d, w in seg._postings.values())
    finally:
        ix.close()


TYPOS = [
    # a typo's stem reached through a string one edit from it (neighbour_words): a letter
    # added at the end, the last two swapped, the last replaced, one dropped; swaps and
    # drops inside; identifiers take no typos; names keep theirs
    "attentio~", "attentino~", "attentiom~", "attentionn~", "title:attentino~", "atention~",
    "robto~", "agnets~", "thoguht~", "chian~2", "manipulaiton~", "abstract:manipluation~",
    "arxiv:2301.00002~", "arxiv:2301.00003~", "doi:10.1000/cot.2~", "authors:lea~",
    "tag:rbotics~", "tag:zo~",
]


@pytest.mark.parametrize("text", TYPOS)
def test_typos_find_what_whoosh_finds_with_the_documented_expansion(world, text):
    library, reference, _ids = world
    assert _answer(library, text) == reference.ids(text)


def test_an_empty_index_answers_every_query_with_nothing(tmp_path):
    """No segment at all: nothing to rank, and no failure for Whoosh to cover."""
    ix = SearchIndex(tmp_path / "index")
    try:
        ix.rebuild([], 0, "lib", 1)
        for text in ("robot", "*", "NOT robot", "rob*", "robto~", '"chain of thought"'):
            assert ix.search(text) == []
        assert ix.fast_path_failures == 0
    finally:
        ix.close()


def test_our_own_ids_are_read_off_the_column_bytes(tmp_path):
    """Our schema's id field (64-bit unsigned) is read straight from its column's bytes,
    never id by id through Whoosh's reader (at 100,000 papers that took ~100 ms)."""
    from whoosh import index as windex

    from paperdeck.core.search import make_schema

    ix = windex.create_in(str(tmp_path), make_schema())
    writer = ix.writer()
    pids = [9, 2**40, 3] + list(range(100, 140))
    for pid in pids:
        writer.add_document(id=pid, title=f"paper {pid}")
    writer.commit()

    class NoSlowPath:
        def __init__(self, leaf):
            self.leaf = leaf

        def __getattr__(self, name):
            return getattr(self.leaf, name)

        def column_reader(self, name, translate=True):
            assert not translate, "the ids were read one by one"
            return self.leaf.column_reader(name, translate=False)

    with ix.searcher() as searcher:
        for sub, _offset in searcher.leaf_searchers():
            assert dense_search.paper_ids_of(NoSlowPath(sub.reader())) == pids
    ix.close()


@pytest.mark.parametrize("numtype, bits, signed", [(int, 32, True), (int, 64, True), (float, 64, True)])
def test_paper_ids_are_read_from_another_column_layout_too(tmp_path, numtype, bits, signed):
    """A segment whose id column is not 64-bit unsigned (say an index written by another
    schema) is read the public way: the ids must still be each document's own. Signed and
    float fields store 64-bit columns too, of shifted values (read as they are, id 7 came
    out as 9223372036854775815)."""
    from whoosh import index as windex
    from whoosh.fields import NUMERIC, TEXT, Schema

    schema = Schema(id=NUMERIC(numtype, bits=bits, signed=signed, sortable=True, stored=True),
                    title=TEXT, year=NUMERIC(int, bits=64, sortable=True))  # a column after the ids
    ix = windex.create_in(str(tmp_path), schema)
    writer = ix.writer()
    pids = [7, 300, 70_000, 5] + list(range(1000, 1040))
    for pid in pids:
        writer.add_document(id=pid, title=f"paper {pid}", year=2000 + pid % 7)
    writer.commit()
    with ix.searcher() as searcher:
        for sub, _offset in searcher.leaf_searchers():
            leaf = sub.reader()
            want = [leaf.stored_fields(d)["id"] for d in range(leaf.doc_count_all())]
            assert dense_search.paper_ids_of(leaf) == want == pids
    ix.close()


TYPO_TITLES = ["robot arms", "robots everywhere", "robotic hands", "attention please",
               "attentive readers", "attentions paid", "agents act", "latent agents",
               "chain reaction", "chains of custody"]


@pytest.mark.parametrize("typed", ["robbot", "attentino", "attentio", "attentiom", "atention", "chian"])
def test_a_typo_scores_whooshs_bm25f_each_stem_weighted_by_the_words_of_the_text(tmp_path, typed):
    """README: a typo stands for the stems within an edit of its stem (or reached by a
    string one edit from it); a stem counts fully when it is the typo's own or a real
    word of the text one edit from the typo stems to it, else FAR_STEM_WEIGHT. The
    typos here need each kind of edit: a letter dropped, swapped at the end, added at
    the end, replaced at the end, added inside, swapped inside."""
    ix = _bare_index(tmp_path / "index", TYPO_TITLES)
    try:
        searcher = ix._get_searcher()
        lexicon = [w.decode() for w in searcher.lexicon("title") if not is_pair(w)]
        own = stem(typed)
        reach = {stem(v) for v in one_edit_away(own)}
        stems = [s for s in lexicon if osa(s, own) <= 1 or s in reach]
        real = {w for t in TYPO_TITLES for w in t.split() if OSA.distance(w, typed) <= 1}
        full = {stem(w) for w in real} | {own}
        boost = FIELD_BOOSTS["title"]
        parts = [wq.Term("title", s, boost=boost * (1.0 if s in full else FAR_STEM_WEIGHT))
                 for s in stems]
        ids = ix._ids_by_docnum(searcher)
        whoosh = {ids[d]: s for s, d in searcher.search(wq.Or(parts), limit=None).top_n}
        assert whoosh and dict(ix.scored(f"{typed}~")) == pytest.approx(whoosh, rel=1e-9)
    finally:
        ix.close()


def test_a_typo_in_a_name_stands_for_words_never_for_word_pairs(tmp_path):
    """Fuzzy expansion reads a field's words, not the stored pairs: "\\x01xu yi" (the
    pair of "Xu Yi") is two edits from `xuyi` as "xu" and "yi" are, but is no word."""
    docs = [IndexDoc(id=i, title="paper", abstract="", authors=a, notes="", year=None,
                     arxiv_id="", doi="") for i, a in enumerate(["Xu Yi", "Yu Xi", "Xuyi Bo"])]
    ix = SearchIndex(tmp_path / "index")
    try:
        ix.rebuild(docs, len(docs), "lib", 1)
        searcher = ix._get_searcher()
        words = [w.decode() for w in searcher.lexicon("authors") if not is_pair(w)]
        parts = [wq.Term("authors", w) for w in words if osa(w, "xuyi") <= 2]  # named: no boost
        ids = ix._ids_by_docnum(searcher)
        whoosh = {ids[d]: s for s, d in searcher.search(wq.Or(parts), limit=None).top_n}
        assert len(whoosh) == 3
        assert dict(ix.scored("authors:xuyi~2")) == pytest.approx(whoosh, rel=1e-9)
    finally:
        ix.close()


def test_warming_reads_each_segments_lengths_and_words_ahead(tmp_path):
    """The window warms the index off its thread: every scorable default field's lengths
    and every paired field's words are then read, and the facets (not in the index) skipped."""
    ix = _bare_index(tmp_path / "index", ["robot arms", "chain of thought"])
    try:
        ix.warm()
        [seg] = ix._dense._segments.values()
        schema = ix._get_searcher().schema
        assert set(seg._lengths) == {f for f in DEFAULT_FIELDS if f in schema and schema[f].scorable}
        assert set(seg._words) == set(PAIRED_FIELDS)
        assert ix.search("robot") == [0]
    finally:
        ix.close()
