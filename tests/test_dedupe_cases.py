"""Recognising the same paper twice (dedupe.py), case by case: the title key that finds
a title again however it was typed or pasted, the DOI key, and the fuzzy threshold at
which an import preview calls a title "similar" (importer.py reads it from dedupe)."""

from __future__ import annotations

import pytest

from paperdeck.core.dedupe import FUZZY_THRESHOLD, doi_key, title_key, title_similarity
from paperdeck.core.library import Library
from paperdeck.core.models import Draft


@pytest.mark.parametrize("title, key", [
    ("Attention Is All You Need", "attention is all you need"),
    ("  attention is ALL you need!  ", "attention is all you need"),
    ("Chain-of-Thought Prompting", "chain of thought prompting"),
    ("G\u00f6del, Escher, Bach", "godel escher bach"),  # accent as one code point
    ("Go\u0308del, Escher, Bach", "godel escher bach"),  # decomposed, as PDFs paste it
    ("Garc\u00eda's snake_case", "garcia s snake case"),
    ("\ufb01ne-tuning", "fine tuning"),  # a ligature
    ("STRASSE", "strasse"), ("Stra\u00dfe", "strasse"),  # casefold, not lower
    ("", ""), ("?!", ""),
])
def test_title_key(title, key):
    assert title_key(title) == key


@pytest.mark.parametrize("doi, key", [
    ("10.1000/ABC.1", "10.1000/abc.1"),
    ("  10.1109/CVPR.2016.90\n", "10.1109/cvpr.2016.90"),
])
def test_doi_key(doi, key):
    assert doi_key(doi) == key


@pytest.mark.parametrize("a, b, score", [
    ("Robot arms", "robot ARMS!", 100.0),
    ("Arms, robot", "Robot arms", 100.0),  # word order ignored
    ("Robot arms", "Robot arts", 90.0),  # one letter of ten replaced: 2 edits of 20 letters
    ("Robot arms", "Robot carts", 100 * (1 - 3 / 21)),  # "arms" -> "carts": 3 of 21
    ("G\u00f6del", "Go\u0308del", 100.0),
])
def test_title_similarity(a, b, score):
    assert title_similarity(a, b) == pytest.approx(score)


def test_the_import_preview_calls_similar_from_the_threshold_on(tmp_path):
    lib = Library.open(tmp_path / "library", backup=False)
    try:
        lib.add([Draft(title="Robot arms")], raw_text="x", fmt="t")
        at, below = lib.preview([Draft(title="Robot arts"), Draft(title="Robot carts")], fuzzy=True)
        assert FUZZY_THRESHOLD == 90.0
        assert (at.verdict, at.score, at.reason) == ("similar", 90.0, "similar title (90%)")
        assert below.verdict == "new"
    finally:
        lib.close()
