"""The PyInstaller spec and build script: they parse, and the bundle gets every resource.

The bundle build itself is slow (about 1.5 minutes on two cores) and lives in `.ci/bundle`.
"""

from __future__ import annotations

import importlib.util
import runpy
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO / "packaging" / "paperdeck.spec"


class Recorder:
    """Stands in for one of PyInstaller's spec classes and remembers how it was called."""

    calls: list[tuple[str, tuple, dict]] = []

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        Recorder.calls.append((type(self).__name__, args, kwargs))
        self.binaries = [("PySide6/Qt/plugins/platforms/libqxcb.so", "/x/libqxcb.so", "BINARY"),
                         ("PySide6/Qt/plugins/platforms/libqvnc.so", "/x/libqvnc.so", "BINARY"),
                         ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/x/libqgtk3.so", "BINARY"),
                         ("PySide6/Qt/plugins/tls/libqopensslbackend.so", "/x/tls.so", "BINARY")]
        self.datas = [(f"{dest}/{Path(src).name}", src, "DATA") for src, dest in kwargs.get("datas", [])] + [
            ("PySide6/Qt/translations/qtbase_de.qm", "/x/qtbase_de.qm", "DATA")]
        self.pure, self.scripts = [], []


def stand_in(name: str) -> type:
    return type(name, (Recorder,), {})


@pytest.fixture
def spec(monkeypatch):
    Recorder.calls = []
    names = {n: stand_in(n) for n in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
    names["SPECPATH"] = str(SPEC.parent)
    # prune_orphans reads real binaries; the stand-in ones are not real, so skip it here.
    monkeypatch.setattr(sys, "platform", "testos")
    return runpy.run_path(str(SPEC), init_globals=names)


def called(kind: str) -> list[tuple[tuple, dict]]:
    return [(args, kwargs) for name, args, kwargs in Recorder.calls if name == kind]


def test_spec_lists_every_resource_at_paperdeck_resources(spec):
    ((args, kwargs),) = called("Analysis")
    datas = {(Path(src).relative_to(REPO / "resources").as_posix(), dest)
             for src, dest in kwargs["datas"]}
    assert ("sample-digest.txt", "paperdeck/resources") in datas
    assert ("icons/paperdeck.svg", "paperdeck/resources/icons") in datas
    for size in (16, 32, 48, 128, 256, 512):
        assert (f"icons/paperdeck-{size}.png", "paperdeck/resources/icons") in datas
    shipped = {p.relative_to(REPO / "resources").as_posix() for p in (REPO / "resources").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert {src for src, _ in datas} == shipped


def test_spec_builds_two_executables_in_one_folder(spec):
    exes = {kwargs["name"]: kwargs for _, kwargs in called("EXE")}
    assert set(exes) == {"paperdeck", "paperdeck-gui"}
    assert exes["paperdeck"]["console"] is True
    assert exes["paperdeck-gui"]["console"] is False
    ((args, kwargs),) = called("COLLECT")
    assert kwargs["name"] == "paperdeck"
    assert not called("BUNDLE")  # macOS only


def test_spec_keeps_the_bundle_lean(spec):
    ((args, kwargs),) = called("Analysis")
    excludes = set(kwargs["excludes"])
    for module in ("PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtTest", "tkinter", "pytest",
                   "hypothesis", "bibtexparser"):
        assert module in excludes
    for needed in ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtNetwork",
                   "PySide6.QtSvg"):
        assert needed not in excludes
    assert "PySide6.QtSvg" in kwargs["hiddenimports"]
    assert "paperdeck.cli.commands" in kwargs["hiddenimports"]
    assert "paperdeck.ui.single_instance" in kwargs["hiddenimports"]
    analysis = spec["a"]
    kept = {dest for dest, _, _ in analysis.binaries} | {dest for dest, _, _ in analysis.datas}
    assert "PySide6/Qt/plugins/platforms/libqxcb.so" in kept
    assert not any(("libqvnc" in d or "libqgtk3" in d or "/tls/" in d or "translations" in d) for d in kept)


def test_spec_makes_a_mac_app_with_the_bundle_identifier(monkeypatch):
    Recorder.calls = []
    names = {n: stand_in(n) for n in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
    names["SPECPATH"] = str(SPEC.parent)
    monkeypatch.setattr(sys, "platform", "darwin")
    runpy.run_path(str(SPEC), init_globals=names)
    ((args, kwargs),) = called("BUNDLE")
    assert kwargs["bundle_identifier"] == "org.paperdeck.paperdeck"
    assert kwargs["name"] == "paperdeck.app"


def test_build_script_imports_without_pyinstaller():
    spec = importlib.util.spec_from_file_location("paperdeck_build", REPO / "packaging" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.SPEC == SPEC and SPEC.exists()
    assert module.DIST == REPO / "dist"


def test_build_output_is_git_ignored():
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").split()
    assert "build/" in ignored and "dist/" in ignored


def test_launcher_picks_the_window_for_paperdeck_gui():
    text = (REPO / "packaging" / "launcher.py").read_text(encoding="utf-8")
    assert 'startswith("paperdeck-gui")' in text and "freeze_support()" in text


def test_resources_dir_inside_a_bundle(tmp_path, monkeypatch):
    from paperdeck import paths

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "paperdeck" / "resources"
    assert paths.sample_digest_path() == tmp_path / "paperdeck" / "resources" / "sample-digest.txt"


def test_ci_bundle_script_is_executable_bash():
    import os
    import shutil
    import subprocess

    script = REPO / ".ci" / "bundle"
    assert os.access(script, os.X_OK)
    if shutil.which("bash"):
        subprocess.run(["bash", "-n", str(script)], check=True)


def test_unused_qt_pieces_match_on_every_platform(spec):
    keep = spec["keep"]
    for dropped in ("PySide6/Qt/plugins/platforms/libqvnc.so", "PySide6\\plugins\\platforms\\qvnc.dll",
                    "PySide6/Qt/translations/qt_de.qm", "PySide6\\translations\\qt_de.qm",
                    "PySide6/Qt/plugins/tls/libqopensslbackend.so"):
        assert not keep((dropped, "", "BINARY")), dropped
    for kept in ("PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6\\plugins\\platforms\\qwindows.dll",
                 "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
                 "PySide6/Qt/plugins/platforms/libqwayland.so",
                 "PySide6/Qt/plugins/iconengines/libqsvgicon.so", "paperdeck/resources/sample-digest.txt"):
        assert keep((kept, "", "DATA")), kept
