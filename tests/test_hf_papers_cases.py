"""Hugging Face papers pages read line by line: what each card keeps and what is page
furniture. Variants of the pages in tests/samples/digests, made the way people copy them."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperdeck.core.digest import hf_papers, parse_digest

DIGESTS = Path(__file__).parent / "samples" / "digests"
PAPER_PAGES = (DIGESTS / "hf-paper-pages.txt").read_text(encoding="utf-8")
DAILY = (DIGESTS / "hf-daily-with-authors.txt").read_text(encoding="utf-8")
SELF_REWARDING, MAMBA = PAPER_PAGES.split("\n\n")[:2]

ABSTRACT_1 = (
    "We posit that to achieve superhuman agents, future models require superhuman feedback in order to "
    "provide an adequate training signal. Current approaches commonly train reward models from human "
    "preferences, which may then be bottlenecked by human performance level, and these separate frozen "
    "reward models cannot then learn to improve during LLM training. In this work, we study Self-Rewarding "
    "Language Models, where the language model itself is used via LLM-as-a-Judge prompting to provide its "
    "own rewards during training."
)
AUTHORS_1 = ["Weizhe Yuan", "Richard Yuanzhe Pang", "Kyunghyun Cho", "Xian Li", "Sainbayar Sukhbaatar",
             "Jing Xu", "Jason Weston"]


def _cards(text: str) -> list[tuple]:
    result = parse_digest(text)
    assert result.format == "hf-papers"
    return [(d.title, d.authors, d.arxiv_id, d.year, d.url, d.abstract, d.links) for d in result.drafts]


def test_a_paper_page_keeps_its_abstract_not_the_ai_summary() -> None:
    (self_rewarding, mamba) = _cards(PAPER_PAGES)
    assert self_rewarding == ("Self-Rewarding Language Models", AUTHORS_1, "2401.10020", 2024,
                              "https://huggingface.co/papers/2401.10020", ABSTRACT_1, [])
    assert mamba[:5] == ("Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
                         ["Albert Gu", "Tri Dao"], "2312.00752", 2023, "https://huggingface.co/papers/2312.00752")
    assert mamba[5].startswith("Foundation models, now powering") and mamba[5].endswith("state-spaces/mamba.")
    assert "Mamba is a selective state space model" not in mamba[5]  # the AI-generated summary
    assert mamba[6] == ["https://github.com/state-spaces/mamba"]


def test_an_abstract_in_two_paragraphs_stays_whole() -> None:
    second = ("Fine-tuning Llama 2 70B on three iterations of our approach yields a model that outperforms "
              "many existing systems on the AlpacaEval 2.0 leaderboard.")
    end = "own rewards during training.\n"
    page = SELF_REWARDING.replace(end, f"{end}{second}\n")
    (card,) = _cards(page)
    assert card[5] == ABSTRACT_1 + "\n\n" + second


def test_the_id_line_under_the_title_belongs_to_that_paper() -> None:
    page = SELF_REWARDING.replace("arxiv:2401.10020\nSelf-Rewarding Language Models\n",
                                  "Self-Rewarding Language Models\narxiv:2401.10020\n")
    (card,) = _cards(page)
    assert card[:5] == ("Self-Rewarding Language Models", AUTHORS_1, "2401.10020", 2024,
                        "https://huggingface.co/papers/2401.10020")
    assert card[5] == ABSTRACT_1


def test_two_pages_copied_one_after_the_other_keep_their_own_ids() -> None:
    """Without the blank line between them: the second page's id line follows the first
    page's abstract, so it opens the next card instead of renaming the first."""
    (first, second) = _cards(SELF_REWARDING + "\n" + MAMBA)
    assert (first[0], first[2]) == ("Self-Rewarding Language Models", "2401.10020")
    assert (second[0], second[2], second[1]) == (
        "Mamba: Linear-Time Sequence Modeling with Selective State Spaces", "2312.00752",
        ["Albert Gu", "Tri Dao"])


