"""A fixed set of realistic searches, in classes, each written for Whoosh and for FTS5.

Words come from the same real digest the corpus is built from (plus the corpus's
pseudo-words), chosen with a fixed seed, so the set is the same on every run and
every library size. FTS5 has no fuzzy search: its peer of `word~` is the prefix of
the misspelling (`wor*`), which expands over the vocabulary the way fuzzy terms do.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from corpus import _TAGS, load_source, pseudo_word

_STOP_TEXT = (
    "the and for with from that this these those into their which while both such than "
    "have has been are was were our its also can more most other over under only each "
    "when where what how why who not all any new use used using via per"
)
STOP = frozenset(_STOP_TEXT.split())
CLASSES = ("single", "and", "phrase", "prefix", "field", "fuzzy", "mixed")
STATUS_TOKENS = {"queued": "stq", "reading": "str", "read": "std", "archived": "sta"}


@dataclass(frozen=True)
class Query:
    kind: str
    whoosh: str
    fts: str


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1:]  # a dropped letter
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]  # swapped letters


def build_queries(seed: int = 11) -> list[Query]:
    rng = random.Random(seed)
    src = load_source()
    sents = [[w.lower() for w in re.findall(r"[A-Za-z]+", s)] for s in src.sentences]
    vocab = sorted({w for s in sents for w in s if len(w) > 3 and w not in STOP})
    common = [w for w in ("learning", "model", "language", "robot", "skills", "reasoning",
                          "agents", "knowledge", "manipulation", "benchmark")]
    out: list[Query] = []

    def words_from_sentence(k: int) -> list[str]:
        while True:
            s = [w for w in rng.choice(sents) if len(w) > 3 and w not in STOP]
            if len(s) >= k:
                i = rng.randrange(len(s) - k + 1)
                return s[i:i + k]

    for i in range(40):
        w = common[i] if i < len(common) else (
            pseudo_word(rng.randrange(40)) if i % 5 == 0 else rng.choice(vocab))
        out.append(Query("single", w, w))
    for _ in range(40):
        a, b = words_from_sentence(2) if rng.random() < 0.7 else rng.sample(vocab, 2)
        out.append(Query("and", f"{a} {b}", f"{a} {b}"))
    for _ in range(30):
        while True:
            s = rng.choice(sents)
            k = rng.choice((2, 2, 3))
            if len(s) > k:
                break
        i = rng.randrange(len(s) - k + 1)
        phrase = " ".join(s[i:i + k])
        out.append(Query("phrase", f'"{phrase}"', f'"{phrase}"'))
    for _ in range(30):
        w = rng.choice(vocab)
        p = w[: rng.choice((3, 3, 4, 4, 5, 6))]
        out.append(Query("prefix", f"{p}*", f"{p}*"))
    for i in range(30):
        tag = rng.choice(_TAGS)
        status = rng.choice(list(STATUS_TOKENS))
        if i % 3 == 0:
            out.append(Query("field", f"tag:{tag}", f'tag:"{tag}"'))
        elif i % 3 == 1:
            out.append(Query("field", f"status:{status}", f"status:{STATUS_TOKENS[status]}"))
        else:
            out.append(Query("field", f"tag:{tag} status:{status}",
                             f'tag:"{tag}" AND status:{STATUS_TOKENS[status]}'))
    for _ in range(20):
        w = rng.choice([v for v in vocab if len(v) > 6])
        t = _typo(rng, w)
        out.append(Query("fuzzy", f"{t}~", f"{t[:4]}*"))
    for i in range(20):
        a, b = words_from_sentence(2)
        tag = rng.choice(_TAGS)
        status = rng.choice(list(STATUS_TOKENS))
        forms = [
            (f"{a} tag:{tag}", f'{a} AND tag:"{tag}"'),
            (f'"{a} {b}" status:{status}', f'"{a} {b}" AND status:{STATUS_TOKENS[status]}'),
            (f"{a} OR {b}", f"{a} OR {b}"),
            (f"{a[:4]}* {b}", f"{a[:4]}* {b}"),
            (f"{a} NOT {b}", f"{a} NOT {b}"),
        ]
        wq, fq = forms[i % len(forms)]
        out.append(Query("mixed", wq, fq))
    return out
