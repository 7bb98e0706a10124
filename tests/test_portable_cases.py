"""`dump` and `load` at their edges: what a dump must say, and every way a file is refused.

A small library (three papers) keeps these fast; test_portable.py round-trips a full one.
"""

from __future__ import annotations

import io
import json
import sqlite3

import pytest

from paperdeck.core.errors import InputError
from paperdeck.core.library import Library
from paperdeck.core.models import Draft


def _small(folder) -> Library:
    lib = Library.open(folder)
    lib.add([Draft(title="Über Graphs", authors=["Hans Ørsted"], year=2020),
             Draft(title="Second Paper", year=2021),
             Draft(title="Third Paper")], raw_text="three papers", fmt="manual")
    return lib


def _dump(lib: Library) -> tuple[int, str]:
    out = io.StringIO()
    n = lib.dump(out)
    return n, out.getvalue()


def _records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_the_header_names_format_version_1_and_the_count_is_of_papers(tmp_path):
    """Version 1 is what every paperdeck that loads dumps reads; the count the CLI prints
    is of papers, not of lines (the header and the import are lines too)."""
    with _small(tmp_path / "a") as lib:
        n, text = _dump(lib)
    recs = _records(text)
    assert recs[0] == {"type": "header", "format": "paperdeck-jsonl", "version": 1,
                       "schema": recs[0]["schema"]}
    assert n == 3 == sum(r["type"] == "paper" for r in recs) and len(recs) > n


def test_text_is_written_as_itself_not_as_escapes(tmp_path):
    with _small(tmp_path / "a") as lib:
        _, text = _dump(lib)
    assert "Über Graphs" in text and "Hans Ørsted" in text and "\\u00dc" not in text


def test_a_dump_ends_its_snapshot(tmp_path):
    """Dumping twice on one thread, with an edit between, sees the edit (a snapshot left
    open would show the old library, or refuse to begin again)."""
    with _small(tmp_path / "a") as lib:
        first, _ = _dump(lib)
        lib.add([Draft(title="Fourth Paper")], raw_text="x", fmt="manual")
        second, text = _dump(lib)
    assert (first, second) == (3, 4) and "Fourth Paper" in text


def test_saved_searches_and_settings_travel_but_not_the_identity(tmp_path):
    with _small(tmp_path / "a") as lib:
        lib.save_search("Graphs", "graphs year:2020")
        lib.save_search("Unread", "status:queued")
        lib.store.db.execute("INSERT INTO meta (key, value) VALUES ('theme', 'dark')")
        ident = lib.store.meta("library_id")
        _, text = _dump(lib)
    recs = _records(text)
    assert [(r["name"], r["query"]) for r in recs if r["type"] == "saved_search"] == [
        ("Graphs", "graphs year:2020"), ("Unread", "status:queued")]
    assert {r["key"] for r in recs if r["type"] == "meta"} == {"theme"}
    with Library.open(tmp_path / "b") as lib:
        assert lib.load(text.splitlines()) == 3
        assert [(s.name, s.query) for s in lib.saved_searches(counts=False)] == [
            ("Graphs", "graphs year:2020"), ("Unread", "status:queued")]
        assert lib.store.meta("theme") == "dark"
        assert lib.store.meta("library_id") not in ("", ident)
        assert lib.ids("graphs") == [1]


def _lines(tmp_path, edit=None) -> list[str]:
    with _small(tmp_path / "src") as lib:
        _, text = _dump(lib)
    recs = _records(text)
    if edit:
        edit(recs)
    return [json.dumps(r, ensure_ascii=False) for r in recs]


