"""arXiv versions: stored on import, a schema migration for old libraries, and the
"newer-version" verdict in the import preview."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from paperdeck.core import importer
from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from paperdeck.core.storage import MIGRATIONS, SCHEMA_VERSION


def test_a_version_one_library_is_upgraded_and_keeps_its_papers(data_dir):
    data_dir.mkdir(parents=True)
    db = sqlite_utils.Database(sqlite3.connect(data_dir / "library.db", isolation_level=None))
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO papers (id, title, arxiv_id, citekey, added_at, updated_at) "
               "VALUES (1, 'Old paper', '2401.01234', 'old2024', 'x', 'x')")
    db.close()
    with Library.open(data_dir) as lib:
        paper = lib.get(1)
        assert (paper.title, paper.arxiv_version) == ("Old paper", None)
        version = lib.store.db.execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION >= 2


def test_version_is_stored_on_import(lib):
    ids = lib.add([Draft(title="A", arxiv_id="2401.01234", arxiv_version=2),
                   Draft(title="B", arxiv_id="2401.05678v4"), Draft(title="C")],
                  raw_text="x", fmt="manual")
    assert [p.arxiv_version for p in lib.papers(ids)] == [2, 4, None]
    assert [p.arxiv_id for p in lib.papers(ids)][:2] == ["2401.01234", "2401.05678"]


def test_newer_version_is_marked_and_not_selected(lib):
    [pid] = lib.add([Draft(title="A paper", arxiv_id="2401.01234", arxiv_version=1)],
                    raw_text="x", fmt="manual")
    items = lib.preview([Draft(arxiv_id="2401.01234", arxiv_version=3),
                         Draft(arxiv_id="2401.01234v1"), Draft(arxiv_id="2401.01234")])
    assert [it.verdict for it in items][:1] == [importer.NEWER_VERSION]
    newer = items[0]
    assert newer.match_id == pid and newer.reason == "newer arXiv version (v3, you have v1)"
    assert not newer.selected_by_default
    assert [it.verdict for it in lib.preview([Draft(arxiv_id="2401.01234v1")])] == ["duplicate"]


def test_unknown_stored_version_is_a_plain_duplicate(lib):
    lib.add([Draft(title="A paper", arxiv_id="2401.01234")], raw_text="x", fmt="manual")
    assert lib.preview([Draft(arxiv_id="2401.01234v3")])[0].verdict == importer.DUPLICATE


def test_accepting_a_newer_version_updates_the_paper_not_a_copy(lib):
    [pid] = lib.add([Draft(title="A paper", arxiv_id="2401.01234", arxiv_version=1)],
                    raw_text="x", fmt="manual")
    items = lib.preview([Draft(arxiv_id="2401.01234v3")])
    change = lib.accept_newer_versions(items)
    assert change.paper_ids == {pid} and lib.get(pid).arxiv_version == 3
    assert lib.ids() == [pid]
    lib.undo()
    assert lib.get(pid).arxiv_version == 1


def test_import_text_skips_a_newer_version_with_its_reason(lib):
    lib.add([Draft(title="A paper", arxiv_id="2401.01234", arxiv_version=1)],
            raw_text="x", fmt="manual")
    report = lib.import_text("https://arxiv.org/abs/2401.01234v3\n", dry_run=True)
    assert report.imported == 0 and report.duplicates == 1


DIGESTS = Path(__file__).resolve().parent / "samples" / "digests"


def test_identifier_list_with_a_newer_version_is_marked(lib):
    lib.import_text("2401.01234v1\n")
    assert lib.papers(lib.ids())[0].arxiv_version == 1
    items = lib.preview(lib.parse("Read these:\n2401.01234v3\n2312.00752\n").drafts)
    assert [it.verdict for it in items] == ["newer-version", "new"]
    assert items[0].reason == "newer arXiv version (v3, you have v1)"
    report = lib.import_text("2401.01234v3\n")
    assert report.imported == 0 and "newer arXiv version" in report.skipped[0].reason


def test_parsers_keep_the_version_the_text_names():
    from paperdeck.core.digest import parse_digest

    def versions(text: str, fmt: str) -> dict[str, int | None]:
        return {d.arxiv_id: d.arxiv_version for d in parse_digest(text, fmt).drafts}

    ids = (DIGESTS / "identifiers-mixed.txt").read_text("utf-8")
    found = versions(ids, "identifiers")
    assert found["2312.00752"] == 2 and found["2305.18290"] == 3
    email = (DIGESTS / "arxiv-email-cs.txt").read_text("utf-8")
    found = versions(email.replace("arXiv:2401.08281\n", "arXiv:2401.08281v2\n"), "arxiv-email")
    assert found["2401.08281"] == 2 and set(found.values()) == {2, None}
    listing = (DIGESTS / "arxiv-list-new.txt").read_text("utf-8")
    found = versions(listing.replace("[1] arXiv:2401.08417 ", "[1] arXiv:2401.08417v3 "),
                     "arxiv-listing")
    assert found["2401.08417"] == 3 and found["2401.08565"] is None
    bib = ("@article{x, title = {A}, author = {Doe, Jane}, eprint = {2401.01234v2}}\n"
           "@misc{y, title = {B}, url = {https://arxiv.org/abs/2401.05678v4}}\n")
    assert versions(bib, "bibtex") == {"2401.01234": 2, "2401.05678": 4}
