"""The features file's cases the larger tests leave open: the text keys it is keyed to,
authors as the library stores them (JSON, a plain string, none), cancelling between and
after the batches, the word counts cache (saved from 500 papers, then reused), passes over
the vectors a few entries at a time (a small CHUNK: the chunk and group boundaries), the
block count at 65,535 and 65,537 papers, the file's 64-byte alignment, a failed write,
dead writers' parts, and the helper's own read-only connection (a URI, a writer's lock,
closed even when the build fails)."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import threading

import numpy as np
import pytest

from paperdeck.core import foryou_cache, foryou_features
from paperdeck.core.foryou_features import BLOCK, Cancelled, Features, _groups
from paperdeck.core.storage import sqlite_uri
from paperdeck.core.textfeatures import AUTHOR_PREFIX
from test_foryou_features import _resident_kb  # one reading of /proc/self/smaps for both files

SCHEMA = ("CREATE TABLE papers (id INTEGER PRIMARY KEY, rev INTEGER NOT NULL DEFAULT 0, "
          "title TEXT NOT NULL DEFAULT '', abstract TEXT NOT NULL DEFAULT '', authors TEXT, "
          "venue TEXT NOT NULL DEFAULT '', primary_class TEXT NOT NULL DEFAULT '')")
TOPICS = ["graph neural networks for molecules", "diffusion models for image synthesis",
          "reinforcement learning for robot grasping", "speech recognition with transformers",
          "protein folding structure prediction", "retrieval augmented language models"]


def _db(path=None, papers=()):
    db = sqlite3.connect(str(path) if path else ":memory:", isolation_level=None)
    db.execute(SCHEMA)
    db.executemany("INSERT INTO papers (id, rev, title, abstract, authors, venue, primary_class) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", papers)
    return db


def _papers(n, start=1):
    return [(i, 1, f"{TOPICS[i % 6].title()} {i % 13}", f"We study {TOPICS[(i * 5) % 6]}.",
             json.dumps([f"Author{i % 17} Smith"]), "NeurIPS" if i % 2 else "ICML", "cs.LG")
            for i in range(start, start + n)]


def _counting(monkeypatch):
    """Count the papers whose text a build reads (paper_terms, once a paper)."""
    read = [0]
    real = foryou_features.paper_terms

    def counted(*args, **kwargs):
        read[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(foryou_features, "paper_terms", counted)
    return read


def _by_paper_dot(feats, w):
    """The oracle for a pass by term: the same stored weights, read by paper."""
    rows = np.repeat(np.arange(feats.n), np.diff(feats.row_ptr))
    return np.bincount(rows, weights=feats.row_val.astype(np.float64) * w[feats.row_col],
                       minlength=feats.n)


def _write(path, cols, names=None):
    n = len(cols)
    width = 1 + max((int(c.max()) for c in cols if len(c)), default=0)
    ids = np.arange(n, dtype=np.int64) + 1
    foryou_features.write(path, ids, ids, ids, names or [f"t{k}" for k in range(width)],
                          [np.asarray(c, dtype=np.int32) for c in cols],
                          [np.ones(len(c), dtype=np.float32) for c in cols])
    return Features(path)


# -- the text keys -------------------------------------------------------------------
def test_text_keys_are_each_papers_id_revision_and_text_length_in_id_order():
    db = _db(papers=[(9, 4, "Attention", "is all you need", None, "", ""),
                     (2, 7, "BERT", "", None, "", ""), (5, 1, "", "", None, "", "")])
    ids, revs, lengths = foryou_features.text_keys(db)
    assert ids.tolist() == [2, 5, 9] and revs.tolist() == [7, 1, 4]
    assert lengths.tolist() == [4, 0, len("Attention") + len("is all you need")]
    empty = foryou_features.text_keys(_db())
    assert [a.tolist() for a in empty] == [[], [], []]  # a new library: no papers


# -- authors -------------------------------------------------------------------------
def test_authors_are_terms_and_a_list_that_is_not_json_gives_none(tmp_path):
    """JSON lists give author terms; a plain 'Lovelace, Ada' string (not JSON) and a NULL
    give none, and never the previous paper's authors."""
    lovelace = AUTHOR_PREFIX + "lovelace"
    db = _db(papers=[(1, 1, "Analytical engines", "Notes on the engine.", '["Ada Lovelace", "C. Babbage"]',
                      "", ""),
                     (2, 1, "Difference engines", "Tables of numbers.", "Lovelace, Ada", "", ""),
                     (3, 1, "Bernoulli numbers", "A program for the engine.", '["A. Lovelace"]', "", ""),
                     (4, 1, "Punched cards", "Jacquard looms.", None, "", ""),
                     (5, 1, "Looms", "Weaving patterns.", "[]", "", ""),
                     (6, 1, "Calculus", "Numbers and tables.", '["Augustus De Morgan"]', "", "")])
    out = tmp_path / foryou_features.FILE
    foryou_features.build(db, None, out)
    feats = Features(out)
    assert lovelace in feats.names
    col = feats.names.index(lovelace)
    with_her = [i for i in range(feats.n) if col in feats.entries(i)[0].tolist()]
    assert feats.ids[with_her].tolist() == [1, 3]


