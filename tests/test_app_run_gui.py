"""`app.run_gui`, the whole launch, run in this process so every path is measured: the event
loop runs, and what a user does (quit from the File menu by its keys, answer the error box)
comes from a QTimer inside it. A second launch is a real second process.

Isolated from the user's desktop: QSettings write under the test's folder, and the process
umask, the application's names and the theme are put back afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from paperdeck import app as app_module
from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from paperdeck.ui import single_instance as si
from paperdeck.ui.theme import THEME_SETTING, is_dark, keeper
from ui_helpers import QT_LOG_IGNORE_DIALOGS, click_button, when_modal

pytestmark = QT_LOG_IGNORE_DIALOGS
REPO = Path(__file__).resolve().parents[1]
LAUNCH = "import sys; from paperdeck.app import run_gui; sys.exit(run_gui(['paperdeck'], sys.argv[1]))"


@pytest.fixture
def launch(qapp, tmp_path, monkeypatch):
    """The folder QSettings write to during the test; everything run_gui sets is put back."""
    config = tmp_path / "config"
    user_config = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    formats = (QSettings.Format.NativeFormat, QSettings.Format.IniFormat)
    for fmt in formats:
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(config))
    names = (QCoreApplication.applicationName(), QCoreApplication.organizationName(),
             QCoreApplication.organizationDomain(), QCoreApplication.applicationVersion())
    umask = os.umask(0o022)
    os.umask(umask)
    monkeypatch.delenv(app_module.THEME_ENV, raising=False)
    yield config
    for fmt in formats:
        QSettings.setPath(fmt, QSettings.Scope.UserScope, user_config)
    QCoreApplication.setApplicationName(names[0])
    QCoreApplication.setOrganizationName(names[1])
    QCoreApplication.setOrganizationDomain(names[2])
    QCoreApplication.setApplicationVersion(names[3])
    os.umask(umask)
    keeper(qapp).apply("system", Qt.ColorScheme.Light)


def child_env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO / "desktop"))


def library_with(folder: Path, *titles: str) -> None:
    lib = Library.open(folder)
    try:
        lib.add([Draft(title=t) for t in titles], raw_text="x", fmt="test")
    finally:
        lib.close()


def main_window():
    from paperdeck.ui.main_window import MainWindow

    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()),
                None)


class Steps:
    """Runs `steps` one after another inside the event loop, each when its `ready()` is
    true (polled); gives up, quitting the loop, after `limit` seconds."""

    def __init__(self, qapp, steps, limit: float = 90) -> None:
        self.qapp, self.steps, self.done = qapp, list(steps), []
        self.deadline = time.monotonic() + limit
        self.error: BaseException | None = None
        QTimer.singleShot(0, self.poll)

    def poll(self) -> None:
        if not self.steps or self.error is not None:
            return
        ready, act = self.steps[0]
        try:
            if ready():
                self.steps.pop(0)
                self.done.append(act.__name__)
                act()
        except BaseException as exc:  # noqa: BLE001 - reported by the test after the loop
            self.error = exc
            w = main_window()
            if w is not None:
                w.close()
            return
        if time.monotonic() > self.deadline:
            self.error = TimeoutError(f"gave up before {self.steps[0][1].__name__}")
            self.qapp.quit()
            return
        if self.steps:
            QTimer.singleShot(30, self.poll)


def test_a_launch_shows_the_library_raises_for_a_second_launch_and_quits(
        launch, qapp, qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "library"
    library_with(folder, "Robot grasping", "Sparse robots")
    monkeypatch.setenv(app_module.THEME_ENV, "dark")  # this run only, over the Preferences choice
    seen: dict[str, object] = {}
    second_err = tmp_path / "second.err"

    def cards_up() -> bool:
        w = main_window()
        return w is not None and w.model.rowCount() == 2

    def look_and_launch_again() -> None:
        w = main_window()
        seen["dark"] = is_dark(qapp.palette())
        seen["help"] = [a.text() for a in w.help_menu.actions() if a.text()]
        w.showMinimized()
        with open(second_err, "w") as err:
            seen["second"] = subprocess.Popen([sys.executable, "-c", LAUNCH, str(folder)],
                                              env=child_env(), stdout=subprocess.DEVNULL, stderr=err)

    def second_gone() -> bool:
        return seen["second"].poll() is not None

    def quit_by_keys() -> None:
        w = main_window()
        seen["raised"] = not w.isMinimized()
        w.activateWindow()
        qtbot.waitUntil(w.isActiveWindow, timeout=5000)
        qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=5000)
        qtbot.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_Q)

    steps = Steps(qapp, [(cards_up, look_and_launch_again), (second_gone, quit_by_keys)])
    code = app_module.run_gui(["paperdeck"], str(folder))
    if steps.error:
        raise steps.error
    assert code == 0 and steps.done == ["look_and_launch_again", "quit_by_keys"]
    assert seen["second"].returncode == 0
    assert app_module.ALREADY_OPEN in second_err.read_text()
    assert seen["raised"] is True  # the minimised window came back for the second launch
    assert seen["dark"] is True
    assert seen["help"] == ["&Keyboard shortcuts", "Open &Data Folder", "&About paperdeck"]
    saved = QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, "paperdeck", "paperdeck")
    assert Path(saved.fileName()).is_relative_to(launch) and saved.value("window/geometry")
    lock = si.take_lock(folder)  # quitting released the library
    assert lock is not None
    lock.unlock()


def test_a_launch_while_another_window_has_the_library_raises_that_one(launch, qapp, tmp_path, capfd):
    folder = tmp_path / "library"
    library_with(folder, "Robot grasping")
    first = subprocess.Popen([sys.executable, "-c", LAUNCH, str(folder)], env=child_env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not si.ask_running_instance(si.server_name(folder)):
            assert first.poll() is None and time.monotonic() < deadline, "the first window never answered"
            time.sleep(0.2)
        assert app_module.run_gui(["paperdeck"], str(folder)) == 0
        assert app_module.ALREADY_OPEN in capfd.readouterr().err
        assert first.poll() is None  # the first window stays open
    finally:
        first.terminate()
        first.wait(30)


def answer_error_box(qtbot, texts: list[str]):
    """Read the box's text and the palette it shows in, then click OK."""
    def answer(box: QMessageBox) -> None:
        texts.append(box.text())
        texts.append("dark" if is_dark(QApplication.palette()) else "light")
        click_button(qtbot, box, QMessageBox.StandardButton.Ok)

    return answer


