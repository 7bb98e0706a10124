"""core/operations.py case by case: what each user operation plans (before and after values,
labels, links) against a real library file, and where moves put papers in the queue."""

from __future__ import annotations

import pytest

from paperdeck.core import operations as ops
from paperdeck.core.edits import Edit, run_edit
from paperdeck.core.errors import InputError
from paperdeck.core.storage import Store

OLD = "2026-01-01T00:00:00+00:00"


@pytest.fixture
def store(tmp_path):
    opened = Store(tmp_path / "library.db")
    yield opened
    opened.close()


def _add(store: Store, *rows: dict, tags: list[tuple[int, str]] = ()) -> None:
    """Papers 1, 2, ... at queue positions 1.0, 2.0, ... unless a row says otherwise."""
    full = [{"id": n, "title": f"Paper {n}", "citekey": f"paper{n}", "added_at": OLD, "updated_at": OLD,
             "position": float(n), "status": "queued", "priority": 0, "started_at": None,
             "finished_at": None, "trashed_at": None, "title_key": f"paper {n}", **row}
            for n, row in enumerate(rows, start=1)]  # (the first row's keys name the columns)
    run_edit(store, Edit("import", inserted=full, links_added=list(tags)))


def _order(store: Store) -> list[int]:
    return [r[0] for r in store.db.execute("SELECT id FROM papers ORDER BY position, id")]


def _positions(edit: Edit) -> dict[int, float]:
    return {pid: after["position"] for pid, (_, after) in edit.updates.items()}


# -- status --------------------------------------------------------------------------------

@pytest.mark.parametrize("row, status, before, after_keys", [
    ({}, "reading", {"status": "queued", "started_at": None}, {"status", "updated_at", "started_at"}),
    ({"status": "queued", "started_at": "2025-05-05T00:00:00+00:00"}, "reading",  # read before, requeued
     {"status": "queued"}, {"status", "updated_at"}),
    ({"status": "reading", "started_at": "2025-05-05T00:00:00+00:00"}, "read",
     {"status": "reading", "finished_at": None}, {"status", "updated_at", "finished_at"}),
    ({}, "read", {"status": "queued", "started_at": None, "finished_at": None},
     {"status", "updated_at", "started_at", "finished_at"}),  # read without starting
    ({"status": "read", "started_at": "2025-05-05T00:00:00+00:00",
      "finished_at": "2025-06-06T00:00:00+00:00"}, "queued",
     {"status": "read", "finished_at": "2025-06-06T00:00:00+00:00"},
     {"status", "updated_at", "finished_at"}),
    ({}, "archived", {"status": "queued"}, {"status", "updated_at"}),
])
def test_status_changes_record_when_reading_started_and_finished(store, row, status, before, after_keys):
    _add(store, row)
    edit = ops.set_status(store, [1], status)
    [(old, new)] = edit.updates.values()
    assert set(new) == after_keys and new["status"] == status
    assert old == {"updated_at": OLD, **before}
    stamp = new["updated_at"]
    assert all(new[c] == stamp for c in ("started_at",) if c in new)
    assert new.get("finished_at", stamp) == (None if status == "queued" else stamp)
    assert edit.history == [(1, status, stamp)]


def test_status_labels_and_papers_already_there(store):
    _add(store, {}, {"status": "read"}, {})
    edit = ops.set_status(store, [1, 2], "read")
    assert edit.label == "mark 2 papers read" and set(edit.updates) == {1} and len(edit.history) == 1
    assert ops.set_status(store, [3], "reading").label == "mark 1 paper reading"
    with pytest.raises(InputError,
                       match=r"^Unknown status 'done'\. Statuses: queued, reading, read, archived\.$"):
        ops.set_status(store, [1], "done")


# -- tags ----------------------------------------------------------------------------------

def test_adding_tags_skips_ones_a_paper_has_in_any_case(store):
    _add(store, {}, {}, tags=[(1, "ML")])
    edit = ops.add_tags(store, [1, 2], ["ml", "  deep   learning "])
    assert edit.label == "tag 'ml', 'deep learning' on 2 papers"
    assert edit.links_added == [(1, "deep learning"), (2, "ml"), (2, "deep learning")]


def test_removing_tags_removes_them_as_spelled_in_the_library(store):
    _add(store, {}, {}, tags=[(1, "ML"), (1, "vision")])
    edit = ops.remove_tags(store, [1, 2], ["ml", "robots"])
    assert edit.label == "untag 'ml', 'robots' on 2 papers"
    assert edit.links_removed == [(1, "ML")]
    assert ops.remove_tags(store, [2], ["ml"]).label == "untag 'ml' on 1 paper"


def test_renaming_a_tag_to_another_case_is_a_rename(store):
    _add(store, {}, {}, tags=[(1, "rl"), (2, "rl")])
    edit = ops.rename_tag(store, "rl", " RL ")
    assert edit.label == "rename tag 'rl' to 'RL'"
    assert edit.links_removed == [(1, "rl"), (2, "rl")] and edit.links_added == [(1, "RL"), (2, "RL")]


