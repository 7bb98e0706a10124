"""Detection by content, the forced format, and plain-words "nothing found" results."""

from __future__ import annotations

import pytest

from digest_samples import expected, samples
from paperdeck.core.digest import FORMATS, ParseResult, detect_format, parse_digest


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  \n",
        "The weather was lovely today, so we walked to the harbour and had lunch.",
        "def main():\n    for i in range(10):\n        print(i)\n",
        "apple banana cherry\ndelta echo foxtrot\ngolf hotel india\n",
        "Subscribe\nSubscribe\nhttps://example.com\nhttps://example.org/page\n",
        "Dear team,\n\nPlease find attached the minutes of Monday's meeting.\n\nBest,\nAnna",
    ],
)
def test_unknown_text_gives_none_with_plain_message(text: str) -> None:
    result = parse_digest(text)
    assert result == ParseResult("none", [], result.message)
    assert result.message.startswith("No papers recognised: ")
    assert "arXiv" in result.message and "BibTeX" in result.message


def test_formats_have_human_labels() -> None:
    assert FORMATS["hf-papers"] == "Hugging Face papers page"
    assert all(label and name == name.lower() for name, label in FORMATS.items())


def test_each_sample_is_detected_as_its_format_only() -> None:
    for sample in samples():
        text = sample.read_text(encoding="utf-8")
        assert detect_format(text) == expected(sample)["format"], sample.name


def test_overlapping_shapes_pick_the_specific_format() -> None:
    """HF markdown is also a markdown list, arXiv emails also hold ids: the specific one wins."""
    hf_md = next(p for p in samples("hf-weekly-markdown"))
    assert detect_format(hf_md.read_text(encoding="utf-8")) == "hf-papers"
    email = next(p for p in samples("arxiv-email-cs"))
    assert detect_format(email.read_text(encoding="utf-8")) == "arxiv-email"
    assert parse_digest(hf_md.read_text(encoding="utf-8"), fmt="markdown").format == "markdown"


def test_forced_format_with_nothing_found_explains() -> None:
    result = parse_digest("just some words here", fmt="bibtex")
    assert result.format == "bibtex"
    assert result.drafts == []
    assert "BibTeX" in result.message


def test_unknown_forced_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown digest format"):
        parse_digest("x", fmt="nope")


def test_html_paste_is_flattened_when_that_reads_better() -> None:
    html = (
        "<html><body><ul>"
        '<li><a href="https://arxiv.org/abs/1706.03762">Attention Is All You Need</a></li>'
        '<li><a href="https://arxiv.org/abs/1810.04805">BERT: Pre-training of Deep '
        "Bidirectional Transformers</a></li></ul></body></html>"
    )
    result = parse_digest(html)
    assert [d.arxiv_id for d in result.drafts] == ["1706.03762", "1810.04805"]


def test_titles_never_garbage() -> None:
    text = "Subscribe\n" + "x" * 2000 + "\nhttps://arxiv.org/abs/2401.01234\n"
    for d in parse_digest(text).drafts:
        assert d.title == "" or (len(d.title) <= 300 and not d.title.startswith("http"))
