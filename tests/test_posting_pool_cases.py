"""The index's own writer (core/posting_pool.py) beyond paperdeck's schema: every field
kind it accepts, codecs with other settings, postings flushed part by part, segments
merged in; the oracle is always the segment files Whoosh's own writer makes from the same
documents. And what it refuses, at once and whole (a field or codec it cannot write the
way Whoosh would, a document it cannot index)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer
from whoosh.codec.plaintext import PlainTextCodec
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.writing import SegmentWriter

from paperdeck.core import posting_pool
from paperdeck.core.posting_pool import BlockWriter, FastWriter
from paperdeck.core.search import make_schema

sys.path.insert(0, str(Path(__file__).parent))
from test_rebuild_writer import _docs, _hostile_docs, _segment_files  # noqa: E402


def _other_schema() -> Schema:
    """Field kinds paperdeck's schema lacks: stored-only, keywords, whole ids (not
    scorable), an analyzer TermCounter does not know, numbers of other shapes."""
    return Schema(
        key=ID(stored=True, unique=True),
        note=STORED(),
        tags=KEYWORD(lowercase=True, commas=True),
        body=TEXT(analyzer=StandardAnalyzer(), phrase=False, stored=True),
        flag=BOOLEAN(),
        score=NUMERIC(float),
        rank=NUMERIC(int, shift_step=0),
        delta=NUMERIC(int, signed=True, bits=32),
        year=NUMERIC(int),
        group=ID(),  # 34 papers a group: a block of 34 frequency-less postings pickles to
        # exactly whoosh3's COMPRESSION_MIN_SIZE (80 bytes), the first size it compresses
    )


def _other_docs(n: int) -> list[dict]:
    """Values that repeat (a remembered answer), values of other types for the same field
    (a year as text), missing and None fields."""
    out = []
    for k in range(n):
        doc = {"key": f"k{k}", "note": f"note {k}", "tags": ["alpha,beta", "gamma", "beta"][k % 3],
               "body": f"The body of document {k} about {'robots' if k % 2 else 'galaxies'}",
               "flag": k % 4 == 0, "score": k / 7.0 if k % 5 else None,
               "rank": k % 9, "delta": (k % 11) - 5,
               "year": str(2000 + k % 6) if k % 7 == 3 else 2000 + k % 6, "group": f"g{k // 34}"}
        if k % 10 == 9:
            del doc["body"]
        out.append(doc)
    return out


def _build(folder: Path, schema: Schema, docs: list[dict], make) -> dict[str, bytes]:
    folder.mkdir()
    ix = windex.create_in(str(folder), schema)
    writer = make(ix)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    ix.close()
    return _segment_files(folder)


def _same_as_whoosh(tmp_path: Path, schema: Schema, docs: list[dict], **kwargs) -> None:
    """FastWriter's segment files are those of Whoosh's own writer, byte for byte."""
    expected = _build(tmp_path / "whoosh", schema, docs,
                      lambda ix: SegmentWriter(ix, compound=False, **kwargs))
    got = _build(tmp_path / "ours", schema, docs,
                 lambda ix: FastWriter(ix, compound=False, **kwargs))
    assert sorted(got) == sorted(expected)
    assert [name for name in expected if got[name] != expected[name]] == []


def test_other_field_kinds_are_written_as_whooshs_writer_writes(tmp_path):
    _same_as_whoosh(tmp_path, _other_schema(), _other_docs(400))


class _NoLengthsCodec(W3Codec):
    """whoosh3 without field lengths (as a codec that keeps no length statistics)."""

    length_stats = False


@pytest.mark.parametrize("codec", [
    W3Codec(blocklimit=5, compression=0),  # many blocks a term, nothing compressed
    W3Codec(blocklimit=1000, compression=9),  # every term one block
    _NoLengthsCodec(blocklimit=7),  # no lengths in the blocks or term infos
], ids=["small-blocks", "one-block", "no-lengths"])
def test_codec_settings_are_followed_as_whooshs_writer_follows_them(tmp_path, codec):
    docs = [doc.fields() for doc in _docs(50, seed=11) + _hostile_docs(500)]
    _same_as_whoosh(tmp_path, make_schema(), docs, codec=codec)


def test_postings_and_table_written_part_by_part_are_the_same_files(tmp_path, monkeypatch):
    """With a flush after every kilobyte of postings (FLUSH_BYTES) and every 100 pieces of
    the term table (TABLE_ITEMS) both files are written in many parts; the bytes must not
    change."""
    monkeypatch.setattr(posting_pool, "FLUSH_BYTES", 1024)
    monkeypatch.setattr(posting_pool, "TABLE_ITEMS", 100)
    writes: dict[str, list[int]] = {"_flush": [], "_flush_table": []}

    def counting(name: str, pending: str):
        real = getattr(BlockWriter, name)

        def counted(self) -> None:
            writes[name].append(len(getattr(self, pending)))
            real(self)
        return counted

    monkeypatch.setattr(BlockWriter, "_flush", counting("_flush", "_out"))
    monkeypatch.setattr(BlockWriter, "_flush_table", counting("_flush_table", "_table_out"))
    docs = [doc.fields() for doc in _docs(40, seed=12)]
    _same_as_whoosh(tmp_path, make_schema(), docs)
    assert len([n for n in writes["_flush"] if n]) > 20
    assert len([n for n in writes["_flush_table"] if n]) > 20


def _open(folder: Path, schema: Schema | None = None):
    folder.mkdir()
    return windex.create_in(str(folder), schema or make_schema())


def _unlocked(ix) -> bool:
    """Another writer can take the index's write lock at once."""
    writer = ix.writer(timeout=0.0)
    writer.cancel()
    return True


