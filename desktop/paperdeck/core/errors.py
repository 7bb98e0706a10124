"""The errors the user can be told about, in plain words.

Two kinds of failure exist (STYLE.md): the environment's (locked, read-only, full
disk, corrupt file, bad input), which are these classes and carry a message meant
for the user; and ours (bugs), which are anything else and get a traceback in a log.
"""

from __future__ import annotations


class PaperdeckError(Exception):
    """A failure to explain to the user. `str(err)` is the one-line message."""


class LibraryLocked(PaperdeckError):
    """Another paperdeck (window or command) is writing to the library."""


class LibraryReadOnly(PaperdeckError):
    """The library cannot be written: read-only folder or medium, or opened read-only."""


class LibraryCorrupt(PaperdeckError):
    """The database file is damaged or is not a paperdeck library."""


class DiskFull(PaperdeckError):
    """The disk (or the user's quota) is full; nothing was written."""


class UnknownPaper(PaperdeckError):
    """An id that is not in the library."""


class QueryError(PaperdeckError):
    """A search the query parser cannot take; the message says what is wrong."""


class InputError(PaperdeckError):
    """Input that cannot be read: a binary file, an unreadable path, an empty paste."""


class LibraryReplaced(PaperdeckError):
    """The library on disk is not the one this window opened any more (a restore or load
    elsewhere replaced it); nothing was changed."""