def test_submitter_names_under_submitted_by_are_not_papers() -> None:
    """Display names of two words look like a title or an author line: they are the submitter."""
    page = DAILY.replace("Submitted by\nakhaliq\n", "Submitted by\nAK Khaliq\n").replace(
        "Submitted by\nAdinaY\n", "Submitted by\nAdina Yakefu\n")
    cards = _cards(page)
    assert [c[0] for c in cards] == [c[0] for c in _cards(DAILY)]
    assert [c[1][:3] for c in cards[:2]] == [["DeepSeek-AI", "Daya Guo", "Dejian Yang"],
                                             ["Kimi Team", "Angang Du", "Bofei Gao"]]
    assert cards[2][1] == ["Kuang-Huei Lee", "Ian Fischer", "Yueh-Hua Wu", "Dave Marwood", "Shumeet Baluja",
                           "Dale Schuurmans", "Xinyun Chen"]


@pytest.mark.parametrize(("text", "want"), [
    # a daily page copied as text: its furniture words
    ("Daily Papers\nSubmitted by\nakhaliq\nSome Title\n12\nupvotes\n", 0.75),
    ("Submitted by\nakhaliq\nA Title\nUpvote\n3\nSubmitted by\nAdinaY\nB Title\n", 0.75),
    ("Daily Papers\nSubmitted by\nakhaliq\nSome Title\n", 0.75),
    # a single paper page: "Published on" and the arxiv: line
    ("Papers\narxiv:2401.10020\nSelf-Rewarding Language Models\nPublished on Jan 18, 2024\n", 0.7),
    # title links of cards, in markdown or flattened HTML
    ("- [Mixtral of Experts](https://huggingface.co/papers/2401.04088)\n"
     "- [Self-Rewarding Language Models](https://huggingface.co/papers/2401.10020)\n", 0.85),
    ("Mixtral of Experts <https://huggingface.co/papers/2401.04088>\n"
     "Self-Rewarding Language Models <https://huggingface.co/papers/2401.10020>\n", 0.85),
    ("### [Mixtral of Experts](/papers/2401.04088)\n\n"
     "### [Self-Rewarding Language Models](/papers/2401.10020)\n",
     0.85),
    ("- [Mixtral of Experts](https://huggingface.co/papers/2401.04088)\n12 upvotes\n", 0.85),
    # not HF's own: one link, a bare list of URLs, two furniture words, a plain arXiv id list
    ("- [Mixtral of Experts](https://huggingface.co/papers/2401.04088)\n", 0.0),
    ("https://huggingface.co/papers/2401.04088\nhttps://huggingface.co/papers/2401.10020\n", 0.0),
    ("Submitted by\nakhaliq\nA Title\nUpvote\n3\n", 0.0),
    ("Published on arXiv\narXiv:2401.10020 and more\n", 0.0),
    ("arxiv:2401.10020\nSelf-Rewarding Language Models\n", 0.0),
])
def test_score_needs_hugging_face_s_own_marks(text: str, want: float) -> None:
    assert hf_papers.score(text) == want


DAILY_MARKDOWN = """\
# Daily Papers

Jan 9

[![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2401.04088.png)](https://huggingface.co/papers/2401.04088)

Submitted by akhaliq

[Mixtral of Experts](https://huggingface.co/papers/2401.04088)

Albert Q. Jiang, Alexandre Sablayrolles, Antoine Roux

· 26 authors

143

upvotes

[![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2401.04081.png)](https://huggingface.co/papers/2401.04081)

Submitted by akhaliq

[**MoE-Mamba: Efficient Selective State Space Models with Mixture of Experts**](https://huggingface.co/papers/2401.04081)

Maciej Pióro, Kamil Ciebiera, Krystian Król

· 7 authors

71

upvotes

Daily paper page: <https://huggingface.co/papers?date=2024-01-09>
"""


