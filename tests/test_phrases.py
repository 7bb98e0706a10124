"""Quoted phrases over the word-pair index (core.phrases), against positional Whoosh.

A few papers go through the core's own indexing (a rebuild, then an update: two
segments), with their stored text for the check of phrases of three words or more.
The oracle is search_oracle's plain positional Whoosh index of the same papers: a
phrase there is words at consecutive positions (stop words renumbered away), so its
hits are what the word pairs must find. Small and fast: it runs once per mutant of
tests/tools/mutate.py.
"""

from __future__ import annotations

import pickle

import pytest
from whoosh import index as windex
from whoosh import query as wq

from paperdeck.core.phrases import (
    PAIR_MARK,
    WordPairs,
    is_pair,
    pair,
    rewrite_phrases,
    without_fields,
)
from paperdeck.core.search import PAIRED_FIELDS, IndexDoc, SearchIndex, make_schema
from search_oracle import Reference, RefPaper

# id, title, abstract, authors
PAPERS = [
    (1, "Theory of mind in large language models",
     "We probe theory of mind with false-belief tasks.", ["Ann Lee", "Bo Chen"]),
    (2, "Mind the gap: theory and practice of robot learning",
     "A survey of robots that learn from demonstration.", ["Cy Dee"]),
    (3, "New New York: urban renewal after 2001", "How a city rebuilt itself.", ["Dana Eve"]),
    (4, "New York's new new normal", "Rents rise in New York again.", ["Ed Fox"]),
    (5, "Reasoning about language", "Models of physics are learned from video.", ["Fay Gu"]),
    (6, "Language models are few-shot learners", "We train a large model.", ["Gil Ho"]),
    (7, "Scaling laws for neural language models", "Loss falls as a power law.", ["Hal Ito"]),
    (8, "Théorie de l'esprit chez l'enfant", "Une étude des croyances fausses.", ["Ivy Jo"]),
    (9, "Language for robots: models that ground words", "Grounded language.", ["Jo Ky"]),
]


def _doc(pid: int, title: str, abstract: str, authors: list[str]) -> IndexDoc:
    return IndexDoc(id=pid, title=title, abstract=abstract, authors="; ".join(authors),
                    notes="", year=None, arxiv_id="", doi="")


DOCS = [_doc(*p) for p in PAPERS]


class _Texts:
    """The papers' stored text (phrases.PhraseTexts; a Library reads SQLite's)."""

    def texts(self, field: str, paper_ids: list[int]) -> dict[int, str]:
        by_id = {d.id: d for d in DOCS}
        return {pid: getattr(by_id[pid], field) for pid in paper_ids}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("phrases")
    ix = SearchIndex(root / "index")
    ix.rebuild(DOCS[:5], 5, "lib", 1)
    ix.apply(DOCS[5:], [], "lib", 2)  # a second segment
    ix.texts = _Texts()
    reference = Reference.build(
        [RefPaper(id=d.id, title=d.title, abstract=d.abstract, authors=p[3], notes="",
                  year=None, arxiv="", doi="", tags=[], status="")
         for d, p in zip(DOCS, PAPERS, strict=True)], root / "reference")
    yield ix, reference
    reference.close()
    ix.close()


def _search(ix: SearchIndex, text: str) -> set[int]:
    before = ix.fast_path_failures
    found = ix.search(text)
    assert ix.fast_path_failures == before, text  # answered by the array ranker
    assert len(found) == len(set(found)), text
    return set(found)


SAME_AS_POSITIONAL = (
    '"theory of mind"', 'title:"theory of mind"', '"mind theory"', '"theory mind"',
    '"new new york"', 'title:"new new york"', '"new york"', 'title:"york new"', '"new new"',
    '"new new new"', '"language models"', 'title:"language models"',
    'abstract:"language models"', '"reasoning about language models"',
    '"large language models"', '"neural language models"', '"language models are"',
    '"théorie de l\'esprit"', '"THEORIE DE L’ESPRIT"', '"de l\'esprit chez"',
    '"esprit chez enfant"', '"language model"~2', 'title:"model language"~2',
    '"theory mind language"~2', '"theory mind language"~3', 'title:[TO b]', 'title:<b',
    'title:[TO 3]', 'title:[c TO d]', '*w?y*', 'title:*w?y*', 'authors:"lee bo"', '"ann lee"',
    '"theory of mind" NOT "new york"', '"new york" OR "language models"',
)


