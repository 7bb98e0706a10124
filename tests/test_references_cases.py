"""Reference lists with no links (references.py): a bibliography copied from a paper's PDF
or page, a syllabus, an email's list of classics. Before, each of these was "No papers
recognised", or the one reference without a link in a list was dropped without a word."""

from __future__ import annotations

import pytest

from paperdeck.core.digest import parse_digest, references
from paperdeck.core.names import ET_AL


def _read(text: str) -> list[tuple[str, list[str], int | None, str]]:
    result = parse_digest(text)
    assert result.format == "references"
    assert [(d.title, d.authors, d.year) for d in references.parse(text)] == [
        (d.title, d.authors, d.year) for d in result.drafts]
    return [(d.title, d.authors, d.year, d.doi or d.arxiv_id) for d in result.drafts]


def test_a_nature_bibliography_wrapped_as_a_pdf_copies_it():
    text = ("References\n"
            "1. Jumper, J. et al. Highly accurate protein structure prediction with\n"
            "AlphaFold. Nature 596, 583–589 (2021).\n"
            "2. Jinek, M. et al. A programmable dual-RNA–guided DNA endonuclease in adaptive\n"
            "bacterial immunity. Science 337, 816–821 (2012).\n"
            "3. Abbott, B. P. et al. Observation of gravitational waves from a binary black\n"
            "hole merger. Phys. Rev. Lett. 116, 061102 (2016).\n")
    assert _read(text) == [
        ("Highly accurate protein structure prediction with AlphaFold", ["J. Jumper", ET_AL], 2021, ""),
        ("A programmable dual-RNA–guided DNA endonuclease in adaptive bacterial immunity",
         ["M. Jinek", ET_AL], 2012, ""),
        ("Observation of gravitational waves from a binary black hole merger", ["B. P. Abbott", ET_AL],
         2016, ""),
    ]


def test_an_email_of_titles_with_their_citations():
    text = ("Hi all,\n\nFor Friday, please read:\n\n"
            "- Gradient-Based Learning Applied to Document Recognition (LeCun et al., 1998)\n"
            "- ImageNet Classification with Deep Convolutional Neural Networks "
            "(Krizhevsky, Sutskever & Hinton, 2012)\n"
            "- Going Deeper with Convolutions (Szegedy et al., 2015)\n\nCheers,\nMaria\n")
    assert _read(text) == [
        ("Gradient-Based Learning Applied to Document Recognition", ["LeCun", ET_AL], 1998, ""),
        ("ImageNet Classification with Deep Convolutional Neural Networks",
         ["Krizhevsky", "Sutskever", "Hinton"], 2012, ""),
        ("Going Deeper with Convolutions", ["Szegedy", ET_AL], 2015, ""),
    ]


def test_a_list_mixing_references_with_and_without_links_keeps_every_paper():
    text = ("He, K., Zhang, X., Ren, S., & Sun, J. (2016). Deep residual learning for image "
            "recognition. In CVPR (pp. 770–778). https://doi.org/10.1109/CVPR.2016.90\n\n"
            "Srivastava, N., Hinton, G., Krizhevsky, A., Sutskever, I., & Salakhutdinov, R. (2014). "
            "Dropout: A simple way to prevent neural networks from overfitting. JMLR, 15(56), 1929–1958.\n\n"
            "Jumper, J., Evans, R., Pritzel, A., … Hassabis, D. (2021). Highly accurate protein "
            "structure prediction with AlphaFold. Nature, 596(7873), 583–589. "
            "https://doi.org/10.1038/s41586-021-03819-2\n")
    assert _read(text) == [
        ("Deep residual learning for image recognition", ["K. He", "X. Zhang", "S. Ren", "J. Sun"], 2016,
         "10.1109/CVPR.2016.90"),
        ("Dropout: A simple way to prevent neural networks from overfitting",
         ["N. Srivastava", "G. Hinton", "A. Krizhevsky", "I. Sutskever", "R. Salakhutdinov"], 2014, ""),
        ("Highly accurate protein structure prediction with AlphaFold",
         ["J. Jumper", "R. Evans", "A. Pritzel", "D. Hassabis", ET_AL], 2021, "10.1038/s41586-021-03819-2"),
    ]


