"""The papers' tf-idf vectors in a file beside the library (`foryou-features.bin`),
memory-mapped by the process that ranks instead of held in its memory.

At 100,000 papers the vectors have ~12 million entries: built in the window's own
process (float32 rows plus an index by term, and the word counts they came from) they
made it peak at ~730 MB. Here a builder (a spawned helper process in the window, see
`foryou.py`) writes them once per change of the papers' text, compactly:

- by term, in blocks of 65,536 papers: for each (block, term) a run of 16-bit paper
  numbers within the block and 16-bit float weights: 4 bytes an entry, 48 MB at
  100,000 papers (float64 CSR took 250 MB). Scoring every paper and finding the nearest
  papers read these runs.
- by paper: each paper's term numbers (32-bit) and the same 16-bit weights, for the few
  rows a question needs at once (a paper's reasons, the model's training rows).

A 16-bit float keeps 11 significant bits: weights (0..1) are off by at most 0.05 %,
scores by about as much; the order of papers whose scores differ by less may change.
Only terms with a non-zero idf are kept (renumbered): the others weigh nothing.

The file is a cache, safe to delete: it carries the text key (`rev`, text length) of
every paper it was built from and is rebuilt when they no longer match the library.
It is written to a temporary name and renamed, so a reader never maps half a file.
"""

from __future__ import annotations

import json
import logging
import mmap
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from . import foryou_cache
from .textfeatures import Rows, Vocabulary, _ranges, inverse_document_frequency, paper_terms, weigh

log = logging.getLogger(__name__)

FILE = "foryou-features.bin"
MAGIC = b"PDFEATS\x00"
VERSION = 1  # of this layout; foryou_cache.VERSION is that of the terms
BLOCK = 65_536  # papers a block: a paper's number in its block fits 16 bits
ALIGN = 64
CHUNK = 1 << 19  # entries a step of a pass over the vectors (bounds its temporary arrays)
SELECT_BATCH = 128  # rows read from the file between two `release`s (at most ~16 MB mapped)
READ_BATCH = 2000  # papers read from SQLite at a time
CACHE_AFTER = 500  # papers (re)read in one build from which the word counts are saved


class Cancelled(Exception):
    """A build stopped because its library is closing."""


