"""BibTeX pastes: tolerant reading, macros, names, LaTeX, broken entries."""

from __future__ import annotations

import unicodedata

import pytest

from paperdeck.core.digest import parse_digest
from paperdeck.core.digest.bibtex_paste import split_names


def test_string_macros_concatenation_and_nested_braces() -> None:
    text = (
        '@string{conf = "Proc. of "}\n'
        "@inproceedings{k1, title = {A {Nested {Deep}} Title}, "
        'booktitle = conf # "NeurIPS", year = 2020}\n'
    )
    [d] = parse_digest(text).drafts
    assert (d.title, d.venue, d.year, d.citekey) == ("A Nested Deep Title", "Proc. of NeurIPS", 2020, "k1")


def test_broken_entry_does_not_swallow_the_next() -> None:
    text = "@article{bad, title = {Never closed\n@article{good, title={Fine Title Here}, year={2021}}\n"
    titles = [d.title for d in parse_digest(text, fmt="bibtex").drafts]
    assert "Fine Title Here" in titles


def test_split_names_forms() -> None:
    assert split_names("Doe, Jane and van der Berg, Jan and Smith, Jr., John") == [
        "Jane Doe",
        "Jan van der Berg",
        "John Smith, Jr.",
    ]
    # "and others" is kept as a trailing "et al." (issue 18.2), exported as `and others`.
    assert split_names("{Barnes and Noble} and others") == ["Barnes and Noble", "et al."]


def test_literal_repeat_kept_once_but_same_title_different_ids_kept_twice() -> None:
    one = "@misc{a, title={Same Title Here}, eprint={2401.01234}, archivePrefix={arXiv}}\n"
    two = "@misc{b, title={Same Title Here}, eprint={2402.04321}, archivePrefix={arXiv}}\n"
    assert len(parse_digest(one + one).drafts) == 1
    assert len(parse_digest(one + two).drafts) == 2


SCHOLAR_ARXIV = """@article{kaplan2020scaling,
  title={Scaling laws for neural language models},
  author={Kaplan, Jared and McCandlish, Sam and Henighan, Tom and Brown, Tom B and Chess, Benjamin},
  journal={arXiv preprint arXiv:2001.08361},
  year={2020}
}
"""


def test_scholar_s_arxiv_journal_names_the_arxiv_id() -> None:
    """Google Scholar's BibTeX for a preprint says the id only in its journal field."""
    [d] = parse_digest(SCHOLAR_ARXIV).drafts
    assert (d.citekey, d.arxiv_id, d.arxiv_version, d.year) == ("kaplan2020scaling", "2001.08361", None, 2020)
    assert d.venue == "arXiv preprint arXiv:2001.08361"  # the entry's fields are kept as pasted
    assert d.url == "https://arxiv.org/abs/2001.08361"


@pytest.mark.parametrize(("fields", "want"), [
    ("journal={arXiv preprint arXiv:2001.08361v2}", ("2001.08361", 2)),
    ("note={arXiv:2001.08361}", ("2001.08361", None)),
    ("note={Preprint, arXiv:hep-th/9901001v3}", ("hep-th/9901001", 3)),
    (r"howpublished={\url{https://arxiv.org/abs/2001.08361v4}}", ("2001.08361", 4)),
    ("eprint={arXiv:2001.08361v5}", ("2001.08361", 5)),
    ("journal={arXiv e-prints}, eid={arXiv:2001.08361}", ("2001.08361", None)),  # ADS
    ("journal={arXiv preprint 2001.08361}", ("2001.08361", None)),
    ("journal={ArXiv}, volume={abs/2001.08361}", ("2001.08361", None)),  # Semantic Scholar
    ("journal={CoRR}, volume={abs/2001.08361}", ("2001.08361", None)),  # DBLP without eprint
    # not an arXiv paper, or not one paper: no guess
    ("journal={Nature}, volume={1203.4567}", ("", None)),
    ("note={see arXiv:2001.08361 and arXiv:2002.00001}", ("", None)),
    ("eprint={hal-01234567}, eprinttype={hal}", ("", None)),
    ("journal={J. Chem. Phys.}, volume={abs/2001.08361}", ("", None)),
])
def test_an_arxiv_id_written_in_a_field_is_read(fields: str, want: tuple[str, int | None]) -> None:
    [d] = parse_digest("@article{k, title={Some Title of a Paper}, author={Doe, Jane}, "
                       f"{fields}, year={{2020}}}}\n", fmt="bibtex").drafts
    assert (d.arxiv_id, d.arxiv_version) == want
    assert (d.citekey, d.year) == ("k", 2020)


def test_an_arxiv_id_in_the_journal_leaves_another_url_alone() -> None:
    text = SCHOLAR_ARXIV.replace("year={2020}", "year={2020}, url={https://openreview.net/forum?id=abc}")
    [d] = parse_digest(text).drafts
    assert (d.arxiv_id, d.url) == ("2001.08361", "https://openreview.net/forum?id=abc")


