"""The SQLite fallback (sqlite_search) leaf by leaf, on a small library, against a
reference built another way: plain positional Whoosh (search_oracle). Each query names
one kind of leaf (word, phrase, typo, prefix, wildcard, range, year, identifier, tag,
status) or operator, so a wrong answer points at its line. The wide differential over
generated papers is test_search_fallback.py."""

from __future__ import annotations

import pytest

from paperdeck.core.library import Library
from paperdeck.core.models import Draft


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    library = Library.open(tmp_path_factory.mktemp("sqlite-cases") / "library", backup=False)
    library.add([Draft(title="Robot arms", abstract="chain of thought", authors=["Ada Lovelace"])],
                raw_text="x", fmt="t")
    yield library
    library.close()


def fallback(lib: Library, text: str) -> list[int]:
    """The fallback's answer, as a search gets it while the index is rebuilding."""
    lib.index.mirror.catch_up()
    return lib.index.sqlite.search(lib.index.index.parse(text))


@pytest.mark.parametrize("text", ["\x00*", "title:ro\x00*", "robot\x00*"])
def test_a_nul_in_a_prefix_finds_nothing_as_in_the_index(lib, text):
    """FTS5 reads a query string only up to a NUL: it was an OperationalError."""
    assert lib.index.index.search(text) == []
    assert fallback(lib, text) == []
