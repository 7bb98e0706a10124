"""A long-lived library (the window) sees what other processes commit, at its next search.

The other process is a real `paperdeck` command run as a subprocess on the same folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from paperdeck.core.library import Library
from paperdeck.core.models import Draft

QUOKKA = "Quokka Navigation Benchmarks"


def cli(data_dir: Path, *args: str, stdin: str | None = None) -> str:
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(data_dir)}
    proc = subprocess.run([sys.executable, "-m", "paperdeck", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def window_lib(data_dir, sample_text):
    """A library opened once and kept open, as the window keeps it, with a searcher open."""
    lib = Library.open(data_dir)
    lib.import_text(sample_text)
    lib.index.ensure()
    assert lib.ids("robot")  # the searcher is open now
    yield lib
    lib.close()


def bibtex_entry(title: str) -> str:
    return (f"@article{{quokka2025,\n  title = {{{title}}},\n  author = {{Ada Quill}},\n"
            "  year = {2025},\n  abstract = {Marsupials crossing a wallaby maze.}\n}\n")


def test_trash_by_another_process_is_seen_at_the_next_search(window_lib, data_dir):
    victim = window_lib.ids("robot")[0]
    cli(data_dir, "trash", str(victim))
    assert victim not in window_lib.ids("robot")
    assert victim not in window_lib.ids("robot", view="queue")
    assert victim in window_lib.ids(view="trash")


def test_import_by_another_process_is_found_at_the_next_search(window_lib, data_dir):
    assert window_lib.ids("quokka") == []
    cli(data_dir, "import", "-", stdin=bibtex_entry(QUOKKA))
    found = window_lib.ids("quokka")
    assert len(found) == 1 and window_lib.get(found[0]).title == QUOKKA
    assert window_lib.ids("wallaby maze", view="queue") == found
    # and what the other process restores from the trash comes back too
    cli(data_dir, "trash", str(found[0]))
    assert window_lib.ids("quokka") == []
    cli(data_dir, "restore", str(found[0]))
    assert window_lib.ids("quokka") == found


def test_edit_committed_but_never_indexed_elsewhere_is_found(window_lib, data_dir):
    """Another process committed to SQLite and died before writing the index (simulated by
    a library with its index switched off): the window's next search catches up itself."""
    with Library.open(data_dir, sync_index=False, backup=False) as other:
        other.index.ready = False
        [pid] = other.add([Draft(title="Wombat burrow planning")], raw_text="w", fmt="t")
    assert window_lib.ids("wombat") == [pid]
    assert window_lib.check() == []


def test_rebuild_by_another_process_is_picked_up(window_lib, data_dir):
    before = window_lib.ids("skill")
    cli(data_dir, "import", "-", stdin=bibtex_entry(QUOKKA))
    cli(data_dir, "reindex")  # swaps a fresh index folder in under the window's searcher
    assert window_lib.ids("skill") == before
    assert len(window_lib.ids("quokka")) == 1
