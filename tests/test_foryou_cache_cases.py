"""The for-you word counts cache (core/foryou_cache.py) on real files: what is saved is
what is loaded, paper by paper; a file that is missing, of another version, inconsistent
or carrying pickles is ignored (and said so in the log when it was there); a save that
cannot finish leaves no partial file behind."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import pytest

from paperdeck.core import foryou_cache
from paperdeck.core.foryou_cache import FILE, load, save

NAMES = ["robot", "grasp", "galaxy", "halo", "lensing", "cup"]


def _entry(rev: int, length: int, cols: list[int], counts: list[float]) -> foryou_cache.Entry:
    return ((rev, length), np.array(cols, dtype=np.int32), np.array(counts, dtype=np.float32))


def _cached() -> dict[int, foryou_cache.Entry]:
    """Papers out of id order, one without any word, the last vocabulary column in use,
    revisions and text lengths that differ from each other."""
    return {
        42: _entry(7, 310, [0, 1, 5], [2.0, 1.0, 3.0]),
        3: _entry(1, 88, [2, 3, 4], [1.0, 4.0, 1.0]),
        17: _entry(2, 0, [], []),
        9: _entry(12, 1024, [1], [5.0]),
    }


def _assert_same(got: dict[int, foryou_cache.Entry], want: dict[int, foryou_cache.Entry]) -> None:
    assert sorted(got) == sorted(want)
    for pid, (key, cols, counts) in want.items():
        got_key, got_cols, got_counts = got[pid]
        assert got_key == key, pid
        assert got_cols.tolist() == cols.tolist(), pid
        assert got_counts.tolist() == counts.tolist(), pid


def _write(folder: Path, **overrides: np.ndarray) -> None:
    """A cache file written by hand, the layout save() documents, with some arrays
    replaced: the oracle for what load() must refuse."""
    arrays = dict(version=np.array(2), names=np.array("\x00".join(NAMES)),
                  ids=np.array([3, 9], dtype=np.int64), revs=np.array([1, 12], dtype=np.int64),
                  lengths=np.array([88, 1024], dtype=np.int64),
                  sizes=np.array([2, 1], dtype=np.int64),
                  cols=np.array([2, 5, 1], dtype=np.int32),
                  counts=np.array([1.0, 4.0, 5.0], dtype=np.float32))
    arrays.update(overrides)
    with open(folder / FILE, "wb") as out:
        np.savez(out, **arrays)


def test_what_is_saved_is_loaded_paper_by_paper(tmp_path):
    save(tmp_path, NAMES, _cached())
    assert sorted(os.listdir(tmp_path)) == [FILE]  # the temporary file renamed into place
    names, cached = load(tmp_path)
    assert names == NAMES
    _assert_same(cached, _cached())


def test_a_hand_written_file_of_the_documented_layout_loads(tmp_path):
    _write(tmp_path)
    names, cached = load(tmp_path)
    assert names == NAMES
    _assert_same(cached, {3: _entry(1, 88, [2, 5], [1.0, 4.0]), 9: _entry(12, 1024, [1], [5.0])})


def test_an_empty_cache_round_trips_as_empty(tmp_path):
    save(tmp_path, [], {})
    assert load(tmp_path) == ([], {})


def test_a_missing_file_is_nothing_to_use_and_nothing_to_warn_about(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger=foryou_cache.__name__):
        assert load(tmp_path) is None
    assert caplog.records == []


def test_a_file_of_another_version_is_ignored(tmp_path):
    _write(tmp_path, version=np.array(1))  # the terms before ł, ø, ß were folded
    assert load(tmp_path) is None


@pytest.mark.parametrize("overrides", [
    {"revs": np.array([1], dtype=np.int64)},  # fewer revisions than ids
    {"lengths": np.array([88, 1024, 5], dtype=np.int64)},  # more lengths than revisions
    {"sizes": np.array([3], dtype=np.int64)},  # fewer sizes than lengths, same total
    {"sizes": np.array([2, 2], dtype=np.int64)},  # sizes that add up past the columns
    {"counts": np.array([1.0, 4.0], dtype=np.float32)},  # fewer counts than columns
    {"cols": np.array([2, 6, 1], dtype=np.int32)},  # a column one past the vocabulary
], ids=["revs", "lengths", "sizes", "sizes-sum", "counts", "column"])
def test_an_inconsistent_file_is_ignored_with_a_warning(tmp_path, caplog, overrides):
    _write(tmp_path, **overrides)
    with caplog.at_level(logging.WARNING, logger=foryou_cache.__name__):
        assert load(tmp_path) is None
    assert "not used" in caplog.text and "inconsistent" in caplog.text


def test_a_damaged_file_is_ignored_with_a_warning(tmp_path, caplog):
    (tmp_path / FILE).write_bytes(b"PK\x03\x04 not a zip at all")
    with caplog.at_level(logging.WARNING, logger=foryou_cache.__name__):
        assert load(tmp_path) is None
    assert "not used" in caplog.text


class _Trap:
    """Unpickling this writes a file: the proof that a pickle in the cache was run."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (Path(self.path).write_text, ("unpickled",))


def test_pickled_objects_in_the_file_are_never_unpickled(tmp_path):
    """The cache is plain arrays: an object array (a pickle, which runs code when loaded)
    must make the file unusable, not be loaded."""
    marker = tmp_path / "ran"
    names = np.empty(1, dtype=object)
    names[0] = _Trap(str(marker))
    _write(tmp_path, names=names)
    assert load(tmp_path) is None
    assert not marker.exists()


def test_a_save_into_a_missing_folder_only_logs(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger=foryou_cache.__name__):
        save(tmp_path / "gone", NAMES, _cached())
    assert "not saved" in caplog.text
    assert not (tmp_path / "gone").exists()


def test_a_save_that_cannot_rename_leaves_no_partial_file(tmp_path, caplog):
    """The rename fails (a directory holds the cache's name): the old name is untouched
    and the written temporary file is removed."""
    (tmp_path / FILE).mkdir()
    (tmp_path / FILE / "keep").write_text("x")
    with caplog.at_level(logging.WARNING, logger=foryou_cache.__name__):
        save(tmp_path, NAMES, _cached())
    assert "not saved" in caplog.text
    assert sorted(os.listdir(tmp_path)) == [FILE]
    assert (tmp_path / FILE / "keep").read_text() == "x"
