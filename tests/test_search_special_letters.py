"""Latin letters with no accent to drop (ł, ø, đ, ß, æ, þ...): typed without them, names
and words still find their papers, through the index and through the SQLite fallback,
and a library indexed before they were folded is brought up to date. The spelling
without them is checked against Unidecode, a transliteration we did not write."""

from __future__ import annotations

import unicodedata

import pytest
from unidecode import unidecode

from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from paperdeck.core.text_mirror import TERMS_KEY
from paperdeck.core.textnorm import SPECIAL_LATIN, fold

NAMES = ["Łukasz Kaiser", "Søren Østergaard", "Ødegård", "Đặng Văn Hùng", "Þórunn Guðmundsdóttir",
         "Æsa Ærø", "Œuvre Sœur", "Straße", "Bjørn Ødegaard", "Hàn Ħaġar", "Ŋaŋa", "Istanbul ılık"]


@pytest.mark.parametrize("name", NAMES)
def test_folding_spells_names_as_unidecode_does(name):
    for form in ("NFC", "NFD"):
        assert fold(unicodedata.normalize(form, name)) == unidecode(name).lower()


def test_every_special_letter_is_spelled_as_unidecode_spells_it():
    for letter, plain in SPECIAL_LATIN.items():
        assert plain.lower() == unidecode(letter).lower(), letter


PAPERS = [
    Draft(title="Attention Is All You Need", authors=["Łukasz Kaiser", "Noam Shazeer"], year=2017),
    Draft(title="Østergaard on Ødegård's Straße", authors=["Søren Østergaard"], year=2020),
    Draft(title="Vietnamese Robots", authors=["Đặng Văn Hùng"], year=2021),
    Draft(title="Plain Robots", authors=["Lukas Kaiser"], year=2022),
]
QUERIES = {  # typed as on an English keyboard, and as written
    "Lukasz Kaiser": [0], "Łukasz": [0], "lukasz": [0], "Soren": [1], "Ostergaard": [1],
    "Odegard": [1], "strasse": [1], "Straße": [1], "Dang": [2], "Đặng": [2], "Hung": [2],
    '"Lukasz Kaiser"': [0], "authors:lukasz": [0], "Kaiser": [0, 3], "ostergaard~": [1],
}


@pytest.fixture
def lib(tmp_path):
    library = Library.open(tmp_path / "lib", backup=False)
    library.add(PAPERS, raw_text="x", fmt="test")
    yield library
    library.close()


def _titles(lib: Library, query: str) -> set[str]:
    return {p.title for p in lib.papers(lib.ids(query, view="all"))}


def _expected(query: str) -> set[str]:
    return {PAPERS[i].title for i in QUERIES[query]}


def test_typed_without_them_names_find_their_papers_by_index_and_by_fallback(lib):
    lib.ids("warm")
    assert lib.index.ready
    for query in QUERIES:
        assert _titles(lib, query) == _expected(query), query
    lib.index.ready = False  # what a rebuild in progress does: SQLite answers
    for query in QUERIES:
        assert _titles(lib, query) == _expected(query), f"fallback: {query}"


def test_a_library_whose_search_text_was_filled_before_is_filled_again(lib):
    """The SQLite mirror of the index holds analysed words: those written before this
    folding (`łukasz`) would not match what a search now looks for (`lukasz`). Its terms
    version says so: it is filled again, and the fallback answers as the index does."""
    lib.ids("warm")
    db = lib.store.db
    db.execute("UPDATE search_text SET authors = 'łukasz kaiser noam shazeer' WHERE rowid = 1")
    db.execute("DELETE FROM meta WHERE key = ?", [TERMS_KEY])  # as a library written before
    db.execute("INSERT INTO search_words (field, word) VALUES ('authors', 'łukasz')")
    assert lib.index.mirror.generation() == -1
    lib.index.ready = False
    assert _titles(lib, "Lukasz Kaiser") == _expected("Lukasz Kaiser")
    assert lib.index.mirror.generation() >= 0
    row = db.execute("SELECT authors FROM search_text WHERE rowid = 1").fetchone()
    assert row[0].split()[:2] == ["lukasz", "kaiser"]
    words = {w for (w,) in db.execute("SELECT word FROM search_words WHERE field = 'authors'")}
    assert "lukasz" in words and "łukasz" not in words  # the old analysis' words are gone
