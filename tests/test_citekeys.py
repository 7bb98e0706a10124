"""Citation keys: the documented scheme, uniqueness, and safety for every tool."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperdeck.core.citekeys import family_name, is_safe_citekey, make_citekey

KEY_RE = re.compile(r"[a-z][a-z0-9]*|[0-9][a-z0-9]*")


@pytest.mark.parametrize(
    ("authors", "title", "year", "key"),
    [
        (["Jin Lee"], "Re-TASK: Revisiting LLM Tasks", 2024, "lee2024retask"),
        (["Hans Müller"], "On the Optimal Transport", 2023, "muller2023optimal"),
        (["Łukasz Kaiser"], "Attention Is All You Need", 2017, "kaiser2017attention"),
        (["Jan van der Berg"], "Towards a Theory", 2020, "vanderberg2020theory"),
        (["van der Berg, Jan"], "Towards a Theory", 2020, "vanderberg2020theory"),
        (["Martin Luther King, Jr."], "Dreams", 1963, "king1963dreams"),
        (["Søren Ærø"], "Ørsted's Law", 2001, "aero2001orsteds"),
        (["Пётр Иванов"], "Graphs", 2021, "ivanov2021graphs"),
        (["Zoë O'Brien-Smith"], "The GPT-4 Report", 2023, "obriensmith2023gpt4"),
    ],
)
def test_scheme_with_author(authors: list[str], title: str, year: int, key: str) -> None:
    assert make_citekey(authors, title, year, set()) == key


def test_without_authors_the_title_word_leads() -> None:
    assert make_citekey([], "Re-TASK: Revisiting LLM Tasks", 2024, set()) == "retask2024"


def test_without_year_it_is_left_out() -> None:
    assert make_citekey(["Jin Lee"], "Re-TASK", None, set()) == "leeretask"
    assert make_citekey([], "Re-TASK", None, set()) == "retask"


def test_without_title_or_authors_it_is_never_empty() -> None:
    assert make_citekey([], "", None, set()) == "paper"
    assert make_citekey([], "", 2024, set()) == "paper2024"
    assert make_citekey(["Jin Lee"], "", 2024, set()) == "lee2024"
    assert make_citekey([""], "   ", None, set()) == "paper"


def test_names_with_no_ascii_form_fall_back_to_the_title() -> None:
    assert make_citekey(["李明"], "Deep Learning", 2020, set()) == "deep2020"
    assert make_citekey(["李明"], "深度学习", 2020, set()) == "paper2020"
    assert make_citekey(["محمد"], "", None, set()) == "paper"


def test_stop_words_are_skipped_but_an_all_stop_word_title_still_gives_a_word() -> None:
    assert make_citekey(["A Lee"], "On the Use of Towers", 2020, set()) == "lee2020use"
    assert make_citekey(["A Lee"], "What Is It", 2020, set()) == "lee2020what"


def test_family_names() -> None:
    assert family_name("Ludwig van Beethoven") == "van Beethoven"
    assert family_name("King, Jr., Martin") == "King"
    assert family_name("Plato") == "Plato"
    assert family_name("van Berg") == "van Berg"


def test_unique_with_letter_suffixes_case_insensitively() -> None:
    taken: set[str] = set()
    keys = []
    for _ in range(30):
        key = make_citekey(["Jin Lee"], "Retask", 2024, taken)
        taken.add(key)
        keys.append(key)
    assert keys[:4] == ["lee2024retask", "lee2024retaska", "lee2024retaskb", "lee2024retaskc"]
    assert keys[27] == "lee2024retaskaa"
    assert len(set(keys)) == 30
    assert make_citekey(["Jin Lee"], "Retask", 2024, {"LEE2024RETASK"}) == "lee2024retaska"


def test_taken_is_not_modified_and_same_input_gives_same_key() -> None:
    taken = {"lee2024retask"}
    first = make_citekey(["Jin Lee"], "Retask", 2024, taken)
    assert taken == {"lee2024retask"}
    assert make_citekey(["Jin Lee"], "Retask", 2024, taken) == first


def test_safe_key_check_accepts_ours_and_refuses_dangerous_ones() -> None:
    assert is_safe_citekey("lee2024retask")
    assert is_safe_citekey("Lee:2024_re-task/v2.1")
    for bad in ("", "a b", "a,b", "a{b", "a}b", "a%b", "a#b", "a\\b", 'a"b', "a=b", "a~b"):
        assert not is_safe_citekey(bad), bad


@settings(max_examples=300, deadline=None)
@given(
    authors=st.lists(st.text(max_size=40), max_size=3),
    title=st.text(max_size=120),
    year=st.one_of(st.none(), st.integers(min_value=-5, max_value=3000)),
    taken=st.sets(st.text(alphabet="abcdelr0123456789", max_size=16), max_size=20),
)
def test_any_input_gives_a_short_safe_ascii_fresh_key(
    authors: list[str], title: str, year: int | None, taken: set[str]
) -> None:
    key = make_citekey(authors, title, year, taken)
    assert KEY_RE.fullmatch(key), key
    assert key.isascii() and is_safe_citekey(key)
    assert key.lower() not in {t.lower() for t in taken}
    assert len(key) <= 20 + 4 + 20 + 3


@pytest.mark.parametrize(("author", "family"), [
    ("John Smith Jr", "Smith"),  # a suffix without its comma
    ("Smith Jr", "Smith"),
    ("Jr", "Jr"),  # a lone word is the name, even when it looks like a suffix
    ("García Márquez, Gabriel", "García Márquez"),  # "Last, First" keeps a two-word family name
    ("van\tBerg,  Jan", "van Berg"),  # any whitespace counts as one space
    ("Go\u0308del, Kurt", "Gödel"),
])
def test_family_names_of_odd_shapes(author: str, family: str) -> None:
    import unicodedata

    assert unicodedata.normalize("NFC", family_name(author)) == family


def test_key_parts_are_cut_at_twenty_letters_and_accents_folded_in_any_normal_form() -> None:
    key = make_citekey(["Ann Supercalifragilisticexpialidocious"], "Go\u0308del Numbers", 2001, set())
    assert key == "supercalifragilistic2001godel"


def test_a_title_word_has_a_letter_and_a_year_must_be_positive() -> None:
    assert make_citekey(["Ann Lee"], "2024: Surveying Robots", 2024, set()) == "lee2024surveying"
    assert make_citekey(["Ann Lee"], "Robots", 0, set()) == "leerobots"
    assert make_citekey(["Ann Lee"], "Robots", 1, set()) == "lee1robots"
