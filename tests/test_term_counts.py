"""TermCounter (each distinct word analysed once) against Whoosh's own `field.index` over
the same text: the same terms, frequencies and field length, for every analyzer of the
index's schema, over generated papers and over arbitrary Unicode text."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import RegexTokenizer, StemFilter
from whoosh.fields import TEXT

from paperdeck.core.search import make_schema
from paperdeck.core.term_counts import TermCounter, counters, split_words
from paperdeck.core.textnorm import WORD, Folded, text_analyzer

sys.path.insert(0, str(Path(__file__).parent / "bench"))
from corpus import load_source, make_draft  # noqa: E402

SCHEMA = make_schema()
COUNTED = ("title", "abstract", "authors", "notes")
COUNTERS = counters(SCHEMA, COUNTED)


def _whoosh(field: str, text: str) -> tuple[dict[str, int], int]:
    out = {}
    length = 0
    for btext, freq, weight, _value in SCHEMA[field].index(text):
        assert weight == freq  # what the rebuild's writer assumes of these fields
        out[btext.decode("utf-8")] = freq
        length += freq
    return out, length


def _ours(field: str, text: str) -> tuple[dict[str, int], int]:
    counts, length = COUNTERS[field].counts(text)
    return dict(counts), length


def test_every_text_field_has_a_counter_and_identifier_fields_none():
    assert set(COUNTERS) == set(COUNTED)
    assert COUNTERS["title"] is COUNTERS["abstract"] is COUNTERS["notes"]  # one vocabulary
    assert COUNTERS["authors"] is not COUNTERS["title"]
    assert not counters(SCHEMA, ["arxiv", "doi", "id", "year"])


def test_generated_papers_count_as_whoosh_counts():
    rng, src = random.Random(11), load_source()
    for n in range(300):
        d = make_draft(rng, src, n)
        for field, text in (("title", d.title), ("abstract", d.abstract),
                            ("authors", "; ".join(d.authors)), ("notes", d.abstract[:200])):
            assert _ours(field, text) == _whoosh(field, text), (field, text)


_ALPHABET = st.sampled_from(list(
    "aeioubcdfgklmnrst   ...**--;:,'’()ÉéüßÆıİﬁ①ＡＢｍ\u0301\u0308\u200b\t\n0123456789_"))
_WORDS = st.sampled_from(["the", "of", "a", "I", "models", "modelling", "running", "runs",
                          "e.g.", "U.S.A.", "3.14", "v1.2", "Gödel", "Go\u0308del", "ｍｌ",
                          "agents", "agent", "agentic", "**", "x*y", "language", "languages"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_WORDS, st.text(_ALPHABET, max_size=12)), max_size=40)
       .map(" ".join))
def test_arbitrary_text_counts_as_whoosh_counts(text):
    for field in ("abstract", "authors"):
        assert _ours(field, text) == _whoosh(field, text), (field, text)


def test_analyzers_of_another_shape_are_left_to_whoosh():
    assert TermCounter.for_analyzer(TEXT().analyzer) is None  # StandardAnalyzer: no fold
    assert TermCounter.for_analyzer(Folded(RegexTokenizer(r"\w+")) | StemFilter()) is None
    assert TermCounter.for_analyzer(text_analyzer()) is not None  # no pairs: fine too
    analyzer = text_analyzer()
    text = "The running models run, and run again"
    expected = {}
    for token in analyzer(text):
        expected[token.text] = expected.get(token.text, 0) + 1
    assert dict(TermCounter.for_analyzer(analyzer).counts(text)[0]) == expected
    assert expected["run"] == 2


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list(" \t\n.*_-,;:()'\"/abcXYZ019éｍ")), max_size=40))
def test_the_ascii_word_split_is_the_tokenizers(text):
    assert split_words(text) == WORD.findall(text)


def test_a_filter_that_is_not_one_token_in_one_out_is_refused():
    """Remembering a word's single term is right only for filters that map one token to
    one or none: a filter splitting a word (Whoosh's IntraWordFilter: "ab12" -> "ab",
    "12") must fail loudly, not count one of its pieces."""
    import pytest
    from whoosh.analysis import IntraWordFilter

    counter = TermCounter((IntraWordFilter(mergewords=False, mergenums=False),), False)
    assert counter.terms("robot") == ["robot"]
    with pytest.raises(ValueError, match="not one token in, one out: 'ab12'"):
        counter.terms("robot ab12")
