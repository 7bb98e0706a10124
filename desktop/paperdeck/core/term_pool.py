"""A rebuild's postings, filed without a Python step per posting, grouped by term at the end.

A rebuild adds documents in number order, so each term's postings arrive in order. Each
field keeps two flat arrays (term number, frequency) extended a document's field at a
time by C-level `map`/`extend`, and where each document's postings start; at the end numpy orders them by
term, stably (so each term's documents stay in order), and the terms come out in the
order of their UTF-8 bytes, as Whoosh's term table wants them. Past its memory limit the
pool writes what it holds, so ordered, to a run file (one pickle a field); the runs are
merged term by term at the end, earlier runs holding earlier documents.
"""

from __future__ import annotations

import contextlib
import heapq
import pickle
import uuid
from array import array
from collections import defaultdict
from collections.abc import Iterator, Mapping

import numpy as np

# Bytes a posting and a distinct term cost here, sorting included (for the memory limit).
POSTING_BYTES = 28
TERM_BYTES = 160
WINDOW = 1 << 16  # postings turned into Python lists at a time while writing

Group = tuple[str, bytes, list, list]  # field, term, document numbers, frequencies


def _utf8(term: str | bytes) -> bytes:
    return term.encode("utf-8") if isinstance(term, str) else term


class _FieldPostings:
    """One field's postings as added: term numbers, document numbers, frequencies."""

    def __init__(self) -> None:
        self.numbers: defaultdict = defaultdict()  # term -> its number, given on first sight
        self.numbers.default_factory = self.numbers.__len__
        self.terms, self.freqs = array("I"), array("I")
        # A run of postings a document: its number, and where its postings start
        self.docs, self.starts = array("I"), array("Q")

    def add(self, docnum: int, counts: Mapping[str | bytes, int]) -> int:
        before = len(self.numbers)
        self.docs.append(docnum)
        self.starts.append(len(self.terms))
        self.terms.extend(map(self.numbers.__getitem__, counts))
        self.freqs.extend(counts.values())
        return len(self.numbers) - before

    def add_posting(self, term: str | bytes, docnum: int, freq: int) -> int:
        return self.add(docnum, {term: freq})

    def ordered(self) -> tuple[list[bytes], np.ndarray, np.ndarray, np.ndarray]:
        """(terms in byte order, postings a term, documents, frequencies), the postings
        grouped by term in that order, each term's in document order."""
        words = list(self.numbers)  # by number
        order = sorted(range(len(words)), key=words.__getitem__)  # str order is UTF-8 order
        terms = np.frombuffer(self.terms, dtype=np.uint32)
        rank = np.empty(len(words), dtype=np.uint32)
        rank[order] = np.arange(len(words), dtype=np.uint32)
        perm = np.argsort(rank[terms], kind="stable")
        counts = np.bincount(terms, minlength=len(words))[order]
        runs = np.diff(np.append(np.frombuffer(self.starts, dtype=np.uint64), len(terms)))
        docs = np.repeat(np.frombuffer(self.docs, dtype=np.uint32), runs.astype(np.intp))[perm]
        freqs = np.frombuffer(self.freqs, dtype=np.uint32)[perm]
        return [_utf8(words[k]) for k in order], counts, docs, freqs


def _groups(fieldname: str, btexts: list[bytes], counts, docs, freqs) -> Iterator[Group]:
    """Each term's postings as lists, converting a window of the arrays at a time."""
    start = 0
    lo, hi = 0, 0
    win_docs: list = []
    win_freqs: list = []
    for btext, n in zip(btexts, counts.tolist(), strict=True):
        end = start + n
        if end > hi:
            lo, hi = start, max(end, start + WINDOW)
            win_docs, win_freqs = docs[lo:hi].tolist(), freqs[lo:hi].tolist()
        yield fieldname, btext, win_docs[start - lo:end - lo], win_freqs[start - lo:end - lo]
        start = end


class TermPool:
    """Postings filed by field as they come (see the module's docstring)."""

    def __init__(self, tempstore, limitmb: int = 128) -> None:
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.size = 0
        self.runs: list[str] = []
        self._fields: dict[str, _FieldPostings] = {}
        self._last_doc = -1

    def add(self, fieldname: str, docnum: int, counts: Mapping[str | bytes, int]) -> None:
        """File the terms of one document's field (term -> frequency)."""
        if docnum < self._last_doc:
            raise ValueError(f"document {docnum} added after {self._last_doc}")
        self._last_doc = docnum
        field = self._fields.get(fieldname)
        if field is None:
            field = self._fields[fieldname] = _FieldPostings()
        new = field.add(docnum, counts)
        self.size += new * TERM_BYTES + len(counts) * POSTING_BYTES
        if self.size > self.limit:
            self.save()

    def add_posting(self, fieldname: str, term: str | bytes, docnum: int, freq: int) -> None:
        """File one posting (a merged segment's): each term's must come in document order."""
        field = self._fields.get(fieldname)
        if field is None:
            field = self._fields[fieldname] = _FieldPostings()
        self.size += field.add_posting(term, docnum, freq) * TERM_BYTES + POSTING_BYTES
        if self.size > self.limit:
            self.save()

    def save(self) -> None:
        """Write the postings held so far to a run file, ordered, and forget them."""
        if not self._fields:
            return
        name = f"{uuid.uuid4().hex}.run"  # helpers of one rebuild share the temp folder
        with self.tempstore.create_file(name).raw_file() as f:
            dump = pickle.Pickler(f, pickle.HIGHEST_PROTOCOL).dump
            for fieldname in sorted(self._fields):
                btexts, counts, docs, freqs = self._fields[fieldname].ordered()
                dump((fieldname, btexts, counts, docs, freqs))
        self.runs.append(name)
        self._fields, self.size = {}, 0

    def _read_run(self, name: str) -> dict[str, tuple]:
        out = {}
        with self.tempstore.open_file(name).raw_file() as f:
            load = pickle.Unpickler(f).load
            while True:
                try:
                    fieldname, *ordered = load()
                except EOFError:
                    break
                out[fieldname] = tuple(ordered)
        self.tempstore.delete_file(name)
        return out

    def groups(self) -> Iterator[Group]:
        """Every term's postings, by field and term (the order Whoosh's term table takes)."""
        if not self.runs:
            for fieldname in sorted(self._fields):
                yield from _groups(fieldname, *self._fields[fieldname].ordered())
            return
        self.save()
        runs = [self._read_run(name) for name in self.runs]
        for fieldname in sorted({f for run in runs for f in run}):
            streams = [_groups(fieldname, *run[fieldname]) for run in runs if fieldname in run]
            yield from _joined(heapq.merge(*streams, key=lambda g: g[1]))

    def cleanup(self) -> None:
        for name in self.runs:
            with contextlib.suppress(OSError):
                self.tempstore.delete_file(name)
        self.runs = []


def _joined(groups: Iterator[Group]) -> Iterator[Group]:
    """Groups of equal terms (from runs, earlier first: heapq.merge is stable) as one."""
    pending: Group | None = None
    for group in groups:
        if pending is not None and pending[1] == group[1]:
            pending[2].extend(group[2])
            pending[3].extend(group[3])
            continue
        if pending is not None:
            yield pending
        pending = group  # its lists are slices of its own: extending them is safe
    if pending is not None:
        yield pending
