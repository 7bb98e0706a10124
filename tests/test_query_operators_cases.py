"""Ignored words (stop words, punctuation) beside operators read as if not typed, on a
small library: each answer is composed from single-word searches by set algebra."""

from __future__ import annotations

import pytest

from paperdeck.core.library import Library
from paperdeck.core.models import Draft


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    library = Library.open(tmp_path_factory.mktemp("ops") / "lib", backup=False)
    library.add([Draft(title="Robots in the wild"), Draft(title="Arms of robots"),
                 Draft(title="Arms race"), Draft(title="Zebra crossings"),
                 Draft(title="Attention for zebra arms")], raw_text="x", fmt="test")
    yield library
    library.close()


def ids(lib: Library, q: str) -> set[int]:
    return set(lib.ids(q, view="all"))


@pytest.mark.parametrize("text, a, op, b", [
    ("robots the OR arms", "robots", "|", "arms"),
    ("robots OR the arms", "robots", "|", "arms"),
    ("(zebra). OR attention", "zebra", "|", "attention"),
    ("zebra . OR attention", "zebra", "|", "attention"),
    ("zebra the of OR race", "zebra", "|", "race"),
    ("arms the NOT race", "arms", "-", "race"),
    ("robots OR the OR race", "robots", "|", "race"),
    ("arms the AND zebra", "arms", "&", "zebra"),
])
def test_an_ignored_word_beside_an_operator_is_as_if_not_typed(lib, text, a, op, b):
    left, right = ids(lib, a), ids(lib, b)
    expected = {"|": left | right, "-": left - right, "&": left & right}[op]
    assert ids(lib, text) == expected and expected, text


@pytest.mark.parametrize("text, same_as", [
    ("the ANDNOT race", "NOT race"), ("race REQUIRE the", "race"),
    ("the ANDMAYBE zebra", "zebra"), ("theory of robots", "robots theory"),
])
def test_an_ignored_word_with_no_word_beside_it_leaves_the_operator_its_other_side(
        lib, text, same_as):
    assert ids(lib, text) == ids(lib, same_as)
