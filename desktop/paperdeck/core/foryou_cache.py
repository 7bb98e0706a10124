"""The for-you model's word counts, kept on disk between runs (`foryou-cache.npz`).

Reading every paper's words is most of a build of the features file
(`foryou_features.py`; 10,000 papers: ~1.3 s of CPU; 100,000: ~12 s); each build, in
a fresh helper process, would pay it again after any title was edited. The counts are
saved with each paper's text key (its `rev` and text length) and reused only where the
key still matches; anything else is re-read.
A missing, damaged or foreign file is ignored (and rewritten): it is only a cache.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

FILE = "foryou-cache.npz"
VERSION = 2  # bump when the terms a paper yields change (textfeatures.py; 2: ł, ø, ß folded)
Entry = tuple[tuple[int, int], np.ndarray, np.ndarray]  # (rev, text length), columns, counts


def load(folder: Path) -> tuple[list[str], dict[int, Entry]] | None:
    """The saved vocabulary and per-paper counts, or None when there is nothing usable."""
    path = folder / FILE
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if int(data["version"]) != VERSION:
                return None
            names = str(data["names"]).split("\x00") if str(data["names"]) else []
            ids, revs, lengths = data["ids"], data["revs"], data["lengths"]
            sizes, cols, counts = data["sizes"], data["cols"], data["counts"]
        if not (len(ids) == len(revs) == len(lengths) == len(sizes)) \
                or int(sizes.sum()) != len(cols) or len(cols) != len(counts) \
                or (len(cols) and int(cols.max()) >= len(names)):
            raise ValueError("inconsistent arrays")
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        cached = {int(pid): ((int(rev), int(n)), cols[bounds[k]:bounds[k + 1]],
                             counts[bounds[k]:bounds[k + 1]])
                  for k, (pid, rev, n) in enumerate(zip(ids, revs, lengths, strict=True))}
        return names, cached
    except Exception as exc:  # noqa: BLE001 - a bad cache is rebuilt, never fatal
        log.warning("for-you cache %s not used (%s)", path, exc)
        return None


def save(folder: Path, names: list[str], cached: dict[int, Entry]) -> None:
    """Write the cache atomically (a temporary file, then a rename); failures only log."""
    ids = sorted(cached)
    tmp = folder / (FILE + ".part.npz")
    try:
        entries = [cached[i] for i in ids]
        np.savez(
            tmp, version=np.array(VERSION), names=np.array("\x00".join(names)),
            ids=np.array(ids, dtype=np.int64),
            revs=np.array([e[0][0] for e in entries], dtype=np.int64),
            lengths=np.array([e[0][1] for e in entries], dtype=np.int64),
            sizes=np.array([len(e[1]) for e in entries], dtype=np.int64),
            cols=np.concatenate([e[1] for e in entries]) if entries else np.zeros(0, np.int32),
            counts=np.concatenate([e[2] for e in entries]) if entries else np.zeros(0, np.float32),
        )
        os.replace(tmp, folder / FILE)
    except OSError as exc:
        log.warning("for-you cache not saved (%s)", exc)
        tmp.unlink(missing_ok=True)
