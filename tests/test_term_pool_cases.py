"""A rebuild's postings pool (term_pool.py) against the plainest oracle: a dict of term
-> [(document, frequency)], sorted by the term's UTF-8 bytes. Held in memory, spilled to
run files after every document, or through windows wider than WINDOW, the groups must be
the same. (test_rebuild_writer.py compares whole segments with Whoosh's own writer.)"""

from __future__ import annotations

import random

import pytest
from whoosh.filedb.filestore import FileStorage

from paperdeck.core import term_pool
from paperdeck.core.term_pool import TermPool

WORDS = ["robot", "arm", "Zebra", "\u00e9cole", "\u00e0", "z", "\U0001f916", "ab", "a", "b\u00e4r"]


def _documents(n: int, seed: int) -> list[dict[str, dict[str, int]]]:
    rng = random.Random(seed)
    return [{field: {w: rng.randint(1, 4) for w in rng.sample(WORDS, rng.randint(0, 5))}
             for field in rng.sample(["title", "abstract", "authors"], rng.randint(1, 3))}
            for _ in range(n)]


def _oracle(documents) -> list[tuple[str, bytes, list[int], list[int]]]:
    postings: dict[tuple[str, bytes], list[tuple[int, int]]] = {}
    for docnum, fields in enumerate(documents):
        for field, counts in fields.items():
            for term, freq in counts.items():
                postings.setdefault((field, term.encode("utf-8")), []).append((docnum, freq))
    return [(field, term, [d for d, _f in p], [f for _d, f in p])
            for (field, term), p in sorted(postings.items())]


@pytest.fixture
def store(tmp_path):
    """A folder of run files, as a rebuild's writer gives its pool (Whoosh's temp storage)."""
    return FileStorage(str(tmp_path)).create()


def _pool(documents, limitmb: int, store) -> TermPool:
    pool = TermPool(store, limitmb=limitmb)
    for docnum, fields in enumerate(documents):
        for field in sorted(fields):
            pool.add(field, docnum, fields[field])
    return pool


@pytest.mark.parametrize("seed", [1, 2])
def test_groups_held_in_memory_are_the_oracles(seed, store):
    documents = _documents(60, seed)
    pool = _pool(documents, limitmb=128, store=store)
    assert pool.runs == [] and pool.size > 0
    assert list(pool.groups()) == _oracle(documents)


def test_groups_through_run_files_are_the_oracles(store):
    documents = _documents(40, 3)
    pool = _pool(documents, limitmb=0, store=store)  # past the limit after every document: a run each
    assert len(pool.runs) == sum(1 for d in documents for counts in d.values() if counts)
    assert list(pool.groups()) == _oracle(documents)
    assert list(store.list()) == []  # each run file read is deleted


def test_postings_one_at_a_time_from_merged_segments(store):
    pool = TermPool(store)
    for term, docnum, freq in [("b", 0, 1), ("b", 3, 2), ("a", 1, 5), ("\u00e4", 2, 1), ("a", 4, 1)]:
        pool.add_posting("title", term, docnum, freq)
    assert pool.size == 3 * term_pool.TERM_BYTES + 5 * term_pool.POSTING_BYTES
    assert list(pool.groups()) == [("title", b"a", [1, 4], [5, 1]), ("title", b"b", [0, 3], [1, 2]),
                                   ("title", "\u00e4".encode(), [2], [1])]


def test_posting_sizes_count_new_terms_and_postings(store):
    pool = TermPool(store)
    pool.add("title", 0, {"robot": 2, "arm": 1})
    assert pool.size == 2 * term_pool.TERM_BYTES + 2 * term_pool.POSTING_BYTES
    pool.add("title", 1, {"robot": 1})  # a term met before costs a posting only
    assert pool.size == 2 * term_pool.TERM_BYTES + 3 * term_pool.POSTING_BYTES
    pool.add("title", 1, {})
    assert pool.size == 2 * term_pool.TERM_BYTES + 3 * term_pool.POSTING_BYTES


def test_a_document_out_of_order_is_refused(store):
    pool = TermPool(store)
    pool.add("title", 5, {"robot": 1})
    pool.add("abstract", 5, {"robot": 1})  # another field of the same document
    with pytest.raises(ValueError, match="document 4 added after 5"):
        pool.add("title", 4, {"arm": 1})


def test_groups_wider_than_a_window_are_whole(monkeypatch, store):
    monkeypatch.setattr(term_pool, "WINDOW", 7)  # the windows' edges fall inside groups
    documents = _documents(50, 4)
    assert list(_pool(documents, limitmb=128, store=store).groups()) == _oracle(documents)
    big = [{"title": {"a": 1, "b": 2}} for _ in range(20)]  # one term longer than a window
    assert list(_pool(big, limitmb=128, store=store).groups()) == _oracle(big)


def test_terms_split_across_runs_are_joined_in_document_order(store):
    documents = [{"title": {"robot": 1}}, {"title": {"arm": 2, "robot": 3}}, {"title": {"arm": 1}}]
    pool = _pool(documents, limitmb=0, store=store)
    assert len(pool.runs) == 3
    assert list(pool.groups()) == [("title", b"arm", [1, 2], [2, 1]), ("title", b"robot", [0, 1], [1, 3])]


def test_save_with_nothing_held_writes_no_run_and_cleanup_removes_runs(store):
    pool = TermPool(store)
    pool.save()
    assert pool.runs == []
    pool.add("title", 0, {"robot": 1})
    pool.save()
    assert len(pool.runs) == 1 and pool._fields == {} and pool.size == 0
    [name] = pool.runs
    assert pool.tempstore.file_exists(name)
    pool.cleanup()
    assert pool.runs == [] and not pool.tempstore.file_exists(name)


def test_postings_one_at_a_time_spill_past_the_limit_too(store):
    pool = TermPool(store, limitmb=0)
    pool.add_posting("title", "b", 0, 1)
    pool.add_posting("title", "a", 1, 2)
    assert len(pool.runs) == 2 and pool.size == 0
    assert list(pool.groups()) == [("title", b"a", [1], [2]), ("title", b"b", [0], [1])]
