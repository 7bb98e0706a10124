"""The markdown reader on lists and tables as people paste them: GitHub awesome-lists and
READMEs, Notion pages exported or copied as markdown, Substack / newsletter posts turned
back into markdown by a clipper. Each expectation is read off the input by hand: the title
a reader sees, the identifiers its links name, what follows the title."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperdeck.core.digest import markdown, parse_digest
from paperdeck.core.models import Draft
from paperdeck.core.names import ET_AL

SAMPLES = Path(__file__).parent / "samples" / "markdown"


def _sample(name: str) -> str:
    """A paste kept as a file: real lines are longer than code lines."""
    return (SAMPLES / name).read_text(encoding="utf-8")


def _parse(text: str) -> list[Draft]:
    """The reader itself, and through detection: both must give the same cards."""
    drafts = markdown.parse(text)
    result = parse_digest(text)
    assert result.format == "markdown"
    assert [d.title for d in result.drafts] == [d.title for d in drafts]
    return drafts


def _by_title(drafts: list[Draft]) -> dict[str, Draft]:
    return {d.title: d for d in drafts}


GITHUB_AWESOME = _sample("github-awesome-list.md")


def test_github_awesome_list_variants() -> None:
    drafts = _parse(GITHUB_AWESOME)
    assert [d.title for d in drafts] == [
        "Vision Transformers Need Registers",
        "Improved Baselines with Visual Instruction Tuning",
        "Segment Anything",
        "DINOv2: Learning Robust Visual Features without Supervision",
        "Sigmoid Loss for Language Image Pre-Training",
        "Emerging Properties in Self-Supervised Vision Transformers",
        "CLIP",
    ]
    got = _by_title(drafts)
    registers = got["Vision Transformers Need Registers"]
    assert registers.authors == ["Timothée Darcet", "Maxime Oquab", "Julien Mairal", "Piotr Bojanowski"]
    assert (registers.arxiv_id, registers.year, registers.venue) == ("2309.16588", 2024, "ICLR 2024")
    assert registers.abstract == ""
    llava = got["Improved Baselines with Visual Instruction Tuning"]
    assert llava.authors == ["Haotian Liu", "Chunyuan Li", "Yuheng Li", "Yong Jae Lee"]
    assert (llava.arxiv_id, llava.venue, llava.year) == ("2310.03744", "CVPR 2024", 2024)
    assert llava.links == ["https://github.com/haotian-liu/LLaVA"]
    sam = got["Segment Anything"]
    assert sam.url.startswith("https://openaccess.thecvf.com/") and sam.arxiv_id == ""
    assert sam.authors == ["Alexander Kirillov", ET_AL]
    assert (sam.venue, sam.year, sam.abstract) == ("ICCV 2023", 2023, "")
    dino = got["DINOv2: Learning Robust Visual Features without Supervision"]
    assert (dino.venue, dino.year, dino.arxiv_id) == ("TMLR 2024", 2024, "2304.07193")
    siglip = got["Sigmoid Loss for Language Image Pre-Training"]
    assert siglip.links == []  # a stars badge is a picture, not a link of the paper
    assert siglip.year == 2023  # from the arXiv id: nothing else dates it
    dino1 = got["Emerging Properties in Self-Supervised Vision Transformers"]
    assert dino1.arxiv_id == "2104.14294"
    assert dino1.links == ["https://github.com/facebookresearch/dino"]
    clip = got["CLIP"]  # a one-word name is a title when it is the paper's link
    assert clip.arxiv_id == "2103.00020"
    assert clip.abstract == (
        "learning transferable visual models from natural language supervision, "
        "trained on 400M image-text pairs")


NOTION_TABLE = _sample("notion-database-table.md")


def test_notion_database_exported_as_a_table() -> None:
    drafts = _parse(NOTION_TABLE)
    assert [d.title for d in drafts] == [
        "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
        "QLoRA: Efficient Finetuning of Quantized LLMs",
        "Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
        "The Annotated Transformer (blog)",  # a "Name" column of a paper table: a plain row
    ]
    dpo, qlora, mamba, blog = drafts
    assert dpo.authors == ["Rafael Rafailov", "Archit Sharma", "Eric Mitchell"]
    assert (dpo.venue, dpo.year, dpo.arxiv_id) == ("NeurIPS 2023", 2023, "2305.18290")
    assert (qlora.arxiv_id, qlora.year, qlora.url) == ("2305.14314", 2023, "https://arxiv.org/abs/2305.14314")
    # no venue: the Year column dates it, not the arXiv id (2312 = 2023)
    assert (mamba.venue, mamba.year, mamba.authors) == ("", 2024, ["Albert Gu", "Tri Dao"])
    assert (blog.year, blog.url, blog.arxiv_id) == (2018, "", "")
    # a copy that ends on the table's last row, with no newline after it
    assert markdown.parse(NOTION_TABLE.rstrip("\n")) == drafts


SUBSTACK = _sample("substack-post.md")


def test_substack_post_copied_as_markdown() -> None:
    drafts = _parse(SUBSTACK)
    assert [d.title for d in drafts] == [
        "Scaling Monosemanticity: Extracting Interpretable Features from Claude 3 Sonnet",
        "The Llama 3 Herd of Models",
        "Not All Tokens Are What You Need",
        "Let's Verify Step by Step",
        "Tree of Thoughts: Deliberate Problem Solving with Large Language Models",
        "Toolformer: Language Models Can Teach Themselves to Use Tools",
    ]
    mono, llama, rho, verify, tot, toolformer = drafts
    assert (mono.arxiv_id, mono.url) == ("2406.04093", "https://arxiv.org/abs/2406.04093")
    assert mono.links == ["https://transformer-circuits.pub/2024/scaling-monosemanticity/"]
    assert mono.abstract == "Anthropic's dictionary-learning follow-up, with millions of features"
    assert llama.abstract == "Meta's 92-page report on Llama 3, worth reading for the data section alone"
    assert (rho.arxiv_id, rho.links) == ("2404.07965", ["https://github.com/microsoft/rho"])
    assert [d.arxiv_id for d in (verify, tot, toolformer)] == ["2305.20050", "2305.10601", "2302.04761"]
    assert [d.abstract for d in (rho, verify, tot, toolformer)] == ["", "", "", ""]


NEWSLETTER_EDGES = _sample("newsletter-picks.md")


def test_newsletter_items_take_the_title_not_the_labels() -> None:
    drafts = _parse(NEWSLETTER_EDGES)
    assert [d.title for d in drafts] == [
        "Deep Residual Learning for Image Recognition",  # "arXiv page" is a label
        "LoRA: Low-Rank Adaptation of Large Language Models",  # emphasis inside a link
        "FlashAttention",  # the blog post's link text is not the paper's name
        "The Illustrated Transformer",  # the item's title, even though it links to a blog
        "Mixture-of-Depths: Dynamically allocating compute in transformer-based language models",
        "Let's Verify Step by Step",  # an id as link text is no title
        "Do Vision Transformers See Like Convolutional Neural Networks?",  # 8 words of summary follow
        "Mamba",  # a bold coined name
    ]
    resnet, lora, flash, illustrated, mod, verify, vit, mamba = drafts
    assert [d.arxiv_id for d in drafts] == ["1512.03385", "2106.09685", "2205.14135", "1706.03762",
                                            "2404.02258", "2305.20050", "2108.08810", "2312.00752"]
    # the summary names the paper again: only the title itself is taken off
    assert mamba.abstract == "Mamba replaces attention with selective state spaces and runs in linear time"
    assert flash.links == ["https://tridao.me/blog/2024/flash3/"]
    assert illustrated.url == "https://arxiv.org/abs/1706.03762"
    assert illustrated.links == ["https://jalammar.github.io/illustrated-transformer/"]
    assert illustrated.abstract == "a visual guide to the architecture - with a picture for every single step"
    assert [resnet.abstract, lora.abstract, verify.abstract] == ["", "", ""]
    assert vit.abstract == "We compare their internal representations on image classification"
    assert mod.year == 2024


def test_a_question_title_keeps_its_subtitle() -> None:
    """Titles ask questions too: what follows the question is a subtitle unless it is a
    whole sentence of eight words or more (see the newsletter test above)."""
    text = ("- How Far Can Camels Go? Exploring the State of Instruction Tuning on Open Resources "
            "[paper](https://arxiv.org/abs/2306.04751)\n")
    assert [d.title for d in markdown.parse(text)] == [
        "How Far Can Camels Go? Exploring the State of Instruction Tuning on Open Resources"]


def test_what_follows_a_title_is_a_summary_from_thirty_characters() -> None:
    thirty = "a summary of thirty characters"
    assert len(thirty) == 30
    text = (f"- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) - {thirty}\n"
            f"- [Deep Residual Learning for Image Recognition](https://arxiv.org/abs/1512.03385) - "
            f"{thirty[:-1]}\n")
    first, second = markdown.parse(text)
    assert (first.abstract, second.abstract) == (thirty, "")


def test_authors_then_a_sentence_of_summary() -> None:
    text = ("- [Chain-of-Thought Prompting Elicits Reasoning in Large Language Models]"
            "(https://arxiv.org/abs/2201.11903) - Jason Wei, Xuezhi Wang, Dale Schuurmans. "
            "Prompting with worked examples makes large models reason step by step.\n"
            "- [Self-Consistency Improves Chain of Thought Reasoning in Language Models]"
            "(https://arxiv.org/abs/2203.11171) - Xuezhi Wang, Jason Wei. We sample many paths and voted.\n"
            "- [Least-to-Most Prompting Enables Complex Reasoning in Large Language Models]"
            "(https://arxiv.org/abs/2205.10625) - Denny Zhou, Nathanael Schärli. "
            "Split problems and solve them.\n")
    cot, sc, ltm = markdown.parse(text)
    assert cot.authors == ["Jason Wei", "Xuezhi Wang", "Dale Schuurmans"]
    # the sentence after the names, without the full stop that ends the item
    assert cot.abstract == "Prompting with worked examples makes large models reason step by step"
    # a summary from 30 characters: "We sample many paths and voted" has 30,
    # "Split problems and solve them" 29
    assert (sc.authors, sc.venue) == (["Xuezhi Wang", "Jason Wei"], "")
    assert sc.abstract == "We sample many paths and voted"
    assert (ltm.authors, ltm.abstract) == (["Denny Zhou", "Nathanael Schärli"], "")


GITHUB_ID_TABLE = _sample("github-id-table.md")


def test_identifier_column_and_rows_shorter_than_the_header() -> None:
    """A DOI or a bare arXiv id in an identifier column links the row to its paper; rows
    that stop early (GitHub renders them, the cells are just empty) read the same."""
    bert, gpt3, roberta = _parse(GITHUB_ID_TABLE)
    assert bert.title.startswith("BERT: ")
    assert (bert.doi, bert.url, bert.venue, bert.year) == (
        "10.18653/v1/N19-1423", "https://doi.org/10.18653/v1/N19-1423", "NAACL 2019", 2019)
    assert bert.authors == ["Jacob Devlin", "Ming-Wei Chang"]
    assert (gpt3.title, gpt3.arxiv_id, gpt3.venue, gpt3.authors) == (
        "Language Models are Few-Shot Learners", "2005.14165", "NeurIPS 2020", [])
    assert (roberta.arxiv_id, roberta.venue, roberta.year) == ("1907.11692", "", 2019)


def test_a_table_copied_without_its_header_row() -> None:
    """Rows copied from the middle of a README table: the first row is a paper, not a
    header, and with no "Paper" column a row linking no paper is not a card."""
    text = (
        "| [Attention Is All You Need](https://papers.nips.cc/paper/7181-attention-is-all-you-need) "
        "| NeurIPS 2017 "
        "| [code](https://github.com/tensorflow/tensor2tensor) |\n"
        "| [BERT: Pre-training of Deep Bidirectional Transformers](https://aclanthology.org/N19-1423/) "
        "| NAACL 2019 "
        "| [code](https://github.com/google-research/bert) |\n"
        "| Latent Diffusion | CVPR 2022 | [code](https://github.com/CompVis/latent-diffusion) |\n")
    drafts = markdown.parse(text)
    assert [(d.title, d.year) for d in drafts] == [
        ("Attention Is All You Need", 2017), ("BERT: Pre-training of Deep Bidirectional Transformers", 2019)]
    assert drafts[0].links == ["https://github.com/tensorflow/tensor2tensor"]


AREA_TABLE = _sample("github-area-table.md")


def test_title_column_after_a_category_column() -> None:
    """The "Name" column holds the title even when another column comes first; the
    category rows between groups (one cell) are no papers."""
    drafts = _parse(AREA_TABLE)
    assert [(d.title, d.arxiv_id) for d in drafts] == [
        ("An Image is Worth 16x16 Words", "2010.11929"),
        ("Swin Transformer", "2103.14030"),
        ("AudioLM: a Language Modeling Approach to Audio Generation", "2209.03143"),
    ]
    assert drafts[0].links == ["https://github.com/google-research/vision_transformer"]


def test_a_table_without_a_title_column() -> None:
    """Header words it does not know ("Method", "Conference"): every other cell is read
    in order, the venue and identifier columns aside."""
    text = ("| Method | Conference | arXiv |\n|---|---|---|\n"
            "| Denoising Diffusion Probabilistic Models | NeurIPS 2020 | 2006.11239 |\n"
            "| Score-Based Generative Modeling through SDEs | ICLR 2021 | 2011.13456 |\n")
    drafts = _parse(text)
    assert [(d.title, d.venue, d.year, d.arxiv_id) for d in drafts] == [
        ("Denoising Diffusion Probabilistic Models", "NeurIPS 2020", 2020, "2006.11239"),
        ("Score-Based Generative Modeling through SDEs", "ICLR 2021", 2021, "2011.13456"),
    ]


def test_authors_first_and_a_milestone_row_without_a_link() -> None:
    """Two linked papers of five rows are enough to read the table as papers: its
    unlinked rows are papers too (with their authors), the placeholder row is not."""
    text = ("| Authors | Title | Link |\n| :-- | :-- | :-- |\n"
            "| Geoffrey Hinton, Oriol Vinyals, Jeff Dean | Distilling the Knowledge in a Neural Network "
            "| [arxiv](https://arxiv.org/abs/1503.02531) |\n"
            "| Diederik P. Kingma, Jimmy Ba | Adam: A Method for Stochastic Optimization "
            "| [arxiv](https://arxiv.org/abs/1412.6980) |\n"
            "| Yann LeCun, Léon Bottou | Gradient-Based Learning Applied to Document Recognition | |\n"
            "| Alex Krizhevsky, Ilya Sutskever | [AlexNet](https://en.wikipedia.org/wiki/AlexNet) - "
            "[talk](https://www.youtube.com/watch?v=ZUTgTDLYH-w) "
            "| [code](https://code.google.com/p/cuda-convnet/) |\n"
            "| | — | |\n")
    drafts = _parse(text)
    assert [(d.title, d.authors) for d in drafts] == [
        ("Distilling the Knowledge in a Neural Network", ["Geoffrey Hinton", "Oriol Vinyals", "Jeff Dean"]),
        ("Adam: A Method for Stochastic Optimization", ["Diederik P. Kingma", "Jimmy Ba"]),
        ("Gradient-Based Learning Applied to Document Recognition", ["Yann LeCun", "Léon Bottou"]),
        ("AlexNet", ["Alex Krizhevsky", "Ilya Sutskever"]),  # a coined name in the title column
    ]
    alexnet = drafts[-1]
    assert alexnet.url == "https://en.wikipedia.org/wiki/AlexNet"  # its own link, though no paper's
    assert alexnet.links == ["https://www.youtube.com/watch?v=ZUTgTDLYH-w", "https://code.google.com/p/cuda-convnet/"]


def test_two_tables_of_different_layouts_one_blank_line_apart() -> None:
    """Each table is read with its own header, even when the blank line between them
    repeats an earlier one (repeated lines are read once)."""
    text = ("## Language\n\n| Paper | Venue |\n|---|---|\n"
            "| [GPT-2: Language Models are Unsupervised Multitask Learners]"
            "(https://openai.com/research/better-language-models) "
            "[pdf](https://cdn.openai.com/better-language-models/"
            "language_models_are_unsupervised_multitask_learners.pdf) "
            "| OpenAI 2019 |\n\n"
            "| Venue | Paper |\n|---|---|\n"
            "| ICML 2021 | [Learning Transferable Visual Models From Natural Language Supervision]"
            "(https://arxiv.org/abs/2103.00020) |\n")
    drafts = markdown.parse(text)
    assert [(d.title, d.venue) for d in drafts] == [
        ("GPT-2: Language Models are Unsupervised Multitask Learners", "OpenAI 2019"),
        ("Learning Transferable Visual Models From Natural Language Supervision", "ICML 2021"),
    ]


def test_a_table_row_is_read_up_to_twenty_thousand_characters() -> None:
    """Bounded work: a row must end within its first 20,000 characters (a pasted HTML
    table can hold one enormous cell); shorter rows read normally."""
    head = "| [Attention Is All You Need](https://arxiv.org/abs/1706.03762) | "

    def table(length: int) -> str:
        row = head + "x " * ((length - len(head) - 1) // 2)
        row += " " * (length - len(row) - 1) + "|"
        assert len(row) == length
        return "| Paper | Notes |\n|---|---|\n" + row + "\n"

    assert [d.title for d in markdown.parse(table(20_000))] == ["Attention Is All You Need"]
    assert markdown.parse(table(20_001)) == []


def _items(n: int, paper: bool) -> list[str]:
    """`n` list items of a README: papers (linked to arXiv) or tools (linked to GitHub)."""
    if paper:
        return [f"- [A Study of Scaling Number {i}](https://arxiv.org/abs/2401.{i:05d})"
                for i in range(1, n + 1)]
    return [f"- [tool-{i}](https://github.com/example/tool-{i}) - a library" for i in range(1, n + 1)]


@pytest.mark.parametrize(("papers", "others", "want"), [
    (0, 10, 0.0),
    (1, 0, 0.35),
    (2, 0, 0.35),  # two are not a list of papers yet
    (3, 12, 0.65),  # three of fifteen items: one in five
    (3, 13, 0.35),  # three of sixteen: fewer than one in five
])
def test_score_counts_items_that_link_a_paper(papers: int, others: int, want: float) -> None:
    text = "\n".join(_items(others, False) + _items(papers, True) + ["", "Some prose between the lists."])
    assert markdown.score(text) == want


def test_score_counts_id_columns_and_written_ids() -> None:
    rows = ["| Title | arXiv |", "|---|---|"] + [
        f"| Paper number {i} | 2401.{i:05d} |" for i in range(1, 3)]
    assert markdown.score("\n".join(rows)) == 0.35  # two of four rows name an id
    rows.append("| Paper number 3 | 10.1000/xyz-3 |")
    assert markdown.score("\n".join(rows)) == 0.65  # a DOI counts too: three of five
    written = [f"- A Study of Scaling Number {i} (arXiv:2401.{i:05d})" for i in range(1, 3)]
    assert markdown.score("\n".join(written)) == 0.35
    assert markdown.score("\n".join(written + ["- Third Study Of Scaling (arXiv:2401.00003)"])) == 0.65
    assert markdown.score("- Short (arXiv:2401.00003)\n" * 3) == 0.0  # a bare id is no title


def test_score_reads_the_first_two_hundred_thousand_characters() -> None:
    items = "\n".join(_items(3, True))
    filler = "x" * (200_000 - len(items) - 1) + "\n"  # the third link's ")" is the last sampled
    assert markdown.score(filler + items) == 0.65
    assert markdown.score("\n" + filler + items) == 0.35  # one character later it falls outside


def test_score_reads_rows_up_to_two_thousand_characters() -> None:
    """A "row" that ends past its first 2,000 characters is no row to the scorer: here
    13 of them would make three linked rows fewer than one in five."""
    rows = [f"| [A Study of Scaling Number {i}](https://arxiv.org/abs/2401.{i:05d}) |" for i in range(1, 4)]
    long_row = "| notes " + "x" * (2001 - 10) + " |"
    assert len(long_row) == 2001
    assert markdown.score("\n".join(rows + [long_row] * 13)) == 0.65
    assert markdown.score("\n".join(rows + [long_row[:1998] + " |"] * 13)) == 0.35  # 2,000: a row


def test_score_judges_ids_and_rows_on_their_first_two_thousand_characters() -> None:
    """Past 2,000 characters nothing is read as the mark of a row or a written id."""
    row = "| note " + "y" * (2000 - 9) + " |"  # a row by its first 2,000 characters...
    assert len(row) == 2000
    rows = [row + f"2401.{i:05d} |" for i in range(1, 4)]  # ...whose id cell comes after
    assert markdown.score("\n".join(rows)) == 0.65
    written = "- A Study of Scaling " + "z" * (2000 - 21 - 17) + " (arXiv:2401.12345)"
    assert written.index("arXiv:2401.1234") + len("arXiv:2401.1234") == 2000  # enough of an id
    assert markdown.score("\n".join([written] * 3)) == 0.65
    assert markdown.score("\n".join([" " + written] * 3)) == 0.0  # one character later: not


def test_code_formatted_names_and_address_labels() -> None:
    """"[`Mamba`](…)" names the paper like "[Mamba](…)" (the item was dropped); a link
    shown as its site ("[arXiv.org](…)", as Notion previews write it) is no title; a
    bold link to a blog post after an emoji is the title, without the emoji."""
    text = ("- [`Mamba`](https://arxiv.org/abs/2312.00752): Linear-Time Sequence Modeling "
            "with Selective State Spaces\n"
            "- Toolformer: Language Models Can Teach Themselves to Use Tools "
            "([arXiv.org](http://arxiv.org/abs/2302.04761))\n"
            "- \u2b50 **[Constitutional AI: Harmlessness from AI Feedback]"
            "(https://www.anthropic.com/research/constitutional-ai-harmlessness-from-ai-feedback)** "
            "([paper](https://arxiv.org/abs/2212.08073))\n")
    drafts = markdown.parse(text)
    assert [(d.title, d.arxiv_id) for d in drafts] == [
        ("Mamba", "2312.00752"),
        ("Toolformer: Language Models Can Teach Themselves to Use Tools", "2302.04761"),
        ("Constitutional AI: Harmlessness from AI Feedback", "2212.08073"),
    ]
    assert drafts[0].abstract == "Linear-Time Sequence Modeling with Selective State Spaces"
    assert drafts[1].abstract == ""


def test_ids_years_and_labels_only_where_they_are_written_as_such() -> None:
    text = (
        # "Paper & Code" is a label, bold or not: the title is the text before it
        "- Attention Is All You Need \u2014 **Paper & Code** [arXiv](https://arxiv.org/abs/1706.03762)\n"
        # a bare number beside a paper link is no arXiv id (only "arXiv:…" or an arXiv URL is)
        "- [Generalization in Diffusion Models](https://openreview.net/forum?id=ANvmVS2Yr0) 2401.01234\n"
        # a written id is the paper even when the item's only link is its code
        "- Retentive Network: A Successor to Transformer (arXiv:2307.08621) "
        "[code](https://github.com/microsoft/torchscale)\n"
        # a year inside an address (a blog post's) does not date the paper
        "- Deep Double Descent [pdf](https://example.org/double-descent.pdf) "
        "https://blog.example.org/2021/double-descent-explained\n")
    attention, diffusion, retnet, descent = markdown.parse(text)
    assert (attention.title, attention.arxiv_id) == ("Attention Is All You Need", "1706.03762")
    assert (diffusion.title, diffusion.arxiv_id, diffusion.year) == (
        "Generalization in Diffusion Models", "", None)
    assert (retnet.title, retnet.arxiv_id) == ("Retentive Network: A Successor to Transformer", "2307.08621")
    assert retnet.links == ["https://github.com/microsoft/torchscale"]
    assert (descent.title, descent.year, descent.url) == (
        "Deep Double Descent", None, "https://example.org/double-descent.pdf")


def test_an_item_is_read_up_to_five_thousand_characters() -> None:
    """Bounded work: a link past an item's first 5,000 characters is not read."""
    head = "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) - "
    code = "[code](https://github.com/tensorflow/tensor2tensor)"
    fill = 5000 - (len(head) - 2) - len(code)  # the item text starts after "- "
    within = head + "x" * fill + code
    assert len(within) - 2 == 5000
    assert markdown.parse(within)[0].links == ["https://github.com/tensorflow/tensor2tensor"]
    assert markdown.parse(head + "x" * (fill + len(code)) + code)[0].links == []  # it starts past 5,000


