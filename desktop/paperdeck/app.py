"""The composition root: the application object, the library, the main window, the index.

`run_gui` is what `paperdeck` (no subcommand) and `paperdeck-gui` call;
`build_main_window` gives benchmarks and tests a window without entering the event loop.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from paperdeck.core.errors import PaperdeckError
from paperdeck.core.library import Library
from paperdeck.paths import data_dir as default_data_dir

log = logging.getLogger(__name__)
ALREADY_OPEN = "paperdeck is already open; raised its window."
THEME_ENV = "PAPERDECK_THEME"  # "dark", "light", "system" or unset (the Preferences choice)


def _application(argv: list[str]):
    from PySide6.QtWidgets import QApplication

    from paperdeck.ui.about import apply_identity

    app = QApplication.instance() or QApplication(argv)
    apply_identity(app)  # name, organisation, version, desktop file name, icon (all PNG sizes)
    from PySide6.QtCore import QSettings

    from paperdeck.ui.theme import THEME_SETTING, keeper

    # Edit → Preferences chooses System (the default: the desktop's light or dark scheme,
    # followed as it changes), Light or Dark; PAPERDECK_THEME overrides it for one run.
    theme = os.environ.get(THEME_ENV, "").lower() or str(QSettings().value(THEME_SETTING, "system"))
    keeper(app).apply(theme)
    return app


def build_main_window(lib: Library, settings=None):
    """The main window on an open library, not shown, with the index brought up to date in the
    background. Its `cards_shown` signal fires when the first cards are on screen."""
    from paperdeck.ui.main_window import MainWindow

    window = MainWindow(lib, settings)
    # The index opens (and warms) once the first cards are up: its page faults would
    # otherwise hold the interpreter while the first cards are being laid out.
    window.cards_shown.connect(lambda: start_index(window))
    start_upkeep(window)
    return window


def start_upkeep(window) -> None:
    """After the window shows: say what opening found, make the daily backup off the GUI thread."""
    if window.lib.notes:
        window.say(" ".join(window.lib.notes), 15000)

    def backed_up(path) -> None:
        if window.lib.notes:
            window.say(window.lib.notes[-1], 15000)

    window.tasks.run(window.lib.backup_if_due, backed_up, lambda error: None)


def start_index(window) -> None:
    """Bring the search index up to date off the GUI thread; searches use SQLite meanwhile."""
    note = "Preparing search… (results are unranked until it is ready)"
    if not window.lib.index.ready:
        window.busy_label.setText(note)

    def done(state: str) -> None:
        if window.busy_label.text() == note:
            window.busy_label.setText("")
        if state == "rebuilt":
            window.say("Search index ready.")
            if window.search.query():
                window.reload()

    def failed(error: BaseException) -> None:
        window.busy_label.setText("")
        window.say("Search index unavailable; searching without ranking. (" + str(error)[:120] + ")")

    window.indexer.run(window.lib.index.ensure, done, failed)


def _tell(message: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    from paperdeck.ui.plain import message_box

    message_box(None, QMessageBox.Icon.Critical, "paperdeck", message).exec()


def run_gui(argv: list[str], data_dir: str | None = None) -> int:
    """Open the library window and run until it is closed. Returns the exit status."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    from paperdeck.paths import keep_files_private

    keep_files_private()  # a reading list is personal: every file we (and Whoosh) create is ours only
    from paperdeck import qtcheck

    if not qtcheck.explain_missing_libs(argv):  # before QApplication: Qt would abort cryptically
        return 1
    app = _application(argv)
    from paperdeck.paths import ensure_private_dir
    from paperdeck.ui import about, single_instance

    folder = Path(data_dir).expanduser() if data_dir else default_data_dir()
    shown = []  # the window, once there is one
    try:
        ensure_private_dir(folder)
        instance = single_instance.claim(
            app, folder, on_raise=lambda: shown and single_instance.raise_window(shown[0]))
        if instance is None:  # this library is open in another window, which now comes forward
            print(ALREADY_OPEN, file=sys.stderr)
            return 0
        app.aboutToQuit.connect(instance.release)
        lib = Library.open(folder, sync_index=False, backup=False)
    except PaperdeckError as exc:
        _tell(f"paperdeck cannot open the library in {folder}.\n\n{exc}")
        return 1
    except OSError as exc:  # the folder itself: a file in its place, no permission, a full disk
        from paperdeck.core.storage import translate

        problem = translate(exc)
        if problem is None:
            log.exception("opening the library folder failed")
            problem = exc.strerror or exc
        _tell(f"paperdeck cannot open the library in {folder}.\n\n{problem}")
        return 1
    except Exception:  # noqa: BLE001 - a bug: log it, apologise, never show a traceback
        log.exception("opening the library failed")
        _tell("Sorry, paperdeck could not start. Details are in the log.")
        return 1
    try:
        window = build_main_window(lib)
        shown.append(window)
        help_menu = window.help_menu
        help_menu.addSeparator()
        help_menu.addAction(about.open_data_folder_action(window, folder))
        help_menu.addAction("&About paperdeck", lambda: about.AboutDialog(folder, window).exec())
        window.show()
        code = app.exec()
        window.shutdown()
        return code
    finally:
        lib.close()


if __name__ == "__main__":
    sys.exit(run_gui(sys.argv))
