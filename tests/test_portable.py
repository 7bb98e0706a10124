"""`dump` and `load`: everything out as JSON Lines, and back exactly."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from paperdeck.core.errors import InputError
from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from paperdeck.core.rows import PAPER_COLUMNS

BIBTEX = """@article{keepme2020,
  title = {Über {Graphs} and Robots},
  author = {Ørsted, Hans and Doe, Jane},
  year = {2020},
  doi = {10.1000/xyz}
}
"""


def _full_library(folder: Path, sample_text: str) -> Library:
    lib = Library.open(folder)
    ids = lib.import_text(sample_text, tags=["digest"], source="sample").ids
    lib.import_text(BIBTEX, source="clipboard")
    lib.add([Draft(title="Hand added", links=["https://x.org", "doi:10.1/2"])], raw_text="hand",
            fmt="manual")
    lib.add_tags(ids[:3], ["Robo Tics", "ｍｌ", "naïve"])
    lib.set_status(ids[:2], "reading")
    lib.set_status(ids[:1], "read")
    lib.update(ids[4], notes="Line one\nline two, with \"quotes\", \t tabs, \u2028 \x85 \x1c breaks")
    lib.set_priority(ids[5:7], 2)
    lib.move([ids[9], ids[8]], to="top")
    lib.move([ids[10]], to="after", anchor=ids[20])
    lib.trash(ids[30:33])
    return lib


def _dump(lib: Library) -> str:
    out = io.StringIO()
    lib.dump(out)
    return out.getvalue()


def _tables(folder: Path) -> dict[str, list]:
    conn = sqlite3.connect(folder / "library.db")
    try:
        return {
            "papers": conn.execute(
                f"SELECT {', '.join(PAPER_COLUMNS)} FROM papers ORDER BY id").fetchall(),
            "imports": conn.execute("SELECT * FROM imports ORDER BY id").fetchall(),
            "history": conn.execute(
                "SELECT paper_id, status, at FROM status_history ORDER BY paper_id, id").fetchall(),
            "tags": conn.execute("SELECT p.paper_id, t.name FROM paper_tags p "
                                 "JOIN tags t ON t.id = p.tag_id ORDER BY 1, 2").fetchall(),
        }
    finally:
        conn.close()


def test_round_trip_is_exact(tmp_path, sample_text):
    with _full_library(tmp_path / "a", sample_text) as lib:
        first = _dump(lib)
        queue, trash = lib.ids(view="queue"), lib.ids(view="trash")
        hits = lib.ids("robot")
    with Library.open(tmp_path / "b") as lib:
        assert lib.load(first.splitlines()) == 121
        assert _dump(lib) == first
        assert lib.ids(view="queue") == queue and lib.ids(view="trash") == trash
        assert lib.ids("robot") == hits
        assert lib.check() == []
    assert _tables(tmp_path / "a") == _tables(tmp_path / "b")


def test_dump_holds_every_field_and_the_raw_pastes(tmp_path, sample_text):
    with _full_library(tmp_path / "a", sample_text) as lib:
        recs = [json.loads(line) for line in _dump(lib).splitlines()]
    assert recs[0]["type"] == "header" and recs[0]["format"] == "paperdeck-jsonl"
    imports = [r for r in recs if r["type"] == "import"]
    assert [i["raw_text"] for i in imports] == [sample_text, BIBTEX, "hand"]
    papers = {r["id"]: r for r in recs if r["type"] == "paper"}
    for rec in papers.values():
        assert set(PAPER_COLUMNS) <= set(rec) and "tags" in rec and "status_history" in rec
    first = papers[1]
    assert first["status"] == "read" and [s for s, _ in first["status_history"]] == [
        "queued", "reading", "read"]
    assert sorted(first["tags"]) == sorted(["digest", "Robo Tics", "ｍｌ", "naïve"])
    assert papers[120]["citekey"] == "keepme2020" and papers[120]["authors"][0] == "Hans Ørsted"
    assert papers[31]["trashed_at"] and papers[6]["priority"] == 2
    assert papers[121]["links"] == ["https://x.org", "doi:10.1/2"]
    assert "line two" in papers[5]["notes"]


def test_load_refuses_a_library_that_is_not_empty(tmp_path, sample_text):
    with _full_library(tmp_path / "a", sample_text) as lib:
        text = _dump(lib)
    with Library.open(tmp_path / "b") as lib:
        lib.add([Draft(title="Already here")], raw_text="x", fmt="t")
        with pytest.raises(InputError, match="not empty"):
            lib.load(text.splitlines())
        assert len(lib.ids()) == 1


@pytest.mark.parametrize("damage", ["truncated", "garbage", "no header", "duplicate id"])
def test_a_bad_dump_loads_nothing(tmp_path, sample_text, damage):
    with _full_library(tmp_path / "a", sample_text) as lib:
        lines = _dump(lib).splitlines()
    if damage == "truncated":
        lines[-1] = lines[-1][: len(lines[-1]) // 2]
    elif damage == "garbage":
        lines.insert(50, "\x00\x01 not json")
    elif damage == "no header":
        lines = lines[1:]
    else:
        lines.append(lines[-1])
    with Library.open(tmp_path / "b") as lib:
        with pytest.raises(InputError):
            lib.load(lines)
        assert lib.ids(view="all") == [] and lib.imports() == []
        assert lib.check() == []


def test_cli_dump_and_load(tmp_path, sample_text):
    src = tmp_path / "src"
    with _full_library(src, sample_text):
        pass
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(src)}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "paperdeck", *args], capture_output=True,
                              env=env, timeout=120, text=True)

    out = tmp_path / "all.jsonl"
    assert run("dump", "-o", str(out)).returncode == 0
    assert run("dump").stdout == out.read_text("utf-8")
    loaded = run("--data-dir", str(tmp_path / "dst"), "load", str(out))
    assert loaded.returncode == 0 and "Loaded 121 papers" in loaded.stdout
    again = run("--data-dir", str(tmp_path / "dst"), "dump")
    assert again.stdout == out.read_text("utf-8")
    refused = run("load", str(out))
    assert refused.returncode == 1 and "not empty" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_readme_documents_the_new_commands():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    for usage in ("dump [-o FILE]", "load FILE", "backup [--list]", "restore-backup FILE"):
        assert f"paperdeck [--data-dir DIR] {usage}" in readme


def _edited(tmp_path, sample_text, edit) -> list[str]:
    """A real dump, then edited by hand (as a user or another tool would) with `edit(papers)`."""
    with _full_library(tmp_path / "a", sample_text) as lib:
        lines = _dump(lib).splitlines()
    recs = [json.loads(line) for line in lines]
    edit([r for r in recs if r["type"] == "paper"])
    return [json.dumps(r, ensure_ascii=False) for r in recs]


def test_load_repairs_what_an_import_would_and_says_so(tmp_path, sample_text):
    """Issue 13 item 12: a dump is checked like an import. An unsafe or repeated citation
    key gets a fresh one (every later export used to crash), a tag with commas becomes
    several tags, blanks are tidied; each repair is reported with its line."""
    def edit(papers):
        papers[0]["citekey"] = "bad key{}\\cite"
        papers[1]["citekey"] = papers[2]["citekey"].upper()
        papers[3]["tags"] = ["robots, manipulation", "  spaced   out ", ""]

    lines = _edited(tmp_path, sample_text, edit)
    notes: list[str] = []
    with Library.open(tmp_path / "b") as lib:
        n = lib.load(lines, notes=notes)
        papers = lib.papers(lib.ids(view="all"))
        exported = lib.bibtex(lib.ids(view="all"))
    assert n == sum('"type": "paper"' in line for line in lines)
    keys = [p.citekey for p in papers]
    assert len({k.lower() for k in keys}) == len(keys)
    assert "bad key" not in exported
    tags = {t for p in papers for t in p.tags} - {"digest", "Robo Tics", "ｍｌ", "naïve"}
    assert sorted(tags) == ["manipulation", "robots", "spaced out"]
    assert len(notes) == 3, notes
    assert all(note.startswith("Line ") for note in notes), notes
    assert any("bad key" in note and "citation key" in note for note in notes)


@pytest.mark.parametrize("damage, words", [
    ("long tag", "64"), ("status", "status"), ("history", "status"), ("authors", "authors"),
    ("year", "year"), ("priority", "priority"), ("title", "title"),
])
def test_load_refuses_what_it_cannot_repair_and_loads_nothing(tmp_path, sample_text, damage, words):
    """A 500-character tag, an unknown status, authors that are not names: refused with the
    line and the reason, and nothing is loaded (no half library)."""
    def edit(papers):
        p = papers[-1]
        if damage == "long tag":
            p["tags"] = ["x" * 500]
        elif damage == "status":
            p["status"] = "deleted"
        elif damage == "history":
            p["status_history"] = [["bogus", "2024-01-01T00:00:00"]]
        elif damage == "authors":
            p["authors"] = "Ann Author"
        elif damage == "year":
            p["year"] = "MMXX"
        elif damage == "priority":
            p["priority"] = 9
        else:
            p["title"] = {"text": "a title"}

    lines = _edited(tmp_path, sample_text, edit)
    with Library.open(tmp_path / "b") as lib:
        with pytest.raises(InputError, match=words) as err:
            lib.load(lines)
        assert str(err.value).startswith(f"Line {len(lines)}:"), str(err.value)
        assert lib.ids(view="all") == [] and lib.imports() == []
