"""What a paper is as a citation (core/citation.py): the type, venue, date and kept fields
every exporter shares, with papers as pastes and digests leave them."""

from __future__ import annotations

import pytest

from paperdeck.core.citation import citation_record, clean_text, month_number, parse_journal_ref
from paperdeck.core.models import Paper


def paper(**kw: object) -> Paper:
    base = {"id": 1, "title": "A Title", "authors": ["Ann Lee"], "year": 2020}
    return Paper(**{**base, **kw})


def test_clean_text_keeps_words_and_drops_what_no_reader_sees() -> None:
    assert clean_text("  a\u00a0b\u2003c\n\td  ") == "a b c d"
    assert clean_text("x\u202eevil\u202c\u2066y\u2069\x00\x07z") == "xevilyz"
    assert clean_text("Cafe\u0301") == "Café"  # NFC
    assert clean_text(None) == ""  # type: ignore[arg-type]


@pytest.mark.parametrize(("ref", "parts"), [
    ("Phys. Rev. D 108, 012345 (2023)",
     {"journal": "Phys. Rev. D", "volume": "108", "pages": "012345", "year": "2023"}),
    ("Nature 123 (4), 456-789 (2020).",
     {"journal": "Nature", "volume": "123", "number": "4", "pages": "456-789", "year": "2020"}),
    ("JHEP 05 (2023) 123", {"journal": "JHEP", "volume": "05", "year": "2023", "pages": "123"}),
    ("Accepted at NeurIPS 2020", None),
    ("Phys. Rev. D 108, 012345 (1899)", None),
])  # fmt: skip
def test_journal_refs(ref: str, parts: dict | None) -> None:
    assert parse_journal_ref(ref) == parts


@pytest.mark.parametrize(("value", "number"), [
    ("jan", 1), ("July", 7), ("Sept", 9), ("dec.", 12), (" 7 ", 7), ("1", 1), ("12", 12),
    ("0", None), ("13", None), ("", None), ("summer", None),
])  # fmt: skip
def test_months(value: str, number: int | None) -> None:
    assert month_number(value) == number


def test_title_falls_back_to_an_identifier_and_year_must_be_positive() -> None:
    assert citation_record(paper(title="", arxiv_id="2401.00001", doi="10.1/x")).title == "2401.00001"
    assert citation_record(paper(title="", doi="10.1/x", url="https://x.org")).title == "10.1/x"
    assert citation_record(paper(title="", url="https://x.org")).title == "https://x.org"
    assert citation_record(paper(title=" \n")).title == "Untitled"
    assert citation_record(paper(year=0)).year == ""
    assert citation_record(paper(year=-5)).year == ""
    assert citation_record(paper(year=1)).year == "1"


def test_identifiers_and_the_arxiv_url() -> None:
    rec = citation_record(paper(arxiv_id=" 2401.00001 ", doi=" 10.1/x ", primary_class="cs.LG"))
    assert (rec.arxiv, rec.doi, rec.url, rec.primary_class) == (
        "2401.00001", "10.1/x", "https://arxiv.org/abs/2401.00001", "cs.LG")
    assert citation_record(paper(arxiv_id="2401.00001", url="https://x.org/p")).url == "https://x.org/p"
    assert citation_record(paper()).url == ""


def test_authors_et_al_and_keywords() -> None:
    rec = citation_record(paper(authors=["Ann Lee", " ", "et al."]))
    assert rec.authors == ["Ann Lee", "et al."] and rec.people == ["Ann Lee"] and rec.et_al
    alone = citation_record(paper(authors=["et al."]))
    assert alone.people == [] and not alone.et_al
    tagged = citation_record(paper(tags=["rl", "a,b", ""], fields={"keywords": ["a b", "nlp", 3]}))
    assert tagged.tags == ["rl", "a b", "nlp"]
    assert citation_record(paper(fields={"keywords": "nlp"})).tags == []


