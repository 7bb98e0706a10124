"""The search language checked case by case: what `check` passes on (exactly), what it
refuses (with which message), and how a long paste is cut. Quick, direct companions to
the fuzzing in test_resilience_query.py and the pasted titles in test_search_pasted.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query as wq

from paperdeck.core.errors import QueryError
from paperdeck.core.query import any_words, cap_notice, cap_terms, check
from paperdeck.core.search import SearchIndex

WORDS = [f"w{i}" for i in range(100)]


def test_a_query_of_64_words_is_kept_whole():
    text = " ".join(WORDS[:64]) + " "  # README: "a query is cut to its first 64 words"
    assert cap_terms(text) == (text, 64)
    assert cap_notice(text) is None


def test_a_longer_query_keeps_exactly_its_first_64_words():
    text = " ".join(WORDS)
    assert cap_terms(text) == (" ".join(WORDS[:64]), 100)
    assert cap_terms(" ".join(WORDS[:65])) == (" ".join(WORDS[:64]), 65)
    assert check(text) == " ".join(WORDS[:64])
    assert cap_notice(text) == "Searched for the first 64 of the 100 words typed."


def test_the_cut_closes_a_phrase_it_leaves_open():
    text = 'robots "chain ' + " ".join(WORDS) + '"'
    kept, count = cap_terms(text)
    assert count == 102
    assert kept == 'robots "chain ' + " ".join(WORDS[:62]) + '"'


def test_the_cut_leaves_a_closed_phrase_alone():
    text = '"chain of thought" ' + " ".join(WORDS)
    assert cap_terms(text)[0] == '"chain of thought" ' + " ".join(WORDS[:61])


def test_the_cut_closes_only_the_groups_it_leaves_open():
    text = "(robot OR arm) (" + " ".join(WORDS) + ")"
    kept, _count = cap_terms(text)
    assert kept == "(robot OR arm) (" + " ".join(WORDS[:61]) + ")"
    nested = "((" + " ".join(WORDS) + "))"
    assert cap_terms(nested)[0] == "((" + " ".join(WORDS[:64]) + "))"
    # a parenthesis inside a quoted phrase groups nothing, so nothing is closed for it
    quoted = '"f(x" ' + " ".join(WORDS)
    assert cap_terms(quoted)[0] == '"f(x" ' + " ".join(WORDS[:63])


def test_the_query_is_folded_but_keeps_its_case():
    assert check("Go\u0308del ﬁsh Garc\u00eda") == "Godel fish Garcia"


@pytest.mark.parametrize("text, message", [
    ('"chain of', 'Unbalanced quote: close the phrase with another ".'),
    ("(robot OR skill", "Unbalanced parentheses: a '(' is never closed."),
    ("robot)", "Unbalanced parentheses: a ')' has no matching '('."),
    ("(a)) ((b)", "Unbalanced parentheses: a ')' has no matching '('."),
    ("year:[2020 TO", "A range is not closed: write it like year:[2020 TO 2024]."),
    ("status:done", "status: is one of queued, reading, read, archived (got 'done')."),
    ("year:twenty", "year: needs a number, like year:2024 or year:[2020 TO 2024] (got 'twenty')."),
])
def test_a_malformed_query_says_what_is_wrong(text, message):
    with pytest.raises(QueryError) as info:
        check(text)
    assert str(info.value) == message


def test_a_field_with_no_value_names_the_fields():
    with pytest.raises(QueryError) as info:
        check("robots title:")
    assert str(info.value) == ("title: needs a value after the colon, like title:robots. Fields you "
                               "can search: title, abstract, authors, tag, notes, status, year, "
                               "arxiv, doi.")


def test_a_bad_value_is_shown_on_one_short_line():
    with pytest.raises(QueryError) as info:
        check("year:[2020\n\nTO x]")
    assert str(info.value).endswith("(got '[2020 TO x]').")
    with pytest.raises(QueryError) as info:
        check("year:" + "9" * 100)
    assert f"(got '{'9' * 60}')." in str(info.value)


@pytest.mark.parametrize("text", [
    "year:2024", "year:>=2020", "year:<2000", "year:[2020 TO 2024]", "year:{2020 to}",
    "year:[TO 2024] robots", "year:[2020 TO 2024] robots", "year:{2020 TO 2024} robots",
    "status:read", "status:Queued", "tag:robotics", "doi:10.1000/x1", "arxiv:2401.01234",
    "(year:2020 OR year:2021) robots", '"(unclosed (" robots', '"title:" robots', "a.b:c",
    "see https://example.org/x",
])
def test_well_formed_queries_pass_unchanged(text):
    assert check(text) == text


@pytest.mark.parametrize("text, out", [
    ("author:Lovelace", "authors:Lovelace"),
    ("AUTHOR:Lovelace robots", "authors:Lovelace robots"),
    ("Tags:robotics Note:later", "tag:robotics notes:later"),
    ('title:"chain of thought"', 'title:"chain of thought"'),
])
def test_field_names_are_spelled_as_the_index_spells_them(text, out):
    assert check(text) == out


@pytest.mark.parametrize("text, out", [
    ("Choreographer: Learning robots", "Choreographer  Learning robots"),
    ("title: robots", "title  robots"),  # a field followed by a space is a word and a colon
    ("Mirage? Not quite", "Mirage  Not quite"),
    ("Experts -- Behavior", "Experts    Behavior"),
    ("Experts + Behavior -", "Experts   Behavior  "),
    ("f(x) and g", "f x  and g"),
    ("Evaluator(PAE) scores", "Evaluator PAE  scores"),
    ("f((x)) y", "f  x   y"),
    ("f((x) y)", "f  x  y "),
    ("Evaluator((PAE)) scores", "Evaluator  PAE   scores"),
])
def test_pasted_punctuation_becomes_plain_text(text, out):
    assert check(text) == out


@pytest.mark.parametrize("text", ["((robot)) arm", "(robot OR arm) (legs)", "( (robot) )",
                                  "robot?*", '"why?" robot', "x ((robot))"])
def test_punctuation_that_means_something_is_kept(text):
    assert check(text) == text


@pytest.mark.parametrize("text, out", [
    ("robots -walk", "robots NOT walk"),
    ("-robot", "NOT robot"),
    ("+robots -walk", "robots NOT walk"),
    ('robots -"legged robots"', 'robots NOT "legged robots"'),
    ("robots -(walk OR run)", "robots NOT (walk OR run)"),
    ("(arm -leg)", "(arm NOT leg)"),
    ("-title:walk robots", "NOT title:walk robots"),
    ("-author:May", "NOT authors:May"),
    # a dash or plus inside a word, doubled, or standing alone is text, not an operator
    ("fine-tuning self-play", "fine-tuning self-play"),
    ("C++ code", "C++ code"),
    ("--walk", "--walk"),
    ("Experts - Behavior", "Experts   Behavior"),
    ('"-walk" robots', '"-walk" robots'),
])
def test_a_leading_minus_is_not_and_a_plus_is_dropped(text, out):
    assert check(text) == out


def _leaves(q: wq.Query) -> list[wq.Query]:
    return [q] if q.is_leaf() else list(q.leaves())


PARSER = SearchIndex(Path("<query-cases>"))


def test_stop_words_are_left_out_when_there_are_other_words():
    words = {(leaf.fieldname, leaf.text) for leaf in _leaves(PARSER.parse("theory of mind"))}
    assert ("authors", "of") not in words
    assert ("title", "theori") in words and ("authors", "mind") in words
    # alone, or after a field, such a word is searched for
    assert ("authors", "of") in {(leaf.fieldname, leaf.text) for leaf in _leaves(PARSER.parse("of"))}
    assert PARSER.parse("authors:May of") == wq.Term("authors", "may")
    assert PARSER.parse("of authors:May") == wq.Term("authors", "may")
    # inside a group too, and only bare words count as other words (not operators)
    grouped = {(leaf.fieldname, leaf.text) for leaf in _leaves(PARSER.parse("robot (theory of mind)"))}
    assert ("authors", "of") not in grouped and ("authors", "mind") in grouped
    both = {(leaf.fieldname, leaf.text) for leaf in _leaves(PARSER.parse("of OR the"))}
    assert {("authors", "of"), ("authors", "the")} <= both


def test_an_operator_beside_an_ignored_word_reads_as_if_it_were_not_typed():
    """`the ANDNOT robot` once parsed to nothing (AndNot of an empty side); an ignored
    word is not typed at all, so the operator's other side is what is searched."""
    robot = PARSER.parse("robot")
    assert PARSER.parse("of ANDNOT robot") == wq.Not(robot)
    assert PARSER.parse("robot ANDNOT of") == robot
    assert PARSER.parse("robot REQUIRE of") == robot
    assert PARSER.parse("the ANDMAYBE robot") == robot
    assert PARSER.parse("of REQUIRE robot") == robot
    assert PARSER.parse("robot -the") == robot


