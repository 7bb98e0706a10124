"""App identity and the About dialog: name, version, icon, the library folder and how to open it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QDesktopServices, QGuiApplication

from paperdeck import __version__
from paperdeck.paths import resources_dir
from paperdeck.ui import about


def test_icon_has_every_size(qapp):
    icon = about.app_icon()
    assert not icon.isNull()
    sizes = {s.width() for s in icon.availableSizes()}
    assert {16, 32, 48, 256, 512} <= sizes


def test_identity_is_applied(qapp):
    names = (QCoreApplication.applicationName(), QCoreApplication.organizationName(),
             QCoreApplication.applicationVersion(), QGuiApplication.desktopFileName())
    try:
        about.apply_identity(qapp)
        assert QCoreApplication.applicationName() == "paperdeck"
        assert QCoreApplication.applicationVersion() == __version__
        assert QGuiApplication.desktopFileName() == "paperdeck"
        assert not qapp.windowIcon().isNull()
    finally:
        QCoreApplication.setApplicationName(names[0])
        QCoreApplication.setOrganizationName(names[1])
        QCoreApplication.setApplicationVersion(names[2])
        QGuiApplication.setDesktopFileName(names[3])


def test_about_shows_version_and_data_folder(qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "my <library>"
    dialog = about.AboutDialog(folder)
    qtbot.addWidget(dialog)
    texts = " ".join(w.text() for w in dialog.findChildren(type(dialog.path_label)))
    assert __version__ in texts
    assert "my &lt;library&gt;" in dialog.path_label.text()
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog.open_button.click()
    assert [Path(u.toLocalFile()) for u in opened] == [folder]


def test_open_data_folder_action(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    action = about.open_data_folder_action(parent, tmp_path)
    action.trigger()
    assert [Path(u.toLocalFile()) for u in opened] == [tmp_path]


def test_resources_are_found(qapp):
    assert (resources_dir() / "icons" / "paperdeck.svg").exists()
    assert (resources_dir() / "sample-digest.txt").exists()
