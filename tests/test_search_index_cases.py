"""SearchIndex on its own: when an index is trusted, what a write records, rebuilds, locks.

Hits are checked against a plain positional Whoosh index of the same papers
(tests/search_oracle.py); the state file against the files on disk; the rest against
what was written. Indexes here are small (tens of papers), so each test is quick.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh.fields import ID, TEXT, Schema

from paperdeck.core.errors import LibraryLocked, QueryError
from paperdeck.core.library import Library
from paperdeck.core.search import (
    INDEX_SCHEMA_VERSION,
    REBUILD_LOCK_SUFFIX,
    STATE_FILE,
    UPDATE_LOCK_SUFFIX,
    WRITE_LOCK,
    IndexDoc,
    SearchIndex,
    _lock_file,
    _remove,
)
from search_oracle import Reference, RefPaper, papers_of

WORDS = ["robot", "language", "model", "graph", "neural", "learning", "vision", "planning",
         "reward", "policy", "sparse", "kernel", "memory", "agent", "transformer"]
NAMES = ["Ann Lee", "Bo Chen", "Cy Dee", "Dana Ito", "Eve Moreau"]


def _doc(i: int) -> IndexDoc:
    """Paper `i` of a small deterministic library: some without a year, a DOI, an arXiv id,
    or with one that is blank."""
    title = " ".join(WORDS[(i * k + 1) % len(WORDS)] for k in (1, 3, 5))
    abstract = " ".join(WORDS[(i + k * 2) % len(WORDS)] for k in range(6))
    return IndexDoc(
        id=1000 + i * 7, title=title.capitalize(), abstract=f"We study {abstract}.",
        authors="; ".join(NAMES[(i + k) % len(NAMES)] for k in range(1 + i % 2)),
        notes="read twice" if i % 5 == 0 else "", year=None if i % 6 == 0 else 2015 + i % 9,
        arxiv_id=f"2401.{i:05d}" if i % 3 == 0 else ("  " if i % 3 == 1 else ""),
        doi=f"10.1000/x{i}" if i % 4 == 0 else (" " if i % 4 == 1 else ""),
    )


DOCS = [_doc(i) for i in range(36)]


def _ref(doc: IndexDoc) -> RefPaper:
    return RefPaper(id=doc.id, title=doc.title, abstract=doc.abstract,
                    authors=doc.authors.split("; "), notes=doc.notes, year=doc.year,
                    arxiv=doc.arxiv_id, doi=doc.doi, tags=[], status="unread")


def _build(folder: Path, docs: list[IndexDoc], generation: int = 1) -> SearchIndex:
    ix = SearchIndex(folder)
    ix.rebuild(docs, len(docs), "lib", generation)
    return ix


QUERIES = ["robot", "graph neural", "robot OR vision", "model -language", "doi:*", "arxiv:*",
           "year:>2019", "year:2016", "authors:lee", '"neural learning"', "notes:twice",
           "plannin~", "title:kernel memory", "nothing-matches-this"]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A built index in two segments (a rebuild, then an update that replaces one paper,
    deletes two and adds the rest), and the reference over the papers it should hold."""
    root = tmp_path_factory.mktemp("search-index")
    ix = _build(root / "index", DOCS[:24])
    changed = IndexDoc(**{**DOCS[3].__dict__, "title": "Transformer memory for planning"})
    ix.apply([*DOCS[24:], changed], [DOCS[5].id, DOCS[6].id], "lib", 2)
    live = [changed if d.id == changed.id else d for d in DOCS if d.id not in (DOCS[5].id, DOCS[6].id)]
    ref = Reference.build([_ref(d) for d in live], root / "reference")
    yield ix, ref, live
    ref.close()
    ix.close()


@pytest.mark.parametrize("text", QUERIES)
def test_hits_are_the_references(world, text):
    ix, ref, _live = world
    assert set(ix.search(text)) == ref.ids(text)
    assert ix.fast_path_failures == 0


def test_ids_and_count_are_the_papers_written(world):
    ix, _ref, live = world
    assert ix.doc_ids() == {d.id for d in live}
    assert ix.doc_count() == len(live)


def test_blank_identifiers_are_no_terms(world):
    """`doi:*` and `arxiv:*` find exactly the papers with a non-blank one."""
    ix, _ref, live = world
    assert set(ix.search("doi:*")) == {d.id for d in live if d.doi.strip()}
    assert set(ix.search("arxiv:*")) == {d.id for d in live if d.arxiv_id.strip()}
    assert set(ix.search("year:>0")) == {d.id for d in live if d.year is not None}


def test_a_limit_cuts_the_ranked_list(world):
    ix, _ref, _live = world
    full = ix.scored("robot OR vision OR graph")
    assert len(full) > 5
    assert [s for _i, s in full] == sorted((s for _i, s in full), reverse=True)
    assert ix.search("robot OR vision OR graph") == [i for i, _s in full]
    assert ix.search("robot OR vision OR graph", limit=3) == [i for i, _s in full[:3]]
    assert ix.scored("robot OR vision OR graph", limit=4) == full[:4]


