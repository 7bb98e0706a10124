"""The BibTeX field reader as pastes and library files hit it: quoted values with escapes,
``#`` concatenation, stray or missing commas and braces, author lists split on "and"."""

from __future__ import annotations

import pytest

from paperdeck.core.digest import bibtex_paste, jabref
from paperdeck.core.digest.bibtex_paste import SAMPLE, split_names


def _one(text: str):
    [d] = bibtex_paste.parse(text)
    return d


# --- values: quotes, braces, concatenation -------------------------------------------------


def test_an_escaped_quote_inside_a_quoted_value_does_not_end_it() -> None:
    """Old hand-written .bib files put accents straight into quoted values: "M\\"uller"."""
    d = _one('@article{m99,\n  author = "M\\"uller, Hans and Schr\\"oder, Eva",\n'
             '  title = "Quantum Tunnelling Revisited",\n  year = 1999\n}\n')
    assert (d.title, d.year) == ("Quantum Tunnelling Revisited", 1999)
    assert d.authors == ["Hans Müller", "Eva Schröder"]


def test_a_stray_closing_brace_in_a_quoted_value_ends_it_without_eating_the_entry() -> None:
    d = _one('@article{k20, title = "Unbalanced } quote", year = 2020}')
    assert (d.title, d.year) == ("Unbalanced", 2020)


@pytest.mark.parametrize("booktitle", [
    '"Proc. of "#{Neural Information Processing Systems}',  # written tight, no spaces
    '"Proc. of " # {Neural Information Processing Systems}',
    '"Proc. of "#nips',
    '"Proc. of " #\n    nips',
])
def test_quoted_pieces_joined_with_hash_however_spaced(booktitle: str) -> None:
    text = ("@string{nips = {Neural Information Processing Systems}}\n"
            "@inproceedings{vaswani2017, title = {Attention Is All You Need},"
            f" booktitle = {booktitle}}}\n")
    assert _one(text).venue == "Proc. of Neural Information Processing Systems"


def test_a_value_left_hanging_on_a_hash_at_the_end_of_the_paste() -> None:
    """A paste cut off right after ``#`` keeps what came before it."""
    assert _one("@misc{cut, title = {Truncated Paste} # ").title == "Truncated Paste"
    assert _one("@misc{cut, title = {Truncated Paste} #").title == "Truncated Paste"


def test_an_empty_value_is_skipped_and_the_next_field_read() -> None:
    d = _one("@misc{k, note = , title = {Graph Attention Networks}, year = 2018}")
    assert (d.title, d.year, d.fields.get("note")) == ("Graph Attention Networks", 2018, None)


# --- the tolerant reader of pastes: missing or extra commas, junk between fields ----------


def test_a_missing_comma_between_fields_loses_neither_field() -> None:
    d = _one("@article{lecun2015,\n  title = {Deep Learning}\n  year = {2015}\n}\n")
    assert (d.title, d.year) == ("Deep Learning", 2015)


def test_fields_run_together_without_comma_or_space() -> None:
    d = _one("@misc{k, title = {Attention Is All You Need}year = {2017}}")
    assert (d.title, d.year) == ("Attention Is All You Need", 2017)


def test_a_compact_paste_without_spaces_after_commas() -> None:
    d = _one("@article{k,title={Compact Entry},year={2020},journal={Nature}}")
    assert (d.title, d.year, d.venue) == ("Compact Entry", 2020, "Nature")


def test_a_doubled_comma_after_the_key_is_a_typo_not_the_end() -> None:
    d = _one("@inproceedings{lee2019,,\n  title = {Set Transformer},\n  year = {2019}\n}\n")
    assert (d.citekey, d.title, d.year) == ("lee2019", "Set Transformer", 2019)


def test_junk_between_fields_is_skipped_up_to_the_next_comma() -> None:
    d = _one("@book{cormen2009, title = {Introduction to Algorithms}, ISBN 978-0-262-03561-3,year = 2009}")
    assert (d.title, d.year) == ("Introduction to Algorithms", 2009)


# --- library files, read strictly (JabRef): an entry is imported whole or reported ---------


def test_an_entry_never_closed_is_reported_and_the_next_one_read() -> None:
    text = ("@article{open2020,\n  title = {Never Closed},\n  year = {2020},\n\n"
            "@article{closed2021,\n  title = {Closed Fine},\n  year = {2021}\n}\n")
    drafts, skipped = jabref.parse_report(text)
    assert [d.citekey for d in drafts] == ["closed2021"]
    assert skipped == ["line 1 (open2020): no closing brace (an unbalanced { or } inside it?)"]


