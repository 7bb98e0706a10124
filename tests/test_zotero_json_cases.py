"""Better BibTeX JSON as Better BibTeX writes it (Export Library... > BetterBibTeX JSON).

The layout follows BBT's own translator ("BetterBibTeX JSON.ts" in
retorquere/zotero-better-bibtex): ``JSON.stringify(data, null, "  ")`` of ``config``
(its translator id, label, preferences, options), ``collections`` (key → key, parent,
name, child collection keys, item ids) and ``items``, Zotero's own item records: creators
with ``creatorType`` and ``firstName``/``lastName`` or a one-field ``name``, tags as
``{"tag", "type"}``, child notes, attachments with their local ``path``, the citation key
(a ``citationKey`` field, or pinned in Extra by BBT before Zotero 7 had the field).
"""

from __future__ import annotations

import json

import pytest

from paperdeck.core.digest import parse_digest, zotero_json

CONFIG = {"id": "36a3b0b5-bad0-4a04-b79b-441c7cef77db", "label": "BetterBibTeX JSON",
          "localeDateOrder": "ymd", "preferences": {"citekeyFormat": "auth.lower + year + shorttitle(1,0)"},
          "options": {"exportNotes": True, "keepUpdated": False}}

ATTENTION = {
    "itemID": 12, "itemKey": "8XK2ZQ4C", "itemType": "preprint", "title": "Attention Is All You Need",
    "abstractNote": "The dominant sequence transduction models are based on complex recurrent or "
                    "convolutional neural networks.",
    "date": "2023-08-01", "repository": "arXiv", "archiveID": "arXiv:1706.03762",
    "url": "http://arxiv.org/abs/1706.03762", "DOI": "10.48550/arXiv.1706.03762",
    "extra": "arXiv:1706.03762 [cs]", "libraryCatalog": "arXiv.org", "accessDate": "2024-01-10T09:12:44Z",
    "creators": [{"firstName": "Ashish", "lastName": "Vaswani", "creatorType": "author"},
                 {"firstName": "Noam", "lastName": "Shazeer", "creatorType": "author"}],
    "tags": [{"tag": "Computer Science - Computation and Language", "type": 1}, {"tag": "to read"},
             {"tag": "  "}],
    "notes": [{"note": "<div data-schema-version=\"9\"><p>Read section 3.2 on <strong>multi-head "
                       "attention</strong>.</p>\n<p>Compare with the RNN baselines.</p>\n</div>"},
              "<p>Second note</p>", {"note": ""}],
    "attachments": [
        {"itemType": "attachment", "title": "arXiv Fulltext PDF",
         "path": "/home/ana/Zotero/storage/8XK2ZQ4C/Vaswani et al. - 2023 - Attention Is All You Need.pdf"},
        {"itemType": "attachment", "title": "arXiv.org Snapshot", "url": "https://arxiv.org/abs/1706.03762"},
        {"itemType": "attachment", "title": "Empty"}, "not a record"],
    "citationKey": "vaswani2017attention", "dateAdded": "2024-01-10T09:12:44Z",
    "dateModified": "2024-03-02T18:00:01Z", "uri": "http://zotero.org/users/1234567/items/8XK2ZQ4C",
    "relations": [], "collections": ["ABCD1234"]}

ALPHAFOLD = {
    "itemID": 13, "itemKey": "3RTY7UIO", "itemType": "journalArticle",
    "title": "Highly accurate protein structure prediction with AlphaFold", "publicationTitle": "Nature",
    "volume": "596", "issue": "7873", "pages": "583-589", "date": "2021-08", "journalAbbreviation": "Nature",
    "DOI": "10.1038/s41586-021-03819-2", "ISSN": "1476-4687", "url": "https://www.nature.com/articles/"
    "s41586-021-03819-2", "language": "en", "extra": "Citation Key: jumper2021highly\nPMID: 34265844",
    "creators": [{"firstName": "John", "lastName": "Jumper", "creatorType": "author"},
                 {"name": "DeepMind", "creatorType": "author"},
                 {"firstName": "Ed", "lastName": "Itor", "creatorType": "editor"}],
    "tags": ["Protein folding"], "notes": [], "attachments": [], "dateAdded": "2024-01-11T08:00:00Z"}

