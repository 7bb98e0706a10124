"""core/edits.py case by case: tag names, what an edit reports, and run_edit forwards and
back on a real library file (rows, links, history, the purged list, `rev`)."""

from __future__ import annotations

import dataclasses

import pytest

from paperdeck.core.edits import (
    Change,
    Edit,
    change_of,
    clean_tag,
    reindexed_ids,
    run_edit,
    tag_key,
)
from paperdeck.core.errors import InputError
from paperdeck.core.storage import Store


@pytest.fixture
def store(tmp_path):
    opened = Store(tmp_path / "library.db")
    yield opened
    opened.close()


def _row(pid: int, title: str) -> dict:
    return {"id": pid, "title": title, "citekey": f"k{pid}", "added_at": "2026-01-01T00:00:00+00:00",
            "updated_at": "2026-01-01T00:00:00+00:00", "position": float(pid), "rev": 999}


def _q(store: Store, sql: str, params: list | tuple = ()) -> list[tuple]:
    return store.db.execute(sql, params).fetchall()


def _tags(store: Store) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for pid, name in _q(store, "SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t "
                               "ON t.id = pt.tag_id ORDER BY pt.paper_id, t.name"):
        out.setdefault(pid, []).append(name)
    return out


# -- tag names -----------------------------------------------------------------------------------

def test_tag_keys_ignore_case_width_and_spaces():
    assert tag_key("ML") == tag_key("ml") == tag_key("ｍｌ") == tag_key("  ml ")
    assert tag_key("Straße") == tag_key("STRASSE")


def test_clean_tag_tidies_and_refuses_plainly():
    assert clean_tag("  deep \t  learning\n") == "deep learning"
    assert clean_tag("e\u0301t\u00e9") == "\u00e9t\u00e9"  # NFC
    assert clean_tag("\u202eevil") == "evil"  # no bidi override in a tag
    assert clean_tag("x" * 64) == "x" * 64
    for bad, words in (("   ", "visible character"), ("\u202e", "visible character"),
                       ("a, b", "commas"), ("x" * 65, "at most 64")):
        with pytest.raises(InputError, match=words):
            clean_tag(bad)


# -- what an edit says about itself ----------------------------------------------------------

def test_an_edit_is_empty_only_with_nothing_in_it():
    assert Edit("nothing").is_empty()
    assert Edit("h", history=[(1, "read", "x")]).is_empty()  # history alone changes no row
    for filled in (Edit("u", updates={1: ({}, {"notes": "n"})}), Edit("a", links_added=[(1, "t")]),
                   Edit("r", links_removed=[(1, "t")]), Edit("i", inserted=[_row(1, "T")])):
        assert not filled.is_empty()


def test_paper_ids_and_change_name_everything_touched():
    edit = Edit("mixed", updates={1: ({"status": "queued"}, {"status": "read"})},
                links_added=[(2, "t")], links_removed=[(3, "u")], inserted=[_row(4, "New")])
    assert edit.paper_ids() == {1, 2, 3, 4}
    change = change_of(edit)
    assert change == Change("mixed", frozenset({1, 2, 3, 4}), inserted=True, tags=True, order=True)
    assert {change, change} == {change}  # hashable: screens keep them in sets
    with pytest.raises(dataclasses.FrozenInstanceError):
        change.label = "other"  # type: ignore[misc]
    plain = Change("x", frozenset())
    assert (plain.inserted, plain.tags, plain.order) == (False, False, False)


@pytest.mark.parametrize("edit, tags, order", [
    (Edit("a", links_added=[(1, "t")]), True, False),
    (Edit("r", links_removed=[(1, "t")]), True, False),
    (Edit("n", updates={1: ({"notes": ""}, {"notes": "n"})}), False, False),
    (Edit("p", updates={1: ({"position": 1.0}, {"position": 0.5})}), False, True),
    (Edit("t", updates={1: ({"trashed_at": None}, {"trashed_at": "x"})}), False, True),
])
def test_change_of_flags(edit, tags, order):
    change = change_of(edit)
    assert (change.tags, change.order, change.inserted) == (tags, order, False)


def test_reindexed_ids_are_new_papers_and_indexed_text_changes():
    edit = Edit("e", updates={1: ({"title": "a"}, {"title": "b"}),
                              2: ({"status": "queued"}, {"status": "read"}),
                              3: ({"trashed_at": None}, {"trashed_at": "x"})},
                inserted=[_row(9, "N")])
    assert reindexed_ids(edit) == {1, 3, 9}


# -- run_edit ------------------------------------------------------------------------------------