def test_an_entry_with_no_fields_is_reported_as_empty_not_as_unclosed() -> None:
    assert jabref.parse_report("@misc{empty,}\n") == (
        [], ["line 1 (empty): no title, authors, identifier or link"])


def test_an_entry_holding_another_right_after_its_key_is_reported_as_unclosed() -> None:
    text = "@misc{outer,@article{inner2021, title = {Inner Title}, year = {2021}}}\n"
    assert jabref.parse_report(text) == (
        [], ["line 1 (outer): no closing brace (an unbalanced { or } inside it?)"])


def test_a_compact_entry_without_spaces_is_read_whole() -> None:
    [d], skipped = jabref.parse_report("@article{k,title={Compact Entry},year={2020}}")
    assert (d.title, d.year, skipped) == ("Compact Entry", 2020, [])


@pytest.mark.parametrize("fields", [
    "title = {Spaced Comma} , year = {2020}\n",  # a space before the comma
    "title = {Spaced Comma},\n  year = {2020}}",  # the last field closed without a comma
    "title = {Spaced Comma},\n  year = {2020}\n",
])
def test_spacing_around_commas_and_the_closing_brace(fields: str) -> None:
    [d], skipped = jabref.parse_report(f"@article{{k,\n  {fields}}}\n")
    assert (d.title, d.year, skipped) == ("Spaced Comma", 2020, [])


def test_an_escaped_closing_brace_does_not_close_the_entry() -> None:
    """Better BibTeX writes a literal brace as ``\\}``."""
    [d], skipped = jabref.parse_report("@article{k,\n  title = {Literal \\} brace},\n  year = {2017}\n}\n")
    assert (d.title, d.year, skipped) == ("Literal } brace", 2017, [])


def test_text_that_is_no_field_is_reported_with_its_first_30_characters() -> None:
    text = "@article{k,\n  title = {T},\n  This line was pasted from somewhere else entirely,\n}\n"
    assert jabref.parse_report(text) == ([], ["line 1 (k): unreadable text 'This line was pasted from some'"])


def test_a_field_given_twice_is_reported() -> None:
    text = "@article{k,\n  title = {T},\n  year = {2020},\n  title = {Again}\n}\n"
    assert jabref.parse_report(text) == ([], ["line 1 (k): field 'title' twice"])


def test_a_missing_comma_is_reported_with_what_follows_the_value() -> None:
    text = "@article{k,\n  title = {Deep Learning}\n  journal = {Nature Machine Intelligence}\n}\n"
    assert jabref.parse_report(text) == (
        [], ["line 1 (k): field 'title': unexpected 'journal = {Nature Machine Inte' after its value"])


# --- detection reads a bounded sample ------------------------------------------------------


def test_detection_looks_at_the_first_sample_characters_only() -> None:
    entry = "@article{late2020,\ntitle = {Late Entry}}\n"  # its comma must fall inside the sample
    comma = entry.index(",")
    inside = "x" * (SAMPLE - 1 - comma) + entry  # the comma is the sample's last character
    assert SAMPLE == 200_000
    assert bibtex_paste.score(inside) == 0.4  # an entry opening, its fields past the sample
    assert bibtex_paste.score("x" + inside) == 0.0


# --- author lists ---------------------------------------------------------------------------


def test_and_inside_nested_braces_does_not_split_a_collaboration() -> None:
    d = _one("@article{atlas2012, title = {Observation of a new particle},"
             " author = {{The {ATLAS} and {CMS} Collaborations}}}")
    assert d.authors == ["The ATLAS and CMS Collaborations"]


def test_a_braced_name_after_and_stays_whole() -> None:
    assert split_names("Doe, Jane and {Barnes and Noble}") == ["Jane Doe", "Barnes and Noble"]


def test_a_name_starting_with_and_is_not_a_separator() -> None:
    assert split_names("Smith, John and Jones, Andrew and Anderson, Mary") == [
        "John Smith", "Andrew Jones", "Mary Anderson"]


def test_a_trailing_and_is_dropped() -> None:
    assert split_names("Doe, Jane and Roe, Richard and ") == ["Jane Doe", "Richard Roe"]
    # as bibtex reads it: an "and" that ends the field is no separator but a word of the name
    assert split_names("Doe, Jane and Roe, Richard and") == ["Jane Doe", "Richard and Roe"]


def test_a_doubled_and_gives_no_empty_or_and_named_author() -> None:
    assert split_names("Jones, Ann and and Smith, Bob") == ["Ann Jones", "Bob Smith"]
    assert split_names("Jones, Ann and\n and others") == ["Ann Jones", "et al."]