def test_a_library_held_by_a_silent_process_is_explained_in_a_box(launch, qapp, qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "library"
    library_with(folder, "Robot grasping")
    theme = QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, "paperdeck", "paperdeck")
    theme.setValue(THEME_SETTING, "dark")  # chosen in Preferences earlier
    theme.sync()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from PySide6.QtCore import QLockFile
            lock = QLockFile({str(si.lock_path(folder))!r})
            lock.setStaleLockTime(0)
            assert lock.tryLock(0)
            print("locked", flush=True)
            sys.stdin.read()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr(si, "HANDOVER_TIMEOUT_MS", 600)
        texts: list[str] = []
        asked = when_modal(QMessageBox, answer_error_box(qtbot, texts), timeout_ms=30000)
        assert app_module.run_gui(["paperdeck"], str(folder)) == 1
    finally:
        holder.stdin.close()
        holder.wait(20)
    assert asked == ["paperdeck"]
    assert texts[0].startswith(f"paperdeck cannot open the library in {folder}.\n\n")
    assert f"pid {holder.pid}" in texts[0]
    assert texts[1] == "dark"


def test_a_data_folder_that_is_a_file_is_explained_and_left_alone(
        launch, qapp, qtbot, tmp_path, caplog, monkeypatch):
    """It was "Sorry, paperdeck could not start. Details are in the log.": the FileExistsError
    of creating the folder was taken for a bug. The user can fix this one, so say what it is."""
    monkeypatch.setenv(app_module.THEME_ENV, "LIGHT")
    not_a_folder = tmp_path / "library"
    not_a_folder.write_text("my notes, not a library", encoding="utf-8")
    texts: list[str] = []
    asked = when_modal(QMessageBox, answer_error_box(qtbot, texts), timeout_ms=30000)
    assert app_module.run_gui(["paperdeck"], str(not_a_folder)) == 1
    assert asked == ["paperdeck"]
    assert texts == [f"paperdeck cannot open the library in {not_a_folder}.\n\n{not_a_folder} is a file "
                     "where paperdeck keeps a folder: move it aside and try again.", "light"]
    assert not_a_folder.read_text(encoding="utf-8") == "my notes, not a library"


def test_a_data_folder_name_the_system_refuses_is_explained(launch, qapp, qtbot, tmp_path, caplog):
    too_long = tmp_path / ("x" * 300)  # over the file system's 255 bytes per name
    texts: list[str] = []
    when_modal(QMessageBox, answer_error_box(qtbot, texts), timeout_ms=30000)
    with caplog.at_level("ERROR", logger="paperdeck.app"):
        assert app_module.run_gui(["paperdeck"], str(too_long)) == 1
    assert texts[0] == f"paperdeck cannot open the library in {too_long}.\n\nFile name too long"
    assert [r.getMessage() for r in caplog.records] == ["opening the library folder failed"]
    assert caplog.records[0].exc_info is not None  # the details go to the log