def test_a_daily_page_copied_as_markdown_reads_its_link_titles() -> None:
    """A "copy as markdown" of the daily page: each card has a thumbnail link, the
    submitter, the title as a link to its paper page (bold in some cards), the authors and
    counters; the page link at the end is no card."""
    cards = _cards(DAILY_MARKDOWN)
    assert [c[:5] for c in cards] == [
        ("Mixtral of Experts", ["Albert Q. Jiang", "Alexandre Sablayrolles", "Antoine Roux"], "2401.04088",
         2024,
         "https://huggingface.co/papers/2401.04088"),
        ("MoE-Mamba: Efficient Selective State Space Models with Mixture of Experts",
         ["Maciej Pióro", "Kamil Ciebiera", "Krystian Król"], "2401.04081", 2024,
         "https://huggingface.co/papers/2401.04081"),
    ]


def test_a_card_whose_title_is_not_a_link_takes_the_id_of_its_thumbnail() -> None:
    """Some cards copy with a bold title and no title link: the paper page link is then the
    one around the thumbnail image above it (a link around an image)."""
    page = DAILY_MARKDOWN.replace("[Mixtral of Experts](https://huggingface.co/papers/2401.04088)",
                                  "**Mixtral of Experts**").replace(
        "[![](https://cdn-thumbnails", "[![Image 3: Mixtral of Experts](https://cdn-thumbnails", 1)
    cards = _cards(page)
    assert [(c[0], c[2], c[3]) for c in cards] == [
        ("Mixtral of Experts", "2401.04088", 2024),
        ("MoE-Mamba: Efficient Selective State Space Models with Mixture of Experts", "2401.04081", 2024),
    ]


def test_a_daily_page_date_without_a_year_gives_no_year() -> None:
    """ "Jan 22" above the first card names no year, and the cards carry no arXiv id."""
    cards = _cards(DAILY)
    assert [(c[2], c[3], c[4]) for c in cards] == [("", None, "")] * 6


def test_a_submitter_shown_only_as_an_avatar_leaves_the_title_alone() -> None:
    """When the user name did not copy, "Submitted by" is followed by the title itself
    (four words here); a three-word display name is still the submitter."""
    page = DAILY.replace("Submitted by\nakhaliq\nEvolving", "Submitted by\nEvolving").replace(
        "Submitted by\nAdinaY\n", "Submitted by\nMaría José García\n")
    assert "Submitted by\nEvolving Deeper LLM Thinking\n" in page
    assert [c[0] for c in _cards(page)] == [c[0] for c in _cards(DAILY)]


def test_only_the_first_200000_characters_are_weighed() -> None:
    """Scoring looks at a bounded head of the paste: a mark that ends past it does not count."""
    mark = "Get trending papers in your email inbox"  # its last letter is the head's last
    inside = "x" * (200_000 - len(mark) - 1) + "\n" + mark + "!\narXiv:2401.10020\n"
    assert hf_papers.score(inside) == 0.9
    assert hf_papers.score("x" + inside) == 0.0


def test_a_flattened_html_copy_takes_ids_from_angle_links() -> None:
    """HTML flattened to text writes a link as "text <url>": the title keeps its words,
    the card its id."""
    page = (
        "Daily Papers\nSubmitted by akhaliq\n"
        "Mixtral of Experts <https://huggingface.co/papers/2401.04088>\n"
        "Albert Q. Jiang, Alexandre Sablayrolles, Antoine Roux\n· 26 authors\n143 upvotes\n"
        "Submitted by akhaliq\nMoE-Mamba: Efficient Selective State Space Models with Mixture of Experts "
        "<https://huggingface.co/papers/2401.04081>\n"
        "Maciej Pióro, Kamil Ciebiera, Krystian Król\n· 7 authors\n"
        "71 upvotes\n"
    )
    assert [c[:4] for c in _cards(page)] == [
        ("Mixtral of Experts", ["Albert Q. Jiang", "Alexandre Sablayrolles", "Antoine Roux"], "2401.04088",
         2024),
        ("MoE-Mamba: Efficient Selective State Space Models with Mixture of Experts",
         ["Maciej Pióro", "Kamil Ciebiera", "Krystian Król"], "2401.04081", 2024),
    ]


