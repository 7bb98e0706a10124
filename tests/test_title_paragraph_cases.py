"""Reading lists of titles and abstracts copied from web pages (a lab wiki, a blog post, a
course page): where each title and each abstract begins and ends, in the shapes a browser
copy gives (unwrapped lines with or without blank lines, wrapped prose, titles over two
lines, abstracts over two paragraphs)."""

from __future__ import annotations

import pytest

from paperdeck.core.digest import parse_digest, textutil, title_paragraph

DDPM_T = "Denoising Diffusion Probabilistic Models"
DDPM = ["We present high quality image synthesis results using diffusion probabilistic",
        "models, a class of latent variable models inspired by considerations from",
        "nonequilibrium thermodynamics. Our best results are obtained by training on a",
        "weighted variational bound designed according to a novel connection between",
        "diffusion models and denoising score matching."]
LORA_T = "LoRA: Low-Rank Adaptation of Large Language Models"
LORA = ["An important paradigm of natural language processing consists of large-scale",
        "pre-training on general domain data and adaptation to particular tasks. We",
        "propose Low-Rank Adaptation, or LoRA, which freezes the pre-trained model",
        "weights and injects trainable rank decomposition matrices into each layer of",
        "the Transformer architecture. arXiv:2106.09685"]
GS_T = "3D Gaussian Splatting for Real-Time Radiance Field Rendering"
GS = ["3D scenes captured with multiple photos are rendered in real time: we propose a",
      "representation of the scene as 3D Gaussians and show that our method achieves",
      "state-of-the-art visual quality while keeping competitive training times."]


def _one(lines: list[str]) -> str:
    return " ".join(lines)


def _read(text: str) -> list[tuple[str, str]]:
    result = parse_digest(text)
    assert result.format == "title-paragraph"
    return [(d.title, d.abstract) for d in result.drafts]


def test_wrapped_abstracts_right_under_their_titles() -> None:
    """A wiki page copied: each title with its wrapped abstract in one block, one of them
    starting with a digit ("3D scenes ...")."""
    text = "\n\n".join("\n".join([t, *a]) for t, a in ((DDPM_T, DDPM), (LORA_T, LORA), (GS_T, GS))) + "\n"
    assert _read(text) == [(DDPM_T, _one(DDPM)), (LORA_T, _one(LORA)), (GS_T, _one(GS))]
    assert [d.url for d in parse_digest(text).drafts] == ["", "https://arxiv.org/abs/2106.09685", ""]


def test_a_title_wrapped_over_two_lines_in_its_own_block() -> None:
    """A narrow column breaks a long title; its two lines are one title."""
    text = (f"Denoising Diffusion\nProbabilistic Models\n\n{_one(DDPM)}\n\n"
            f"LoRA: Low-Rank Adaptation\nof Large Language Models\n\n{_one(LORA)}\n")
    assert _read(text) == [(DDPM_T, _one(DDPM)), (LORA_T, _one(LORA))]


def test_one_line_abstracts() -> None:
    """A page of one-sentence summaries (150 to 200 characters), each right under its title.
    In blocks, each block is a pair. Without blank lines, a line of 200 characters or more says
    the lines are unwrapped: each line is a title or an abstract; with every line shorter,
    a title-like line after a finished sentence starts the next paper (it read as one
    wrapped paragraph: one paper with the others' titles in its abstract)."""
    short = [("Vision Transformers Need Registers",
              "We propose adding register tokens to Vision Transformers and show that this removes "
              "artifacts in feature maps and improves dense prediction results overall."),
             ("Scaling Vision Transformers",
              "We study how Vision Transformers scale with data and compute, and we present a model "
              "of two billion parameters that sets a new state of the art on ImageNet.")]
    for _, abstract in short:
        assert 150 <= len(abstract) < 200
    assert _read("\n\n".join(f"{t}\n{a}" for t, a in short) + "\n") == short
    exactly_200 = ("We study how Vision Transformers scale with data and compute, and we present a model "
                   "of two billion parameters that sets a new state of the art on ImageNet, with code, "
                   "weights, and every training log.")
    assert len(exactly_200) == title_paragraph.LONG_LINE
    packed = [short[1][0], exactly_200, *short[0]]
    assert _read("\n".join(packed) + "\n") == [(short[1][0], exactly_200), short[0]]
    assert _read("\n".join(f"{t}\n{a}" for t, a in short) + "\n") == short
    # A title, a 200-character line and one more: the lines are unwrapped, so the abstract
    # is two paragraphs; one character shorter, the block is wrapped prose, one paragraph.
    more = ("The code, the weights of every model and the training logs are released so that "
            "others can reproduce each number in the paper.")
    title = short[1][0]
    assert _read(f"{title}\n{exactly_200}\n{more}\n") == [(title, f"{exactly_200}\n\n{more}")]
    shorter = exactly_200.replace("every ", "each ")
    assert len(shorter) == title_paragraph.LONG_LINE - 1
    assert _read(f"{title}\n{shorter}\n{more}\n") == [(title, f"{shorter} {more}")]


