"""CSL-JSON as Zotero ("Export Library... > CSL JSON"), Better BibTeX ("Better CSL JSON")
and Pandoc write it.

Zotero's own export names items by their zotero.org URI, writes date parts as strings
(``[["2023", 8, 1]]``), a preprint's arXiv id as ``number`` and its arXiv DOI, and the
Extra field as ``note``. Better CSL JSON names items by their citation key, adds
``citation-key`` and writes ``keyword`` as a comma-separated list. Names come as
``{family, given}`` with particles and suffixes, or ``{literal}`` for an organisation.
"""

from __future__ import annotations

import json
import sys

import pytest

from paperdeck.core.digest import csl_json, parse_digest

ZOTERO_EXPORT = [
    {"id": "http://zotero.org/users/1234567/items/8XK2ZQ4C", "type": "article",
     "abstract": "The dominant sequence transduction models are based on complex recurrent networks.",
     "DOI": "10.48550/arXiv.1706.03762", "note": "arXiv:1706.03762 [cs]", "number": "arXiv:1706.03762",
     "publisher": "arXiv", "source": "arXiv.org", "title": "Attention Is All You Need",
     "URL": "http://arxiv.org/abs/1706.03762",
     "author": [{"family": "Vaswani", "given": "Ashish"}, {"family": "Shazeer", "given": "Noam"}],
     "accessed": {"date-parts": [["2024", 1, 10]]}, "issued": {"date-parts": [["2023", 8, 1]]}},
    {"id": "http://zotero.org/users/1234567/items/3RTY7UIO", "type": "article-journal",
     "container-title": "Nature", "DOI": "10.1038/s41586-021-03819-2", "ISSN": "1476-4687", "issue": "7873",
     "language": "en", "page": "583-589", "source": "www.nature.com",
     "title": "Highly accurate protein structure prediction with AlphaFold",
     "URL": "https://www.nature.com/articles/s41586-021-03819-2", "volume": "596",
     "note": "<p>Key result in <b>Table 2</b>.</p>",
     "author": [{"family": "Jumper", "given": "John"}, {"literal": "DeepMind"},
                {"family": "Hassabis", "given": "Demis", "suffix": "Jr."}],
     "issued": {"date-parts": [["2021", 8]]}},
    {"id": "http://zotero.org/users/1234567/items/P9LM2NBV", "type": "paper-conference",
     "event-title": "International Conference on Learning Representations",
     "title": "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale",
     "URL": "https://openreview.net/forum?id=YicbFdNTTy",
     "author": [{"family": "Dosovitskiy", "given": "Alexey"}], "issued": {"raw": "Spring 2021"}},
    {"id": "http://zotero.org/users/1234567/items/ZX9C8V7B", "type": "book",
     "title": "Dataset Shift in Machine Learning", "publisher": "MIT Press",
     "editor": [{"family": "Quiñonero-Candela", "given": "Joaquin"},
                {"family": "Sugiyama", "given": "Masashi"}],
     "issued": {"literal": "c. 2008"}},
]

BETTER_CSL = [
    {"id": "vanderMaaten2008visualizing", "citation-key": "vanderMaaten2008visualizing",
     "type": "article-journal",
     "title": "Visualizing Data using t-SNE", "container-title": "Journal of Machine Learning Research",
     "author": [{"family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der"},
                {"family": "Hinton", "given": "Geoffrey"}],
     "issued": {"date-parts": [[2008]]}, "keyword": "visualization, dimensionality reduction; embeddings,, ",
     "URL": "http://jmlr.org/papers/v9/vandermaaten08a.html"},
    {"id": "chiang2019cluster", "citationKey": "chiang2019cluster", "type": "report",
     "title": "Cluster-GCN", "note": "arXiv: 1905.07953\nDOI: 10.1145/3292500.3330925",
     "URL": "zotero://select/library/items/Q1W2E3R4", "author": [{"family": "Chiang", "given": "Wei-Lin"}]},
]


