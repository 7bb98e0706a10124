"""BibTeX pastes: tolerant reading, macros, names, LaTeX, broken entries."""

from __future__ import annotations

import unicodedata

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
