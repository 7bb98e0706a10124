"""A synthetic library of N realistic papers, recombined from the real sample digest.

Titles and abstracts are rebuilt from the 119 real title+abstract pairs in
`resources/sample-digest.txt`: abstracts are sentences drawn from many real
abstracts, titles mix the words of real titles, and pseudo-words (method names,
jargon) are sprinkled in at a Zipf rate so the vocabulary keeps growing with N
like a real library's does. A fraction of papers get tags, another status, notes.

The library is written through the core's own path (`Library.add` in large
batches, `Library.set_status`, `Library.apply` of one notes Edit), then indexed
with one parallel rebuild, and cached under `tests/bench/.cache/` (git-ignored).
"""

from __future__ import annotations

import random
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from paperdeck.core.citekeys import make_citekey
from paperdeck.core.digest import parse_digest
from paperdeck.core.edits import Edit
from paperdeck.core.library import Library
from paperdeck.core.models import Draft

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "resources" / "sample-digest.txt"
CACHE = Path(__file__).resolve().parent / ".cache"
CORPUS_VERSION = 1  # bump when the generator changes, so caches are rebuilt
BATCH = 10_000

_SYLLABLES_TEXT = (
    "ka ro mi ten vo qua lin dex sor pha tri neu gra mo zen bel cor vi "
    "ax on ul ist tra spe ko ner lum fi das gen pol rix"
)
_SYLLABLES = _SYLLABLES_TEXT.split()
_FIRST_TEXT = (
    "Jin Wei Ana Luca Maria Omar Yuki Priya Tomás Sofia Chen Ivan Fatima Noah Lea "
    "Hiro Amir Elena Kofi Sara Dmitri Mei Jonas Aisha Pablo Nora Ravi Ingrid Tariq Zoe"
)
_FIRST = _FIRST_TEXT.split()
_TAGS_TEXT = (
    "llm robotics rl vision nlp agents survey theory benchmark to-read-later cite-in-thesis "
    "reading-group skills planning cognition multimodal efficiency dataset code-available "
    "diffusion graph safety alignment retrieval speech medical math optimisation "
    "world-models tool-use evaluation interpretability"
)
_TAGS = _TAGS_TEXT.split()
STATUS_WEIGHTS = (("queued", 70), ("reading", 10), ("read", 15), ("archived", 5))


def pseudo_word(rank: int) -> str:
    """A pronounceable made-up word, one per rank (rank 0 is the most common)."""
    n, parts = rank + 31, []
    while n:
        n, r = divmod(n, len(_SYLLABLES))
        parts.append(_SYLLABLES[r])
    return "".join(parts)


def zipf_rank(rng: random.Random, alpha: float = 1.1) -> int:
    """An unbounded Zipf-like rank: new ranks keep appearing as more are drawn."""
    return int(rng.paretovariate(alpha)) - 1


@dataclass
class Source:
    titles: list[str]
    abstracts: list[str]
    sentences: list[str]
    title_words: list[str]


def load_source() -> Source:
    drafts = parse_digest(SAMPLE.read_text("utf-8")).drafts
    titles = [d.title for d in drafts]
    abstracts = [d.abstract for d in drafts if d.abstract]
    sentences = [s for a in abstracts for s in re.split(r"(?<=[.!?])\s+", a) if len(s) > 20]
    words = [w for t in titles for w in re.findall(r"[\w-]+", t) if len(w) > 2]
    return Source(titles, abstracts, sentences, words)


def _sprinkle(rng: random.Random, text: str, rate: float) -> str:
    words = text.split(" ")
    for i, w in enumerate(words):
        if w.isalpha() and rng.random() < rate:
            words[i] = pseudo_word(zipf_rank(rng))
    return " ".join(words)


