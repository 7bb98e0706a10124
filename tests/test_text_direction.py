"""Paper text shows in its own order (issue 13 item 16): a right-to-left override or other
bidi control in a title cannot reorder what cards and `list` show, while real right-to-left
text and the joiners that Persian, Indic scripts and emoji need are kept exactly."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ui_helpers import QT_LOG_IGNORE

RLO, PDF, LRE, RLI, PDI = "\u202e", "\u202c", "\u202a", "\u2067", "\u2069"
ZWNJ, ZWJ = "\u200c", "\u200d"
SPOOF = f"Safe results {RLO}fdp.exe{PDF} for robots"
ARABIC = "التعلم العميق للروبوتات"  # deep learning for robots
HEBREW = "למידה עמוקה"
PERSIAN = f"یادگیری ماشین می{ZWNJ}خواهد داده"  # "mi-khwahad": the ZWNJ is spelling
HINDI = f"क{ZWJ}्ष प्रतिनिधित्व"  # an explicit half form
EMOJI = f"Robots that cook 👩{ZWJ}🍳 and garden 👨{ZWJ}🌾"
BIDI = [f"Caching {LRE}for{PDF} {RLI}isolated{PDI} words"]

BIB = "\n".join(f"@article{{k{i}, title = {{{t}}}, year = {{2024}}}}"
                for i, t in enumerate([SPOOF, ARABIC, HEBREW, PERSIAN, HINDI, EMOJI, *BIDI]))


def _cli(folder: Path, *args: str, stdin: str | None = None) -> str:
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(folder)}
    proc = subprocess.run([sys.executable, "-m", "paperdeck", *args], input=stdin, text=True,
                          capture_output=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bidi") / "library"
    _cli(folder, "import", "-", stdin=BIB)
    return folder


def test_list_shows_no_override_and_keeps_rtl_text_and_joiners(imported):
    out = _cli(imported, "list")
    for ch in (RLO, PDF, LRE, RLI, PDI):
        assert ch not in out
    assert "Safe results fdp.exe for robots" in out
    for title in (ARABIC, HEBREW, PERSIAN, HINDI, EMOJI):
        assert title in out, title
    assert "Caching for isolated words" in out


def test_titles_stored_with_overrides_before_are_shown_without(imported, tmp_path):
    """A library written before this check (or edited by another tool) still holds the
    override: what is shown drops it all the same."""
    conn = sqlite3.connect(imported / "library.db")
    conn.execute("UPDATE papers SET title = ?, notes = ? WHERE citekey = 'k1'",
                 [f"{ARABIC} {RLO}gnol{PDF}", f"{RLO}note"])
    conn.commit()
    conn.close()
    papers = {p["citekey"]: p for p in json.loads(_cli(imported, "list", "--json"))}
    assert papers["k1"]["title"] == f"{ARABIC} gnol" and papers["k1"]["notes"] == "note"


@QT_LOG_IGNORE
def test_cards_show_the_same_text(qtbot, imported, tmp_path):
    from paperdeck.core.library import Library
    from ui_helpers import close_window, open_window

    with Library.open(imported, backup=False) as lib:
        win = open_window(qtbot, lib, tmp_path / "settings.ini")
        try:
            shown = [win.model.data(win.model.index(r, 0)) for r in range(win.model.rowCount())]
        finally:
            close_window(qtbot, win)
    assert "Safe results fdp.exe for robots" in shown
    assert PERSIAN in shown and HINDI in shown and EMOJI in shown
    assert not any(ch in t for t in shown for ch in (RLO, PDF, LRE, RLI, PDI))


def test_tags_drop_bidi_controls_too(imported):
    _cli(imported, "tag", "1", "--add", f"{RLO}gnitset{PDF} {ARABIC}")
    papers = {p["id"]: p for p in json.loads(_cli(imported, "list", "--json"))}
    assert f"gnitset {ARABIC}" in papers[1]["tags"]
