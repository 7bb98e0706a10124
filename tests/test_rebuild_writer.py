"""The rebuild's own writer (core/posting_pool.py) and its spawned helpers
(core/parallel_rebuild.py) against Whoosh's own writer on the same papers: every term's
postings and every field length must be the same; a helper that fails fails the rebuild
and leaves the old index serving."""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from whoosh import index as windex

from paperdeck.core.parallel_rebuild import HelperFailed
from paperdeck.core.posting_pool import FastWriter
from paperdeck.core.search import COMPOUND, STATE_FILE, IndexDoc, SearchIndex, make_schema

sys.path.insert(0, str(Path(__file__).parent / "bench"))
from corpus import load_source, make_draft  # noqa: E402

from ui_helpers import QT_LOG_IGNORE, close_window, open_window, wait_idle  # noqa: E402

TEXT_FIELDS = ("title", "abstract", "authors", "notes", "arxiv", "doi")


def _docs(n: int, seed: int = 3) -> list[IndexDoc]:
    rng, src = random.Random(seed), load_source()
    out = []
    for k in range(n):
        d = make_draft(rng, src, k)
        out.append(IndexDoc(id=k + 1, title=d.title, abstract=d.abstract,
                            authors="; ".join(d.authors), notes=rng.choice(["", d.title]),
                            year=d.year, arxiv_id=d.arxiv_id, doi=d.doi.lower()))
    return out


def _contents(folder: Path) -> tuple[dict, dict]:
    """(field, term) -> [(paper id, weight, value)], and (paper id, field) -> length,
    over every segment, by paper id (docnums differ between segmentations)."""
    ix = windex.open_dir(str(folder))
    postings: dict = {}
    lengths: dict = {}
    with ix.searcher() as s:
        for leaf, _base in s.reader().leaf_readers() if not s.reader().is_atomic() else [
                (s.reader(), 0)]:
            ids = list(leaf.column_reader("id"))
            for field in TEXT_FIELDS:
                for term in leaf.lexicon(field):
                    m = leaf.postings(field, term)
                    while m.is_active():
                        postings.setdefault((field, term), []).append(
                            (ids[m.id()], m.weight(), m.value()))
                        m.next()
                for docnum in range(leaf.doc_count_all()):
                    lengths[(ids[docnum], field)] = leaf.doc_field_length(docnum, field)
    ix.close()
    return {k: sorted(v) for k, v in postings.items()}, lengths


def _whoosh_reference(docs: list[IndexDoc], folder: Path) -> Path:
    folder.mkdir()
    writer = windex.create_in(str(folder), make_schema()).writer(compound=False)
    for doc in docs:
        writer.add_document(**doc.fields())
    writer.commit()
    return folder


def _hostile_docs(first_id: int) -> list[IndexDoc]:
    """Texts that reach the corners of analysis and encoding: stop words and single
    letters only, decomposed and full-width letters, dotted words, asterisks, a word
    repeated past a byte's worth of frequency, a field longer than a length byte holds
    exactly, empty and missing fields."""
    long = " ".join(f"word{k % 300} learning" for k in range(700))
    texts = [
        ("The of a I", "a an the of to in", "A B; C D", None),
        ("Go\u0308del, E\u0301cole and ＦＵＬＬ width", "Cafe\u0301 crème ｍｌ", "José Núñez", ""),
        ("e.g. U.S.A. 3.14 v1.2.3 .hidden trailing.", "a..b c.d. *star* wild*card", "", "x"),
        ("learning " * 300, long, "Learning; Learning Learning", "learning learning"),
        ("", "", "", None),
    ]
    return [IndexDoc(id=first_id + k, title=t, abstract=a, authors=au, notes=n,
                     year=2000 + k if k % 2 else None, arxiv_id=f"2401.{k:05d}" if k else "",
                     doi="" if k % 3 else f"10.1/x{k}") for k, (t, a, au, n) in enumerate(texts)]


def _segment_files(folder: Path) -> dict[str, bytes]:
    """The one segment's files by what follows the segment id, with the segment's field
    length totals and document count from the table of contents."""
    ix = windex.open_dir(str(folder))
    (segment,) = ix._segments()
    prefix = segment.segment_id()
    out = {name[len(prefix):]: (folder / name).read_bytes()
           for name in os.listdir(folder) if name.startswith(prefix)}
    out["toc: field lengths, documents"] = repr(
        (sorted(segment._fieldlengths.items()), segment.doc_count_all())).encode()
    ix.close()
    return out


