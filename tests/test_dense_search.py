"""Search evaluated over arrays (dense_search) answers what Whoosh's own matchers answer."""

from __future__ import annotations

import numpy as np
import pytest

from paperdeck.core.dense_search import _read_postings
from paperdeck.core.phrases import rewrite_phrases, without_fields
from paperdeck.core.search import FACET_FIELDS, PAIRED_FIELDS, IndexDoc, SearchIndex

# Queries whose documents and scores must equal Whoosh's (fuzzy terms differ on purpose:
# see test_fuzzy_terms_forgive_swapped_letters).
SAME_AS_WHOOSH = (
    "learning", "robot", "language model", "language OR robot", "learning NOT robot",
    '"language models"', '"learning from demonstration"', 'title:"language model"~3',
    "robot*", "lang*", "rob?t", "year:>2021", "year:[2020 TO 2022] robot", "authors:lee", '"ann lee"', "*",
    "learning ANDMAYBE robot", "NOT learning", "zzzz", "(robot OR language) AND skill*",
)


def _docs() -> list[IndexDoc]:
    rows = [
        ("Large language models reason", "We study large language models and reasoning."),
        ("Robot learning from demonstration", "Robots learn skills from human demonstration."),
        ("Language for robots", "Models of language for robot manipulation skills."),
        ("Models language", "Language is modelled; skillful robots."),
        ("Learning to walk", "A robot learns to walk by reinforcement learning."),
    ]
    return [IndexDoc(id=100 + i, title=t, abstract=a,
                     authors="Ann Lee; Bo Chen" if i % 2 else "Cy Dee",
                     notes="about language" if i == 3 else "", year=2019 + i,
                     arxiv_id=f"2401.0000{i}", doi="")
            for i, (t, a) in enumerate(rows)]


@pytest.fixture
def index(tmp_path) -> SearchIndex:
    ix = SearchIndex(tmp_path / "index")
    docs = _docs()
    ix.rebuild(docs[:3], 3, "lib", 1)
    ix.apply(docs[3:], [], "lib", 2)  # a second segment
    changed = IndexDoc(**{**docs[0].__dict__, "title": "Large language models reason well"})
    ix.apply([changed], [], "lib", 3)  # an update: a deletion in the first segment
    yield ix
    assert ix.fast_path_failures == 0  # every answer above came from the array ranker
    ix.close()


def _whoosh(ix: SearchIndex, text: str) -> list[tuple[int, float]]:
    searcher = ix._get_searcher()
    q = without_fields(rewrite_phrases(ix.parse(text), PAIRED_FIELDS), FACET_FIELDS)
    ids = ix._ids_by_docnum(searcher)
    return [(ids[d], score) for score, d in searcher.search(q, limit=None).top_n]


@pytest.mark.parametrize("text", SAME_AS_WHOOSH)
def test_same_papers_and_scores_as_whoosh(index, text):
    dense = index.scored(text)
    whoosh = _whoosh(index, text)
    assert sorted(p for p, _ in dense) == sorted(p for p, _ in whoosh), text
    assert dict(dense) == pytest.approx(dict(whoosh), rel=1e-6), text
    assert len({p for p, _ in dense}) == len(dense)  # an updated paper is found once


def test_phrases_need_the_words_next_to_each_other(index):
    assert set(index.search('"language models"')) == {100, 103}  # 103: "Language is modelled"
    assert set(index.search('"models language"')) == {102, 103}  # "models of language": stop word
    assert index.search('"robot manipulation skills"') == [102]
    assert index.search('"manipulation robot"') == []
    assert set(index.search('"models language"~3')) >= {100, 102, 103}


def test_prefix_never_expands_to_word_pairs(index):
    assert set(index.search("reinforc*")) == {104}
    assert set(index.search("manip*")) == {102}


def test_fuzzy_terms_forgive_swapped_letters(index):
    assert 104 in index.search("robto~")  # swapped: one edit for us, two for Whoosh
    assert 104 in index.search("robt~")
    assert index.search("xyzzyq~") == []
    assert set(index.search("walk~")) == {104}


def test_a_typo_in_a_long_word_finds_its_stem_but_not_any_short_word(index):
    # "manipulation" is indexed as the stem "manipul", "walk" as "walk".
    assert index.search("manipulaiton~") == [102]
    assert index.search("manipluation~") == [102]
    assert index.search("walkingstick~") == []  # "walk" is far too short a stem for it


def test_the_fast_postings_reader_reads_what_the_matcher_reads(index):
    searcher = index._get_searcher()
    for sub, _offset in searcher.leaf_searchers():
        leaf = sub.reader()
        for field in ("title", "abstract", "authors", "arxiv"):
            for btext in list(leaf.lexicon(field))[:50]:
                docs, weights = _read_postings(leaf, field, btext)
                m = leaf.postings(field, btext)
                want_ids, want_w = [], []
                while m.is_active():
                    want_ids.append(m.id())
                    want_w.append(m.weight())
                    m.next()
                assert docs.tolist() == want_ids
                assert np.allclose(weights, want_w)


