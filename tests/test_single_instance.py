"""One window per library: a second launch raises the first; the lock refuses a second writer."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("PySide6.QtNetwork")

from PySide6.QtCore import QLockFile  # noqa: E402

from paperdeck.ui import single_instance as si  # noqa: E402


@pytest.fixture
def library(tmp_path):
    return tmp_path / "library"


def test_second_launch_raises_the_first_and_gets_none(qapp, qtbot, library):
    raised = []
    first = si.claim(qapp, library, on_raise=lambda: raised.append(1))
    assert isinstance(first, si.Instance)
    try:
        assert first.locked and first.server.isListening()
        assert si.claim(qapp, library, on_raise=lambda: pytest.fail("second must not serve")) is None
        qtbot.waitUntil(lambda: raised == [1], timeout=3000)
    finally:
        first.release()


def test_other_library_is_its_own_instance(qapp, tmp_path):
    a = si.claim(qapp, tmp_path / "a", on_raise=lambda: None)
    b = si.claim(qapp, tmp_path / "b", on_raise=lambda: None)
    try:
        assert a is not None and b is not None
        assert a.name != b.name
    finally:
        a.release()
        b.release()


def test_two_sockets_talk_directly(qapp, qtbot, library):
    """The raw handshake: QLocalSocket -> QLocalServer, one JSON line per request."""
    raised = []
    lock = si.take_lock(library)
    inst = si.Instance(si.server_name(library), lock, lambda: raised.append("up"), parent=qapp)
    try:
        assert inst.listen()
        assert si.ask_running_instance(inst.name)
        assert si.ask_running_instance(inst.name)
        qtbot.waitUntil(lambda: raised == ["up", "up"], timeout=3000)
    finally:
        inst.release()
    assert not si.ask_running_instance(inst.name)  # nobody listening any more


def test_release_lets_the_next_launch_in(qapp, library):
    first = si.claim(qapp, library, on_raise=lambda: None)
    first.release()
    second = si.claim(qapp, library, on_raise=lambda: None)
    try:
        assert second is not None and second.locked
    finally:
        second.release()


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no file behind")
def test_stale_socket_from_a_crash_is_replaced(qapp, library):
    """A socket file left by a crashed first launch must not block the next one."""
    import socket

    from PySide6.QtNetwork import QLocalServer

    probe = QLocalServer()
    assert probe.listen(si.server_name(library))
    path = probe.fullServerName()
    probe.close()
    crashed = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    crashed.bind(path)  # bound, never listening, never unlinked: what a crash leaves
    crashed.close()
    try:
        inst = si.claim(qapp, library, on_raise=lambda: None)
        try:
            assert inst is not None and inst.server.isListening()
        finally:
            inst.release()
    finally:
        QLocalServer.removeServer(si.server_name(library))


def test_lock_refuses_a_second_writer_in_this_process(library):
    first = si.take_lock(library)
    assert first is not None
    try:
        assert si.take_lock(library) is None
        second = QLockFile(str(si.lock_path(library)))
        assert not second.tryLock(0)
        assert second.error() == QLockFile.LockError.LockFailedError
    finally:
        first.unlock()
    again = si.take_lock(library)
    assert again is not None
    again.unlock()


def test_lock_held_by_another_process_refuses_us(qapp, library, monkeypatch):
    """Another process has the library but no answering window: claim explains, never opens it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from PySide6.QtCore import QLockFile
            lock = QLockFile({str(si.lock_path(library))!r})
            lock.setStaleLockTime(0)
            assert lock.tryLock(0)
            print("locked", flush=True)
            sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        library.mkdir(parents=True, exist_ok=True)
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr(si, "HANDOVER_TIMEOUT_MS", 600)
        with pytest.raises(si.LibraryInUse) as err:
            si.claim(qapp, library, on_raise=lambda: None)
        assert f"pid {holder.pid}" in str(err.value)
    finally:
        holder.stdin.close()
        holder.wait(timeout=20)
    # The holder is gone: its lock is stale now and the next launch takes it over.
    inst = si.claim(qapp, library, on_raise=lambda: None)
    try:
        assert inst is not None
    finally:
        inst.release()


def test_data_dir_is_private(library):
    lock = si.take_lock(library)
    lock.unlock()
    if sys.platform != "win32":
        assert library.stat().st_mode & 0o777 == 0o700


@pytest.mark.qt_log_ignore("does not support raise")  # the offscreen platform cannot stack windows
def test_raise_window_restores_a_minimised_window(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    w = QWidget()
    qtbot.addWidget(w)
    w.show()
    w.setWindowState(Qt.WindowState.WindowMinimized)
    si.raise_window(w)
    assert not w.isMinimized()
    assert w.isVisible()
