"""Files kept up to date (autoexport.py), case by case: the atomic write (unchanged text
left alone, modes kept or the user's usual one, a failure explained and cleaned up),
how a link describes itself, unlinking, a read-only library, and a failing file noted
once. The edit-following behaviour is test_autoexport.py's."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from paperdeck.core.autoexport import Link, write_atomically
from paperdeck.core.errors import InputError, LibraryReadOnly
from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from paperdeck.paths import shared_file_mode


def test_a_new_file_gets_the_users_usual_mode(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    assert write_atomically(target, "@misc{a,}\n") is True
    assert target.read_text("utf-8") == "@misc{a,}\n"
    assert target.stat().st_mode & 0o777 == shared_file_mode()
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left


def test_unchanged_text_is_not_written_again(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    write_atomically(target, "same\n")
    inode = target.stat().st_ino
    assert write_atomically(target, "same\n") is False
    assert target.stat().st_ino == inode
    assert write_atomically(target, "other\n") is True and target.stat().st_ino != inode


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_text("old\n", "utf-8")
    os.chmod(target, 0o600)
    assert write_atomically(target, "new\n") is True
    assert target.stat().st_mode & 0o777 == 0o600 and target.read_text("utf-8") == "new\n"


def test_a_file_that_is_not_text_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_bytes(b"\xff\xfe\x00binary")
    assert write_atomically(target, "text\n") is True
    assert target.read_text("utf-8") == "text\n"


def test_a_write_that_fails_is_explained_and_leaves_no_part_file(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.mkdir()  # os.replace cannot put a file over a folder
    with pytest.raises(InputError) as raised:
        write_atomically(target, "text\n")
    assert str(raised.value) == f"Cannot write {target}: Is a directory."  # the OS's words, no errno
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"] and target.is_dir()


def test_a_write_into_a_missing_folder_is_explained(tmp_path: Path) -> None:
    target = tmp_path / "gone" / "refs.bib"  # the linked folder was removed
    with pytest.raises(InputError, match="No such file or directory"):
        write_atomically(target, "text\n")
    assert not (tmp_path / "gone").exists()


@pytest.mark.parametrize("link, text", [
    (Link("/x/refs.bib", tag="robots"), "/x/refs.bib  (bibtex, tag robots)"),
    (Link("/x/refs.json", query="world models", format="csl-json"),
     "/x/refs.json  (csl-json, search 'world models')"),
    (Link("/x/all.ris", format="ris"), "/x/all.ris  (ris, everything)"),
])
def test_a_link_describes_itself(link: Link, text: str) -> None:
    assert link.describe() == text


@pytest.fixture
def lib(tmp_path: Path):
    library = Library.open(tmp_path / "lib", backup=False)
    library.add([Draft(title="Robot arms", year=2020), Draft(title="Zebra gaits", year=2021)],
                raw_text="x", fmt="t")
    yield library
    library.close()


def test_a_link_stores_its_tag_or_search_trimmed_and_unlinks(lib: Library, tmp_path: Path) -> None:
    target = tmp_path / "robots.json"
    assert lib.autoexports.add(target, query="  robot  ", fmt="csl-json") == 1
    assert lib.autoexports.links() == [Link(str(target.resolve()), "", "robot", "csl-json")]
    assert [item["title"] for item in json.loads(target.read_text("utf-8"))] == ["Robot arms"]
    assert lib.autoexports.remove(target) is True
    assert lib.autoexports.links() == [] and target.exists()  # the file stays
    assert lib.autoexports.remove(target) is False


def test_a_read_only_library_links_nothing(lib: Library, tmp_path: Path) -> None:
    folder = lib.store.path.parent
    lib.close()
    with Library.open(folder, read_only=True, backup=False) as ro:
        with pytest.raises(LibraryReadOnly) as raised:
            ro.autoexports.add(tmp_path / "refs.bib")
        assert str(raised.value) == "The library is open read-only."  # said before trying
        assert ro.autoexports.links() == []


def test_a_file_that_keeps_failing_is_noted_once(lib: Library, tmp_path: Path, caplog) -> None:
    target = tmp_path / "refs.bib"
    lib.autoexports.add(target)
    target.unlink()
    target.mkdir()
    ids = lib.ids()
    lib.add_tags(ids[:1], ["a"])
    lib.add_tags(ids[:1], ["b"])
    assert [n for n in lib.notes if str(target) in n] == [
        next(n for n in lib.notes if str(target) in n)]
    assert next(n for n in lib.notes if str(target) in n).startswith(f"Could not update {target}: ")
    logged = [r.getMessage() for r in caplog.records if r.name == "paperdeck.core.autoexport"]
    assert len(logged) == 2 and all(m.startswith(f"could not keep {target} up to date: ") for m in logged)


def test_a_link_names_its_file_absolutely(lib: Library, tmp_path: Path, monkeypatch) -> None:
    """A path typed relative to the shell's folder, or with ~, is stored absolute: the
    window that rewrites the file later runs from another folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    lib.autoexports.add(Path("refs.bib"))
    lib.autoexports.add(Path("~/mine.bib"))
    assert [link.path for link in lib.autoexports.links()] == [
        str((tmp_path / "home" / "mine.bib").resolve()), str((tmp_path / "refs.bib").resolve())]
    assert (tmp_path / "home" / "mine.bib").exists()


def test_an_edit_of_other_papers_leaves_the_file_alone(lib: Library, tmp_path: Path) -> None:
    """Only an edit touching the link's papers rewrites it: a note the user added to the
    file stays until then."""
    target = tmp_path / "robots.bib"
    robot, zebra = lib.ids("robot") + lib.ids("zebra")
    lib.add_tags([robot], ["robots"])
    lib.autoexports.add(target, tag="robots")
    target.write_text(target.read_text("utf-8") + "% read before Friday\n", "utf-8")
    lib.add_tags([zebra], ["animals"])
    assert target.read_text("utf-8").endswith("% read before Friday\n")
    lib.update(robot, title="Robot arms, revised")
    assert "Friday" not in target.read_text("utf-8") and "revised" in target.read_text("utf-8")
