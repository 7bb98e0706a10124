"""Anything typed into the search field gives results or a QueryError, never another exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from paperdeck.core.errors import QueryError
from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from paperdeck.core.query import check

SYNTAX = ['"', "(", ")", ":", "*", "?", "~", "^", "[", "]", "{", "}", "<", ">", "=", "+", "-",
          "!", "/", "\\", "'", " ", " AND ", " OR ", " NOT ", " TO ", "tag:", "title:", "year:",
          "status:", "authors:", "doi:", "arxiv:", "notes:", "abstract:", "titel:", "2024", "2",
          "robot", "ro*", "10.1000/x", "2401.01234", "\x00", "\u202e", "ﬁ", "ß", "İ", "日本",
          "\U0001f916", "\t", "\n", "~2", "^3", "[2020 TO 2024]", "{* TO 2}", "*:*", "AND", "OR"]
queries = st.lists(st.sampled_from(SYNTAX) | st.text(max_size=6), max_size=12).map("".join)
SETTINGS = settings(max_examples=250, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    library = Library.open(tmp_path_factory.mktemp("fuzz") / "library", backup=False)
    ids = library.add([Draft(title=f"Robot {w} {i}", abstract="chain of thought", year=2020 + i,
                             authors=["Ada Lovelace"], doi=f"10.1000/x{i}",
                             arxiv_id=f"2401.0123{i}")
                       for i, w in enumerate(["arms", "legs", "日本", "ﬁsh"])],
                      raw_text="x", fmt="t")
    library.add_tags(ids[:2], ["robotics", "C++"])
    yield library
    library.close()


def _answers(lib: Library, text: str) -> None:
    try:
        hits = lib.ids(text)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(hits, list) and all(isinstance(i, int) for i in hits)


@SETTINGS
@given(queries)
@example('"unclosed')
@example("year:[2020 TO")
@example("title:(")
@example("*")
@example("?*?*?*")
@example("tag:")
@example(":::")
@example("year:99999999999999999999")
@example("status:[\n[2020 TO 2024]")
@example("year:[\n[2020 TO 2024]")
@example("year:>")
@example("AND OR NOT")
@example("\x00")
@example("a" * 5000)
@example("(" * 300 + "x" + ")" * 300)
def test_any_query_gives_results_or_a_query_error(lib, text):
    _answers(lib, text)


@SETTINGS
@given(queries)
def test_any_query_without_the_index_too(lib, text):
    """While the index is rebuilding, the SQLite fallback answers: same promise."""
    lib.index.ready = False
    try:
        _answers(lib, text)
    finally:
        lib.index.ready = True


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40) | queries)
def test_check_raises_only_query_errors(text):
    try:
        out = check(text)
    except QueryError:
        return
    assert isinstance(out, str)
