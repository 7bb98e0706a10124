"""A bounded fault soak (issue 13): two writer processes tag and import while they are
SIGKILLed and restarted at random moments and `paperdeck restore-backup` replaces the
library under them. Afterwards the library is intact, its index matches, every backup
the restores made checks out, and every write a writer acknowledged is either in the
library or in the safety backup of the restore that replaced it.

The CI run takes about 15 s (PAPERDECK_SOAK_SECONDS to change it); the `slow` one soaks
for two minutes."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from paperdeck.core import backup
from paperdeck.core.library import Library
from paperdeck.core.models import Draft

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from paperdeck.core.errors import LibraryLocked, LibraryReplaced
    from paperdeck.core.library import Library
    from paperdeck.core.models import Draft
    folder, name = Path(sys.argv[1]), sys.argv[2]
    lib = Library.open(folder, sync_index=False, backup=False)
    k = 0
    while True:
        tag = f"{name}-{k}"
        try:
            # Both writers import now and then: new ids are taken inside the write
            # transaction, so concurrent imports never collide (issue 13 item 11).
            if k % 7 == 3:
                lib.add([Draft(title=f"Soak {tag} robots", abstract="ice " * 50)],
                        raw_text=tag, fmt="soak", tags=[tag])
            else:
                lib.add_tags([1, 2], [tag])
        except LibraryReplaced:
            lib.close()
            lib = Library.open(folder, sync_index=False, backup=False)
            continue
        except LibraryLocked:
            continue
        print(tag, flush=True)
        k += 1
""")


class Writer:
    """One writer process and the tags it acknowledged (read by a thread as they come)."""

    def __init__(self, folder: Path, name: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", WRITER, str(folder), name],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.acked: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.acked.append(line.strip())

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.reader.join(timeout=30)
        err = self.proc.stderr.read()
        assert "Traceback" not in err, err


def _tags(db: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM tags")}
    finally:
        conn.close()


def soak(folder: Path, seconds: float, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    with Library.open(folder, backup=False) as lib:
        lib.add([Draft(title=f"Seed {i} robots", abstract="ice " * 50) for i in range(60)],
                raw_text="seed", fmt="t")
        good = lib.backup()
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(folder)}
    writers = {name: Writer(folder, name) for name in ("a", "b")}
    acked: set[str] = set()
    saved: set[str] = set()  # tags in the safety backups the restores made
    counts = {"kills": 0, "restores": 0}
    generation = {"a": 0, "b": 0}
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            time.sleep(rng.uniform(0.1, 0.6))
            if rng.random() < 0.6:
                name = rng.choice(sorted(writers))
                writers[name].kill()
                acked |= set(writers[name].acked)
                generation[name] += 1
                writers[name] = Writer(folder, f"{name}{generation[name]}")
                counts["kills"] += 1
            else:
                done = subprocess.run([sys.executable, "-m", "paperdeck", "restore-backup",
                                       str(good)], capture_output=True, text=True, env=env,
                                      timeout=120)
                assert done.returncode == 0, done.stderr
                made = Path(done.stdout.split("saved in ", 1)[1].split(";")[0])
                backup.check_backup(made)  # read now: later restores rotate it away
                saved |= _tags(made)
                counts["restores"] += 1
    finally:
        for writer in writers.values():
            writer.kill()
            acked |= set(writer.acked)
    lost = acked - (_tags(folder / "library.db") | saved)
    assert not lost, f"lost {len(lost)} of {len(acked)} acknowledged writes: {sorted(lost)[:5]}"
    with Library.open(folder, backup=False) as lib:
        assert lib.check() == []
        assert lib.ids("robots")
    assert not list(backup.backups_dir(folder).glob("*.part"))
    counts["acked"] = len(acked)
    return counts


def test_fault_soak(tmp_path):
    seconds = float(os.environ.get("PAPERDECK_SOAK_SECONDS", "12"))
    counts = soak(tmp_path / "library", seconds, seed=13)
    assert counts["kills"] and counts["restores"] and counts["acked"] > 50, counts


@pytest.mark.slow
@pytest.mark.soak
def test_fault_soak_long(tmp_path):
    counts = soak(tmp_path / "library", 120, seed=14)
    assert counts["kills"] > 20 and counts["restores"] > 10, counts