@pytest.mark.parametrize("codec", [W3Codec(inlinelimit=2), PlainTextCodec()],
                         ids=["inlined-postings", "plain-text"])
def test_a_codec_it_cannot_write_is_refused_and_the_index_stays_unlocked(tmp_path, codec):
    """A codec that inlines postings in the term table, or any codec but whoosh3: refused
    before anything is written."""
    ix = _open(tmp_path / "ix")
    with pytest.raises(TypeError, match="whoosh3 segments"):
        FastWriter(ix, codec=codec)
    assert _unlocked(ix)


def test_a_writer_that_fails_half_built_gives_the_lock_back_at_once(tmp_path):
    """Whoosh takes the write lock first; a failure after it (here a file where the
    writer's temporary folder goes) kept the lock while the error lived, and any later
    writer, this process's or another's, waited and failed as "locked". The user's file
    is left alone, and once it is moved away the next writer works."""
    ix = _open(tmp_path / "ix")
    stray = tmp_path / "ix" / f"{ix.indexname}.tmp"
    stray.write_text("a file of the user's", encoding="utf-8")
    with pytest.raises(OSError, match="not a directory") as raised:
        FastWriter(ix)
    assert raised.value.__traceback__ is not None  # the error, and its frames, still live
    lock = ix.lock("WRITELOCK")  # not a writer: it would trip on the same file
    assert lock.acquire()
    lock.release()
    assert stray.read_text(encoding="utf-8") == "a file of the user's"
    stray.unlink()
    writer = FastWriter(ix, timeout=0.0)
    writer.add_document(**_docs(1)[0].fields())
    writer.commit()
    assert ix.doc_count() == 1


def test_a_writer_failing_at_any_stage_of_its_making_leaves_nothing_held(tmp_path):
    """Out of file descriptors at each step of a writer's making in turn (the lock, the
    table of contents, the temporary folder, the segment's files): whichever step fails,
    the lock is free and no temporary folder is left behind."""
    import resource

    ix = _open(tmp_path / "ix")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    failed, kept = 0, []
    for extra in range(1, 12):
        free = os.dup(0)
        os.close(free)
        resource.setrlimit(resource.RLIMIT_NOFILE, (free + extra, hard))
        try:
            writer = FastWriter(ix)
        except (OSError, windex.EmptyIndexError) as exc:  # an unopenable TOC reads as none
            kept.append(exc)  # alive, as a window keeps an error to show: so are its frames
            failed += 1
        else:
            writer.cancel()
            break
        finally:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        lock = ix.lock("WRITELOCK")
        assert lock.acquire(), f"locked after a failure with {extra} descriptors"
        lock.release()
        assert not list((tmp_path / "ix").glob("*.tmp")), f"a temporary folder left with {extra}"
    assert failed >= 3 and len(kept) == failed  # it failed at several stages first


