"""Files kept up to date (`autoexport`): rewritten after the changes that touch their
papers (CLI and library edits, undo), atomically, with stable keys, never breaking an edit."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest

from paperdeck.cli.main import main
from paperdeck.core.errors import InputError
from paperdeck.core.library import Library

REFERENCE = Path(__file__).resolve().parent / "samples" / "citations" / "tricky.bib"


def keys(path: Path) -> list[str]:
    return [e.key for e in bibtexparser.parse_string(path.read_text("utf-8")).entries]


@pytest.fixture
def lib(tmp_path: Path):
    with Library(tmp_path / "lib") as library:
        library.import_text(REFERENCE.read_text(encoding="utf-8"))
        yield library


def test_a_tag_link_follows_tagging_edits_and_undo(lib: Library, tmp_path: Path) -> None:
    target = tmp_path / "robots.bib"
    assert lib.autoexports.add(target, tag="robots") == 0
    assert target.read_text("utf-8") == ""
    ids = lib.ids()
    lib.add_tags(ids[:2], ["robots"])
    first = sorted(lib.papers(ids[:2]), key=lambda p: p.citekey.lower())
    assert keys(target) == [p.citekey for p in first]  # sorted by key: small diffs
    lib.undo()
    assert keys(target) == []
    lib.redo()
    assert len(keys(target)) == 2


def test_only_changes_touching_the_papers_rewrite_the_file(lib: Library, tmp_path: Path) -> None:
    target = tmp_path / "robots.bib"
    ids = lib.ids()
    lib.add_tags(ids[:1], ["robots"])
    lib.autoexports.add(target, tag="robots")
    inode = target.stat().st_ino
    lib.add_tags(ids[3:4], ["other"])  # neither in the file nor entering it
    assert target.stat().st_ino == inode
    lib.update(ids[0], title="A Better Title")  # an edit of a paper in the file
    assert target.stat().st_ino != inode  # replaced (atomically), not rewritten in place
    (entry,) = bibtexparser.parse_string(target.read_text("utf-8")).entries
    assert entry["title"] == "A Better Title"
    assert entry.key == lib.papers(ids[:1])[0].citekey  # the key stays what it was


def test_everything_link_follows_imports_and_trash_in_any_format(lib: Library, tmp_path: Path) -> None:
    target = tmp_path / "all.json"
    assert lib.autoexports.add(target, fmt="csl-json") == 5
    lib.import_text("@misc{extra2024,\n  author = {Doe, Jane},\n  title = {Extra},\n  year = {2024},\n}\n")
    assert "extra2024" in [item["id"] for item in json.loads(target.read_text("utf-8"))]
    lib.trash(lib.ids()[:1])
    assert len(json.loads(target.read_text("utf-8"))) == 5


def test_a_file_that_cannot_be_written_never_breaks_the_edit(lib: Library, tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    lib.autoexports.add(target)
    target.unlink()
    target.mkdir()  # a real fault: os.replace onto a folder fails
    lib.add_tags(lib.ids()[:1], ["x"])
    assert "x" in lib.papers(lib.ids()[:1])[0].tags  # the edit is saved
    assert any(str(target) in note for note in lib.notes)
    assert not list(tmp_path.glob(".refs.bib.paperdeck-part"))  # no half-written file left
    target.rmdir()
    lib.add_tags(lib.ids()[:1], ["y"])  # the next change tries again
    assert len(keys(target)) == 5


def test_bad_links_are_refused_with_a_message(lib: Library, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="No folder"):
        lib.autoexports.add(tmp_path / "missing" / "x.bib")
    with pytest.raises(InputError, match="not both"):
        lib.autoexports.add(tmp_path / "x.bib", tag="a", query="b")
    with pytest.raises(InputError, match="Unknown export format"):
        lib.autoexports.add(tmp_path / "x.bib", fmt="docx")
    assert lib.autoexports.links() == []


def test_cli_add_list_remove(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    data = str(tmp_path / "lib")
    assert main(["--data-dir", data, "import", str(REFERENCE)]) == 0
    target = tmp_path / "refs.ris"
    assert main(["--data-dir", data, "autoexport", "add", str(target), "--format", "ris"]) == 0
    assert target.read_text("utf-8").count("TY  - ") == 5
    assert main(["--data-dir", data, "trash", "1"]) == 0  # a CLI edit rewrites it too
    assert target.read_text("utf-8").count("TY  - ") == 4
    capsys.readouterr()
    assert main(["--data-dir", data, "autoexport", "list"]) == 0
    assert capsys.readouterr().out == f"{target}  (ris, everything)\n"
    assert main(["--data-dir", data, "autoexport", "remove", str(target)]) == 0
    assert main(["--data-dir", data, "restore", "1"]) == 0
    assert target.read_text("utf-8").count("TY  - ") == 4  # no longer followed
    assert main(["--data-dir", data, "autoexport", "remove", str(target)]) == 1
    assert "is not kept up to date" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex", "csl-json", "ris"])
def test_the_cached_rendering_equals_a_fresh_export(lib: Library, fmt: str) -> None:
    papers = sorted(lib.papers(lib.ids()), key=lambda p: p.citekey.lower())
    links = lib.autoexports
    assert links.render(papers, fmt) == lib.export_papers(papers, fmt)
    lib.update(papers[0].id, title="Changed")
    papers = sorted(lib.papers(lib.ids()), key=lambda p: p.citekey.lower())
    assert links.render(papers, fmt) == lib.export_papers(papers, fmt)  # the change shows
