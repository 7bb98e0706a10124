"""Looking papers up: arXiv by id (batched), Crossref by DOI, either by title.

No database here: `MetadataClient.lookup_many` takes papers (or drafts) and returns one
`LookupResult` per paper, in order. It runs for seconds to minutes (arXiv asks for
3 s between requests), so the GUI calls it on its worker thread; `progress` is called
on that same thread, and `cancel()` may be called from any thread.

A title lookup accepts a candidate only when the titles are near-identical
(`title_similarity` >= TITLE_MATCH) and, when both sides name authors, they share a
family name; otherwise the result is "no confident match". A lookup by id whose answer
has a clearly different title is refused the same way ("mismatch").
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from rapidfuzz import fuzz

from ..citekeys import ascii_fold, family_name
from ..dedupe import doi_key, title_key, title_similarity
from ..digest.identifiers import normalise_arxiv_id
from . import arxiv, crossref
from .cache import MISS, LookupCache
from .http import Cancelled, Clock, Fetcher, LookupFailed, Offline, RateLimiter, Sleep, TimedOut
from .records import Found
from .settings import EnrichSettings

TITLE_MATCH = 95.0  # near-identical normalised titles
# An id whose paper's title is this unlike ours or more is probably a typo. Inclusive: at 50
# titles are plainly different papers ("Need for Vision" / "Attention Is All You Need"), and
# taking a wrong answer overwrites a paper with another's metadata; refusing leaves it be.
ID_TITLE_FLOOR = 50.0
ARXIV_DOI_PREFIX = "10.48550/arxiv."

FOUND, NOT_FOUND, NO_MATCH, MISMATCH, NOTHING_TO_GO_ON = (
    "found", "not-found", "no-confident-match", "mismatch", "nothing-to-look-up")
Progress = Callable[[int, int, str], object]


class Subject(Protocol):
    """What a lookup needs of a paper (a `Paper` or a `Draft`)."""

    title: str
    authors: list[str]
    arxiv_id: str
    doi: str


@dataclass
class LookupResult:
    status: str  # found | not-found | no-confident-match | mismatch | nothing-to-look-up
    #              or a failure: offline | timeout | busy | malformed | error | cancelled
    found: Found | None = None
    via: str = ""  # "arXiv id", "DOI", "title (arXiv)", "title (Crossref)"
    note: str = ""
    cached: bool = False

    @property
    def failed(self) -> bool:
        return self.status not in (FOUND, NOT_FOUND, NO_MATCH, MISMATCH, NOTHING_TO_GO_ON)


class MetadataClient:
    """Asks arXiv and Crossref politely: rate-limited, cached, short timeouts, cancellable.

    Keep one per library (`Library.metadata_client()`), so its rate limiters see every
    request. `clock` and `sleep` are for tests (a fake clock asserts the spacing).
    """

    def __init__(self, settings: EnrichSettings | None = None, *, clock: Clock | None = None,
                 sleep: Sleep | None = None, now: Callable[[], float] | None = None) -> None:
        import time

        self.settings = s = settings or EnrichSettings()
        self._cancel = threading.Event()
        clock = clock or time.monotonic
        sleep = sleep or self._cancel.wait  # a cancel wakes a rate-limit wait at once
        common: dict[str, Any] = dict(user_agent=s.user_agent, timeout=s.timeout,
                                      retries=s.retries, max_retry_wait=s.max_retry_wait,
                                      cancelled=self._cancel.is_set)
        self.arxiv = Fetcher("arXiv", RateLimiter(s.arxiv_interval, clock=clock, sleep=sleep),
                             **common)
        self.crossref = Fetcher("Crossref", RateLimiter(s.crossref_interval, clock=clock,
                                                        sleep=sleep), **common)
        self.cache = LookupCache(s.cache_path, hit_days=s.cache_days,
                                 miss_days=s.cache_miss_days, now=now or time.time)
        self._down: dict[str, LookupFailed] = {}

    def cancel(self) -> None:
        """Stop a running `lookup_many` soon (remaining papers come back "cancelled")."""
        self._cancel.set()

    # -- the batch ---------------------------------------------------------------------
    def lookup_many(self, papers: Sequence[Subject], progress: Progress | None = None
                    ) -> list[LookupResult]:
        """One result per paper, in order. Never raises for network trouble: a paper's
        result says what went wrong, and a service that is offline is not asked again
        during this call."""
        self._cancel.clear()
        self._down = {}
        total = len(papers)
        results: list[LookupResult | None] = [None] * total
        done = 0

        def finish(i: int, result: LookupResult) -> None:
            nonlocal done
            results[i] = result
            done += 1
            if progress is not None:
                progress(done, total, _label(papers[i]))

        by_arxiv = [(i, aid) for i, p in enumerate(papers) if (aid := _arxiv_of(p))]
        self._arxiv_ids(papers, by_arxiv, finish)
        for i, p in enumerate(papers):
            if results[i] is not None:
                continue
            if p.doi.strip():
                finish(i, self._guard(lambda p=p: self._by_doi(p)))
            elif p.title.strip():
                finish(i, self._guard(lambda p=p: self._by_title(p)))
            else:
                finish(i, LookupResult(NOTHING_TO_GO_ON, note="no arXiv id, DOI or title"))
        return [r for r in results if r is not None]

    def lookup(self, paper: Subject) -> LookupResult:
        return self.lookup_many([paper])[0]

    def _guard(self, ask: Callable[[], LookupResult]) -> LookupResult:
        try:
            return ask()
        except LookupFailed as exc:
            return LookupResult(exc.kind, note=str(exc))

    def _get(self, fetcher: Fetcher, url: str, accept: str):
        """A GET that remembers a service found offline or timing out, and skips it after."""
        if self._cancel.is_set():
            raise Cancelled("Cancelled.")
        if fetcher.service in self._down:
            exc = self._down[fetcher.service]
            raise type(exc)(f"{str(exc)} (not asked again this time)")
        try:
            return fetcher.get(url, accept)
        except (Offline, TimedOut) as exc:
            self._down[fetcher.service] = exc
            raise

    # -- arXiv ids, in batches ----------------------------------------------------------
    def _arxiv_ids(self, papers: Sequence[Subject], jobs: list[tuple[int, str]],
                   finish: Callable[[int, LookupResult], None]) -> None:
        todo = []
        for i, aid in jobs:
            hit = self.cache.get(f"arxiv:{aid}")
            if hit is MISS:
                finish(i, LookupResult(NOT_FOUND, via="arXiv id", cached=True,
                                       note=f"arXiv has no paper {aid}"))
            elif hit is not None:
                finish(i, _checked(papers[i], LookupResult(FOUND, Found.from_json(hit),
                                                           via="arXiv id", cached=True)))
            else:
                todo.append((i, aid))
        size = max(1, self.settings.arxiv_batch)
        for start in range(0, len(todo), size):
            chunk = todo[start:start + size]
            ids = list(dict.fromkeys(aid for _, aid in chunk))
            try:
                resp = self._get(self.arxiv, arxiv.id_list_url(self.settings.arxiv_api, ids),
                                 "application/atom+xml")
                entries = arxiv.parse_feed(resp.body) if resp.status != 404 else []
            except LookupFailed as exc:
                for i, _ in chunk:
                    finish(i, LookupResult(exc.kind, via="arXiv id", note=str(exc)))
                continue
            by_id = {f.arxiv_id: f for f in entries}
            for aid in ids:
                self.cache.put(f"arxiv:{aid}", by_id[aid].to_json() if aid in by_id else None)
            for i, aid in chunk:
                if aid in by_id:
                    finish(i, _checked(papers[i], LookupResult(FOUND, by_id[aid], via="arXiv id")))
                else:
                    finish(i, LookupResult(NOT_FOUND, via="arXiv id",
                                           note=f"arXiv has no paper {aid}"))

    # -- DOI ---------------------------------------------------------------------------
    def _by_doi(self, paper: Subject) -> LookupResult:
        doi = paper.doi.strip()
        key = f"doi:{doi_key(doi)}"
        hit = self.cache.get(key)
        if hit is MISS:
            return LookupResult(NOT_FOUND, via="DOI", cached=True, note=f"Crossref has no DOI {doi}")
        if hit is not None:
            found, cached = Found.from_json(hit), True
        else:
            s = self.settings
            resp = self._get(self.crossref, crossref.work_url(s.crossref_api, doi, s.contact_email),
                             "application/json")
            found = None if resp.status == 404 else crossref.parse_work(resp.body)
            self.cache.put(key, found.to_json() if found else None)
            cached = False
            if found is None:
                return LookupResult(NOT_FOUND, via="DOI", note=f"Crossref has no DOI {doi}")
        return _checked(paper, LookupResult(FOUND, found, via="DOI", cached=cached))

    # -- title -------------------------------------------------------------------------
    def _by_title(self, paper: Subject) -> LookupResult:
        s = self.settings
        tries: list[tuple[str, Fetcher, Callable[[], str], Callable[[bytes], list[Found]]]] = [
            ("arXiv", self.arxiv, lambda: arxiv.title_query_url(s.arxiv_api, paper.title),
             arxiv.parse_feed),
            ("Crossref", self.crossref,
             lambda: crossref.search_url(s.crossref_api, paper.title, mailto=s.contact_email),
             crossref.parse_search),
        ]
        failures: list[LookupFailed] = []
        for name, fetcher, url, parse in tries:
            key = f"title-{name.lower()}:{title_key(paper.title)}"
            hit = self.cache.get(key)
            if hit is MISS:
                candidates: list[Found] = []
            elif hit is not None:
                candidates = [Found.from_json(x) for x in hit.get("items", [])]
            else:
                try:
                    resp = self._get(fetcher, url(), "*/*")
                    candidates = parse(resp.body) if resp.status != 404 else []
                except Cancelled:
                    raise
                except LookupFailed as exc:
                    failures.append(exc)
                    continue
                self.cache.put(key, {"items": [c.to_json() for c in candidates]}
                               if candidates else None)
            best = best_title_match(paper, candidates)
            if best is not None:
                return LookupResult(FOUND, best, via=f"title ({name})", cached=hit is not None)
        if failures and len(failures) == len(tries):
            raise failures[0]
        note = "; ".join(str(f) for f in failures)  # one service failed, the other had nothing
        return LookupResult(NO_MATCH, via="title", note=note)


def best_title_match(paper: Subject, candidates: list[Found]) -> Found | None:
    """The candidate with a near-identical title (and a shared author, when both name
    authors), or None: better no answer than the wrong paper."""
    scored = sorted(((title_similarity(paper.title, c.title), n, c)
                     for n, c in enumerate(candidates)), key=lambda t: (-t[0], t[1]))
    for score, _, cand in scored:
        if score < TITLE_MATCH:
            break
        if _authors_agree(paper.authors, cand.authors):
            return cand
    return None


def _authors_agree(ours: list[str], theirs: list[str]) -> bool:
    mine = {_family(a) for a in ours if _usable_author(a)}
    other = {_family(a) for a in theirs}
    return not mine or not other or bool(mine & other)


def _family(author: str) -> str:
    return ascii_fold(family_name(author)).casefold().replace(" ", "")


def _usable_author(author: str) -> bool:
    return bool(_family(author)) and author.strip().lower().rstrip(".") not in ("et al", "others")


def _checked(paper: Subject, result: LookupResult) -> LookupResult:
    """Refuse an answer by id whose title plainly belongs to another paper."""
    found = result.found
    if found and paper.title.strip() and found.title:
        # token_set: a short form of the title ("Observation of a new particle") still fits.
        score = fuzz.token_set_ratio(title_key(paper.title), title_key(found.title))
        if score <= ID_TITLE_FLOOR:
            return LookupResult(
                MISMATCH, None, via=result.via, cached=result.cached,
                note=f"{result.via} leads to “{found.title[:80]}”, not this paper; left alone",
            )
    return result


def _arxiv_of(paper: Subject) -> str:
    if paper.arxiv_id:
        return normalise_arxiv_id(paper.arxiv_id)[0]
    doi = paper.doi.strip().lower()
    if doi.startswith(ARXIV_DOI_PREFIX):
        return normalise_arxiv_id(doi[len(ARXIV_DOI_PREFIX):])[0]
    return ""


def _label(paper: Subject) -> str:
    return (paper.title or paper.arxiv_id or paper.doi or "(untitled)")[:80]
