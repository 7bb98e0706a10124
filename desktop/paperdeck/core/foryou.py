"""The for-you score: how close an unread paper is to what you read, tagged or prioritised.

A weighted logistic regression over the papers' tf-idf vectors (`textfeatures`), the
baseline arxiv-sanity-lite made popular, trained here from the library's own signals:

- positive: read or reading (also once archived after reading), tagged, or given a priority;
- negative: trashed, or archived without being read;
- everything else, weakly negative (each class carries half the weight, so the score
  reads as "more like what you keep than like the rest").

It runs locally, offline and deterministically (fixed iterations, no sampling by
chance). The same vectors give the reasons ("like *X* (read) · terms: world model"),
suggested tags (the tags of the nearest tagged papers) and related papers.
With no positive signal yet, it says so and ranks by recency.

The vectors are not held here: they are memory-mapped from `foryou-features.bin`
(`foryou_features.py`), written from HELPER_FROM papers on by a spawned helper process,
so the build's memory is never the window's. As with the index rebuild's helpers
(`parallel_rebuild.py`), a script that ranks a large library must guard its main code
with `if __name__ == "__main__":`; if it does not, the helper fails and this process
builds the same file itself (logged). The model keeps every paper's place in its
order, so a view by score only picks its papers out of it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import foryou_features
from .foryou_features import Cancelled, Features
from .models import Draft
from .storage import Store
from .textfeatures import Postings, Rows, Vocabulary, display_term, paper_terms, sigmoid, weigh

__all__ = ["COLD_NOTE", "Cancelled", "Ranking", "Recommender", "Scored", "Scores"]

log = logging.getLogger(__name__)

COLD_NOTE = ("No reading signal yet: read, tag or prioritise a few papers and this ranks by "
             "them. Newest first meanwhile.")
L2 = 0.02  # strong regularisation: a few read papers must not make one word decide
STEPS = 100  # within 1e-4 of the optimum's scores on the test corpora (60: 2e-4)
EXPLICIT_SHARE = 0.5  # of the negative side's weight, for what you archived unread or trashed
# Training rows are capped so that an update stays well under a second at any size:
# the newest positives (interests drift), unlabelled papers evenly spaced.
POSITIVE_CAP = 2000
NEGATIVE_CAP = 2000  # the newest explicit negatives
BACKGROUND_CAP = 2000
NEAREST_SHOWN = 2
MIN_TAG_SIMILARITY = 0.08  # cosine of tf-idf rows below which a tagged paper is not "alike"
TERMS_SHOWN = 3
# Papers from which a spawned helper process writes the features file: its peak memory
# (~700 MB at 100,000 papers) is then never the window's. Below, a build peaks under
# ~100 MB, less than what starting a process costs (~0.5 s: it imports numpy).
HELPER_FROM = 10_000
HELPER_POLL_S = 0.05


class HelperFailed(RuntimeError):
    """The helper process could not start or did not finish its file."""


@dataclass
class Scored:
    """One paper's for-you score (0..1; None on a cold start) and why."""

    score: float | None
    reasons: list[str] = field(default_factory=list)


class Scores(Mapping[int, "float | None"]):
    """Id -> score of a ranking, made into a dict only when asked: the For you view wants
    the order of 40,000 ids, not 40,000 dictionary entries."""

    def __init__(self, ids: np.ndarray, values: np.ndarray) -> None:
        self._ids, self._values = ids, values
        self._dict: dict[int, float] | None = None

    def _made(self) -> dict[int, float]:
        if self._dict is None:
            self._dict = dict(zip(self._ids.tolist(), self._values.tolist(), strict=True))
        return self._dict

    def __getitem__(self, pid: int) -> float:
        return self._made()[pid]

    def __iter__(self) -> Iterator[int]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._ids)


@dataclass
class Ranking:
    """Candidate ids, best first, with their scores; `cold` when there is no signal yet."""

    ids: list[int]
    scores: Mapping[int, float | None]
    cold: bool
    note: str = ""


