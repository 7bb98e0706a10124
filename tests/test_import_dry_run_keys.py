"""`import --dry-run` tells which pasted citation keys would be renamed, and why: the
real import is the oracle (its report, after writing, must say the same)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from paperdeck.core.library import Library
from paperdeck.core.models import Draft


def _entry(key: str, title: str, year: int = 2020) -> str:
    return f"@article{{{key},\n  title = {{{title}}},\n  author = {{Lee, Ann}},\n  year = {{{year}}}\n}}\n"


PASTES = {
    "free keys": _entry("lee2020robots", "Robots in Gardens") + _entry("lee2021fish", "Fish in Ponds"),
    "unsafe key": _entry("lee#2020", "Unsafe Keys in Papers"),
    "taken by a paper": _entry("Taken2019", "A Different Paper About Taken Keys"),
    "taken in any case": _entry("TAKEN2019", "Another Different Paper About Keys"),
    "taken by a trashed paper": _entry("trashed2018", "Not the Trashed Paper at All"),
    "twice in the paste": _entry("dup2020", "First Paper With the Key")
    + _entry("dup2020", "Second Paper With the Key"),
    "already in the library under another key": _entry("Other2019", "Taken keys in a library")
    + _entry("fresh2024", "A Fresh Paper Beside It"),
    "twice, once unsafe": _entry("dup2020", "First Again Different") + _entry("a#b", "Second Unsafe One")
    + _entry("dup2020", "Third Paper Repeats"),
}


def _library(folder) -> Library:
    lib = Library.open(folder)
    lib.add([Draft(title="Taken keys in a library", citekey="taken2019"),
             Draft(title="Trashed paper", citekey="trashed2018")], raw_text="x", fmt="manual")
    lib.trash(lib.ids(view="all")[1:])
    return lib


@pytest.mark.parametrize("name", PASTES)
def test_dry_run_reports_the_keys_the_import_then_gives(tmp_path, name):
    with _library(tmp_path / "lib") as lib:
        planned = lib.import_text(PASTES[name], dry_run=True)
        before = lib.ids(view="all")
        done = lib.import_text(PASTES[name])
        assert len(lib.ids(view="all")) == len(before) + done.imported
    assert planned.rekeyed == done.rekeyed
    if name == "free keys":
        assert done.rekeyed == []
    else:
        assert done.rekeyed, "each of these pastes has a key that cannot be kept"


def test_the_reasons_name_the_holder(tmp_path):
    with _library(tmp_path / "lib") as lib:
        reasons = [why for paste in PASTES.values()
                   for _, _, why in lib.import_text(paste, dry_run=True).rekeyed]
    assert "paper 1 has it" in reasons
    assert "paper 2 in the trash has it (empty the trash, then rekey)" in reasons
    assert "it has characters LaTeX cannot cite" in reasons
    assert "another paper in this paste has it" in reasons
    assert "paper 1 is this paper (same title)" in reasons


def test_a_skipped_duplicate_names_the_key_the_library_holds_it_under(tmp_path):
    with _library(tmp_path / "lib") as lib:
        done = lib.import_text(PASTES["already in the library under another key"])
        again = lib.import_text(_entry("taken2019", "Taken keys in a library"))  # the same key
    assert (done.imported, done.duplicates) == (1, 1)
    assert done.rekeyed == [("Other2019", "taken2019", "paper 1 is this paper (same title)")]
    assert (again.duplicates, again.rekeyed) == (1, [])


def test_cli_dry_run_prints_would_be_stored(tmp_path):
    with _library(tmp_path / "lib"):
        pass
    paste = tmp_path / "refs.bib"
    paste.write_text(PASTES["taken by a paper"], encoding="utf-8")
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(tmp_path / "lib")}
    done = subprocess.run([sys.executable, "-m", "paperdeck", "import", "--dry-run", str(paste)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "key Taken2019 would be stored as lee2020different: paper 1 has it" in done.stdout
    with Library.open(tmp_path / "lib") as lib:
        assert lib.ids(view="all") == [1]  # the paper there before; nothing imported
