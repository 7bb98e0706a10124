"""Exports are for other programs and people: they get the user's usual file mode, while
the library's own files stay private (found by a tester: every export came out 0600)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _cli(data_dir: Path, umask: int, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "paperdeck", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=120,
                          preexec_fn=lambda: os.umask(umask))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_exports_get_the_users_mode_and_the_library_stays_private(tmp_path, umask, mode):
    lib = tmp_path / "lib"
    assert _cli(lib, umask, "import", str(SAMPLE)).returncode == 0
    out = tmp_path / "refs.bib"
    done = _cli(lib, umask, "export", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert _mode(out) == mode
    kept = tmp_path / "kept.bib"
    done = _cli(lib, umask, "autoexport", "add", str(kept), "--format", "biblatex")
    assert done.returncode == 0, done.stderr
    assert _mode(kept) == mode
    assert _mode(lib / "library.db") == 0o600 and _mode(lib) == 0o700


def test_an_export_over_a_file_keeps_that_files_mode(tmp_path):
    lib = tmp_path / "lib"
    assert _cli(lib, 0o022, "import", str(SAMPLE)).returncode == 0
    out = tmp_path / "refs.bib"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o604)
    assert _cli(lib, 0o077, "export", "-o", str(out)).returncode == 0
    assert _mode(out) == 0o604 and out.read_text(encoding="utf-8").startswith("@")
