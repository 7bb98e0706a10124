"""The `paperdeck` command line, run as a real process against a real library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ARXIV_IDS = "Papers to read:\nhttps://arxiv.org/abs/2401.01234v2\narXiv:2312.00001\n"


def run(data_dir: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "paperdeck", *args], input=stdin, capture_output=True,
        env=env, timeout=120,
    )


def ok(data_dir: Path, *args: str, stdin: bytes | None = None) -> str:
    proc = run(data_dir, *args, stdin=stdin)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode()


@pytest.fixture
def imported(data_dir: Path) -> Path:
    from conftest import SAMPLE

    ok(data_dir, "import", str(SAMPLE), "--tag", "digest")
    return data_dir


def test_version_does_not_import_qt(data_dir):
    out = ok(data_dir, "--version")
    assert out.startswith("paperdeck ")
    code = ("import sys; from paperdeck.cli.main import main\n"
            "try: main(['--version'])\nexcept SystemExit: pass\n"
            "assert not [m for m in sys.modules if m.startswith('PySide6')]")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_import_json_report_and_reimport(data_dir):
    from conftest import SAMPLE

    first = json.loads(ok(data_dir, "import", str(SAMPLE), "--json"))
    assert first["format"] and first["found"] == 119 and first["imported"] == 119
    assert first["duplicates"] == 0 and len(first["ids"]) == 119
    again = json.loads(ok(data_dir, "import", "--json", stdin=SAMPLE.read_bytes()))
    assert (again["imported"], again["duplicates"], again["ids"]) == (0, 119, [])


def test_import_dry_run_changes_nothing(data_dir):
    report = json.loads(ok(data_dir, "import", "-", "--dry-run", "--json",
                           stdin=ARXIV_IDS.encode()))
    assert report["found"] == 2 and report["imported"] == 2 and report["ids"] == []
    assert json.loads(ok(data_dir, "list", "--json")) == []


def test_list_json_fields_and_queue_order(imported, expected_titles):
    rows = json.loads(ok(imported, "list", "--json"))
    assert [r["title"] for r in rows] == expected_titles
    for key in ("id", "title", "abstract", "authors", "year", "arxiv_id", "doi", "url", "links",
                "tags", "status", "citekey", "added_at"):
        assert key in rows[0]
    assert rows[0]["tags"] == ["digest"]
    limited = json.loads(ok(imported, "list", "--json", "--limit", "5"))
    assert len(limited) == 5


def test_list_query_tag_and_status_filters(imported):
    hits = json.loads(ok(imported, "list", "--json", "--query", "robot*"))
    assert hits and all(
        "robot" in (h["title"] + h["abstract"]).lower() for h in hits)
    first = str(hits[0]["id"])
    ok(imported, "tag", first, "--add", "robotics", "--remove", "digest")
    ok(imported, "status", first, "reading")
    tagged = json.loads(ok(imported, "list", "--json", "--tag", "robotics"))
    assert [h["id"] for h in tagged] == [int(first)]
    assert tagged[0]["tags"] == ["robotics"]
    reading = json.loads(ok(imported, "list", "--json", "--status", "reading"))
    assert [h["id"] for h in reading] == [int(first)]
    by_query = json.loads(ok(imported, "list", "--json", "-q", "tag:robotics status:reading"))
    assert [h["id"] for h in by_query] == [int(first)]


def test_malformed_query_is_one_line_and_exit_2(imported):
    proc = run(imported, "list", "--query", "robots title:")
    assert proc.returncode == 2
    err = proc.stderr.decode().strip()
    assert "\n" not in err and "Fields you can search" in err and "Traceback" not in err
    assert "needs a value after the colon" in err


def test_export_writes_bibtex(imported, tmp_path):
    out = tmp_path / "refs.bib"
    ok(imported, "export", "-o", str(out))
    text = out.read_text("utf-8")
    assert text.count("\n@") + text.startswith("@") == 119
    assert text.isascii()
    some = ok(imported, "export", "--ids", "1,2", "--utf8")
    assert some.count("@") >= 2 and "Re-TASK" in some


def test_move_trash_restore(imported):
    ok(imported, "move", "5", "--to-top")
    assert json.loads(ok(imported, "list", "--json", "--limit", "1"))[0]["id"] == 5
    ok(imported, "move", "5", "--after", "7")
    ids = [r["id"] for r in json.loads(ok(imported, "list", "--json", "--limit", "8"))]
    assert ids.index(5) == ids.index(7) + 1
    ok(imported, "trash", "5")
    assert 5 not in [r["id"] for r in json.loads(ok(imported, "list", "--json"))]
    ok(imported, "restore", "5")
    assert 5 in [r["id"] for r in json.loads(ok(imported, "list", "--json"))]


@pytest.mark.parametrize("args, needle", [
    (("status", "999", "read"), "999"),
    (("tag", "999", "--add", "x"), "999"),
    (("export", "--ids", "1,x"), "numbers"),
    (("import", "/nonexistent/file.txt"), "Cannot read"),
])
def test_errors_are_one_clear_line(imported, args, needle):
    before = ok(imported, "list", "--json")
    proc = run(imported, *args)
    assert proc.returncode != 0
    err = proc.stderr.decode()
    assert needle in err and "Traceback" not in err
    assert ok(imported, "list", "--json") == before


def test_an_unknown_import_format_is_a_usage_error_naming_the_formats(imported):
    """`import --format nosuch` printed a traceback (parse_digest's ValueError)."""
    from paperdeck.core.digest import FORMATS

    before = ok(imported, "list", "--json")
    proc = run(imported, "import", "--format", "nosuch", "-", stdin=ARXIV_IDS.encode())
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "Traceback" not in err
    [said] = [line for line in err.splitlines() if "nosuch" in line]  # under argparse's usage
    assert said.startswith("paperdeck import: error: argument --format: invalid choice: 'nosuch'")
    assert all(f"'{name}'" in said for name in FORMATS)
    assert ok(imported, "list", "--json") == before
    usage = ok(imported, "import", "--help")
    assert all(name in usage.split("digest formats")[1] for name in FORMATS)
    done = json.loads(ok(imported, "import", "--format", "identifiers", "--json", "-",
                         stdin=ARXIV_IDS.encode()))
    assert (done["format"], done["found"]) == ("identifiers", 2)


def test_the_command_line_names_every_digest_format_in_order():
    """The CLI lists the formats without importing the parsers: the two lists are one."""
    from paperdeck.core.digest import FORMATS
    from paperdeck.core.models import DIGEST_FORMATS

    assert tuple(FORMATS) == DIGEST_FORMATS


PASTED_KEYS = """\
@article{Müller2020, title={Key with umlaut}, author={Müller, Hans}, journal={J}, year={2020}}
@article{dup, title={First duplicate key}, author={A, B}, journal={J}, year={2020}}
@article{dup, title={Second duplicate key}, author={C, D}, journal={J}, year={2021}}
@article{key%with#odd~chars, title={Odd key chars}, author={E, F}, journal={J}, year={2022}}
@article{Key With Space, title={Space key}, author={Roe, R}, journal={J}, year={2020}}
@article{a:b/c-d_e.f+g, title={Punctuated key}, author={Roe, R}, journal={J}, year={2020}}
"""


def test_import_names_every_pasted_key_it_did_not_keep(data_dir, tmp_path):
    """README: `import` names any pasted citation key it could not keep, and `--json` lists
    them as `rekeyed`. The JSON had no `rekeyed`, and keys holding "#" or spaces were not
    read as keys at all, so their renaming went unsaid."""
    bib = tmp_path / "keys.bib"
    bib.write_text(PASTED_KEYS, encoding="utf-8")
    report = json.loads(ok(data_dir, "import", str(bib), "--json"))
    keys = {p["title"]: p["citekey"] for p in json.loads(ok(data_dir, "list", "--json"))}
    assert keys["First duplicate key"] == "dup" and keys["Punctuated key"] == "a:b/c-d_e.f+g"
    unsafe, clash = "it has characters LaTeX cannot cite", "another paper in this paste has it"
    assert report["rekeyed"] == [
        {"pasted": "Müller2020", "key": keys["Key with umlaut"], "reason": unsafe},
        {"pasted": "dup", "key": keys["Second duplicate key"], "reason": clash},
        {"pasted": "key%with#odd~chars", "key": keys["Odd key chars"], "reason": unsafe},
        {"pasted": "Key With Space", "key": keys["Space key"], "reason": unsafe},
    ]
    assert keys["Space key"] == "roe2020space"
    # the same, said in words
    again = ok(tmp_path / "again", "import", str(bib))
    said = [line.strip() for line in again.splitlines() if line.startswith("  key ")]
    assert said == [
        "key Müller2020 is stored as muller2020key: " + unsafe,
        "key dup is stored as c2021second: " + clash,
        "key key%with#odd~chars is stored as e2022odd: " + unsafe,
        "key Key With Space is stored as roe2020space: " + unsafe,
    ]
    # a paste that keeps every key says so with an empty list
    kept = json.loads(ok(tmp_path / "kept", "import", "--json", "-",
                         stdin=b"@misc{kept2020, title={Kept Key Here}, year={2020}}\n"))
    assert kept["rekeyed"] == [] and kept["imported"] == 1


def test_binary_and_garbage_input_are_refused(data_dir, tmp_path):
    png = tmp_path / "pic.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    proc = run(data_dir, "import", str(png))
    assert proc.returncode == 1 and "binary" in proc.stderr.decode().lower()
    proc = run(data_dir, "import", "-", stdin=b"just some words about my day\n")
    assert proc.returncode == 1 and "no papers" in proc.stderr.decode().lower()


def test_locked_database_fails_clearly(imported):
    import sqlite3

    conn = sqlite3.connect(imported / "library.db", isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        proc = run(imported, "status", "1", "read")
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    assert proc.returncode == 1
    assert "busy" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()


def test_check_and_reindex_heal_a_deleted_index(imported):
    import shutil

    assert "healthy" in ok(imported, "check")
    shutil.rmtree(imported / "index")
    assert run(imported, "check").returncode == 1
    assert "Indexed 119" in ok(imported, "reindex")
    assert "healthy" in ok(imported, "check")


def test_move_to_top_says_when_higher_priorities_stay_ahead(data_dir, tmp_path):
    from paperdeck.core.library import Library
    from paperdeck.core.models import Draft

    with Library.open(data_dir, backup=False) as lib:
        ids = lib.add([Draft(title=f"P{i}") for i in range(4)], raw_text="x", fmt="t")
        lib.set_priority(ids[:1], 3)
    done = run(data_dir, "move", str(ids[3]), "--to-top")
    assert done.returncode == 0
    assert b"1 paper with a higher priority stays ahead" in done.stderr
    order = [p["id"] for p in json.loads(ok(data_dir, "list", "--json"))]
    assert order[:2] == [ids[0], ids[3]]
    done = run(data_dir, "move", str(ids[0]), "--to-top")
    assert done.returncode == 0 and done.stderr == b""


def test_move_up_and_down_a_step_past_the_queue_neighbour(data_dir):
    """`move --up/--down`: one place, past the neighbour among queued and reading papers of
    the same priority (archived papers between them do not count); at the edge it says so
    and changes nothing."""
    from paperdeck.core.library import Library
    from paperdeck.core.models import Draft

    with Library.open(data_dir, backup=False) as lib:
        a, b, c, d = lib.add([Draft(title=f"P{i}") for i in range(4)], raw_text="x", fmt="t")
        lib.set_status([c], "archived")
    def queue() -> list[int]:  # the archived paper keeps its place among all papers
        return [p["id"] for p in json.loads(ok(data_dir, "list", "--json")) if p["id"] != c]

    assert queue() == [a, b, d]
    ok(data_dir, "move", str(d), "--up")
    assert queue() == [a, d, b]
    ok(data_dir, "move", str(a), "--down")
    assert queue() == [d, a, b]
    done = run(data_dir, "move", str(d), "--up")
    assert done.returncode == 0 and b"paper %d is already at the top" % d in done.stderr
    assert queue() == [d, a, b]
    done = run(data_dir, "move", str(b), "--down")
    assert b"already at the bottom" in done.stderr and queue() == [d, a, b]
    done = run(data_dir, "move", "999", "--up")
    assert done.returncode != 0 and b"999" in done.stderr and queue() == [d, a, b]


def test_list_lines_show_each_paper_as_its_json_does(imported):
    """`list` prints a line a paper from a lighter read (Library.listing) than `--json`'s
    whole papers: the lines must say what the papers say, bidi controls dropped from the
    title, the arXiv id when a paper has no title, tags in the library's order."""
    from paperdeck.core.library import Library

    with Library.open(imported, backup=False) as lib:
        pid = lib.ids(view="all")[0]
        other = lib.ids(view="all")[1]
        lib.update(pid, title="Evil \u202eexe.pdf title")
        lib.update(other, title="", arxiv_id="2401.99999")
        lib.add_tags([pid, other], ["zeta", "alpha"])
    papers = json.loads(ok(imported, "list", "--json"))
    lines = ok(imported, "list").splitlines()
    assert len(lines) == len(papers) > 10
    for paper, line in zip(papers, lines, strict=True):
        name = paper["title"] or paper["arxiv_id"] or paper["doi"]
        tags = f"  [{', '.join(paper['tags'])}]" if paper["tags"] else ""
        assert line == f"{paper['id']:>6}  {paper['status']:<8}  {paper['citekey']:<24}  {name}{tags}"
    shown = {int(line.split()[0]): line for line in lines}
    assert "Evil exe.pdf title" in shown[pid] and "\u202e" not in shown[pid]
    assert "  2401.99999  [alpha, digest, zeta]" in shown[other]