def text_keys(db: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every paper's id (ascending), text revision and text length: what the file is keyed to."""
    cursor = db.execute("SELECT id, rev, length(title) + length(abstract) FROM papers "
                        "ORDER BY id")
    parts: list[np.ndarray] = []
    while batch := cursor.fetchmany(20_000):  # not 100,000 tuples at once
        parts.append(np.array(batch, dtype=np.int64).reshape(-1, 3))
    keys = np.concatenate(parts) if parts else np.zeros((0, 3), dtype=np.int64)
    return keys[:, 0].copy(), keys[:, 1].copy(), keys[:, 2].copy()


class Features:
    """A mapped features file: rows are papers in id order, columns the kept terms."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with open(path, "rb") as f:
            if f.read(len(MAGIC)) != MAGIC:
                raise ValueError("not a features file")
            size = int.from_bytes(f.read(8), "little")
            head = json.loads(f.read(size))
            if head.get("version") != VERSION or head.get("terms") != foryou_cache.VERSION:
                raise ValueError("another version")
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        self.n, self.width, self.blocks = head["papers"], head["width"], head["blocks"]
        arrays = {}
        for name, (dtype, count, offset) in head["arrays"].items():
            if offset + count * np.dtype(dtype).itemsize > len(self._map):
                raise ValueError("a truncated file")
            arrays[name] = (np.frombuffer(self._map, dtype, count, offset) if count
                            else np.zeros(0, dtype))
        self.ids, self.revs, self.lengths = arrays["ids"], arrays["revs"], arrays["lengths"]
        self.idf = arrays["idf"]
        self.row_ptr, self.row_col, self.row_val = arrays["row_ptr"], arrays["row_col"], arrays["row_val"]
        self.term_ptr, self.term_paper, self.term_val = (
            arrays["term_ptr"], arrays["term_paper"], arrays["term_val"])
        blob = arrays["names"].tobytes().decode("utf-8")
        self.names = blob.split("\x00") if self.width else []
        if not (len(self.ids) == self.n == len(self.row_ptr) - 1 and len(self.names) == self.width
                and len(self.term_ptr) == self.blocks * self.width + 1
                and int(self.row_ptr[-1]) == len(self.row_col) == len(self.term_paper)):
            raise ValueError("inconsistent arrays")

    @classmethod
    def open(cls, path: Path) -> Features | None:
        """The file's vectors, or None when it is missing, damaged or of another version.
        Other OSErrors (no descriptor left, no permission, an I/O error) are raised: they
        are about the system, and a file written again could not be read either."""
        try:
            return cls(path)
        except FileNotFoundError:
            return None
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bad cache is rebuilt, never fatal
            log.warning("for-you features %s not used (%s)", path, exc)
            return None

    def matches(self, ids: np.ndarray, revs: np.ndarray, lengths: np.ndarray) -> bool:
        """Built from exactly these papers' texts?"""
        return (len(ids) == self.n and np.array_equal(ids, self.ids)
                and np.array_equal(revs, self.revs) and np.array_equal(lengths, self.lengths))

    def vocabulary(self) -> Vocabulary:
        vocab = Vocabulary()
        vocab.names = self.names
        vocab.ids = {t: i for i, t in enumerate(self.names)}
        return vocab

    # -- by paper ---------------------------------------------------------------------
    def entries(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Columns and weights of row `i`."""
        lo, hi = int(self.row_ptr[i]), int(self.row_ptr[i + 1])
        return self.row_col[lo:hi].astype(np.int64), self.row_val[lo:hi].astype(np.float64)

    def select(self, rows: np.ndarray) -> Rows:
        """The given rows, renumbered 0..len(rows)-1, as an in-memory sparse matrix."""
        rows = np.asarray(rows, dtype=np.int64)
        lo, hi = self.row_ptr[rows], self.row_ptr[rows + 1]
        at = _ranges(lo, hi)
        col, val = np.empty(len(at), dtype=np.int64), np.empty(len(at), dtype=np.float32)
        bounds = np.concatenate([[0], np.cumsum(hi - lo)])
        for k in range(0, len(rows), SELECT_BATCH):  # each read maps 64 KB around it: let go
            a, b = bounds[k], bounds[min(k + SELECT_BATCH, len(rows))]
            col[a:b], val[a:b] = self.row_col[at[a:b]], self.row_val[at[a:b]]
            self.release()
        return Rows(len(rows), np.repeat(np.arange(len(rows), dtype=np.int32), hi - lo), col, val)

    def release(self) -> None:
        """Let go of the file's pages this process has touched. They stay in the page cache
        (the next read maps them again, without a disk read), but no longer count as this
        process's memory: a pass over all vectors, or the model's training rows scattered
        over the file (each read maps the 64 KB around it), would otherwise keep the whole
        file (130 MB at 100,000 papers) resident in the window."""
        if hasattr(mmap, "MADV_DONTNEED"):
            self._map.madvise(mmap.MADV_DONTNEED)

    # -- by term ----------------------------------------------------------------------
    def dot(self, w: np.ndarray) -> np.ndarray:
        """Every row times the dense vector `w`, a block and a chunk of entries at a time."""
        out = np.zeros(self.n)
        for b in range(self.blocks):
            ptr = self.term_ptr[b * self.width:(b + 1) * self.width + 1]
            size = min(BLOCK, self.n - b * BLOCK)
            acc = np.zeros(size)
            for lo in range(int(ptr[0]), int(ptr[-1]), CHUNK):
                hi = min(lo + CHUNK, int(ptr[-1]))
                first = int(np.searchsorted(ptr, lo, "right")) - 1
                last = int(np.searchsorted(ptr, hi - 1, "right")) - 1
                runs = np.diff(np.clip(ptr[first:last + 2], lo, hi))
                cols = np.repeat(np.arange(first, last + 1), runs)
                acc += np.bincount(self.term_paper[lo:hi], minlength=size,
                                   weights=self.term_val[lo:hi] * w[cols])
                self.release()
            out[b * BLOCK:b * BLOCK + size] = acc
        return out

    def cosine(self, q_cols: np.ndarray, q_vals: np.ndarray) -> np.ndarray:
        """Cosine similarity of one normalised sparse vector with every row: only the
        runs of the query's own terms are read, CHUNK entries at most at a time (a
        paper's common words have millions of entries at 100,000 papers)."""
        known = q_cols < self.width
        q_cols, q_vals = np.asarray(q_cols[known], dtype=np.int64), q_vals[known]
        out = np.zeros(self.n)
        for b in range(self.blocks):
            size = min(BLOCK, self.n - b * BLOCK)
            acc = np.zeros(size)
            starts = self.term_ptr[b * self.width + q_cols]
            ends = self.term_ptr[b * self.width + q_cols + 1]
            for lo, hi in _groups(ends - starts, CHUNK):
                at = _ranges(starts[lo:hi], ends[lo:hi])
                weights = self.term_val[at] * np.repeat(q_vals[lo:hi], ends[lo:hi] - starts[lo:hi])
                acc += np.bincount(self.term_paper[at], weights=weights, minlength=size)
                self.release()
            out[b * BLOCK:b * BLOCK + size] = acc
        return out


def _groups(lengths: np.ndarray, limit: int) -> list[tuple[int, int]]:
    """Consecutive (lo, hi) slices of `lengths` summing to at most `limit` each (one
    longer length alone)."""
    out, lo, total = [], 0, 0
    for k, n in enumerate(lengths.tolist()):
        if total + n > limit and k > lo:
            out.append((lo, k))
            lo, total = k, 0
        total += n
    if lo < len(lengths):
        out.append((lo, len(lengths)))
    return out


# -- building -----------------------------------------------------------------------
def build(db: sqlite3.Connection, folder: Path | None, out: Path,
          cancelled: Callable[[], bool] = lambda: False) -> None:
    """Read the papers (word counts from `folder`'s cache where a paper's text is
    unchanged; None: no cache, read-only) and write the features file `out`."""
    remove_dead_parts(out)
    ids, revs, lengths = text_keys(db)
    loaded = foryou_cache.load(folder) if folder is not None else None
    vocab = Vocabulary()
    cached: dict[int, foryou_cache.Entry] = {}
    if loaded is not None:
        vocab.names, cached = loaded
        vocab.ids = {t: i for i, t in enumerate(vocab.names)}
    keys = {pid: (rev, n) for pid, rev, n in zip(ids.tolist(), revs.tolist(), lengths.tolist(),
                                                 strict=True)}
    stale = [i for i, k in keys.items() if cached.get(i, (None,))[0] != k]
    for pid in [i for i in cached if i not in keys]:
        del cached[pid]
    for start in range(0, len(stale), READ_BATCH):
        if cancelled():
            raise Cancelled("the library is closing")
        part = stale[start:start + READ_BATCH]
        marks = ",".join("?" * len(part))
        for pid, title, abstract, authors, venue, cat in db.execute(
                "SELECT id, title, abstract, authors, venue, primary_class FROM papers "
                f"WHERE id IN ({marks})", part):
            try:
                names = [str(a) for a in json.loads(authors or "[]")]
            except ValueError:
                names = []
            cols, counts = vocab.encode(paper_terms(title, abstract, names, venue, cat))
            cached[pid] = (keys[pid], cols, counts)
    if folder is not None and len(stale) >= CACHE_AFTER:
        foryou_cache.save(folder, vocab.names, cached)
    if cancelled():
        raise Cancelled("the library is closing")
    write(out, ids, revs, lengths, vocab.names, [cached[i][1] for i in ids.tolist()],
          [cached[i][2] for i in ids.tolist()])


def write(out: Path, ids: np.ndarray, revs: np.ndarray, lengths: np.ndarray, names: list[str],
          cols: list[np.ndarray], counts: list[np.ndarray]) -> None:
    """Weigh the counts (tf-idf, rows of length 1) and write the file atomically."""
    idf = inverse_document_frequency(cols, len(names))
    kept = np.flatnonzero(idf > 0)
    renumber = np.full(len(names), -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    rows = weigh(cols, counts, idf)
    del cols, counts
    val = rows.val.astype(np.float16)
    keep = val > 0  # a weight below float16's range would be a zero: drop it
    row, col, val = rows.row[keep], renumber[rows.col[keep]], val[keep]
    del rows
    n, width = len(ids), len(kept)
    row_ptr = np.searchsorted(row, np.arange(n + 1)).astype(np.int64)
    blocks = (n + BLOCK - 1) // BLOCK
    key = (row.astype(np.int64) >> 16) * width + col  # (block, term), rows in order within
    order = np.argsort(key, kind="stable")
    term_ptr = np.searchsorted(key[order], np.arange(blocks * width + 1)).astype(np.int64)
    del key
    arrays = {
        "ids": ids.astype(np.int64), "revs": revs.astype(np.int64),
        "lengths": lengths.astype(np.int64), "idf": idf[kept].astype(np.float64),
        "names": np.frombuffer("\x00".join(names[k] for k in kept.tolist()).encode("utf-8"),
                               dtype=np.uint8),
        "row_ptr": row_ptr, "row_col": col.astype(np.uint32), "row_val": val,
        "term_ptr": term_ptr, "term_paper": (row[order] & 0xFFFF).astype(np.uint16),
        "term_val": val[order],
    }
    _save(out, {"version": VERSION, "terms": foryou_cache.VERSION, "papers": n, "width": width,
                "blocks": blocks}, arrays)


def _save(out: Path, head: dict, arrays: dict[str, np.ndarray]) -> None:
    table, offset = {}, 0
    for name, a in arrays.items():
        table[name] = [a.dtype.str, int(a.size), offset]
        offset += -(-a.nbytes // ALIGN) * ALIGN
    # The offsets count from the start of the file: the header's own size is fixed first.
    text = json.dumps({**head, "arrays": table}).encode()
    start = -(-(len(MAGIC) + 8 + len(text) + 200) // ALIGN) * ALIGN
    for entry in table.values():
        entry[2] += start
    text = json.dumps({**head, "arrays": table}).encode()
    assert len(MAGIC) + 8 + len(text) <= start
    # Named for its writer (two builds may overlap: a window's and a command's, or two
    # threads'); a killed helper's is found by its process id and removed.
    tmp = out.with_name(f"{out.name}.part-{os.getpid()}-{threading.get_ident()}")
    try:
        with open(tmp, "wb") as f:
            f.write(MAGIC + len(text).to_bytes(8, "little") + text)
            f.write(b"\x00" * (start - f.tell()))
            for a in arrays.values():
                f.write(np.ascontiguousarray(a).tobytes())
                f.write(b"\x00" * (-a.nbytes % ALIGN))
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def remove_dead_parts(out: Path) -> list[Path]:
    """Delete the half-written files (`<out>.part-<pid>-<thread>`) of writers no longer
    running: a helper killed while writing, a window quit or crashed mid-write (each up to
    ~47 MB at 100,000 papers). A live writer's part, or one whose writer cannot be told
    (another user's), is left alone. Returns what was deleted."""
    gone = []
    for part in out.parent.glob(f"{out.name}.part-*-*"):
        pid = part.name[len(out.name) + len(".part-"):].split("-")[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        part.unlink(missing_ok=True)
        gone.append(part)
    return gone


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive, not ours to judge
        return True
    return True


def build_in_helper(ro_uri: str, folder: str | None, out: str) -> None:
    """A spawned helper's work: its own read-only connection, the same `build`."""
    db = sqlite3.connect(ro_uri, uri=True, isolation_level=None)
    db.execute("PRAGMA busy_timeout = 5000")
    try:
        build(db, Path(folder) if folder else None, Path(out))
    finally:
        db.close()