def test_renaming_a_tag_onto_another_merges_them(store):
    _add(store, {}, {}, {}, tags=[(1, "RL"), (2, "RL"), (2, "reinforcement learning"),
                                  (3, "reinforcement learning")])
    edit = ops.rename_tag(store, "rl", "Reinforcement learning")
    assert edit.label == "merge tag 'rl' into 'Reinforcement learning'"
    assert edit.links_removed == [(1, "RL"), (2, "RL")]
    assert edit.links_added == [(1, "Reinforcement learning")]  # paper 2 has it already


def test_deleting_a_tag(store):
    _add(store, {}, {}, tags=[(1, "old"), (2, "Old")])
    edit = ops.delete_tag(store, "OLD")
    assert edit.label == "delete tag 'OLD' from 2 papers" and edit.links_removed == [(1, "Old"), (2, "Old")]


@pytest.mark.parametrize("build", [lambda s: ops.rename_tag(s, "nothing", "x"),
                                   lambda s: ops.delete_tag(s, "nothing")])
def test_a_tag_nobody_has_cannot_be_renamed_or_deleted(store, build):
    _add(store, {}, tags=[(1, "something")])
    with pytest.raises(InputError, match="^There is no tag 'nothing'.$"):
        build(store)


# -- fields --------------------------------------------------------------------------------

def test_editing_a_title_updates_its_key_and_the_time(store):
    _add(store, {"title": "Attention is all you need", "title_key": "attention is all you need"})
    edit = ops.update_fields(store, 1, {"title": "Attention Is All You Need!", "notes": "",
                                        "authors": ["Ashish Vaswani"]})
    assert edit.label == "edit authors, notes, title"
    [(before, after)] = edit.updates.values()
    assert before == {"title": "Attention is all you need", "authors": "[]",
                      "title_key": "attention is all you need", "updated_at": OLD}
    assert after["title"] == "Attention Is All You Need!" and after["authors"] == '["Ashish Vaswani"]'
    assert after["title_key"] == "attention is all you need" and after["updated_at"] > OLD
    assert set(after) == set(before)  # notes did not change


def test_editing_notes_only_is_labelled_notes(store):
    _add(store, {})
    edit = ops.update_fields(store, 1, {"notes": "read section 3"})
    assert edit.label == "edit notes"
    [(before, after)] = edit.updates.values()
    assert before == {"notes": "", "updated_at": OLD} and after["notes"] == "read section 3"
    assert "title_key" not in after


@pytest.mark.parametrize("pid, values", [
    (1, {"title": "Paper 1"}),  # the same value
    (1, {"citekey": "paper1"}),  # its own key again
    (9, {"title": "Gone"}),  # deleted meanwhile
])
def test_an_edit_that_changes_nothing_is_empty(store, pid, values):
    _add(store, {})
    edit = ops.update_fields(store, pid, values)
    assert edit.label == "edit" and edit.is_empty()


@pytest.mark.parametrize("values, message", [
    ({"status": "read", "rev": 3, "title": "x"}, r"^Cannot edit rev, status\.$"),
    ({"citekey": "has space"}, "^A citation key uses only"),
    ({"citekey": "PAPER2"}, r"^The citation key 'PAPER2' is already used by paper 2\.$"),
])
def test_edits_that_are_refused(store, values, message):
    _add(store, {}, {})
    with pytest.raises(InputError, match=message):
        ops.update_fields(store, 1, values)


def test_a_new_citation_key_is_accepted(store):
    _add(store, {}, {})
    [(before, after)] = ops.update_fields(store, 1, {"citekey": "vaswani2017attention"}).updates.values()
    assert (before["citekey"], after["citekey"]) == ("paper1", "vaswani2017attention")


# -- trash and priority --------------------------------------------------------------------

def test_trash_and_restore_touch_only_papers_that_change(store):
    _add(store, {}, {"trashed_at": "2025-01-01T00:00:00+00:00"})
    edit = ops.trash(store, [1, 2])
    assert edit.label == "move 2 papers to the trash" and list(edit.updates) == [1]
    assert edit.updates[1][0] == {"trashed_at": None} and edit.updates[1][1]["trashed_at"] > OLD
    edit = ops.restore(store, [1, 2])
    assert edit.label == "restore 2 papers from the trash"
    assert edit.updates == {2: ({"trashed_at": "2025-01-01T00:00:00+00:00"}, {"trashed_at": None})}


@pytest.mark.parametrize("priority", [0, 1, 2, 3])
def test_priorities_zero_to_three(store, priority):
    _add(store, {"priority": 2}, {"priority": 0}, {"priority": 3})
    edit = ops.set_priority(store, [1, 2, 3], priority)
    assert edit.label == f"set priority {priority} on 3 papers"
    assert edit.updates == {pid: ({"priority": old}, {"priority": priority})
                            for pid, old in ((1, 2), (2, 0), (3, 3)) if old != priority}


