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


def _drop_files(qtbot, win, paths):
    from PySide6.QtCore import QMimeData, QUrl

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    assert win.importer.drop(mime)
    wait_idle(qtbot, win)
    qtbot.waitUntil(lambda: win.importer.dialog is not None, timeout=30000)
    return _parsed(qtbot, win.importer.dialog)


def test_a_bib_and_a_ris_dropped_together_are_reviewed_in_turn_and_both_imported(qtbot, win):
    """Joined into one text they read as one format and the other file's papers were
    lost; each format now gets its own review, one after the other."""
    bib, ris = SAMPLES / "bibtex-mixed.bib", SAMPLES / "ris-zotero.ris"
    first = _drop_files(qtbot, win, [bib, ris])
    assert first.fmt == expected(bib)["format"]
    assert [i.draft.title for i in first.items] == expected(bib)["titles"]
    assert first.windowTitle() == "Import papers from bibtex-mixed.bib (1 of 2)"
    first.import_button.click()
    qtbot.waitUntil(lambda: win.importer.dialog not in (None, first), timeout=30000)
    second = _parsed(qtbot, win.importer.dialog)
    assert second.windowTitle() == "Import papers from ris-zotero.ris (2 of 2)"
    assert second.fmt == expected(ris)["format"]
    assert [i.draft.title for i in second.items] == expected(ris)["titles"]
    second.import_button.click()
    wait_idle(qtbot, win)
    qtbot.waitUntil(lambda: win.importer.dialog is None, timeout=30000)
    titles = {p.title for p in win.lib.papers(win.lib.ids(""))}
    assert set(expected(bib)["titles"]) | set(expected(ris)["titles"]) <= titles


def test_files_of_one_format_share_one_review_and_a_new_drop_replaces_the_rest(
        qtbot, win, tmp_path):
    bib, ris = SAMPLES / "bibtex-mixed.bib", SAMPLES / "ris-zotero.ris"
    other = tmp_path / "one.bib"
    other.write_text("@article{lone2024, title = {A Lone Entry}, author = {Ann Lee}, year = 2024}\n",
                     encoding="utf-8")
    said = []
    win.importer.say = said.append
    first = _drop_files(qtbot, win, [bib, other, ris])
    assert first.windowTitle() == "Import papers from bibtex-mixed.bib, one.bib (1 of 2)"
    assert [i.draft.title for i in first.items] == [*expected(bib)["titles"], "A Lone Entry"]
    again = _drop_files(qtbot, win, [ris])  # a drop while the .ris waits: it takes over
    qtbot.waitUntil(lambda: win.importer.dialog is again, timeout=30000)
    assert said == ["The review of 1 more file was left for this one; open them again to import them."]
    assert again.windowTitle() == "Import papers from ris-zotero.ris"
    again.reject()
    qtbot.waitUntil(lambda: win.importer.dialog is None, timeout=30000)