MAMBA_ABSTRACT = MAMBA.split("\nAbstract\n", 1)[1].split("\n", 1)[0]
MAMBA_SUMMARY = MAMBA.split("\nAI-generated summary\n", 1)[1].split("\n", 1)[0]


def test_the_ai_summary_under_the_abstract_heading_leaves_the_abstract() -> None:
    """HF's current paper page puts the AI-generated summary box under the "Abstract"
    heading, above the abstract itself (it used to come first). The abstract was lost."""
    page = MAMBA.replace(f"AI-generated summary\n{MAMBA_SUMMARY}\nAbstract\n",
                         f"Abstract\nAI-generated summary\n{MAMBA_SUMMARY}\n")
    assert f"Abstract\nAI-generated summary\n{MAMBA_SUMMARY}\nFoundation models" in page
    (card,) = _cards(page)
    assert card[:3] == ("Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
                        ["Albert Gu", "Tri Dao"], "2312.00752")
    assert card[5] == MAMBA_ABSTRACT


def test_a_paper_page_submitter_shown_by_a_three_word_name_is_no_card() -> None:
    """On a paper page the submitter's name is followed by the date, the counters and the
    author list: a name read as a title would open a card that takes all of them."""
    page = SELF_REWARDING.replace("Submitted by\nakhaliq\n", "Submitted by\nMaría José García\n")
    assert _cards(page) == [("Self-Rewarding Language Models", AUTHORS_1, "2401.10020", 2024,
                             "https://huggingface.co/papers/2401.10020", ABSTRACT_1, [])]


def test_the_first_date_of_a_paper_page_gives_its_year() -> None:
    """Published on Dec 29, 2023 and submitted to HF on Jan 2, 2024: the paper is of 2023."""
    page = MAMBA.replace("Published on Dec 1, 2023", "Published on Dec 29, 2023").replace(
        "on Dec 4, 2023", "on Jan 2, 2024")
    (card,) = _cards(page)
    assert (card[2], card[3]) == ("2312.00752", 2023)


def test_an_abstract_in_two_paragraphs_above_the_repo_counter_stays_whole() -> None:
    """The second paragraph is short enough to pass for a title, and the GitHub star count
    under it would have kept such a card."""
    second = ("As a general sequence model backbone, Mamba achieves state-of-the-art performance across "
              "several modalities such as language, audio, and genomics.")
    page = MAMBA.replace(f"{MAMBA_ABSTRACT}\n", f"{MAMBA_ABSTRACT}\n{second}\n")
    assert f"{second}\nView arXiv page\nView PDF\nGitHub\n14.2k\n" in page
    (card,) = _cards(page)
    assert card[5] == MAMBA_ABSTRACT + "\n\n" + second


def test_tops_of_paper_pages_copied_one_under_another_keep_their_authors() -> None:
    """Each page copied down to its author list, a blank line between them: the author list
    ends at the blank line, so the next page's three-word title is not one more author."""
    mamba_top = MAMBA.split("\nAI-generated summary\n", 1)[0]
    assert mamba_top.endswith("Albert Gu\n,\nTri Dao")
    cards = _cards(mamba_top + "\n\n" + SELF_REWARDING)
    assert [(c[0], c[1], c[2]) for c in cards] == [
        ("Mamba: Linear-Time Sequence Modeling with Selective State Spaces", ["Albert Gu", "Tri Dao"],
         "2312.00752"),
        ("Self-Rewarding Language Models", AUTHORS_1, "2401.10020"),
    ]