RESNET = {
    "itemID": 14, "itemKey": "P9LM2NBV", "itemType": "conferencePaper",
    "title": "Deep Residual Learning for Image Recognition",
    "proceedingsTitle": "2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)",
    "conferenceName": "CVPR", "publisher": "IEEE", "place": "Las Vegas, NV, USA", "date": "6/2016",
    "pages": "770-778", "DOI": "10.1109/CVPR.2016.90", "url": "zotero://select/library/items/P9LM2NBV",
    "creators": [{"firstName": "Kaiming", "lastName": "He", "creatorType": "author"}],
    "tags": [], "attachments": []}

KDD = {
    "itemID": 15, "itemKey": "Q1W2E3R4", "itemType": "report", "title": "Graph Neural Networks at Scale",
    "institution": "", "date": "", "archiveID": "arXiv:1905.07953",
    "extra": "DOI: 10.1145/3292500.3330925\nCitation Key: chiang2019cluster",
    "creators": [{"firstName": "Wei-Lin", "lastName": "Chiang", "creatorType": "author"}]}

BOOK = {
    "itemID": 16, "itemKey": "ZX9C8V7B", "itemType": "book", "title": "Dataset Shift in Machine Learning",
    "publisher": "MIT Press", "date": "2008", "ISBN": "978-0-262-17005-5",
    "creators": [{"firstName": "Joaquin", "lastName": "Quiñonero-Candela", "creatorType": "editor"},
                 {"firstName": "Masashi", "lastName": "Sugiyama", "creatorType": "editor"}]}

NOTE = {"itemID": 17, "itemKey": "NNNN1111", "itemType": "note", "note": "<p>Standalone note</p>"}

COLLECTIONS = {
    "ABCD1234": {"key": "ABCD1234", "parent": False, "name": "Reading group", "collections": ["EFGH5678"],
                 "items": [13]},
    "EFGH5678": {"key": "EFGH5678", "parent": "ABCD1234", "name": "Week  2", "collections": [],
                 "items": [14, "3RTY7UIO"]},
    "IJKL9012": {"key": "IJKL9012", "parent": False, "name": None, "items": [15]},
}


def export(items: list, collections: object = COLLECTIONS) -> str:
    data = {"config": CONFIG, "version": {"zotero": "7.0.11", "bbt": "7.0.5"}, "collections": collections,
            "items": items}
    return json.dumps(data, indent=2, ensure_ascii=False)


LIBRARY = export([ATTENTION, ALPHAFOLD, RESNET, KDD, BOOK, NOTE])


def _by_title(text: str = LIBRARY) -> dict:
    drafts, skipped = zotero_json.parse_report(text)
    assert skipped == []
    return {d.title: d for d in drafts}


def test_a_library_export() -> None:
    result = parse_digest(LIBRARY)
    assert result.format == "zotero-json"
    assert [d.title for d in result.drafts] == [
        "Attention Is All You Need", "Highly accurate protein structure prediction with AlphaFold",
        "Deep Residual Learning for Image Recognition", "Graph Neural Networks at Scale",
        "Dataset Shift in Machine Learning"]
    a = result.drafts[0]
    assert a.authors == ["Ashish Vaswani", "Noam Shazeer"] and a.year == 2023
    assert (a.arxiv_id, a.doi, a.venue, a.citekey) == ("1706.03762", "", "", "vaswani2017attention")
    assert a.url == "http://arxiv.org/abs/1706.03762" and a.added_at == "2024-01-10T09:12:44Z"
    assert a.tags == ["Reading group", "Computer Science - Computation and Language", "to read"]
    assert a.notes == ("Read section 3.2 on multi-head attention.\n\nCompare with the RNN baselines."
                       "\n\nSecond note")
    assert a.links == [ATTENTION["attachments"][0]["path"], "https://arxiv.org/abs/1706.03762"]
    assert a.abstract == ATTENTION["abstractNote"]


def test_a_journal_article() -> None:
    """Authors only (not the editor), a one-field creator by its name, the key BBT pinned in
    Extra, and the collections that list the item by id and by key."""
    p = _by_title()["Highly accurate protein structure prediction with AlphaFold"]
    assert p.authors == ["John Jumper", "DeepMind"]
    assert (p.doi, p.venue, p.year) == ("10.1038/s41586-021-03819-2", "Nature", 2021)
    assert p.citekey == "jumper2021highly" and p.abstract == ""
    assert p.url == "https://www.nature.com/articles/s41586-021-03819-2"
    assert p.tags == ["Reading group", "Week 2", "Protein folding"]
    assert p.added_at == "2024-01-11T08:00:00Z" and p.notes == "" and p.links == []