def make_draft(rng: random.Random, src: Source, n: int) -> Draft:
    words = rng.choice(src.titles).split(" ")
    for _ in range(rng.randint(1, 3)):
        words[rng.randrange(len(words))] = rng.choice(src.title_words)
    if rng.random() < 0.5:
        words.insert(0, pseudo_word(zipf_rank(rng)).capitalize() + ":")
    title = " ".join(words)
    sentences = rng.sample(src.sentences, rng.randint(4, 9))
    abstract = _sprinkle(rng, " ".join(sentences), 0.03)
    authors = [
        f"{rng.choice(_FIRST)} {pseudo_word(zipf_rank(rng, 0.8)).capitalize()}"
        for _ in range(rng.randint(1, 6))
    ]
    year = rng.randint(2015, 2025)
    arxiv = f"{year % 100:02d}{rng.randint(1, 12):02d}.{n % 100000:05d}"
    doi = f"10.{rng.randint(1000, 9999)}/bench.{n}" if rng.random() < 0.3 else ""
    tags = rng.sample(_TAGS, rng.choice((1, 1, 2, 3))) if rng.random() < 0.4 else []
    return Draft(title=title, abstract=abstract, authors=authors, year=year, arxiv_id=arxiv,
                 doi=doi, tags=tags)


def _keyed(drafts: list[Draft], taken: set[str]) -> None:
    """Give drafts unique citation keys (the core's scheme, uniquified here in O(1) each)."""
    for d in drafts:
        base = make_citekey(d.authors, d.title, d.year, set())
        key, k = base, 0
        while key in taken:
            k += 1
            key = f"{base}{k}"
        taken.add(key)
        d.citekey = key


def library_path(papers: int, root: Path = CACHE) -> Path:
    return root / f"lib-{papers}-v{CORPUS_VERSION}"


def build(papers: int, folder: Path, seed: int = 7, log=print) -> Path:
    """Generate and index the library in `folder` (replacing what is there)."""
    shutil.rmtree(folder, ignore_errors=True)
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    rng = random.Random(seed)
    src = load_source()
    t0 = time.perf_counter()
    lib = Library.open(tmp, sync_index=False)
    taken: set[str] = set()
    try:
        ids: list[int] = []
        for start in range(0, papers, BATCH):
            drafts = [make_draft(rng, src, n) for n in range(start, min(papers, start + BATCH))]
            _keyed(drafts, taken)
            ids += lib.add(drafts, raw_text=f"bench batch {start}", fmt="bench")
            lib._undo.clear()  # noqa: SLF001 - keep memory flat while generating
            log(f"  inserted {len(ids)} papers ({time.perf_counter() - t0:.1f} s)")
        by_status: dict[str, list[int]] = {}
        for pid in ids:
            status = rng.choices(*zip(*STATUS_WEIGHTS, strict=True))[0]
            by_status.setdefault(status, []).append(pid)
        for status, group in by_status.items():
            if status != "queued":
                lib.set_status(group, status)
        notes = Edit(label="bench notes")
        for pid in rng.sample(ids, len(ids) // 20):
            notes.updates[pid] = ({"notes": ""}, {"notes": rng.choice(src.sentences)})
        lib.apply(notes, record=False)
        log(f"  statuses and notes ({time.perf_counter() - t0:.1f} s); indexing...")
        lib.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        lib.index.rebuild(procs=2)
        log(f"  indexed ({time.perf_counter() - t0:.1f} s)")
    finally:
        lib.close()
    (tmp / "bench-complete").write_text(str(papers), "utf-8")
    tmp.rename(folder)
    return folder


def cached(papers: int, root: Path = CACHE, log=print) -> Path:
    """The cached library of `papers` papers, generated on first use."""
    folder = library_path(papers, root)
    if not (folder / "bench-complete").exists():
        log(f"generating a {papers}-paper library in {folder} ...")
        root.mkdir(parents=True, exist_ok=True)
        build(papers, folder, log=log)
    return folder


def copy_of(folder: Path, dest: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(folder, dest)
    return dest
