"""A damaged index in every way we could think of: noticed at open, rebuilt, search keeps working.

(tests/test_index_consistency.py covers a deleted index, garbage segments and a foreign
index; these add truncation, an older format, a state file that lies, and odd files.)
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh.fields import ID, TEXT, Schema

from paperdeck.core.library import Library
from paperdeck.core.search import STATE_FILE


@pytest.fixture(scope="module")
def healthy(tmp_path_factory, sample_text) -> tuple[Path, list[int], list[int]]:
    folder = tmp_path_factory.mktemp("healthy") / "library"
    with Library.open(folder, backup=False) as lib:
        lib.import_text(sample_text, tags=["digest"])
        lib.add_tags(lib.ids()[:5], ["five"])
        lib.trash(lib.ids()[-2:])
        return folder, lib.ids("robot"), lib.ids("tag:five")


def _copy(healthy, tmp_path) -> Path:
    dest = tmp_path / "library"
    shutil.copytree(healthy[0], dest)
    return dest


def _reopens_healthy(folder: Path, healthy) -> None:
    with Library.open(folder, backup=False) as lib:
        assert any("rebuilt" in note for note in lib.notes), lib.notes
        assert lib.ids("robot") == healthy[1]
        assert lib.ids("tag:five") == healthy[2]
        assert lib.check() == []
    with Library.open(folder, backup=False) as lib:  # and it stays fixed
        assert lib.notes == [] and lib.check() == []


SEGMENT_DATA = "segment data"  # every file of a segment (plain, not compound: search.COMPOUND)


def _index_files(folder: Path, kinds: tuple[str, ...]) -> list[Path]:
    def kind(p: Path) -> str:
        if p.name.startswith(STATE_FILE) or p.name.endswith("LOCK"):
            return "other"
        return p.suffix if p.suffix in (".toc", ".seg") else SEGMENT_DATA

    return [p for p in (folder / "index").iterdir() if kind(p) in kinds]


@pytest.mark.parametrize("which", [(SEGMENT_DATA,), (".toc",), (SEGMENT_DATA, ".toc")])
def test_truncated_index_files_are_rebuilt(healthy, tmp_path, which):
    folder = _copy(healthy, tmp_path)
    files = _index_files(folder, which)
    assert files
    for path in files:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    _reopens_healthy(folder, healthy)


def test_zero_length_index_files_are_rebuilt(healthy, tmp_path):
    folder = _copy(healthy, tmp_path)
    for path in (folder / "index").iterdir():
        path.write_bytes(b"")
    _reopens_healthy(folder, healthy)


def test_index_of_an_older_format_is_rebuilt(healthy, tmp_path):
    folder = _copy(healthy, tmp_path)
    state = json.loads((folder / "index" / STATE_FILE).read_text())
    state["schema"] -= 1
    (folder / "index" / STATE_FILE).write_text(json.dumps(state))
    _reopens_healthy(folder, healthy)


def test_index_with_old_fields_is_rebuilt_even_if_its_state_claims_current(healthy, tmp_path):
    """An index written with an older field set (say, before tags were indexed), whose
    state file still carries the current numbers: its fields give it away."""
    folder = _copy(healthy, tmp_path)
    index = folder / "index"
    state = (index / STATE_FILE).read_text()
    shutil.rmtree(index)
    index.mkdir()
    old = windex.create_in(str(index), Schema(id=ID(stored=True, unique=True), title=TEXT,
                                              abstract=TEXT))
    with old.writer() as w:
        w.add_document(id="1", title="robot", abstract="robot")
    (index / STATE_FILE).write_text(state)
    _reopens_healthy(folder, healthy)


@pytest.mark.parametrize("state", ["", "{", "[]", '{"schema": 1}', "null",
                                   '{"schema": 1, "library_id": "x", "generation": 1}'])
def test_state_file_damaged_or_foreign_means_rebuild(healthy, tmp_path, state):
    folder = _copy(healthy, tmp_path)
    (folder / "index" / STATE_FILE).write_text(state)
    _reopens_healthy(folder, healthy)


def test_index_from_the_future_is_rebuilt(healthy, tmp_path):
    """A newer generation than the database (say, the database was restored by hand)."""
    folder = _copy(healthy, tmp_path)
    path = folder / "index" / STATE_FILE
    state = json.loads(path.read_text())
    state["generation"] += 1000
    path.write_text(json.dumps(state))
    _reopens_healthy(folder, healthy)


def test_index_that_is_a_file_is_replaced(healthy, tmp_path):
    folder = _copy(healthy, tmp_path)
    shutil.rmtree(folder / "index")
    (folder / "index").write_text("not a folder")
    _reopens_healthy(folder, healthy)


def test_leftovers_of_an_interrupted_rebuild_do_not_matter(healthy, tmp_path):
    folder = _copy(healthy, tmp_path)
    for name in ("index.new", "index.old"):
        (folder / name).mkdir()
        (folder / name / "_MAIN_9.toc").write_bytes(b"half")
    shutil.rmtree(folder / "index")
    _reopens_healthy(folder, healthy)
    assert not (folder / "index.new").exists() and not (folder / "index.old").exists()


def test_a_state_file_without_the_commit_number_is_still_trusted(healthy, tmp_path):
    """State files written before they named the Whoosh commit (TOC) they vouch for keep
    working: an upgrade must not cost a rebuild."""
    folder = _copy(healthy, tmp_path)
    path = folder / "index" / STATE_FILE
    state = json.loads(path.read_text())
    del state["toc"]
    path.write_text(json.dumps(state))
    with Library.open(folder, backup=False) as lib:
        assert lib.notes == [] and lib.check() == []
        assert lib.ids("robot") == healthy[1]


def test_an_index_older_than_its_state_file_is_rebuilt(healthy, tmp_path):
    """The state names a later Whoosh commit than the folder holds (files put back from
    an old copy): the index is not what the state vouches for."""
    folder = _copy(healthy, tmp_path)
    path = folder / "index" / STATE_FILE
    state = json.loads(path.read_text())
    state["toc"] += 3
    path.write_text(json.dumps(state))
    _reopens_healthy(folder, healthy)


def test_files_a_killed_writer_left_behind_do_not_matter(healthy, tmp_path):
    """A segment half-written by a process killed before its commit is no part of the index."""
    folder = _copy(healthy, tmp_path)
    (folder / "index" / "MAIN_zzzzzzzzzzzzzzzz.trm").write_bytes(b"half a segm")
    (folder / "index" / "_MAIN_99.toc.1733000000.5").write_bytes(b"half a toc")
    with Library.open(folder, backup=False) as lib:
        assert lib.notes == [] and lib.check() == []
        assert lib.ids("robot") == healthy[1]


def test_a_rebuild_killed_between_its_renames_is_finished_not_redone(healthy, tmp_path):
    """Killed after moving the old index aside and before moving the new one in: the
    finished `index.new` (its state file is written last) is put in place."""
    folder = _copy(healthy, tmp_path)
    (folder / "index").rename(folder / "index.new")
    with Library.open(folder, backup=False) as lib:
        assert lib.notes == [] and lib.check() == []
        assert lib.ids("robot") == healthy[1]
    assert not (folder / "index.new").exists()