@pytest.mark.parametrize("make, words", [
    (lambda ls: ls[:1] + ["{not json"] + ls[1:], "Line 2 is not JSON"),
    (lambda ls: ls[:2] + ["[1, 2]"] + ls[2:], "Line 3 is not a paperdeck record"),
    (lambda ls: ls[:2] + ['{"type": "bookmark"}'] + ls[2:], "Line 3 is not a paperdeck record"),
    (lambda ls: ls[1:], "no paperdeck header line"),
    (lambda ls: [ls[0].replace("paperdeck-jsonl", "other-jsonl")] + ls[1:], "no paperdeck header"),
    (lambda ls: [ls[0].replace('"version": 1', '"version": 2')] + ls[1:], "newer paperdeck"),
    (lambda ls: [ls[0].replace('"version": 1', '"version": "1"')] + ls[1:], "newer paperdeck"),
    (lambda ls: ls + ls[:1], "a second header"),
    (lambda ls: ["", "   "], "The file is empty"),
    (lambda ls: [], "The file is empty"),
])
def test_a_file_that_is_no_dump_is_refused_in_words(tmp_path, make, words):
    lines = make(_lines(tmp_path))
    with Library.open(tmp_path / "b") as lib:
        with pytest.raises(InputError, match=words):
            lib.load(lines)
        assert lib.ids(view="all") == []


@pytest.mark.parametrize("kind", ["paper", "import"])
@pytest.mark.parametrize("bad", [None, "3", 3.0])
def test_records_need_whole_number_ids(tmp_path, kind, bad):
    def edit(recs):
        rec = next(r for r in recs if r["type"] == kind)
        if bad is None:
            del rec["id"]
        else:
            rec["id"] = bad
    lines = _lines(tmp_path, edit)
    with Library.open(tmp_path / "b") as lib, pytest.raises(
            InputError, match=f"a {kind} without a whole-number id"):
        lib.load(lines)


def test_blank_lines_are_skipped_and_lines_are_counted_in_the_file(tmp_path):
    lines = _lines(tmp_path)
    lines.insert(1, "")
    lines[-1] = lines[-1].replace('"status": "queued"', '"status": "lost"')
    with Library.open(tmp_path / "b") as lib, pytest.raises(
            InputError, match=f"^Line {len(lines)}: status 'lost'"):
        lib.load(lines)


def _paper_edit(**changes):
    def edit(recs):
        rec = [r for r in recs if r["type"] == "paper"][-1]
        for key, value in changes.items():
            if value is KeyError:
                rec.pop(key, None)
            else:
                rec[key] = value
    return edit


@pytest.mark.parametrize("changes, words", [
    ({"title": 42}, "the title is not text"),
    ({"title": ["a", "list"]}, "the title is not text"),
    ({"year": 10000}, "'year' must be a whole number"),
    ({"year": -1}, "'year' must be a whole number"),
    ({"year": 2020.0}, "'year' must be a whole number"),
    ({"year": True}, "'year' must be a whole number"),
    ({"priority": 4}, "priority 4 is not one of 0, 1, 2, 3"),
    ({"priority": -1}, "'priority' must be a whole number"),
    ({"notes": ["a", "list"]}, "'notes' must be text or a number"),
    ({"abstract": {"text": "x"}}, "'abstract' must be text or a number"),
    ({"links": "https://x.org"}, "'links' must be a list"),
    ({"authors": ["Ann", 3]}, "'authors' must be a list"),
    ({"status_history": [["read"]]}, "status history"),
    ({"status_history": "read"}, "status history"),
    ({"tags": "robots"}, "'tags' must be a list"),
])
def test_values_an_import_could_not_write_are_refused(tmp_path, changes, words):
    with Library.open(tmp_path / "b") as lib:
        with pytest.raises(InputError, match=words):
            lib.load(_lines(tmp_path, _paper_edit(**changes)))
        assert lib.ids(view="all") == []


@pytest.mark.parametrize("changes", [
    {"year": 9999}, {"year": 0}, {"year": None}, {"priority": 0}, {"priority": 1},
    {"priority": 2}, {"priority": 3}, {"priority": KeyError}, {"title": KeyError},
    {"notes": 7}, {"notes": 1.5}, {"status": KeyError},
])
def test_values_an_import_could_write_are_loaded(tmp_path, changes):
    with Library.open(tmp_path / "b") as lib:
        assert lib.load(_lines(tmp_path, _paper_edit(**changes))) == 3