@pytest.mark.parametrize("priority", [-1, 4])
def test_other_priorities_are_refused(store, priority):
    _add(store, {})
    with pytest.raises(InputError, match="Priority is 0"):
        ops.set_priority(store, [1], priority)


# -- queue order ---------------------------------------------------------------------------

FIVE = ({}, {}, {}, {}, {})


@pytest.mark.parametrize("ids, to, anchor, positions", [
    ([5], "before", 2, {5: 1.5}),
    ([4, 5, 4], "before", 2, {4: 1 + 1 / 3, 5: 1 + 2 / 3}),
    ([1], "after", 4, {1: 4.5}),
    ([4, 5], "after", 1, {4: 1 + 1 / 3, 5: 1 + 2 / 3}),  # the neighbour is the next one not moving
    ([3], "before", 1, {3: 0.5}),  # before the first
    ([1], "after", 5, {1: 5.5}),  # after the last
    ([4, 5], "top", None, {4: -1.0, 5: 0.0}),
    ([2, 1], "bottom", None, {2: 6.0, 1: 7.0}),
    ([2, 99], "bottom", None, {2: 6.0}),  # a paper deleted meanwhile
])
def test_moves_place_papers_between_their_new_neighbours(store, ids, to, anchor, positions):
    _add(store, *FIVE)
    edit = ops.move(store, ids, to=to, anchor=anchor)
    assert _positions(edit) == pytest.approx(positions, abs=1e-12)
    assert all(before == {"position": float(pid)} for pid, (before, _) in edit.updates.items())
    assert edit.label == f"move {len(dict.fromkeys(ids))} paper{'s' * (len(set(ids)) > 1)} {to}"


def test_moves_from_the_middle_of_the_number_line(store):
    _add(store, {"position": -3.0}, {"position": 0.0}, {"position": 10.0})
    assert _positions(ops.move(store, [3], to="top")) == {3: -4.0}
    assert _positions(ops.move(store, [1], to="bottom")) == {1: 11.0}


def test_a_gap_of_exactly_the_minimum_is_still_used(store):
    _add(store, {"position": 0.0}, {"position": 2e-6}, {"position": 5.0})
    assert _positions(ops.move(store, [3], to="after", anchor=1)) == {3: 1e-6}


@pytest.mark.parametrize("to, anchor, order", [
    ("after", 1, [1, 4, 2, 3, 5]),
    ("before", 2, [1, 4, 2, 3, 5]),
])
def test_when_neighbours_are_too_close_the_queue_is_laid_out_afresh(store, to, anchor, order):
    _add(store, {"position": 1.0}, {"position": 1.0 + 1e-7}, {"position": 3.0}, {"position": 4.0},
         {"position": 5.0})
    edit = ops.move(store, [4], to=to, anchor=anchor)
    assert edit.label == f"move 1 paper {to}"
    run_edit(store, edit)
    assert _order(store) == order
    positions = dict(store.db.execute("SELECT id, position FROM papers"))
    assert [positions[pid] for pid in order] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert set(edit.updates) == {pid for pid in order if positions[pid] != float(pid)} | (
        {2} if 2 in edit.updates else set())


@pytest.mark.parametrize("to, order", [("top", [4, 2, 1, 3, 5]), ("bottom", [1, 3, 5, 4, 2])])
def test_laying_out_afresh_to_the_top_or_bottom(store, to, order):
    _add(store, *FIVE)
    edit = ops._renumbered_move(store, [4, 2], to=to, anchor=None)
    assert edit.label == f"move 2 papers {to}"
    assert _positions(edit) == {pid: float(n) for n, pid in enumerate(order, start=1) if pid != n}


@pytest.mark.parametrize("ids, to, anchor, message", [
    ([1], "before", None, "^Move before/after needs another paper as the anchor.$"),
    ([1, 2], "after", 2, "^Move before/after needs another paper as the anchor.$"),
    ([1], "after", 99, "^There is no paper with id 99.$"),
    ([1], "sideways", None, "^Unknown move 'sideways'.$"),
])
def test_moves_that_are_refused(store, ids, to, anchor, message):
    _add(store, {}, {})
    with pytest.raises(InputError, match=message):
        ops.move(store, ids, to=to, anchor=anchor)


def test_queue_neighbours_share_the_priority_and_skip_what_is_not_queued(store):
    _add(store, {}, {"priority": 1}, {"status": "read"}, {"trashed_at": OLD}, {"status": "reading"},
         {})
    assert [ops.queue_neighbour(store, 1, d) for d in (-1, 1)] == [None, 5]
    assert [ops.queue_neighbour(store, 5, d) for d in (-1, 1)] == [1, 6]
    assert [ops.queue_neighbour(store, 2, d) for d in (-1, 1)] == [None, None]  # alone at priority 1
    assert ops.queue_neighbour(store, 99, 1) is None