def test_a_zotero_csl_export() -> None:
    result = parse_digest(json.dumps(ZOTERO_EXPORT, indent=2, ensure_ascii=False))
    assert result.format == "csl-json"
    attention, alphafold, vit, book = result.drafts
    assert (attention.arxiv_id, attention.doi, attention.year) == ("1706.03762", "", 2023)
    assert attention.venue == ""
    assert attention.authors == ["Ashish Vaswani", "Noam Shazeer"]
    assert attention.url == "http://arxiv.org/abs/1706.03762" and attention.notes == "arXiv:1706.03762 [cs]"
    assert attention.abstract.startswith("The dominant sequence")
    assert alphafold.authors == ["John Jumper", "DeepMind", "Demis Hassabis, Jr."]
    assert (alphafold.doi, alphafold.venue, alphafold.year) == ("10.1038/s41586-021-03819-2", "Nature", 2021)
    assert alphafold.notes == "Key result in Table 2." and alphafold.arxiv_id == ""
    assert vit.venue == "International Conference on Learning Representations"
    assert (vit.year, vit.doi) == (2021, "")
    assert book.authors == ["Joaquin Quiñonero-Candela", "Masashi Sugiyama"] and book.year == 2008


def test_a_better_csl_export() -> None:
    tsne, gcn = csl_json.parse(json.dumps(BETTER_CSL, indent=2))
    assert tsne.authors == ["Laurens van der Maaten", "Geoffrey Hinton"]
    assert tsne.citekey == "vanderMaaten2008visualizing" and tsne.year == 2008
    assert tsne.tags == ["visualization", "dimensionality reduction", "embeddings"]
    assert tsne.url == "http://jmlr.org/papers/v9/vandermaaten08a.html"
    assert gcn.citekey == "chiang2019cluster" and gcn.tags == []
    assert (gcn.arxiv_id, gcn.year) == ("1905.07953", 2019)  # the year from the arXiv id in the note
    assert gcn.url == "https://arxiv.org/abs/1905.07953"  # not the zotero:// link


def test_a_pandoc_style_wrapped_list_and_a_bbt_export_are_told_apart() -> None:
    wrapped = json.dumps({"items": BETTER_CSL})
    assert [d.title for d in csl_json.parse(wrapped)] == ["Visualizing Data using t-SNE", "Cluster-GCN"]
    bbt = json.dumps({"config": {"label": "BetterBibTeX JSON"}, "items": BETTER_CSL})
    assert csl_json.parse_report(bbt) == ([], [])


@pytest.mark.parametrize(("change", "why"), [
    ({"author": "Vaswani"}, "author is not a list"),
    ({"author": ["Ashish Vaswani"]}, "an author is not a name record"),
    ({"issued": "2017"}, "issued is not a date record"),
    ({"issued": {"date-parts": [["n.d."]]}}, "issued year 'n.d.' is not a number"),
    ({"title": {"en": "Attention"}}, "title is not text"),
    ({"title": "", "author": [], "DOI": "", "URL": "", "number": "", "note": ""},
     "no title, authors, identifier or link"),
])
def test_a_broken_item_is_reported_and_the_rest_imported(change: dict, why: str) -> None:
    items = [{**ZOTERO_EXPORT[0], **change}, ZOTERO_EXPORT[1], "not an item"]
    drafts, skipped = csl_json.parse_report(json.dumps(items))
    assert [d.title for d in drafts] == ["Highly accurate protein structure prediction with AlphaFold"]
    assert skipped == [f"item 1 (http://zotero.org/users/1234567/items/8XK2ZQ4C): {why}",
                       "item 3: not an item record"]


def test_a_long_id_is_shortened_in_the_report() -> None:
    item = {"id": "x" * 80, "type": "book"}
    assert csl_json.parse_report(json.dumps([item]))[1] == [f"item 1 ({'x' * 60}): no title, authors, "
                                                            "identifier or link"]


@pytest.mark.parametrize(("fields", "year"), [
    ({"issued": {"date-parts": [[2019, 12, 31]]}}, 2019),
    ({"issued": {"date-parts": [[]]}, "issued-raw": ""}, None),
    ({"issued": {}}, None),
    ({"issued": {"raw": "n.d."}}, None),
    ({"issued": {"date-parts": []}, "literal": "x"}, None),
])
def test_years(fields: dict, year: int | None) -> None:
    (draft,) = csl_json.parse(json.dumps([{"type": "book", "title": "A book", **fields}]))
    assert draft.year == year