@pytest.mark.parametrize("limitmb", [128, 1])
def test_a_rebuilt_segment_is_byte_for_byte_what_whooshs_own_writer_writes(tmp_path, limitmb):
    """The oracle for the rebuild's own analysis (TermCounter) and encoding (BlockWriter):
    the segment files of Whoosh's own writer, including terms of several blocks, word
    pairs, repeated words and rounded field lengths; with a 1 MB pool the postings also
    pass through run files."""
    docs = _docs(300) + _hostile_docs(1000)
    ours = tmp_path / "ours"
    ours.mkdir()
    writer = FastWriter(windex.create_in(str(ours), make_schema()), limitmb=limitmb,
                           compound=False)
    for doc in docs:
        writer.add_document(**doc.fields())
    assert (len(writer.pool.runs) >= 2) == (limitmb == 1)
    writer.commit()
    expected = _segment_files(_whoosh_reference(docs, tmp_path / "reference"))
    got = _segment_files(ours)
    assert sorted(got) == sorted(expected)
    assert len(expected[".pst"]) > 500_000 and len(expected[".trm"]) > 100_000
    different = [name for name in expected if got[name] != expected[name]]
    assert not different


def _all_segments(folder: Path) -> list[tuple]:
    """Every segment of the index in its table of contents' order: its files (as
    _segment_files gives them), its deleted documents."""
    ix = windex.open_dir(str(folder))
    out = []
    for segment in ix._segments():
        prefix = segment.segment_id()
        files = {name[len(prefix):]: (folder / name).read_bytes()
                 for name in os.listdir(folder) if name.startswith(prefix)}
        out.append((files, sorted(segment._fieldlengths.items()), segment.doc_count_all(),
                    sorted(segment.deleted_docs())))
    ix.close()
    return out


def test_an_update_that_merges_small_segments_writes_what_whooshs_writer_writes(tmp_path):
    """Catching up (SearchIndex.apply) writes with FastWriter: updates replace papers by
    id, deletions, and Whoosh's merge policy folding small segments into the new one
    (their postings come in through add_reader). The segments must be byte for byte
    those Whoosh's own writer makes from the same index."""
    docs = _docs(330, seed=6) + _hostile_docs(2000)
    base = tmp_path / "base"
    base.mkdir()
    ix = windex.create_in(str(base), make_schema())
    writer = ix.writer(compound=False)
    for doc in docs[:300]:
        writer.add_document(**doc.fields())
    writer.commit()
    for k in range(5):  # five small segments, each updating a paper and deleting another
        writer = ix.writer(compound=False)
        for doc in docs[300 + 5 * k:305 + 5 * k]:
            writer.update_document(**doc.fields())
        writer.update_document(**{**docs[k].fields(), "title": f"Retitled {k} learning"})
        writer.delete_by_term("id", docs[50 + k].id)
        writer.commit(merge=False)
    ix.close()
    results = []
    for name, make in (("whoosh", lambda ix: ix.writer(compound=COMPOUND)),
                       ("ours", lambda ix: FastWriter(ix, compound=COMPOUND))):
        folder = tmp_path / name
        shutil.copytree(base, folder)
        ix = windex.open_dir(str(folder))
        before = len(ix._segments())
        writer = make(ix)
        for doc in [*docs[325:], docs[7], docs[310]]:
            writer.update_document(**doc.fields())
        writer.delete_by_term("id", docs[8].id)
        writer.commit()
        assert len(windex.open_dir(str(folder))._segments()) < before  # small ones merged
        ix.close()
        results.append(_all_segments(folder))
    assert results[0] == results[1]


def test_grouped_postings_equal_whooshs_own_writer_even_through_run_files(tmp_path):
    docs = _docs(400)
    ours = tmp_path / "ours"
    ours.mkdir()
    ix = windex.create_in(str(ours), make_schema())
    writer = FastWriter(ix, limitmb=1)  # ~1 MB: the postings go through several runs
    for doc in docs:
        writer.add_document(**doc.fields())
    assert len(writer.pool.runs) >= 2
    writer.commit()
    expected = _contents(_whoosh_reference(docs, tmp_path / "reference"))
    got = _contents(ours)
    assert len(expected[0]) > 10_000
    assert got == expected