def test_an_import_runs_forwards_and_back(store):
    def prepare(edit: Edit) -> None:  # planned inside the write, as Library.add does
        assert store.db.conn.in_transaction
        edit.inserted = [_row(1, "First"), _row(2, "Second")]
        edit.import_row = {"id": 7, "created_at": "x", "format": "t", "raw_text": "raw"}
        edit.links_added = [(1, "ml"), (2, "ML"), (2, "vision")]

    edit = Edit("import")
    gen = run_edit(store, edit, prepare=prepare)
    assert gen == 1
    assert _q(store, "SELECT id, title, rev FROM papers ORDER BY id") == [(1, "First", 1), (2, "Second", 1)]
    assert _q(store, "SELECT id, raw_text FROM imports") == [(7, "raw")]
    assert _tags(store) == {1: ["ML"], 2: ["ML", "vision"]}  # one tag, as its last link spells it
    assert run_edit(store, edit, forward=False) == 2
    assert _q(store, "SELECT count(*) FROM papers") == [(0,)]
    assert _q(store, "SELECT paper_id, rev FROM purged ORDER BY paper_id") == [(1, 2), (2, 2)]
    assert _q(store, "SELECT count(*) FROM tags") == [(0,)]  # no tag left unused
    run_edit(store, edit)  # redo: forward is the default
    assert _q(store, "SELECT id, rev FROM papers ORDER BY id") == [(1, 3), (2, 3)]
    assert _q(store, "SELECT count(*) FROM purged") == [(0,)]
    assert _tags(store) == {1: ["ML"], 2: ["ML", "vision"]}


_COLS = "SELECT id, title, notes, status, priority, rev FROM papers ORDER BY id"


def test_updates_move_rev_only_when_indexed_text_changes(store):
    run_edit(store, Edit("import", inserted=[_row(1, "One"), _row(2, "Two"), _row(3, "Three")]))
    edit = Edit("mixed", updates={
        1: ({"title": "One", "notes": ""}, {"title": "Uno", "notes": "n"}),
        2: ({"status": "queued", "priority": 0}, {"status": "read", "priority": 2}),
        3: ({"notes": ""}, {"notes": "three"}),
    }, history=[(2, "read", "2026-02-02T00:00:00+00:00")])
    gen = run_edit(store, edit)
    assert _q(store, _COLS) == [(1, "Uno", "n", "queued", 0, gen), (2, "Two", "", "read", 2, 1),
                                (3, "Three", "three", "queued", 0, gen)]
    assert _q(store, "SELECT paper_id, status FROM status_history") == [(2, "read")]
    back = run_edit(store, edit, forward=False)
    assert _q(store, _COLS) == [(1, "One", "", "queued", 0, back), (2, "Two", "", "queued", 0, 1),
                                (3, "Three", "", "queued", 0, back)]
    assert _q(store, "SELECT count(*) FROM status_history") == [(0,)]


def test_renaming_a_tag_can_change_its_case_and_undo_restores_it(store):
    run_edit(store, Edit("import", inserted=[_row(1, "One"), _row(2, "Two")],
                         links_added=[(1, "ml"), (2, "ml"), (2, "keep")]))
    rename = Edit("rename", links_removed=[(1, "ml"), (2, "ml")], links_added=[(1, "ML"), (2, "ML")])
    run_edit(store, rename)
    assert _tags(store) == {1: ["ML"], 2: ["ML", "keep"]}
    run_edit(store, rename, forward=False)
    assert _tags(store) == {1: ["ml"], 2: ["keep", "ml"]}
    assert _q(store, "SELECT name FROM tags ORDER BY name") == [("keep",), ("ml",)]


def test_an_edit_without_links_leaves_other_tags_alone(store):
    run_edit(store, Edit("import", inserted=[_row(1, "One")]))
    with store.write():  # a tag no paper has (left by another tool): only link edits tidy
        store.db.execute("INSERT INTO tags (name, key) VALUES ('unused', 'unused')")
    run_edit(store, Edit("note", updates={1: ({"notes": ""}, {"notes": "n"})}))
    assert _q(store, "SELECT name FROM tags") == [("unused",)]
    run_edit(store, Edit("untag", links_removed=[(1, "nothing")]))
    assert _q(store, "SELECT count(*) FROM tags") == [(0,)]


def test_a_failed_edit_writes_nothing(store):
    run_edit(store, Edit("import", inserted=[_row(1, "One")]))
    clash = Edit("import", inserted=[_row(2, "Two"), {**_row(3, "Three"), "citekey": "K1"}],
                 links_added=[(2, "t")])
    with pytest.raises(Exception, match="UNIQUE"):
        run_edit(store, clash)
    assert _q(store, "SELECT id FROM papers") == [(1,)] and _q(store, "SELECT count(*) FROM tags") == [(0,)]
    assert store.generation() == 1
