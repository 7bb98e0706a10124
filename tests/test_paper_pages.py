"""Papers named by their page rather than an id: OpenReview, IEEE Xplore, ACL Anthology,
PMLR, CVF. Such a line in a list of titled links was dropped without a word; a list of them
alone was "no papers recognised"."""

from __future__ import annotations

from paperdeck.core.digest import identifiers_list, parse_digest

FLASH = "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness"
FLASH_URL = "https://openreview.net/forum?id=H4DqfPSibmx"


def _cards(text: str) -> list[tuple[str, str, str, list[str]]]:
    result = parse_digest(text)
    assert result.format == "identifiers"
    return [(d.title, d.arxiv_id or d.doi, d.url, d.links) for d in result.drafts]


def test_pages_in_a_list_of_titled_links_are_papers():
    text = (f"Attention Is All You Need - https://arxiv.org/abs/1706.03762\n"
            f"{FLASH} - {FLASH_URL}\n"
            "Deep Residual Learning for Image Recognition - https://ieeexplore.ieee.org/document/7780459\n"
            "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding - "
            "https://aclanthology.org/N19-1423/\n"
            "Denoising Diffusion Implicit Models (https://proceedings.mlr.press/v139/song21a.html)\n")
    assert _cards(text) == [
        ("Attention Is All You Need", "1706.03762", "https://arxiv.org/abs/1706.03762", []),
        (FLASH, "", FLASH_URL, []),
        ("Deep Residual Learning for Image Recognition", "",
         "https://ieeexplore.ieee.org/document/7780459", []),
        ("BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", "",
         "https://aclanthology.org/N19-1423/", []),
        ("Denoising Diffusion Implicit Models", "", "https://proceedings.mlr.press/v139/song21a.html", []),
    ]


def test_a_list_of_pages_alone_is_read():
    text = (f"{FLASH}\n{FLASH_URL}\n\n"
            "Masked Autoencoders Are Scalable Vision Learners\n"
            "https://openaccess.thecvf.com/content/CVPR2022/html/He_Masked_Autoencoders_CVPR_2022_paper.html\n")
    assert [(t, u) for t, _, u, _ in _cards(text)] == [
        (FLASH, FLASH_URL),
        ("Masked Autoencoders Are Scalable Vision Learners",
         "https://openaccess.thecvf.com/content/CVPR2022/html/He_Masked_Autoencoders_CVPR_2022_paper.html")]


def test_a_page_under_a_papers_id_is_its_link_not_another_paper():
    text = ("Attention Is All You Need\narXiv: https://arxiv.org/abs/1706.03762\n"
            "OpenReview: https://openreview.net/forum?id=abc123\n"
            "Code: https://github.com/tensorflow/tensor2tensor\n\n"
            f"{FLASH}\n{FLASH_URL}\n")
    assert _cards(text) == [
        ("Attention Is All You Need", "1706.03762", "https://arxiv.org/abs/1706.03762",
         ["https://openreview.net/forum?id=abc123"]),
        (FLASH, "", FLASH_URL, []),
    ]


def test_a_bare_list_keeps_each_link_a_paper():
    text = f"{FLASH_URL}\nhttps://arxiv.org/abs/2304.02643\nhttps://ieeexplore.ieee.org/document/7780459\n"
    assert [(i, u) for _, i, u, _ in _cards(text)] == [
        ("", FLASH_URL), ("2304.02643", "https://arxiv.org/abs/2304.02643"),
        ("", "https://ieeexplore.ieee.org/document/7780459")]


def test_links_that_are_no_papers_pages_are_not_cards():
    text = ("Attention Is All You Need - https://arxiv.org/abs/1706.03762\n"
            "code: https://github.com/tensorflow/tensor2tensor\n"
            "talk: https://www.youtube.com/watch?v=iDulhoQ2pro\n"
            "thread: https://twitter.com/ashvaswani/status/1\n"
            "Archives at http://arxiv.org/ and https://arxiv.org/list/cs.CL/recent\n"
            "see https://openreview.net/ for reviews\n")
    assert [i for _, i, _, _ in _cards(text)] == ["1706.03762"]


def test_a_page_named_twice_is_one_paper():
    text = (f"{FLASH} - {FLASH_URL}\nSegment Anything - https://arxiv.org/abs/2304.02643\n"
            f"again: {FLASH_URL}.\n")
    assert [u for _, _, u, _ in _cards(text)] == [FLASH_URL, "https://arxiv.org/abs/2304.02643"]


def test_a_page_imports_as_a_card_with_its_link(lib):
    lib.import_text(f"{FLASH} - {FLASH_URL}\nSegment Anything - https://arxiv.org/abs/2304.02643\n")
    (flash,) = lib.papers(lib.ids("flashattention"))
    assert (flash.title, flash.url) == (FLASH, FLASH_URL)
    assert identifiers_list.score(f"{FLASH} - {FLASH_URL}\n") > 0