def _timeline(linked: int, plain: int) -> str:
    rows = [f"| {2010 + i} | Linked Milestone Number {i} | [arXiv](https://arxiv.org/abs/1{i:03d}.0{i:04d}) |"
            for i in range(1, linked + 1)]
    rows += [f"| {2000 + i} | Plain Milestone Number {i} | |" for i in range(1, plain + 1)]
    return "| Year | Title | Link |\n|---|---|---|\n" + "\n".join(rows) + "\n"


def test_plain_rows_count_when_at_least_half_the_rows_link_a_paper() -> None:
    assert len(markdown.parse(_timeline(4, 4))) == 8
    assert [d.title for d in markdown.parse(_timeline(3, 5))] == [
        f"Linked Milestone Number {i}" for i in range(1, 4)]  # three of eight: a table of other things


def test_a_written_id_counts_on_a_line_of_more_than_forty_characters() -> None:
    line41 = "- A Study of Scaling L (arXiv:2401.00001)"
    line40 = "- A Study of Scalings (arXiv:2401.00001)"
    assert (len(line41), len(line40)) == (41, 40)
    assert markdown.score("\n".join([line41] * 3)) == 0.65
    assert markdown.score("\n".join([line40] * 3)) == 0.0  # forty characters: little but the id


def test_an_item_is_read_up_to_its_5000th_character():
    """A runaway bullet (a pasted page in one line) is read only so far: a link whose id
    ends at the 5,000th character counts, one a character later is cut mid-id."""
    head = "- **Scaling Laws for Neural Language Models** "
    link = "https://arxiv.org/abs/2001.08361"
    at_bound = head + "x" * (5000 - len(head) - len(link)) + link
    assert len(at_bound) == 5000
    draft = markdown._item_draft(at_bound)
    assert draft is not None and draft.arxiv_id == "2001.08361"
    assert draft.title == "Scaling Laws for Neural Language Models"
    past = markdown._item_draft(head + "x" + at_bound[len(head):])  # cut to .../2001.0836
    assert past is None or past.arxiv_id == ""


def test_a_file_size_after_a_link_is_no_year() -> None:
    """A reading list noting each PDF's size: "(PDF, 2048 KB)" made the paper of 2048, and
    "1998 kb" of 1998."""
    text = ("# Reading list\n\n"
            "- [Scaling Laws for Robot Manipulation](https://arxiv.org/abs/2503.01234) (PDF, 2048 KB)\n"
            "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762), slides 1998 kb\n")
    years = {d.title: d.year for d in _parse(text)}
    assert years == {"Scaling Laws for Robot Manipulation": 2025, "Attention Is All You Need": 2017}