READING, ARCHIVED, FINISHED, TRASHED, UNREAD, STILL_READING = 1, 2, 4, 8, 16, 32
_FLAGS = ("(status IN ('read', 'reading')) + 2 * (status = 'archived') "
          "+ 4 * (finished_at IS NOT NULL) + 8 * (trashed_at IS NOT NULL) "
          "+ 16 * (status IN ('queued', 'reading')) + 32 * (status = 'reading')")


@dataclass
class _Signals:
    ids: np.ndarray  # every paper id, ascending (rows of the matrix)
    pos: np.ndarray  # boolean masks over ids
    neg: np.ndarray
    trashed: np.ndarray
    unread: np.ndarray  # queued or reading: the part a for-you order puts first
    flags: np.ndarray  # READING | ARCHIVED | ... per row
    priority: np.ndarray
    tags: dict[int, list[str]]

    def why(self, row: int) -> str:
        """Why a positive paper is one: "read", "reading", "tagged robotics", "priority 2"."""
        if self.flags[row] & (READING | FINISHED):  # finished: read, then archived
            return "reading" if self.flags[row] & STILL_READING else "read"
        pid = int(self.ids[row])
        if pid in self.tags:
            return "tagged " + ", ".join(self.tags[pid][:2])
        return f"priority {int(self.priority[row])}"


def _open_features(path: Path) -> foryou_features.Features | None:
    """Features.open, its system errors said in words (not "could not be written")."""
    try:
        return foryou_features.Features.open(path)
    except OSError as exc:
        raise RuntimeError(f"the for-you features at {path} could not be read: "
                           f"{exc.strerror or exc}") from exc


