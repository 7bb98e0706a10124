"""The detail pane: everything about one paper, with its edits saved through the library.

Edits go through the background worker (`Tasks`); the pane re-reads the paper when the
library reports a change to it, without overwriting a field the user is typing in.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from paperdeck.core.library import Library
from paperdeck.core.models import STATUSES, Paper

from . import theme
from .flow_layout import FlowLayout
from .highlight import to_html
from .links import links_html, open_or_explain, paper_links
from .paper_text import added_on, tex_to_text, venue_year
from .tasks import Tasks

NOTES_DELAY_MS = 700
PRIORITIES = ("None", "Low", "Medium", "High")
META_FIELDS = (("authors", "Authors"), ("year", "Year"), ("arxiv_id", "arXiv id"), ("doi", "DOI"),
               ("url", "URL"))


def _selectable(label: QLabel) -> QLabel:
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)  # we escape ourselves; never guess the format
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.LinksAccessibleByMouse)
    return label


class DetailPane(QScrollArea):
    """Title, abstract, links, status, tags, notes and metadata of the current paper."""

    message = Signal(str)  # short notes for the status bar
    tag_clicked = Signal(str)

    def __init__(self, lib: Library, tasks: Tasks, parent=None) -> None:
        super().__init__(parent)
        self.lib, self.tasks = lib, tasks
        self.paper: Paper | None = None
        self.terms: tuple[str, ...] = ()
        self._notes_timer = QTimer(self, singleShot=True, interval=NOTES_DELAY_MS)
        self._notes_timer.timeout.connect(self.save_notes)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Everything wraps to the pane's width (from 800×600 up): never a sideways scrollbar
        # hiding the title, the links and the priority.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(260)
        self._build()
        self.show_paper(None)

    # -- construction ------------------------------------------------------------------
    def _build(self) -> None:
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(16, 14, 16, 14)
        lay.setSpacing(10)
        self.empty = QLabel("Select a paper to see its details.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = _selectable(QLabel())
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.byline = _selectable(QLabel())
        self.links = _selectable(QLabel())
        self.links.setOpenExternalLinks(False)
        self.links.linkActivated.connect(self._open)
        row = QHBoxLayout()
        self.status = QComboBox()
        for name in STATUSES:
            self.status.addItem(theme.STATUS_LABELS[name], name)
        self.status.activated.connect(self._status_chosen)
        self.status.setMinimumWidth(70)  # full width when there is room, shrinks in a narrow pane
        self.priority = QComboBox()
        self.priority.addItems([f"Priority: {p}" for p in PRIORITIES])
        self.priority.activated.connect(self._priority_chosen)
        self.priority.setMinimumWidth(80)
        row.addWidget(self.status)
        row.addWidget(self.priority)
        row.addStretch(1)
        self.tags = QLabel()
        self.tags.setWordWrap(True)
        self.tags.setTextFormat(Qt.TextFormat.RichText)
        self.tags.linkActivated.connect(self._tag_link)
        self.tag_input = QLineEdit(placeholderText="Add a tag and press Enter")
        self.tag_input.setClearButtonEnabled(True)
        self.tag_input.returnPressed.connect(self._add_tag)
        self.completer = QCompleter([], self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.tag_input.setCompleter(self.completer)
        self.abstract = _selectable(QLabel())
        self.notes = QPlainTextEdit(placeholderText="Your notes (saved as you type)")
        self.notes.setMinimumHeight(90)
        self.notes.textChanged.connect(self._notes_changed)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.meta: dict[str, QLineEdit] = {}
        for key, label in META_FIELDS:
            edit = QLineEdit()
            edit.editingFinished.connect(lambda k=key: self._meta_edited(k))
            self.meta[key] = edit
            form.addRow(label, edit)
        self.meta["authors"].setPlaceholderText("Names separated by ';'")
        cite = FlowLayout(spacing=8)  # a long key puts the button on the next line
        self.citekey = _selectable(QLabel())
        self.copy_bib = QPushButton("Copy BibTeX")
        self.copy_bib.clicked.connect(self.copy_bibtex)
        cite.addWidget(self.citekey)
        cite.addWidget(self.copy_bib)
        self.content = QWidget()
        inner = QVBoxLayout(self.content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(10)
        for widget in (self.title, self.byline, self.links):
            inner.addWidget(widget)
        inner.addLayout(row)
        inner.addWidget(self.tags)
        inner.addWidget(self.tag_input)
        inner.addWidget(self._heading("Abstract"))
        inner.addWidget(self.abstract)
        inner.addWidget(self._heading("Notes"))
        inner.addWidget(self.notes)
        inner.addWidget(self._heading("Details"))
        inner.addLayout(form)
        inner.addLayout(cite)
        inner.addStretch(1)
        lay.addWidget(self.empty)
        lay.addWidget(self.content)
        self.setWidget(body)

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    # -- showing -----------------------------------------------------------------------
    def set_tag_names(self, names: list[str]) -> None:
        self.completer.model().setStringList(names)

    def show_paper(self, paper: Paper | None, terms: tuple[str, ...] | None = None) -> None:
        """Show `paper` (None: the empty note). Unsaved notes of the previous paper are saved first."""
        if self._notes_timer.isActive():
            self._notes_timer.stop()
            self.save_notes()
        if terms is not None:
            self.terms = terms
        self.paper = paper
        self.empty.setVisible(paper is None)
        self.content.setVisible(paper is not None)
        if paper is None:
            return
        mark = theme.match_background(self.palette()).name()
        self.title.setText(to_html(tex_to_text(paper.title) or "(untitled)", self.terms, mark))
        bits = [", ".join(paper.authors)] if paper.authors else []
        bits += [venue_year(paper)] if paper.venue or paper.year else []
        who = to_html(" · ".join(bits), self.terms, mark) or "<i>No authors recorded</i>"
        added = added_on(paper)
        self.byline.setText(who + (f"<br><small>{escape(added)}</small>" if added else ""))
        self.links.setText(links_html(paper_links(paper)) or "<i>No links</i>")
        self.status.setCurrentIndex(STATUSES.index(paper.status))
        self.priority.setCurrentIndex(max(0, min(3, paper.priority)))
        self._show_tags(paper)
        self.abstract.setText(to_html(tex_to_text(paper.abstract), self.terms, mark)
                              or "<i>No abstract</i>")
        if not self.notes.hasFocus() and self.notes.toPlainText() != paper.notes:
            self.notes.blockSignals(True)
            self.notes.setPlainText(paper.notes)
            self.notes.blockSignals(False)
        values = {"authors": "; ".join(paper.authors), "year": str(paper.year or ""),
                  "arxiv_id": paper.arxiv_id, "doi": paper.doi, "url": paper.url}
        for key, edit in self.meta.items():
            if not edit.hasFocus():
                edit.setText(values[key])
                edit.setCursorPosition(0)  # a long author list shows its first names
        self.citekey.setText(f"Citation key: <b>{escape(paper.citekey)}</b>")

    def _show_tags(self, paper: Paper) -> None:
        if not paper.tags:
            self.tags.setText("<i>No tags</i>")
            return
        link = self.palette().color(QPalette.ColorRole.Link).name()
        chips = [f'<a href="tag:{escape(t, quote=True)}" style="color:{link}; text-decoration:none">'
                 f"{escape(t)}</a>&nbsp;<a href=\"remove:{escape(t, quote=True)}\" "
                 f'style="text-decoration:none">✕</a>' for t in paper.tags]
        self.tags.setText("Tags: " + " &nbsp;&nbsp; ".join(chips))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        """A new palette (a theme chosen, the desktop's scheme changed): the link and tag
        colours and the match marks are part of the text, so set it again (cleared first: Qt
        fixes a link's colour when the text is parsed and skips setting the same text). Here
        and not in the window: the pane's own palette is new only once this event reaches it."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.paper is not None:
            for label in (self.title, self.byline, self.links, self.tags, self.abstract):
                label.clear()
            self.show_paper(self.paper)

    def reload(self) -> None:
        """Re-read the shown paper after a change (it may have been purged by an undo)."""
        if self.paper is None:
            return
        found = self.lib.papers([self.paper.id])
        self.show_paper(found[0] if found else None)

    # -- edits -------------------------------------------------------------------------
    def _open(self, target: str) -> None:
        problem = open_or_explain(target)
        if problem:
            self.message.emit(problem)

    def _status_chosen(self, row: int) -> None:
        if self.paper is not None:
            pid, status = self.paper.id, STATUSES[row]
            self.tasks.run(lambda: self.lib.set_status([pid], status))

    def _priority_chosen(self, row: int) -> None:
        if self.paper is not None:
            pid = self.paper.id
            self.tasks.run(lambda: self.lib.set_priority([pid], row))

    def _tag_link(self, href: str) -> None:
        kind, _, name = href.partition(":")
        if kind == "tag":
            self.tag_clicked.emit(name)
        elif kind == "remove" and self.paper is not None:
            pid = self.paper.id
            self.tasks.run(lambda: self.lib.remove_tags([pid], [name]))

    def _add_tag(self) -> None:
        names = [n.strip() for n in self.tag_input.text().split(",") if n.strip()]
        if self.paper is None or not names:
            return
        pid = self.paper.id
        self.tag_input.clear()
        self.tasks.run(lambda: self.lib.add_tags([pid], names))

    def _notes_changed(self) -> None:
        self._notes_timer.start()

    def save_notes(self) -> None:
        """Save the notes if they differ from the stored ones (called by the debounce timer)."""
        self._notes_timer.stop()
        if self.paper is None or self.notes.toPlainText() == self.paper.notes:
            return
        pid, text = self.paper.id, self.notes.toPlainText()
        self.paper.notes = text  # so a second save of the same text is skipped
        self.tasks.run(lambda: self.lib.update(pid, notes=text))

    def _meta_edited(self, key: str) -> None:
        if self.paper is None:
            return
        raw = self.meta[key].text().strip()
        if key == "authors":
            value: object = [a.strip() for a in raw.split(";") if a.strip()]
            same = value == self.paper.authors
        elif key == "year":
            if raw and not raw.isdigit():
                self.message.emit("The year must be a number, like 2024.")
                return
            value = int(raw) if raw else None
            same = value == self.paper.year
        else:
            value = raw
            same = raw == getattr(self.paper, key)
        if same:
            return
        pid = self.paper.id
        self.tasks.run(lambda: self.lib.update(pid, **{key: value}))

    def copy_bibtex(self) -> None:
        if self.paper is None:
            return
        pid = self.paper.id

        def done(text: str) -> None:
            QGuiApplication.clipboard().setText(text)
            self.message.emit("BibTeX copied to the clipboard.")

        self.tasks.run(lambda: self.lib.bibtex([pid]), done)