# -- cancelling ------------------------------------------------------------------------
def test_a_close_asked_during_a_build_stops_it_within_one_batch_of_2000_papers(tmp_path, monkeypatch):
    read = _counting(monkeypatch)
    db = _db(papers=[(i, 1, f"p{i}", "", None, "", "") for i in range(1, 2002)])
    out = tmp_path / foryou_features.FILE
    with pytest.raises(Cancelled):
        foryou_features.build(db, None, out, cancelled=lambda: read[0] >= 2000)
    assert read[0] == 2000 and not out.exists()


def test_a_close_asked_while_the_last_batch_is_read_writes_nothing(tmp_path, monkeypatch):
    read = _counting(monkeypatch)
    db = _db(papers=_papers(6))
    out = tmp_path / foryou_features.FILE
    with pytest.raises(Cancelled):
        foryou_features.build(db, None, out, cancelled=lambda: read[0] >= 6)
    assert read[0] == 6 and not out.exists() and not list(tmp_path.iterdir())


# -- the word counts cache -------------------------------------------------------------
def test_word_counts_are_saved_from_500_papers_read_and_then_reused(tmp_path, monkeypatch):
    read = _counting(monkeypatch)
    folder, out = tmp_path, tmp_path / foryou_features.FILE
    db = _db(papers=_papers(499))
    foryou_features.build(db, folder, out)
    assert read[0] == 499 and not (folder / foryou_cache.FILE).exists()  # too few to save
    db.executemany("INSERT INTO papers VALUES (?, ?, ?, ?, ?, ?, ?)", _papers(1, start=500))
    foryou_features.build(db, folder, out)
    assert read[0] == 499 + 500 and (folder / foryou_cache.FILE).exists()
    db.execute("UPDATE papers SET rev = rev + 1, title = 'Speech recognition with transformers' "
               "WHERE id = 7")
    foryou_features.build(db, folder, out)
    assert read[0] == 499 + 500 + 1  # only the changed paper is read again
    again = tmp_path / "again.bin"
    foryou_features.build(db, None, again)  # from scratch
    feats, fresh = Features(out), Features(again)
    assert feats.matches(*foryou_features.text_keys(db))
    for i in (0, 6, 250):
        got, want = feats.entries(i), fresh.entries(i)
        assert sorted(zip((feats.names[c] for c in got[0]), got[1].tolist(), strict=True)) == sorted(
            zip((fresh.names[c] for c in want[0]), want[1].tolist(), strict=True))


def test_a_read_only_build_of_500_papers_saves_no_word_counts(tmp_path):
    out = tmp_path / foryou_features.FILE
    foryou_features.build(_db(papers=_papers(500)), None, out)
    assert [p.name for p in tmp_path.iterdir()] == [foryou_features.FILE]


# -- grouping a query's runs -------------------------------------------------------------
@pytest.mark.parametrize(("lengths", "groups"), [
    ([], []),
    ([4, 3, 5], [(0, 2), (2, 3)]),
    ([4, 3, 4, 3], [(0, 2), (2, 4)]),
    ([7], [(0, 1)]),
    ([10, 1, 9], [(0, 1), (1, 2), (2, 3)]),  # longer than the limit: alone
    ([0, 0, 7, 0], [(0, 4)]),
    ([6, 1], [(0, 2)]),
])
def test_runs_are_grouped_greedily_up_to_the_limit(lengths, groups):
    assert _groups(np.array(lengths, dtype=np.int64), 7) == groups


