"""qtcheck: which packages to install when Qt's xcb plugin cannot load, in plain words."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from paperdeck import qtcheck

LDD_SAMPLE = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /x/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f15)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-cursor.so.0 => not found
\tlibfoo-unknown.so.3 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f15)
"""


def test_parse_ldd_lists_each_missing_soname_once():
    assert qtcheck.parse_ldd(LDD_SAMPLE) == [
        "libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libfoo-unknown.so.3"]


def test_packages_for_maps_sonames_to_debian_and_fedora_names():
    pk = qtcheck.packages_for(["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1",
                               "libxcb-randr.so.0", "libxcb-shm.so.0", "libfoo.so.1"])
    assert pk.debian == ["libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-randr0",
                         "libxcb-shm0"]
    assert pk.fedora == ["xcb-util-cursor", "xcb-util-wm", "xcb-util-keysyms", "libxcb"]
    assert pk.unknown == ["libfoo.so.1"]


def test_message_names_the_commands_to_run():
    text = qtcheck.message(["libxcb-cursor.so.0", "libxkbcommon-x11.so.0"])
    assert "sudo apt install libxcb-cursor0 libxkbcommon-x11-0" in text
    assert "sudo dnf install xcb-util-cursor libxkbcommon-x11" in text
    assert "libxcb-cursor.so.0" in text
    assert "plugin" not in text.lower()  # plain words, not Qt's jargon


@pytest.mark.parametrize(("argv", "env", "expected"), [
    ([], {"QT_QPA_PLATFORM": "offscreen"}, False),
    ([], {"QT_QPA_PLATFORM": "wayland"}, False),
    ([], {"QT_QPA_PLATFORM": "xcb"}, True),
    ([], {"QT_QPA_PLATFORM": "xcb:option=1"}, True),
    ([], {"QT_QPA_PLATFORM": "wayland;xcb"}, False),
    ([], {"DISPLAY": ":0"}, True),
    ([], {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, False),
    ([], {"XDG_SESSION_TYPE": "wayland"}, False),
    (["paperdeck", "-platform", "offscreen"], {}, False),
    (["paperdeck", "-platform", "xcb"], {"QT_QPA_PLATFORM": "offscreen"}, True),
])
def test_check_only_when_xcb_is_the_platform(argv, env, expected):
    assert qtcheck.needs_xcb_check(argv, env, platform="linux") is expected


def test_no_check_off_linux():
    assert not qtcheck.needs_xcb_check([], {"QT_QPA_PLATFORM": "xcb"}, platform="win32")
    assert not qtcheck.needs_xcb_check([], {}, platform="darwin")


def test_explain_reports_missing_libraries(monkeypatch, tmp_path):
    monkeypatch.setattr(qtcheck.sys, "platform", "linux")
    monkeypatch.setattr(qtcheck, "xcb_plugin_path", lambda: tmp_path / "libqxcb.so")
    monkeypatch.setattr(qtcheck, "missing_libraries", lambda plugin: ["libxcb-cursor.so.0"])
    out = io.StringIO()
    ok = qtcheck.explain_missing_libs(["paperdeck"], {"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"},
                                      stream=out)
    assert ok is False
    assert "sudo apt install libxcb-cursor0" in out.getvalue()


def test_explain_skips_offscreen_without_looking(monkeypatch):
    def boom():
        raise AssertionError("offscreen must not be checked")

    monkeypatch.setattr(qtcheck, "xcb_plugin_path", boom)
    out = io.StringIO()
    assert qtcheck.explain_missing_libs([], {"QT_QPA_PLATFORM": "offscreen"}, stream=out)
    assert out.getvalue() == ""


def test_no_display_is_explained(monkeypatch, tmp_path):
    monkeypatch.setattr(qtcheck.sys, "platform", "linux")
    monkeypatch.setattr(qtcheck, "xcb_plugin_path", lambda: tmp_path / "libqxcb.so")
    monkeypatch.setattr(qtcheck, "missing_libraries", lambda plugin: [])
    out = io.StringIO()
    assert not qtcheck.explain_missing_libs([], {"QT_QPA_PLATFORM": "xcb"}, stream=out)
    assert "DISPLAY is not set" in out.getvalue()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's xcb plugin exists on Linux only")
def test_real_plugin_is_found_and_checked_against_the_loader():
    """The oracle is the dynamic loader: the plugin loads (in a child, with RTLD_NOW) exactly
    when nothing is reported missing, and each library reported is one the loader's
    cache (`ldconfig -p`) does not have."""
    plugin = qtcheck.xcb_plugin_path()
    assert plugin is not None and plugin.name == "libqxcb.so"
    missing = qtcheck.missing_libraries(plugin)
    load = subprocess.run(
        [sys.executable, "-c", f"import ctypes; ctypes.CDLL({str(plugin)!r}, mode=2)"],  # RTLD_NOW
        capture_output=True, text=True, timeout=60, check=False)
    assert (load.returncode == 0) == (missing == []), (missing, load.stderr[-500:])
    if missing:
        cache = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True,
                               check=True).stdout
        assert not [name for name in missing if f"{name} (" in cache]
        assert any(name in load.stderr for name in missing), load.stderr[-500:]
        assert qtcheck.message(missing).startswith("paperdeck cannot open its window")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's xcb plugin exists on Linux only")
def test_module_runs_as_a_command():
    result = subprocess.run([sys.executable, "-m", "paperdeck.qtcheck"], capture_output=True, text=True,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def orphaned_plugin(tmp_path):
    """A real copy of libqxcb.so where its Qt libraries cannot be found: genuinely missing libs."""
    if not sys.platform.startswith("linux"):
        pytest.skip("Qt's xcb plugin exists on Linux only")
    import shutil

    plugin = qtcheck.xcb_plugin_path()
    copy = tmp_path / "platforms" / "libqxcb.so"
    copy.parent.mkdir()
    shutil.copyfile(plugin, copy)
    return copy


def test_real_ldd_finds_missing_libraries(orphaned_plugin, monkeypatch):
    import shutil

    if shutil.which("ldd") is None:
        pytest.skip("ldd missing")
    monkeypatch.delenv("LD_LIBRARY_PATH", raising=False)
    missing = qtcheck.missing_libraries(orphaned_plugin)
    assert "libQt6XcbQpa.so.6" in missing
    assert "libQt6XcbQpa.so.6" in qtcheck.packages_for(missing).unknown


def test_without_ldd_dlopen_names_the_first_missing_library(orphaned_plugin, monkeypatch):
    monkeypatch.setattr(qtcheck.shutil, "which", lambda name: None)
    monkeypatch.delenv("LD_LIBRARY_PATH", raising=False)
    missing = qtcheck.missing_libraries(orphaned_plugin)
    assert len(missing) == 1 and missing[0].startswith("libQt6")
