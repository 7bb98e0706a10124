"""App identity (name, organisation, version, icon) and the About dialog.

    apply_identity(app)                                   # right after QApplication(...)
    menu.addAction(open_data_folder_action(window, data_dir))
    menu.addAction("About paperdeck", lambda: AboutDialog(data_dir, window).exec())
"""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..paths import resources_dir

APP_NAME = "paperdeck"
DISPLAY_NAME = "paperdeck"
ORGANIZATION = "paperdeck"
ORGANIZATION_DOMAIN = "paperdeck.org"
APP_ID = "org.paperdeck.paperdeck"  # AppStream id, macOS bundle identifier
DESKTOP_FILE = "paperdeck"  # paperdeck.desktop: Wayland app id, taskbar grouping
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """The paperdeck icon, from the shipped PNGs (every size) and the SVG when Qt can read it."""
    icons = resources_dir() / "icons"
    icon = QIcon()
    for size in ICON_SIZES:
        png = icons / f"paperdeck-{size}.png"
        if png.exists():
            icon.addFile(str(png))
    svg = icons / "paperdeck.svg"
    if icon.isNull() and svg.exists():
        icon.addFile(str(svg))
    return icon


def apply_identity(app: QGuiApplication) -> None:
    """Name, organisation, version, desktop file and window icon, set once on the app.

    QSettings and platformdirs paths, the X11 WM_CLASS and the Wayland app id all derive
    from these, so the launcher and the running window are recognised as one app.
    """
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setOrganizationDomain(ORGANIZATION_DOMAIN)
    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setApplicationDisplayName(DISPLAY_NAME)
    QGuiApplication.setDesktopFileName(DESKTOP_FILE)
    app.setWindowIcon(app_icon())


def open_data_folder(data_dir: Path) -> bool:
    """Show the library folder in the file manager. False when no file manager would open it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(data_dir))))


def open_data_folder_action(parent: QWidget, data_dir: Path) -> QAction:
    """A menu action "Open Data Folder" (for the File or Help menu)."""
    action = QAction("Open &Data Folder", parent)
    action.setStatusTip(f"Show {data_dir} in the file manager")
    action.triggered.connect(lambda: open_data_folder(data_dir))
    return action


class AboutDialog(QDialog):
    """Version, the library folder (with a button to open it), and what paperdeck runs on."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.setWindowTitle("About paperdeck")

        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(96, 96))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)

        title = QLabel(f"<h2>paperdeck {__version__}</h2>")
        blurb = QLabel("A reading queue for research papers: paste a digest, get cards, "
                       "read, export BibTeX.")
        blurb.setWordWrap(True)
        self.path_label = QLabel(f"Library folder:<br><code>{_html(str(self.data_dir))}</code>")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        runtime = QLabel(f"Python {platform.python_version()} · Qt {qVersion()} · "
                         f"PySide6 {pyside_version}")
        runtime.setEnabled(False)  # drawn in the palette's secondary colour

        text = QVBoxLayout()
        for w in (title, blurb, self.path_label, runtime):
            text.addWidget(w)
        body = QHBoxLayout()
        body.addWidget(logo)
        body.addLayout(text, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = QPushButton("Open Data Folder")
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(lambda: open_data_folder(self.data_dir))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(buttons)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