def test_whooshs_ranking_answers_when_the_array_ranker_fails(tmp_path, monkeypatch):
    """A failure of the fast path (a bug, odd data) is counted and the search answers from
    Whoosh's own matchers: the same papers in the same order, a limit kept, and paper ids
    read afresh after a write."""
    ix = _build(tmp_path / "index", DOCS[:20])
    ix.apply(DOCS[20:30], [], "lib", 2)
    text = "robot OR vision OR graph"
    fast = ix.search(text)
    fast_scored = ix.scored(text)

    def broken(*_args, **_kwargs):
        raise RuntimeError("simulated ranking bug")

    monkeypatch.setattr(ix._dense, "search", broken)
    assert ix.search(text) == fast
    assert ix.fast_path_failures == 1
    assert ix.search(text, limit=2) == fast[:2]
    assert [i for i, _s in ix.scored(text)] == [i for i, _s in fast_scored]
    new = IndexDoc(**{**DOCS[31].__dict__, "id": 5, "title": "zebra robot"})
    ix.apply([new], [fast[0]], "lib", 3)
    monkeypatch.setattr(ix._dense, "search", broken)  # apply keeps the ranker: still broken
    after = ix.search("zebra OR robot")
    assert 5 in after and fast[0] not in after
    assert set(after) == {d.id for d in [*DOCS[:30], new] if d.id != fast[0]
                          and ("robot" in (d.title + d.abstract).lower() or d.id == 5)}
    ix.close()


def test_a_malformed_search_is_a_query_error(world):
    ix, _ref, _live = world
    with pytest.raises(QueryError):
        ix.parse('title:"robot')
    with pytest.raises(QueryError):
        ix.search("year:>abc")


# -- the state file and when the index is trusted ------------------------------------------

TOC_NAME = re.compile(r"^_MAIN_(\d+)\.toc$")


def _index_files(folder: Path) -> dict[str, int]:
    """The Whoosh files in `folder` (its TOC and segment files), name -> size."""
    return {p.name: p.stat().st_size for p in folder.iterdir()
            if not p.name.startswith(STATE_FILE) and not p.name.endswith("LOCK")}


def test_the_state_names_the_commit_and_its_files(tmp_path):
    ix = _build(tmp_path / "index", DOCS[:8], generation=4)
    st = ix.state()
    files = _index_files(tmp_path / "index")
    tocs = [int(m.group(1)) for m in map(TOC_NAME.match, files) if m]
    assert len(tocs) == 1
    assert st == {"schema": INDEX_SCHEMA_VERSION, "library_id": "lib", "generation": 4,
                  "toc": tocs[0], "files": files}
    assert all(size > 0 for size in st["files"].values())
    assert ix.generation() == 4
    assert not (tmp_path / "index" / (STATE_FILE + ".tmp")).exists()
    ix.close()


def _edit_state(folder: Path, change) -> None:
    path = folder / STATE_FILE
    st = json.loads(path.read_text())
    change(st)
    path.write_text(json.dumps(st))


@pytest.fixture
def built(tmp_path) -> Path:
    ix = _build(tmp_path / "index", DOCS[:6], generation=3)
    ix.close()
    return tmp_path / "index"


def test_a_matching_index_is_trusted_up_to_the_librarys_generation(built):
    ix = SearchIndex(built)
    assert ix.usable_for("lib", 3) and ix.usable_for("lib", 9)
    assert not ix.usable_for("lib", 2)  # the index is ahead of the database
    assert not ix.usable_for("other", 3)
    assert set(ix.search("robot OR language OR model OR graph OR vision")) <= {d.id for d in DOCS[:6]}
    ix.close()


@pytest.mark.parametrize("change", [
    lambda st: st.update(schema=INDEX_SCHEMA_VERSION - 1),
    lambda st: st.update(generation="3"),
    lambda st: st.pop("generation"),
    lambda st: st.update(files={**st["files"], next(iter(st["files"])): 1}),
    lambda st: st["files"].pop(next(n for n in st["files"] if not n.endswith(".toc"))),
    lambda st: st.update(files=[]),
    lambda st: st.update(toc=st["toc"] + 1),
], ids=["old-schema", "generation-text", "no-generation", "wrong-size", "file-missing",
        "files-not-a-dict", "toc-ahead"])
def test_a_state_that_does_not_match_is_not_trusted(built, change):
    _edit_state(built, change)
    ix = SearchIndex(built)
    assert not ix.usable_for("lib", 3)
    ix.close()


@pytest.mark.parametrize("text", ["", "[1, 2]", "null", "{"])
def test_a_state_file_that_is_no_object_is_none(built, text):
    (built / STATE_FILE).write_text(text)
    ix = SearchIndex(built)
    assert ix.state() is None and ix.generation() == -1
    assert not ix.usable_for("lib", 3)