class Recommender:
    """Features mapped from a file keyed to the papers' text revisions (rebuilt when a
    text changes); the model retrained when signals change."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.vocab = Vocabulary()
        self._lock = threading.RLock()
        self._cancelled = False
        self._generation = -1
        self.features: Features | None = None
        self.idf = np.zeros(0)
        self.row_of: dict[int, int] = {}
        self.signals: _Signals | None = None
        self.w = np.zeros(0)
        self.b = 0.0
        self.margins = np.zeros(0)  # every row's x.w + b, for the last trained model
        self.values = np.zeros(0)  # every row's score, sigmoid(margin)
        self.order = np.zeros(0, dtype=np.int64)  # all rows, best first (kept per model)
        self._pos_rows = np.zeros(0, dtype=np.int64)  # rows the reasons' "like ..." search
        self._pos_postings: Postings | None = None
        # Kept per model (reset when it retrains): the tagged rows, the For you view.
        self._tagged: np.ndarray | None = None
        self._queue: list[int] | None = None
        self.helper: multiprocessing.process.BaseProcess | None = None  # while one builds
        self.built_by = ""  # "helper" or "this process": who wrote the features last
        self.helper_failure = ""  # why the last helper failed, when it did

    # -- keeping up with the library ------------------------------------------------
    def refresh(self) -> None:
        """Bring features, signals and the model up to date with the database."""
        with self._lock:
            gen = self.store.generation()
            if gen == self._generation:
                return
            keys = foryou_features.text_keys(self.store.read())
            if self.features is None or not self.features.matches(*keys):
                self._load_features(keys)
            self.signals = self._read_signals()
            self._train()
            self._order_all()
            self._generation = gen

    def _features_path(self) -> Path:
        return self.store.path.parent / foryou_features.FILE

    def _load_features(self, keys: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
        """Map the features file; (re)build it first when it is not of these texts."""
        path = self._features_path()
        found = _open_features(path)
        if found is None or not found.matches(*keys):
            if self._cancelled:
                raise Cancelled("the library is closing")
            if self.store.read_only:  # nothing is written beside a read-only library
                fd, name = tempfile.mkstemp(prefix="paperdeck-", suffix="-" + path.name)
                os.close(fd)
                path = Path(name)
            try:
                self._build(path, len(keys[0]))
                found = _open_features(path)
            finally:
                if self.store.read_only:
                    path.unlink(missing_ok=True)  # mapped already: the mapping stays valid
            if found is None:
                raise RuntimeError(f"the for-you features could not be written to {path}")
        self.features = found
        self.vocab = found.vocabulary()
        self.idf = found.idf
        self.row_of = {pid: i for i, pid in enumerate(found.ids.tolist())}

    def _build(self, out: Path, papers: int) -> None:
        """Write the features file: in a helper process from HELPER_FROM papers on; in
        this one below that, or when the helper fails (the same code, the same file)."""
        folder = None if self.store.read_only else self.store.path.parent
        if papers >= HELPER_FROM:
            try:
                self._build_in_helper(out, folder)
                self.built_by = "helper"
                return
            except HelperFailed as exc:
                self.helper_failure = str(exc)
                log.warning("for-you features: %s; building them in this process instead", exc)
        foryou_features.build(self.store.read(), folder, out, lambda: self._cancelled)
        self.built_by = "this process"

    def _build_in_helper(self, out: Path, folder: Path | None) -> None:
        """Run `foryou_features.build` in a spawned process (a forked copy of a process
        with Qt threads may deadlock) and wait for it; `cancel` kills it."""
        ctx = multiprocessing.get_context("spawn")
        proc = ctx.Process(target=foryou_features.build_in_helper, daemon=True,
                           args=(self.store.ro_uri, str(folder) if folder else "", str(out)),
                           name="paperdeck-foryou")
        try:
            proc.start()
        except OSError as exc:
            raise HelperFailed(f"the helper process could not start ({exc})") from exc
        self.helper = proc
        try:
            if self._cancelled:  # cancelled while it started: `cancel` saw no helper yet
                proc.kill()
            while proc.exitcode is None:
                proc.join(HELPER_POLL_S)
        finally:
            self.helper = None  # a killed helper's half-written file goes at the next build
        if self._cancelled:
            raise Cancelled("the library is closing")
        if proc.exitcode < 0:
            name = signal.Signals(-proc.exitcode).name
            raise HelperFailed(f"the helper process was killed by signal {-proc.exitcode} ({name})")
        if proc.exitcode:
            raise HelperFailed(f"the helper process failed (exit code {proc.exitcode})")

    def warm(self) -> bool:
        """True once a model has been built (it may be a few edits behind)."""
        return self._generation != -1

    def cancel(self) -> None:
        """Stop a build under way (from another thread); later builds raise Cancelled
        until `resume` (a window closing while its library stays open for another).
        A helper process building the features is ended at once."""
        self._cancelled = True
        proc = self.helper
        if proc is not None:
            proc.kill()

    def resume(self) -> None:
        self._cancelled = False

    def _read_signals(self) -> _Signals:
        """Who is positive or negative, as arrays over the rows: one small integer of
        flags a paper, read in batches (100,000 rows of Python tuples with their dates
        and statuses took ~60 MB, kept by the allocator after they were freed)."""
        db = self.store.read()
        ids = np.array(self.features.ids if self.features is not None else [], dtype=np.int64)
        n = len(ids)
        tags: dict[int, list[str]] = {}
        names: dict[str, str] = {}  # one string object a tag name
        for pid, name in db.execute(
                "SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
                "ORDER BY t.key"):
            tags.setdefault(pid, []).append(names.setdefault(name, name))
        flags = np.zeros(n, dtype=np.int64)
        priority = np.zeros(n, dtype=np.int64)
        cursor = db.execute(f"SELECT id, {_FLAGS}, priority FROM papers ORDER BY id")
        while batch := cursor.fetchmany(20_000):
            found, flag, prio = (np.asarray(c, dtype=np.int64) for c in zip(*batch, strict=True))
            at = np.minimum(np.searchsorted(ids, found), max(n - 1, 0))
            ok = ids[at] == found if n else np.zeros(len(found), bool)
            flags[at[ok]], priority[at[ok]] = flag[ok], prio[ok]
        reading, archived = flags & READING > 0, flags & ARCHIVED > 0
        finished, trashed, unread = flags & FINISHED > 0, flags & TRASHED > 0, flags & UNREAD > 0
        tagged = np.zeros(n, dtype=bool)
        tagged[[self.row_of[i] for i in tags if i in self.row_of]] = True
        # A paper read and then archived was still read: archiving is putting it away.
        pos = ~trashed & (reading | finished | tagged | (priority > 0))
        neg = trashed | (archived & ~pos)
        return _Signals(ids, pos, neg, trashed, unread, flags, priority, tags)

    def _train(self) -> None:
        """A new model for new signals: none (all weights 0) until there is a positive one."""
        s = self._signals()
        self.w, self.b = np.zeros(len(self.vocab.names)), 0.0
        self.margins = np.zeros(len(self.row_of))
        self._tagged = self._queue = None
        if s.pos.any():  # cold otherwise: no answer reads the model then
            self._fit(s)

    def _fit(self, s: _Signals) -> None:
        """Weighted, L2-regularised logistic regression by accelerated gradient descent."""
        width = len(self.vocab.names)
        pos = np.flatnonzero(s.pos)[-POSITIVE_CAP:]
        self._pos_rows = pos
        self._pos_postings = Postings(self.features.select(pos), width)
        background = np.flatnonzero(~s.pos & ~s.neg & ~s.trashed)
        if len(background) > BACKGROUND_CAP:  # evenly spaced: deterministic, unbiased by age
            background = background[np.linspace(0, len(background) - 1, BACKGROUND_CAP).astype(int)]
        neg = np.concatenate([np.flatnonzero(s.neg)[-NEGATIVE_CAP:], background])
        rows = np.concatenate([pos, neg])
        y = np.concatenate([np.ones(len(pos)), -np.ones(len(neg))])
        explicit = s.neg[neg]
        c = np.concatenate([np.ones(len(pos)) / len(pos), np.zeros(len(neg))])
        c[len(pos):] = _shares(explicit)
        x = self.features.select(rows)
        # Only the columns the training rows use: the others keep weight 0 (their gradient
        # is 0 and L2 pulls them nowhere), and the arithmetic shrinks with the width.
        used, x.col = np.unique(x.col, return_inverse=True)
        width = len(used)
        x.by_columns(width)
        # Each block's step bounds its own curvature; w and b share a direction when rows
        # do (papers of a few common words), and full steps then overshoot together: the
        # scores swung by 0.3 from one step to the next and never settled. The whole
        # curvature is at most twice its two diagonal blocks', so half steps converge.
        step = 0.5 / (0.25 * _top_eigenvalue(x, c, width) + L2)
        step_b = 0.5 / (0.25 * c.sum())
        w, b = np.zeros(width), 0.0
        w_prev, b_prev = w, b
        for k in range(1, STEPS + 1):
            m = (k - 1) / (k + 2)
            vw, vb = w + m * (w - w_prev), b + m * (b - b_prev)
            r = -c * y * sigmoid(-y * (x.dot(vw) + vb))
            w_prev, b_prev = w, b
            w = vw - step * (x.t_dot(r, width) + L2 * vw)
            b = vb - step_b * r.sum()
        self.w[used] = w
        self.b = float(b)
        self.margins = self.features.dot(self.w) + self.b

    def _order_all(self) -> None:
        """Every paper, best first (ties: lower id), once per model: the For you view then
        only picks its ids out of this order (40,000 of 100,000 papers: ~1 ms, not a
        score and sort of each id every time it is shown)."""
        self.values = sigmoid(self.margins)
        self.order = np.lexsort((self._signals().ids, -self.values))

    # -- answers: each refreshes first, then reads that model under the lock -----------
    def _signals(self) -> _Signals:
        """The signals of the last refresh (it sets them or raises)."""
        assert self.signals is not None, "refresh() first"
        return self.signals

    def rank(self, ids: Sequence[int], unread_first: bool = False) -> Ranking:
        """These library papers, best first (newest first on a cold start); with
        `unread_first`, the queued and reading ones before the rest, each part in order."""
        self.refresh()
        with self._lock:
            s = self._signals()
            if not s.pos.any():  # cold: no positive signal yet
                known = [i for i in ids if i in self.row_of]
                added = dict(self.store.read().execute(  # only here: a new library is small
                    "SELECT id, coalesce(added_at, '') FROM papers"))
                order = sorted(known, key=lambda i: (added[i], i), reverse=True)
                if unread_first:
                    first = [s.unread[self.row_of[i]] for i in order]
                    order = [i for i, f in zip(order, first, strict=True) if f] + \
                        [i for i, f in zip(order, first, strict=True) if not f]
                return Ranking(order, dict.fromkeys(order), True, COLD_NOTE)
            wanted = np.asarray(ids, dtype=np.int64)
            at = np.minimum(np.searchsorted(s.ids, wanted), len(s.ids) - 1)
            picked = np.zeros(len(s.ids), dtype=bool)
            picked[at[s.ids[at] == wanted]] = True  # ids not in the library are left out
            rows = self.order[picked[self.order]]
            if unread_first:
                first = s.unread[rows]
                rows = np.concatenate([rows[first], rows[~first]])
            best = s.ids[rows]
            return Ranking(best.tolist(), Scores(best, self.values[rows]), False)

    def queue_order(self) -> list[int] | None:
        """The queue (queued and reading papers not in the trash) by score: the For you
        view read off the kept order and the signals, both as of the current generation,
        with no query for the queue's ids. None on a cold start (then by date added)."""
        self.refresh()
        with self._lock:
            s = self._signals()
            if not s.pos.any():
                return None
            if self._queue is None:
                keep = s.unread & ~s.trashed
                self._queue = s.ids[self.order[keep[self.order]]].tolist()
            return list(self._queue)  # the caller's own copy

    def reasons(self, ids: Iterable[int]) -> dict[int, list[str]]:
        """Why each paper scores as it does (library papers)."""
        self.refresh()
        with self._lock:
            if not self._signals().pos.any():
                return {i: [COLD_NOTE] for i in ids}
            return {i: self._why(*self.vector(i), skip=i)
                    for i in ids if i in self.row_of}

    def score_drafts(self, drafts: Sequence[Draft]) -> list[Scored]:
        """Scores and reasons for papers not in the library yet (an import's rows)."""
        self.refresh()
        with self._lock:
            if not self._signals().pos.any():
                return [Scored(None, [COLD_NOTE]) for _ in drafts]
            out = []
            for d in drafts:
                cols, vals = self._draft_vector(d)
                margin = float(vals @ self.w[cols]) + self.b if len(cols) else self.b
                out.append(Scored(float(sigmoid(np.array(margin))), self._why(cols, vals)))
            return out

    def suggest_tags(self, pid: int | None = None, draft: Draft | None = None,
                     limit: int = 3, k: int = 7) -> list[str]:
        """Tags of the `k` nearest tagged papers, weighted by closeness; not those it has.
        Papers less alike than MIN_TAG_SIMILARITY vote for nothing, so a library whose only
        tagged papers are on another subject suggests nothing rather than their tags."""
        self.refresh()
        with self._lock:
            s = self._signals()
            cols, vals = self._vector(pid, draft)  # no columns: no paper is alike
            rows = self._tagged_rows()
            sims = self.features.cosine(cols, vals)[rows]
            if pid is not None and pid in self.row_of:
                sims[rows == self.row_of[pid]] = 0.0
            votes: Counter[str] = Counter()
            for j in _top(sims, k):
                if sims[j] < MIN_TAG_SIMILARITY:  # not really alike: its tags say nothing here
                    continue
                for tag in s.tags[int(s.ids[rows[j]])]:
                    votes[tag] += float(sims[j])
            have = set(s.tags.get(pid, [])) if pid is not None else set(draft.tags if draft else [])
            ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0].lower()))
            return [t for t, _ in ranked if t not in have][:limit]

    def _tagged_rows(self) -> np.ndarray:
        """The tagged papers not in the trash, ascending (kept until signals change). Their
        similarities are read off the whole file's: an index of their own took ~50 MB
        when a fifth of 100,000 papers are tagged."""
        s = self._signals()
        if self._tagged is None:
            self._tagged = np.array(sorted(self.row_of[i] for i in s.tags if i in self.row_of
                                           and not s.trashed[self.row_of[i]]), dtype=np.int64)
        return self._tagged

    def related(self, pid: int, limit: int = 5) -> list[tuple[int, float]]:
        """The nearest papers in the library (not in the trash), with their similarity."""
        self.refresh()
        with self._lock:
            s = self._signals()
            if pid not in self.row_of:
                return []
            sims = self.features.cosine(*self.vector(pid))
            sims[self.row_of[pid]] = 0.0
            sims[s.trashed] = 0.0
            return [(int(s.ids[j]), round(float(sims[j]), 4)) for j in _top(sims, limit)]

    # -- helpers ----------------------------------------------------------------------
    def vector(self, pid: int) -> tuple[np.ndarray, np.ndarray]:
        """A library paper's tf-idf vector: its columns and their weights."""
        return self.features.entries(self.row_of[pid])

    def _title(self, pid: int) -> str:
        row = self.store.read().execute("SELECT title FROM papers WHERE id = ?", [pid]).fetchone()
        return row[0] if row else ""

    def _vector(self, pid: int | None, draft: Draft | None) -> tuple[np.ndarray, np.ndarray]:
        if pid is not None:
            if pid not in self.row_of:
                return np.zeros(0, dtype=np.int64), np.zeros(0)
            return self.vector(pid)
        return self._draft_vector(draft) if draft else (np.zeros(0, dtype=np.int64), np.zeros(0))

    def _draft_vector(self, d: Draft) -> tuple[np.ndarray, np.ndarray]:
        cols, counts = self.vocab.encode(
            paper_terms(d.title, d.abstract, d.authors, d.venue, d.primary_class), grow=False)
        one = weigh([cols], [counts], self.idf)
        return one.col, one.val

    def _why(self, cols: np.ndarray, vals: np.ndarray, skip: int | None = None) -> list[str]:
        s = self._signals()
        out: list[str] = []
        if len(cols):
            sims = self._pos_postings.cosine(cols, vals)
            if skip is not None and skip in self.row_of:
                sims[self._pos_rows == self.row_of[skip]] = 0.0
            for j in _top(sims, NEAREST_SHOWN, floor=0.05):
                pid = int(s.ids[self._pos_rows[j]])
                title = self._title(pid) or f"paper {pid}"
                title = title if len(title) <= 60 else title[:59].rstrip() + "…"
                out.append(f"like “{title}” ({s.why(int(self._pos_rows[j]))})")
        if len(cols):
            gain = vals * self.w[cols]
            terms: list[str] = []
            for j in np.argsort(-gain, kind="stable"):
                if gain[j] <= 0 or len(terms) == TERMS_SHOWN:
                    break
                name = self.vocab.names[int(cols[j])]
                if any(name in t.split(" ") or name in t for t in terms):
                    continue
                terms = [t for t in terms if t not in name.split(" ")] + [name]
            if terms:
                out.append("terms: " + ", ".join(display_term(t) for t in terms))
        return out


