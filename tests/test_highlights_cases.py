"""What a search marks in a card's text (highlights.py), case by case, and whether the
index agrees: each marked word, alone in a paper of its own, is found by the same query
in a real index of that field (trash_search.MemoryIndex: the index's schema, parser and
matching), and each unmarked word is not. The card tests (test_ui_search_cards.py) show
the marks painted; these pin which words they are."""

from __future__ import annotations

import re

import pytest

from paperdeck.core.highlights import LEAD_CHARS, PASSAGE_CHARS, passage_start, spans, wanted
from paperdeck.core.search import IndexDoc
from paperdeck.core.trash_search import MemoryIndex


@pytest.fixture(autouse=True)
def computed_afresh():
    """The answers are cached (cards repaint often): each test computes its own."""
    spans.cache_clear()
    wanted.cache_clear()


TEXT = "Robotic arms and robots. A chain of thought for a chain; of course, thought chains."


def marked(query: str, text: str = TEXT, field: str = "abstract") -> list[str]:
    return [text[start:start + n] for start, n in spans(query, field, text)]


def one_word_papers(words: list[str], field: str) -> MemoryIndex:
    empty = dict.fromkeys(("title", "abstract", "authors", "notes", "arxiv_id", "doi"), "")
    return MemoryIndex([IndexDoc(**{**empty, "id": i, "year": None, field: word})
                        for i, word in enumerate(words)])


@pytest.mark.parametrize("query", ["robots", "rob*", "robtos~", "chian~1/2", "arm OR course",
                                   "title:robots OR abstract:thought", "authors:chain"])
def test_a_word_is_marked_exactly_when_the_index_finds_it(query):
    words = re.findall(r"\w+", TEXT)
    index = one_word_papers(words, "abstract")
    found = {words[i] for i in index.search(query)}
    assert set(marked(query)) == found


@pytest.mark.parametrize("query, words", [
    ("robots", ["Robotic", "robots"]),  # one stem
    ("robot NOT arms", ["Robotic", "robots"]),  # words under NOT mark nothing
    ("robot ANDNOT arms", ["Robotic", "robots"]),
    ('"robots"', ["Robotic", "robots"]),  # a phrase of one word is that word
    ("year:2020 robots", ["Robotic", "robots"]),  # a year marks no word
    ('"chain of thought"', ["chain of thought"]),  # the phrase, not a lone chain or of
    ('"chain thought"~3', ["chain", "thought", "chain", "thought", "chains"]),  # words apart
    ("chian~1/2", ["chain", "chain", "chains"]),  # two letters as typed, one edit
    ("chian~1/3", []),  # three letters as typed: "cha" is not "chi"
    ("title:robots", []),  # another field's word
    ("(", []),  # a malformed query marks nothing
    ("", []),
    ("   ", []),
])
def test_what_is_marked(query, words):
    assert marked(query) == words


def test_marks_in_other_fields():
    assert marked("lovelace", "Ada Lovelace; Bo An", "authors") == ["Lovelace"]
    assert marked("an", "Ada Lovelace; Bo An", "authors") == ["An"]  # names keep short words
    assert marked("lvelce~2", "Ada Lovelace; Bo An", "authors") == ["Lovelace"]  # two edits: allowed
    assert marked("lvelce~1", "Ada Lovelace; Bo An", "authors") == []
    assert marked("robots", "Robots", "year") == []  # not a text field
    assert marked("robots", "Robots", "no such field") == []
    assert marked("robots", "", "abstract") == []


def test_marks_follow_the_text_as_given_not_as_folded():
    decomposed = "Go\u0308del\u2026 robots and Garc\u00eda"  # "…" folds to three dots
    assert marked("godel robots garcia", decomposed) == ["Go\u0308del", "robots", "Garc\u00eda"]
    assert marked("robots", "\ufb01ne robots") == ["robots"]  # "ﬁ" folds to two letters


def test_marks_that_touch_are_one_stretch():
    assert spans('"chain of thought" thought', "abstract", TEXT) == [(27, 16), (68, 7)]
    assert marked("arms robots", "robots arms") == ["robots", "arms"]


def test_wanted_lists_positive_leaves_only():
    want = wanted("robot NOT arm")
    assert want.words["abstract"] == {"robot"} and not want.phrases and not want.fuzzy
    assert not wanted("NOT robot") and not wanted("") and not wanted(")")
    assert wanted('"chain of thought"').words_of("abstract") == {"chain", "thought"}
    assert wanted("rob*").prefixes["title"] == ["rob"]
    assert wanted("robots~2/1").fuzzy["title"] == [("robot", 2, 1)]


LONG = ("Agents act in worlds. " * 10 + "Then the arms reach far. "
        + "Nothing here matters. " * 6 + "A last robot waves.")


def test_a_passage_opens_at_the_sentence_of_its_match():
    start = passage_start("arms", "abstract", LONG)  # the earliest sentence that shows it
    at = LONG.index("arms")
    assert LONG[start - 2:start] == ". " and start <= at and at + 4 <= start + 160
    assert at + 4 > (start - len("Agents act in worlds. ")) + 160
    assert passage_start("agents", "abstract", LONG) == 0  # the opening shows it already
    assert passage_start("zebra", "abstract", LONG) == 0


def test_a_passage_shows_the_most_matches_it_can():
    start = passage_start("arms OR matters", "abstract", LONG, width=60)
    shown = LONG[start:start + 60]
    assert "arms" in shown and "matters" in shown


def test_a_passage_drops_a_short_first_word_to_show_one_more_match():
    """Two matches 153 characters apart, the first one word in: only a passage opening at
    the first match shows both (the opening, 0, and every lead-in shows one)."""
    text = "An robots " + "word " * 29 + "a robots and more words after it"
    second = text.rindex("robots")
    assert second + 6 == 163 > PASSAGE_CHARS  # past the opening's view, within the first match's
    start = passage_start("robots", "abstract", text)
    assert start == 3 and text[start:start + PASSAGE_CHARS].count("robots") == 2


