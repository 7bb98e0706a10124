"""Where paperdeck keeps its files. One place, overridable by an environment variable."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DATA_DIR_ENV = "PAPERDECK_DATA_DIR"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The library folder: an explicit path, else $PAPERDECK_DATA_DIR, else the user data dir."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("paperdeck", appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create `path` readable by the user only (0700): a reading list is personal."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        try:
            if path.stat().st_mode & 0o077:
                path.chmod(0o700)
        except OSError:
            pass  # not ours to change (e.g. a shared folder the user chose); keep working
    return path


def resources_dir() -> Path:
    """The shipped resources (icons, stylesheet, sample digest).

    `paperdeck.resources` is a namespace package (the repo's top-level `resources/`
    mapped into the wheel), so it is located through its search path: `importlib.resources`
    would hand back a MultiplexedPath, not a folder."""
    import importlib.util

    if getattr(sys, "frozen", False):  # a PyInstaller bundle ships them as data at paperdeck/resources
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "paperdeck" / "resources"
    checkout = Path(__file__).resolve().parents[2] / "resources"
    try:
        spec = importlib.util.find_spec("paperdeck.resources")
    except ModuleNotFoundError:
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        if (Path(location) / "sample-digest.txt").is_file():
            return Path(location)
    return checkout  # running from a checkout without installing


def sample_digest_path() -> Path:
    return resources_dir() / "sample-digest.txt"


_user_umask: int | None = None  # the umask paperdeck was started with


def keep_files_private() -> None:
    """Files paperdeck makes for itself (the library, its index, backups) are the user's
    only (umask 077). Files the user asks for, such as exports, get the user's own umask
    back: see `shared_file_mode`."""
    global _user_umask
    previous = os.umask(0o077)
    if _user_umask is None:
        _user_umask = previous


def shared_file_mode() -> int:
    """The mode a new file the user asked for gets (0644 under the usual umask 022)."""
    mask = _user_umask
    if mask is None:  # not started through main(): read the umask without changing it
        mask = os.umask(0o077)
        os.umask(mask)
    return 0o666 & ~mask
