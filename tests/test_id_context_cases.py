"""Titles, authors and abstracts read around the links of a pasted reading list (id_context).

Before, every one of these pastes gave cards titled by their identifiers only ("1706.03762"):
the title typed next to a link was in the raw paste and nowhere else. The negative cases are
what must stay untitled: a heading above bare links, a chat's comment on a link, a link in a
sentence, two links on one line.
"""

from __future__ import annotations

import pytest

from paperdeck.core.digest import identifiers_list, parse_digest

ATT, SAM, DPO = "1706.03762", "2304.02643", "2305.18290"
ATT_T, SAM_T = "Attention Is All You Need", "Segment Anything"
DPO_T = "Direct Preference Optimization: Your Language Model is Secretly a Reward Model"


def _read(text: str) -> list[tuple[str, str]]:
    """(title, arXiv id or DOI) of each card, through detection and the reader alike."""
    result = parse_digest(text)
    assert result.format == "identifiers"
    direct = identifiers_list.parse(text)
    assert [(d.title, d.authors, d.abstract) for d in direct] == [
        (d.title, d.authors, d.abstract) for d in result.drafts]
    return [(d.title, d.arxiv_id or d.doi) for d in direct]


@pytest.mark.parametrize("sep", [" - ", " — ", " – ", ": ", " | ", " ", " -- "])
def test_title_then_link_on_one_line(sep):
    text = "".join(f"{t}{sep}https://arxiv.org/abs/{i}\n" for t, i in
                   [(ATT_T, ATT), (SAM_T, SAM), (DPO_T, DPO)])
    assert _read(text) == [(ATT_T, ATT), (SAM_T, SAM), (DPO_T, DPO)]


@pytest.mark.parametrize("line, title, ident", [
    (f"{ATT_T} (arXiv:{ATT})", ATT_T, ATT),
    (f"{ATT_T} [arXiv:{ATT}]", ATT_T, ATT),
    (f"{ATT_T} <https://arxiv.org/abs/{ATT}>", ATT_T, ATT),
    (f"https://arxiv.org/abs/{ATT} {ATT_T}", ATT_T, ATT),
    (f"arXiv:{ATT} — {ATT_T}", ATT_T, ATT),
    (f"{ATT_T}. arXiv: {ATT}", ATT_T, ATT),
    (f"{ATT_T}, PDF: https://arxiv.org/pdf/{ATT}", ATT_T, ATT),
    (f"12) {ATT_T} https://arxiv.org/abs/{ATT}", ATT_T, ATT),
    (f"- {ATT_T} https://arxiv.org/abs/{ATT}", ATT_T, ATT),
    (f"• {ATT_T} https://arxiv.org/abs/{ATT}", ATT_T, ATT),
    ("Deep Residual Learning for Image Recognition https://doi.org/10.1109/CVPR.2016.90",
     "Deep Residual Learning for Image Recognition", "10.1109/CVPR.2016.90"),
    ("Clinical features of patients infected with 2019 novel coronavirus in Wuhan, China "
     "https://doi.org/10.1016/S0140-6736(20)30183-5",
     "Clinical features of patients infected with 2019 novel coronavirus in Wuhan, China",
     "10.1016/S0140-6736(20)30183-5"),
    ("Scaling laws for neural language models https://arxiv.org/abs/2001.08361",
     "Scaling laws for neural language models", "2001.08361"),
])
def test_one_line_forms(line, title, ident):
    assert _read(line + "\n") == [(title, ident)]


def test_title_and_authors_then_the_link_on_one_line():
    text = (f"1. {ATT_T}. Vaswani et al. https://arxiv.org/abs/{ATT}\n"
            f"2. {SAM_T}. Alexander Kirillov, Eric Mintun. https://arxiv.org/abs/{SAM}\n")
    drafts = identifiers_list.parse(text)
    assert [(d.title, d.authors) for d in drafts] == [
        (ATT_T, ["Vaswani", "et al."]), (SAM_T, ["Alexander Kirillov", "Eric Mintun"])]


def test_blocks_title_authors_link_abstract():
    text = (f"{ATT_T}\nAshish Vaswani, Noam Shazeer, Niki Parmar et al.\narXiv:{ATT}\n"
            "The dominant sequence transduction models are based on complex recurrent or "
            "convolutional neural networks.\n\n"
            f"{SAM_T}\nhttps://arxiv.org/abs/{SAM}\nAlexander Kirillov, Eric Mintun\n")
    drafts = identifiers_list.parse(text)
    assert [d.title for d in drafts] == [ATT_T, SAM_T]
    assert drafts[0].authors == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "et al."]
    assert drafts[0].abstract.startswith("The dominant sequence transduction models")
    assert drafts[1].authors == ["Alexander Kirillov", "Eric Mintun"]
    assert drafts[1].abstract == ""