@pytest.mark.slow  # two spawned helpers import paperdeck (~1-3 s on a busy machine)
def test_spawned_helpers_write_the_same_postings_in_segments_of_their_own(tmp_path):
    docs = _docs(600, seed=4)
    index = SearchIndex(tmp_path / "index")
    seen: list[tuple[int, int]] = []
    index.rebuild(iter(docs), len(docs), "lib", 7, lambda d, n: seen.append((d, n)), procs=2)
    assert len(index._ix._segments()) == 2
    assert seen[-1] == (600, 600) and seen == sorted(seen)
    assert index.state()["generation"] == 7
    assert _contents(tmp_path / "index") == _contents(
        _whoosh_reference(docs, tmp_path / "reference"))
    assert index.doc_ids() == {d.id for d in docs}
    index.close()


@pytest.mark.slow
def test_a_failing_helper_fails_the_rebuild_and_the_old_index_serves(tmp_path):
    index = SearchIndex(tmp_path / "index")
    good = _docs(50)
    index.rebuild(iter(good), len(good), "lib", 1, procs=1)
    before = index.search("learning")
    assert before
    bad = [*_docs(450, seed=5), IndexDoc(id=999, title="t", abstract="", authors="",
                                          notes="", year="not a year", arxiv_id="", doi="")]
    with pytest.raises(HelperFailed, match="year|int|not a year"):
        index.rebuild(iter(bad), len(bad), "lib", 2, procs=2)
    assert not (tmp_path / "index.new").exists()
    assert index.generation() == 1 and index.search("learning") == before
    assert (tmp_path / "index" / STATE_FILE).is_file()
    index.close()


@QT_LOG_IGNORE
@pytest.mark.slow  # 2,100 papers, a rebuild in the window and one in this process
def test_the_window_rebuilds_a_large_library_in_spawned_helpers(qtbot, tmp_path):
    """The window's background open of a library whose index is gone: the index thread
    (beside Qt's live threads) hands the papers to spawned helpers; the window stays
    usable, and the index answers as a rebuild in one process does."""
    from paperdeck.app import start_index
    from paperdeck.core.library import Library
    from paperdeck.core.models import Draft

    folder = tmp_path / "library"
    rng, src = random.Random(8), load_source()
    with Library.open(folder, backup=False) as lib:
        lib.add([make_draft(rng, src, k) for k in range(2_100)], raw_text="t", fmt="test")
        lib.add([Draft(title="Quokka gerrymander", abstract="Zygote.", year=2020)],
                raw_text="t", fmt="test")
    shutil.rmtree(folder / "index")
    lib = Library.open(folder, sync_index=False, backup=False)
    win = open_window(qtbot, lib, tmp_path / "settings.ini")
    try:
        start_index(win)
        qtbot.waitUntil(lambda: lib.index.ready and win.indexer.idle(), timeout=120_000)
        assert len(lib.index.index._ix._segments()) == 2  # one a helper
        queries = ["learning", "robot*", '"language model"', "quokka", "agents -vision"]
        found = {q: set(lib.ids(q)) for q in queries}
        with qtbot.waitSignal(win.search_applied, timeout=30_000) as applied:
            win.search.setText("quokka")
            win.search.emit_now()
        assert applied.args[0] == 1
        wait_idle(qtbot, win)
    finally:
        close_window(qtbot, win)
    lib.index.rebuild(procs=1)
    assert {q: set(lib.ids(q)) for q in queries} == found
    assert all(found[q] for q in queries)
    lib.close()


@pytest.mark.slow  # 2,100 papers, spawned helpers, then a rebuild in this process
def test_a_helper_killed_mid_rebuild_leaves_the_rebuild_to_this_process(tmp_path):
    from paperdeck.core.library import Library

    rng, src = random.Random(9), load_source()
    lib = Library.open(tmp_path / "library", sync_index=False, backup=False)
    ids = lib.add([make_draft(rng, src, k) for k in range(2_100)], raw_text="t", fmt="test")
    killed: list[int] = []

    def kill_a_helper() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            for child in multiprocessing.active_children():
                if child.name.startswith("paperdeck-index") and child.pid:
                    time.sleep(0.3)
                    os.kill(child.pid, signal.SIGKILL)
                    killed.append(child.pid)
                    return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_a_helper)
    killer.start()
    lib.index.rebuild()
    killer.join()
    assert killed
    assert len(lib.index.index._ix._segments()) == 1  # written here, after the helper died
    assert lib.index.index.doc_ids() == set(ids)
    assert lib.check() == [] and lib.ids("learning")
    lib.close()