@pytest.mark.parametrize("text", SAME_AS_POSITIONAL)
def test_the_same_papers_as_positional_whoosh(world, text):
    ix, reference = world
    assert _search(ix, text) == reference.ids(text), text


def test_a_phrase_runs_over_stop_words_but_not_over_other_words(world):
    ix, _ = world
    assert _search(ix, '"theory of mind"') == {1}  # 2: "theory and practice", "mind the gap"
    assert _search(ix, '"theory mind"') == {1}  # stop words are not in the index at all
    assert _search(ix, '"mind theory"') == set()


def test_repeated_words_need_their_own_places(world):
    ix, _ = world
    # 4 has both pairs ("new york", "new new") but not the three words in a row
    assert _search(ix, '"new new york"') == {3}
    assert _search(ix, '"new new"') == {3, 4}
    assert _search(ix, '"york new new"') == {4}
    assert _search(ix, '"new new new"') == set()


def test_a_phrase_at_the_start_or_end_of_a_field_but_never_across_two(world):
    ix, _ = world
    assert _search(ix, '"language models"') == {1, 6, 7}  # not 5: title, then abstract
    assert _search(ix, '"reasoning about language models"') == set()
    assert _search(ix, 'title:"language models"') == {1, 6, 7}


def test_case_and_accents_do_not_matter(world):
    ix, _ = world
    for text in ('"théorie de l\'esprit"', '"THEORIE DE L’ESPRIT"', '"Theorie de l esprit"'):
        assert _search(ix, text) == {8}, text
    assert _search(ix, '"esprit chez l\'enfant"') == {8}
    assert _search(ix, '"de esprit enfant"') == set()


def test_a_phrase_with_slop_is_its_words_anywhere_in_one_field(world):
    ix, _ = world
    assert _search(ix, '"language model"~2') == {1, 6, 7, 9}  # 9: "language for robots: models"
    assert _search(ix, '"model language"~2') == {1, 6, 7, 9}
    assert _search(ix, '"theory mind language"~2') == {1}  # not three words in a row
    assert _search(ix, '"theory mind language"~3') == {1}
    assert _search(ix, '"theory mind language"') == set()


def test_ranges_and_wildcards_never_reach_the_word_pairs(world):
    """Pairs sort first in a field's lexicon: `[TO b]` starts after them, and a wildcard
    matching across a pair's space ("new york" for `*w?y*`) finds no paper."""
    ix, _ = world
    assert _search(ix, "title:[TO b]") == {3, 5}  # "2001", "after", "about"
    assert _search(ix, "title:<b") == {3, 5}
    assert _search(ix, "title:[TO 3]") == {3}
    assert _search(ix, "title:[c TO d]") == {8}  # "chez"; a range from a word stays there
    assert _search(ix, "*w?y*") == set()


def test_a_phrase_in_an_index_whooshs_own_writer_wrote(world, tmp_path):
    """WordPairs is the analyzer step Whoosh's own writer runs; the core's writer counts
    the same terms its own faster way: both indexes hold the same words and pairs."""
    ix, _ = world
    folder = tmp_path / "whoosh"
    folder.mkdir()
    plain = windex.create_in(str(folder), make_schema())
    writer = plain.writer()
    for doc in DOCS:
        writer.add_document(**doc.fields())
    writer.commit()
    with plain.searcher() as theirs, ix._ix.searcher() as ours:
        for field in sorted(PAIRED_FIELDS - {"notes"}):
            words = {t for f, t in ours.reader().all_terms() if f == field}
            assert {t for f, t in theirs.reader().all_terms() if f == field} == words, field
            for btext in words:
                assert theirs.doc_frequency(field, btext) == ours.doc_frequency(field, btext)
    plain.close()
    other = SearchIndex(folder)
    other.texts = _Texts()
    try:
        assert _search(other, '"new new york"') == {3}
        assert _search(other, '"theory of mind"') == {1}
        assert _search(other, 'authors:"lee bo"') == {1}
    finally:
        other.close()


def test_the_index_analysis_adds_a_pair_after_each_word_but_the_first():
    analyzer = make_schema()["title"].analyzer
    index = [t.text for t in analyzer("New new York, again", mode="index")]
    assert index == ["new", "new", pair("new", "new"), "york", pair("new", "york"),
                     "again", pair("york", "again")]
    assert [t.text for t in analyzer("New new York", mode="query")] == ["new", "new", "york"]
    assert [t.text for t in analyzer("York", mode="index")] == ["york"]


