"""The folder a file dialog opens in: the one last used (not the working folder)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings


class RecentFolder:
    """One remembered folder per purpose ("import", "export"), kept in the window's settings."""

    def __init__(self, settings: QSettings, purpose: str) -> None:
        self.settings, self.key = settings, f"folders/{purpose}"

    def get(self) -> str:
        saved = str(self.settings.value(self.key, "") or "")
        return saved if saved and Path(saved).is_dir() else str(Path.home())

    def remember(self, chosen: str | Path) -> None:
        path = Path(chosen)
        self.settings.setValue(self.key, str(path if path.is_dir() else path.parent))