def test_a_state_without_a_toc_number_finds_it_among_its_files(built):
    """The state of INDEX_SCHEMA_VERSION 4 had no "toc": the one TOC its files name is it;
    none, or two, is not an index to trust."""
    _edit_state(built, lambda st: st.pop("toc"))
    assert SearchIndex(built).usable_for("lib", 3)
    st = json.loads((built / STATE_FILE).read_text())
    toc = next(n for n in st["files"] if n.endswith(".toc"))
    _edit_state(built, lambda st: st["files"].pop(toc))
    assert not SearchIndex(built).usable_for("lib", 3)
    _edit_state(built, lambda st: st.update(files={}))
    assert not SearchIndex(built).usable_for("lib", 3)
    _edit_state(built, lambda st: st.update(files={toc: 1, "_MAIN_0.toc": 1}))
    assert not SearchIndex(built).usable_for("lib", 3)


def _commit_without_state(folder: Path, docs: list[IndexDoc]) -> None:
    """A writer stopped between Whoosh's commit and recording its generation."""
    ix = windex.open_dir(str(folder))
    w = ix.writer()
    for d in docs:
        w.update_document(**d.fields())
    w.commit(merge=False)  # the recorded segment stays, beside a new one
    ix.close()


def test_a_commit_newer_than_the_state_is_trusted_and_catches_up(built):
    _commit_without_state(built, DOCS[6:8])
    ix = SearchIndex(built)
    assert ix.usable_for("lib", 3)
    assert ix.generation() == 3  # still the recorded one: the caller re-reads what is newer
    assert ix.doc_ids() == {d.id for d in DOCS[:8]}
    ix.close()


def test_a_newer_commit_over_a_changed_file_is_not_trusted(built):
    st = json.loads((built / STATE_FILE).read_text())
    _commit_without_state(built, DOCS[6:8])
    segment = next(n for n in st["files"] if not n.endswith(".toc") and (built / n).exists())
    with open(built / segment, "ab") as f:
        f.write(b"\0")
    assert not SearchIndex(built).usable_for("lib", 3)


def test_an_index_with_other_fields_is_not_trusted(built):
    st = (built / STATE_FILE).read_text()
    shutil.rmtree(built)
    built.mkdir()
    old = windex.create_in(str(built), Schema(id=ID(stored=True, unique=True), title=TEXT,
                                              abstract=TEXT))
    with old.writer() as w:
        w.add_document(id="1", title="robot", abstract="robot")
    old.close()
    (built / STATE_FILE).write_text(st)
    ix = SearchIndex(built)
    ix._write_state("lib", 3)  # its state as current as can be: only the fields differ
    assert not ix.usable_for("lib", 3)
    ix.close()


# -- an interrupted swap -------------------------------------------------------------------

def test_a_finished_build_left_beside_no_index_is_put_in_place(built):
    fresh = built.with_name(built.name + ".new")
    os.replace(built, fresh)
    ix = SearchIndex(built)
    assert ix.usable_for("lib", 3)
    assert built.is_dir() and not fresh.exists()
    assert ix.doc_ids() == {d.id for d in DOCS[:6]}
    ix.close()


def test_a_build_in_progress_or_unfinished_is_left_alone(built):
    fresh = built.with_name(built.name + ".new")
    os.replace(built, fresh)
    builder = _lock_file(built.with_name(built.name + REBUILD_LOCK_SUFFIX))
    assert builder.acquire(blocking=False)
    try:
        assert not SearchIndex(built).usable_for("lib", 3)
        assert fresh.is_dir() and not built.exists()
    finally:
        builder.release()
    (fresh / STATE_FILE).unlink()  # killed before its state was written: not finished
    assert not SearchIndex(built).usable_for("lib", 3)
    assert fresh.is_dir() and not built.exists()


def test_a_build_beside_an_index_is_not_swapped_in(built):
    fresh = built.with_name(built.name + ".new")
    shutil.copytree(built, fresh)
    _edit_state(fresh, lambda st: st.update(library_id="other"))
    ix = SearchIndex(built)
    assert ix.usable_for("lib", 3)
    assert fresh.is_dir() and ix.state()["library_id"] == "lib"
    ix.close()


# -- writes --------------------------------------------------------------------------------

def test_a_write_with_nothing_to_index_records_the_generation_only(built):
    ix = SearchIndex(built)
    before = ix.state()
    first = ix.search("robot")
    ix.apply([], [], "lib", 7)
    after = ix.state()
    assert after["generation"] == 7 and ix.generation() == 7
    assert (after["toc"], after["files"]) == (before["toc"], before["files"])  # no segment
    assert ix.search("robot") == first
    ix.close()