def test_many_blocks_and_a_later_merge(tmp_path):
    """Postings longer than one block (128), then segments merged away."""
    ix = SearchIndex(tmp_path / "index")
    docs = [IndexDoc(id=i, title=f"paper {i} robot", abstract="robot arms " * (i % 5 + 1),
                     authors="", notes="", year=None, arxiv_id="", doi="")
            for i in range(700)]
    ix.rebuild(docs[:400], 400, "lib", 1)
    for gen, start in enumerate(range(400, 700, 100), start=2):
        ix.apply(docs[start:start + 100], [5, 6], "lib", gen)
    hits = ix.search("robot")
    assert sorted(hits) == [i for i in range(700) if i not in (5, 6)]
    assert dict(ix.scored("robot arms")) == pytest.approx(dict(_whoosh(ix, "robot arms")), rel=1e-6)
    writer = ix._ix.writer()
    writer.commit(optimize=True)  # one segment now: the old ones' arrays must go
    ix._refresh()
    assert sorted(ix.search("robot")) == sorted(hits)
    assert len(ix._dense._segments) == 1
    ix.close()


def test_tags_and_status_inside_a_search_come_from_sqlite(lib, sample_text):
    """Tags and status are not indexed (a bulk tag re-indexes nothing); a search naming
    them still finds them, combined with words, prefixes, typos and NOT."""
    lib.import_text(sample_text)
    ids = lib.ids(view="all")
    lib.add_tags(ids[:30], ["Robot Learning"])
    lib.add_tags(ids[20:50], ["robotics"])
    lib.set_status(ids[10:40], "reading")
    learning = set(lib.ids("learning"))
    robot_learning, robotics, reading = set(ids[:30]), set(ids[20:50]), set(ids[10:40])
    assert 0 < len(learning & robot_learning) < len(learning)
    assert set(lib.ids('tag:"robot learning" learning')) == learning & robot_learning
    assert set(lib.ids("learning NOT tag:robotics")) == learning - robotics
    assert set(lib.ids("tag:robot*")) == robot_learning | robotics
    assert set(lib.ids("tag:robtoics~")) == robotics  # swapped letters
    assert set(lib.ids("status:reading OR tag:robotics")) == reading | robotics
    assert set(lib.ids("status:reading learning")) == reading & learning
    assert set(lib.ids("tag:*")) == robot_learning | robotics
    tagged_only = lib.ids("robotics")  # a bare word finds a tag of that name too
    assert robotics <= set(tagged_only)


def test_a_bulk_tag_or_status_change_writes_no_index_segment(lib, sample_text):
    lib.import_text(sample_text)
    before = sorted(lib.index.index.folder.glob("*.seg")) + sorted(
        lib.index.index.folder.glob("*_*.*"))
    ids = lib.ids(view="all")
    lib.add_tags(ids, ["everything"])
    lib.set_status(ids[:50], "read")
    lib.remove_tags(ids[:10], ["everything"])
    after = sorted(lib.index.index.folder.glob("*.seg")) + sorted(
        lib.index.index.folder.glob("*_*.*"))
    assert after == before
    assert lib.index.index.generation() == lib.store.generation()
    assert set(lib.ids("tag:everything")) == set(ids[10:])
    assert lib.check() == []


def test_a_prefix_of_thousands_of_words_is_folded_in_place(tmp_path):
    """`c*` may stand for thousands of words; their arrays are added up one at a time,
    never stacked (3,000 words x 300 papers would be ~8 MB here, gigabytes at 100k)."""
    import tracemalloc

    ix = SearchIndex(tmp_path / "index")
    docs = [IndexDoc(id=i, title=f"paper {i}", abstract=" ".join(f"cw{i}x{j}" for j in range(10)),
                     authors="", notes="", year=None, arxiv_id="", doi="") for i in range(300)]
    ix.rebuild(docs, len(docs), "lib", 1)
    assert len(ix.search("cw1x*")) == 1  # warm: the searcher, lengths and word lists
    tracemalloc.start()
    try:
        hits = ix.search("cw*")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sorted(hits) == list(range(300))
    assert peak < 6_000_000  # ~1.9 MB (the postings cache grows too); stacked: ~15 MB
    ix.close()


def test_if_the_array_ranker_fails_whoosh_still_answers(index, monkeypatch):
    expected = index.search("robot")

    def broken(*args, **kwargs):
        raise ValueError("unexpected block layout")

    monkeypatch.setattr(index._dense, "search", broken)
    assert sorted(index.search("robot")) == sorted(expected)
    assert index.fast_path_failures == 1
    index.fast_path_failures = 0


@pytest.mark.parametrize("text", ["r*", "l*", "abstract:m*", "rob?t OR lang*", "title:l*g*"])
def test_prefix_scores_are_whooshs_without_constant_score(index, text):
    """A prefix or wildcard scores each word it stands for by BM25F, summed: Whoosh's
    `Prefix`/`Wildcard` with constantscore=False (its default gives every hit one
    constant score). README says so. (A leading `*` would also meet the word pairs,
    which paperdeck skips.)"""
    from whoosh import query as wq

    def summed(q):
        if isinstance(q, (wq.Prefix, wq.Wildcard)):
            q = q.copy()
            q.constantscore = False
            return q
        return q if q.is_leaf() else q.apply(summed)

    searcher = index._get_searcher()
    q = summed(without_fields(rewrite_phrases(index.parse(text), PAIRED_FIELDS), FACET_FIELDS))
    ids = index._ids_by_docnum(searcher)
    whoosh = {ids[d]: s for s, d in searcher.search(q, limit=None).top_n}
    assert len(whoosh) > 1 and dict(index.scored(text)) == pytest.approx(whoosh, rel=1e-6)
