"""Mechanical checks of the architecture (DESIGN.md): core and CLI know nothing of Qt."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "desktop" / "paperdeck"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_and_cli_never_import_qt():
    for folder in ("core", "cli"):
        for path in (SRC / folder).rglob("*.py"):
            qt = {n for n in _imports(path) if re.match(r"(PySide6|PyQt|shiboken)", n)}
            assert not qt, f"{path} imports {qt}"


def test_importing_the_core_loads_no_qt():
    code = ("import sys, paperdeck.core.library, paperdeck.cli.commands\n"
            "assert not [m for m in sys.modules if m.startswith('PySide6')]")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_ui_never_writes_sql():
    for path in (SRC / "ui").rglob("*.py"):
        text = path.read_text("utf-8")
        assert not re.search(r"\b(INSERT|UPDATE|DELETE FROM|SELECT)\b", text), path
        assert "sqlite" not in text.lower(), path


def test_every_package_is_listed_in_pyproject():
    """The wheel only holds packages named in pyproject (a miss breaks installed copies)."""
    config = tomllib.loads((SRC.parents[1] / "pyproject.toml").read_text("utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(p.parent.relative_to(SRC.parent).parts)
        for p in SRC.rglob("__init__.py")
    }
    assert on_disk <= listed, on_disk - listed


def test_resources_are_found_as_a_folder():
    from paperdeck.paths import resources_dir, sample_digest_path

    assert resources_dir().is_dir()
    assert sample_digest_path().is_file()
    assert (resources_dir() / "icons").is_dir()


def test_no_ui_helper_imports_the_window():
    """The window composes its helpers (ports.py says what each may use); none reaches back."""
    for path in (SRC / "ui").glob("*.py"):
        if path.name == "main_window.py":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [a.name for a in node.names]
                assert not any("main_window" in n or n == "MainWindow" for n in names), path
