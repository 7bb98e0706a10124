"""The Whoosh full-text index: a cache of the SQLite library, rebuilt whenever in doubt.

The index remembers which library generation it reflects (a small JSON file next to
its segments). Catching up means re-reading the papers whose `rev` is newer than
that; anything odd (missing, corrupt, other library, other schema) means a rebuild.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as windex
from whoosh.analysis import CommaSeparatedTokenizer, IDTokenizer
from whoosh.fields import NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.qparser import GtLtPlugin, MultifieldParser
from whoosh.query import Query

from .dense_search import DenseSearch, paper_ids_of
from .errors import LibraryLocked, QueryError
from .parallel_rebuild import write_segments
from .phrases import Facets, PhraseTexts, WordPairs, rewrite_phrases, without_fields
from .posting_pool import FastWriter
from .query import StopWordsPlugin, TypedFuzzyTermPlugin, check
from .textnorm import Folded, names_analyzer, text_analyzer

log = logging.getLogger(__name__)

INDEX_SCHEMA_VERSION = 6  # 2: plain segment files with a size manifest; 3: word pairs, no
# positions, no tags or status; 4: paper ids in a column; 5: folded Unicode, names keep
# stop words, no empty arxiv/doi terms; 6: ł, ø, đ, ß... folded (textnorm.SPECIAL_LATIN)
# whoosh3 reads a compound segment's postings into memory when it opens it (~390 MB at
# 100,000 papers); plain files are read through mmap instead, at the same search speed.
COMPOUND = False
STATE_FILE = "paperdeck-index.json"
DEFAULT_FIELDS = ("title", "abstract", "authors", "tag", "notes", "arxiv", "doi")
PAIRED_FIELDS = frozenset({"title", "abstract", "authors", "notes"})
STEMMED_FIELDS = frozenset({"title", "abstract", "notes"})
FACET_FIELDS = frozenset({"tag", "status"})  # searchable, but answered by SQLite (Facets)
FIELD_BOOSTS = {"title": 3.0, "authors": 1.5, "tag": 1.5}
WRITER_TIMEOUT_S = 3.0
REBUILD_POOL_MB = 256  # a rebuild's postings held in memory before a run file is written
UPDATE_LOCK_SUFFIX = ".lock"  # <library>/index.lock, beside the folder a rebuild swaps
REBUILD_LOCK_SUFFIX = ".rebuild.lock"  # held by the one process building <library>/index.new
WRITE_LOCK = f"{windex._DEF_INDEX_NAME}_WRITELOCK"  # Whoosh's own, inside the index folder
Progress = Callable[[int, int], None]


def make_schema() -> Schema:
    """Text fields stem and store word pairs for phrases; identifier-like fields keep
    each value whole. No field stores positions (see phrases.WordPairs; indexes pickle it
    by this module's name, so it stays importable from here). Tags and status are
    not indexed: they change often and in bulk, and SQLite answers them (FACET_FIELDS).
    Every analyzer folds Unicode first (textnorm.fold), so queries are folded the same way."""
    text = text_analyzer() | WordPairs()
    names = names_analyzer() | WordPairs()
    whole = Folded(IDTokenizer())
    return Schema(
        # A column, not a stored field: a segment's ids are read in one go (100,000
        # papers: 10 ms instead of 0.55 s of per-document reads when a search opens).
        id=NUMERIC(int, bits=64, signed=False, unique=True, sortable=True),
        title=TEXT(analyzer=text, phrase=False),
        abstract=TEXT(analyzer=text, phrase=False),
        authors=TEXT(analyzer=names, phrase=False),
        notes=TEXT(analyzer=text, phrase=False),
        year=NUMERIC(int),
        arxiv=TEXT(analyzer=whole, phrase=False),
        doi=TEXT(analyzer=whole, phrase=False),
    )


def make_query_schema() -> Schema:
    """What a search may name: the index's fields plus the facets SQLite answers."""
    schema = make_schema()
    schema.add("tag", TEXT(analyzer=Folded(CommaSeparatedTokenizer()), phrase=False))
    schema.add("status", TEXT(analyzer=Folded(IDTokenizer()), phrase=False))
    return schema


def _lock_file(path: Path):
    """Whoosh's inter-process lock on `path`, its file made 0600 first: Whoosh creates a
    missing one with the default mode less the umask (0700 under the CLI's 077)."""
    from whoosh.util.filelock import FileLock

    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            if os.fstat(fd).st_mode & 0o177:
                os.fchmod(fd, 0o600)
        finally:
            os.close(fd)
    return FileLock(str(path))


class _NoLock:
    def release(self) -> None:
        pass


def _remove(path: Path) -> None:
    """Delete a leftover file or folder, whichever it is."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


@dataclass(frozen=True)
class IndexDoc:
    """What the index needs of one paper."""

    id: int
    title: str
    abstract: str
    authors: str
    notes: str
    year: int | None
    arxiv_id: str
    doi: str

    def fields(self) -> dict[str, object]:
        doc: dict[str, object] = {
            "id": self.id,
            "title": self.title,
            "abstract": self.abstract,
            "authors": self.authors,
            "notes": self.notes,
        }
        # An empty id is no term at all, so `doi:*` finds only papers that have one.
        for name, value in (("arxiv", self.arxiv_id), ("doi", self.doi)):
            if value and value.strip():
                doc[name] = value
        if self.year is not None:
            doc["year"] = self.year
        return doc


def _committed(folder: Path) -> tuple[int, dict[str, int]] | None:
    """The newest committed generation of the Whoosh index in `folder` (its TOC number) and
    the files that generation is made of (the TOC and its segments' files), name -> size;
    None when there is no readable TOC.

    Only what a TOC names is the index: files a killed writer left behind (a segment
    half-written, a TOC's temporary file) belong to no generation and are ignored (the next
    commit deletes them), so a kill never makes the index look damaged."""
    storage = FileStorage(str(folder), readonly=True)
    try:
        names = list(storage)
        gen = TOC._latest_generation(storage, windex._DEF_INDEX_NAME)
        if gen < 0:
            return None
        toc = TOC.read(storage, windex._DEF_INDEX_NAME, gen, schema=make_schema())
        segments = {seg.segment_id() for seg in toc.segments}
        out = {TOC._filename(windex._DEF_INDEX_NAME, gen): 0}
        out.update({n: 0 for n in names if n.split(".", 1)[0] in segments})
        for name in out:
            out[name] = os.stat(folder / name).st_size
    except Exception:  # noqa: BLE001 - an unreadable TOC or a vanished file: not an index
        return None
    return gen, out


def _toc_number(files: dict) -> int:
    """The TOC generation a state file of INDEX_SCHEMA_VERSION 4 (no "toc" key) recorded."""
    pattern = TOC._pattern(windex._DEF_INDEX_NAME)
    found = [int(m.group(1)) for m in map(pattern.match, files) if m]
    return found[0] if len(found) == 1 else -1


def _leaves(searcher) -> list:
    """The segment readers of a searcher, in document-number order."""
    reader = searcher.reader()
    return [reader] if reader.is_atomic() else [leaf for leaf, _offset in reader.leaf_readers()]


class SearchIndex:
    """One Whoosh index folder, with a long-lived searcher refreshed after writes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.schema = make_schema()
        self._ix: windex.Index | None = None
        self._searcher = None
        self._docids: list[int] | None = None  # docnum -> paper id (Whoosh's own ranking)
        # The state file as it was when the searcher opened: another process's write
        # replaces it (see _stale), and its generation is what the searcher reflects.
        self._seen: tuple | None = None
        self.searcher_generation = -1
        self._opened_folder: int | None = None
        self._dense = DenseSearch(PAIRED_FIELDS, STEMMED_FIELDS)
        self.fast_path_failures = 0  # searches the array ranker could not answer (see tests)
        self._lock = threading.RLock()
        self.facets: Facets | None = None  # tag: and status: terms, answered by SQLite
        self.texts: PhraseTexts | None = None  # stored text, to check long phrases against
        self._parser = MultifieldParser(list(DEFAULT_FIELDS), make_query_schema(),
                                        fieldboosts=FIELD_BOOSTS)
        self._parser.add_plugin(TypedFuzzyTermPlugin())
        self._parser.add_plugin(GtLtPlugin())
        self._parser.add_plugin(StopWordsPlugin())

    # -- state -------------------------------------------------------------------------
    def state(self) -> dict | None:
        try:
            data = json.loads((self.folder / STATE_FILE).read_text("utf-8"))
            return data if isinstance(data, dict) else None
        except (OSError, ValueError):
            return None

    def _write_state(self, library_id: str, generation: int, folder: Path | None = None) -> None:
        """Record the library generation the index's newest commit reflects, with the files
        of that commit. Not fsynced (Whoosh does not sync its segments either): a SIGKILL
        loses nothing the page cache holds, and after a power cut an index that does not
        match its state is rebuilt."""
        folder = folder or self.folder
        committed = _committed(folder)
        if committed is None:
            raise windex.IndexError(f"no committed search index in {folder}")
        toc, files = committed
        tmp = folder / (STATE_FILE + ".tmp")
        payload = {"schema": INDEX_SCHEMA_VERSION, "library_id": library_id,
                   "generation": generation, "toc": toc, "files": files}
        tmp.write_text(json.dumps(payload), "utf-8")
        os.replace(tmp, folder / STATE_FILE)

    def usable_for(self, library_id: str, generation: int) -> bool:
        """True when the index belongs to this library and can catch up by increments."""
        self._finish_interrupted_swap()
        st = self.state()
        return bool(
            st
            and st.get("schema") == INDEX_SCHEMA_VERSION
            and st.get("library_id") == library_id
            and isinstance(st.get("generation"), int)
            and st["generation"] <= generation
            and self._files_match(st)
            and self._open()
            and self._fields_match()
        )

    def _finish_interrupted_swap(self) -> None:
        """A rebuild killed between its two renames leaves no index folder but a finished
        `index.new` (its state file is written last, after Whoosh's commit): put it in place
        rather than build it all again. Never while a builder is at work (the build lock)."""
        fresh = self.folder.with_name(self.folder.name + ".new")
        if self.folder.exists() or not (fresh / STATE_FILE).is_file():
            return
        building = _lock_file(self.folder.with_name(self.folder.name + REBUILD_LOCK_SUFFIX))
        try:
            if not building.acquire(blocking=False):
                return
        except OSError:  # a read-only folder: nothing can be moved anyway
            return
        try:
            with self.update_lock(timeout=1.0):
                if not self.folder.exists() and (fresh / STATE_FILE).is_file():
                    os.replace(fresh, self.folder)
                    log.info("finished an interrupted swap of the search index")
        except (OSError, windex.LockError) as exc:
            log.warning("could not finish an interrupted index swap: %s", exc)
        finally:
            building.release()

    def _files_match(self, st: dict) -> bool:
        """The files of the index's newest commit are those the state file recorded, at the
        same sizes (a truncated or emptied file means a rebuild). A commit newer than the
        state is a writer stopped between Whoosh's commit and recording its generation: the
        index then holds at least the recorded generation (updates replace by paper id), so
        it is usable and catches up from there; the files both name must be unchanged."""
        recorded = st.get("files")
        committed = _committed(self.folder)
        if not isinstance(recorded, dict) or committed is None:
            return False
        toc, files = committed
        at = st.get("toc")
        at = at if isinstance(at, int) else _toc_number(recorded)
        if toc == at:
            return files == recorded
        return toc > at >= 0 and all(
            files[name] == size for name, size in recorded.items() if name in files)

    def _fields_match(self) -> bool:
        """An index written with another set of fields (an older paperdeck that forgot to
        change INDEX_SCHEMA_VERSION) cannot be caught up: it must be rebuilt."""
        ix = self._ix
        return ix is not None and sorted(ix.schema.names()) == sorted(self.schema.names())

    def generation(self) -> int:
        st = self.state() or {}
        gen = st.get("generation")
        return gen if isinstance(gen, int) else -1

    def _open(self) -> bool:
        with self._lock:
            if self._ix is not None:
                return True
            searcher = None
            seen, generation = self._state_seen()
            try:
                ix = windex.open_dir(str(self.folder))
                searcher = ix.searcher()  # touch every segment: a damaged one fails here
                searcher.doc_count()
                for name in ("title", "abstract"):
                    next(iter(searcher.lexicon(name)), None)
            except Exception as exc:  # noqa: BLE001 - any failure means "rebuild"
                log.warning("search index at %s is unusable: %s", self.folder, exc)
                if searcher is not None:
                    with contextlib.suppress(Exception):
                        searcher.close()
                return False
            self._ix = ix
            self._opened_folder = self._folder_id()
            self._searcher = searcher  # kept: the first search needs no second open
            self._seen, self.searcher_generation = seen, generation
            self._docids = None
            return True

    def warm(self) -> None:
        """Open the searcher and read what the first search would wait for (each segment's
        paper ids, field lengths and words) now, off the GUI thread."""
        with self._lock:
            self._dense.warm(self._get_searcher(), DEFAULT_FIELDS)

    # -- writing -----------------------------------------------------------------------
    @contextlib.contextmanager
    def update_lock(self, timeout: float = WRITER_TIMEOUT_S) -> Iterator[None]:
        """Held, across processes, while an update reads the database and writes the index
        (and while a rebuild swaps folders), so no process can record its generation over
        another's newer documents. Raises whoosh's LockError after `timeout` seconds."""
        lock = _lock_file(self.folder.with_name(self.folder.name + UPDATE_LOCK_SUFFIX))
        deadline = time.monotonic() + timeout
        while not lock.acquire(blocking=False):
            if time.monotonic() >= deadline:
                raise windex.LockError("another paperdeck is updating the search index")
            time.sleep(0.05)
        try:
            yield
        finally:
            lock.release()

    def apply(
        self, docs: Iterable[IndexDoc], removed: Iterable[int], library_id: str, generation: int
    ) -> None:
        """Add/replace `docs`, delete `removed`, and record the generation they reflect."""
        docs, removed = list(docs), list(removed)
        with self._lock:
            if self._ix is None and not self._open():
                raise windex.IndexError("index is not open")
            if not docs and not removed:  # e.g. a queue move: no segment, searcher kept
                self._write_state(library_id, generation)
                return
            ix = self._ix
        # The slow part (analysing documents) runs without `_lock`, so searches go on
        # with the current searcher meanwhile; Whoosh's own lock keeps writers apart.
        _lock_file(self.folder / WRITE_LOCK)  # created 0600 before Whoosh takes it
        writer = FastWriter(ix, timeout=WRITER_TIMEOUT_S, compound=COMPOUND)
        try:
            for pid in removed:
                writer.delete_by_term("id", pid)
            for doc in docs:
                writer.update_document(**doc.fields())
        except BaseException:
            writer.cancel()  # leaves the columns it had begun (no TOC names them)
            self._drop_unused_files()
            raise
        try:
            writer.commit()
        except BaseException:
            with contextlib.suppress(Exception):
                writer.cancel()
            self._drop_unused_files()
            raise
        with self._lock:
            self._write_state(library_id, generation)
            self._refresh()

    def _drop_unused_files(self) -> None:
        """After a failed write (a full disk, a paper that cannot be analysed) delete the
        half-written segment, which no TOC names, so the space comes back; under the write
        lock, so no other process's segment in progress is touched."""
        held = self._take_write_lock()
        if held is None or self._ix is None:
            return
        try:
            ix = self._ix
            windex.clean_files(ix.storage, ix.indexname, ix.latest_generation(), ix._segments())
        except Exception as exc:  # noqa: BLE001 - a later commit cleans up as well
            log.warning("could not remove an unfinished index segment: %s", exc)
        finally:
            held.release()

    def rebuild(
        self,
        docs: Iterable[IndexDoc],
        total: int,
        library_id: str,
        generation: int,
        progress: Progress | None = None,
        procs: int = 1,
        wait: bool = False,
    ) -> None:
        """Build a fresh index beside the old one, then swap it in (the old one serves meanwhile).

        One process at a time builds (into `index.new`): another that would rebuild too gets
        LibraryLocked at once and searches from SQLite meanwhile, or, with `wait` (an explicit
        `reindex`), waits its turn. Two builders in one folder deleted each other's files."""
        building = _lock_file(self.folder.with_name(self.folder.name + REBUILD_LOCK_SUFFIX))
        if not building.acquire(blocking=False):
            if not wait:
                raise LibraryLocked("Another paperdeck is rebuilding the search index; "
                                    "searches answer from the library until it is done.")
            log.warning("another paperdeck is rebuilding the search index; waiting for it")
            building.acquire(blocking=True)
        try:
            self._rebuild(docs, total, library_id, generation, progress, procs)
        finally:
            building.release()

    def _rebuild(self, docs: Iterable[IndexDoc], total: int, library_id: str, generation: int,
                 progress: Progress | None, procs: int) -> None:
        fresh = self.folder.with_name(self.folder.name + ".new")
        shutil.rmtree(fresh, ignore_errors=True)  # a killed builder's: we hold the build lock
        fresh.mkdir(parents=True, mode=0o700)
        _lock_file(fresh / WRITE_LOCK)
        done = 0

        def handed_out(n: int) -> None:
            nonlocal done
            done += n
            if progress and done // 500 > (done - n) // 500:
                progress(done, total)

        writer = None
        try:
            ix = windex.create_in(str(fresh), self.schema)
            if procs > 1:  # segments written by spawned helpers (see parallel_rebuild)
                write_segments(ix, (doc.fields() for doc in docs), procs, REBUILD_POOL_MB,
                               handed_out)
            else:  # one segment, by FastWriter (posting_pool)
                writer = FastWriter(ix, limitmb=REBUILD_POOL_MB, compound=COMPOUND)
                for doc in docs:
                    writer.add_document(**doc.fields())
                    handed_out(1)
                writer.commit()
            self._write_state(library_id, generation, fresh)
        except BaseException:
            if writer is not None:
                with contextlib.suppress(Exception):
                    writer.cancel()
            _remove(fresh)  # a full disk must not keep half an index around
            raise
        if progress:
            progress(total, total)
        try:
            with self.update_lock(), self._lock:
                self.close()
                held = self._take_write_lock()
                if held is None:  # another process is writing this index: never swap it away
                    raise windex.LockError("a writer holds the index")
                try:
                    old = self.folder.with_name(self.folder.name + ".old")
                    _remove(old)
                    if self.folder.exists() or self.folder.is_symlink():
                        os.replace(self.folder, old)
                    os.replace(fresh, self.folder)
                    _remove(old)
                finally:
                    held.release()
                self._open()
        except windex.LockError:
            _remove(fresh)
            raise LibraryLocked("Another paperdeck is updating the search index; "
                                "it will be brought up to date later.") from None

    def _take_write_lock(self):
        """Whoosh's own write lock on the current folder (held by any live writer, in any
        process); None when someone holds it. A folder that is not an index has no writer."""
        if not self.folder.is_dir():
            return _NoLock()
        try:
            lock = _lock_file(self.folder / WRITE_LOCK)
            return lock if lock.acquire(blocking=False) else None
        except OSError:
            return _NoLock()

    # -- reading -----------------------------------------------------------------------
    def parse(self, text: str) -> Query:
        """Check and parse a user's query; raises QueryError with a readable message."""
        try:
            return self._parser.parse(check(text))
        except QueryError:
            raise
        except Exception as exc:  # noqa: BLE001 - the parser's own failures
            raise QueryError(f"Cannot read this search: {exc}") from exc

    def search(self, text: str, limit: int | None = None) -> list[int]:
        """Ids of the papers matching `text`, most relevant first."""
        return self._ranked(text, limit)[0]

    def scored(self, text: str, limit: int | None = None) -> list[tuple[int, float]]:
        """(id, score) of the papers matching `text`, most relevant first."""
        return list(zip(*self._ranked(text, limit), strict=True))

    def _ranked(self, text: str, limit: int | None) -> tuple[list[int], list[float]]:
        q = rewrite_phrases(self.parse(text), PAIRED_FIELDS)
        with self._lock:
            searcher = self._get_searcher()
            try:
                found = self._dense.search(searcher, q, self.facets, self.texts)
            except Exception as exc:  # noqa: BLE001 - a bug or odd data: rank the slow way
                self.fast_path_failures += 1
                log.warning("fast ranking failed (%s); ranking with Whoosh's matchers", exc)
                found = None
            if found is None:  # not plain segments: Whoosh's own (slower) ranking, no facets
                results = searcher.search(without_fields(q, FACET_FIELDS), limit=limit)
                ids = self._ids_by_docnum(searcher)
                found = ([ids[d] for _s, d in results.top_n], [s for s, _d in results.top_n])
        ids, scores = found
        return (ids[:limit], scores[:limit]) if limit is not None else (ids, scores)

    def _ids_by_docnum(self, searcher) -> list[int]:
        """Paper id of every document number of `searcher` (for Whoosh's own ranking)."""
        if self._docids is None:
            ids: list[int] = []
            for leaf in _leaves(searcher):
                ids += paper_ids_of(leaf)
            self._docids = ids
        return self._docids

    def doc_ids(self) -> set[int]:
        with self._lock:
            out: set[int] = set()
            for leaf in _leaves(self._get_searcher()):
                ids = paper_ids_of(leaf)
                out.update(ids[d] for d in leaf.all_doc_ids())
            return out

    def doc_count(self) -> int:
        with self._lock:
            return self._get_searcher().doc_count()

    def _get_searcher(self):
        if self._searcher is not None and self._stale():
            # Another process wrote the index: a fresh searcher sees its segment. A swapped
            # folder (its rebuild) shares no segment with ours, so reopen everything.
            if self._folder_id() != self._opened_folder:
                self.close()
            else:
                self._refresh()
        if self._searcher is None:
            if self._ix is None and not self._open():
                raise windex.IndexError("index is not open")
            if self._searcher is None:
                seen, generation = self._state_seen()
                self._searcher = self._ix.searcher()
                self._seen, self.searcher_generation = seen, generation
        return self._searcher

    def _state_seen(self) -> tuple[tuple | None, int]:
        """The state file's identity and generation, read before a searcher opens: every
        write of the index (in any process) replaces the file after committing, so the
        searcher then holds at least that generation."""
        return self._state_stat(), self.generation()

    def _state_stat(self) -> tuple | None:
        try:
            st = os.stat(self.folder / STATE_FILE)
        except OSError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

    def _folder_id(self) -> int | None:
        try:
            return os.stat(self.folder).st_ino
        except OSError:
            return None

    def _stale(self) -> bool:
        """True when the state file changed since the searcher opened: another process
        committed to the index, or swapped a rebuilt one in. One stat call a search."""
        return self._state_stat() != self._seen

    def _refresh(self) -> None:
        """Drop the searcher after a write; the next search opens a fresh one.

        Not `Searcher.refresh()`: it reuses segment readers whose deletion sets are
        stale, so an updated paper would be found twice (seen with whoosh3 3.54)."""
        self._docids = None
        self._seen, self.searcher_generation = None, -1
        if self._searcher is not None:
            with contextlib.suppress(Exception):
                self._searcher.close()
            self._searcher = None

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                with contextlib.suppress(Exception):
                    self._searcher.close()
            self._searcher = None
            self._docids = None
            self._seen, self.searcher_generation = None, -1
            self._dense = DenseSearch(PAIRED_FIELDS, STEMMED_FIELDS)
            if self._ix is not None:
                with contextlib.suppress(Exception):
                    self._ix.close()
            self._ix = None
