"""Qt widgets, models and delegates of the paperdeck window (see DESIGN.md, "Layers")."""
