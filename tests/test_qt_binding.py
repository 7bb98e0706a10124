"""The installed PySide6 must not leak references to None (PySide6 6.12 on Python 3.11 does).

Such a build aborts the interpreter seconds into a session ("deallocating None");
pyproject pins it away, and this test catches an environment that got one anyway.
"""

from __future__ import annotations

import sys


def test_void_calls_keep_none_alive(qapp):
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    before = sys.getrefcount(None)
    for _ in range(2000):
        widget.update()
    assert sys.getrefcount(None) > before - 100
