"""Search evaluated over arrays (dense_search) answers what Whoosh's own matchers answer."""

from __future__ import annotations

import numpy as np
import pytest

from paperdeck.core.dense_search import _read_postings, rewrite_phrases
from paperdeck.core.search import PAIRED_FIELDS, IndexDoc, SearchIndex

# Queries whose documents and scores must equal Whoosh's (fuzzy terms differ on purpose:
# see test_fuzzy_terms_forgive_swapped_letters).
SAME_AS_WHOOSH = (
    "learning", "robot", "language model", "language OR robot", "learning NOT robot",
    '"language models"', '"learning from demonstration"', 'title:"language model"~3',
    "robot*", "lang*", "rob?t", "tag:robotics", "status:reading", "tag:robotics learning",
    "year:>2021", "year:[2020 TO 2022] robot", "authors:lee", '"ann lee"', "*",
    "learning ANDMAYBE robot", "NOT learning", "zzzz", "(robot OR language) AND skill*",
)


def _docs() -> list[IndexDoc]:
    rows = [
        ("Large language models reason", "We study large language models and reasoning.",
         ["nlp"], "read"),
        ("Robot learning from demonstration", "Robots learn skills from human demonstration.",
         ["robotics"], "reading"),
        ("Language for robots", "Models of language for robot manipulation skills.", [], "queued"),
        ("Models language", "Language is modelled; skillful robots.", ["nlp", "robot learning"],
         "queued"),
        ("Learning to walk", "A robot learns to walk by reinforcement learning.", ["robotics"],
         "reading"),
    ]
    return [IndexDoc(id=100 + i, title=t, abstract=a, authors="Ann Lee; Bo Chen" if i % 2 else "Cy Dee",
                     tags=tags, notes="about language" if i == 3 else "", status=st,
                     year=2019 + i, arxiv_id=f"2401.0000{i}", doi="")
            for i, (t, a, tags, st) in enumerate(rows)]


@pytest.fixture
def index(tmp_path) -> SearchIndex:
    ix = SearchIndex(tmp_path / "index")
    docs = _docs()
    ix.rebuild(docs[:3], 3, "lib", 1)
    ix.apply(docs[3:], [], "lib", 2)  # a second segment
    changed = IndexDoc(**{**docs[0].__dict__, "title": "Large language models reason well"})
    ix.apply([changed], [], "lib", 3)  # an update: a deletion in the first segment
    yield ix
    ix.close()


def _whoosh(ix: SearchIndex, text: str) -> list[tuple[int, float]]:
    searcher = ix._get_searcher()
    q = rewrite_phrases(ix.parse(text), PAIRED_FIELDS)
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
    assert set(index.search("tag:robot*")) == {101, 103, 104}  # a whole tag may hold a space


def test_fuzzy_terms_forgive_swapped_letters(index):
    assert 104 in index.search("robto~")  # swapped: one edit for us, two for Whoosh
    assert 104 in index.search("robt~")
    assert index.search("xyzzyq~") == []
    assert set(index.search("walk~")) == {104}


def test_the_fast_postings_reader_reads_what_the_matcher_reads(index):
    searcher = index._get_searcher()
    for sub, _offset in searcher.leaf_searchers():
        leaf = sub.reader()
        for field in ("title", "abstract", "tag", "status"):
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
                     authors="", tags=[], notes="", status="queued", year=None, arxiv_id="", doi="")
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
