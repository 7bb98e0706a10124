"""The index's Whoosh writer: terms counted once, postings filed by term, blocks written whole.

Whoosh's own writer analyses every token through its generator chain, keeps each posting
as a tuple, sorts them all (pickling them through run files past its memory limit), then
hands them one at a time to the codec, which checks, buffers and encodes each. A writer
adds documents in number order, so each term's postings arrive in order already (a small
segment merged in at commit comes after them, in order too):

- `FastWriter.add_document` counts a text field's terms with a `TermCounter` (each
  distinct word analysed once by Whoosh's own filters), other fields through Whoosh;
- `TermPool` (term_pool.py) files the postings in flat arrays as they come and groups
  them by term at the end;
- `BlockWriter` encodes a term's blocks and term-table entry in one go, as the whoosh3
  codec would (same bytes: tests/test_rebuild_writer.py compares the segment files with
  those of Whoosh's own writer), reading each field's document lengths once.
"""

from __future__ import annotations

import contextlib
import struct
import zlib
from collections.abc import Iterator
from itertools import chain
from operator import sub
from pickle import dumps

from whoosh.codec.whoosh3 import (
    COMPRESSION_MIN_SIZE,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3TermInfo,
)
from whoosh.fields import NUMERIC
from whoosh.filedb.filetables import _lengths
from whoosh.formats import Existence, Frequency
from whoosh.system import emptybytes, pack_byte, pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from .term_counts import counters
from .term_pool import Group, TermPool

FLUSH_BYTES = 1 << 20  # postings written to the file a megabyte at a time
TABLE_ITEMS = 30_000  # term-table pieces (three an entry) held before they are written
MAX_VALUES = 4096  # values of a field Whoosh analyses remembered (see _indexed)
_TERM_INFO = W3TermInfo._struct.pack  # flags, weight, documents, min/max length byte, max
# weight, first and last document (W3TermInfo.to_bytes), then the postings' place
_KV_LENGTHS = _lengths.pack  # a hash file entry: key and value lengths, then both