def test_acm_and_ieee_entries_numbered():
    text = ("[1] Leslie Lamport. 1978. Time, clocks, and the ordering of events in a distributed\n"
            "system. Commun. ACM 21, 7 (July 1978), 558–565.\n"
            "[2] Diego Ongaro and John Ousterhout. 2014. In search of an understandable consensus\n"
            "algorithm. In Proceedings of USENIX ATC '14. 305–319.\n"
            '[3] K. He, X. Zhang, S. Ren, and J. Sun, "Deep residual learning for image recognition," '
            "in Proc. CVPR, 2016, pp. 770–778.\n")
    assert _read(text) == [
        ("Time, clocks, and the ordering of events in a distributed system", ["Leslie Lamport"], 1978, ""),
        ("In search of an understandable consensus algorithm", ["Diego Ongaro", "John Ousterhout"], 2014, ""),
        ("Deep residual learning for image recognition", ["K. He", "X. Zhang", "S. Ren", "J. Sun"], 2016, ""),
    ]


def test_an_entry_in_a_style_not_read_keeps_its_identifier():
    text = ("1. Jumper, J. et al. Highly accurate protein structure prediction with AlphaFold. "
            "Nature 596, 583–589 (2021).\n"
            "2. Arute, F. et al. Quantum supremacy using a programmable superconducting processor. "
            "Nature 574, 505–510 (2019).\n"
            "3. see also doi:10.1038/nature14539\n")
    assert [(t, i) for t, _, _, i in _read(text)] == [
        ("Highly accurate protein structure prediction with AlphaFold", ""),
        ("Quantum supremacy using a programmable superconducting processor", ""),
        ("", "10.1038/nature14539")]


@pytest.mark.parametrize("text", [
    # prose that mentions years and names is no reference list
    "We met on Friday (Maria, Tom & Ann, 2023) and again later.\nThe results from 2021 hold.\n",
    "Thanks for the notes from the 2019 retreat.\nBest, Maria\n",
    # one reference alone is not a list to detect as such
    "Going Deeper with Convolutions (Szegedy et al., 2015)\n",
    # a chat, headings and greetings only
    "Hi all,\n\nReading list below.\n\nCheers,\nMaria\n",
])
def test_what_is_no_reference_list(text):
    assert references.score(text) == 0.0


def test_a_wrapped_entry_stops_at_a_blank_line_and_at_six_lines():
    text = ("1. Jumper, J. et al. Highly accurate protein structure prediction with AlphaFold.\n"
            "Nature 596, 583–589 (2021).\n\n"
            "Not part of it (Someone & Other, 2020)\n"
            "2. Arute, F. et al. Quantum supremacy using a programmable superconducting processor.\n"
            + "wrapped\n" * 5 + "Nature 574, 505–510 (2019).\nand a line after it\n")
    entries = references._entries(text)
    assert entries[0].endswith("(2021).") and entries[1] == "Not part of it (Someone & Other, 2020)"
    assert entries[2].count("\n") == 5
    assert entries[3:] == ["Nature 574, 505–510 (2019).", "and a line after it"]


NATURE = ("1. Jumper, J. et al. Highly accurate protein structure prediction with AlphaFold. "
          "Nature 596, 583–589 (2021).\n"
          "2. Arute, F. et al. Quantum supremacy using a programmable superconducting processor. "
          "Nature 574, 505–510 (2019).\n")


def test_score_counts_lines_of_four_words_or_more_as_candidates():
    assert references.score(NATURE) == 0.65  # two of two
    notes = "\nPlease read these two.\nThanks a lot, all\n"
    assert references.score(NATURE + notes) == 0.475  # two of four
    assert references.score(NATURE + notes + "See you on Friday\n") == 0  # two of five
    assert references.score(NATURE + "\nHi all,\nCheers, Maria\n") == 0.65  # short lines: no candidates
    assert references.score(NATURE + "3. Nothing that reads as a reference here.\n") == 0.533


def test_score_reads_a_bounded_sample():
    """The first 200,000 characters only: a reference cut inside its year is none."""
    third = "3. Szegedy, C. et al. Going deeper with convolutions. CVPR 1–9 (2015)."
    pad = "\n" * (200_000 - len(NATURE) - len(third) + 3)  # the cut falls inside "2015"
    text = NATURE + pad + third + "\n"
    assert text[:200_000].endswith("(201")
    assert references.score(text) == 0.533  # two of three candidates
    assert references.score(text + "\n") == 0.533
    assert references.score(NATURE + pad[3:] + third) == 0.65  # three characters earlier: whole


def test_a_reference_with_a_doi_links_to_it():
    text = NATURE.replace("(2019).", "(2019). https://doi.org/10.1038/s41586-019-1666-5")
    urls = [d.url for d in parse_digest(text).drafts]
    assert urls == ["", "https://doi.org/10.1038/s41586-019-1666-5"]
