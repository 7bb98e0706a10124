"""A link statement that fails inside its transaction: the transaction is rolled back (the
library's connection is free for the next writer), the error reaches the caller as it
was, and nothing half-stored remains. The fault is a real one: a SQLite trigger that
aborts the statement, added from a second connection the way another tool could."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from paperdeck.core.library import Library
from paperdeck.core.models import Draft


@pytest.fixture
def lib(tmp_path: Path):
    library = Library.open(tmp_path / "lib", backup=False)
    library.add([Draft(title="Robot arms", year=2020)], raw_text="x", fmt="t")
    yield library
    library.close()


def _other_connection(lib: Library, sql: str) -> None:
    with sqlite3.connect(lib.store.path, timeout=5) as other:
        other.execute(sql)
    other.close()


def test_a_failing_link_statement_is_rolled_back_and_raised(lib: Library, tmp_path: Path) -> None:
    _other_connection(lib, "CREATE TRIGGER refuse_links BEFORE INSERT ON autoexports "
                           "BEGIN SELECT RAISE(ABORT, 'links refused here'); END")
    target = tmp_path / "robots.bib"
    with pytest.raises(sqlite3.IntegrityError, match="links refused here"):
        lib.autoexports.add(target)
    assert not lib.store.db.conn.in_transaction
    assert lib.autoexports.links() == [] and not target.exists()
    # the writer lock and the database are free: another connection writes at once,
    # and the library itself goes on linking and adding
    _other_connection(lib, "DROP TRIGGER refuse_links")
    assert lib.autoexports.add(target) == 1
    lib.add([Draft(title="Robot legs", year=2021)], raw_text="y", fmt="t")
    assert target.read_text("utf-8").count("@") == 2