def test_titles_directly_above_links_without_blank_lines():
    """A notes app's list: title, link, title, link; an abstract line under a link is its
    paper's, the title line under it is the next paper's."""
    text = (f"{ATT_T}\nhttps://arxiv.org/abs/{ATT}\n"
            "We propose a new simple network architecture, the Transformer, based solely on attention.\n"
            f"{SAM_T}\nhttps://arxiv.org/abs/{SAM}\n{DPO_T}\nhttps://arxiv.org/abs/{DPO}\n")
    drafts = identifiers_list.parse(text)
    assert [d.title for d in drafts] == [ATT_T, SAM_T, DPO_T]
    assert drafts[0].abstract.startswith("We propose a new simple network")
    assert drafts[1].abstract == drafts[2].abstract == ""


def test_one_paper_named_twice_in_its_block():
    """Its abstract page and its PDF: one paper, titled from the block."""
    text = (f"{ATT_T}\nhttps://arxiv.org/abs/{ATT}\nhttps://arxiv.org/pdf/{ATT}v7\n\n"
            f"{SAM_T}\nhttps://arxiv.org/abs/{SAM}\n")
    assert _read(text) == [(ATT_T, ATT), (SAM_T, SAM)]


def test_a_titled_block_beside_a_bare_one():
    text = f"{ATT_T}\nhttps://arxiv.org/abs/{ATT}\n\nhttps://arxiv.org/abs/{SAM}\n"
    assert _read(text) == [(ATT_T, ATT), ("", SAM)]


@pytest.mark.parametrize("text", [
    # a heading above a list of bare links is no paper's title
    f"Papers this week\nhttps://arxiv.org/abs/{ATT}\nhttps://arxiv.org/abs/{SAM}\n",
    f"Reading List For Thursday\narXiv:{ATT}\narXiv:{SAM}\narXiv:{DPO}\n",
    # comments on a link
    f"Check out this paper: https://arxiv.org/abs/{ATT}\n",
    f"everyone is talking about this one https://arxiv.org/abs/{ATT}\n",
    f"https://arxiv.org/pdf/{ATT}.pdf (the DPO paper, skim section 4)\n",
    f"Worth a look? https://arxiv.org/abs/{ATT}\n",
    f"I think we should read this https://arxiv.org/abs/{ATT}\n",
    # a link inside a sentence, two papers on one line, words between two links
    f"As shown in https://arxiv.org/abs/{ATT} the model scales well\n",
    f"{ATT_T} https://arxiv.org/abs/{ATT} https://arxiv.org/abs/{SAM}\n",
    f"https://arxiv.org/abs/{ATT} Segment Anything https://arxiv.org/abs/{ATT}v2\n",
    # a chat's name and time, a list of authors, a table's row
    f"Ann Lee  10:32 AM\nhttps://arxiv.org/abs/{ATT}\n",
    f"Ashish Vaswani, Noam Shazeer, Niki Parmar\nhttps://arxiv.org/abs/{ATT}\n",
    f"Ashish Vaswani, Noam Shazeer - https://arxiv.org/abs/{ATT}\n",
    # prose: an abstract is not a title
    "We propose a new simple network architecture, the Transformer, based solely on "
    f"attention mechanisms.\nhttps://arxiv.org/abs/{ATT}\n",
])
def test_what_stays_untitled(text):
    drafts = identifiers_list.parse(text)
    assert drafts and [d.title for d in drafts] == [""] * len(drafts), [d.title for d in drafts]
    assert all(d.authors == [] and d.abstract == "" for d in drafts)


def test_every_paste_keeps_its_papers_in_order_and_once():
    text = (f"{SAM_T} - https://arxiv.org/abs/{SAM}\n{ATT_T} - arXiv:{ATT}\n"
            f"again: https://arxiv.org/abs/{SAM}v2\n")
    assert _read(text) == [(SAM_T, SAM), (ATT_T, ATT)]


def test_a_title_pasted_with_its_link_is_imported_and_found(lib):
    """Through the library: the card has the title, and a search for it finds the card."""
    lib.import_text(f"{ATT_T} - https://arxiv.org/abs/{ATT}\n{SAM_T} - https://arxiv.org/abs/{SAM}\n")
    papers = lib.papers(lib.ids())
    assert sorted(p.title for p in papers) == sorted([ATT_T, SAM_T])
    assert [p.arxiv_id for p in lib.papers(lib.ids("attention all you need"))] == [ATT]


