"""Register paperdeck in the desktop's application menu for the current user (Linux, XDG).

`paperdeck install-desktop-entry` writes
    $XDG_DATA_HOME/applications/paperdeck.desktop
    $XDG_DATA_HOME/icons/hicolor/<N>x<N>/apps/paperdeck.png   (16 .. 512)
    $XDG_DATA_HOME/icons/hicolor/scalable/apps/paperdeck.svg
and `--uninstall` removes exactly those files. No Qt: this runs from the command line.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .paths import resources_dir

DESKTOP_ID = "paperdeck.desktop"
ICON_NAME = "paperdeck"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)

# The launcher's keys, in file order. Exec is filled in per install.
ENTRY = {
    "Type": "Application",
    "Version": "1.4",
    "Name": "paperdeck",
    "GenericName": "Reading Queue",
    "Comment": "A reading queue for research papers: paste a digest, read, export BibTeX",
    "Icon": ICON_NAME,
    "Terminal": "false",
    "Categories": "Office;",
    "Keywords": "papers;arXiv;BibTeX;reading list;references;research;",
    "StartupNotify": "true",
    "StartupWMClass": "paperdeck",
    "X-GNOME-SingleWindow": "true",
}


def data_home(environ: dict[str, str] | None = None) -> Path:
    """$XDG_DATA_HOME, else ~/.local/share (the XDG base directory rule: relative paths are ignored)."""
    env = os.environ if environ is None else environ
    value = env.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def launcher_command() -> list[str]:
    """What the menu entry runs: the bundle's paperdeck-gui when frozen, else the installed script."""
    exe = Path(sys.executable)
    if getattr(sys, "frozen", False):
        gui = exe.with_name("paperdeck-gui")
        return [str(gui if gui.exists() else exe)]
    for candidate in (exe.parent / "paperdeck-gui", Path(sys.argv[0]).resolve().with_name("paperdeck-gui")):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return [str(candidate)]
    found = shutil.which("paperdeck-gui")
    if found:
        return [str(Path(found).resolve())]
    return [str(exe), "-m", "paperdeck"]  # no subcommand opens the window


_RESERVED = re.compile(r'[\s"\'\\><~|&;$*?#()`]')


def quote_exec_arg(arg: str) -> str:
    """One Exec argument per the Desktop Entry spec: quoted when needed, then string-escaped."""
    if _RESERVED.search(arg):
        arg = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
    # Field codes start with %, so a literal % is %%; then the string type's own escaping.
    return arg.replace("%", "%%").replace("\\", "\\\\")


def desktop_file_text(command: list[str]) -> str:
    """The .desktop file for a launcher that runs `command`."""
    exec_line = " ".join(quote_exec_arg(a) for a in command)
    lines = ["[Desktop Entry]"]
    for key, value in ENTRY.items():
        lines.append(f"{key}={value}")
        if key == "Icon":
            lines.append(f"Exec={exec_line}")
            if Path(command[0]).is_absolute():
                lines.append("TryExec=" + command[0].replace("\\", "\\\\"))  # a plain string
    return "\n".join(lines) + "\n"


def icon_targets(home: Path) -> list[tuple[Path, Path]]:
    """(shipped file, installed file) for every icon."""
    src = resources_dir() / "icons"
    hicolor = home / "icons" / "hicolor"
    pairs = [(src / f"paperdeck-{n}.png", hicolor / f"{n}x{n}" / "apps" / f"{ICON_NAME}.png")
             for n in ICON_SIZES]
    pairs.append((src / "paperdeck.svg", hicolor / "scalable" / "apps" / f"{ICON_NAME}.svg"))
    return pairs


def install(home: Path | None = None, command: list[str] | None = None) -> list[Path]:
    """Write the launcher and the icons; returns the files written."""
    home = data_home() if home is None else Path(home)
    written = []
    for src, dst in icon_targets(home):
        if not src.exists():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        written.append(dst)
    apps = home / "applications"
    apps.mkdir(parents=True, exist_ok=True)
    desktop = apps / DESKTOP_ID
    tmp = desktop.with_name(desktop.name + ".part")
    tmp.write_text(desktop_file_text(command or launcher_command()), encoding="utf-8")
    tmp.chmod(0o755)  # some desktops only trust executable launchers
    tmp.replace(desktop)
    written.append(desktop)
    _refresh_caches(home)
    return written


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove what `install` wrote; returns the files removed (missing ones are not an error)."""
    home = data_home() if home is None else Path(home)
    removed = []
    for path in [dst for _, dst in icon_targets(home)] + [home / "applications" / DESKTOP_ID]:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    _refresh_caches(home)
    return removed


def _refresh_caches(home: Path) -> None:
    """Tell menus and icon themes about the change, where the tools exist. Best effort."""
    hicolor = home / "icons" / "hicolor"
    if hicolor.is_dir():
        os.utime(hicolor)  # icon themes notice a newer folder time
    commands = [["update-desktop-database", "-q", str(home / "applications")]]
    if (hicolor / "index.theme").exists():  # gtk-update-icon-cache refuses a theme with no index
        commands.append(["gtk-update-icon-cache", "-q", "-t", "-f", str(hicolor)])
    for cmd in commands:
        if shutil.which(cmd[0]) and Path(cmd[-1]).is_dir():
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                subprocess.run(cmd, capture_output=True, timeout=30, check=False)