def test_a_conference_paper_and_a_report() -> None:
    papers = _by_title()
    resnet = papers["Deep Residual Learning for Image Recognition"]
    assert resnet.venue == "2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)"
    assert (resnet.year, resnet.doi) == (2016, "10.1109/CVPR.2016.90")
    assert resnet.citekey == resnet.added_at == ""
    assert resnet.url == "https://doi.org/10.1109/CVPR.2016.90"  # not the zotero:// link
    assert resnet.tags == ["Week 2"]
    report = papers["Graph Neural Networks at Scale"]
    assert (report.doi, report.citekey, report.venue) == ("10.1145/3292500.3330925", "chiang2019cluster", "")
    assert (report.arxiv_id, report.year) == ("1905.07953", 2019)  # the year from the arXiv id
    assert report.url == "https://arxiv.org/abs/1905.07953"
    assert report.tags == []


def test_an_edited_book_lists_its_editors() -> None:
    book = _by_title()["Dataset Shift in Machine Learning"]
    assert book.authors == ["Joaquin Quiñonero-Candela", "Masashi Sugiyama"]
    assert (book.venue, book.year, book.url, book.doi) == ("MIT Press", 2008, "", "")


def test_collections_written_as_a_list() -> None:
    """Older BBT versions wrote the collections as a list of records."""
    listed = export([ALPHAFOLD], collections=[*COLLECTIONS.values(), "not a record"])
    assert _by_title(listed)["Highly accurate protein structure prediction with AlphaFold"].tags == [
        "Reading group", "Week 2", "Protein folding"]
    for odd in (None, "ABCD1234", 7):
        (draft,) = zotero_json.parse(export([ALPHAFOLD], collections=odd))
        assert draft.tags == ["Protein folding"]


@pytest.mark.parametrize(("change", "why"), [
    ({"creators": "Vaswani, Ashish"}, "creators is not a list"),
    ({"creators": ["Ashish Vaswani"]}, "a creator is not a name record"),
    ({"tags": "to read"}, "tags is not a list"),
    ({"notes": "<p>note</p>"}, "notes is not a list"),
    ({"title": ["Attention"]}, "title is not text"),
    ({"title": "", "creators": [], "DOI": "", "url": "", "archiveID": "", "extra": "", "repository": ""},
     "no title, authors, identifier or link"),
])
def test_a_broken_item_is_reported_and_the_rest_imported(change: dict, why: str) -> None:
    drafts, skipped = zotero_json.parse_report(export([{**ATTENTION, **change}, ALPHAFOLD]))
    assert [d.title for d in drafts] == ["Highly accurate protein structure prediction with AlphaFold"]
    assert skipped == [f"item 1 (vaswani2017attention): {why}"]


def test_odd_values_that_are_still_readable() -> None:
    item = {**ATTENTION, "extra": 42, "tags": [{"tag": 5}, {"tag": "kept"}], "creators": [
        {"firstName": "Ashish", "creatorType": "author"}, {"lastName": "Shazeer"}], "collections": None}
    (draft,) = zotero_json.parse(export([item], collections={}))
    assert draft.tags == ["kept"] and draft.authors == ["Ashish", "Shazeer"]
    assert draft.arxiv_id == "1706.03762"  # from archiveID; the numeric Extra is ignored


@pytest.mark.parametrize("text", [
    "",
    '[{"itemType": "journalArticle", "title": "A list, not a library"}]',
    '{"items": {"itemType": "journalArticle"}}',
    '{"itemType": "journalArticle", "title": "one item, no items list"}',
    '{"config": {}, "items": [{"itemType": "book"}',  # cut off
    "  " + '{"items": []}',  # no item type anywhere
])
def test_what_is_not_a_better_bibtex_export(text: str) -> None:
    assert zotero_json.score(text) == 0.0 and zotero_json.parse_report(text) == ([], [])


def test_score_of_an_export() -> None:
    assert zotero_json.score("\n" + LIBRARY) == 0.97


def test_a_big_library_whose_collections_come_first() -> None:
    """BBT writes the collections, with every member's id, before the items: in a library
    of a few thousand papers filed in several collections the first item is far into
    the file."""
    ids = list(range(1000, 9000))
    collections = {f"C{n:07d}": {"key": f"C{n:07d}", "parent": False, "name": f"Project {n}",
                                 "collections": [], "items": ids} for n in range(4)}
    text = export([{**ALPHAFOLD, "itemID": 1000}], collections=collections)
    assert text.index('"itemType"') > 200_000
    result = parse_digest(text)
    assert result.format == "zotero-json"
    assert result.drafts[0].tags == ["Project 0", "Project 1", "Project 2", "Project 3", "Protein folding"]