def _shares(explicit: np.ndarray) -> np.ndarray:
    """Weights of the negative side (summing to 1): the explicit negatives share
    EXPLICIT_SHARE of it, the unlabelled papers the rest (all of it when one side is empty)."""
    n_exp, n_bg = int(explicit.sum()), int((~explicit).sum())
    if not n_exp or not n_bg:
        return np.full(len(explicit), 1.0 / max(len(explicit), 1))
    return np.where(explicit, EXPLICIT_SHARE / n_exp, (1 - EXPLICIT_SHARE) / n_bg)


def _top(values: np.ndarray, k: int, floor: float = 1e-9) -> list[int]:
    """Indices of the `k` largest values above `floor`, largest first (ties: lower index)."""
    above = np.flatnonzero(values > floor)
    if len(above) > k:
        cut = np.partition(values[above], len(above) - k)[len(above) - k]
        above = above[values[above] >= cut]
    order = np.lexsort((above, -values[above]))[:k]
    return [int(j) for j in above[order]]


def _top_eigenvalue(x: Rows, c: np.ndarray, width: int, iterations: int = 12) -> float:
    """The largest eigenvalue of X^T diag(c) X by power iteration (the step size's bound)."""
    v = np.ones(width) / np.sqrt(max(width, 1))
    value = 0.0
    for _ in range(iterations):
        u = x.t_dot(c * x.dot(v), width)
        value = float(np.linalg.norm(u))
        if value == 0:
            return 0.0
        v = u / value
    return value