def test_a_write_adds_replaces_and_deletes(built):
    ix = SearchIndex(built)
    changed = IndexDoc(**{**DOCS[0].__dict__, "title": "Zebra crossings"})
    ix.apply([changed, DOCS[10]], [DOCS[1].id], "lib", 4)
    assert ix.doc_ids() == {d.id for d in DOCS[:6] if d.id != DOCS[1].id} | {DOCS[10].id}
    assert ix.search("zebra") == [DOCS[0].id]
    assert ix.state()["generation"] == 4 and ix.usable_for("lib", 4)
    ix.close()


def test_a_write_to_a_folder_that_is_no_index_fails(tmp_path):
    (tmp_path / "index").mkdir()
    ix = SearchIndex(tmp_path / "index")
    with pytest.raises(windex.IndexError):
        ix.apply([DOCS[0]], [], "lib", 1)
    with pytest.raises(windex.IndexError):
        ix.apply([], [], "lib", 1)
    with pytest.raises(windex.IndexError):
        ix.search("robot")


def test_another_processs_writes_and_rebuilds_are_seen_at_the_next_search(built):
    reader, writer = SearchIndex(built), SearchIndex(built)
    assert reader.search("zebra") == []
    assert reader.searcher_generation == 3
    writer.apply([IndexDoc(**{**DOCS[7].__dict__, "title": "zebra"})], [], "lib", 4)
    assert reader.search("zebra") == [DOCS[7].id]
    assert reader.searcher_generation == 4
    writer.rebuild([IndexDoc(**{**DOCS[8].__dict__, "title": "zebra"})], 1, "lib", 5)
    assert reader.search("zebra") == [DOCS[8].id]
    assert reader.doc_ids() == {DOCS[8].id} and reader.searcher_generation == 5
    reader.close()
    writer.close()
    assert reader.search("zebra") == [DOCS[8].id]  # a closed index reopens on demand
    reader.close()


# -- rebuilds ------------------------------------------------------------------------------

def test_a_rebuild_reports_progress_every_500_papers_and_at_the_end(tmp_path):
    docs = [IndexDoc(id=i + 1, title=f"paper w{i % 50}", abstract="", authors="", notes="",
                     year=None, arxiv_id="", doi="") for i in range(1234)]
    seen: list[tuple[int, int]] = []
    handed = 0

    def counted():
        nonlocal handed
        for doc in docs:
            handed += 1
            yield doc

    ix = SearchIndex(tmp_path / "index")
    ix.rebuild(counted(), 1234, "lib", 1, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(500, 1234), (1000, 1234), (1234, 1234)]
    ix.close()
    seen.clear()
    handed = 0
    ix.rebuild(counted(), 1234, "lib", 2,
               progress=lambda done, total: seen.append((done, handed)))
    assert seen[:2] == [(500, 500), (1000, 1000)]  # said when that many were handed out
    assert ix.doc_count() == 1234
    ix.close()


def test_a_rebuild_replaces_the_old_index_and_leaves_no_other_folder(built):
    old = built.with_name(built.name + ".old")
    old.mkdir()
    (old / "leftover").write_text("x")
    ix = SearchIndex(built)
    ix.rebuild(DOCS[20:23], 3, "lib", 9)
    assert ix.doc_ids() == {d.id for d in DOCS[20:23]}
    assert ix.usable_for("lib", 9)
    assert sorted(p.name for p in built.parent.iterdir() if p.is_dir()) == [built.name]
    ix.close()


def test_a_rebuild_replaces_a_dangling_link_and_a_file(tmp_path):
    for make in (lambda p: p.symlink_to(tmp_path / "gone"), lambda p: p.write_text("x")):
        folder = tmp_path / "index"
        _remove(folder)
        make(folder)
        ix = SearchIndex(folder)
        ix.rebuild(DOCS[:2], 2, "lib", 1)
        assert folder.is_dir() and not folder.is_symlink()
        assert ix.doc_ids() == {DOCS[0].id, DOCS[1].id}
        ix.close()


def test_a_failing_rebuild_keeps_the_old_index_and_no_half_new_one(built):
    def docs():
        yield from DOCS[10:14]
        raise OSError("disk full")

    ix = SearchIndex(built)
    with pytest.raises(OSError, match="disk full"):
        ix.rebuild(docs(), 4, "lib", 5)
    assert not built.with_name(built.name + ".new").exists()
    assert ix.doc_ids() == {d.id for d in DOCS[:6]} and ix.generation() == 3
    ix.close()