@pytest.mark.parametrize("line, title, authors, year", [
    (f"{SAM_T}, Kirillov et al. 2023, https://arxiv.org/abs/{SAM}", SAM_T, ["Kirillov", "et al."], 2023),
    (f"- {SAM_T}, Kirillov et al., 2023 - https://arxiv.org/abs/{SAM}", SAM_T, ["Kirillov", "et al."], 2023),
    (f"{ATT_T} (Vaswani et al., 2017) https://arxiv.org/abs/{ATT}", ATT_T, ["Vaswani", "et al."], 2017),
    (f"{ATT_T} (Ashish Vaswani, Noam Shazeer) arXiv:{ATT}", ATT_T, ["Ashish Vaswani", "Noam Shazeer"], 2017),
    (f"Vaswani et al. (2017). {ATT_T}. arXiv:{ATT}", ATT_T, ["Vaswani", "et al."], 2017),
    ("He, K., Zhang, X., Ren, S., & Sun, J. (2016). Deep residual learning for image recognition. "
     "https://doi.org/10.1109/CVPR.2016.90", "Deep residual learning for image recognition",
     ["K. He", "X. Zhang", "S. Ren", "J. Sun"], 2016),
    ("Jumper, J., & Hassabis, D. (2021). Highly accurate protein structure prediction with "
     "AlphaFold. https://doi.org/10.1038/s41586-021-03819-2",
     "Highly accurate protein structure prediction with AlphaFold", ["J. Jumper", "D. Hassabis"], 2021),
    ("Deep Residual Learning for Image Recognition (CVPR 2016) https://doi.org/10.1109/CVPR.2016.90",
     "Deep Residual Learning for Image Recognition", [], 2016),
    (f"{ATT_T} (NeurIPS 2017, oral) https://arxiv.org/abs/{ATT}", ATT_T, [], 2017),
    # a " by " inside a title is no byline; a question is a title when names follow it
    ("Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift "
     "arXiv:1502.03167",
     "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift",
     [], 2015),
    ("How Powerful are Graph Neural Networks? — Keyulu Xu, Weihua Hu (ICLR 2019) arXiv:1810.00826",
     "How Powerful are Graph Neural Networks?", ["Keyulu Xu", "Weihua Hu"], 2019),
    ("Regression Shrinkage and Selection via the Lasso, by Robert Tibshirani (1996). "
     "doi:10.1111/j.2517-6161.1996.tb02080.x",
     "Regression Shrinkage and Selection via the Lasso", ["Robert Tibshirani"], 1996),
    # quoted titles: IEEE, a thread, Chicago
    ('[2] J. Devlin, M.-W. Chang, and K. Toutanova, "BERT: Pre-training of deep bidirectional '
     'transformers," in Proc. NAACL, 2019, doi: 10.18653/v1/N19-1423',
     "BERT: Pre-training of deep bidirectional transformers", ["J. Devlin", "M.-W. Chang", "K. Toutanova"],
     2019),
    ('5/ "Mamba: Linear-Time Sequence Modeling with Selective State Spaces" (Gu & Dao, 2023) '
     "arxiv.org/abs/2312.00752", "Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
     ["Gu", "Dao"], 2023),
    ('Breiman, Leo. "Random Forests." Machine Learning 45, no. 1 (2001): 5–32. '
     "https://doi.org/10.1023/A:1010933404324.", "Random Forests", ["Leo Breiman"], 2001),
    # ACM and APA without brackets around the year; a label before the reference
    ("Leslie Lamport. 1978. Time, clocks, and the ordering of events in a distributed system. "
     "Commun. ACM 21, 7 (1978). https://doi.org/10.1145/359545.359563",
     "Time, clocks, and the ordering of events in a distributed system", ["Leslie Lamport"], 1978),
    ("Required: Kingma, D. P., & Welling, M. Auto-Encoding Variational Bayes. ICLR 2014. arXiv:1312.6114",
     "Auto-Encoding Variational Bayes", ["D. P. Kingma", "M. Welling"], 2014),
    ("Week 1 — Initial sequencing and analysis of the human genome. Nature (2001). DOI: 10.1038/35057062",
     "Initial sequencing and analysis of the human genome", [], 2001),
    # a year that is part of the title stays in it
    ("Findings of the 2019 Conference on Machine Translation (WMT19) https://doi.org/10.18653/v1/W19-5301",
     "Findings of the 2019 Conference on Machine Translation (WMT19)", [], None),
    ("Clinical features of patients infected with 2019 novel coronavirus in Wuhan, China "
     "https://doi.org/10.1016/S0140-6736(20)30183-5",
     "Clinical features of patients infected with 2019 novel coronavirus in Wuhan, China", [], None),
])
def test_references_with_authors_and_years(line, title, authors, year):
    """The ways people write a reference beside its link: names and a year after the title,
    in brackets, or first (APA); a venue with its year in brackets."""
    (d,) = identifiers_list.parse(line + "\n")
    assert (d.title, d.authors, d.year) == (title, authors, year)