def test_a_daily_page_without_author_names_keeps_its_cards_and_the_page_year() -> None:
    """Cards whose authors copied only as "· 7 authors" are kept for their counters; the
    page date's year is every card's year (the cards name no arXiv id). Copied from the
    page heading down, without the site's menu."""
    body = DAILY[DAILY.index("Daily Papers\n"):]
    lines = [line for line in body.replace("\nJan 22\n", "\nJan 22, 2025\n").split("\n")
             if not (line.endswith(" others") or line.startswith("Kuang-Huei Lee, "))]
    page = "\n".join(lines)
    assert "Jan 22, 2025\nDaily\n" in page and "Dejian Yang" not in page and "· 7 authors\n79\n" in page
    assert [(c[0], c[1], c[2], c[3]) for c in _cards(page)] == [
        ("DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning", [], "", 2025),
        ("Kimi k1.5: Scaling Reinforcement Learning with LLMs", [], "", 2025),
        ("Evolving Deeper LLM Thinking", [], "", 2025),
        ("Agent-R: Training Language Model Agents to Reflect via Iterative Self-Training", [], "", 2025),
        ("VideoLLaMA 3: Frontier Multimodal Foundation Models for Image and Video Understanding", [], "",
         2025),
        ("GameFactory: Creating New Games with Generative Interactive Videos", [], "", 2025),
    ]
    no_year = page.replace("\nJan 22, 2025\n", "\nJan 22\n")
    assert [c[3] for c in _cards(no_year)] == [None] * 6


LIGHTRAG_ABSTRACT = (
    "Retrieval-Augmented Generation (RAG) systems enhance large language models by integrating external "
    "knowledge sources, as introduced in https://arxiv.org/abs/2005.11401 for knowledge-intensive tasks. "
    "We propose LightRAG, which incorporates graph structures into text indexing and retrieval processes, "
    "and evaluate it on four datasets."
)
VIDEOLLAMA_SHORT = ("We present VideoLLaMA3, a vision-centric multimodal foundation model for image and "
                    "video "
                    "understanding. Code: https://github.com/DAMO-NLP-SG/VideoLLaMA3")
REF = "https://arxiv.org/abs/2005.11401"
VIDEOLLAMA_AUTHORS = ["Boqiang Zhang", "Kehan Li", "Zesen Cheng", "Zhiqiang Hu", "Yuqian Yuan",
                      "Guanzheng Chen", "Sicong Leng"]
TRENDING_MARKDOWN = f"""\
# Trending Papers

Get trending papers in your email inbox!

[LightRAG: Simple and Fast Retrieval-Augmented Generation](https://huggingface.co/papers/2410.05779)

{LIGHTRAG_ABSTRACT.replace(REF, f"[{REF}]({REF})")}

GitHub

14.1k

arXiv Page

Python

[VideoLLaMA 3: Frontier Multimodal Foundation Models for Image and Video Understanding](https://huggingface.co/papers/2501.13106)

Published on Jan 22, 2025

{", ".join(VIDEOLLAMA_AUTHORS)}

{VIDEOLLAMA_SHORT}

GitHub

2.1k
"""


def test_a_trending_page_as_markdown_keeps_short_and_linking_abstracts() -> None:
    """Blank lines between paragraphs are no furniture: a short abstract ending in its code
    link (it reads like a title) right under its card's title or author list is that
    card's abstract; a long one holding an arXiv link does not open a card of its own; a
    long author list (it reads like prose) is no abstract."""
    assert len(VIDEOLLAMA_SHORT) < 200 and len(LIGHTRAG_ABSTRACT) > 300
    assert len(", ".join(VIDEOLLAMA_AUTHORS)) > 80
    assert _cards(TRENDING_MARKDOWN) == [
        ("LightRAG: Simple and Fast Retrieval-Augmented Generation", [], "2410.05779", 2024,
         "https://huggingface.co/papers/2410.05779", LIGHTRAG_ABSTRACT, ["https://arxiv.org/abs/2005.11401"]),
        ("VideoLLaMA 3: Frontier Multimodal Foundation Models for Image and Video Understanding",
         VIDEOLLAMA_AUTHORS, "2501.13106", 2025, "https://huggingface.co/papers/2501.13106", VIDEOLLAMA_SHORT,
         ["https://github.com/DAMO-NLP-SG/VideoLLaMA3"]),
    ]


