"""A rebuild's Whoosh writer: postings grouped by term as they come, lengths read once.

Whoosh's own pool (whoosh.writing.PostingPool) keeps every posting as a tuple, sorts
them all, and past its memory limit pickles each one to a run file and reads it back:
for a rebuild, half of the writer's time (3,000 papers: ~800,000 postings). A rebuild
adds documents in number order, so each term's postings arrive already in order: this
pool files them under their term, sorts only the distinct terms, and past its limit
writes a run with one pickled record a term instead of one a posting.

Writing the postings, Whoosh also looks up the document's field length for every posting
(~270 a paper) in the segment's length column; `RebuildWriter` reads each field's
lengths once, into a list, through the same reader (so the same rounded values).
"""

from __future__ import annotations

import contextlib
import heapq
import pickle
import uuid
from array import array
from collections.abc import Iterator
from operator import itemgetter

from whoosh.writing import SegmentWriter

# Rough bytes a term and a posting hold here (for the memory limit, as Whoosh estimates).
TERM_BYTES = 320
POSTING_BYTES = 24

Posting = tuple[str, bytes, int, float, bytes | None]


class GroupedPool:
    """Drop-in for PostingPool in a writer that only adds documents (never merges
    segments in): the docnums of one term must arrive in increasing order."""

    def __init__(self, tempstore, limitmb: int = 128) -> None:
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.size = 0
        self.fieldnames: set[str] = set()
        self.runs: list[str] = []
        self._terms: dict[tuple[str, bytes], tuple[array, list]] = {}
        self._values: dict[tuple, tuple] = {}  # (weight, value) pairs: a few hundred kinds

    def add(self, item: Posting) -> None:
        fieldname, text, docnum, weight, value = item
        key = (fieldname, text)
        entry = self._terms.get(key)
        if entry is None:
            entry = self._terms[key] = (array("q"), [])
            self.fieldnames.add(fieldname)
            self.size += TERM_BYTES + len(text)
        docs, values = entry
        if docs and docnum <= docs[-1]:
            raise ValueError(f"posting of document {docnum} after {docs[-1]} ({key!r})")
        docs.append(docnum)
        wv = (weight, value)
        values.append(self._values.setdefault(wv, wv))
        self.size += POSTING_BYTES
        if self.size > self.limit:
            self.save()

    def save(self) -> None:
        """Write the terms held so far to a run file, in term order, and forget them."""
        if not self._terms:
            return
        name = f"{uuid.uuid4().hex}.run"  # helpers of one rebuild share the temp folder
        with self.tempstore.create_file(name).raw_file() as f:
            dump = pickle.Pickler(f, pickle.HIGHEST_PROTOCOL).dump
            for key in sorted(self._terms):
                docs, values = self._terms[key]
                dump((key, docs.tobytes(), values))
        self.runs.append(name)
        self._terms, self._values, self.size = {}, {}, 0

    def _in_memory(self) -> Iterator[tuple]:
        for key in sorted(self._terms):
            docs, values = self._terms[key]
            yield key, docs, values

    def _read_run(self, name: str) -> Iterator[tuple]:
        with self.tempstore.open_file(name).raw_file() as f:
            load = pickle.Unpickler(f).load
            while True:
                try:
                    key, raw, values = load()
                except EOFError:
                    break
                docs = array("q")
                docs.frombytes(raw)
                yield key, docs, values
        self.tempstore.delete_file(name)

    def iter_postings(self) -> Iterator[Posting]:
        """Every posting, by field, term and docnum (what FieldWriter.add_postings takes).
        Runs hold earlier documents than later runs: equal terms come out in run order."""
        if self.runs:
            self.save()
            groups = heapq.merge(*map(self._read_run, self.runs), key=itemgetter(0))
        else:
            groups = self._in_memory()
        for (fieldname, text), docs, values in groups:
            for docnum, (weight, value) in zip(docs, values, strict=True):
                yield fieldname, text, docnum, weight, value

    def cleanup(self) -> None:
        for name in self.runs:
            with contextlib.suppress(OSError):
                self.tempstore.delete_file(name)
        self.runs = []


class _LengthsOnce:
    """A segment's per-document reader whose field lengths come from a list read once."""

    def __init__(self, reader) -> None:
        self._reader = reader

    def __getattr__(self, name: str):
        return getattr(self._reader, name)

    def doc_field_length_reader(self, fieldname: str, default: int = 0):
        get = self._reader.doc_field_length_reader(fieldname, default)
        return [get(docnum) for docnum in range(self._reader.doc_count_all())].__getitem__

    def close(self) -> None:
        self._reader.close()


class RebuildWriter(SegmentWriter):
    """A single-process writer for a fresh index: only adds documents (GroupedPool)."""

    def __init__(self, ix, limitmb: int = 128, **kwargs) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = GroupedPool(self._tempstorage, limitmb=limitmb)

    def per_document_reader(self):
        return _LengthsOnce(super().per_document_reader())
