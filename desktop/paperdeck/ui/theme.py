"""Colours derived from the palette, so light and dark themes both read well; a dark palette."""

from __future__ import annotations

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
