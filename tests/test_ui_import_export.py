"""The import dialog (duplicates, formats, nothing found, files) and BibTeX export from the window."""

from __future__ import annotations

import json
import re

import pytest

from bibtools import compile_bib, needs
from ui_helpers import QT_LOG_IGNORE, import_sample, wait_idle

pytestmark = QT_LOG_IGNORE


def entries(bib: str) -> int:
    return len(re.findall(r"^@\w+\{", bib, flags=re.MULTILINE))


def parsed(qtbot, dialog):
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30000)
    return dialog


def test_duplicates_are_marked_and_unchecked(qtbot, win, sample_text):
    from PySide6.QtCore import Qt

    lines = sample_text.split("\n")
    known = len(import_sample(qtbot, win, "\n".join(lines[:3] + lines[5:9])))  # a few of the papers
    assert known >= 2
    dialog = parsed(qtbot, win.importer.open_dialog(sample_text))
    rows = [dialog.preview.item(r) for r in range(dialog.preview.count())]
    assert len(rows) == 119
    unchecked = [r for r in rows if r.checkState() == Qt.CheckState.Unchecked]
    assert len(unchecked) == known
    assert all("Already in your library: same title" in r.text() for r in unchecked)
    assert dialog.import_button.text() == f"Import {119 - known} papers"
    assert f"{known} already in your library" in dialog.summary.text()
    dialog.tags.setText("digest, week 12")
    dialog.import_button.click()
    wait_idle(qtbot, win)
    assert (win.statusBar().currentMessage()
            == f"Imported {119 - known} papers, {known} already in your library")
    assert win.sidebar.count_of("tag", "week 12") == 119 - known
    new = [i for i in win.model.ids() if i not in set(win.lib.ids(view='all')[:known])]
    assert len(win.selected_ids()) == 1  # the first new paper, not all of them
    assert win.selected_ids()[0] in new


def test_format_override_and_text_without_papers(qtbot, win, sample_text):
    dialog = parsed(qtbot, win.importer.open_dialog("hello there\nnothing to see"))
    assert not dialog.items and "No papers recognised" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    dialog.text.setPlainText("@article{k1, title={A Paper About Robots}, year={2021}}")
    dialog.parse()
    parsed(qtbot, dialog)
    assert dialog.fmt == "bibtex" and len(dialog.items) == 1
    dialog.format.setCurrentIndex(dialog.format.findData("arxiv-email"))
    dialog.parse()
    parsed(qtbot, dialog)
    assert dialog.items == [] and "arXiv" in dialog.summary.text()
    dialog.reject()


def test_cancelled_reading_is_ignored(qtbot, win, sample_text):
    dialog = win.importer.open_dialog(sample_text)
    dialog.cancel_parse()
    wait_idle(qtbot, win)
    assert dialog.items == [] and "cancelled" in dialog.summary.text()
    dialog.reject()


def test_files_are_decoded_and_binary_files_refused(qtbot, win, tmp_path, sample_text):
    from pathlib import Path

    good = tmp_path / "digest.txt"
    good.write_text(sample_text, encoding="utf-8")
    win.importer.open_files([good])
    wait_idle(qtbot, win)
    assert win.importer.dialog is not None
    parsed(qtbot, win.importer.dialog)
    assert len(win.importer.dialog.items) == 119
    win.importer.dialog.reject()
    png = tmp_path / "picture.bib"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    win.importer.open_files([png])
    wait_idle(qtbot, win)
    assert "PNG image" in win.statusBar().currentMessage()
    assert "Traceback" not in win.statusBar().currentMessage()
    from PySide6.QtCore import QMimeData, QUrl

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(Path(good)))])
    assert win.importer.can_accept(mime)
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "paper.pdf"))])
    assert not win.importer.can_accept(mime)


@needs("pdflatex", "bibtex")
@pytest.mark.parametrize("scope", ["all", "shown"])
def test_export_writes_a_bib_file_bibtex_accepts(qtbot, win, sample_text, tmp_path, monkeypatch, scope):
    from PySide6.QtWidgets import QFileDialog

    import_sample(qtbot, win, sample_text)
    win.search.set_query("robot")
    wait_idle(qtbot, win)
    target = tmp_path / "out" / "papers"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog = win.exporter.open_dialog()
    next(b for b in dialog.scopes.buttons() if b.property("scope") == scope).setChecked(True)
    dialog.save_button.click()
    wait_idle(qtbot, win)
    bib = (tmp_path / "out" / "papers.bib").read_text("utf-8")
    expected = 119 if scope == "all" else len(win.lib.ids("robot"))
    assert entries(bib) == expected
    assert f"Exported {expected:,} papers" in win.statusBar().currentMessage()
    run = compile_bib(bib, tmp_path / "tex")
    # The sample has no authors and no `key` is written (issue 18.6): only those notes.
    assert run.problems_besides_authorless() == [] and run.latex_problems() == []