def test_odd_values_that_are_still_readable() -> None:
    item = {"type": "article", "title": 1984, "note": None, "author": [{"family": "", "given": ""}],
            "number": 7, "DOI": "10.1000/XYZ.123 "}
    (draft,) = csl_json.parse(json.dumps([item]))
    assert (draft.title, draft.notes, draft.authors, draft.doi) == ("1984", "", [], "10.1000/XYZ.123")


@pytest.mark.parametrize("text", [
    "",
    '{"type": "article", "title": "one object"}',
    '[{"title": "no type"}]',
    '[{"title": "A JSON list from another tool", "author": [{"family": "Vaswani"}]}]',  # no CSL type
    '[{"type": "article", "title": "no CSL date, author or container"}]',
    '[{"type": "article", "author": [], "issued": {}',  # cut off
])
def test_what_is_not_a_csl_json_list(text: str) -> None:
    assert csl_json.score(text) == 0.0


def test_score_of_an_export() -> None:
    assert csl_json.score("\n " + json.dumps(ZOTERO_EXPORT, indent=2)) == 0.97


@pytest.mark.parametrize(("text", "why"), [
    # Zotero's own export has none of Better BibTeX's keys: its dates and authors say CSL
    (json.dumps(ZOTERO_EXPORT, indent=2)[:900], "it is not valid JSON (line "),
    # a Better BibTeX JSON library cut off after its long collections list
    ('{"config": {"label": "BetterBibTeX JSON"}, "collections": {"A": {"items": ['
     + "1234, " * 2000 + '1]}}, "items": [{"itemType": "book", "title": "Cut', "it is not valid JSON (line "),
    ("[" * (sys.getrecursionlimit() + 10) + '{"itemType": "book"}', "the JSON is nested too deeply"),
])
def test_a_broken_export_says_why(text: str, why: str) -> None:
    assert csl_json.broken_export(text).startswith(why)
    result = parse_digest(text)
    assert result.drafts == [] and why in result.message


@pytest.mark.parametrize("text", [
    json.dumps(ZOTERO_EXPORT),
    '{"note": "not an export, no marks"',
    'Attention Is All You Need "itemType"',
])
def test_what_is_not_a_broken_export(text: str) -> None:
    assert csl_json.broken_export(text) == ""


def test_control_characters_inside_strings_are_read() -> None:
    """Zotero abstracts keep U+2029 and tabs; a paste turns them into raw control
    characters inside JSON strings, which strict JSON refuses."""
    text = json.dumps(BETTER_CSL[:1]).replace("Visualizing Data", "Visualizing\tData")
    assert csl_json.load_json(text)[0]["title"] == "Visualizing\tData using t-SNE"
    assert csl_json.load_json("[" * (sys.getrecursionlimit() + 10)) is None


@pytest.mark.parametrize(("values", "found"), [
    (("10.48550/arXiv.2401.04088",), ("2401.04088", None)),
    (("", "arXiv:1706.03762"), ("1706.03762", None)),
    (("https://arxiv.org/abs/2312.00752",), ("2312.00752", None)),
    (("PMID: 34265844\narXiv: 1905.07953",), ("1905.07953", None)),
    (("10.48550/arXiv.not-an-id", "10.1000/2401.04088"), ("2401.04088", None)),
    (("Published 2401.04088 pages",), ("", None)),  # an id-like number in prose is not an id
])
def test_arxiv_from(values: tuple, found: tuple) -> None:
    assert csl_json.arxiv_from(*values) == found


@pytest.mark.parametrize(("note", "text"), [
    ("<div data-schema-version=\"9\"><p>First</p>\n<p>Second   line</p>\n</div>", "First\n\nSecond line"),
    ("Plain  note\n second line ", "Plain note\nsecond line"),
    ("Use <br> tags? <p>yes</p>", "Use\ntags?\nyes"),
])
def test_note_text(note: str, text: str) -> None:
    assert csl_json.note_text(note) == text
