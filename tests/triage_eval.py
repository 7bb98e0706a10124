"""The offline evaluation of the for-you ranking and suggested tags (issue 16).

A library of labelled papers (`triage_corpus`) in which a reader has read and tagged
part of two categories (cs.RO, cs.CL) and archived some astro-ph papers unread; then
a 119-paper digest from every category arrives. Measured:

- precision@10 of the digest ranked by for-you score, against the digest's own order
  (recency: what the user sees today) as the baseline: a hit is a paper of a liked
  category;
- the same for the library's queue ("For you" view) against newest-first;
- suggested tags: for each digest paper of a liked category, whether its sub-topic
  tag is among the three suggested.

Used by tests/test_foryou_eval.py (thresholds) and tests/bench/run.py (numbers).
"""

from __future__ import annotations

from pathlib import Path

from paperdeck.core.library import Library
from triage_corpus import Labelled, make_papers

LIKED = ("cs.RO", "cs.CL")
DISLIKED = "astro-ph.GA"
DIGEST_SIZE = 119


def build_library(folder: Path, per_category: int = 50, seed: int = 5,
                  likes=lambda p: p.category in LIKED) -> tuple[Library, dict[int, Labelled]]:
    """A library of 6 x `per_category` papers with a reading history over the liked ones."""
    lib = Library.open(folder, backup=False)
    papers = make_papers(per_category, seed=seed)
    ids = lib.add([p.draft for p in papers], raw_text="evaluation corpus", fmt="test")
    labels = dict(zip(ids, papers, strict=True))
    liked = [i for i in ids if likes(labels[i])]
    read = liked[: len(liked) // 2]
    lib.set_status(read, "read")
    for pid in read[::2]:  # half of what was read also got its sub-topic tag
        lib.add_tags([pid], [labels[pid].topic])
    disliked = [i for i in ids if labels[i].category == DISLIKED]
    lib.set_status(disliked[: len(disliked) // 3], "archived")
    return lib, labels


def digest(seed: int = 99) -> list[Labelled]:
    """119 new papers from every category, in arrival order (shuffled categories)."""
    return make_papers(DIGEST_SIZE // 6 + 1, seed=seed)[:DIGEST_SIZE]


def precision_at(flags: list[bool], k: int = 10) -> float:
    return sum(flags[:k]) / k


FINE_TOPICS = ("manipulation", "summarization")


def _rank_digest(lib: Library, new: list[Labelled]) -> list[int]:
    scored = lib.score_drafts([p.draft for p in new])
    return sorted(range(len(new)), key=lambda j: (-(scored[j].score or 0.0), j))


def evaluate(folder: Path) -> dict[str, float]:
    """Both readers' numbers (see the module docstring)."""
    new = digest()
    lib, labels = build_library(folder)
    try:
        liked = [p.category in LIKED for p in new]
        order = _rank_digest(lib, new)
        queue = lib.ids(view="queue", sort="added")  # newest first
        for_you = lib.ids(view="queue", sort="for-you")
        hits = total = 0
        for p in new:
            if p.category in LIKED:
                total += 1
                hits += p.topic in lib.suggest_tags_for_draft(p.draft, limit=3)
        res = {
            "digest_p10_for_you": precision_at([liked[j] for j in order]),
            "digest_p10_recency": precision_at(liked),
            "queue_p10_for_you": precision_at([labels[i].category in LIKED for i in for_you]),
            "queue_p10_recency": precision_at([labels[i].category in LIKED for i in queue]),
            "tags_top3": round(hits / total, 3),
            "digest_liked_share": round(sum(liked) / len(liked), 3),
        }
    finally:
        lib.close()
    res.update(_fine(folder.with_name(folder.name + "-fine"), new))
    return res


def _fine(folder: Path, new: list[Labelled]) -> dict[str, float]:
    """A narrower reader: only robot manipulation and summarization, in the same library.
    Other robotics and language papers share much of their vocabulary; they are misses."""
    def likes(p: Labelled) -> bool:
        return p.topic in FINE_TOPICS

    lib, _ = build_library(folder, likes=likes)
    try:
        flags = [likes(p) for p in new]
        order = _rank_digest(lib, new)
        return {"fine_digest_p10_for_you": precision_at([flags[j] for j in order]),
                "fine_digest_p10_recency": precision_at(flags),
                "fine_digest_liked_share": round(sum(flags) / len(flags), 3)}
    finally:
        lib.close()
