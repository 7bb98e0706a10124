"""The fast paths of search and editing (issue 7) give the same answers as the slow ones."""

from __future__ import annotations

import re

from paperdeck.core import indexing
from paperdeck.core.citekeys import make_citekey
from paperdeck.core.edits import INDEXED_COLUMNS
from paperdeck.core.library import Library
from paperdeck.core.queries import SORTS


def _ranked(lib: Library, query: str) -> list[int]:
    """What the Whoosh index alone answers (no SQLite shortcut)."""
    return lib.index.index.search(query)


def _tagged(lib: Library) -> None:
    ids = lib.ids(view="all")
    lib.add_tags(ids[:30], ["Robotics"])
    lib.add_tags(ids[20:50], ["to-read-later"])
    lib.set_status(ids[10:40], "reading")
    lib.trash(ids[25:27])


def test_tag_and_status_filters_match_the_index_exactly(lib, sample_text):
    lib.import_text(sample_text)
    _tagged(lib)
    for query in ("tag:robotics", "tag:ROBOTICS", "status:reading", "tag:robotics status:reading",
                  "tag:to-read-later tag:robotics", "tag:nothing", "status:archived"):
        fast = lib.ids(query)
        assert sorted(fast) == sorted(_ranked(lib, query)), query
        assert fast == lib.ids(query, sort="queue"), query  # a filter comes in queue order


def test_tag_filter_works_before_the_index_is_ready(data_dir, sample_text):
    with Library.open(data_dir) as lib:
        lib.import_text(sample_text)
        _tagged(lib)
        expected = sorted(lib.ids("tag:robotics status:reading"))
    with Library.open(data_dir, sync_index=False) as lib:
        assert not lib.index.ready
        assert sorted(lib.ids("tag:robotics status:reading")) == expected


def test_ids_stay_right_across_segments_and_updates(lib, sample_text):
    lib.import_text(sample_text)
    first = lib.ids("skill")  # few hits, no map yet: each hit's stored id is read
    assert len(first) > 20
    lib.index.index.warm()  # the window's background warm-up: the docnum -> id map
    assert lib.ids("skill") == first
    pid = first[0]
    lib.update(pid, title="Zebrafish navigation")  # a new segment, the old copy deleted
    hits = lib.ids("zebrafish")
    assert hits == [pid]
    after = lib.ids("skill")
    assert len(after) == len(set(after))
    assert set(after) <= set(first)
    assert lib.papers(after[:5])
    lib.index.index.warm()  # the map again, over the segments the edits added
    assert set(lib.ids("skill")) == set(after)
    lib.undo()
    assert sorted(lib.ids("skill")) == sorted(first)
    assert lib.ids("zebrafish") == []
    assert lib.check() == []


def test_a_queue_move_does_not_touch_the_index(lib, sample_text):
    lib.import_text(sample_text)
    ids = lib.ids(view="queue")
    before = sorted(p.name for p in (lib.folder / "index").iterdir())
    lib.move([ids[-1]], to="top")
    lib.move([ids[5]], to="after", anchor=ids[9])
    assert lib.ids(view="queue")[0] == ids[-1]
    assert sorted(p.name for p in (lib.folder / "index").iterdir()) == before
    assert lib.index.index.generation() == lib.store.generation()
    assert lib.check() == []


def test_indexed_columns_cover_what_the_index_reads():
    read = set(re.findall(r"\bp\.(\w+)", indexing._DOC_SQL)) - {"id"}
    assert read <= INDEXED_COLUMNS


def test_folded_citekeys_give_the_same_keys():
    taken = {"LeeRetask", "retask2024"}
    folded = {k.lower() for k in taken}
    for authors, title, year in ((["Jin Lee"], "Re-TASK", None), ([], "Re-TASK", 2024)):
        assert make_citekey(authors, title, year, taken) == make_citekey(
            authors, title, year, folded, folded=True)


def test_id_lists_read_in_one_string_keep_their_order(lib, sample_text):
    from paperdeck.core.storage import fetch_ids

    lib.import_text(sample_text)
    db = lib.store.read()
    for order in ("title_key, id", "added_at DESC, id DESC", "priority DESC, position, id",
                  "year DESC, id"):
        sql = f"SELECT id FROM papers WHERE trashed_at IS NULL ORDER BY {order}"
        assert fetch_ids(db, sql) == [r[0] for r in db.execute(sql)]
    assert fetch_ids(db, "SELECT id FROM papers WHERE id < 0") == []
    for sort, order in SORTS.items():
        sql = f"SELECT id FROM papers WHERE trashed_at IS NULL ORDER BY {order}"
        assert lib.ids(view="all", sort=sort) == [r[0] for r in db.execute(sql)]


def test_a_lagging_index_re_reads_only_papers_whose_text_changed(lib, sample_text):
    """Tag, status and queue edits leave `rev` alone, so an index that fell behind (a
    catch-up still pending) re-indexes only the retitled paper, not every tagged one."""
    lib.import_text(sample_text)
    ids = lib.ids(view="all")
    lib.index.ready = False  # as while a background catch-up is still to come
    lib.update(ids[0], title="Zebrafish navigation")
    lib.add_tags(ids, ["everything"])
    lib.set_status(ids[:40], "reading")
    lib.move([ids[5]], to="top")
    lib.index.ready = True
    assert lib.index.catch_up() == 1
    assert lib.ids("zebrafish") == [ids[0]]
    assert len(lib.ids("tag:everything status:reading")) == 40
    assert lib.check() == []
