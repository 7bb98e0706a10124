"""Qt widgets, models and delegates of the paperdeck window (see DESIGN.md, "Layers")."""

from ._pyside_fix import pin_singletons_if_leaking

pin_singletons_if_leaking()
