"""Where a card's passage opens, at the edge of the text's first word: the start "a few
words before" a match that sits just past LEAD_CHARS is a whole word's, never the
second character of the text, even when that character would show as many matches."""

from __future__ import annotations

from paperdeck.core.highlights import LEAD_CHARS, passage_start, spans


def test_a_lead_that_falls_inside_the_first_word_opens_at_the_second() -> None:
    text = ("Longword " + "xxx xxx xxx xxx xxxxx " + "robots " + "xxx xxx xxx xxxx " + "robots"
            + " xxx xxx xxx xxx")
    first, second = spans("robots", "abstract", text)
    assert first == (LEAD_CHARS + 1, 6)  # its lead starts at the text's second character
    assert sum(second) == 61  # one past a 60-character view from the text's start
    # from 9 ("xxx", the second word) a 60-character view shows both; from 0 only the first;
    # from 1 both as well, but 1 is inside "Longword"
    assert passage_start("robots", "abstract", text, width=60) == 9