# -- passes a few entries at a time --------------------------------------------------------
@pytest.fixture
def small(tmp_path):
    """40 papers; term a in 4 papers, b in 3, c in 5, d in 12 (the last term), e in 2."""
    members = {0: range(0, 4), 1: range(4, 7), 2: range(7, 12), 3: range(20, 32), 4: (1, 30)}
    cols = [np.array([t for t, ps in members.items() if i in ps], dtype=np.int32) for i in range(40)]
    return _write(tmp_path / foryou_features.FILE, cols, names=["a", "b", "c", "d", "e"])


def test_scores_read_a_few_entries_at_a_time_are_the_by_paper_products(small, monkeypatch):
    monkeypatch.setattr(foryou_features, "CHUNK", 5)  # runs cut across chunk boundaries
    w = np.array([0.5, -2.0, 3.0, 1.5, 0.25])
    got = small.dot(w)
    assert np.allclose(got, _by_paper_dot(small, w), rtol=1e-12, atol=0)
    assert got[25] == pytest.approx(1.5) and got[1] != 0


def test_similarities_read_the_querys_runs_in_as_few_steps_as_the_limit_allows(small, monkeypatch):
    monkeypatch.setattr(foryou_features, "CHUNK", 7)
    steps = [0]
    real = Features.release

    def counted(self):
        steps[0] += 1
        real(self)

    monkeypatch.setattr(Features, "release", counted)
    q_cols, q_vals = np.array([0, 1, 2]), np.array([0.6, 0.64, 0.48])
    got = small.cosine(q_cols, q_vals)
    assert steps[0] == 2  # runs of 4 + 3 entries, then 5
    want = np.zeros(small.width)
    want[q_cols] = q_vals
    assert np.allclose(got, _by_paper_dot(small, want), rtol=1e-12, atol=0)


def test_a_querys_terms_the_file_does_not_know_are_ignored(small):
    """A draft's new words are numbered past the file's terms: they match nothing."""
    q_cols, q_vals = np.array([2, small.width, small.width + 3]), np.array([0.6, 0.64, 0.48])
    got = small.cosine(q_cols, q_vals)
    assert np.array_equal(got, small.cosine(q_cols[:1], q_vals[:1])) and got[8] > 0


def test_a_selection_of_many_rows_given_as_a_list_is_those_rows(tmp_path):
    cols = [np.array(sorted({i % 7, 7 + i % 5, 12 + i % 11}), dtype=np.int32) for i in range(300)]
    feats = _write(tmp_path / foryou_features.FILE, cols)
    pick = list(range(299, -1, -2)) + [0, 3, 0]
    rows = feats.select(pick)
    assert rows.n == len(pick)
    for k, i in enumerate(pick):
        col, val = feats.entries(i)
        mine = rows.row == k
        assert rows.col[mine].tolist() == col.tolist() and np.array_equal(rows.val[mine], val)


# -- blocks --------------------------------------------------------------------------------
def _many(n):
    """n papers, two terms each out of 8; term 0 only in the first and the last paper."""
    base = np.stack([1 + np.arange(n) % 5, 6 + np.arange(n) % 3], axis=1).astype(np.int32)
    cols = list(base)
    cols[0] = np.array([0, 1, 6], dtype=np.int32)
    cols[-1] = np.array([0, int(base[-1, 0]), int(base[-1, 1])], dtype=np.int32)
    return cols


