"""Edges of id_context's helpers that identifiers_list asks about a line (mutation survivors):
the title beside a paper page's link, and whether a title stands before a link."""

from __future__ import annotations

from paperdeck.core.digest.id_context import title_beside, titled_before

DOI_LINK = "https://doi.org/10.1109/CVPR.2016.90"


def test_title_beside_a_link_on_a_later_line_keeps_its_first_letter():
    text = "Papers:\nAttention Is All You Need - https://openreview.net/forum?id=abc123\n"
    assert title_beside(text, text.index("https")) == "Attention Is All You Need"


def test_title_beside_a_link_after_a_leading_blank_line():
    text = "\nAttention Is All You Need - https://openreview.net/forum?id=abc123"
    assert title_beside(text, text.index("https")) == "Attention Is All You Need"


def test_no_title_beside_a_bare_link_is_the_empty_string():
    text = "Attention Is All You Need\nhttps://openreview.net/forum?id=abc123\n"
    assert title_beside(text, text.index("https")) == ""


def test_titled_before_reads_only_the_words_before_the_link():
    """Three words in sentence case are no title; the link after them must not count as a
    fourth word."""
    line = f"Deep residual learning {DOI_LINK}"
    assert titled_before(line, line.index("10.1109")) is False
    line = f"Deep Residual Learning for Image Recognition - {DOI_LINK}"
    assert titled_before(line, line.index("10.1109")) is True


def test_title_and_names_beside_a_link_after_a_leading_blank_line():
    text = "\nAttention Is All You Need — Ashish Vaswani, Noam Shazeer https://openreview.net/forum?id=abc123"
    assert title_beside(text, text.index("https")) == "Attention Is All You Need"
