"""What a metadata completion did, per paper, for the CLI, the GUI and JSON."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..citekeys import family_name

UPDATED, UNCHANGED = "updated", "unchanged"
SHOWN_AUTHORS = 3
_GROUP = re.compile(r"\b(?:collaboration|consortium|team|group|project|initiative)\b", re.I)


@dataclass
class FieldChange:
    field: str
    before: Any
    after: Any

    def text(self) -> str:
        """``authors: (none) → A. Vaswani, N. Shazeer, …``"""
        return f"{self.field}: {show(self.field, self.before)} → {show(self.field, self.after)}"

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "before": self.before, "after": self.after}


@dataclass
class PaperOutcome:
    id: int
    label: str
    status: str  # updated | unchanged | or a LookupResult status (not-found, offline, ...)
    via: str = ""
    source: str = ""
    changes: list[FieldChange] = field(default_factory=list)
    kept: list[FieldChange] = field(default_factory=list)
    note: str = ""
    citekey_now: str = ""
    citekey_suggested: str = ""  # what `rekey` would give now; "" when it would not change

    def line(self) -> str:
        head = f"{self.id}: {self.label[:70]}"
        if self.changes:
            body = "; ".join(c.text() for c in self.changes)
        else:
            body = self.status.replace("-", " ") + (f" ({self.note})" if self.note else "")
        extra = "".join(f"; kept yours: {c.field} {show(c.field, c.before)} "
                        f"(service says {show(c.field, c.after)})" for c in self.kept)
        if self.citekey_suggested:
            extra += (f"; citation key stays {self.citekey_now} "
                      f"(rekey would give {self.citekey_suggested})")
        return f"{head}\n    {body}{extra}"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "status": self.status, "via": self.via, "source": self.source,
            "changes": [c.as_json() for c in self.changes],
            "kept": [c.as_json() for c in self.kept], "note": self.note,
            "citekey": self.citekey_now, "citekey_suggested": self.citekey_suggested,
        }


@dataclass
class CompletionReport:
    items: list[PaperOutcome] = field(default_factory=list)
    applied: bool = False

    @property
    def offline(self) -> bool:
        """True when some lookups failed for lack of network (the GUI shows a note)."""
        return any(it.status in ("offline", "timeout") for it in self.items)

    @property
    def updated_ids(self) -> list[int]:
        return [it.id for it in self.items if it.status == UPDATED]

    def counts(self) -> dict[str, int]:
        return dict(Counter(it.status for it in self.items))

    def summary(self) -> str:
        """``2 updated, 1 not found; offline: arXiv cannot be reached ...``"""
        parts = [f"{n} {status.replace('-', ' ')}" for status, n in self.counts().items()]
        text = ", ".join(parts) or "nothing to do"
        if self.offline:
            notes = dict.fromkeys(it.note.split(" (not asked")[0] for it in self.items
                                  if it.status in ("offline", "timeout"))
            text += "; offline: " + " ".join(notes)
        return text

    def as_json(self) -> dict[str, Any]:
        return {"applied": self.applied, "offline": self.offline, "counts": self.counts(),
                "papers": [it.as_json() for it in self.items]}


def show(column: str, value: Any) -> str:
    if value in (None, "", []):
        return "(none)"
    if column == "authors":
        names = [short_name(a) for a in value[:SHOWN_AUTHORS]]
        return ", ".join(names) + (", …" if len(value) > SHOWN_AUTHORS else "")
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def short_name(author: str) -> str:
    """``Ashish Vaswani`` -> ``A. Vaswani``; one-word names and groups stay whole."""
    if _GROUP.search(author):
        return author
    family = family_name(author)
    given = author.replace(family, "").replace(",", " ").split() if family else []
    initials = " ".join(f"{g[0]}." for g in given if g[:1].isalpha())
    return f"{initials} {family}".strip() if family else author
