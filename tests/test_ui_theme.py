"""Light, dark, or the system's scheme (issue 15, item 11): chosen in Preferences, applied
at once, remembered, and followed when the desktop switches."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from paperdeck.ui.theme import THEME_SETTING, is_dark, keeper
from ui_helpers import QT_LOG_IGNORE, import_sample, select_rows

pytestmark = QT_LOG_IGNORE


@pytest.fixture
def restore_look():
    app = QApplication.instance()
    keep = keeper(app)
    yield keep
    keep.apply("system", Qt.ColorScheme.Light)


def test_preferences_switch_the_theme_and_remember_it(qtbot, win, sample_text, restore_look):
    from paperdeck.ui.preferences import PreferencesDialog

    import_sample(qtbot, win, sample_text)
    select_rows(win, [0])
    win._current_changed(win.model.index(0))
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)
    qtbot.keyClick(win, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: win.findChild(PreferencesDialog) is not None, timeout=3000)
    dialog = win.findChild(PreferencesDialog)
    app = QApplication.instance()
    light_base = win.palette().color(win.palette().ColorRole.Base)
    dialog.buttons["dark"].click()
    assert is_dark(app.palette())
    qtbot.waitUntil(lambda: is_dark(win.list.palette()), timeout=3000)
    assert win.settings.value(THEME_SETTING) == "dark"
    assert win.list.viewport().grab().toImage().pixelColor(5, 5).lightness() < 100
    dialog.buttons["light"].click()
    assert not is_dark(app.palette())
    qtbot.waitUntil(lambda: win.palette().color(win.palette().ColorRole.Base) == light_base, timeout=3000)
    assert win.settings.value(THEME_SETTING) == "light"


def test_system_choice_follows_the_desktop_scheme(qtbot, win, restore_look):
    app = QApplication.instance()
    restore_look.apply("system", Qt.ColorScheme.Light)
    assert not is_dark(app.palette())
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # the desktop went dark
    assert is_dark(app.palette())
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not is_dark(app.palette())
    restore_look.apply("light")
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # a fixed choice stays
    assert not is_dark(app.palette())
