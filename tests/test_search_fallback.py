"""The SQLite fallback (index missing, rebuilding, busy, read-only) answers every query
with the same papers as the index: a differential test over a generated library and
generated queries of every kind. The fallback is forced the way a rebuild forces it
(`IndexKeeper.ready` false), and by a real missing or read-only index.

Documented exception, tested below: a quoted phrase of three or more words. The index
checks each neighbouring word pair, the fallback the whole run of words, so the index
may also return papers where the pairs occur apart; the fallback's hits are then a
subset, and each paper only the index returns lacks the phrase.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

import pytest

from paperdeck.core.errors import QueryError
from paperdeck.core.library import Library
from paperdeck.core.models import Draft

sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))
from corpus import _keyed, load_source, make_draft  # noqa: E402

GENERATED = 700
STOP = ["of", "the", "a", "and", "in", "for", "to", "with", "on"]
ADVERSARIAL = [
    Draft(title="Theory of Mind in the Wild", abstract="A theory of mind for robots, e.g. 3.5 "
          "versus 4.0 models; the mind of a robot.", authors=["Bo An", "Will May"], year=2016),
    Draft(title="Gödel, Escher and García", abstract="Über-naïve café models of the "
          "co-operation of agents.", authors=["José García", "Kurt Gödel"], year=2024,
          doi="10.1000/ABC.def"),
    Draft(title="Chain of Thought Prompting Elicits Reasoning",
          abstract="Chain-of-thought prompting; chains of thoughts; a chain, of thought.",
          authors=["Jason Wei"], year=2022, arxiv_id="2201.11903"),
    Draft(title="Language Model Agents without Modifying Language Models",
          abstract="Model agents that are language based.", authors=["A B"], year=None),
    Draft(title="", abstract="No title at all, only robot_arm and x_y tokens.", authors=[]),
    Draft(title="Transformers are RNNs", abstract="", authors=["Angelos Katharopoulos"],
          year=2020, arxiv_id="2006.16236"),
]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    from conftest import SAMPLE

    folder = tmp_path_factory.mktemp("fallback") / "lib"
    lib = Library.open(folder, backup=False)
    lib.import_text(SAMPLE.read_text("utf-8"), tags=["digest"])
    rng = random.Random(12)
    src = load_source()
    drafts = [make_draft(rng, src, n) for n in range(GENERATED)] + ADVERSARIAL
    _keyed(drafts, set())
    ids = lib.add(drafts, raw_text="generated", fmt="test", tags=["gen"])
    lib.set_status(ids[::5], "read")
    lib.set_status(ids[1::7], "reading")
    lib.add_tags(ids[::9], ["Robotics"])
    lib.update(ids[3], notes="Compare with the chain of thought paper; robots again.")
    lib.trash(ids[10:20])  # trashed papers are in neither answer
    yield lib
    lib.close()


def _texts(lib: Library) -> list[str]:
    """Every title and abstract (apart: a phrase does not run from one into the other)."""
    return [t for p in lib.papers(lib.ids(view="all")) for t in (p.title, p.abstract) if t]


def _words(texts: list[str]) -> list[str]:
    return sorted({w for t in texts for w in re.findall(r"[A-Za-z]{3,}", t)})


def words_run(rng: random.Random, texts: list[str], k: int) -> str:
    """`k` neighbouring words of one of `texts`, as someone would type them in quotes
    (tokens cut as the index's tokenizer cuts them, and made of letters only)."""
    while True:
        tokens = re.findall(r"[\w*]+(?:\.?[\w*]+)*", rng.choice(texts))
        starts = [i for i in range(len(tokens) - k + 1)
                  if all(t.isalpha() for t in tokens[i:i + k])]
        if starts:
            return " ".join(tokens[rng.choice(starts):][:k])


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:  # swap two neighbours
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:  # drop a letter
        return word[:i] + word[i + 1:]
    return word[:i] + rng.choice("aeiou") + word[i + 1:]


def generated_queries(lib: Library, n_each: int = 40, seed: int = 5) -> list[str]:
    """Queries of every class the search language has, from the library's own words."""
    rng = random.Random(seed)
    texts = _texts(lib)
    words = _words(texts)
    long_words = [w for w in words if len(w) >= 6]
    papers = lib.papers(lib.ids(view="all"))
    surnames = sorted({a.split()[-1] for p in papers for a in p.authors})

    def w() -> str:
        return rng.choice(words)

    def run(k: int) -> str:
        return words_run(rng, texts, k)

    out: list[str] = []
    for _ in range(n_each):
        out += [
            w(), f"{w()} {w()}", f"{w()} {rng.choice(STOP)} {w()}", f"{rng.choice(STOP)} {w()}",
            f"{w()} AND {w()}", f"{w()} OR {w()}", f"{w()} NOT {w()}", f"NOT {w()}",
            f"({w()} OR {w()}) AND NOT {w()}", f"{w()} -{w()}",
            rng.choice(long_words)[:rng.randint(3, 5)] + "*",
            _typo(rng, rng.choice(long_words)) + "~", _typo(rng, rng.choice(long_words)) + "~2",
            f'"{run(2)}"', f'"{run(2)}"~3',
            f"title:{w()}", f"abstract:{w()} OR notes:{w()}", f"authors:{rng.choice(surnames)}",
            f"year:{rng.randint(2014, 2026)}",
            f"year:[{rng.randint(2014, 2020)} TO {rng.randint(2020, 2026)}]",
            f"year:>{rng.randint(2014, 2025)} {w()}",
            f"tag:robotics {w()}", f"tag:gen OR {w()}", f"status:read {w()}",
            f"status:reading OR tag:digest NOT {w()}",
            f"title:{rng.choice(long_words)[:4]}* NOT {w()}",
        ]
    identified = [p for p in papers if p.arxiv_id or p.doi]
    for p in rng.sample(identified, 20):
        out.append(f"arxiv:{p.arxiv_id}" if p.arxiv_id else f"doi:{p.doi}")
    out += ["model NOT transformer", "NOT robot", '"chain of thought"', "theory of mind",
            "Gödel", "García", "e.g", "3.5", "robot_arm", "authors:gödel", "transformer~",
            "manipulaiton~", "chain*", "title:(language AND agents)", "*"]
    return out


def _both(lib: Library, query: str):
    """(index answer, fallback answer) as sets, or the QueryError each raised."""
    def answer():
        try:
            return set(lib.ids(query, view="all"))
        except QueryError as exc:
            return type(exc)
    lib.index.ready = True
    indexed = answer()
    lib.index.ready = False  # what a rebuild in progress does: search from SQLite
    try:
        return indexed, answer()
    finally:
        lib.index.ready = True


def test_fallback_answers_as_the_index(library):
    queries = generated_queries(library)
    assert len(queries) >= 1000
    differ = []
    nonempty = 0
    for q in queries:
        indexed, fallback = _both(library, q)
        nonempty += bool(indexed) and not isinstance(indexed, type)
        if indexed != fallback:
            differ.append((q, indexed, fallback))
    assert nonempty > len(queries) // 2  # the generated queries find things
    assert differ == [], f"{len(differ)} of {len(queries)}: " + "; ".join(
        f"{q!r} index-only {sorted(a - b)[:5] if isinstance(a, set) and isinstance(b, set) else a} "
        f"fallback-only {sorted(b - a)[:5] if isinstance(a, set) and isinstance(b, set) else b}"
        for q, a, b in differ[:8])


def test_longer_phrases_differ_only_by_the_index_false_hits(library):
    """The documented exception: 3- and 4-word phrases (see the module docstring)."""
    rng = random.Random(9)
    texts = _texts(library)
    checked = found = 0
    for _ in range(150):
        phrase = words_run(rng, texts, rng.choice((3, 4)))
        indexed, fallback = _both(library, f'"{phrase}"')
        assert fallback <= indexed, phrase
        found += bool(fallback)  # taken from a text: the fallback finds that text, unless
        checked += 1  # it is all stop words ("x to f"), which nothing finds
    assert checked == 150 and found >= 140


def test_fallback_order_is_the_queue_and_excludes_the_trash(library):
    library.index.ready = False
    try:
        hits = library.ids("robot", view="all")
        queue = [i for i in library.ids(view="all", sort="queue") if i in set(hits)]
        assert hits == queue
        assert not set(library.ids("robot OR NOT robot")) & set(library.ids(view="trash"))
    finally:
        library.index.ready = True


def test_a_missing_index_and_a_read_only_library_answer_from_sqlite(library, tmp_path):
    queries = ["model NOT transformer", "NOT robot", '"chain of thought"', "skill* OR planning",
               "tag:robotics robot", "year:[2018 TO 2020]"]
    expected = {q: set(library.ids(q)) for q in queries}
    copy = tmp_path / "copy"
    library.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copytree(library.folder, copy)
    shutil.rmtree(copy / "index")
    with Library.open(copy, sync_index=False, backup=False) as lib:  # as the window opens
        assert not lib.index.ready
        assert {q: set(lib.ids(q)) for q in queries} == expected
    with Library.open(copy, read_only=True, backup=False) as lib:  # no index can be built
        assert lib.store.read_only and not lib.index.ready
        assert {q: set(lib.ids(q)) for q in queries} == expected


def test_the_text_table_follows_edits_undo_and_purges(library):
    pid = library.ids(view="all")[-1]
    library.update(pid, abstract="Platypus echolocation in murky rivers.")
    library.index.ready = False
    try:
        assert library.ids("platypus") == [pid]
        assert library.ids('"murky river"') == [pid]
        library.undo()
        assert library.ids("platypus") == []
        library.trash([pid])
        library.empty_trash()
        count = library.store.read().execute(
            "SELECT count(*) FROM search_text WHERE rowid = ?", [pid]).fetchone()[0]
        assert count == 0
    finally:
        library.index.ready = True


def test_an_upgraded_library_fills_its_text_table_and_a_loaded_dump_too(tmp_path, sample_text):
    import io
    import sqlite3

    from paperdeck.core.storage import MIGRATIONS

    old = tmp_path / "old"
    with Library.open(old, backup=False) as lib:
        lib.import_text(sample_text)
        expected = set(lib.ids("model NOT transformer"))
        dump = io.StringIO()
        lib.dump(dump)
    conn = sqlite3.connect(old / "library.db")  # as a library of the version before it
    conn.execute("DROP TABLE search_words")
    conn.execute("DROP TABLE search_text")
    conn.execute("DELETE FROM meta WHERE key = 'search_text_generation'")
    conn.execute(f"PRAGMA user_version = {MIGRATIONS.index(_text_migration())}")
    conn.commit()
    conn.close()
    with Library.open(old, backup=False) as lib:
        lib.index.ready = False
        assert set(lib.ids("model NOT transformer")) == expected
    with Library.open(tmp_path / "loaded", backup=False) as lib:
        lib.load(io.StringIO(dump.getvalue()))
        lib.index.ready = False
        assert set(lib.ids("model NOT transformer")) == expected


def _text_migration():
    from paperdeck.core import storage

    return storage._search_text  # noqa: SLF001 - the migration under test


def test_a_large_unfilled_table_waits_for_the_window_or_a_fallback_search(
        tmp_path, sample_text, monkeypatch):
    from paperdeck.core import text_mirror

    monkeypatch.setattr(text_mirror, "SMALL_FILL", 10)  # 119 papers count as many here
    folder = tmp_path / "lib"
    with Library.open(folder, backup=False) as lib:
        lib.import_text(sample_text)
        expected = set(lib.ids("robot NOT manipulation"))
        lib.store.db.execute("DELETE FROM search_text")
        lib.store.db.execute("UPDATE meta SET value = '-1' WHERE key = 'search_text_generation'")
    with Library.open(folder, backup=False) as lib:  # a command: its index is usable
        assert lib.index.mirror.generation() == -1
        lib.index.ready = False  # now the fallback needs the table: it fills it first
        assert set(lib.ids("robot NOT manipulation")) == expected
        assert lib.index.mirror.generation() == lib.store.generation()
    with Library.open(folder, sync_index=False, backup=False) as lib:
        lib.store.db.execute("UPDATE meta SET value = '-1' WHERE key = 'search_text_generation'")
        lib.index.ensure()  # the window's background open fills it
        assert lib.index.mirror.generation() == lib.store.generation()