def test_a_finished_writer_takes_no_more_documents_and_no_unknown_field(tmp_path):
    """As Whoosh's writer: a document after commit, or with a field the schema lacks, is
    refused before anything is written."""
    from whoosh.fields import UnknownFieldError
    from whoosh.writing import IndexingError

    ix = _open(tmp_path / "ix")
    writer = FastWriter(ix)
    with pytest.raises(UnknownFieldError):
        writer.add_document(id=1, title="kept out", colour="blue")
    writer.add_document(id=2, title="kept")
    writer.commit()
    with pytest.raises(IndexingError):
        writer.add_document(id=3, title="too late")
    with ix.searcher() as searcher:
        assert [searcher.stored_fields(d).get("id") for d in range(searcher.doc_count_all())] in ([2], [None])
        assert searcher.doc_count_all() == 1


def test_a_writer_that_cannot_get_the_lock_leaves_the_holders_lock_alone(tmp_path):
    ix = _open(tmp_path / "ix")
    holder = FastWriter(ix)
    with pytest.raises(windex.LockError):
        FastWriter(ix, timeout=0.0)
    with pytest.raises(windex.LockError):  # still the holder's
        _unlocked(ix)
    holder.cancel()
    assert _unlocked(ix)


@pytest.mark.parametrize("field", [
    TEXT(phrase=True),  # positions
    TEXT(phrase=False, field_boost=2.0),
    TEXT(phrase=False, vector=True),
    TEXT(analyzer=StemmingAnalyzer(), phrase=False, spelling=True),  # a spelling field
], ids=["positions", "boost", "vector", "spelling"])
def test_a_field_it_cannot_write_is_refused(tmp_path, field):
    ix = _open(tmp_path / "ix", Schema(key=ID(stored=True), body=field))
    with pytest.raises(TypeError, match="cannot write field 'body'"):
        FastWriter(ix)
    assert _unlocked(ix)


@pytest.mark.parametrize("extra", [{"_boost": 2.0}, {"_title_boost": 2.0},
                                   {"_stored_title": "another title"}])
def test_boosts_and_stored_overrides_are_refused(tmp_path, extra):
    writer = FastWriter(_open(tmp_path / "ix"))
    with pytest.raises(ValueError, match="no boosts"):
        writer.add_document(id=1, title="Robots", **extra)
    writer.cancel()


def test_a_rejected_document_leaves_no_trace(tmp_path):
    """A document refused half way (a title that is not text, a year that is no number,
    after the fields sorted before them were read) is not in the index at all: the
    writer goes on, and the index is what Whoosh writes from the documents it took."""
    good = [doc.fields() for doc in _docs(40, seed=13)]
    bad = [{**good[3], "id": 900, "title": 5},
           {**good[4], "id": 901, "year": "not a year"}]
    writer = FastWriter(_open(tmp_path / "ours"), compound=False)
    for doc in good[:20]:
        writer.add_document(**doc)
    with pytest.raises(ValueError, match="title: 5 is not text"):
        writer.add_document(**bad[0])
    with pytest.raises(ValueError):
        writer.add_document(**bad[1])
    for doc in good[20:]:
        writer.add_document(**doc)
    writer.commit()
    expected = _build(tmp_path / "whoosh", make_schema(), good,
                      lambda ix: SegmentWriter(ix, compound=False))
    assert _segment_files(tmp_path / "ours") == expected


