"""Triage in the window (issue 16): the For you view's reasons, saved searches in the
sidebar, suggested tags and related papers in the detail pane, and keeping the model
warm after every change.

The window composes `TriageController` like its other helpers: it gets the library,
the window's worker, a place to report, navigation and the card list (see `ports.py`),
and the widgets it adds to (the list, the detail pane, the sidebar); the window itself
only as a plain QWidget, to hear it close. Every question to the model
(`Library.for_you`, `suggest_tags`, `related`, and the retraining after an edit) runs
on the model's own background worker; the GUI thread only shows answers. Reasons and
titles are paper text: they reach widgets as plain text or escaped.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QListView, QToolTip, QWidget

from paperdeck.core.edits import Change
from paperdeck.core.library import Library

from .card_model import CardModel
from .detail import DetailPane
from .ports import CardList, Navigation, Report
from .saved_searches_ui import SavedSearchesSection
from .sidebar import Sidebar
from .tasks import Tasks
from .triage_panel import TriagePanel

RETRAIN_DELAY_MS = 600  # edits in a burst (marking several papers read) retrain once
REASONS_AHEAD = 60  # reasons fetched for the first cards of the For you view


def reasons_tooltip(score: float | None, reasons: list[str]) -> str:
    """The hover text for one card: escaped, so a title with '<' shows as typed."""
    head = "For you: no reading signal yet" if score is None else f"For you: {round(score * 100)} %"
    body = "<br>".join(escape(r) for r in reasons)
    return f"<qt><b>{escape(head)}</b>{'<br>' + body if body else ''}</qt>"


class _Relay(QObject):
    changed = Signal(object)


class TriageController(QObject):
    """Owns the window's triage parts; composed by `MainWindow`, which connects its
    `ids_applied` to `list_shown` and its `cards_shown` to `warm_up`."""

    model_updated = Signal()  # after a background retrain (tests wait on it)

    def __init__(self, host: QWidget, lib: Library, window_tasks: Tasks, report: Report,
                 nav: Navigation, cards: CardList, saved: SavedSearchesSection, *,
                 list_view: QListView, model: CardModel, detail: DetailPane, sidebar: Sidebar) -> None:
        """`host` is the window: its Close stops the model's work (an event filter)."""
        super().__init__(host)
        self.host, self.lib, self.window_tasks, self.say = host, lib, window_tasks, report
        self.nav, self.cards, self.saved = nav, cards, saved
        self.list_view, self.model, self.detail, self.sidebar = list_view, model, detail, sidebar
        self.tips: dict[int, str] = {}
        self.updates = 0  # background retrains finished
        # The model's own worker: building it at 100,000 papers takes half a minute, which
        # must not hold up the window's writes and searches on `window_tasks`.
        self.tasks = Tasks(self)
        lib.recommender.resume()
        self.panel = TriagePanel(lib, self.tasks)
        inner = detail.content.layout()
        inner.insertWidget(inner.indexOf(detail.tag_input) + 1, self.panel)
        self.panel.tag_chosen.connect(self._add_suggested_tag)
        self.panel.paper_chosen.connect(self.open_paper)
        self._retrain = QTimer(self, singleShot=True, interval=RETRAIN_DELAY_MS)
        self._retrain.timeout.connect(self.update_model)
        self._relay = _Relay(self)
        self._relay.changed.connect(self._on_change)
        self.lib.subscribe(self._listen)
        list_view.selectionModel().currentChanged.connect(self._current_changed)
        list_view.viewport().installEventFilter(self)
        host.installEventFilter(self)  # on Close: stop a model build, wait for the worker

    def warm_up(self) -> None:
        """The first cards are up: build the model (soon, on its worker)."""
        self._retrain.start()

    # -- keeping the model current ---------------------------------------------------
    def _listen(self, change: Change) -> None:  # worker thread: hand over only
        if not self.cards.closing:
            self._relay.changed.emit(change)

    def _on_change(self, _change: Change) -> None:
        if self.cards.closing:
            return
        self.tips.clear()
        self._retrain.start()
        self.saved.refresh()  # live counts
        self._paper_shown()  # its suggestions leave out a tag just added

    def update_model(self) -> None:
        """Retrain (features only for changed papers) on the worker, never here."""
        rec = self.lib.recommender

        def done(_result: object) -> None:
            self.updates += 1
            self.model_updated.emit()
            self._rank_if_shown_unranked()
            if self.for_you_shown():
                self._fetch_tips(self._visible_ids())

        self.tasks.run(rec.refresh, done, lambda _e: None)

    # -- For you view: reasons on hover ----------------------------------------------
    def for_you_shown(self) -> bool:
        return self.nav.view == "foryou" or self.cards.sort_key() == "for-you"

    def _visible_ids(self) -> list[int]:
        model = self.model
        return [model.id_at(r) for r in range(min(REASONS_AHEAD, model.rowCount()))]

    def list_shown(self, _n: int) -> None:
        """A new id list is on screen (the window's `ids_applied`)."""
        self._paper_shown()
        if self.for_you_shown():
            # Before the model's first build the list came in queue order (see Library.ids).
            self._shown_unranked = not self.lib.recommender.warm()
            self._fetch_tips(self._visible_ids())

    def _rank_if_shown_unranked(self) -> None:
        if getattr(self, "_shown_unranked", False) and self.lib.recommender.warm():
            self._shown_unranked = False
            if self.for_you_shown():
                self.nav.reload()

    def _fetch_tips(self, ids: list[int], then=None) -> None:
        lib = self.lib

        def work() -> tuple[str, dict[int, str]]:
            ranking = lib.for_you(ids)
            reasons = lib.for_you_reasons(ids)
            return ranking.note, {i: reasons_tooltip(ranking.scores.get(i), reasons.get(i, []))
                                  for i in ids}

        def done(result: tuple[str, dict[int, str]]) -> None:
            note, tips = result
            self._rank_if_shown_unranked()
            if note:
                self.say(note, 10000)  # a cold start: say why the order is by date
            self.tips.update(tips)
            if then is not None:
                then()

        self.tasks.run(work, done, lambda _e: None)

    def tooltip_for(self, pid: int) -> str | None:
        return self.tips.get(pid)

    def idle(self) -> bool:
        return self.tasks.idle() and not self._retrain.isActive()

    def close(self) -> None:
        """The window closes: stop a model build, refuse new model work (answers the window's
        worker delivers later would ask for some, under the closing library), wait."""
        self._retrain.stop()
        self.tasks.stop()
        self.lib.recommender.cancel()
        self.tasks.wait(10000)
        self.lib.unsubscribe(self._listen)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if obj is self.host and event.type() == QEvent.Type.Close:
            self.close()
            return False
        if event.type() == QEvent.Type.ToolTip and self.for_you_shown():
            help_event = QHelpEvent(event.type(), event.pos(), event.globalPos())  # a copy
            index = self.list_view.indexAt(help_event.pos())
            if index.isValid():
                pid = self.model.id_at(index.row())
                tip = self.tips.get(pid)
                where = QPoint(help_event.globalPos())
                if tip is None:  # not fetched yet: fetch, then show where the mouse was
                    self._fetch_tips([pid], lambda: self._show_tip(pid, where))
                else:
                    QToolTip.showText(where, tip, self.list_view)
                return True
        return super().eventFilter(obj, event)

    def _show_tip(self, pid: int, where: QPoint) -> None:
        if pid in self.tips:
            QToolTip.showText(where, self.tips[pid], self.list_view)

    # -- detail pane -----------------------------------------------------------------
    def _current_changed(self, index, _previous=None) -> None:
        # This runs before the window's own slot has shown the paper: read the index.
        self.panel.show_for(self.model.id_at(index.row()) if index.isValid() else None)

    def _paper_shown(self) -> None:
        paper = self.detail.paper
        self.panel.show_for(paper.id if paper is not None else None)

    def _add_suggested_tag(self, pid: int, tag: str) -> None:
        lib = self.lib
        self.window_tasks.run(lambda: lib.add_tags([pid], [tag]),
                              lambda _c: self.say(f"Tagged '{tag}'."))

    def open_paper(self, pid: int) -> None:
        """Show a related paper: in the current list if it is there, else in All papers."""
        row = self.model.row_of(pid)
        if row >= 0:
            self.cards.select_rows([row], scroll=True)
            return
        self.nav.clear_search()
        self.sidebar.select("view", "all", emit=False)
        self.nav.view, self.nav.tag = "all", ""
        self.nav.reload(select=[pid])
