"""The reading half of `Library`: papers, id lists for views and searches, counts, tags.

A mixin, so `Library` stays one façade while each file holds one concern. Reads go
through the store's per-thread read connection, so they never wait on a writer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .bidi import without_bidi_controls
from .errors import InputError, UnknownPaper
from .models import QUEUE_STATUSES, SORT_NAMES, STATUSES, Paper
from .rows import PAPER_COLUMNS, paper_from_row
from .storage import explained, fetch_ids

VIEWS: dict[str, tuple[str, ...] | None] = {
    "queue": QUEUE_STATUSES,
    "foryou": QUEUE_STATUSES,  # the queue by for-you score (see `ids`)
    "reading": ("reading",),
    "read": ("read",),
    "archived": ("archived",),
    "all": None,
    "trash": None,
}
# The first author's family name: the text before a comma ("Lovelace, Ada"), else the
# last word ("Ada Lovelace"; the rtrim/replace pair is SQLite's "after the last space").
_FIRST_AUTHOR = "coalesce(json_extract(authors, '$[0]'), '')"
_SURNAME = (f"CASE WHEN instr({_FIRST_AUTHOR}, ',') "
            f"THEN substr({_FIRST_AUTHOR}, 1, instr({_FIRST_AUTHOR}, ',') - 1) "
            f"ELSE replace({_FIRST_AUTHOR}, rtrim({_FIRST_AUTHOR}, "
            f"replace({_FIRST_AUTHOR}, ' ', '')), '') END")
SORTS = {
    "queue": "priority DESC, position, id",
    "added": "added_at DESC, id DESC",
    "title": "title_key, id",
    "year": "year DESC, id",
    "author": f"{_SURNAME} = '', {_SURNAME} COLLATE NOCASE, title_key, id",
}
# Besides these: `relevance` is the search's order (queue order without one), and
# `for-you` the triage model's (core/foryou.py), computed over the listed ids.
MANY_HITS = 2000  # from this many hits, they are matched against the view's ids in Python


class LibraryQueries:
    """Read-only questions to the library (mixed into `Library`)."""

    def get(self, pid: int) -> Paper:
        papers = self.papers([pid])
        if not papers:
            raise UnknownPaper(f"There is no paper with id {pid}.")
        return papers[0]

    def papers(self, ids: Iterable[int]) -> list[Paper]:
        """The papers with these ids, in the order given (unknown ids are left out)."""
        ids = list(ids)
        if not ids:
            return []
        with explained():
            param = json.dumps(ids)
            rows = self.store.read().execute(
                f"SELECT {', '.join(PAPER_COLUMNS)} FROM papers "
                "WHERE id IN (SELECT value FROM json_each(?))",
                [param],
            ).fetchall()
            tags = self._tags_of(param)
        by_id = {r[0]: paper_from_row(dict(zip(PAPER_COLUMNS, r, strict=True)), tags.get(r[0], []))
                 for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def listing(self, ids: Iterable[int]) -> list[tuple[int, str, str, str, list[str]]]:
        """(id, status, citekey, name, tags) of the papers, in the order given: the line
        `paperdeck list` prints (name: the title as shown, else the arXiv id or DOI),
        without building whole papers (15,000 hits at 100,000 papers: 0.9 s of decoding
        authors, links and fields no line shows)."""
        ids = list(ids)
        if not ids:
            return []
        with explained():
            param = json.dumps(ids)
            rows = self.store.read().execute(
                "SELECT id, status, citekey, title, arxiv_id, doi FROM papers "
                "WHERE id IN (SELECT value FROM json_each(?))", [param]).fetchall()
            tags = self._tags_of(param)
        by_id = {pid: (pid, status, citekey, without_bidi_controls(title) or arxiv_id or doi,
                       tags.get(pid, []))
                 for pid, status, citekey, title, arxiv_id, doi in rows}
        return [by_id[i] for i in ids if i in by_id]

    def _tags_of(self, ids_json: str) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for pid, name in self.store.read().execute(
            "SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
            "WHERE pt.paper_id IN (SELECT value FROM json_each(?)) ORDER BY t.key",
            [ids_json],
        ):
            out.setdefault(pid, []).append(name)
        return out

    def require(self, ids: Iterable[int]) -> list[int]:
        """The ids, checked to exist; raises UnknownPaper naming the missing ones."""
        ids = list(dict.fromkeys(ids))
        with explained():
            found = {r[0] for r in self.store.read().execute(
                "SELECT id FROM papers WHERE id IN (SELECT value FROM json_each(?))",
                [json.dumps(ids)],
            )}
        missing = [i for i in ids if i not in found]
        if missing:
            listed = ", ".join(str(i) for i in missing[:10])
            raise UnknownPaper(f"No paper with id {listed} in this library.")
        return ids

    def ahead_by_priority(self, ids: Iterable[int]) -> str:
        """After a move to the top: the queue puts higher priorities first, so say how many
        papers stay ahead of the moved ones, or "" when they really are at the top."""
        ids = list(ids)
        statuses = ", ".join(f"'{s}'" for s in QUEUE_STATUSES)
        with explained():
            db = self.store.read()
            low = db.execute("SELECT min(priority) FROM papers WHERE id IN "
                             "(SELECT value FROM json_each(?))", [json.dumps(ids)]).fetchone()[0]
            ahead = db.execute(
                f"SELECT count(*) FROM papers WHERE trashed_at IS NULL AND status IN ({statuses}) "
                "AND priority > ?", [low]).fetchone()[0]  # no known id: low is NULL, none ahead
        if not ahead:
            return ""
        what = "paper with a higher priority stays" if ahead == 1 else "papers with a higher priority stay"
        return (f"Moved to the top of the papers of the same priority; {ahead:,} {what} ahead "
                "in the queue (the queue puts higher priorities first).")

    def ids(
        self,
        query: str | None = None,
        *,
        view: str = "all",
        tag: str | None = None,
        status: str | None = None,
        sort: str | None = None,
        limit: int | None = None,
    ) -> list[int]:
        """Paper ids for a view, optionally narrowed by tag, status and a search query.

        With a query the default order is relevance; otherwise `sort` (default: queue order).
        Trashed papers appear only in the "trash" view.
        """
        if view not in VIEWS:
            raise InputError(f"Unknown view '{view}'. Views: {', '.join(VIEWS)}.")
        if sort is not None and sort not in SORT_NAMES:
            raise InputError(f"Unknown sort '{sort}'. Sorts: {', '.join(SORT_NAMES)}.")
        if view == "foryou" and sort in (None, "queue") and not (query or "").strip():
            sort = "for-you"
        if sort == "for-you":  # papers not yet read first, each part by score
            plain = view == "foryou" and not (query or "").strip() and not tag and not status
            warm = self.recommender.warm()
            if plain and (warm or getattr(self, "background", None) is None):
                with explained():
                    ranked = self.recommender.queue_order()  # no SQL for the queue's ids
                if ranked is not None:
                    return ranked[:limit] if limit is not None else ranked
            listed = self.ids(query, view="queue" if view == "foryou" else view, tag=tag,
                              status=status, sort="relevance" if query else "queue")
            if getattr(self, "background", None) is not None and not warm:
                # The window (it sets `background`) must not wait for a first model build
                # (seconds at 100,000 papers): queue order until its worker has built it.
                return listed[:limit] if limit is not None else listed
            ranked = self.for_you(listed, unread_first=True).ids
            return ranked[:limit] if limit is not None else ranked
        if status is not None and status not in STATUSES:
            raise InputError(f"Unknown status '{status}'. Statuses: {', '.join(STATUSES)}.")
        where, params = self._filters(view, tag, status)
        query = (query or "").strip()
        if not query:
            order = SORTS.get(sort or ("added" if view == "trash" else "queue"), SORTS["queue"])
            sql = f"SELECT id FROM papers WHERE {where} ORDER BY {order}"
            if limit is not None:
                sql += f" LIMIT {int(limit)}"
            with explained():
                return fetch_ids(self.store.read(), sql, params)
        # The index leaves the trash out; the trash has a small index of its own.
        search = self.index.search_trash if view == "trash" else self.index.search
        hits = search(query)
        with explained():
            # Many hits are kept by the view's ids (read once per generation); few are
            # looked up. In another order, from about half the view on, one ordered scan
            # of the view beats looking each hit up (measured at 10k and 100k papers).
            many = len(hits) > MANY_HITS
            if sort in (None, "relevance"):
                if view == "all" and not tag and not status and self.index.searched_current():
                    ordered = hits  # the index holds exactly the papers not in the trash
                elif many:
                    view_ids = self._view_ids(where, params)
                    ordered = [i for i in hits if i in view_ids]
                else:
                    allowed = {r[0] for r in self.store.read().execute(
                        f"SELECT id FROM papers WHERE {where} "
                        "AND id IN (SELECT value FROM json_each(?))",
                        [*params, json.dumps(hits)],
                    )}
                    ordered = [i for i in hits if i in allowed]
            else:
                order = SORTS.get(sort, SORTS["queue"])
                if many and 2 * len(hits) > len(self._view_ids(where, params)):
                    found = set(hits)
                    ordered = [r[0] for r in self.store.read().execute(
                        f"SELECT id FROM papers WHERE {where} ORDER BY {order}", params)
                        if r[0] in found]
                else:
                    ordered = [r[0] for r in self.store.read().execute(
                        f"SELECT id FROM papers WHERE {where} "
                        f"AND id IN (SELECT value FROM json_each(?)) ORDER BY {order}",
                        [*params, json.dumps(hits)],
                    )]
        return ordered[:limit] if limit is not None else ordered

    def _view_ids(self, where: str, params: list[Any]) -> set[int]:
        """The ids a view holds, kept until the next edit: the searches of someone typing
        share them (reading 100,000 ids costs ~30 ms, a search itself less)."""
        key = (self.store.generation(), where, tuple(params))
        cached = getattr(self, "_view_cache", None)
        if cached is None or cached[0] != key:
            ids = set(fetch_ids(self.store.read(), f"SELECT id FROM papers WHERE {where}", params))
            cached = self._view_cache = (key, ids)
        return cached[1]

    @staticmethod
    def _filters(view: str, tag: str | None, status: str | None) -> tuple[str, list[Any]]:
        clauses = ["trashed_at IS NOT NULL" if view == "trash" else "trashed_at IS NULL"]
        params: list[Any] = []
        statuses = VIEWS[view]
        if statuses:  # `+status`: walk the queue index (see storage._v5_covering_views)
            clauses.append(f"+status IN ({', '.join('?' for _ in statuses)})")
            params.extend(statuses)
        if status:
            clauses.append("+status = ?")
            params.append(status)
        if tag:
            from .edits import tag_key

            clauses.append(
                "id IN (SELECT pt.paper_id FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
                "WHERE t.key = ?)"
            )
            params.append(tag_key(tag))
        return " AND ".join(clauses), params

    def counts(self) -> dict[str, int]:
        """Papers per view, for the sidebar."""
        with explained():
            rows = self.store.read().execute(
                "SELECT status, trashed_at IS NOT NULL, count(*) FROM papers GROUP BY 1, 2"
            ).fetchall()
        out = dict.fromkeys(VIEWS, 0)
        for status, trashed, n in rows:
            if trashed:
                out["trash"] += n
                continue
            out["all"] += n
            for view, statuses in VIEWS.items():
                if statuses and status in statuses:
                    out[view] += n
        return out

    def tags(self) -> list[tuple[str, int]]:
        """Every tag with the number of papers (not in the trash) carrying it, by name."""
        with explained():
            return [(r[0], r[1]) for r in self.store.read().execute(
                "SELECT t.name, count(*) FROM tags t JOIN paper_tags pt ON pt.tag_id = t.id "
                "WHERE pt.paper_id NOT IN (SELECT id FROM papers WHERE trashed_at IS NOT NULL) "
                "GROUP BY t.id ORDER BY t.key"
            )]

    def imports(self) -> list[dict[str, Any]]:
        """The import history, newest first (the raw pastes are kept)."""
        with explained():
            cur = self.store.read().execute("SELECT * FROM imports ORDER BY id DESC")
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, row, strict=True)) for row in cur]

    def status_history(self, pid: int) -> list[tuple[str, str]]:
        with explained():
            return [(r[0], r[1]) for r in self.store.read().execute(
                "SELECT status, at FROM status_history WHERE paper_id = ? ORDER BY id", [pid])]
