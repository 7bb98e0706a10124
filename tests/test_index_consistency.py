"""SQLite is the truth: a missing, damaged or stale index is noticed and rebuilt."""

from __future__ import annotations

import shutil

from paperdeck.core.library import Library
from paperdeck.core.models import Draft


def _segments(index_dir):
    return [p for p in index_dir.iterdir() if p.suffix in (".seg", ".trm", ".pst", ".vps")]


def test_deleted_index_is_rebuilt_on_open(data_dir, sample_text):
    with Library.open(data_dir) as lib:
        lib.import_text(sample_text)
        hits = lib.ids("skill")
    shutil.rmtree(data_dir / "index")
    with Library.open(data_dir) as lib:
        assert lib.ids("skill") == hits
        assert lib.check() == []


def test_corrupt_segment_is_rebuilt_on_open(data_dir, sample_text):
    with Library.open(data_dir) as lib:
        lib.import_text(sample_text)
        hits = lib.ids("robot")
    segs = _segments(data_dir / "index")
    assert segs, list((data_dir / "index").iterdir())
    for seg in segs:
        seg.write_bytes(b"\x00garbage" * 100)
    with Library.open(data_dir) as lib:
        assert lib.ids("robot") == hits
        assert lib.check() == []


def test_index_folder_of_garbage_is_rebuilt(data_dir, sample_text):
    with Library.open(data_dir) as lib:
        lib.import_text(sample_text)
    index = data_dir / "index"
    shutil.rmtree(index)
    index.mkdir()
    (index / "MAIN_WRITELOCK").write_text("junk")
    (index / "_MAIN_1.toc").write_bytes(b"not a toc")
    with Library.open(data_dir) as lib:
        assert len(lib.ids("skill")) > 0
        assert lib.check() == []


def test_stale_index_catches_up_without_a_rebuild(data_dir):
    with Library.open(data_dir) as lib:
        lib.add([Draft(title="Quantum robots")], raw_text="a", fmt="t")
    # another writer changes the database while the index is not updated
    with Library.open(data_dir, sync_index=False) as lib:
        lib.index.ready = False
        lib.add([Draft(title="Quantum gardens")], raw_text="b", fmt="t")
        assert lib.check()
    with Library.open(data_dir) as lib:
        assert lib.index.index.doc_count() == 2
        assert len(lib.ids("quantum")) == 2
        assert lib.check() == []


def test_search_falls_back_to_sqlite_while_the_index_is_unavailable(data_dir, sample_text):
    with Library.open(data_dir) as lib:
        lib.import_text(sample_text)
    shutil.rmtree(data_dir / "index")
    with Library.open(data_dir, sync_index=False) as lib:
        assert not lib.index.ready
        hits = lib.ids("skill library")
        assert hits
        titles = [p.title + p.abstract for p in lib.papers(hits)]
        assert all("skill" in t.lower() and "library" in t.lower() for t in titles)


def test_index_of_another_library_is_not_trusted(tmp_path, sample_text):
    a, b = tmp_path / "a", tmp_path / "b"
    with Library.open(a) as lib:
        lib.import_text(sample_text)
    with Library.open(b) as lib:
        lib.add([Draft(title="Only paper in b")], raw_text="x", fmt="t")
    shutil.rmtree(b / "index")
    shutil.copytree(a / "index", b / "index")
    with Library.open(b) as lib:
        assert lib.index.index.doc_count() == 1
        assert lib.check() == []


def test_a_search_waits_for_the_index_being_opened_not_for_a_rebuild(data_dir, sample_text):
    import threading

    with Library.open(data_dir) as lib:
        lib.import_text(sample_text)
        ranked = lib.ids("skill library")
    with Library.open(data_dir, sync_index=False) as lib:
        lib.index._settled.clear()  # as `ensure` does while it opens the index
        found: list[list[int]] = []
        searcher = threading.Thread(target=lambda: found.append(lib.ids("skill library")))
        searcher.start()
        searcher.join(0.3)
        assert searcher.is_alive()  # waiting, not answering from the SQLite fallback
        assert lib.index.ensure() == "current"
        searcher.join(10)
        assert found == [ranked]
    shutil.rmtree(data_dir / "index")
    with Library.open(data_dir, sync_index=False) as lib:
        opening = threading.Thread(target=lib.index.ensure)
        opening.start()  # a rebuild: the search answers from SQLite or the new index
        hits = lib.ids("skill library")
        assert sorted(hits) == sorted(ranked)
        opening.join(60)
