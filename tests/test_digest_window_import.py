"""The new digest classes and library exports pasted through the real window (pytest-qt)."""

from __future__ import annotations

import pytest

from digest_samples import SAMPLES, expected, samples
from ui_helpers import QT_LOG_IGNORE, wait_idle

pytestmark = QT_LOG_IGNORE

ROUND_TWO = [
    *samples("arxiv-listpage"), *samples("arxiv-email-affiliations"), *samples("hf-daily-jina"),
    *samples("hf-weekly-markdownload"), *samples("hf-search-jina"), *samples("markdown-top-papers"),
    *samples("markdown-awesome-m"),
    *samples("markdown-reading-log"), *samples("markdown-table-authors"),
]


def _parsed(qtbot, dialog):
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30000)
    return dialog


def test_format_combo_offers_library_exports(qtbot, win):
    dialog = win.importer.open_dialog("")
    names = [dialog.format.itemData(i) for i in range(dialog.format.count())]
    labels = [dialog.format.itemText(i) for i in range(dialog.format.count())]
    assert {"jabref", "zotero-json", "csl-json", "zotero-rdf"} <= set(names)
    assert "JabRef library (.bib)" in labels
    dialog.reject()


def test_each_new_class_shows_its_cards(qtbot, win):
    """The dialog reads every round-two sample as its own format, one row per expected paper."""
    assert len(ROUND_TWO) >= 12
    for sample in ROUND_TWO:
        exp = expected(sample)
        dialog = _parsed(qtbot, win.importer.open_dialog(sample.read_text(encoding="utf-8")))
        assert dialog.fmt == exp["format"], sample.name
        assert [item.draft.title for item in dialog.items] == exp["titles"], sample.name
        assert dialog.preview.count() == len(exp["titles"])
        dialog.reject()


def test_pasting_a_jabref_library_through_the_window(qtbot, win):
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QGuiApplication

    text = (SAMPLES / "jabref-library.bib").read_text(encoding="utf-8")
    mime = QMimeData()
    mime.setText(text)
    QGuiApplication.clipboard().setMimeData(mime)
    win.importer.paste()
    qtbot.waitUntil(lambda: win.importer.dialog is not None, timeout=30000)
    dialog = _parsed(qtbot, win.importer.dialog)
    qtbot.waitUntil(lambda: bool(dialog.items), timeout=30000)
    assert dialog.fmt == "jabref" and dialog.preview.count() == 301
    summary = dialog.summary.text()
    assert "JabRef library" in summary and "Skipped 4 broken entries" in summary
    assert "Broken2020unclosed" in summary
    dialog.import_button.click()
    wait_idle(qtbot, win)
    assert win.sidebar.count_of("tag", "Thesis") > 0
    exp = expected(SAMPLES / "jabref-library.bib")
    lib = win.lib
    ids = lib.ids("")
    by_key = {p.citekey: p for p in lib.papers(ids)}
    for check in exp["checks"][:20]:
        p = by_key[check["citekey"]]
        want = (check["status"] or "queued", check["priority"], check["notes"])
        assert (p.status, p.priority, p.notes) == want


@pytest.mark.parametrize("name", ["zotero-bbt-library.json", "zotero-csl-library.json", "zotero-library.rdf"])
def test_zotero_exports_read_in_the_dialog(qtbot, win, name):
    exp = expected(SAMPLES / name)
    dialog = _parsed(qtbot, win.importer.open_dialog((SAMPLES / name).read_text(encoding="utf-8")))
    assert dialog.fmt == exp["format"] and dialog.preview.count() == len(exp["titles"])
    n = exp["skipped"]
    assert f"Skipped {n} broken entr{'y' if n == 1 else 'ies'}" in dialog.summary.text()
    dialog.reject()


def test_dropping_a_zotero_export_file_opens_its_review(qtbot, win):
    from PySide6.QtCore import QMimeData, QUrl

    path = SAMPLES / "zotero-bbt-library.json"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    assert win.importer.can_accept(mime)
    assert win.importer.drop(mime)
    wait_idle(qtbot, win)
    qtbot.waitUntil(lambda: win.importer.dialog is not None, timeout=30000)
    dialog = _parsed(qtbot, win.importer.dialog)
    assert dialog.fmt == "zotero-json" and dialog.preview.count() == len(expected(path)["titles"])
    dialog.reject()
