"""Before the window opens: can Qt's X11 (xcb) plugin load? If not, say which packages to install.

Without some small X11 libraries (libxcb-cursor0 is the usual one) Qt aborts with
"Could not load the Qt platform plugin "xcb" ... no Qt platform plugin could be
initialized", which tells a user nothing. This module finds the plugin, asks `ldd`
which of its libraries are missing, and names the packages that provide them.

It imports only QtCore (no QApplication), so it is cheap to run before the GUI starts:

    if not qtcheck.explain_missing_libs():
        return 1
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

# soname -> (Debian/Ubuntu package, Fedora package). The libraries Qt's xcb plugin links.
SONAME_PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libXau.so.6": ("libxau6", "libXau"),
    "libXdmcp.so.6": ("libxdmcp6", "libXdmcp"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libpng16.so.16": ("libpng16-16", "libpng"),
    "libz.so.1": ("zlib1g", "zlib"),
    "libwayland-client.so.0": ("libwayland-client0", "libwayland-client"),
    "libwayland-cursor.so.0": ("libwayland-cursor0", "libwayland-cursor"),
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found", re.MULTILINE)
_DLOPEN_MISSING = re.compile(r"(\S+\.so[.\d]*): cannot open shared object file")


@dataclass
class Packages:
    """What to install for a list of missing sonames."""

    debian: list[str] = field(default_factory=list)
    fedora: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # sonames we cannot name a package for


def packages_for(missing: Iterable[str]) -> Packages:
    """Map missing sonames to package names, each package once, in first-seen order."""
    out = Packages()
    for soname in missing:
        names = SONAME_PACKAGES.get(soname)
        if names is None:
            if soname not in out.unknown:
                out.unknown.append(soname)
            continue
        deb, fedora = names
        if deb not in out.debian:
            out.debian.append(deb)
        if fedora not in out.fedora:
            out.fedora.append(fedora)
    return out


def parse_ldd(output: str) -> list[str]:
    """The sonames `ldd` reports as 'not found', each once."""
    seen: list[str] = []
    for soname in _NOT_FOUND.findall(output):
        if soname not in seen:
            seen.append(soname)
    return seen


def selected_platform(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The Qt platform plugin this launch will use first ('' when it is Qt's own choice)."""
    for i, arg in enumerate(argv):
        if arg in ("-platform", "--platform") and i + 1 < len(argv):
            return argv[i + 1].split(";")[0].split(":")[0].strip()
        if arg.startswith(("-platform=", "--platform=")):
            return arg.split("=", 1)[1].split(";")[0].split(":")[0].strip()
    value = environ.get("QT_QPA_PLATFORM", "")
    return value.split(";")[0].split(":")[0].strip()


def needs_xcb_check(argv: Sequence[str], environ: Mapping[str, str], platform: str | None = None) -> bool:
    """True when this launch will use the xcb plugin: Linux, and xcb chosen or defaulted to."""
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return False
    chosen = selected_platform(argv, environ)
    if chosen:
        return chosen == "xcb"
    # Qt's own choice: Wayland in a Wayland session, else xcb.
    wayland = environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland"
    return not wayland


def xcb_plugin_path() -> Path | None:
    """Where Qt's xcb platform plugin is (in the PySide6 wheel, or in the bundle)."""
    try:
        import PySide6
        from PySide6.QtCore import QLibraryInfo
    except ImportError:
        return None
    folders = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))]
    folders += [Path(p) for p in os.environ.get("QT_PLUGIN_PATH", "").split(os.pathsep) if p]
    folders.append(Path(PySide6.__file__).parent / "Qt" / "plugins")  # the wheel's (or bundle's) own
    for folder in folders:
        candidate = folder / "platforms" / "libqxcb.so"
        if candidate.exists():
            return candidate
    return None


def missing_libraries(plugin: Path) -> list[str]:
    """Sonames the plugin (or a library it needs) cannot find, via ldd; else via dlopen."""
    ldd = shutil.which("ldd")
    if ldd:
        try:
            result = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=20,
                                    check=False)
        except (OSError, subprocess.SubprocessError):
            result = None
        if result is not None and (result.returncode == 0 or "not found" in result.stdout):
            return parse_ldd(result.stdout)
    import ctypes

    try:  # dlopen names only the first missing library, but that is enough to start with
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        found = _DLOPEN_MISSING.search(str(exc))
        return [found.group(1)] if found else [str(exc)]
    return []


def message(missing: Sequence[str]) -> str:
    """The plain-words explanation for a list of missing sonames."""
    pk = packages_for(missing)
    lines = [
        "paperdeck cannot open its window: Qt's X11 support needs system libraries that are",
        "not installed: " + ", ".join(missing) + ".",
        "",
    ]
    if pk.debian:
        lines += ["On Debian or Ubuntu, install them with:",
                  "    sudo apt install " + " ".join(pk.debian), ""]
    if pk.fedora:
        lines += ["On Fedora:",
                  "    sudo dnf install " + " ".join(pk.fedora), ""]
    if pk.unknown:
        lines += ["Also needed (find the package that provides it): " + ", ".join(pk.unknown), ""]
    lines += ["Then start paperdeck again. The command line (paperdeck import, list, export ...)",
              "works without these libraries."]
    return "\n".join(lines)


def explain_missing_libs(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None,
                         stream: TextIO | None = None) -> bool:
    """Check before creating the QApplication. True: go ahead. False: explained on `stream`.

    Skipped (True) off Linux and for the offscreen, Wayland and other non-xcb platforms.
    """
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    stream = sys.stderr if stream is None else stream
    if not needs_xcb_check(argv, environ):
        return True
    plugin = xcb_plugin_path()
    if plugin is None:
        return True  # no xcb plugin to check (an unusual Qt build); let Qt speak for itself
    missing = missing_libraries(plugin)
    if missing:
        print(message(missing), file=stream)
        return False
    if not environ.get("DISPLAY"):
        print("paperdeck cannot open its window: no X11 display (DISPLAY is not set).\n"
              "Start it from a desktop session, or over SSH with 'ssh -X'. The command line\n"
              "(paperdeck import, list, export ...) works without a display.", file=stream)
        return False
    return True


if __name__ == "__main__":  # python -m paperdeck.qtcheck: report, exit 1 if the window cannot open
    sys.exit(0 if explain_missing_libs() else 1)