@pytest.mark.parametrize("n", [BLOCK - 1, BLOCK + 1])
def test_every_paper_is_scored_at_block_sizes_around_a_block(tmp_path, n):
    feats = _write(tmp_path / foryou_features.FILE, _many(n))
    assert feats.blocks == -(-n // BLOCK)
    w = np.arange(1.0, feats.width + 1)
    got = feats.dot(w)
    assert np.allclose(got, _by_paper_dot(feats, w), rtol=1e-12, atol=0)
    last = feats.cosine(*feats.entries(n - 1))
    assert last[n - 1] == pytest.approx(1.0, abs=3 * 2.0 ** -11) and last[0] > 0


# -- the file ---------------------------------------------------------------------------------
def test_each_array_of_the_file_starts_at_a_64_byte_boundary(small):
    data = small.path.read_bytes()
    size = int.from_bytes(data[8:16], "little")
    head = json.loads(data[16:16 + size])
    offsets = [offset for _dtype, _count, offset in head["arrays"].values()]
    assert len(offsets) == 11 and all(offset % 64 == 0 for offset in offsets)
    assert min(offsets) >= 16 + size and data[16 + size:min(offsets)].strip(b"\x00") == b""
    assert all(a.flags.aligned for a in (small.ids, small.idf, small.row_ptr, small.row_col, small.term_ptr))


def test_a_write_that_fails_leaves_no_half_written_file(tmp_path):
    out = tmp_path / foryou_features.FILE
    out.mkdir()  # something in the way: the rename fails
    with pytest.raises(OSError):
        _write(out, [np.array([0, 1]), np.array([0, 2]), np.array([1, 2]), np.array([3])])
    assert [p.name for p in tmp_path.iterdir()] == [foryou_features.FILE]


# -- dead writers' parts ------------------------------------------------------------------------
def test_dead_writers_parts_are_removed_and_returned_live_writers_never_signalled(tmp_path):
    """Asking whether a writer runs sends it no signal: a writer that would quit on a
    hang-up (SIGHUP) still runs afterwards, and its part is kept."""
    writer = subprocess.Popen([sys.executable, "-c", "import signal, sys, time\n"
                               "signal.signal(signal.SIGHUP, lambda *a: sys.exit(3))\n"
                               "print('ready', flush=True)\ntime.sleep(30)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        out = tmp_path / foryou_features.FILE
        dead = tmp_path / f"{out.name}.part-{_gone_pid()}-1"
        live = tmp_path / f"{out.name}.part-{writer.pid}-1"
        for part in (dead, live):
            part.write_bytes(b"half")
        assert foryou_features.remove_dead_parts(out) == [dead]
        assert live.exists() and not dead.exists()
        with pytest.raises(subprocess.TimeoutExpired):  # a hang-up would end it at once
            writer.wait(timeout=0.2)
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()


def _gone_pid() -> int:
    probe = subprocess.Popen([sys.executable, "-c", "pass"])
    probe.wait()
    return probe.pid


def test_a_part_another_cleaner_removed_first_and_another_users_part(tmp_path, monkeypatch):
    """Two builds (a window's and a command's) may clean at once: a part gone between
    listing and removing is no error. A writer this user may not signal counts as alive."""
    out = tmp_path / foryou_features.FILE
    raced = tmp_path / f"{out.name}.part-{_gone_pid()}-1"
    raced.write_bytes(b"half")

    def other_cleaner_first(pid):
        raced.unlink()
        return False

    monkeypatch.setattr(foryou_features, "_alive", other_cleaner_first)
    assert foryou_features.remove_dead_parts(out) == [raced]
    monkeypatch.undo()

    def not_permitted(pid, sig):
        raise PermissionError(1, "Operation not permitted")

    theirs = tmp_path / f"{out.name}.part-1-1"
    theirs.write_bytes(b"half")
    monkeypatch.setattr(foryou_features.os, "kill", not_permitted)
    assert foryou_features.remove_dead_parts(out) == [] and theirs.exists()


# -- the helper's connection --------------------------------------------------------------------
def test_a_helper_build_reads_through_a_read_only_uri(tmp_path):
    path = tmp_path / "lib #1.sqlite"  # a name that needs quoting in a URI
    _db(path, _papers(8)).close()
    out = tmp_path / foryou_features.FILE
    foryou_features.build_in_helper(sqlite_uri(path, mode="ro"), None, str(out))
    with sqlite3.connect(path) as db:
        assert Features(out).matches(*foryou_features.text_keys(db))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, out.name])


def test_a_helper_waits_for_a_writer_holding_the_library_lock(tmp_path):
    path = tmp_path / "library.sqlite"
    _db(path, _papers(8)).close()
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("UPDATE papers SET title = 'Graph transformers' WHERE id = 3")
    release = threading.Timer(0.3, lambda: writer.execute("COMMIT"))
    release.start()
    try:
        out = tmp_path / foryou_features.FILE
        foryou_features.build_in_helper(sqlite_uri(path, mode="ro"), None, str(out))
    finally:
        release.join()
        writer.close()
    assert Features(out).n == 8


def _open_paths() -> list[str]:
    fds = "/proc/self/fd"
    paths = []
    for fd in os.listdir(fds):
        with contextlib.suppress(OSError):  # a descriptor closed meanwhile
            paths.append(os.readlink(os.path.join(fds, fd)))
    return paths


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="Linux /proc")
def test_a_failed_helper_build_leaves_the_library_closed(tmp_path):
    """The error is kept (as the window keeps a helper's failure) but not the connection:
    the library file is no longer open in this process."""
    path = tmp_path / "library.sqlite"
    _db(path, _papers(8)).close()
    with pytest.raises(OSError) as failed:
        foryou_features.build_in_helper(sqlite_uri(path, mode="ro"), None,
                                        str(tmp_path / "gone" / foryou_features.FILE))
    assert failed.traceback  # still held
    assert str(path) not in _open_paths()