def test_pair_terms_are_told_apart_from_words():
    assert pair("larg", "languag") == PAIR_MARK + "larg languag"
    assert is_pair(pair("larg", "languag"))
    assert is_pair(pair("larg", "languag").encode())
    assert not is_pair("larg") and not is_pair(b"larg") and not is_pair("")
    assert not is_pair("l" + PAIR_MARK)


def test_word_pairs_compare_by_type_so_a_pickled_schema_equals_a_new_one():
    assert WordPairs() == WordPairs()
    assert hash(WordPairs()) == hash(WordPairs())
    assert len({WordPairs(), WordPairs()}) == 1
    assert WordPairs() != object()
    stored = pickle.loads(pickle.dumps(make_schema()))  # as an index keeps its schema
    assert stored["title"].analyzer == make_schema()["title"].analyzer
    assert stored["authors"].analyzer == make_schema()["authors"].analyzer


def _hits(world, q: wq.Query) -> set[int]:
    """The papers a hand-built query finds once rewritten, by Whoosh's own searcher."""
    ix, _ = world
    searcher = ix._get_searcher()
    ids = ix._ids_by_docnum(searcher)
    return {ids[d] for d in rewrite_phrases(q, PAIRED_FIELDS).docs(searcher)}


def test_a_phrase_not_from_the_parser_of_one_or_no_words(world):
    """rewrite_phrases takes any query, not only a normalised parse: a phrase of one
    word is that word, of none finds nothing (no pair can stand for it)."""
    ix, _ = world
    assert rewrite_phrases(wq.Phrase("title", ["york"], boost=2.0), PAIRED_FIELDS) == \
        wq.Term("title", "york", boost=2.0)
    assert _hits(world, wq.Phrase("title", ["york"])) == {3, 4}
    assert _hits(world, wq.Phrase("title", ["", "york"])) == {3, 4}
    assert _hits(world, wq.Phrase("abstract", ["york"], slop=3)) == {4}
    assert rewrite_phrases(wq.Phrase("title", []), PAIRED_FIELDS) is wq.NullQuery
    assert rewrite_phrases(wq.Phrase("title", ["", ""]), PAIRED_FIELDS) is wq.NullQuery
    assert _hits(world, wq.Not(wq.Phrase("title", [""]))) == {d.id for d in DOCS}


def test_a_long_phrase_keeps_its_field_and_words_for_the_check(world):
    q = rewrite_phrases(wq.Phrase("title", ["new", "new", "york"], boost=3.0), PAIRED_FIELDS)
    assert (q.phrase_field, q.phrase_words, q.boost) == ("title", ("new", "new", "york"), 3.0)
    assert sorted(s.text for s in q.subqueries) == [pair("new", "new"), pair("new", "york")]


def test_whooshs_own_ranking_scores_a_two_word_phrase_as_the_array_ranker(world, monkeypatch):
    """An index the array ranker cannot read is ranked by Whoosh's own searcher: a
    two-word phrase is then its one pair term, boosted as the field is (Whoosh drops
    the boost of an And of one query, so it must not be one)."""
    ix, _ = world
    texts = ('"language models"', 'title:"language models"^2', '"language models" OR robots')
    fast = {text: dict(ix.scored(text)) for text in texts}
    monkeypatch.setattr(ix._dense, "search", lambda *args: None)
    for text in texts:
        assert dict(ix.scored(text)) == pytest.approx(fast[text], rel=1e-9), text


def test_facet_terms_are_blanked_for_whooshs_own_searcher_and_nothing_else():
    facets = frozenset({"tag", "status"})
    q = wq.And([wq.Or([wq.Term("title", "robot"), wq.Term("tag", "robotics")]),
                wq.Not(wq.Term("status", "read")), wq.Prefix("abstract", "lang")])
    assert without_fields(q, facets) == wq.And([
        wq.Or([wq.Term("title", "robot"), wq.NullQuery]), wq.Not(wq.NullQuery),
        wq.Prefix("abstract", "lang")])
    assert without_fields(wq.Term("tag", "zoo"), facets) is wq.NullQuery
    assert without_fields(wq.Every(), facets) == wq.Every()
