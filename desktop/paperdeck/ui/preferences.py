"""Edit → Preferences: the appearance (follow the system, light or dark), applied at once."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QRadioButton,
    QVBoxLayout,
)

from .theme import CHOICES, THEME_SETTING, keeper


class PreferencesDialog(QDialog):
    def __init__(self, settings: QSettings, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        self.keeper = keeper(QApplication.instance())
        current = str(settings.value(THEME_SETTING, self.keeper.choice) or "system")
        box = QGroupBox("Appearance")
        column = QVBoxLayout(box)
        self.choices = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for key, label in CHOICES:
            radio = QRadioButton(label)
            radio.setChecked(key == current)
            radio.toggled.connect(lambda on, k=key: on and self.choose(k))
            self.choices.addButton(radio)
            self.buttons[key] = radio
            column.addWidget(radio)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(close)

    def choose(self, key: str) -> None:
        self.keeper.apply(key)
        self.settings.setValue(THEME_SETTING, key)
