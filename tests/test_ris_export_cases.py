"""RIS records (core/ris_export.py) written exactly, and read back by the RIS importer."""

from __future__ import annotations

from paperdeck.core.digest import ris
from paperdeck.core.models import Paper
from paperdeck.core.ris_export import ris_name, ris_record, to_ris

DOI = "10.1038/s41586-021-03819-2"


def test_names_are_family_given_suffix() -> None:
    assert ris_name("Martin Luther King, Jr.", {}) == "King, Martin Luther, Jr."
    assert ris_name("Ludwig van Beethoven", {}) == "van Beethoven, Ludwig"
    assert ris_name("Plato", {}) == "Plato"
    assert ris_name("OpenAI Team", {}) == "OpenAI Team"
    assert ris_name("Ford, Jr.", {}) == "Ford,, Jr."


def test_a_full_record_exactly_and_read_back() -> None:
    paper = Paper(id=1, title="A  Title\nacross lines", authors=["Ann Lee", "Ludwig van Beethoven", "et al."],
                  year=2021, venue="Nature", doi=DOI, url="https://x.org/a b", tags=["rl", "nlp"],
                  abstract="Abs.", notes="Mine.", arxiv_id="2101.00001", primary_class="cs.LG",
                  citekey="lee2021",
                  fields={"volume": "7", "number": "2", "pages": "583--589", "month": "Aug",
                          "publisher": "NPG", "address": "London", "issn": "0028-0836",
                          "editor": "Jan van der Berg and Bo Li"})
    text = ris_record(paper)
    assert text == (
        "TY  - JOUR\nTI  - A Title across lines\nAU  - Lee, Ann\nAU  - van Beethoven, Ludwig\n"
        "A2  - van der Berg, Jan\nA2  - Li, Bo\nT2  - Nature\nPY  - 2021/08//\nVL  - 7\nIS  - 2\n"
        "PB  - NPG\nCY  - London\nSN  - 0028-0836\nSP  - 583\nEP  - 589\nM3  - arXiv:2101.00001\n"
        f"N1  - arXiv category: cs.LG\nDO  - {DOI}\nUR  - https://x.org/a%20b\nKW  - rl\nKW  - nlp\n"
        "AB  - Abs.\nN1  - Mine.\nID  - lee2021\nER  - \n"
    )
    (draft,) = ris.parse(text)
    assert draft.authors == ["Ann Lee", "Ludwig van Beethoven"]
    assert (draft.title, draft.year, draft.doi) == ("A Title across lines", 2021, DOI)
    assert (draft.fields["volume"], draft.fields["pages"]) == ("7", "583--589")


def test_a_bare_preprint_and_a_one_page_paper() -> None:
    bare = ris_record(Paper(id=1, title="T", arxiv_id="2101.00001", citekey="k"))
    assert bare == ("TY  - GEN\nTI  - T\nM3  - arXiv:2101.00001\nUR  - https://arxiv.org/abs/2101.00001\n"
                    "ID  - k\nER  - \n")
    one_page = ris_record(Paper(id=1, title="T", authors=["A B"], year=2020, venue="J", citekey="k",
                                fields={"pages": "e123"}))
    assert "PY  - 2020\n" in one_page and "SP  - e123\n" in one_page and "EP  -" not in one_page
    dashed = ris_record(Paper(id=1, title="T", citekey="k", fields={"pages": "5 - 9", "isbn": "978-3"}))
    assert "SP  - 5\nEP  - 9\n" in dashed and "SN  - 978-3\n" in dashed


def test_records_are_separated_by_a_blank_line() -> None:
    two = to_ris([Paper(id=1, title="A", citekey="a"), Paper(id=2, title="B", citekey="b")])
    assert two == "TY  - GEN\nTI  - A\nID  - a\nER  - \n\nTY  - GEN\nTI  - B\nID  - b\nER  - \n"
    assert [d.title for d in ris.parse(two)] == ["A", "B"]