def test_a_key_is_read_as_pasted_whatever_it_holds() -> None:
    """Keys LaTeX cannot cite are still the paste's keys (the import replaces them and says
    so); an entry with no key reads its first field, as before."""
    text = ("@article{key%with#odd~chars, title={Odd key chars}, year={2022}}\n"
            "@article{ Key With Space , title={Space key}, year={2020}}\n"
            "@article{, title={Empty key}, year={2022}}\n"
            "@misc{title={No key at all}, year={2021}}\n")
    keys = [(d.citekey, d.title) for d in parse_digest(text, fmt="bibtex").drafts]
    assert keys == [("key%with#odd~chars", "Odd key chars"), ("Key With Space", "Space key"),
                    ("", "Empty key"), ("", "No key at all")]


def test_accents_stacked_without_inner_braces_sit_on_their_letter() -> None:
    # ``{\~\^e}`` is ``{\~{\^e}}`` (BibTeX's special character, issue found by the tester):
    # pylatexenc alone put both marks on the letter before ("Nguŷ̃en", "Tr̂̀an").
    text = (
        r"@article{v, title={Tr{\`\^a}n and {\d\^O}}, author={Nguy{\~\^e}n, V{\u a}n and "
        r"Tr{\`\^a}n, B{\`\i}nh and Ph{\d\^o}, Qu{\' \^o}c and Nguy\~{\^e}n, Th{\d{i}}}, year={2020}}"
    )
    [d] = parse_digest(text, fmt="bibtex").drafts
    assert d.authors == ["Văn Nguyễn", "Bình Trần", "Quốc Phộ", "Thị Nguyễn"]
    assert d.title == "Trần and Ộ"
    for text in (d.title, *d.authors):
        assert text == unicodedata.normalize("NFC", text)


def test_braces_on_part_of_a_word_are_kept_for_that_part() -> None:
    # bibtex keeps what is braced: ``{X}-Ray`` is "X" (the style lowercases "Ray"),
    # ``{U}-{N}et`` the whole word; a special character (``{\"O}``) shields nothing.
    text = (
        r"@article{p, title={A Study of {X} and {Y} in {X}-Ray: {\"O}konomie of {RT}-X, "
        r"a {3D} {U}-{N}et, {GAN}s, {P}ython~3 and {C}++}, year={2020}}"
    )
    [d] = parse_digest(text, fmt="bibtex").drafts
    assert d.fields["protect"] == ["X", "Y", "RT", "3D", "U-Net", "GANs", "Python", "C"]


@pytest.mark.parametrize("note, kept", [
    ("To appear in ICML", "To appear in ICML"),
    ("arXiv:2401.01234", None), ("{arXiv}:2401.01234", None),  # the id's own note (ours)
    ("arXiv:2401.01234 [cs.LG]", None), ("arXiv: 2401.01234v2.", None),  # Zotero's forms
    ("Preprint, arXiv:2401.01234", "Preprint, arXiv:2401.01234"),  # more than the id: kept
])
def test_a_note_is_kept_unless_it_only_names_the_arxiv_id(note, kept) -> None:
    text = f"@misc{{k, title={{T}}, year={{2024}}, eprint={{2401.01234}}, note={{{note}}}}}"
    [d] = parse_digest(text, fmt="bibtex").drafts
    assert d.fields.get("note") == kept


def test_a_note_naming_the_id_is_not_followed_by_the_id_again(tmp_path) -> None:
    from paperdeck.core.library import Library

    with Library.open(tmp_path / "lib", backup=False) as lib:
        report = lib.import_text("@misc{k, title={T}, year={2024}, eprint={2401.01234}, "
                                 "note={Preprint, arXiv:2401.01234}}")
        bib = lib.export(report.ids, "bibtex")
    assert "note = {Preprint, arXiv:2401.01234}," in bib and "{arXiv}:" not in bib


def test_a_venue_field_that_is_only_a_link_is_the_papers_link(tmp_path) -> None:
    """`howpublished={\\url{...}}` (how BibTeX cites a web page) was read as a venue
    "<https://...>", which the export escaped as {\\textless}...{\\textgreater}: the link is
    the paper's url (or one of its links, beside another url), and no venue."""
    from paperdeck.core.library import Library

    text = (r"@misc{a, title={A Web Page}, author={Doe, Jo}, year={2020},"
            r" howpublished={\url{https://example.com/a_b}}}"
            "\n" r"@misc{b, title={B Page}, year={2021}, howpublished={\url{https://x.org/b}},"
            r" url={https://y.org/c}}")
    a, b = parse_digest(text, fmt="bibtex").drafts
    assert (a.venue, a.url, a.links) == ("", "https://example.com/a_b", [])
    assert (b.venue, b.url, b.links) == ("", "https://y.org/c", ["https://x.org/b"])
    with Library.open(tmp_path / "lib", backup=False) as lib:
        bib = lib.export(lib.import_text(text).ids, "bibtex")
    assert "url = {https://example.com/a_b}" in bib and "textless" not in bib