# -- memory -------------------------------------------------------------------------------------
def _full_block(path, n=BLOCK, k=17):
    """A block of n papers with k terms each (65,536 x 17: 1.1 million entries; a
    100,000-paper library's blocks hold millions): even papers have terms 0..k-1, odd ones
    k..2k-1, each weight 0.25. Written directly: write() would first weigh a million
    counts (~0.5 s)."""
    width = 2 * k
    evens, odds = np.arange(0, n, 2), np.arange(1, n, 2)
    row_col = ((np.arange(n) % 2) * k)[:, None] + np.arange(k)[None, :]
    names = "\x00".join(f"term{t}" for t in range(width)).encode()
    ids = np.arange(1, n + 1, dtype=np.int64)
    arrays = {"ids": ids, "revs": ids, "lengths": ids, "idf": np.ones(width),
              "names": np.frombuffer(names, dtype=np.uint8),
              "row_ptr": np.arange(n + 1, dtype=np.int64) * k,
              "row_col": row_col.ravel().astype(np.uint32),
              "row_val": np.full(n * k, 0.25, dtype=np.float16),
              "term_ptr": np.concatenate([[0], np.cumsum([len(evens)] * k + [len(odds)] * k)]),
              "term_paper": np.concatenate([np.tile(evens, k), np.tile(odds, k)]).astype(np.uint16),
              "term_val": np.full(n * k, 0.25, dtype=np.float16)}
    foryou_features._save(path, {"version": foryou_features.VERSION, "terms": foryou_cache.VERSION,
                                 "papers": n, "width": width, "blocks": 1}, arrays)
    return Features(path)


def test_a_pass_over_a_block_of_a_million_entries_holds_under_20_mb(tmp_path):
    """Scoring every paper and a similarity over all terms read the block a chunk of
    entries at a time: their temporaries stay under 20 MB (the whole block at once: ~27)."""
    import tracemalloc

    feats = _full_block(tmp_path / foryou_features.FILE)
    w = np.arange(1.0, feats.width + 1)
    tracemalloc.start()
    try:
        scores = feats.dot(w)
        dot_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        near = feats.cosine(np.arange(feats.width), np.ones(feats.width))
        cosine_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert scores[0] == 0.25 * w[:17].sum() and scores[1] == 0.25 * w[17:].sum()
    assert np.all(near == 0.25 * 17)
    assert dot_peak < 20e6 and cosine_peak < 20e6, (dot_peak, cosine_peak)


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps"), reason="Linux /proc")
def test_a_selection_of_scattered_rows_lets_go_of_the_file_every_128_rows(tmp_path, monkeypatch):
    """The model's training rows are scattered over the file and each read maps the 64 KB
    around it: 256 rows 64 KB apart are read in two steps of 128 (at most ~16 MB mapped
    at once), not all 256 (~32 MB) before the file is let go of."""
    feats = _full_block(tmp_path / foryou_features.FILE, n=4096, k=1000)  # every 16th row: 64 KB on
    n, k = feats.n, 1000
    mapped = []
    real = Features.release

    def measured(self):
        mapped.append(_resident_kb(self.path))
        real(self)

    monkeypatch.setattr(Features, "release", measured)
    rows = feats.select(np.arange(n - 1, -1, -16))
    assert len(mapped) == 2 and max(mapped) <= 20 * 1024, mapped
    assert rows.n == 256 and len(rows.col) == 256 * k and np.all(rows.val == 0.25)
    assert rows.col[:k].tolist() == list(range(k, 2 * k))  # row 4095, odd: terms k..2k-1
