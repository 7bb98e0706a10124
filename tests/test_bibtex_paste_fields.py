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


def _parse(fields: str, kind: str = "article"):
    return bibtex_paste.parse(f"@{kind}{{k,\n  {fields}\n}}\n")


def test_a_sici_doi_is_kept_whole_and_a_doi_link_gives_the_doi() -> None:
    sici = "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI3>3.0.CO;2-0"
    [d] = _parse(f"title={{Citation Analysis}}, doi={{{sici}}}, year={{1998}}")
    assert d.doi == sici
    [d] = _parse("title={Deep Graph Kernels}, url={https://doi.org/10.1145/2783258.2783417}")
    assert (d.doi, d.url) == ("10.1145/2783258.2783417", "https://doi.org/10.1145/2783258.2783417")
    # the doi field wins over a link to another DOI (the published version's)
    [d] = _parse("title={T}, doi={10.1145/1111111.2222222}, url={https://doi.org/10.5555/3333333}")
    assert d.doi == "10.1145/1111111.2222222"
    # a publisher's page is the url, not read as the DOI
    [d] = _parse("title={T}, url={https://dl.acm.org/doi/10.1145/3292500.3330701}")
    assert (d.doi, d.url) == ("", "https://dl.acm.org/doi/10.1145/3292500.3330701")


def test_arxiv_ids_from_eprint_url_and_other_archives() -> None:
    # an eprint with Zotero's class after the id
    [d] = _parse("title={T}, archivePrefix={arXiv}, eprint={arXiv:2001.08361 [cs.CL]}")
    assert d.arxiv_id == "2001.08361"
    # a HAL record: its eprint is HAL's, the note names the arXiv version
    [d] = _parse("title={T}, eprint={hal-02345678}, eprinttype={HAL}, note={arXiv:2001.08361}")
    assert (d.arxiv_id, d.year) == ("2001.08361", 2020)  # no year field: the id's
    # another archive's eprint that mentions arXiv is not read as the arXiv id
    [d] = _parse("title={T}, eprint={arXiv:2001.08361}, eprinttype={HAL}, year={2021}")
    assert (d.arxiv_id, d.year) == ("", 2021)
    # a link to the abstract page, with its version
    [d] = _parse("title={T}, url={https://arxiv.org/abs/2401.01234v2}, year={2024}")
    assert (d.arxiv_id, d.arxiv_version) == ("2401.01234", 2)
    # the eprint field wins over a link to another version
    [d] = _parse("title={T}, eprint={2401.01234v1}, url={https://arxiv.org/pdf/2401.01234v3}")
    assert (d.arxiv_id, d.arxiv_version) == ("2401.01234", 1)


def test_an_entry_without_a_title_is_skipped() -> None:
    text = ("@article{notitle, author={Doe, Jane}, year={2020}}\n"
            "@article{titled, title={A Titled Paper}, year={2020}}\n")
    assert [d.citekey for d in bibtex_paste.parse(text)] == ["titled"]


def test_kind_abstract_editor_and_name_forms() -> None:
    [d] = _parse(r"title={Chapter on {GAN}s}, author={Guevara G{\'o}mez, Juan Camilo and Smith, Jr., John},"
                 r" editor={Roe, Ann and Poe, Bo}, abstract={We sort in $O(n)$ time\\ and {\"o}ften}",
                 kind="incollection")
    assert d.entry_type == "incollection"
    assert d.abstract.startswith("We sort in $O(n)$ time")
    assert d.authors == ["Juan Camilo Guevara Gómez", "John Smith, Jr."]
    assert d.fields["editor"] == "Ann Roe and Bo Poe"
    assert d.fields["names"] == {"Juan Camilo Guevara Gómez": ["Juan Camilo", "", "Guevara Gómez", "", ""]}
    [d] = _parse("title={T}, editor={Roe, Ann}", kind="book")  # editors only: they are the names
    assert (d.authors, "editor" in d.fields) == (["Ann Roe"], False)


@pytest.mark.parametrize(("date", "month"), [
    ("2021-01-15", "Jan"), ("2021-03", "Mar"), ("2021-12-31", "Dec"), ("2021-13-01", None), ("2021", None),
])
def test_a_biblatex_date_gives_the_month(date: str, month: str | None) -> None:
    [d] = _parse(f"title={{T}}, date={{{date}}}", kind="online")
    assert (d.year, d.fields.get("month")) == (2021, month)


def test_a_month_field_wins_over_the_date() -> None:
    [d] = _parse("title={T}, date={2021-03-15}, month=jun")
    assert d.fields["month"] == "Jun"


def test_a_commented_out_entry_is_not_read() -> None:
    text = ("@comment{old, title={Withdrawn Draft}, year={2019}}\n"
            "@article{new, title={Kept Paper}, year={2020}}\n")
    assert [d.title for d in bibtex_paste.parse(text)] == ["Kept Paper"]


def test_score_of_a_scholar_paste_is_strong() -> None:
    paste = "@article{k,\n  title={T},\n  author={Doe, Jane},\n  year={2020}\n}\n"
    assert bibtex_paste.score(paste) == 0.95


def test_a_line_break_in_a_title_is_a_space_and_placeholder_text_is_text():
    """TeX's `\\\\` left a newline in the card's title; a title with math and the literal text
    of the old math placeholder ("MATHxHELDx5x") raised IndexError."""
    (d,) = bibtex_paste.parse(r"@article{a, title={Deep Learning\\ A Survey of $O(n)$ and MATHxHELDx5x}, "
                 r"author={Lee, Ann}, year={2020}}")
    assert d.title == "Deep Learning A Survey of $O(n)$ and MATHxHELDx5x"


def test_an_entry_repeated_after_a_macro_changed_reads_the_new_macro():
    """A literal repeat was skipped as reading the same, and a repeated @string too, even
    after the macro it sets had changed between (BibTeX reads each in turn)."""
    entry = "@article{k, title = v # { of Graphs}, author = {Lee, Ann}, year = 2020}\n"
    text = ("@string{v = {Theory}}\n" + entry + "@string{v = {Practice}}\n" + entry
            + "@string{v = {Theory}}\n" + "@article{j, title = v # { Again}, author = {Lee, Ann}}\n")
    assert [d.title for d in bibtex_paste.parse(text)] == [
        "Theory of Graphs", "Practice of Graphs", "Theory Again"]
    assert len(bibtex_paste.parse(entry + entry)) == 1  # a literal repeat is one paper


def test_one_entry_with_one_field_line_scores_as_bibtex():
    assert bibtex_paste.score("@article{k,\n  title = {Graphs}}\n") == 0.95
    assert bibtex_paste.score("@article{k,\n  note = {Graphs}}\n") == 0.4


def test_a_string_macro_named_title_is_no_paper():
    """`@string{title = ...}` is legal BibTeX: a macro, never a card titled by it."""
    text = ("@string{title = {Pattern Recognition}}\n"
            "@book{bishop2006, title = title # { and Machine Learning}, author = {Bishop, Christopher},"
            " year = 2006}\n")
    assert [d.title for d in bibtex_paste.parse(text)] == ["Pattern Recognition and Machine Learning"]