NEWSLETTER = [  # a weekly email's list: a title, a summary of one or two lines, no blank line
    ("Diffusion Models Beat GANs on Image Synthesis",
     ["Diffusion models reach better sample quality than GANs on ImageNet", "with classifier guidance."]),
    ("Attention Is All You Need",
     ["A network of attention alone, with no recurrence, wins on translation."]),
    ("Denoising Diffusion Probabilistic Models",
     ["High quality image synthesis with diffusion probabilistic models, trained on",
      "a weighted variational bound."]),
]


def test_short_summaries_packed_with_no_blank_line_are_one_paper_each() -> None:
    text = "Papers of the week\n\n" + "".join(f"{t}\n" + "\n".join(body) + "\n" for t, body in NEWSLETTER)
    assert _read(text) == [(t, " ".join(body)) for t, body in NEWSLETTER]
    assert title_paragraph.score(text) == 0.3


@pytest.mark.parametrize("heading", ["Papers of the week", "This Week in Machine Learning",
                                     "AI Weekly #42: the papers",
                                     "Here are the papers we read this week"])
@pytest.mark.parametrize("order", [NEWSLETTER, NEWSLETTER[1:] + NEWSLETTER[:1]])
def test_a_heading_right_above_a_packed_list_is_no_part_of_the_first_paper(heading, order) -> None:
    """An email's heading with no blank line under it: each paper of the packed list has a
    one-line title, so the first one's line above its title is a heading, not a title of
    two lines (it became the first paper's title, the real title its abstract's start).
    The first paper's summary is of one line or of two."""
    assert _read(f"{heading}\n" + _packed(*order)) == [(t, " ".join(body)) for t, body in order]


def test_a_heading_is_only_recognised_where_every_paper_shows_the_pattern() -> None:
    """One other paper with a title not in Title Case, or with a summary in Title Case:
    the list shows no pattern, and the first line stays with the first paper (as before)."""
    lower_title = [NEWSLETTER[0], (NEWSLETTER[1][0].capitalize(), NEWSLETTER[1][1]), NEWSLETTER[2]]
    cased_summary = [NEWSLETTER[0], NEWSLETTER[1],
                     (NEWSLETTER[2][0], ["High Quality Image Synthesis With Diffusion Models",
                                         "trained on a weighted variational bound."])]
    for papers in (lower_title, cased_summary):
        assert _read("Papers of the week\n" + _packed(*papers))[0][0] == "Papers of the week"


@pytest.mark.parametrize("line, cased", [
    ("Deep Residual Learning with images", True),  # 3 of 5 long words: 60 %
    ("Deep Residual learning with images", False),  # 2 of 5
    ("Deep Learning", True), ("Deep", False), ("GANs on ImageNet", True),
])
def test_title_case_is_most_long_words_capitalised(line, cased) -> None:
    assert textutil.title_cased(line) is cased


def test_a_first_summary_opening_in_title_case_keeps_its_title() -> None:
    """No heading: the first paper's summary opens with a Title Case line. Its title (six
    words or more) stays the title, however the other papers look."""
    for title in ("Toolformer: Language Models Can Teach Themselves to Use Tools",
                  "Toolformer Teaches Language Models Tool Use"):  # 9 words, 6 words
        first = (title, ["Large Language Models Can Learn Tool Use",
                         "from a handful of demonstrations of each API."])
        papers = [first, *NEWSLETTER]
        assert _read(_packed(*papers)) == [(t, " ".join(body)) for t, body in papers]
    # Sentence-case titles show no Title Case pattern: a heading above them stays (a limit)
    lower = [(t.capitalize(), body) for t, body in NEWSLETTER]
    text = "Papers of the week\n" + "".join(f"{t}\n" + "\n".join(b) + "\n" for t, b in lower)
    assert _read(text)[0][0] == "Papers of the week"


def test_a_wrapped_abstract_with_a_title_like_line_after_a_sentence_stays_one_paper() -> None:
    """Only whole papers are cut out of a block: a sentence that ends a line, then a line of
    capitalised words, inside one abstract, is no new paper (too short to be one)."""
    body = ["We present high quality image synthesis results.", "Our Method Beats Every Baseline We Tried",
            "on CIFAR10 and LSUN, with a weighted variational bound designed according to a novel",
            "connection between diffusion models and denoising score matching."]
    text = f"{DDPM_T}\n" + "\n".join(body) + "\n\n" + f"{LORA_T}\n" + "\n".join(LORA) + "\n"
    assert _read(text) == [(DDPM_T, " ".join(body)), (LORA_T, _one(LORA))]


def test_an_abstract_over_two_paragraphs() -> None:
    """A blog post keeps the abstract's second paragraph; its first line ending a sentence
    does not make it a title."""
    second = ["We further show that the same models reach a state-of-the-art FID score.",
              "Our implementation is publicly available and runs on a single GPU in a day."]
    text = (f"{DDPM_T}\n\n{_one(DDPM)}\n\n" + "\n".join(second) + "\n\n"
            f"{LORA_T}\n\n{_one(LORA)}\n")
    assert _read(text) == [(DDPM_T, _one(DDPM) + "\n\n" + _one(second)), (LORA_T, _one(LORA))]


