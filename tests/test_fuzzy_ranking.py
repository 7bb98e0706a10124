"""Ranking of `word~` in a real library: the sample digest plus a few classic papers.

The oracle is the papers' own text: the first hit of a typo must hold the word meant
(or a longer form of it) or a word within one edit of what was typed (rapidfuzz's OSA,
independent of the index's stems), and a fuzzy term's scores must be Whoosh's own
BM25F for its stems, each boosted by the weight README gives it (full for the typed
word's stem or a stem of a word of the text one edit from the typed word,
FAR_STEM_WEIGHT for a stem only close to the typed word's stem).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rapidfuzz.distance import OSA
from whoosh import query as wq
from whoosh.lang.porter import stem

from paperdeck.core.dense_search import FAR_STEM_WEIGHT
from paperdeck.core.search import FIELD_BOOSTS, STEMMED_FIELDS
from paperdeck.core.textnorm import fold

CLASSICS = Path(__file__).parent / "samples" / "classic-papers.txt"
# Typos of words of the two files, as people type them: swapped, dropped, doubled,
# replaced letters.
TYPOS = {
    "atention": "attention", "manipulaiton": "manipulation", "robtos": "robots",
    "lanugage": "language", "hallucinaton": "hallucination", "cognitoin": "cognition",
    "benchamrk": "benchmark", "represntation": "representation", "transfomer": "transformer",
    "knowlege": "knowledge", "explortion": "exploration", "agnet": "agent",
    "embodeid": "embodied", "planing": "planning", "resoning": "reasoning", "memroy": "memory",
    "skils": "skills", "residul": "residual", "stochatic": "stochastic",
    "adversarail": "adversarial", "generatve": "generative", "evoluton": "evolution",
    "bidirectinal": "bidirectional", "atttention": "attention", "encodr": "encoder",
}


@pytest.fixture
def library(lib, sample_text):
    lib.import_text(sample_text)
    lib.import_text(CLASSICS.read_text("utf-8"))
    return lib


def _words(paper) -> set[str]:
    return set(re.findall(r"\w+", fold(f"{paper.title} {paper.abstract}")))


def test_the_first_hit_of_a_typo_holds_the_word_meant_or_one_edit_from_it(library):
    wrong = []
    for typed, meant in TYPOS.items():
        first = library.get(library.ids(f"{typed}~")[0])
        if not any(w.startswith(meant) or OSA.distance(w, typed) <= 1 for w in _words(first)):
            wrong.append((typed, first.title))
    assert wrong == []


def test_attention_is_first_for_atention_not_agent_or_latent(library):
    """The tester's case: "atent" (the stem of `atention`) is one edit from "agent" and
    "latent", which many papers here use more often than any says "attention"."""
    hits = library.ids("atention~")
    titles = [library.get(pid).title for pid in hits]
    assert titles[0] == "Attention Is All You Need"
    assert any("agent" in t.lower() for t in titles)  # still found, ranked lower
    assert any("latent" in t.lower() for t in titles)


@pytest.mark.parametrize("typed", ["atention", "planing", "generatve", "agnet"])
def test_fuzzy_scores_are_whooshs_bm25f_with_each_stem_weighted(library, typed):
    index = library.index.index
    searcher = index._get_searcher()
    texts = [_words(library.get(pid)) for pid in library.ids(view="all")]
    real = {w for ws in texts for w in ws}
    near = {stem(w) for w in real if OSA.distance(w, typed) <= 1} | {stem(typed)}
    parts = []
    for field in STEMMED_FIELDS:
        boost = FIELD_BOOSTS.get(field, 1.0)
        stems = {s for _sub, leaf, seg in index._dense._segments_of(searcher)
                 for s in seg.similar_words(leaf, field, stem(typed), 1, 0, True)}
        for s in stems:  # the expansions are the differential tests' concern; weights ours
            weight = 1.0 if s in near else FAR_STEM_WEIGHT
            parts.append(wq.Term(field, s, boost=boost * weight))
    for field in ("authors", "arxiv", "doi"):  # no stems: every word counts (no tags here)
        parts.append(wq.FuzzyTerm(field, typed, boost=FIELD_BOOSTS.get(field, 1.0),
                                  constantscore=False))
    ids = index._ids_by_docnum(searcher)
    whoosh = {ids[d]: s for s, d in searcher.search(wq.Or(parts), limit=None).top_n}
    assert len(whoosh) > 1 and dict(index.scored(f"{typed}~")) == pytest.approx(whoosh, rel=1e-6)
