"""One spelling per word (textnorm.py), case by case: what `fold` makes of text as it
is pasted or typed, that the analyzers see the folded words, and that `has_phrase`
agrees with the analyzers on whether a phrase's words follow each other (the analyzer's
own tokens are the oracle: a phrase is in a text exactly when its words are a run of
them)."""

from __future__ import annotations

import pytest
from whoosh.analysis import RegexTokenizer

from paperdeck.core.textnorm import Folded, fold, has_phrase, names_analyzer, text_analyzer


@pytest.mark.parametrize("text, folded", [
    ("Robot Arms", "robot arms"),
    ("G\u00f6del", "godel"), ("Go\u0308del", "godel"),  # composed or decomposed: one word
    ("Garc\u00eda Nu\u00f1ez", "garcia nunez"),
    ("\uff4d\uff4c-\uff54\uff41\uff47", "ml-tag"),  # full-width letters
    ("\ufb01ne\u2026", "fine..."),  # a ligature and an ellipsis: NFKC makes them plain
    ("x\u00b2", "x2"),
    ("\u00c5ngstr\u00f6m", "angstrom"),
    ("", ""),
])
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_can_keep_the_case():
    assert fold("G\u00f6del \uff21I", lower=False) == "Godel AI"
    assert fold("RNN") == "rnn"


def test_the_analyzers_see_folded_words():
    assert [t.text for t in text_analyzer()("G\u00f6del's robots, a \ufb01ne arm")] == [
        "godel", "robot", "fine", "arm"]  # the "s" after the apostrophe: one letter, dropped
    assert [t.text for t in names_analyzer()("Bo An; Jos\u00e9 Garc\u00eda")] == [
        "bo", "an", "jose", "garcia"]


def test_a_folded_tokenizer_is_equal_to_one_with_an_equal_inner_tokenizer():
    a, b = Folded(RegexTokenizer()), Folded(RegexTokenizer())
    assert a == b and hash(a) == hash(b)
    assert a != Folded(RegexTokenizer(r"\S+"))
    assert a != RegexTokenizer()
    assert a.inner == RegexTokenizer()


def _analysed(text: str, stemmed: bool) -> list[str]:
    analyzer = text_analyzer() if stemmed else names_analyzer()
    return [t.text for t in analyzer(text, mode="query")]


def _oracle(text: str, words: tuple[str, ...], stemmed: bool) -> bool:
    tokens = _analysed(text, stemmed)
    k = len(words)
    return any(tuple(tokens[i:i + k]) == words for i in range(len(tokens) - k + 1))


ABSTRACT = "Robots learn a chain of thought; the robotic arms of X. G\u00f6del reach far."


@pytest.mark.parametrize("words, stemmed, expected", [
    (("chain", "thought"), True, True),  # "of" is a stop word: the index skips it
    (("robot", "learn", "chain"), True, True),  # "a" is dropped (a stop word, one letter)
    (("robot", "arm"), True, True),  # stems: "robotic arms"
    (("arm", "godel"), True, True),  # "of" and the single letter "X" dropped between
    (("godel", "reach", "far"), True, True),  # the last words of the text
    (("thought", "chain"), True, False),  # the other order
    (("robot", "chain"), True, False),  # not neighbours
    (("reach", "far", "away"), True, False),  # runs past the end
    (("chain", "of", "thought"), False, True),  # names: every word kept
    (("chain", "thought"), False, False),
    (("arms", "of", "x"), False, True),
    (("robots", "learn"), False, True), (("robot", "learn"), False, False),  # not stemmed
    (("far",), False, True), (("far",), True, True),
])
def test_has_phrase_agrees_with_the_analyzers(words, stemmed, expected):
    assert _oracle(ABSTRACT, words, stemmed) == expected
    assert has_phrase(ABSTRACT, words, stemmed) == expected


@pytest.mark.parametrize("text, words, stemmed", [
    ("AI agents plan", ("ai", "agent"), True),  # two letters: a word the index keeps
    ("ML on GPUs", ("ml", "gpu"), True),  # "on" between: a stop word, skipped
    ("A robot", ("robot",), True),
])
def test_has_phrase_keeps_two_letter_words(text, words, stemmed):
    assert _oracle(text, words, stemmed)
    assert has_phrase(text, words, stemmed)