def test_pasted_fields_forms_and_protected_words() -> None:
    rec = citation_record(paper(fields={
        "volume": 12, "pages": " 1-9 ", "isbn": "", "doi": "ignored",
        "names": {"Ann Lee": ["Ann", "", "Lee", "", ""]}, "protect": ["LLM", 3], "month": "Jul"}))
    assert rec.extra == {"volume": "12", "pages": "1-9"}
    assert rec.forms == {"Ann Lee": ["Ann", "", "Lee", "", ""]}
    assert rec.protect == frozenset({"LLM"})
    assert rec.month == 7
    odd = citation_record(paper(fields={"names": ["x"], "protect": "LLM", "volume": None}))
    assert (odd.forms, odd.protect, odd.extra) == ({}, frozenset(), {})
    assert citation_record(paper(fields=None)).extra == {}  # type: ignore[arg-type]


def test_types_are_used_only_with_their_required_fields() -> None:
    assert citation_record(paper(venue="Nature")).kind == "article"
    assert citation_record(paper(venue="Nature", authors=[])).kind == "misc"
    assert citation_record(paper(venue="Nature", year=None)).kind == "misc"
    assert citation_record(paper(venue="Proceedings of the …")).kind == "misc"
    assert citation_record(paper(venue="arXiv preprint arXiv:2401.00001")).venue == ""
    assert citation_record(paper(venue="CoRR abs/2401.00001")).kind == "misc"
    thesis = paper(entry_type="PhDThesis", fields={"school": "MIT"})
    assert citation_record(thesis).kind == "phdthesis"
    assert citation_record(paper(entry_type="phdthesis")).kind == "misc"
    # Types with no required fields are kept; biblatex-only names are not BibTeX types.
    assert citation_record(paper(entry_type="unpublished")).kind == "unpublished"
    assert citation_record(paper(entry_type="online", venue="Blog")).kind == "article"
    assert citation_record(paper(entry_type="report")).kind == "misc"
    assert citation_record(paper(entry_type="thesis")).kind == "misc"
    assert citation_record(paper(entry_type="weird")).kind == "misc"


def test_proceedings_venue_becomes_the_booktitle() -> None:
    rec = citation_record(paper(entry_type="inproceedings", venue="Proc. ICML"))
    assert (rec.kind, rec.venue, rec.extra["booktitle"]) == ("inproceedings", "", "Proc. ICML")
    kept = citation_record(paper(entry_type="inproceedings", venue="ICML",
                                 fields={"booktitle": "Proceedings of ICML"}))
    assert (kept.kind, kept.venue) == ("inproceedings", "")
    book = citation_record(paper(entry_type="book", venue="Springer", fields={"publisher": "Springer",
                                                                            "booktitle": "B"}))
    assert (book.kind, book.venue) == ("book", "")
    # A @misc keeps its venue as "how published" even when a booktitle came along.
    misc = citation_record(paper(entry_type="inproceedings", year=None, venue="ICML"))
    assert (misc.kind, misc.venue) == ("misc", "ICML")
    article = citation_record(paper(venue="Nature", fields={"booktitle": "B"}))
    assert (article.kind, article.venue) == ("article", "Nature")


def test_journal_ref_is_split_only_for_an_untyped_paper_without_a_volume() -> None:
    rec = citation_record(paper(year=2022, venue="Phys. Rev. D 108, 012345 (2023)"))
    assert (rec.kind, rec.venue, rec.year, rec.extra) == (
        "article", "Phys. Rev. D", "2023", {"volume": "108", "pages": "012345"})
    typed = citation_record(paper(entry_type="article", venue="Phys. Rev. D 108, 012345 (2023)"))
    assert typed.venue == "Phys. Rev. D 108, 012345 (2023)"
    with_volume = citation_record(paper(venue="Phys. Rev. D 108, 012345 (2023)", fields={"volume": "1"}))
    assert with_volume.venue == "Phys. Rev. D 108, 012345 (2023)"


def test_a_non_breaking_hyphen_is_cleaned_to_a_hyphen():
    from paperdeck.core.citation import clean_text

    assert clean_text("Parameter\u2011Efficient Fine\u2011Tuning") == "Parameter-Efficient Fine-Tuning"
