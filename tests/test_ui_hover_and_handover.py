"""Two small things a user meets: the statistics tiles explain themselves on hover, and the
running window ignores anything but a well-formed "raise" on its local socket (another
program, or a newer paperdeck, may talk to it)."""

from __future__ import annotations

import json

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QApplication

from paperdeck.core.models import Draft
from paperdeck.ui import single_instance as si
from ui_helpers import QT_LOG_IGNORE_DIALOGS, close_window, open_window, wait_idle

pytestmark = QT_LOG_IGNORE_DIALOGS


def shown_tip() -> str:
    tips = [w for w in QApplication.topLevelWidgets() if w.objectName() == "qtooltip_label" and w.isVisible()]
    return tips[0].text() if tips else ""


def hover(qtbot, widget, point: QPoint) -> str:
    """Send the tooltip request a resting mouse sends; the tooltip shown, or ""."""
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, point, widget.mapToGlobal(point)))
    text = shown_tip()
    if not text:
        return ""
    from PySide6.QtWidgets import QToolTip

    QToolTip.hideText()  # fades out: wait until it is gone, for the next hover
    qtbot.waitUntil(lambda: not shown_tip(), timeout=3000)
    return text


def test_statistics_tiles_say_their_label_and_value_on_hover(qtbot, lib, tmp_path):
    ids = lib.add([Draft(title=f"Paper {i}") for i in range(3)], raw_text="x", fmt="test")
    lib.set_status(ids[:1], "read")
    win = open_window(qtbot, lib, tmp_path / "s.ini")
    win.sidebar.select("stats", "")
    wait_idle(qtbot, win)
    stats = win.stats
    stats.repaint()  # lays the tiles out
    assert stats.tiles_shown
    texts = [hover(qtbot, stats, rect.center().toPoint()) for rect, *_ in stats.tiles_shown]
    wanted = [full for *_, full in stats.tiles_shown]
    assert all(full.split(": ")[0] in text and full.split(": ")[1] in text for full, text in zip(
        wanted, texts, strict=True)), (wanted, texts)
    assert any(full.endswith(": 2") for full in wanted)  # the queue: two papers still queued
    below = max(rect.bottom() for rect, *_ in stats.tiles_shown) + 2
    assert hover(qtbot, stats, QPoint(int(stats.tiles_shown[0][0].left()), int(below))) == ""
    close_window(qtbot, win)


def talk(name: str, *lines: bytes) -> None:
    sock = QLocalSocket()
    sock.connectToServer(name)
    assert sock.waitForConnected(2000)
    for line in lines:
        sock.write(line)
    assert sock.waitForBytesWritten(2000)
    sock.disconnectFromServer()


def test_the_running_window_answers_only_a_well_formed_raise(qapp, qtbot, tmp_path):
    raised: list[int] = []
    instance = si.claim(qapp, tmp_path / "library", on_raise=lambda: raised.append(1))
    try:
        talk(instance.name, b"not json\n", b"[1, 2]\n", json.dumps({"action": "quit"}).encode() + b"\n")
        qtbot.wait(300)
        assert raised == []
        talk(instance.name, b"{\"action\": \"raise\"}\n")
        qtbot.waitUntil(lambda: raised == [1], timeout=3000)
    finally:
        instance.release()
    assert not instance.locked
    instance.release()  # twice (aboutToQuit may come again): harmless
