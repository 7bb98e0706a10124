"""The upkeep half of `Library` (core/upkeep.py) on real folders: exports by format, dumps
loaded into a fresh library, backups made and restored, checks, the rebuilt index, the
metadata client, and what a library opened read-only refuses."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest

from paperdeck.core import backup as backups
from paperdeck.core.edits import Change, Edit
from paperdeck.core.enrich import EnrichSettings
from paperdeck.core.errors import InputError, LibraryReadOnly, LibraryReplaced
from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from paperdeck.core.upkeep import READ_ONLY_NOTE

PAPERS = [
    Draft(title="Étude of attention", authors=["José Núñez"], year=2020, arxiv_id="2001.00001",
          primary_class="cs.CL"),
    Draft(title="Graph kernels", authors=["Ada Lovelace"], year=2019, venue="Journal of Graphs",
          entry_type="article"),
]


@pytest.fixture
def lib(data_dir):
    library = Library.open(data_dir, backup=False)
    yield library
    library.close()


@pytest.fixture
def filled(lib):
    lib.add(PAPERS, raw_text="pasted", fmt="test")
    return lib


# -- exports -----------------------------------------------------------------------------

def test_each_export_format_is_that_format(filled):
    ids = filled.ids(view="all")
    bib = filled.export(ids)  # BibTeX by default, ASCII
    assert bib.count("\n@") + bib.startswith("@") == 2 and "journal = {Journal of Graphs}" in bib
    assert "É" not in bib and "\\'" in bib
    assert "Étude" in filled.export(ids, utf8=True) and "José" in filled.export(ids, "bibtex", utf8=True)
    biblatex = filled.export(ids, "biblatex")
    assert "journaltitle = {Journal of Graphs}" in biblatex and "eprinttype = {arXiv}" in biblatex
    assert "Étude" in biblatex  # biblatex is UTF-8
    csl = json.loads(filled.export(ids, "csl-json"))
    assert sorted(item["title"] for item in csl) == ["Graph kernels", "Étude of attention"]
    ris = filled.export(ids, "ris")
    assert ris.count("TY  - ") == 2 and "TI  - Graph kernels" in ris
    with pytest.raises(InputError, match="^Unknown export format 'docx': use one of bibtex, "):
        filled.export(ids, "docx")


def test_bibtex_flavours(filled):
    ids = filled.ids(view="all")
    assert filled.bibtex(ids) == filled.export(ids) == filled.export_papers(filled.papers(ids))
    assert "Étude" not in filled.bibtex(ids) and "Étude" in filled.bibtex(ids, utf8=True)
    assert "journal = {" in filled.bibtex(ids, utf8=True)
    assert "journaltitle = {" in filled.bibtex(ids, biblatex=True)
    assert filled.bibtex(ids, biblatex=True) == filled.export(ids, "biblatex")


def test_linked_files_follow_edits(filled, tmp_path):
    target = tmp_path / "refs.bib"
    assert filled.autoexports is filled.autoexports  # one per library
    assert filled.autoexports.add(target, tag="keep") == 0
    filled.add_tags([1], ["keep"])
    text = target.read_text()
    assert text.count("@") == 1 and "tude of attention" in text and "Graph kernels" not in text


def test_a_read_only_library_keeps_no_linked_file_current(tmp_path):
    folder = tmp_path / "lib"
    target = tmp_path / "refs.bib"
    with Library.open(folder, backup=False) as lib:
        lib.add(PAPERS, raw_text="x", fmt="t")
        lib.autoexports.add(target)
    before = target.read_text()
    with Library.open(folder, read_only=True) as ro:
        heard: list[Change] = []
        ro.subscribe(heard.append)
        ro.apply(Edit(label="nothing"))  # an empty edit writes nothing, even here
        assert heard and target.read_text() == before


# -- dump and load -----------------------------------------------------------------------

def ghost(label: str) -> Edit:
    """An undoable edit of a paper that is not there (it writes nothing), so that a
    library without papers or imports (the only kind a dump loads into) has history."""
    return Edit(label=label, updates={999: ({"notes": ""}, {"notes": label})})


def test_a_dump_loads_into_an_empty_library_searchable_at_once(filled, tmp_path):
    out = io.StringIO()
    assert filled.dump(out) == 2
    with Library.open(tmp_path / "copy", backup=False) as copy:
        copy.apply(ghost("first"))
        copy.apply(ghost("second"))
        copy.undo()
        assert (copy.undo_label(), copy.redo_label()) == ("first", "second")
        notes: list[str] = []
        assert copy.load(out.getvalue().splitlines(), notes) == 2
        assert copy.undo_label() is None and copy.redo_label() is None
        assert copy.index.current() and copy.ids("kernels") == [2]
        assert [p.title for p in copy.papers(copy.ids(view="all"))] == [d.title for d in PAPERS]


def test_a_load_gives_the_library_a_new_identity(filled, tmp_path):
    out = io.StringIO()
    filled.dump(out)
    folder = tmp_path / "copy"
    with Library.open(folder, backup=False) as loader, Library.open(folder, backup=False) as window:
        before = loader.store.meta("library_id")
        loader.load(out.getvalue().splitlines())
        assert loader.store.meta("library_id") != before
        with pytest.raises(LibraryReplaced):  # ids this window knew may name other papers now
            window.add_tags([1], ["stale"])
        assert window.get(1).tags == []
        window.add_tags([1], ["fresh"])  # the window now knows the library as it is
        assert window.get(1).tags == ["fresh"]


def test_a_load_whose_index_cannot_be_built_still_loads(filled, tmp_path, caplog):
    out = io.StringIO()
    filled.dump(out)
    folder = tmp_path / "copy"
    with Library.open(folder, backup=False) as copy:
        (folder / "index.new").write_text("a file where the new index is built")
        with caplog.at_level(logging.WARNING, logger="paperdeck.core.upkeep"):
            assert copy.load(out.getvalue().splitlines()) == 2
        assert "the search index will be rebuilt at the next open" in caplog.text
        assert copy.counts()["all"] == 2 and copy.ids("kernels") == [2]


# -- backups -----------------------------------------------------------------------------

def test_the_automatic_backup_is_made_when_due_and_only_with_papers(lib):
    assert lib.backup_if_due() is None  # empty: nothing worth keeping
    lib.add(PAPERS, raw_text="x", fmt="t")
    made = lib.backup_if_due()
    assert made is not None and made.exists() and backups.list_backups(lib.folder) == [made]
    assert lib.backup_if_due() is None  # not due again today
    assert lib.notes == [] and lib.damage == ""


def test_a_failed_automatic_backup_is_a_note(filled, caplog):
    where = backups.backups_dir(filled.folder)
    where.write_text("a file where the backups folder goes")
    with caplog.at_level(logging.WARNING, logger="paperdeck.core.upkeep"):
        assert filled.backup_if_due() is None
    assert len(filled.notes) == 1 and filled.notes[0].startswith(
        "Today's automatic backup could not be made: ")
    assert "automatic backup failed" in caplog.text and filled.damage == ""


@pytest.fixture(scope="module")
def damaged(tmp_path_factory) -> Path:
    """A library of 400 papers with garbage over a leaf page deep in `papers` (damage a
    quick probe at open cannot see; an integrity check does), and one good backup."""
    from damage import checkpoint, scribble_leaf

    folder = tmp_path_factory.mktemp("damaged") / "lib"
    with Library.open(folder, backup=False) as lib:
        lib.add([Draft(title=f"Paper {i} " + "words " * 20) for i in range(400)],
                raw_text="x", fmt="t")
        lib.backup()
    checkpoint(folder / "library.db")
    scribble_leaf(folder / "library.db")
    return folder


def test_a_damaged_library_refuses_its_automatic_backup_and_says_why(damaged, caplog):
    for old in backups.list_backups(damaged):  # make today's backup due
        old.rename(old.with_name("library-20200101-000000-000000.db"))
    with Library.open(damaged, backup=False) as lib:
        with caplog.at_level(logging.INFO, logger="paperdeck.core.upkeep"):
            assert lib.backup_if_due() is None
        assert lib.damage and lib.notes == [lib.damage] and "damaged" in lib.damage
        assert "automatic backup refused" in caplog.text
    assert [p.name for p in backups.list_backups(damaged)] == ["library-20200101-000000-000000.db"]


def test_restore_replaces_the_library_and_can_itself_be_undone(filled):
    saved = filled.backup()
    filled.add([Draft(title="Made after the backup")], raw_text="x", fmt="t")
    heard: list[Change] = []
    filled.subscribe(heard.append)
    filled.damage = "left from before"
    filled.apply(Edit(label="tag", links_added=[(1, "x")]))
    filled.undo()
    assert filled.redo_label() == "tag"
    safety = filled.restore_backup(str(saved))
    assert filled.counts()["all"] == 2 and filled.ids("after") == []
    assert filled.undo_label() is None and filled.redo_label() is None and filled.damage == ""
    assert heard[-1] == Change("restore a backup", frozenset({1, 2}), inserted=True, tags=True,
                               order=True)
    assert filled.index.ready and filled.ids("kernels") == [2]
    filled.restore_backup(safety)
    assert filled.ids("after") == [3]


def test_restore_with_a_background_runner_rebuilds_the_index_there(filled):
    saved = filled.backup()
    jobs: list = []
    filled.background = jobs.append
    filled.restore_backup(saved)
    assert len(jobs) == 1 and not filled.index.ready
    assert filled.ids("kernels") == [2]  # from SQLite meanwhile
    jobs[0]()
    assert filled.index.ready and filled.index.current()


@pytest.mark.parametrize("reason, message", [
    ("", READ_ONLY_NOTE),
    ("The disk is read-only today.", "The disk is read-only today."),
])
def test_read_only_refuses_every_upkeep_write_plainly(tmp_path, reason, message):
    folder = tmp_path / "lib"
    with Library.open(folder, backup=False) as lib:
        lib.add(PAPERS, raw_text="x", fmt="t")
        saved = lib.backup()
    saved = saved.rename(saved.with_name("library-20200101-000000-000000.db"))  # today's is due
    with Library(folder, read_only=True, reason=reason) as ro:
        for write in (ro.backup, lambda: ro.restore_backup(saved), lambda: ro.load(["{}"])):
            with pytest.raises(LibraryReadOnly) as info:
                write()
            assert str(info.value) == message
        with pytest.raises(LibraryReadOnly, match="^The library is read-only here, so its search "
                                                  "index cannot be rebuilt"):
            ro.reindex()
        assert ro.backup_if_due() is None and len(backups.list_backups(folder)) == 1


# -- checks and the index ----------------------------------------------------------------

def test_check_catches_a_sound_index_up_only_when_asked(filled):
    filled.index.ready = False  # as after a writer killed before it indexed: saved, not indexed
    filled.update(1, notes="written but never indexed")
    behind = filled.check()
    assert behind and filled.check() == behind  # still behind: nothing caught up
    assert filled.check(catch_up=True) == []
    assert filled.ids("notes:indexed") == [1]


def test_check_reports_database_problems_and_stops_there(filled):
    """A broken reference in SQLite is reported alone: an index built from a damaged
    database says nothing useful (here it is also behind)."""
    filled.index.ready = False
    filled.update(1, notes="not indexed")
    assert [p.split(" (")[0] for p in filled.check()] == ["The search index is behind the database"]
    db = filled.store.db
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("INSERT INTO paper_tags (paper_id, tag_id) VALUES (1, 999)")
    [problem] = filled.check(catch_up=True)
    assert problem.startswith("broken reference in paper_tags row ")
    assert filled.index.index.generation() < filled.store.generation()  # not caught up


def test_a_read_only_check_does_not_catch_up(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder, backup=False) as lib:
        lib.add(PAPERS, raw_text="x", fmt="t")
        lib.index.ready = False  # the edit below is saved, not indexed
        lib.update(1, notes="never indexed")
    with Library.open(folder, read_only=True, sync_index=False, backup=False) as ro:
        assert ro.check(catch_up=True) != []
        assert ro.index.index.generation() < ro.store.generation()


def test_reindex_rebuilds_and_reports_progress(filled):
    ticks: list[tuple[int, int]] = []
    assert filled.reindex(lambda done, total: ticks.append((done, total)), procs=1) == 2
    assert ticks and ticks[-1] == (2, 2)
    assert filled.check() == [] and filled.ids("kernels") == [2]


# -- metadata completion plumbing (the network part: test_enrich_library.py) --------------

def test_the_metadata_client_is_made_once_with_a_cache_in_the_library(lib, monkeypatch):
    monkeypatch.delenv("PAPERDECK_METADATA_CACHE", raising=False)
    client = lib.metadata_client()
    assert lib.metadata_client() is client
    assert client.settings.cache_path == lib.folder / "metadata-cache.sqlite"
    chosen = lib.metadata_client(EnrichSettings(arxiv_api="http://127.0.0.1:9/api/query"))
    assert chosen is not client and lib.metadata_client() is chosen
    assert chosen.settings.cache_path == lib.folder / "metadata-cache.sqlite"
    assert chosen.settings.arxiv_api == "http://127.0.0.1:9/api/query"
    own = Path(lib.folder / "elsewhere.sqlite")
    assert lib.metadata_client(EnrichSettings(cache_path=own)).settings.cache_path == own


def test_regenerating_keys_with_nothing_to_change_records_nothing(filled):
    ids = filled.ids(view="all")
    filled.regenerate_citekeys(ids, dry_run=False)
    label = filled.undo_label()
    assert filled.regenerate_citekeys(ids, dry_run=False) == []
    assert filled.undo_label() == label
    filled.update(1, citekey="mine")
    [(pid, old, new)] = filled.regenerate_citekeys(ids)
    assert (pid, old) == (1, "mine") and filled.get(1).citekey == "mine"


def test_regenerating_nothing_tells_no_one(filled):
    ids = filled.ids(view="all")
    filled.regenerate_citekeys(ids, dry_run=False)
    heard: list[Change] = []
    filled.subscribe(heard.append)
    assert filled.regenerate_citekeys(ids, dry_run=False) == []
    assert heard == []


def test_accepting_a_newer_version_returns_the_change(filled):
    from paperdeck.core import importer

    item = importer.PreviewItem(Draft(arxiv_id="2001.00001v3"), importer.NEWER_VERSION, 1)
    change = filled.accept_newer_versions([item])
    assert change == Change("note newer arXiv version of 1 paper", frozenset({1}))
    assert filled.get(1).arxiv_version == 3


def test_unknown_papers_are_refused_before_any_lookup(filled):
    from paperdeck.core.errors import UnknownPaper

    with pytest.raises(UnknownPaper, match="999"):
        filled.complete_metadata([1, 999])
    with pytest.raises(UnknownPaper, match="999"):
        filled.regenerate_citekeys([999])