def test_section_headings_of_a_readme_are_no_titles() -> None:
    """A project README copied from GitHub: "Introduction", "Abstract:" head prose, not papers."""
    text = (f"Introduction\n\n{_one(DDPM)}\n\nAbstract:\n\n{_one(LORA)}\n\n"
            f"{DDPM_T}\n\n{_one(DDPM)}\n")
    assert [d.title for d in parse_digest(text, fmt="title-paragraph").drafts] == [DDPM_T]


def test_the_score_is_weak_and_grows_to_two_pairs() -> None:
    """Every structured format should beat this fallback: one pair 0.2, two or more 0.3, and
    a note with no title-and-abstract shape nothing."""
    pairs = [f"{t}\n{_one(a)}\n\n" for t, a in ((DDPM_T, DDPM), (LORA_T, LORA), (GS_T, GS))]
    assert title_paragraph.score("Thanks everyone, see you on Thursday!\nBring your laptop.\n") == 0.0
    assert [title_paragraph.score("".join(pairs[:n])) for n in (1, 2, 3)] == [0.2, 0.3, 0.3]


def test_once_two_abstracts_show_the_shape_plain_prose_counts_too() -> None:
    """Two abstracts with the usual cues ("we propose", "we show") make any title followed
    by 100 characters of prose a paper; one alone does not vouch for a plain paragraph."""
    plain_t = "Attention Is All You Need"
    plain = ("Recurrent networks dominate sequence transduction. This architecture relies on "
             "attention alone, too.")
    assert len(plain) == 100  # the least prose that counts
    text = f"{DDPM_T}\n{_one(DDPM)}\n\n{LORA_T}\n{_one(LORA)}\n\n{plain_t}\n{plain}\n"
    assert _read(text) == [(DDPM_T, _one(DDPM)), (LORA_T, _one(LORA)), (plain_t, plain)]
    assert _read(f"{DDPM_T}\n{_one(DDPM)}\n\n{plain_t}\n{plain}\n") == [(DDPM_T, _one(DDPM))]


def test_only_the_first_200000_characters_are_weighed() -> None:
    """The second pair's abstract is cut one character short of the 150 an abstract needs."""
    abstract = ("We propose adding register tokens to Vision Transformers and show that this removes "
                "artifacts in feature maps and boosts dense prediction results too.")
    assert len(abstract) == 150
    head = f"{DDPM_T}\n{_one(DDPM)}\n\n"
    tail = f"\n\nVision Transformers Need Registers\n{abstract}"
    text = head + "x" * (200_001 - len(head) - len(tail)) + tail
    assert len(text) == 200_001
    assert title_paragraph.score(text) == 0.2
    assert title_paragraph.score(text.replace("xx", "x", 1)) == 0.3


def _packed(*papers: tuple[str, list[str]]) -> str:
    return "".join(f"{t}\n" + "\n".join(body) + "\n" for t, body in papers)


def test_a_packed_summary_of_forty_characters_is_a_paper_and_one_shorter_is_not() -> None:
    forty = "We fit a small model to it and it works."
    assert len(forty) == title_paragraph.SUMMARY_MIN and len(forty.split()) == 10
    two = [("Attention Is All You Need", [forty]), *NEWSLETTER[:1]]
    assert _read(_packed(*two)) == [(t, " ".join(body)) for t, body in two]
    short = [("Attention Is All You Need", [forty.replace("small ", "tiny ")]), *NEWSLETTER[:1]]
    assert len(short[0][1][0]) == 39
    assert len(parse_digest(_packed(*short)).drafts) < 2  # not cut: one block, at most one paper


def test_a_title_like_line_must_open_a_paragraph_below_it_to_start_a_paper() -> None:
    """After a finished sentence, a line of capitalised words starts a paper only when the
    line under it opens a paragraph (a capital or a digit): here "Results on Two Benchmarks"
    is followed by a line in lower case, so it is part of the first summary."""
    first = ("Diffusion Models Beat GANs on Image Synthesis",
             ["Diffusion models reach better sample quality than GANs on ImageNet today.",
              "Results on Two Benchmarks",
              "show the gap widening with guidance and with more compute for the model."])
    second = ("Gaussian Splatting for Real-Time Rendering",
              ["3D scenes captured with photos are rendered in real time by splatting Gaussians."])
    assert _read(_packed(first, second)) == [(t, " ".join(b)) for t, b in (first, second)]


def test_a_block_whose_pieces_are_not_all_papers_is_not_cut() -> None:
    """The cut lines are there, but one piece's text is no summary (three words): the block
    is one paper with a wrapped abstract, as before, not three."""
    body = ["We present image synthesis results with diffusion probabilistic models today.",
            "Our Results",
            "Are strong.",
            "Further Work Remains Open",
            "We will extend the method to video and to audio in the coming year or two."]
    text = f"{DDPM_T}\n" + "\n".join(body) + "\n\n" + f"{LORA_T}\n" + "\n".join(LORA) + "\n"
    assert _read(text) == [(DDPM_T, " ".join(body)), (LORA_T, _one(LORA))]
