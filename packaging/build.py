"""Build the one-folder bundle: dist/paperdeck/ with the executables paperdeck and paperdeck-gui.

    pip install ".[bundle]"
    python packaging/build.py [--clean]

Windows and macOS executable icons (.ico, .icns) are made from the PNGs first when Pillow
is installed; without it the executables keep PyInstaller's default icon.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "paperdeck.spec"
ICONS = ROOT / "resources" / "icons"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
PLATFORM_ICONS = ROOT / "build" / "icons"


def make_platform_icons(out: Path = PLATFORM_ICONS) -> list[Path]:
    """paperdeck.ico and paperdeck.icns from the shipped PNGs, if Pillow is available."""
    try:
        from PIL import Image
    except ImportError:
        print("build: Pillow not installed; no .ico/.icns (Linux does not need them)")
        return []
    out.mkdir(parents=True, exist_ok=True)
    biggest = Image.open(ICONS / "paperdeck-512.png").convert("RGBA")
    made = []
    ico = out / "paperdeck.ico"
    biggest.save(ico, sizes=[(n, n) for n in (16, 24, 32, 48, 64, 128, 256)])
    made.append(ico)
    icns = out / "paperdeck.icns"
    try:
        biggest.save(icns)
        made.append(icns)
    except (OSError, KeyError, ValueError) as exc:  # ICNS writing depends on the Pillow build
        print(f"build: could not write {icns.name}: {exc}")
    return made


def strip_debug(bundle: Path) -> int:
    """Strip debug symbols from the bundle's shared libraries (Linux), except those wheels
    vendor in `*.libs` folders: auditwheel patched their ELF headers, and a stripped
    OpenBLAS no longer loads ("ELF load command address/offset not page-aligned").
    Returns how many files were stripped."""
    if not sys.platform.startswith("linux") or shutil.which("strip") is None:
        return 0
    done = 0
    for path in bundle.rglob("*.so*"):
        if path.is_symlink() or not path.is_file():
            continue
        if any(part.endswith(".libs") for part in path.relative_to(bundle).parts[:-1]):
            continue
        if subprocess.run(["strip", "--strip-debug", str(path)], capture_output=True).returncode == 0:
            done += 1
    return done


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build(clean: bool = False) -> Path:
    try:
        import PyInstaller.__main__ as pyinstaller
    except ImportError:
        raise SystemExit("build: PyInstaller is missing; install it with: pip install '.[bundle]'") from None
    make_platform_icons()
    args = [str(SPEC), "--noconfirm", "--distpath", str(DIST), "--workpath", str(WORK),
            "--log-level", os.environ.get("PAPERDECK_BUILD_LOG", "WARN")]
    if clean:
        args.append("--clean")
    started = time.monotonic()
    pyinstaller.run(args)
    elapsed = time.monotonic() - started
    bundle = DIST / "paperdeck"
    exe = bundle / ("paperdeck.exe" if sys.platform == "win32" else "paperdeck")
    if not exe.exists():
        raise SystemExit(f"build: {exe} was not made")
    stripped = strip_debug(bundle)
    print(f"build: {bundle} in {elapsed:.0f} s, {folder_size(bundle) / 1e6:.0f} MB "
          f"({stripped} libraries stripped of debug symbols)")
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--icons-only", action="store_true", help="only make the .ico/.icns files")
    args = parser.parse_args(argv)
    if args.icons_only:
        for path in make_platform_icons():
            print(path)
        return 0
    build(clean=args.clean)
    return 0


if __name__ == "__main__":
    sys.exit(main())
