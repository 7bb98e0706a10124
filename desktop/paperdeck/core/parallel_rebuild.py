"""A rebuild's segments written by spawned helper processes, one segment each.

The window rebuilds on a thread beside live Qt threads, and a forked copy of those may
deadlock, so the helpers are spawned (a fresh interpreter: ~0.5 s to import paperdeck).
This process reads the papers and hands them out in batches; each helper analyses its
share with a FastWriter and writes one segment; this process then commits the table
of contents that names them all. A helper that fails fails the rebuild (HelperFailed; the
caller then rebuilds in its own process): Whoosh's own multi-process writer drops the
segment of a helper it has not heard from within a second.

As with any spawned process, a script that rebuilds a large library must guard its main
code with `if __name__ == "__main__":` (paperdeck's own entry points do; the bundled app
calls multiprocessing.freeze_support()).
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Iterable

from whoosh import index as windex
from whoosh.writing import SegmentWriter

from .posting_pool import FastWriter

BATCH = 200  # papers a job (pickled once, through a pipe)
POLL_S = 1.0  # how often a wait checks that the helpers are still alive


class HelperFailed(RuntimeError):
    """A helper process stopped or failed before handing back its segment."""


def write_segments(ix, docs: Iterable[dict], procs: int, limitmb: int,
                   batch_done: Callable[[int], None] | None = None) -> None:
    """Add `docs` (field dicts) to the empty index `ix` in `procs` spawned helpers and
    commit their segments; `batch_done(n)` after each batch of n is handed out."""
    ctx = multiprocessing.get_context("spawn")
    try:
        jobs, results = ctx.Queue(procs * 2), ctx.Queue()
    except OSError as exc:  # no POSIX semaphores in some sandboxes
        raise HelperFailed(f"helper processes cannot be used here: {exc}") from exc
    # Batches no helper will read (the helpers died, or the app quits mid-build and they
    # are terminated) fill the pipe, and the queue's feeder thread waits to write them
    # forever; by default this process waits for that thread when it exits, and never
    # exits. A build that ends well has had every job read before its results came.
    jobs.cancel_join_thread()
    helpers = [ctx.Process(target=_helper, args=(ix.storage.folder, jobs, results, limitmb),
                           daemon=True, name=f"paperdeck-index-{k}") for k in range(procs)]
    writer = SegmentWriter(ix, compound=False)  # holds the write lock; commits the TOC
    try:
        for helper in helpers:
            try:
                helper.start()
            except OSError as exc:
                raise HelperFailed(f"a search index helper could not start: {exc}") from exc
        batch: list[dict] = []
        for fields in docs:
            batch.append(fields)
            if len(batch) == BATCH:
                _put(jobs, batch, helpers)
                if batch_done:
                    batch_done(len(batch))
                batch = []
        if batch:
            _put(jobs, batch, helpers)
            if batch_done:
                batch_done(len(batch))
        for _ in helpers:
            _put(jobs, None, helpers)
        segments = [seg for seg in (_result(results, helpers) for _ in helpers) if seg]
        for helper in helpers:
            helper.join()
        writer._close_segment()  # this writer's own segment stays empty: no TOC names it
        writer._commit_toc(segments)
        writer._finish()
    except BaseException:
        for helper in helpers:
            if helper.pid is None:  # never started (a start failed): nothing to end or join
                continue
            if helper.is_alive():
                helper.terminate()
            helper.join(5)
        writer.cancel()
        raise
    finally:
        jobs.close()
        results.close()


def _put(jobs, item, helpers) -> None:
    while True:
        try:
            jobs.put(item, timeout=POLL_S)
            return
        except queue.Full:
            _check_alive(helpers)


def _result(results, helpers):
    while True:
        try:
            kind, value = results.get(timeout=POLL_S)
        except queue.Empty:
            _check_alive(helpers)
            continue
        if kind == "error":
            raise HelperFailed(f"a search index helper failed: {value}")
        return value


def _check_alive(helpers) -> None:
    dead = [h for h in helpers if not h.is_alive() and h.exitcode != 0]
    if dead:
        raise HelperFailed(f"a search index helper stopped (exit code {dead[0].exitcode})")


def _helper(folder: str, jobs, results, limitmb: int) -> None:
    """In a helper process: add each batch to a segment of its own, hand it back."""
    try:
        ix = windex.open_dir(folder)
        writer = FastWriter(ix, _lk=False, limitmb=limitmb, compound=False)
        while (batch := jobs.get()) is not None:
            for fields in batch:
                writer.add_document(**fields)
        if writer.doc_count():
            results.put(("segment", writer._finalize_segment()))
        else:
            writer._close_segment()
            results.put(("segment", None))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails
        results.put(("error", f"{type(exc).__name__}: {exc}"))
