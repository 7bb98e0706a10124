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


def test_detection_matrix_is_diagonal() -> None:
    """Every sample against every format: the one it is read as is its own, never another's."""
    from collections import Counter

    confusion = Counter(
        (expected(s)["format"], detect_format(s.read_text(encoding="utf-8"))) for s in samples()
    )
    off = {pair: n for pair, n in confusion.items() if pair[0] != pair[1]}
    assert off == {}
    assert {own for own, _ in confusion} == set(FORMATS)


@pytest.mark.parametrize(
    "text",
    [
        # a Hugging Face page's furniture with no paper on it
        "Daily Papers\n============\n\nby [AK](https://huggingface.co/akhaliq) and the research community\n\n"
        "*   [Models](https://huggingface.co/models)\n*   [Log In](https://huggingface.co/login)\n\nMar 14\n",
        # a table of tools under a "Name" column: none links to a paper
        "| Name | Stars | Link |\n|---|---|---|\n"
        "| vLLM | 40k | [GitHub](https://github.com/vllm-project/vllm) |\n"
        "| Ollama | 100k | [GitHub](https://github.com/ollama/ollama) |\n| llama.cpp | 70k | "
        "[GitHub](https://github.com/ggerganov/llama.cpp) |\n",
        # an arXiv list page with its navigation but no entries
        "Machine Learning\nAuthors and titles for new submissions\n\n    Showing new listings for Friday, "
        "14 March 2025\n\nTotal of 0 entries\nShowing up to 2000 entries per page: fewer | more | all\n",
    ],
)
def test_page_furniture_alone_is_no_paper(text: str) -> None:
    assert parse_digest(text).drafts == []


def test_plain_rows_count_only_in_tables_of_papers() -> None:
    """A milestone table takes rows without a link when most rows link to papers, not otherwise."""
    rows = "| Date | Paper |\n|---|---|\n| 2019-02 | Language Models are Unsupervised Multitask Learners |\n"
    linked = "| 2017-06 | [Attention Is All You Need](https://arxiv.org/abs/1706.03762) |\n"
    assert [d.title for d in parse_digest(rows + linked * 1).drafts] == ["Attention Is All You Need"]
    bert = "[BERT: Pre-training of Deep Bidirectional Transformers](https://arxiv.org/abs/1810.04805)"
    more = linked + f"| 2018-10 | {bert} |\n"
    assert len(parse_digest(rows + more).drafts) == 3


def test_library_formats_claim_only_their_own_files() -> None:
    """JabRef, Better BibTeX JSON and CSL-JSON score nothing on any other sample (a plain
    BibTeX paste, a RIS file, a digest), so they can never take one over."""
    from paperdeck.core.digest import csl_json, jabref, zotero_json, zotero_rdf

    for sample in samples():
        text = sample.read_text(encoding="utf-8")
        own = expected(sample)["format"]
        for parser in (jabref, zotero_json, csl_json, zotero_rdf):
            if own != parser.NAME:
                assert parser.score(text) == 0.0, (sample.name, parser.NAME)


def test_list_items_name_their_authors_and_coined_titles() -> None:
    """"[Title](url) - A, B et al. VENUE 2020." is authors and a venue, not an abstract;
    a one-word linked name is a title, a generic link label is not."""
    text = (
        "- [Deep Residual Learning for Image Recognition](https://arxiv.org/abs/1512.03385) - Kaiming He, "
        "Xiangyu Zhang, Shaoqing Ren, Jian Sun. CVPR 2016.\n"
        "- [Mamba](https://arxiv.org/abs/2312.00752) - Linear-time sequence modeling with selective "
        "state spaces.\n"
        "- [PDF](https://arxiv.org/abs/2401.00001) - notes to self\n"
    )
    resnet, mamba = parse_digest(text).drafts
    assert resnet.authors == ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"]
    assert (resnet.venue, resnet.year, resnet.abstract) == ("CVPR 2016", 2016, "")
    assert mamba.title == "Mamba" and mamba.abstract.startswith("Linear-time")
