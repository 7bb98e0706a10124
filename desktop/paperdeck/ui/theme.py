"""Colours derived from the palette, so light and dark themes both read well; a dark palette;
the theme choice (System, Light, Dark) and following the system's colour scheme."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

# Hues for the status badges and priority marks; mixed with the base colour per theme.
STATUS_HUES = {"queued": "#3b82f6", "reading": "#f59e0b", "read": "#22c55e", "archived": "#8b8b8b"}
PRIORITY_HUES = {1: "#3b82f6", 2: "#f59e0b", 3: "#ef4444"}
STATUS_LABELS = {"queued": "Queued", "reading": "Reading", "read": "Read", "archived": "Archived"}


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved a fraction `t` towards `b`."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def secondary_text(palette: QPalette) -> QColor:
    """Text for less important lines: between text and base, still readable."""
    return mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.35)


def match_background(palette: QPalette) -> QColor:
    """Behind matched search words: a soft yellow in light themes, a deep amber in dark ones."""
    return QColor("#6b5310") if is_dark(palette) else QColor("#ffe58a")


def tinted(palette: QPalette, hue: str, strength: float = 0.22) -> QColor:
    """A badge background: the hue faded into the base colour."""
    return mix(palette.color(QPalette.ColorRole.Base), QColor(hue), strength)


def badge_text(palette: QPalette, hue: str) -> QColor:
    """Badge text: the hue, lightened in dark themes and darkened in light ones for contrast."""
    colour = QColor(hue)
    return colour.lighter(150) if is_dark(palette) else colour.darker(160)


def dark_palette() -> QPalette:
    """A calm dark palette for the Fusion style."""
    p = QPalette()
    window, base, text = QColor("#202124"), QColor("#18191b"), QColor("#e6e6e6")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#25272a"),
        QPalette.ColorRole.ToolTipBase: QColor("#2b2d30"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#8a8d91"),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#2b2d30"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff6b6b"),
        QPalette.ColorRole.Light: QColor("#3a3c40"),
        QPalette.ColorRole.Midlight: QColor("#303236"),
        QPalette.ColorRole.Mid: QColor("#45484d"),
        QPalette.ColorRole.Dark: QColor("#111214"),
        QPalette.ColorRole.Shadow: QColor("#000000"),
        QPalette.ColorRole.Highlight: QColor("#3d6fb6"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#7fb0ff"),
        QPalette.ColorRole.LinkVisited: QColor("#c29bff"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f7276"))
    return p


def apply_theme(app: QApplication, dark: bool | None) -> None:
    """Fusion with our dark palette when asked (`None`: leave the platform's look alone)."""
    if dark is None:
        return
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else app.style().standardPalette())


# -- the user's choice: follow the system, or always light, or always dark -----------------
THEME_SETTING = "appearance/theme"
CHOICES = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))


class ThemeKeeper(QObject):
    """Applies the chosen theme, and with "system" follows the desktop's colour scheme
    (Qt 6.5+ `QStyleHints.colorScheme`) as it changes, without a restart."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.choice = "system"
        self._style, self._palette = app.style().name(), QPalette(app.palette())
        app.styleHints().colorSchemeChanged.connect(self._scheme_changed)

    def apply(self, choice: str, scheme: Qt.ColorScheme | None = None) -> None:
        if choice not in dict(CHOICES):
            choice = "system"
        self.choice = choice
        if scheme is None:
            scheme = self.app.styleHints().colorScheme()
        dark = choice == "dark" or (choice == "system" and scheme == Qt.ColorScheme.Dark)
        if choice == "system" and is_dark(self._palette) == dark:
            self._platform_look()  # the platform already draws this scheme: keep its look
        elif dark:
            apply_theme(self.app, True)
        elif choice == "light":
            apply_theme(self.app, False)
        else:
            self._platform_look()

    def dark(self) -> bool:
        return is_dark(self.app.palette())

    def _platform_look(self) -> None:
        if self.app.style().name().lower() != self._style.lower():
            self.app.setStyle(self._style)
        self.app.setPalette(self._palette)

    def _scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.choice == "system":
            self.apply("system", scheme)


def keeper(app: QApplication) -> ThemeKeeper:
    """The application's one ThemeKeeper (made on first use, before any theme is applied)."""
    found = app.findChild(ThemeKeeper)
    return found if found is not None else ThemeKeeper(app)