def test_a_second_builder_is_refused_or_waits_its_turn(built, caplog):
    builder = _lock_file(built.with_name(built.name + REBUILD_LOCK_SUFFIX))
    assert builder.acquire(blocking=False)
    ix = SearchIndex(built)
    try:
        with pytest.raises(LibraryLocked):
            ix.rebuild(DOCS[10:12], 2, "lib", 5)
        assert ix.doc_ids() == {d.id for d in DOCS[:6]}
        threading.Timer(0.3, builder.release).start()
        started = time.monotonic()
        with caplog.at_level("WARNING", logger="paperdeck.core.search"):
            ix.rebuild(DOCS[10:12], 2, "lib", 5, wait=True)
        assert time.monotonic() - started >= 0.25
        assert [r for r in caplog.records if "waiting for it" in r.getMessage()]  # said why
        assert ix.doc_ids() == {DOCS[10].id, DOCS[11].id}
    finally:
        if builder.fd is not None:
            builder.release()
    # the build lock is free again: another builder may take it
    again = _lock_file(built.with_name(built.name + REBUILD_LOCK_SUFFIX))
    assert again.acquire(blocking=False)
    again.release()
    ix.close()


def test_a_rebuild_never_swaps_away_an_index_a_writer_holds(built):
    writer = _lock_file(built / WRITE_LOCK)
    assert writer.acquire(blocking=False)
    ix = SearchIndex(built)
    try:
        with pytest.raises(LibraryLocked):
            ix.rebuild(DOCS[10:12], 2, "lib", 5)
    finally:
        writer.release()
    assert not built.with_name(built.name + ".new").exists()
    assert ix.doc_ids() == {d.id for d in DOCS[:6]} and ix.generation() == 3
    ix.rebuild(DOCS[10:12], 2, "lib", 5)  # the lock was released after the refusal
    assert ix.doc_ids() == {DOCS[10].id, DOCS[11].id}
    ix.close()


# -- locks and files -----------------------------------------------------------------------

def test_the_update_lock_waits_its_timeout_then_gives_up(built):
    ix = SearchIndex(built)
    other = _lock_file(built.with_name(built.name + UPDATE_LOCK_SUFFIX))
    assert other.acquire(blocking=False)
    started = time.monotonic()
    with pytest.raises(windex.LockError), ix.update_lock(timeout=0.3):
        pass
    assert time.monotonic() - started >= 0.3
    other.release()
    with ix.update_lock(timeout=0.3):
        probe = _lock_file(built.with_name(built.name + UPDATE_LOCK_SUFFIX))
        assert not probe.acquire(blocking=False)  # held inside
    assert probe.acquire(blocking=False)  # and released after
    probe.release()


def test_lock_files_are_private(tmp_path):
    old = os.umask(0)
    try:
        _lock_file(tmp_path / "new.lock")
        loose = tmp_path / "loose.lock"
        loose.write_text("")
        loose.chmod(0o644)
        _lock_file(loose)
        odd = tmp_path / "odd.lock"
        odd.write_text("")
        odd.chmod(0o444)  # group and other bits, and no owner write
        _lock_file(odd)
        exact = tmp_path / "exact.lock"
        exact.write_text("")
        exact.chmod(0o400)
        _lock_file(exact)  # no group or other bits to take: left as it is
    finally:
        os.umask(old)
    assert (tmp_path / "new.lock").stat().st_mode & 0o777 == 0o600
    assert loose.stat().st_mode & 0o777 == 0o600
    assert odd.stat().st_mode & 0o777 == 0o600
    assert exact.stat().st_mode & 0o777 == 0o400


