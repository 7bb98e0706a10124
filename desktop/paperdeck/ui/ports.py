"""What the window's helpers may ask of it: narrow, named interfaces instead of the window.

`exporting`, `importing`, `metadata`, `paper_actions` and the triage parts (`triage_ui`,
`saved_searches_ui`) each get the library, the task runner, a place to report, and only
the parts of the window they need, described here.
The window (`main_window.py`) satisfies these protocols and composes the helpers, so no
helper imports the window and there is no import circle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class Report(Protocol):
    """A one-line message for the status bar."""

    def __call__(self, message: str, msecs: int = 6000) -> None: ...


class CardSelection(Protocol):
    """The cards on screen, in order, and the selected ones."""

    def selected_ids(self) -> list[int]: ...

    def shown_ids(self) -> list[int]: ...

    def has_selection(self) -> bool: ...


class Navigation(Protocol):
    """Which view is shown, and ways to change it."""

    view: str
    tag: str

    def reload(self, select: list[int] | None = None) -> int: ...

    def reorderable(self) -> bool: ...

    def show_view(self, view: str) -> None: ...

    def filter_by_tag(self, name: str) -> None: ...

    def clear_search(self) -> None: ...

    def focus_search(self) -> None: ...

    def trash_count(self) -> int: ...

    def refresh_counts(self) -> None: ...

    def current_query(self) -> str: ...

    def search_for(self, query: str) -> None: ...


class CardList(Protocol):
    """The card list beyond the selection: its order, choosing cards by row, and whether
    the window is closing (change notices that arrive from then on are dropped)."""

    @property
    def closing(self) -> bool: ...

    def sort_key(self) -> str | None: ...

    def select_rows(self, rows: list[int], prefer: int = -1, scroll: bool = False) -> None: ...


@dataclass
class Commands:
    """Window-level commands the menus offer next to the paper edits."""

    import_files: Callable[[], None]
    paste: Callable[[], None]
    export: Callable[[], object]
    copy_bibtex: Callable[[list[int]], None]
    complete: Callable[[list[int]], None]
    show_stats: Callable[[], None]
    quit: Callable[[], object]
