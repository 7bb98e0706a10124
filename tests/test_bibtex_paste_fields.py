"""What a pasted BibTeX entry's fields become: the title's math and braced words (the
words the export shields again), from Scholar, arXiv, Zotero/Better BibTeX pastes."""

from __future__ import annotations

import pytest

from paperdeck.core.digest import bibtex_paste


def _one(title: str):
    [d] = bibtex_paste.parse("@article{k,\n  title = {" + title + "},\n  author = {Doe, Jane},\n"
                             "  year = {2021}\n}\n")
    return d


@pytest.mark.parametrize(("title", "protect"), [
    # a title opening with its braced name (Scholar's "{BERT}: ...")
    ("{BERT}: Pre-training of Deep Bidirectional Transformers", ["BERT"]),
    # an accent inside a braced word belongs to that word
    (r'The {Schr\"odinger} Bridge Problem', ["Schrödinger"]),
    (r"{Erd\H{o}s}-{R}\'{e}nyi Graphs", ["Erdős-Rényi"]),
    # escaped braces (Better BibTeX writes a title's own braces so) shield nothing
    (r"Containment of Sets \{S, T\} in {L}inear Time", ["Linear"]),
    # a macro's argument is no shield, at the title's start or after a long macro name
    (r"\emph{Drosophila} Wing Development in {RNA} Screens", ["RNA"]),
    ("\\" + "x" * 40 + "{Word} and \\" + "y" * 39 + "{Other} in {GAN}s", ["GANs"]),
    # an accent's argument next to a braced part: the word as printed, once
    (r"Caf\'{e}{GAN}: Generating Menus", ["CaféGAN"]),
    (r"{B}\'{e}zier Curves for {CAD}", ["Bézier", "CAD"]),
    # a group inside a shielding group does not end it
    ("{The {GAN} Zoo}: a List", ["The", "GAN", "Zoo"]),
])
def test_braced_words_of_a_title_are_shielded_again(title: str, protect: list[str]) -> None:
    assert _one(title).fields.get("protect", []) == protect


def test_a_title_that_reads_like_a_placeholder_is_kept_as_pasted() -> None:
    """keep_math stands math in for "MATHxHELDx<n>x" while decoding; a title without math
    is decoded as it is (not looked up among held math)."""
    d = _one(r"The MATHxHELDx0x Token in {\"O}konomie")
    assert d.title == "The MATHxHELDx0x Token in Ökonomie"


def test_unpaired_dollars_do_not_unshield_the_braced_words_after_them() -> None:
    """Scholar leaves a price's "$" unescaped: the dollars read as math may cut a brace
    group in two, and the "}" left over opens no group."""
    d = _one("Renting GPUs at US$2 vs. {HK$}15 an Hour on {AWS}")
    assert d.fields["protect"] == ["AWS"]