class BlockWriter:
    """Writes terms' postings and term-table entries into a whoosh3 segment, a term at a
    time, as W3FieldWriter, W3PostingsWriter and OrderedHashWriter would a posting at a
    time (the table's entries are buffered too: they are a third of the writing)."""

    def __init__(self, fieldwriter: W3FieldWriter, codec: W3Codec) -> None:
        self.fw = fieldwriter
        self.blocklimit = codec._blocklimit
        self.level = codec._compression
        self._out: list[bytes] = []
        self._pending = 0
        self._offset = fieldwriter._postfile.tell()
        table = fieldwriter._tindex
        self._table = table
        self._table_out: list[bytes] = []
        self._table_pos = table.dbfile.tell()

    def write(self, schema, lengths, groups: Iterator[Group]) -> None:
        fw = self.fw
        field = None
        table, hashfn = self._table, self._table.hashfn
        buckets, positions = table.buckets, table.index.append
        table_out = self._table_out
        key = table.lastkey
        for fieldname, btext, docs, freqs in groups:
            if fieldname != field:
                if field is not None:
                    fw.finish_field()
                field = fieldname
                fieldobj = schema[fieldname]
                fw.start_field(fieldname, fieldobj)
                prefix = pack_ushort(fw._fieldid)
                sized = fieldobj.format.fixed_value_size() != 0  # frequencies in the postings
                lens = _length_bytes(lengths, fieldname)
            value = self._term(docs, freqs, lens, sized)
            if prefix + btext <= key:
                raise ValueError(f"terms out of order: {key!r} .. {prefix + btext!r}")
            key = prefix + btext
            pos = self._table_pos
            positions(pos)
            table_out += (_KV_LENGTHS(len(key), len(value)), key, value)
            h = hashfn(key)
            buckets[h & 255].append((h, pos))
            self._table_pos = pos + 8 + len(key) + len(value)
            if len(table_out) > TABLE_ITEMS:
                self._flush_table()
        table.lastkey = key
        if field is not None:
            fw.finish_field()
        self._flush()
        self._flush_table()

    def _term(self, docs: list, freqs: list, lens: list | None, sized: bool) -> bytes:
        """Write one term's blocks; return its term-table value (W3TermInfo's bytes)."""
        out = self._out
        start = self._offset
        out.append(WHOOSH3_HEADER_MAGIC)
        size = len(WHOOSH3_HEADER_MAGIC)
        n, limit, level = len(docs), self.blocklimit, self.level
        if n == 1:  # most terms (word pairs above all): one block of one posting
            d, f = docs[0], freqs[0]
            lo_len = hi_len = lens[d] if lens is not None else 0
            data = dumps(((d,), None if f == 1 else float(f), pack_uint(f) if sized else None), 2)
            comp = level if len(data) >= COMPRESSION_MIN_SIZE else 0
            if comp:
                data = zlib.compress(data, comp)
            info = dumps((1, d, float(f), comp, lo_len, hi_len), 2)
            blocklength = len(info) + len(data)
            out += (pack_int(-blocklength), info, data)
            size += 4 + blocklength
        else:
            lo_len, hi_len = 0, 0  # length bytes: 0 is none
            for a in range(0, n, limit):
                ids, fs = docs[a:a + limit], freqs[a:a + limit]
                k = len(ids)
                hi = max(fs)
                if hi == 1:
                    weights = None
                elif min(fs) == hi:
                    weights = float(hi)
                else:
                    weights = tuple(map(float, fs))
                if not sized:
                    values = None
                elif k == 1:
                    values = pack_uint(fs[0])
                else:
                    values = struct.pack(f"!{k}I", *fs)
                deltas = (ids[0],) if k == 1 else tuple(map(sub, ids, chain((0,), ids)))
                data = dumps((deltas, weights, values), 2)
                comp = level if len(data) >= COMPRESSION_MIN_SIZE else 0
                if comp:
                    data = zlib.compress(data, comp)
                found = [x for x in map(lens.__getitem__, ids) if x] if lens is not None else []
                blo, bhi = (min(found), max(found)) if found else (0, 0)
                if blo and (not lo_len or blo < lo_len):
                    lo_len = blo
                hi_len = max(hi_len, bhi)
                info = dumps((k, ids[-1], float(hi), comp, blo, bhi), 2)
                blocklength = len(info) + len(data)
                out += (pack_int(-blocklength if a + limit >= n else blocklength), info, data)
                size += 4 + blocklength
        self._offset += size
        self._pending += size
        if self._pending > FLUSH_BYTES:
            self._flush()
        return _TERM_INFO(False, float(sum(freqs)), n, lo_len, hi_len, float(max(freqs)),
                          docs[0], docs[-1]) + pack_long(start) + pack_int(size)

    def _flush(self) -> None:
        if self._out:
            self.fw._postfile.write(emptybytes.join(self._out))
            self._out.clear()
            self._pending = 0

    def _flush_table(self) -> None:
        if self._table_out:
            self._table.dbfile.write(emptybytes.join(self._table_out))
            self._table_out.clear()


def _length_bytes(lengths, fieldname: str) -> list | None:
    """Every document's length in `fieldname` as the byte the segment stores (0 where
    absent, and throughout a field that keeps none), read once through the reader that
    Whoosh's own writer asks a posting at a time."""
    if lengths is None:
        return None
    get = lengths.doc_field_length_reader(fieldname)
    return [length_to_byte(x) if x else 0 for x in map(get, range(lengths.doc_count_all()))]