LIGHTRAG_SHORT = ("We propose LightRAG, which incorporates graph structures into text indexing and retrieval "
                  "processes.")
VIDEOLLAMA_200 = ("We present VideoLLaMA3, a vision-centric multimodal foundation model for image and video "
                  "understanding, trained on curated image-text pairs. Code and models: "
                  "https://github.com/DAMO-NLP-SG/VideoLLaMA3")
TRENDING_TEXT = f"""\
Trending Papers
Get trending papers in your email inbox!
Subscribe
LightRAG: Simple and Fast Retrieval-Augmented Generation
Zirui Guo, Lianghao Xia, Yanhua Yu, Tu Ao, Chao Huang
· 5 authors
Published on Oct 8, 2024
{LIGHTRAG_SHORT}
GitHub
14.1k
arXiv Page
Python
VideoLLaMA 3: Frontier Multimodal Foundation Models for Image and Video Understanding
Boqiang Zhang, Kehan Li, Zesen Cheng
· 18 authors
Published on Jan 22, 2025
{VIDEOLLAMA_200}
GitHub
2.1k
"""


def test_an_abstract_after_the_date_line_is_read_by_its_shape() -> None:
    """After furniture (the author count, the date) a line is an abstract if it does not
    read like a title: a short one ending in a full stop, or one of 200 characters or more
    even when it ends in a link."""
    assert len(VIDEOLLAMA_200) == 200
    assert [(c[0], c[1], c[3], c[5]) for c in _cards(TRENDING_TEXT)] == [
        ("LightRAG: Simple and Fast Retrieval-Augmented Generation",
         ["Zirui Guo", "Lianghao Xia", "Yanhua Yu", "Tu Ao", "Chao Huang"], 2024, LIGHTRAG_SHORT),
        ("VideoLLaMA 3: Frontier Multimodal Foundation Models for Image and Video Understanding",
         ["Boqiang Zhang", "Kehan Li", "Zesen Cheng"], 2025, VIDEOLLAMA_200),
    ]


COUNTERS = ("[![Image](https://huggingface.co/front/assets/upvote.svg) 5](https://huggingface.co/papers/2211.17192)"
            " · [arXiv page](https://arxiv.org/abs/2211.17192)")
SEARCH_MARKDOWN = f"""\
Search results for "speculative decoding"
-----------------------------------------

### [Fast Inference from Transformers via Speculative Decoding](https://huggingface.co/papers/2211.17192)

Published on Feb 28, 2023

{COUNTERS}

### [EAGLE: Speculative Sampling Requires Rethinking Feature Uncertainty](https://huggingface.co/papers/2401.15077)

Published on Jan 26, 2024

[Autoregressive decoding makes the inference of Large Language Models (LLMs) time-consuming. We propose\\
a simple framework, EAGLE, that accelerates it losslessly.](https://huggingface.co/papers/2401.15077)
"""


def test_a_scraped_card_without_an_abstract_takes_neither_its_counters_nor_the_next_abstract() -> None:
    """Scraper markdown of a search page whose first card shows no abstract: its counter
    line is not one, and the next card's abstract stays with the next card."""
    assert [(c[0], c[2], c[5]) for c in _cards(SEARCH_MARKDOWN)] == [
        ("Fast Inference from Transformers via Speculative Decoding", "2211.17192", ""),
        ("EAGLE: Speculative Sampling Requires Rethinking Feature Uncertainty", "2401.15077",
         "Autoregressive decoding makes the inference of Large Language Models (LLMs) time-consuming. "
         "We propose a simple framework, EAGLE, that accelerates it losslessly."),
    ]