def test_repeated_values_are_remembered_up_to_a_bound_and_unique_ones_never(tmp_path,
                                                                            monkeypatch):
    """A field Whoosh analyses (years) is analysed once a distinct value, for at most
    MAX_VALUES values; a unique field's values (paper ids) never repeat, so none is kept
    (arXiv ids and DOIs, also analysed by Whoosh, are not unique in the schema)."""
    monkeypatch.setattr(posting_pool, "MAX_VALUES", 3)
    docs = [{**doc.fields(), "year": 1990 + k % 5} for k, doc in enumerate(_docs(60, seed=14))]
    writer = FastWriter(_open(tmp_path / "ix"))
    for doc in docs:
        writer.add_document(**doc)
    assert "id" not in writer._values
    assert sorted(writer._values["year"]) == [(int, 1990), (int, 1991), (int, 1992)]
    writer.cancel()
    (tmp_path / "files").mkdir()
    _same_as_whoosh(tmp_path / "files", make_schema(), docs)


def test_a_merged_segment_with_boosted_weights_is_refused(tmp_path):
    """Postings merged in from a segment Whoosh wrote with a boost weigh more than their
    frequency; FastWriter keeps frequencies only, so it refuses rather than drop them."""
    ix = _open(tmp_path / "ix")
    writer = ix.writer()
    writer.add_document(id=1, title="Robots grasp cups", _title_boost=2.0)
    writer.commit()
    ours = FastWriter(ix)
    with ix.reader() as reader, pytest.raises(ValueError, match="weighs 2.0, not 1"):
        ours.add_reader(reader)
    ours.cancel()


def test_terms_out_of_order_are_refused_before_the_table_is_written(tmp_path):
    """BlockWriter trusts the pool's order; a term that repeats or goes back would make a
    table no reader can search, so it stops instead."""
    for groups in ([("title", b"robot", [0], [1]), ("title", b"robot", [1], [1])],
                   [("title", b"robot", [0], [1]), ("title", b"grasp", [1], [1])]):
        writer = FastWriter(_open(tmp_path / f"ix{len(os.listdir(tmp_path))}"))
        with pytest.raises(ValueError, match="terms out of order"):
            BlockWriter(writer.fieldwriter, writer.codec).write(writer.schema, None, iter(groups))
        writer.cancel()


def test_a_commit_leaves_no_segment_file_open(tmp_path):
    """The lengths read while writing are closed with the segment (an open file would
    keep a replaced index's space, and block the swap on some systems)."""
    folder = tmp_path / "ix"
    writer = FastWriter(_open(folder))
    for doc in _docs(30, seed=15):
        writer.add_document(**doc.fields())
    writer.commit()
    fds = Path("/proc/self/fd")
    held = [os.readlink(fds / fd) for fd in os.listdir(fds) if (fds / fd).is_symlink()]
    maps = Path("/proc/self/maps").read_text()
    assert [p for p in held if str(folder) in p] == [] and str(folder) not in maps


def test_a_segment_without_terms_is_written_as_whoosh_writes_it(tmp_path):
    """Documents with stored values only: no field is started in the postings at all."""
    _same_as_whoosh(tmp_path, Schema(key=ID(stored=True), note=STORED()),
                    [{"note": "only stored"}, {"note": "also only stored"}])


def test_each_fields_lengths_are_read_once(tmp_path, monkeypatch):
    """The lengths behind the blocks' length bytes are read a field at a time, not a term
    at a time (a term at a time is all of a field's lengths for each of its terms)."""
    from whoosh.codec.whoosh3 import W3PerDocReader

    reads: list[str] = []
    real = W3PerDocReader.doc_field_length_reader

    def counted(self, fieldname, default=0):
        reads.append(fieldname)
        return real(self, fieldname, default)

    monkeypatch.setattr(W3PerDocReader, "doc_field_length_reader", counted)
    writer = FastWriter(_open(tmp_path / "ix"))
    for doc in _docs(20, seed=16):
        writer.add_document(**doc.fields())
    writer.commit()
    assert sorted(reads) == sorted(set(reads)) and "title" in reads
