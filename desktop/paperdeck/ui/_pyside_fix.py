"""A guard against a PySide6 build that drops references to None, True and False.

PySide6 6.12's abi3 wheels return `None` (and booleans) from void calls without taking
a reference. On Python 3.12+ these objects are immortal, so nothing happens; on 3.11
every call lowers None's count until the interpreter aborts with "none_dealloc:
deallocating None" - after a few thousand calls, i.e. seconds into any session.
We detect the leak with a probe and, only then, give the three singletons a huge
reference count: the same thing Python 3.12 does for them (PEP 683).
"""

from __future__ import annotations

import ctypes
import sys

PROBE_CALLS = 64
PIN = 1 << 40


def _leaks() -> bool:
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")
    return sys.getrefcount(None) <= before - PROBE_CALLS // 2


def pin_singletons_if_leaking() -> bool:
    """Make None, True and False effectively immortal when this PySide6 leaks them."""
    if sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount") or not _leaks():
        return False
    for obj in (None, True, False):
        before = sys.getrefcount(obj)
        cell = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is a PyObject's first field
        if cell.value == before - 1 or cell.value == before:
            cell.value += PIN
    return True
