"""`paperdeck install-desktop-entry`: the launcher and icons land in (and leave) the XDG folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from paperdeck import desktop_entry
from paperdeck.cli.main import main as cli_main

REPO = Path(__file__).resolve().parents[1]
SIZES = desktop_entry.ICON_SIZES


def installed_files(home: Path) -> set[Path]:
    return {home / "applications" / "paperdeck.desktop",
            home / "icons" / "hicolor" / "scalable" / "apps" / "paperdeck.svg",
            *(home / "icons" / "hicolor" / f"{n}x{n}" / "apps" / "paperdeck.png" for n in SIZES)}


def parse_desktop(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


@pytest.fixture
def xdg_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def test_install_writes_launcher_and_every_icon_size(xdg_home):
    written = desktop_entry.install(xdg_home, ["/opt/paperdeck/paperdeck-gui"])
    assert set(written) == installed_files(xdg_home)
    for path in written:
        assert path.stat().st_size > 0
    entry = parse_desktop(xdg_home / "applications" / "paperdeck.desktop")
    assert entry["Exec"] == "/opt/paperdeck/paperdeck-gui"
    assert entry["TryExec"] == "/opt/paperdeck/paperdeck-gui"
    assert entry["Icon"] == "paperdeck"
    assert entry["Type"] == "Application"
    assert entry["StartupWMClass"] == "paperdeck"
    png = xdg_home / "icons" / "hicolor" / "48x48" / "apps" / "paperdeck.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_uninstall_removes_exactly_what_install_wrote(xdg_home):
    other = xdg_home / "applications" / "other.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\n", encoding="utf-8")
    desktop_entry.install(xdg_home, ["paperdeck-gui"])
    removed = desktop_entry.uninstall(xdg_home)
    assert set(removed) == installed_files(xdg_home)
    assert not any(p.exists() for p in installed_files(xdg_home))
    assert other.exists()
    assert desktop_entry.uninstall(xdg_home) == []  # twice is fine


def test_cli_install_and_uninstall(xdg_home, capsys):
    if not sys.platform.startswith("linux"):
        pytest.skip("install-desktop-entry is for Linux desktops")
    assert cli_main(["install-desktop-entry"]) == 0
    out = capsys.readouterr().out
    assert "application menu" in out
    assert all(p.exists() for p in installed_files(xdg_home))
    entry = parse_desktop(xdg_home / "applications" / "paperdeck.desktop")
    assert "paperdeck" in entry["Exec"]
    assert cli_main(["install-desktop-entry", "--uninstall"]) == 0
    assert "no longer" in capsys.readouterr().out
    assert not any(p.exists() for p in installed_files(xdg_home))


def test_relative_xdg_data_home_is_ignored(tmp_path):
    assert desktop_entry.data_home({"XDG_DATA_HOME": "relative/dir"}) == Path.home() / ".local" / "share"
    assert desktop_entry.data_home({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path


def test_launcher_runs_the_installed_gui_script():
    command = desktop_entry.launcher_command()
    assert command[0].endswith("paperdeck-gui") or command[1:] == ["-m", "paperdeck"]


def test_launcher_in_a_bundle_is_the_bundled_gui(tmp_path, monkeypatch):
    (tmp_path / "paperdeck").touch()
    (tmp_path / "paperdeck-gui").touch()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "paperdeck"))
    assert desktop_entry.launcher_command() == [str(tmp_path / "paperdeck-gui")]


@pytest.mark.parametrize(("arg", "expected"), [
    ("/usr/bin/paperdeck-gui", "/usr/bin/paperdeck-gui"),
    ("/home/me/My Apps/paperdeck-gui", '"/home/me/My Apps/paperdeck-gui"'),
    ("/opt/$x/a\"b", '"/opt/\\\\$x/a\\\\"b"'),
    ("/opt/back\\slash", '"/opt/back\\\\\\\\slash"'),
    ("/opt/100%/gui", "/opt/100%%/gui"),
])
def test_exec_arguments_are_quoted_per_the_spec(arg, expected):
    assert desktop_entry.quote_exec_arg(arg) == expected


def test_packaged_desktop_file_matches_the_generated_one():
    """packaging/linux/paperdeck.desktop (for distribution packages) is what install writes."""
    packaged = (REPO / "packaging" / "linux" / "paperdeck.desktop").read_text(encoding="utf-8")
    assert packaged == desktop_entry.desktop_file_text(["paperdeck-gui"])


def _validate(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate missing (Debian: desktop-file-utils)")
def test_desktop_files_validate(tmp_path):
    odd = tmp_path / "paperdeck.desktop"
    odd.write_text(desktop_entry.desktop_file_text(
        ["/home/me/My $Apps/100%/paperdeck-gui", "--data-dir", "/a b/\"c\""]), encoding="utf-8")
    for path in (REPO / "packaging" / "linux" / "paperdeck.desktop", odd):
        result = _validate("desktop-file-validate", str(path))
        assert result.returncode == 0 and "error" not in result.stdout, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("appstreamcli") is None,
                    reason="appstreamcli missing (Debian: appstream)")
def test_metainfo_validates():
    path = REPO / "packaging" / "linux" / "org.paperdeck.paperdeck.metainfo.xml"
    result = _validate("appstreamcli", "validate", "--no-net", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
