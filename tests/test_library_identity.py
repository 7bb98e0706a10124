"""The library on disk changes under an open window (issue 13, items 3, 4, 5): a restore
by another process, a second writer meanwhile, journal files deleted by hand. Real
processes, real files; the "window" is a Library held open in this process."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from paperdeck.core.errors import LibraryCorrupt, LibraryReplaced
from paperdeck.core.library import Library
from paperdeck.core.models import Draft

WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from paperdeck.core.errors import LibraryLocked, LibraryReplaced
    from paperdeck.core.library import Library
    folder, seconds = Path(sys.argv[1]), float(sys.argv[2])
    lib = Library.open(folder, sync_index=False, backup=False)
    print("ready", flush=True)
    end, k = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        try:
            lib.add_tags([1], [f"w{k}"])
        except LibraryReplaced:  # a restore elsewhere: this writer starts over on the new one
            lib.close()
            lib = Library.open(folder, sync_index=False, backup=False)
            continue
        except LibraryLocked:
            continue
        print(k, flush=True)  # acknowledged: committed
        k += 1
    lib.close()
""")


def _cli(folder: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(folder)}
    return subprocess.run([sys.executable, "-m", "paperdeck", *args], capture_output=True,
                          text=True, env=env, timeout=120, input=stdin)


def _tags(db: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM tags")}
    finally:
        conn.close()


def test_restore_loses_no_write_made_meanwhile(data_dir):
    """Item 3: 73 of 1,391 acknowledged tags were lost with a writer looping while
    `restore-backup` ran. Each acknowledged tag must be in the safety backup the restore
    made (written before it) or in the library (written after)."""
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        lib.add([Draft(title=f"Paper {i}") for i in range(50)], raw_text="x", fmt="t")
        old = lib.backup()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir), "6"],
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "ready"
    safety = []
    time.sleep(0.5)
    for _ in range(4):
        done = _cli(data_dir, "restore-backup", str(old))
        assert done.returncode == 0, done.stderr
        safety.append(Path(done.stdout.split("saved in ", 1)[1].split(";")[0]))
        time.sleep(0.3)
    out, _ = writer.communicate(timeout=60)
    assert writer.returncode == 0
    acked = {f"w{k}" for k in out.split()}
    assert len(acked) > 20
    found = _tags(data_dir / "library.db")
    for path in safety:
        found |= _tags(path)
    assert acked <= found, f"lost {len(acked - found)} of {len(acked)}: {sorted(acked - found)[:5]}"


def test_undo_after_a_restore_elsewhere_never_deletes_others_papers(data_dir):
    """Item 4: ids are reused after a restore, so the window's "Undo import" removed the
    papers another process had imported since. Now undo refuses, and the window's undo
    history is cleared and its screens told to reload."""
    with Library.open(data_dir, sync_index=False, backup=False) as seed:
        seed.add([Draft(title=f"Old {i}") for i in range(3)], raw_text="x", fmt="t")
        old = seed.backup()
    window = Library.open(data_dir, backup=False)
    changes = []
    window.subscribe(changes.append)
    try:
        window.add([Draft(title=f"Window {i}") for i in range(3)], raw_text="w", fmt="t")
        assert window.undo_label()
        assert _cli(data_dir, "restore-backup", str(old)).returncode == 0
        digest = "\n".join(f"arXiv:2403.{i:05d}" for i in range(1, 4)) + "\n"
        imported = _cli(data_dir, "import", "--json", stdin=digest)
        assert imported.returncode == 0, imported.stderr
        assert '"imported": 3' in imported.stdout
        with pytest.raises(LibraryReplaced, match="replaced"):
            window.undo()
        assert window.undo_label() is None and window.redo_label() is None
        assert changes[-1].inserted and len(changes[-1].paper_ids) == 6
        assert len(window.ids()) == 6  # the other process's three are all there
        window.add_tags(window.ids(), ["seen"])  # the window goes on with the new library
    finally:
        window.close()
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        assert len(lib.ids("tag:seen")) == 6


def test_an_open_window_is_told_of_a_restore(data_dir):
    """Item 3: the window notices a restore made elsewhere (it polls check_replaced), its
    undo history is cleared and its listeners reload everything."""
    with Library.open(data_dir, sync_index=False, backup=False) as seed:
        seed.add([Draft(title="Only one")], raw_text="x", fmt="t")
        old = seed.backup()
    window = Library.open(data_dir, backup=False)
    changes = []
    window.subscribe(changes.append)
    try:
        window.add([Draft(title="Second")], raw_text="y", fmt="t")
        assert window.check_replaced() is False and changes[-1].label != "the library was replaced"
        assert _cli(data_dir, "restore-backup", str(old)).returncode == 0
        assert window.check_replaced() is True
        assert changes[-1].label == "the library was replaced" and window.undo_label() is None
        assert [p.title for p in window.papers(window.ids())] == ["Only one"]
        assert window.ids("only") == [1]  # the index followed the new identity
        assert window.check_replaced() is False
    finally:
        window.close()


def test_load_gives_a_new_identity(data_dir, tmp_path):
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        lib.add([Draft(title="Dumped")], raw_text="x", fmt="t")
    dump = tmp_path / "dump.jsonl"
    assert _cli(data_dir, "dump", "-o", str(dump)).returncode == 0
    other = tmp_path / "other"
    window = Library.open(other, backup=False)
    try:
        before = window.store.library_id
        assert _cli(other, "load", str(dump)).returncode == 0
        assert window.check_replaced() and window.store.library_id != before
    finally:
        window.close()


def test_journal_files_deleted_under_an_open_library_are_noticed(data_dir):
    """Item 5: -wal/-shm deleted while the window held the library: two acknowledged CLI
    tags vanished at the window's checkpoint and `check` said OK. Now the window refuses
    to write and says why, `check` reports it, and closing it does not checkpoint its
    stale journal over the command's tag."""
    window = Library.open(data_dir, sync_index=False, backup=False)
    try:
        window.add([Draft(title=f"Paper {i}") for i in range(5)], raw_text="x", fmt="t")
        window.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        window.update(3, notes="only in the old journal")
        for suffix in ("-wal", "-shm"):
            os.unlink(f"{data_dir / 'library.db'}{suffix}")
        assert _cli(data_dir, "tag", "1", "--add", "cli").returncode == 0
        with pytest.raises(LibraryCorrupt, match="library.db-wal and library.db-shm .* deleted"):
            window.add_tags([2], ["window"])
        problems = window.check()
        assert problems and "deleted or replaced" in problems[0]
        with pytest.raises(LibraryCorrupt, match="deleted or replaced"):
            window.update(4, notes="still refused")
    finally:
        window.close()  # without writing its stale journal over the command's tag
    with Library.open(data_dir, sync_index=False, backup=False) as lib:
        assert lib.ids("tag:cli") == [1] and lib.check() == []