class FastWriter(SegmentWriter):
    """Whoosh's SegmentWriter with TermCounter, TermPool and BlockWriter: a rebuild's and
    every update's (deletions, updates and the merge policy are Whoosh's own)."""

    def __init__(self, ix, limitmb: int = 128, **kwargs) -> None:
        try:
            super().__init__(ix, limitmb=limitmb, **kwargs)
            self._refuse_unknown()
            self.pool = TermPool(self._tempstorage, limitmb=limitmb)
            self._counters = counters(self.schema, [n for n, f in self.schema.items() if f.indexed])
        except BaseException:
            self._abandon()
            raise
        self._values: dict[str, dict] = {}  # field -> value -> (counts, length), see _indexed

    def _abandon(self) -> None:
        """Give back what a writer that failed half-built holds: Whoosh takes the index's
        write lock first, and a failure after it (say its temporary folder's name taken by
        a file) kept the lock for as long as the error lived, so every later write waited
        and failed as "locked"."""
        try:
            self.cancel()  # built far enough: Whoosh's own clean-up, lock included
        except Exception:  # noqa: BLE001 - half-built: release what exists by hand
            with contextlib.suppress(Exception):
                self._tempstorage.destroy()
            with contextlib.suppress(Exception):  # raises when the lock was never taken
                self.writelock.release()

    def _refuse_unknown(self) -> None:
        """A codec or field this writer would not write as Whoosh does: TypeError."""
        if not isinstance(self.codec, W3Codec) or self.codec._inlinelimit > 1:
            raise TypeError(f"FastWriter writes whoosh3 segments, not {self.codec!r}")
        for name, field in self.schema.items():
            fmt = getattr(field, "format", None)
            if field.indexed and (type(fmt) not in (Frequency, Existence)
                                  or fmt.field_boost != 1.0 or field.vector
                                  or field.separate_spelling()):
                raise TypeError(f"FastWriter cannot write field {name!r} ({field!r})")

    def add_document(self, **fields) -> None:
        """Every field is analysed before anything is written, so a document refused half
        way (a value that is not text, a year that is no number) leaves no trace; Whoosh's
        own writer keeps the postings, lengths and column values of the fields before it."""
        self._check_state()
        names = sorted(fields)
        if any(name.startswith("_") for name in names):
            raise ValueError("FastWriter takes no boosts or stored-value overrides")
        self._check_fields(self.schema, names)
        schema, docnum = self.schema, self.docnum
        parts = []
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            counts, length = None, 0
            if field.indexed:
                counter = self._counters.get(name)
                if counter is not None:
                    if not isinstance(value, str):
                        raise ValueError(f"{name}: {value!r} is not text")
                    counts, length = counter.counts(value)
                else:
                    counts, length = self._indexed(name, field, value)
                if not field.scorable:
                    length = 0
            column = field.to_column_value(value) if field.column_type else None
            parts.append((name, field, value, counts, length, column))
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        for name, field, value, counts, length, column in parts:
            if counts is not None:
                self.pool.add(name, docnum, counts)
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, column)
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _indexed(self, name: str, field, value) -> tuple[dict[bytes, int], int]:
        """Term -> frequency and length of a field Whoosh analyses (ids, years), the
        same value's answer remembered while a field's values repeat (a year's eight
        terms, not a paper id's sixteen)."""
        known = self._values.get(name)
        key = (type(value), value) if isinstance(value, (int, str)) else None
        if known is not None and key is not None:
            found = known.get(key)
            if found is not None:
                return found
        counts: dict[bytes, int] = {}
        length = 0
        if type(field) is NUMERIC and field.numtype is int and type(value) is int:
            # NUMERIC.index's terms, without its checks and conversions once a term (a
            # paper id is sixteen terms): the sortable number, shifted by each step
            number, pack = field.to_column_value(value), field._struct.pack
            for shift in range(0, field.bits, field.shift_step or field.bits):
                counts[pack_byte(shift) + pack(number >> shift)] = 1
                length += 1
        else:
            for btext, freq, _weight, _value in field.index(value):
                counts[btext] = freq
                length += freq
        if key is not None and not field.unique:
            known = self._values.setdefault(name, {})
            if len(known) < MAX_VALUES:
                known[key] = (counts, length)
        return counts, length

    def add_postings_to_pool(self, reader, startdoc, docmap) -> None:
        """A segment merged in at commit (Whoosh's merge policy): its postings one at a
        time, each term's in document order, after every document added here."""
        schema, pool, counted = self.schema, self.pool, self._counters
        decode = {name: schema[name].format.decode_frequency for name in schema.names()
                  if schema[name].indexed}
        for fieldname, btext, docnum, weight, value in self._process_posts(
                reader.iter_postings(), startdoc, docmap):
            freq = decode[fieldname](value)
            if weight != freq:
                raise ValueError(f"a posting of {fieldname!r} weighs {weight}, not {freq}")
            term = btext.decode("utf-8") if fieldname in counted else btext
            pool.add_posting(fieldname, term, docnum, freq)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            BlockWriter(self.fieldwriter, self.codec).write(
                self.schema, lengths, self.pool.groups())
            self.fieldwriter.close()
        finally:
            if lengths is not None:
                lengths.close()
