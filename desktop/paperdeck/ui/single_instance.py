"""One window per library: a second launch raises the first window and exits.

Two mechanisms, each doing one job:

- a `QLockFile` (`paperdeck.lock` in the data folder) makes sure only one paperdeck
  window ever has a library open for writing, even across a crash (a stale lock whose
  process is gone is taken over) and even when the socket below fails;
- a `QLocalServer` named after the user and the library folder lets a second launch reach
  the first one and ask it to bring its window to the front.

    instance = single_instance.claim(app, data_dir, on_raise=lambda: raise_window(window))
    if instance is None:      # another window has this library; it was asked to come forward
        return 0
    app.aboutToQuit.connect(instance.release)

`claim` raises `LibraryInUse` when the library is locked by a paperdeck that cannot be
reached (another machine sharing the folder, or a process that hangs).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from ..core.errors import LibraryLocked
from ..paths import ensure_private_dir

LOCK_NAME = "paperdeck.lock"
CONNECT_TIMEOUT_MS = 500
HANDOVER_TIMEOUT_MS = 3000  # how long a second launch waits for a starting first one


class LibraryInUse(LibraryLocked):
    """The library is open for writing in a paperdeck window that did not answer."""


def server_name(data_dir: Path) -> str:
    """A short socket name, the same for every launch by this user on this library folder."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name (e.g. in a container): the uid separates users instead
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    key = f"{user}\0{Path(data_dir).expanduser().resolve()}".encode()
    return "paperdeck-" + hashlib.sha256(key).hexdigest()[:16]


def lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOCK_NAME


def ask_running_instance(name: str, timeout_ms: int = CONNECT_TIMEOUT_MS) -> bool:
    """Ask the paperdeck listening on `name` to raise its window. True when it was reached."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(timeout_ms):
        return False
    sock.write(json.dumps({"action": "raise"}).encode() + b"\n")
    sock.flush()
    ok = sock.waitForBytesWritten(timeout_ms) or sock.bytesToWrite() == 0
    sock.disconnectFromServer()
    if sock.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        sock.waitForDisconnected(timeout_ms)
    return ok


class Instance(QObject):
    """The first launch's claim: holds the library lock and answers later launches."""

    def __init__(self, name: str, lock: QLockFile, on_raise: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._lock = lock
        self._on_raise = on_raise
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        if self.server.listen(self.name):
            return True
        # A crashed first instance leaves its socket file behind; we hold the lock, so it is stale.
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(sock.deleteLater)
            if sock.bytesAvailable():
                self._read(sock)

    def _read(self, sock: QLocalSocket) -> None:
        while sock.canReadLine():
            line = bytes(sock.readLine().data()).strip()
            try:
                action = json.loads(line).get("action")
            except (ValueError, AttributeError):
                continue  # not one of ours; ignore
            if action == "raise":
                self._on_raise()

    @property
    def locked(self) -> bool:
        return self._lock.isLocked()

    def release(self) -> None:
        """Stop answering and unlock the library (connect to `app.aboutToQuit`)."""
        self.server.close()
        if self._lock.isLocked():
            self._lock.unlock()


def take_lock(data_dir: Path, timeout_ms: int = 0) -> QLockFile | None:
    """The library's write lock, or None when another live process holds it."""
    ensure_private_dir(Path(data_dir))
    lock = QLockFile(str(lock_path(data_dir)))
    lock.setStaleLockTime(0)  # only a dead owner makes a lock stale, never its age
    return lock if lock.tryLock(timeout_ms) else None


def lock_owner(data_dir: Path) -> str:
    """'pid 1234 on host' for the holder of the library lock, as far as it is known."""
    info = QLockFile(str(lock_path(data_dir))).getLockInfo()  # (pid, hostname, appname)
    if isinstance(info, tuple) and len(info) == 3 and info[0]:
        pid, host, app = info
        return f"{app or 'a program'} (pid {pid} on {host or 'this computer'})"
    return "another program"


def claim(app: QObject, data_dir: Path, on_raise: Callable[[], None]) -> Instance | None:
    """Claim the library for this window, or hand over to the window that already has it.

    Returns the `Instance` (keep it for the app's lifetime) when this launch is the first;
    None when a running paperdeck has the library and was asked to raise its window.
    Raises `LibraryInUse` when the library is locked but nobody answers.
    """
    name = server_name(data_dir)
    if ask_running_instance(name):
        return None
    lock = take_lock(data_dir)
    if lock is None:
        # Someone holds the library: perhaps a first launch still starting up. Wait for it to answer.
        waited = 0
        while waited < HANDOVER_TIMEOUT_MS:
            if ask_running_instance(name, 250):
                return None
            lock = take_lock(data_dir, 250)
            if lock is not None:
                break
            waited += 500
        else:
            raise LibraryInUse(
                f"The library in {data_dir} is open in {lock_owner(data_dir)}, which did not answer. "
                "Close that paperdeck first; if it crashed, wait a moment and try again.")
    instance = Instance(name, lock, on_raise, parent=app)
    if not instance.listen():
        # Still the only writer (we hold the lock); later launches will report the lock instead.
        pass
    return instance


def raise_window(window) -> None:
    """Bring a top-level window to the front, restoring it if minimised."""
    from PySide6.QtCore import Qt

    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
