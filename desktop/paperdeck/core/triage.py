"""The triage half of `Library`: for-you scores, their reasons, suggested tags, related papers.

A mixin like `queries.py`. The model (`foryou.Recommender`) is built on first use and
kept up to date lazily: each question first catches it up with the database (papers
whose text changed are re-read; a new read, tag or archive only retrains, ~0.1 s at
10,000 papers). The window asks on its background worker, never on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .storage import explained

if TYPE_CHECKING:
    from .foryou import Ranking, Recommender, Scored
    from .models import Draft
    from .storage import Store

_CREATE = threading.Lock()


class LibraryTriage:
    """For-you ranking and neighbours (mixed into `Library`)."""

    store: Store

    @property
    def recommender(self) -> Recommender:
        with _CREATE:
            rec = getattr(self, "_recommender", None)
            if rec is None:
                from .foryou import Recommender

                rec = self._recommender = Recommender(self.store)
            return rec

    def for_you(self, ids: Sequence[int], unread_first: bool = False) -> Ranking:
        """These papers by for-you score, best first (newest first with no signal yet);
        with `unread_first`, the queued and reading ones first."""
        with explained():
            return self.recommender.rank(ids, unread_first)

    def for_you_reasons(self, ids: Sequence[int]) -> dict[int, list[str]]:
        """Why each paper scores as it does: its nearest read/tagged papers, shared terms."""
        with explained():
            return self.recommender.reasons(list(ids))

    def score_drafts(self, drafts: Sequence[Draft]) -> list[Scored]:
        """For-you scores and reasons for papers not imported yet (the import review)."""
        with explained():
            return self.recommender.score_drafts(list(drafts))

    def suggest_tags(self, pid: int, limit: int = 3) -> list[str]:
        """Tags of the paper's nearest tagged neighbours, best first, not ones it has."""
        self.require([pid])
        with explained():
            return self.recommender.suggest_tags(pid, limit=limit)

    def suggest_tags_for_draft(self, draft: Draft, limit: int = 3) -> list[str]:
        with explained():
            return self.recommender.suggest_tags(draft=draft, limit=limit)

    def related(self, pid: int, limit: int = 5) -> list[tuple[int, float]]:
        """The `limit` papers most like this one (id, cosine similarity), nearest first."""
        self.require([pid])
        with explained():
            return self.recommender.related(pid, limit=limit)