def test_without_a_sentence_start_a_passage_opens_a_few_words_before():
    text = "word " * 40 + "robots here"
    start = passage_start("robots", "abstract", text, width=40)
    at = text.index("robots")
    assert at - LEAD_CHARS <= start < at and text[start - 1] == " "
    assert text[start:].startswith("word")


def test_overlapping_phrases_are_one_stretch():
    assert marked('"robot arms" "arms race"', "A robot arms race.") == ["robot arms race"]


def test_a_passage_is_card_wide():
    assert PASSAGE_CHARS == 160  # about two lines of a card's abstract
    fits = "x " * 77 + "robots"  # ends at 160: the opening shows it
    assert passage_start("robots", "abstract", fits) == 0
    beyond = "xx " + "x " * 76 + "robots"  # ends at 161
    assert passage_start("robots", "abstract", beyond) > 0


def test_the_lead_before_a_match_starts_at_a_whole_word():
    text = "x " * 100 + " robots"  # no sentence: the passage opens LEAD_CHARS before, at a word
    at = text.index("robots")
    assert passage_start("robots", "abstract", text) == at - LEAD_CHARS + 1
    glued = "abcdefghij" * 30 + " robots"  # one long word before it: at the match
    assert passage_start("robots", "abstract", glued) == glued.index("robots")
    spaceless = "x" * 300 + "-robots"  # no space at all after the cut: at the cut
    assert passage_start("robots", "abstract", spaceless) == spaceless.index("robots") - LEAD_CHARS


FUZZY_TEXT = "Robotic robotics roboticist robots. G\u00f6del and Garc\u00eda; the thought chains."


@pytest.mark.parametrize("query", [
    "robotika~2",  # "Robotic" is 2 edits away as written, its stem "robot" 3: no match
    "robotixx~2",
    "robotica~1/7",  # one edit from "robotic", whose stem "robot" the index reaches
    "robotist~1/6",
    "godl~1/3", "garcai~1/4", "thougth~2/5", "chians~1",
])
def test_a_typo_marks_exactly_what_the_index_finds(query):
    words = re.findall(r"\w+", FUZZY_TEXT)
    index = one_word_papers(words, "abstract")
    found = {words[i] for i in index.search(query)}
    assert set(marked(query, FUZZY_TEXT)) == found


@pytest.mark.parametrize("query, words", [
    ("robotika~2", []),  # the index holds stems: the word as written is not matched
    ("robotica~1/7", ["Robotic", "robotics", "robots"]),  # not "roboticist": its own stem
])
def test_what_a_typo_marks(query, words):
    assert marked(query, FUZZY_TEXT) == words


def test_a_typo_in_a_names_field_matches_the_name_as_written():
    names = "Tom Hope; Ada Hoping"  # names are not stemmed: "hoping~1" is not "Hope"
    index = one_word_papers(["Tom", "Hope", "Ada", "Hoping"], "authors")
    assert [["Tom", "Hope", "Ada", "Hoping"][i] for i in index.search("authors:hoping~1")] == ["Hoping"]
    assert marked("authors:hoping~1", names, "authors") == ["Hoping"]


def test_a_phrase_with_slop_marks_its_words_apart_and_without_it_only_adjacent():
    assert marked('"chain thought"~2') == ["chain", "thought", "chain", "thought", "chains"]
    assert marked('"robot arms"', "A robot with big arms.") == []  # "big" between
    assert marked('"robot arms"', "A robot and arms.") == ["robot and arms"]  # a stop word only


def test_marks_in_text_whose_folding_composes_characters():
    jamo = "\u1112\u1161\u11ab\u1100\u116e\u11a8"  # 한국 as six jamo: folds to two syllables
    assert marked("robots", jamo + " robots") == ["robots"]
    assert marked("\ud55c\uad6d", jamo + " robots", "authors") == [jamo]
    assert marked("\ud55c\uad6d robots", jamo + "-robots", "authors") == [jamo, "robots"]  # no space
    assert marked("garcia", "Robots (Garc\u00eda)") == ["Garc\u00eda"]  # a word inside a stretch
    mixed = "Go\u0308del: \u1112\u1161\u11ab robots\u2026 Garc\u00eda"
    assert marked("godel robots garcia", mixed) == ["Go\u0308del", "robots", "Garc\u00eda"]


def test_a_match_that_ends_the_text_is_marked_whole():
    assert marked("robots", "arms and robots") == ["robots"]
    assert marked("robots", "arms and r\u00f6bots") == ["r\u00f6bots"]


def test_a_passage_past_the_opening_starts_a_lead_before_the_match():
    beyond = "xx " + "x " * 76 + "robots"  # ends at 161: no sentence, so the lead's word
    assert passage_start("robots", "abstract", beyond) == beyond.index("robots") - LEAD_CHARS


def test_a_lead_that_falls_on_a_word_start_opens_there():
    text = "word " * 40 + "robots"  # the cut, 30 before "robots", is the start of a "word"
    at = text.index("robots")
    assert text[at - LEAD_CHARS - 1] == " "
    assert passage_start("robots", "abstract", text) == at - LEAD_CHARS


def test_a_phrase_of_three_words_marks_them_only_in_a_row():
    assert marked('"language model agents"', "Large language model agents act.") == [
        "language model agents"]
    assert marked('"language model agents"', "A language model for agents.") == [
        "language model for agents"]  # a stop word between: the index skips it too
    assert marked('"language model agents"', "A language model of robot agents.") == []