def test_a_database_error_while_loading_is_told_and_leaves_nothing(tmp_path):
    """Two papers with one id pass every check of a single record; the database refuses the
    second, and the whole load is undone."""
    def edit(recs):
        papers = [r for r in recs if r["type"] == "paper"]
        papers[1]["id"] = papers[0]["id"]
    with Library.open(tmp_path / "b") as lib:
        with pytest.raises(InputError, match="inconsistent and was not loaded"):
            lib.load(_lines(tmp_path, edit))
        assert lib.ids(view="all") == [] and lib.imports() == []
    conn = sqlite3.connect(tmp_path / "b" / "library.db")
    try:
        assert conn.execute("SELECT count(*) FROM status_history").fetchone() == (0,)
    finally:
        conn.close()


def _notes_and_papers(tmp_path, edit):
    notes: list[str] = []
    with Library.open(tmp_path / "b") as lib:
        lib.load(_lines(tmp_path, edit), notes=notes)
        papers = lib.papers(lib.ids(view="all"))
    return notes, papers


def test_a_repaired_key_is_the_key_an_import_would_give(tmp_path):
    """Oracle: the same paper imported into an empty library. The fresh key is made from the
    authors, title and year, accents folded, and two papers repaired alike get two keys."""
    def edit(recs):
        papers = [r for r in recs if r["type"] == "paper"]
        papers[0]["citekey"] = "bad key{}"
        papers[1].update(title=papers[0]["title"], authors=papers[0]["authors"],
                         year=papers[0]["year"], citekey="Bad Key Too")
    notes, papers = _notes_and_papers(tmp_path, edit)
    with Library.open(tmp_path / "oracle") as lib:
        lib.add([Draft(title="Über Graphs", authors=["Hans Ørsted"], year=2020)], raw_text="x",
                fmt="manual")
        (expected,) = [p.citekey for p in lib.papers(lib.ids())]
    assert expected.startswith("orsted2020")
    assert papers[0].citekey == expected and papers[1].citekey not in (expected, "")
    assert papers[1].citekey.lower() != expected.lower()
    assert [n.split(": ", 1)[1] for n in notes] == [
        f"citation key 'bad key{{}}' is not safe for BibTeX; it is now {expected!r}.",
        f"citation key 'Bad Key Too' is not safe for BibTeX; it is now {papers[1].citekey!r}."]


def test_a_repeated_key_is_named_as_used_by_an_earlier_paper(tmp_path):
    def edit(recs):
        papers = [r for r in recs if r["type"] == "paper"]
        papers[2]["citekey"] = papers[0]["citekey"].upper()
    notes, _ = _notes_and_papers(tmp_path, edit)
    assert len(notes) == 1 and "is used by an earlier paper; it is now" in notes[0]


def test_a_refused_tag_is_quoted_to_30_characters(tmp_path):
    def edit(recs):
        [r for r in recs if r["type"] == "paper"][0]["tags"] = ["abcdefghij" * 7]
    with Library.open(tmp_path / "b") as lib, pytest.raises(InputError) as err:
        lib.load(_lines(tmp_path, edit))
    assert f"tag '{'abcdefghij' * 3}…'" in str(err.value)


def test_title_keys_are_worked_out_again_so_duplicates_are_still_found(tmp_path):
    """A dump's title_key is the library's bookkeeping: a stale or edited one is recomputed,
    so pasting a loaded paper's title again is still seen as a duplicate."""
    def edit(recs):
        for r in recs:
            if r["type"] == "paper":
                r["title_key"] = "stale"
    with Library.open(tmp_path / "b") as lib:
        lib.load(_lines(tmp_path, edit))
        report = lib.import_text("Second Paper\nhttps://arxiv.org/abs/2401.09999\n", dry_run=True)
    assert (report.imported, report.duplicates) == (0, 1)
