"""Messages in plain words (issue 15, item 9): plurals, the offline lookup, a second launch,
a link no browser opens."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from paperdeck.core.models import Draft
from ui_helpers import close_window, open_window, select_rows, wait_idle

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "QFont::setPointSizeF", "does not support",
                                       "openUrl")
REPO = Path(__file__).resolve().parents[1]


def test_one_paper_is_one_paper(qtbot, win):
    win.lib.add([Draft(title="Only one", url="https://example.org/1")], raw_text="x", fmt="bibtex")
    win.reload()
    wait_idle(qtbot, win)
    select_rows(win, [0])
    win.actions_.copy_bib.trigger()
    wait_idle(qtbot, win)
    assert win.statusBar().currentMessage() == "Copied BibTeX of 1 paper to the clipboard."


def test_offline_lookup_says_which_service_and_what_to_do(qtbot, lib, tmp_path):
    from enrich_fakes import offline_settings

    lib.add([Draft(arxiv_id="1706.03762")], raw_text="x", fmt="identifiers")
    lib.metadata_client(offline_settings(arxiv_interval=0, timeout=2))
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    select_rows(win, [0])
    win.actions_.complete.trigger()
    qtbot.waitUntil(lambda: not win.metadata.running, timeout=30000)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert len(boxes) == 1
    box = boxes[0]
    text = box.findChild(QLabel, "qt_msgbox_label").text()
    assert box.windowTitle() == "Metadata not completed"
    assert text.startswith("arXiv could not be reached: check the internet connection")
    assert "Nothing was changed for 1 paper." in text
    assert "offline; offline" not in text and text == win.statusBar().currentMessage()
    box.close()
    close_window(qtbot, win)


def test_open_link_without_a_browser_says_so_and_copies_the_address(qtbot, win):
    win.lib.add([Draft(title="Linked", url="https://example.org/paper")], raw_text="x", fmt="bibtex")
    win.reload()
    wait_idle(qtbot, win)
    select_rows(win, [0])
    QGuiApplication.clipboard().clear()
    win.actions_.open_paper.trigger()  # the offscreen platform has no browser to open
    assert win.statusBar().currentMessage().startswith(
        "No web browser could be opened for https://example.org/paper")
    assert QGuiApplication.clipboard().text() == "https://example.org/paper"


def test_a_second_launch_says_the_first_window_came_forward(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO / "desktop"),
               XDG_RUNTIME_DIR=str(tmp_path))
    cmd = [sys.executable, "-c", "import sys; from paperdeck.app import run_gui; "
           f"sys.exit(run_gui(['paperdeck'], {str(tmp_path / 'lib')!r}))"]
    first = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 30
        while not (tmp_path / "lib" / "library.db").exists() and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # the first window is up and listening
        second = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 0
        assert "paperdeck is already open; raised its window." in second.stderr
        assert first.poll() is None  # the first one is still running
    finally:
        first.terminate()
        first.wait(30)