def test_a_boost_on_an_ignored_word_goes_with_it():
    """`of^2 robot` left `^2` behind as a required word (an empty field name): no hits."""
    assert PARSER.parse("of^2 robot") == PARSER.parse("robot")


def test_a_fuzzy_term_keeps_the_word_as_typed():
    q = PARSER.parse("title:robots~")
    assert isinstance(q, wq.FuzzyTerm) and q.text == "robot" and q.typed == "robots"
    fuzzy = [leaf for leaf in _leaves(PARSER.parse("Robots~2 arm")) if isinstance(leaf, wq.FuzzyTerm)]
    assert fuzzy and all(leaf.typed == "robots" for leaf in fuzzy)


@pytest.mark.parametrize("text, expected", [
    ("Attention Is All You Need (NeurIPS 2017)", "Attention OR All OR Need OR NeurIPS OR 2017"),
    ("theory of mind", "theory OR mind"),  # stop words do not count
    ('A. Vaswani et al., "Attention is all you need," in NeurIPS',
     "Vaswani OR et OR al OR Attention OR all OR need OR NeurIPS"),  # quotes are punctuation
    ("Vaswani, A. (2017). Attention. arXiv preprint arXiv:1706.03762.",
     "arxiv:1706.03762 OR Vaswani OR 2017 OR Attention OR arXiv OR preprint"),
    ("Title words. doi:10.1145/3442188.3445922, 2021",
     "doi:10.1145/3442188.3445922 OR Title OR words OR 2021"),
    ("Robots robots ROBOTS arms", "Robots OR arms"),  # one word once, as first written
    ("fine-tuning LLMs: a survey", "fine-tuning OR LLMs OR survey"),
    ("Choreographer: Learning Skills", "Choreographer OR Learning OR Skills"),
    # deliberate search language: no offer
    ("robots -walk", None), ("tag:rl robots", None), ("+robots arms", "robots OR arms"),
    ("year:2017 attention", None), ("robots AND arms", None), ("robots OR arms", None),
    ("skill* learning", None), ("robts~ arms", None), ("ro?ots arms", None),
    # malformed, or fewer than two words that count
    ("robots (arms", None), ('"robots arms', None), ("robots", None), ("the of robots", None),
    ("a b c", None), ("", None),
])
def test_any_words_joins_a_plain_querys_words_with_or(text, expected):
    assert any_words(text) == expected


@pytest.mark.parametrize("text, checked", [
    ("2503.01234v1", "2503.01234"), ("arXiv:2503.01234v12", "arxiv:2503.01234"),
    ("https://arxiv.org/abs/2503.01234", "2503.01234"),
    ("https://arxiv.org/pdf/2503.01234v3.pdf", "2503.01234"),
    ("https://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001"),
    ("https://doi.org/10.1145/3442188.3445922", "doi:10.1145/3442188.3445922"),
    ("https://dl.acm.org/doi/10.1145/3442188.3445922", "doi:10.1145/3442188.3445922"),
    ('"2503.01234v1"', '"2503.01234v1"'),  # a phrase is searched as typed
    ("robots 2503.01234v1x", "robots 2503.01234v1x"),  # not an id
    ("https://example.org/robots", "https://example.org/robots"),  # no id in it: words
])
def test_identifiers_in_a_query_are_read_as_the_index_holds_them(text, checked):
    assert check(text) == checked