def test_export_to_the_clipboard_in_utf8(qtbot, win, sample_text):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    import_sample(qtbot, win, sample_text)
    qtbot.keyClick(win.list, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    dialog = win.exporter.open_dialog()
    assert dialog.scope() == "selected"
    dialog.flavour.setCurrentIndex(1)
    dialog.copy_button.click()
    wait_idle(qtbot, win)
    assert entries(QGuiApplication.clipboard().text()) == 119


def test_newer_arxiv_version_is_offered_unchecked_and_updates_the_paper(qtbot, win):
    from PySide6.QtCore import Qt

    from paperdeck.core.models import Draft

    [pid] = win.lib.add([Draft(title="Old preprint", arxiv_id="2401.01234", arxiv_version=1)],
                        raw_text="x", fmt="t")
    dialog = parsed(qtbot, win.importer.open_dialog("2401.01234v3\n2402.05678\n"))
    rows = [dialog.preview.item(r) for r in range(dialog.preview.count())]
    assert [r.checkState() for r in rows] == [Qt.CheckState.Unchecked, Qt.CheckState.Checked]
    assert "newer version" in rows[0].text() and "v3" in rows[0].text()
    rows[0].setCheckState(Qt.CheckState.Checked)
    assert dialog.import_button.text() == "Import 1 paper, update 1 version"
    dialog.import_button.click()
    wait_idle(qtbot, win)
    assert win.lib.get(pid).arxiv_version == 3
    assert len(win.lib.ids(view="all")) == 2  # the newer version did not become a copy


def test_rich_clipboard_paste_reads_the_better_of_html_and_text(qtbot, win):
    from pathlib import Path

    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QGuiApplication

    html = (Path(__file__).parent / "samples" / "digests" / "scholar-alert-rich.html").read_text()
    mime = QMimeData()
    mime.setHtml(html)
    mime.setText("Denoising Diffusion Probabilistic Models J Ho - 2020 Score-Based Generative")
    QGuiApplication.clipboard().setMimeData(mime)
    win.importer.paste()
    qtbot.waitUntil(lambda: win.importer.dialog is not None, timeout=30000)
    dialog = parsed(qtbot, win.importer.dialog)
    qtbot.waitUntil(lambda: bool(dialog.items), timeout=30000)
    assert dialog.fmt == "scholar" and len(dialog.items) == 2
    assert "<h3" not in dialog.text.toPlainText()


@pytest.mark.parametrize(("index", "suffix", "head"), [(2, ".json", "["), (3, ".ris", "TY  - ")])
def test_export_dialog_writes_csl_json_and_ris(qtbot, win, sample_text, tmp_path, monkeypatch, index,
                                                suffix, head):
    from PySide6.QtWidgets import QFileDialog

    import_sample(qtbot, win, sample_text)
    target = tmp_path / "papers"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog = win.exporter.open_dialog()
    next(b for b in dialog.scopes.buttons() if b.property("scope") == "all").setChecked(True)
    dialog.flavour.setCurrentIndex(index)
    dialog.save_button.click()
    wait_idle(qtbot, win)
    text = (tmp_path / ("papers" + suffix)).read_text("utf-8")
    assert text.startswith(head)
    assert text.count("TY  - ") == 119 if suffix == ".ris" else len(json.loads(text)) == 119


def test_export_dialog_keeps_a_file_up_to_date(qtbot, win, sample_text, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    import_sample(qtbot, win, sample_text)
    target = tmp_path / "papers.bib"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog = win.exporter.open_dialog()
    next(b for b in dialog.scopes.buttons() if b.property("scope") == "all").setChecked(True)
    dialog.keep.setChecked(True)
    dialog.save_button.click()
    wait_idle(qtbot, win)
    assert entries(target.read_text("utf-8")) == 119
    assert "kept up to date" in win.statusBar().currentMessage()
    assert [link.path for link in win.lib.autoexports.links()] == [str(target.resolve())]
    win.lib.trash(win.lib.ids()[:3])
    assert entries(target.read_text("utf-8")) == 116


def test_export_says_which_characters_it_kept(qtbot, win, tmp_path, monkeypatch):
    """Issue 18.7: characters with no LaTeX form are kept, and the status bar says so."""
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    reference = Path(__file__).resolve().parent / "samples" / "citations" / "tricky.bib"
    win.lib.import_text(reference.read_text("utf-8"))
    target = tmp_path / "refs.bib"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog = win.exporter.open_dialog()
    next(b for b in dialog.scopes.buttons() if b.property("scope") == "all").setChecked(True)
    dialog.save_button.click()
    wait_idle(qtbot, win)
    assert "深" in target.read_text("utf-8") and "?" not in target.read_text("utf-8")
    assert "6 characters with no LaTeX form" in win.statusBar().currentMessage()