def test_remove_deletes_a_folder_a_file_or_a_link_but_not_its_target(tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    (target / "keep").write_text("x")
    link = tmp_path / "link"
    link.symlink_to(target)
    _remove(link)
    assert not link.is_symlink() and (target / "keep").exists()
    afile = tmp_path / "file"
    afile.write_text("x")
    _remove(afile)
    assert not afile.exists()
    _remove(target)
    assert not target.exists()
    _remove(tmp_path / "missing")  # nothing there: no error


# -- failures while writing ----------------------------------------------------------------

@contextlib.contextmanager
def _file_size_limit(limit: int):
    """Writes past `limit` bytes fail with EFBIG (RLIMIT_FSIZE, no privileges needed): a
    full disk for this process only, while the block runs."""
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


def test_a_commit_that_fails_leaves_no_half_written_segment(built):
    ix = SearchIndex(built)
    before = sorted(os.listdir(built))
    first = ix.search("robot")
    big = IndexDoc(**{**DOCS[9].__dict__, "abstract": " ".join(f"w{i}x" for i in range(3000))})
    with _file_size_limit(8192), pytest.raises(OSError):
        ix.apply([big], [], "lib", 4)
    assert sorted(os.listdir(built)) == before  # the space comes back
    assert ix.generation() == 3 and ix.search("robot") == first
    assert SearchIndex(built).usable_for("lib", 3)
    ix.apply([big], [], "lib", 4)  # and the next write works
    assert ix.search("w2999x") == [big.id]
    ix.close()


def test_a_document_that_cannot_be_indexed_writes_nothing(built):
    ix = SearchIndex(built)
    before = sorted(os.listdir(built))
    bad = IndexDoc(**{**DOCS[9].__dict__, "year": "not a year"})  # type: ignore[arg-type]
    with pytest.raises((ValueError, TypeError)):
        ix.apply([DOCS[8], bad], [], "lib", 4)
    assert sorted(os.listdir(built)) == before
    assert ix.generation() == 3 and DOCS[8].id not in ix.doc_ids()
    ix.apply([DOCS[8]], [], "lib", 4)  # Whoosh's write lock was given back
    assert DOCS[8].id in ix.doc_ids()
    ix.close()


def test_segment_files_damaged_at_their_size_are_not_trusted(built):
    """Sizes match the state, so only opening the segment can tell."""
    for path in built.iterdir():
        if path.suffix not in (".toc", ".json", ".tmp") and not path.name.endswith("LOCK"):
            path.write_bytes(b"\0" * path.stat().st_size)
    ix = SearchIndex(built)
    assert not ix.usable_for("lib", 3)
    with pytest.raises(windex.IndexError):
        ix.search("robot")


# -- tags and status, answered by SQLite inside a search -----------------------------------

def _bibtex(docs: list[IndexDoc]) -> str:
    return "\n".join(
        f"@article{{k{d.id}, title={{{d.title}}}, abstract={{{d.abstract}}}, "
        f"author={{{' and '.join(d.authors.split('; '))}}}, year={{{d.year or 2020}}}}}"
        for d in docs)


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tagged") / "library"
    lib = Library.open(folder, backup=False)
    lib.import_text(_bibtex(DOCS[:16]))
    ids = lib.ids(view="all")
    assert len(ids) >= 12  # same-titled papers are one (dedupe)
    lib.add_tags(ids[:8], ["Robotics"])
    lib.add_tags(ids[5:12], ["to-read-later"])
    lib.set_status(ids[3:10], "reading")
    lib.trash(ids[6:7])
    ref = Reference.build(papers_of(lib), folder.parent / "reference")
    yield lib, ref
    ref.close()
    lib.close()


@pytest.mark.parametrize("text", ["tag:robotics", "status:reading", "tag:ROBOTICS graph",
                                  "graph -tag:robotics", "tag:to-read-later OR status:reading",
                                  "status:reading learning", "tag:nothing robot"])
def test_tag_and_status_terms_inside_a_search_are_the_references(tagged, text):
    lib, ref = tagged
    found = set(lib.index.index.search(text))
    assert found == ref.ids(text)
    assert found or text == "tag:nothing robot"


def test_segments_are_plain_files_not_one_compound_file(built):
    """Whoosh reads a compound segment's postings into memory when it opens it (~390 MB at
    100,000 papers); plain files are read through mmap. Rebuilds and updates alike."""
    ix = SearchIndex(built)
    ix.apply([DOCS[9]], [], "lib", 4)
    names = os.listdir(built)
    assert not [n for n in names if n.endswith(".seg")]
    assert len([n for n in names if n.endswith(".trm")]) == len([n for n in names if n.endswith(".pst")]) >= 1
    ix.close()


def test_taking_a_lock_file_keeps_no_descriptor_open(tmp_path):
    """Every write takes lock files: a descriptor kept each time would run a long session
    out of them."""
    before = len(os.listdir("/proc/self/fd"))
    for k in range(20):
        _lock_file(tmp_path / f"l{k % 3}.lock")
    assert len(os.listdir("/proc/self/fd")) == before


# -- a read-only disk ----------------------------------------------------------------------

@contextlib.contextmanager
def _read_only_disk(where: Path, fill):
    """A tmpfs at `where`, filled by `fill(where)`, then remounted read-only: root cannot
    write there whatever the modes (CI runs as root; elsewhere this is skipped, saying why)."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; a read-only disk cannot be simulated")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        fill(where)
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True, capture_output=True)
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_an_index_on_a_read_only_disk_is_searched_and_left_alone(built, tmp_path):
    writable = SearchIndex(built)
    expected = writable.search("robot OR graph")
    writable.close()
    assert expected

    def fill(disk: Path) -> None:
        shutil.copytree(built, disk / "index")
        shutil.copytree(built, disk / "other.new")  # a finished build beside no `other`
        (disk / "index.old").mkdir()
        (disk / "index.old" / "leftover").write_text("x")

    with _read_only_disk(tmp_path / "disk", fill) as disk:
        ix = SearchIndex(disk / "index")
        assert ix.usable_for("lib", 3)
        assert ix.search("robot OR graph") == expected  # as on a writable disk
        ix.close()
        other = SearchIndex(disk / "other")
        assert not other.usable_for("lib", 3)  # cannot be moved into place: no error either
        assert (disk / "other.new" / STATE_FILE).is_file()
        _remove(disk / "index.old")  # cannot be deleted: no error, nothing lost
        assert (disk / "index.old" / "leftover").is_file()


def test_a_damaged_toc_is_not_trusted(built):
    toc = next(built.glob("*.toc"))
    toc.write_bytes(toc.read_bytes()[: toc.stat().st_size // 2])
    ix = SearchIndex(built)
    assert not ix.usable_for("lib", 3)
    with pytest.raises(windex.IndexError):
        ix._write_state("lib", 3)  # nor can a state be recorded for it


@pytest.mark.parametrize("text", ["the robot", "a graph of the neural", "robot and the vision"])
def test_stop_words_typed_unquoted_require_nothing(world, text):
    """`the`, `a`, `of` are in no text field's index (the analyzers drop them): typed
    unquoted they are ignored rather than asked for in every field (names keep them)."""
    ix, ref, _live = world
    found = set(ix.search(text))
    assert found == ref.ids(text)
    assert found == set(ix.search(" ".join(w for w in text.split() if w not in ("the", "a", "of"))))
    assert found


def test_an_index_opened_as_found_ranks_on_the_fast_path(built):
    """Not rebuilt in this process: the array ranker answers from the first search."""
    ix = SearchIndex(built)
    assert ix.usable_for("lib", 3)
    assert ix.search("robot OR graph")
    assert ix.scored("language")
    assert ix.fast_path_failures == 0
    ix.close()


def test_an_index_in_place_never_waits_on_another_update(built, caplog):
    """A finished build beside an index that is in place is no interrupted swap: opening
    takes no lock, so it neither waits for another process's update nor warns."""
    fresh = built.with_name(built.name + ".new")
    shutil.copytree(built, fresh)
    other = _lock_file(built.with_name(built.name + UPDATE_LOCK_SUFFIX))
    assert other.acquire(blocking=False)
    try:
        started = time.monotonic()
        with caplog.at_level("INFO", logger="paperdeck.core.search"):
            ix = SearchIndex(built)
            assert ix.usable_for("lib", 3)
        assert time.monotonic() - started < 1.0  # the update lock's wait would be 1 s
    finally:
        other.release()
    assert not [r for r in caplog.records if "swap" in r.getMessage()]
    assert fresh.is_dir()
    ix.close()


def test_a_swap_another_process_finished_while_we_waited_is_left_alone(built, caplog):
    """Between seeing no index folder and holding the update lock, another process may have
    put an index in place: the check is made again under the lock, and nothing is moved."""
    fresh = built.with_name(built.name + ".new")
    os.replace(built, fresh)
    other = _lock_file(built.with_name(built.name + UPDATE_LOCK_SUFFIX))
    assert other.acquire(blocking=False)

    def finish_elsewhere() -> None:
        shutil.copytree(fresh, built)  # the other process's index, in place
        other.release()

    threading.Timer(0.3, finish_elsewhere).start()
    with caplog.at_level("INFO", logger="paperdeck.core.search"):
        ix = SearchIndex(built)
        assert ix.usable_for("lib", 3)
    assert not [r for r in caplog.records if "swap" in r.getMessage()]
    assert fresh.is_dir() and built.is_dir()
    ix.close()


def test_an_interrupted_swap_waits_a_second_for_an_update_then_says_so(built, caplog):
    fresh = built.with_name(built.name + ".new")
    os.replace(built, fresh)
    other = _lock_file(built.with_name(built.name + UPDATE_LOCK_SUFFIX))
    assert other.acquire(blocking=False)
    try:
        with caplog.at_level("INFO", logger="paperdeck.core.search"):
            assert not SearchIndex(built).usable_for("lib", 3)
    finally:
        other.release()
    assert [r for r in caplog.records if r.levelname == "WARNING"
            and "could not finish an interrupted index swap" in r.getMessage()]
    assert fresh.is_dir() and not built.exists()
    caplog.clear()
    with caplog.at_level("INFO", logger="paperdeck.core.search"):
        ix = SearchIndex(built)
        assert ix.usable_for("lib", 3)  # the next open finishes it, and says so
    assert [r for r in caplog.records if "finished an interrupted swap" in r.getMessage()]
    builder = _lock_file(built.with_name(built.name + REBUILD_LOCK_SUFFIX))
    assert builder.acquire(blocking=False)  # the build lock it took is given back
    builder.release()
    ix.close()


def test_an_index_held_in_memory_ranks_the_slow_way_too(monkeypatch):
    """The trash's index (trash_search.MemoryIndex) never opens a folder: Whoosh's own
    ranking still finds its papers' ids when the array ranker fails."""
    from paperdeck.core.trash_search import MemoryIndex

    ix = MemoryIndex(DOCS[:10])
    fast = ix.search("robot OR graph")
    assert fast

    def broken(*_args, **_kwargs):
        raise RuntimeError("simulated ranking bug")

    monkeypatch.setattr(ix._dense, "search", broken)
    assert ix.search("robot OR graph") == fast
    assert ix.fast_path_failures == 1


def test_a_words_file_damaged_inside_is_noticed_at_open(built, caplog):
    """Its header and trailer intact and its size unchanged, a segment's words file opens;
    only reading the words shows the damage, and open reads some of them for that."""
    trm = next(built.glob("*.trm"))
    data = trm.read_bytes()
    keep = len(data) // 2
    trm.write_bytes(data[:8] + b"\xff" * (len(data) - 8 - keep) + data[-keep:])
    with caplog.at_level("WARNING", logger="paperdeck.core.search"):
        assert not SearchIndex(built).usable_for("lib", 3)
    assert [r for r in caplog.records if "is unusable" in r.getMessage()]


def test_an_index_and_its_lock_files_are_private_under_a_loose_umask(tmp_path):
    """Papers' text is private: the folder 0700 and every lock file 0600, whatever the
    umask (Whoosh would create its write lock 0644 under 022)."""
    old = os.umask(0o022)
    try:
        stale = tmp_path / "index.new"  # a killed builder's
        stale.mkdir()
        (stale / "junk").write_text("x")
        ix = _build(tmp_path / "index", DOCS[:4])
        assert not stale.exists() and not (tmp_path / "index" / "junk").exists()
        assert (tmp_path / "index" / WRITE_LOCK).stat().st_mode & 0o777 == 0o600
        (tmp_path / "index" / WRITE_LOCK).unlink()  # an index some other way made
        ix.apply([DOCS[5]], [], "lib", 2)
        ix.close()
    finally:
        os.umask(old)
    index = tmp_path / "index"
    assert index.stat().st_mode & 0o777 == 0o700
    for lock in (index / WRITE_LOCK, tmp_path / ("index" + UPDATE_LOCK_SUFFIX),
                 tmp_path / ("index" + REBUILD_LOCK_SUFFIX)):
        assert lock.stat().st_mode & 0o777 == 0o600, lock


def test_a_write_given_empty_iterators_writes_no_segment(built):
    ix = SearchIndex(built)
    before = ix.state()
    ix.apply(iter([]), iter([]), "lib", 5)
    assert ix.state()["generation"] == 5
    assert (ix.state()["toc"], ix.state()["files"]) == (before["toc"], before["files"])
    ix.apply((d for d in DOCS[7:9]), iter([DOCS[0].id]), "lib", 6)
    assert ix.doc_ids() == {d.id for d in [*DOCS[1:6], *DOCS[7:9]]}
    ix.close()


def test_cleaning_after_a_failed_write_spares_another_writers_segment(built):
    """The half-written files of a failed write are deleted only under Whoosh's write lock:
    while another writer holds it, a segment file no TOC names may be that writer's."""
    ix = SearchIndex(built)
    ix.search("robot")  # open
    theirs = built / "MAIN_abcdefghijklmnop.pst"
    theirs.write_bytes(b"in progress")
    writer = _lock_file(built / WRITE_LOCK)
    assert writer.acquire(blocking=False)
    try:
        ix._drop_unused_files()
        assert theirs.exists()
    finally:
        writer.release()
    ix._drop_unused_files()  # no writer now: a file no TOC names is a leftover
    assert not theirs.exists()
    assert ix.usable_for("lib", 3)
    ix.close()


# -- what a searcher holds, and when it lets go ----------------------------------------------

def _descriptors_into(folder: Path) -> list[str]:
    """Open file descriptors of this process on files in `folder` (Linux's /proc)."""
    held = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/self/fd/{fd}")
            if target.startswith(str(folder.resolve()) + os.sep):
                held.append(target)
    return held


def test_closing_an_index_lets_go_of_every_file_in_it(built):
    """After `close` nothing of the index is held open, so its folder can be moved, deleted
    or unmounted (a restore, a library on a removable disk); a search opens it again."""
    ix = SearchIndex(built)
    robots = {d.id for d in DOCS[:6] if "robot" in f"{d.title} {d.abstract}".lower()}
    assert robots and set(ix.search("robot")) == robots
    assert _descriptors_into(built), "a search holds the segment files open"
    ix.close()
    assert _descriptors_into(built) == []
    ix.close()  # twice is harmless
    assert set(ix.search("robot")) == robots
    ix.close()
    assert _descriptors_into(built) == []


def test_the_searchers_generation_is_that_of_the_last_search_not_the_last_write(built):
    """`searcher_generation` says which generation the last search's hits reflect: a write
    records a newer one in the state file, but the searcher that answered before it is gone,
    so until the next search there is none (-1); the next search's searcher holds the write."""
    ix = SearchIndex(built)
    ix.search("robot")
    assert ix.searcher_generation == ix.generation() == 3
    ix.apply([DOCS[7]], [], "lib", 4)
    assert (ix.generation(), ix.searcher_generation) == (4, -1)
    ix.search("robot")
    assert ix.searcher_generation == 4
    ix.close()
    assert ix.searcher_generation == -1
    ix.close()
