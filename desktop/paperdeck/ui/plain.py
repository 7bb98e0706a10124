"""Paper text on screen is always text, never markup.

Titles, tags, authors and lookup results come from pastes and web services: a title
`<img src="/dev/zero">` rendered as rich text freezes the window, and styled text can pose
as a warning. Qt guesses "rich text" for any string that looks like HTML (labels, message
boxes, input dialogs and tooltips all default to `Qt::AutoText`), so every widget that shows
such strings goes through one of these helpers.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QMessageBox, QWidget


def tooltip(text: str) -> str:
    """A tooltip that shows `text` literally: escaped inside a paragraph (tooltips have no
    text-format switch, and an escaped string without tags would show its `&lt;` entities)."""
    return f'<p style="white-space:pre-wrap">{escape(text, quote=False)}</p>'


def plain(label: QLabel) -> QLabel:
    """`label` shows its text as typed, whatever it looks like."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def menu_text(text: str) -> str:
    """Text for a menu entry: `&` shown as itself, not as a keyboard accelerator."""
    return text.replace("&", "&&")


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
                default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton
                ) -> QMessageBox:
    """A message box whose text (and detailed text) is plain text."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    return box


def ask(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
        buttons: QMessageBox.StandardButton, default: QMessageBox.StandardButton
        ) -> QMessageBox.StandardButton:
    """A modal question in plain text; returns the button pressed."""
    box = message_box(parent, icon, title, text, buttons, default)
    return QMessageBox.StandardButton(box.exec())


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> tuple[str, bool]:
    """Like `QInputDialog.getText`, with the prompt shown as plain text."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setLabelText(label)
    dialog.setTextValue(text)
    for child in dialog.findChildren(QLabel):
        plain(child)
    ok = bool(dialog.exec())
    return dialog.textValue(), ok
