"""CSL-JSON items (core/csl.py) for papers as pastes leave them: every item checked
against the CSL-JSON schema, with the values a CSL processor reads."""

from __future__ import annotations

import json

import jsonschema

from paperdeck.core.csl import csl_item, csl_name, to_csl_json
from paperdeck.core.models import Paper
from test_export_formats import SCHEMA


def item(**kw: object) -> dict:
    base = {"id": 1, "title": "A Title", "authors": ["Ann Lee"], "year": 2020, "citekey": "lee2020"}
    out = csl_item(Paper(**{**base, **kw}))
    jsonschema.validate([out], SCHEMA)
    return out


def test_names() -> None:
    assert csl_name("Martin Luther King, Jr.", {}) == {
        "family": "King", "given": "Martin Luther", "suffix": "Jr."}
    assert csl_name("Ludwig van Beethoven", {}) == {
        "family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"}
    assert csl_name("Plato", {}) == {"family": "Plato"}
    assert csl_name("OpenAI Team", {}) == {"literal": "OpenAI Team"}
    two_words = {"Van Gogh": ["", "", "Van Gogh", "", ""], "de Gaulle": ["", "de", "Gaulle", "", ""]}
    assert csl_name("Van Gogh", two_words) == {"literal": "Van Gogh"}
    assert csl_name("de Gaulle", two_words) == {"family": "Gaulle", "non-dropping-particle": "de"}
    assert csl_name("Ford, Jr.", {}) == {"family": "Ford", "suffix": "Jr."}


def test_types() -> None:
    assert item(venue="Nature")["type"] == "article-journal"
    assert item(arxiv_id="2401.00001")["type"] == "article"
    assert item()["type"] == "document"
    assert item(entry_type="techreport", fields={"institution": "MIT"})["type"] == "report"


def test_an_article_with_everything() -> None:
    got = item(venue="Nature", doi="10.1/x", url="https://x.org/p", tags=["rl", "nlp"], abstract="Abs.",
               notes="Mine.", authors=["Ann Lee", "et al."],
               fields={"volume": "7", "number": "2", "pages": "1--9", "month": "Mar", "issn": "1234-5678",
                       "editor": "Jan van der Berg and Bo Li"})
    assert got == {
        "id": "lee2020", "citation-key": "lee2020", "type": "article-journal", "title": "A Title",
        "author": [{"family": "Lee", "given": "Ann"}],
        "editor": [{"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"},
                   {"family": "Li", "given": "Bo"}],
        "issued": {"date-parts": [[2020, 3]]}, "container-title": "Nature", "volume": "7", "issue": "2",
        "page": "1-9", "ISSN": "1234-5678", "DOI": "10.1/x", "URL": "https://x.org/p",
        "keyword": "rl, nlp", "abstract": "Abs.", "note": "Mine.",
    }


def test_containers_publishers_and_preprints() -> None:
    paper = item(entry_type="inproceedings", venue="Proc. ICML",
                 fields={"publisher": "PMLR", "address": "Vienna"})
    assert (paper["container-title"], paper["publisher"], paper["publisher-place"]) == (
        "Proc. ICML", "PMLR", "Vienna")
    undated = item(year=None, venue="SSRN")
    assert undated["publisher"] == "SSRN" and "container-title" not in undated and "issued" not in undated
    thesis = item(entry_type="phdthesis", fields={"school": "MIT"})
    assert thesis["publisher"] == "MIT"
    report = item(entry_type="techreport", fields={"institution": "RAND", "publisher": "RAND Press"})
    assert report["publisher"] == "RAND Press"
    preprint = item(arxiv_id="2401.00001")
    assert (preprint["number"], preprint["publisher"]) == ("arXiv:2401.00001", "arXiv")
    assert item(arxiv_id="2401.00001", year=None, venue="Blog")["publisher"] == "Blog"
    book = item(entry_type="book", fields={"publisher": "Springer", "isbn": "978-3", "edition": "2",
                                           "series": "LNCS"})
    assert (book["ISBN"], book["edition"], book["collection-title"]) == ("978-3", "2", "LNCS")
    assert "author" not in item(authors=["et al."])


def test_whole_file_is_a_json_array_in_utf8() -> None:
    text = to_csl_json([Paper(id=1, title="深度学习", citekey="a"), Paper(id=2, title="B", citekey="b")])
    assert "深度学习" in text and text.endswith("]\n")
    assert [i["id"] for i in json.loads(text)] == ["a", "b"]
    assert to_csl_json([]) == "[]\n"


def test_the_file_text_is_stable() -> None:
    """Auto-exported files are often kept in git: two-space indented, one key a line."""
    assert to_csl_json([Paper(id=1, title="T", citekey="a")]) == (
        '[\n  {\n    "id": "a",\n    "citation-key": "a",\n'
        '    "type": "document",\n    "title": "T"\n  }\n]\n'
    )
