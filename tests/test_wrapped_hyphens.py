"""Lines wrapped after a hyphen join without a space: "state-of-the-" + "art" is
"state-of-the-art", not "state-of-the- art" (mail readers and arXiv's mailer wrap after
hyphens; the old join left a word that was neither the word nor searchable as it)."""

from __future__ import annotations

import pytest

from paperdeck.core.digest import parse_digest
from paperdeck.core.digest.textutil import unwrap


@pytest.mark.parametrize("lines, joined", [
    (["We reach state-of-the-", "art results."], "We reach state-of-the-art results."),
    (["  a wrapped  ", "   line  "], "a wrapped line"),
    (["Jean-", "Pierre Dupont"], "Jean-Pierre Dupont"),
    (["ends in a dash -", "then words"], "ends in a dash - then words"),  # a dash, not a hyphen
    (["years 2021-", "2022"], "years 2021- 2022"),  # no letter before: kept apart
    (["x --", "y"], "x -- y"),
    (["pre-", "2020 data"], "pre- 2020 data"),  # a digit after: kept apart
    (["cross-", "x86 kernels"], "cross-x86 kernels"),  # a letter, then anything
    (["", "one", "", "two"], "one two"),
    ([], ""),
])
def test_unwrap(lines, joined):
    assert unwrap(lines) == joined


EMAIL = r"""------------------------------------------------------------------------------
\\
arXiv:2503.04112
Date: Thu, 6 Mar 2025 08:12:44 GMT   (2210kb,D)

Title: Towards state-of-the-
  art dust maps of lensed galaxies
Authors: Ann Author, Jean-
  Pierre Dupont
Categories: astro-ph.GA
\\
  We report state-of-the-art dust maps, beating earlier state-of-the-
art results by a factor of two.
\\ ( https://arxiv.org/abs/2503.04112 ,  2210kb)
------------------------------------------------------------------------------
\\
arXiv:2503.04327
Date: Thu, 6 Mar 2025 11:40:02 GMT   (840kb)

Title: Weak lensing constraints on the halo masses of compact groups
Authors: Elena Esposito, Farid Fahmy
Categories: astro-ph.CO
\\
  We measure the mean halo mass of compact galaxy groups by stacking the weak
lensing signal of many groups.
\\ ( https://arxiv.org/abs/2503.04327 ,  840kb)
------------------------------------------------------------------------------
"""


def test_an_arxiv_email_wrapped_after_hyphens(lib):
    result = parse_digest(EMAIL)
    assert result.format == "arxiv-email"
    first = result.drafts[0]
    assert first.title == "Towards state-of-the-art dust maps of lensed galaxies"
    assert first.authors == ["Ann Author", "Jean-Pierre Dupont"]
    assert "beating earlier state-of-the-art results" in first.abstract
    lib.import_text(EMAIL)
    assert lib.ids('"state-of-the-art results"') == [1]


def test_a_title_and_abstract_digest_wrapped_after_hyphens():
    text = ("Self-Supervised Learning of Visual Features\n"
            "We study self-supervised learning of visual features from unlabeled images at\n"
            "scale and reach state-of-the-\nart accuracy on ImageNet with a linear probe.\n\n"
            "Scaling Laws for Neural Language Models\n"
            "We study empirical scaling laws for language model performance on the cross-\n"
            "entropy loss, which scales as a power-law with model size and dataset size.\n")
    result = parse_digest(text)
    assert result.format == "title-paragraph"
    assert [d.title for d in result.drafts] == ["Self-Supervised Learning of Visual Features",
                                                "Scaling Laws for Neural Language Models"]
    assert "reach state-of-the-art accuracy" in result.drafts[0].abstract
    assert "on the cross-entropy loss" in result.drafts[1].abstract
