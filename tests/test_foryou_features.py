"""The compact features file (16-bit paper numbers in blocks of 65,536, 16-bit weights)
gives the vectors, scores and similarities a dense numpy tf-idf computation gives, on
both sides of a block boundary, to float16's precision."""

from __future__ import annotations

import numpy as np
import pytest

from paperdeck.core import foryou_features
from paperdeck.core.foryou_features import BLOCK, Features

PAPERS = BLOCK + 3000  # two blocks
TERMS = 30
F16 = 2.0 ** -11  # float16's relative rounding


def _dense_tfidf(counts: np.ndarray) -> np.ndarray:
    """The oracle, written out: smoothed idf (0 for terms in fewer than 2 papers or more
    than half of them), (1 + log tf) x idf, rows scaled to length 1."""
    n = counts.shape[0]
    df = (counts > 0).sum(axis=0)
    idf = np.log((1 + n) / (1 + df)) + 1
    idf[(df < 2) | (df > n / 2)] = 0
    x = np.where(counts > 0, (1 + np.log(np.maximum(counts, 1))) * idf, 0.0)
    norm = np.sqrt((x * x).sum(axis=1))
    norm[norm == 0] = 1
    return x / norm[:, None]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    rng = np.random.default_rng(16)
    counts = rng.integers(1, 5, (PAPERS, TERMS)) * (rng.random((PAPERS, TERMS)) < 0.2)
    counts[:, 0] = 0
    counts[[3, 9], 0] = 2  # a term of two papers only: kept
    counts[:, 1] = 0
    counts[[BLOCK - 1], 1] = 1  # a term of one paper only: idf 0, dropped
    counts[:, 2] = 1  # a term of every paper: idf 0, dropped
    counts[BLOCK - 1, 3:] = 0
    counts[BLOCK - 1, [4, 5]] = [3, 1]  # the last paper of the first block
    counts[BLOCK, 3:] = 0
    counts[BLOCK, [4, 6]] = [1, 2]  # the first of the second block
    counts[BLOCK + 1] = 0  # a paper with no words
    names = [f"term{k}" for k in range(TERMS)]
    cols = [np.flatnonzero(r).astype(np.int32) for r in counts]
    vals = [r[np.flatnonzero(r)].astype(np.float32) for r in counts]
    ids = np.arange(PAPERS, dtype=np.int64) * 3 + 5
    out = tmp_path_factory.mktemp("features") / foryou_features.FILE
    foryou_features.write(out, ids, ids % 7, ids % 11, names, cols, vals)
    dense = _dense_tfidf(counts.astype(np.float64))
    kept = np.flatnonzero(np.abs(dense).sum(axis=0) > 0)
    return Features(out), dense[:, kept], [names[k] for k in kept], ids


def test_the_file_keeps_only_terms_that_weigh_something_and_the_text_keys(written):
    feats, dense, names, ids = written
    assert feats.names == names and "term1" not in names and "term2" not in names
    assert "term0" in names
    assert feats.n == PAPERS and feats.blocks == 2 and feats.width == len(names)
    assert feats.matches(ids, ids % 7, ids % 11)
    assert not feats.matches(ids, ids % 7 + (ids == ids[BLOCK]), ids % 11)  # one rev moved
    assert not feats.matches(ids[:-1], ids[:-1] % 7, ids[:-1] % 11)
    # 4 bytes an entry by term (uint16 paper, float16 weight), 6 by paper (uint32 term)
    assert feats.term_paper.dtype == np.uint16 and feats.term_val.dtype == np.float16
    assert len(feats.term_paper) == np.count_nonzero(dense)


@pytest.mark.parametrize("row", [0, 3, BLOCK - 1, BLOCK, BLOCK + 1, PAPERS - 1])
def test_each_papers_vector_is_the_dense_row(written, row):
    feats, dense, _names, _ids = written
    cols, vals = feats.entries(row)
    got = np.zeros(dense.shape[1])
    got[cols] = vals
    assert np.all(np.abs(got - dense[row]) <= F16 * dense[row])
    assert (len(cols) == 0) == (row == BLOCK + 1)


def test_scores_of_every_paper_are_the_dense_product(written):
    feats, dense, _names, _ids = written
    w = np.random.default_rng(1).normal(size=dense.shape[1])
    bound = F16 * (np.abs(dense) @ np.abs(w)) + 1e-12
    got = feats.dot(w)
    assert np.all(np.abs(got - dense @ w) <= bound)
    assert abs(got[BLOCK - 1] - dense[BLOCK - 1] @ w) <= bound[BLOCK - 1] and got[BLOCK + 1] == 0


def test_similarities_to_one_paper_are_the_dense_cosines(written):
    feats, dense, _names, _ids = written
    for row in (BLOCK - 1, BLOCK, 9):
        q_cols, q_vals = feats.entries(row)
        want = dense @ dense[row]
        got = feats.cosine(q_cols, q_vals)
        assert np.all(np.abs(got - want) <= 3 * F16 * np.abs(dense) @ np.abs(dense[row]) + 1e-12)
        assert abs(got[row] - 1.0) < 3 * F16  # itself
    assert np.count_nonzero(feats.cosine(*feats.entries(3))[[3, 9]]) == 2


def test_a_selection_of_rows_is_those_rows_in_that_order(written):
    feats, dense, _names, _ids = written
    pick = np.array([PAPERS - 1, BLOCK, 0, BLOCK + 1, BLOCK - 1])
    rows = feats.select(pick)
    got = np.zeros((len(pick), dense.shape[1]))
    got[rows.row, rows.col] = rows.val
    assert np.all(np.abs(got - dense[pick]) <= F16 * dense[pick])


def test_a_damaged_truncated_or_foreign_file_is_not_used(tmp_path, written):
    feats, *_ = written
    path = tmp_path / foryou_features.FILE
    assert Features.open(path) is None  # missing
    path.write_bytes(b"something else entirely")
    assert Features.open(path) is None
    whole = feats.path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    assert Features.open(path) is None
    path.write_bytes(whole.replace(b'"version": 1', b'"version": 9', 1))
    assert Features.open(path) is None
    path.write_bytes(whole)
    assert Features.open(path).names == feats.names


def test_a_file_not_used_says_why_in_the_log(tmp_path, written, caplog):
    """Each check names what is wrong: another file, one cut short, another version, arrays
    that do not fit together (a damaged header that still parses)."""
    import json
    import logging

    feats, *_ = written
    whole = feats.path.read_bytes()
    size = int.from_bytes(whole[len(foryou_features.MAGIC):len(foryou_features.MAGIC) + 8], "little")
    start = len(foryou_features.MAGIC) + 8
    head = json.loads(whole[start:start + size])
    head["papers"] += 1  # one paper more than its arrays hold
    text = json.dumps(head).encode()
    inconsistent = whole[:len(foryou_features.MAGIC)] + len(text).to_bytes(8, "little") + text + (
        whole[start + size:])
    cases = {"not a features file": b"something else entirely, long enough to read a size",
             "a truncated file": whole[: len(whole) // 2],
             "another version": whole.replace(b'"version": 1', b'"version": 9', 1),
             "inconsistent arrays": inconsistent}
    for reason, data in cases.items():
        path = tmp_path / f"{len(reason)}-{foryou_features.FILE}"
        path.write_bytes(data)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger=foryou_features.__name__):
            assert Features.open(path) is None, reason
        assert f"not used ({reason})" in caplog.text, (reason, caplog.text)


def _resident_kb(path) -> int:
    """How much of the file this process has mapped in memory (/proc/self/smaps)."""
    total, inside = 0, False
    with open("/proc/self/smaps", encoding="utf-8") as f:
        for line in f:
            if "-" in line.split(" ", 1)[0]:  # a mapping's header line
                inside = line.rstrip().endswith(str(path))
            elif inside and line.startswith("Rss:"):
                total += int(line.split()[1])
    return total


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/smaps"), reason="Linux /proc")
def test_passes_over_the_file_let_go_of_its_pages(written):
    """The window's memory: after scoring every paper, a similarity or the training rows,
    the file's pages are no longer this process's (they stay in the page cache)."""
    feats, dense, *_ = written
    feats.release()
    assert float(np.abs(feats.term_val.astype(np.float64)).sum()) > 0  # touch it all
    assert _resident_kb(feats.path) >= feats.term_val.nbytes // 1024  # the probe sees it
    feats.release()
    assert _resident_kb(feats.path) <= 64
    w = np.ones(dense.shape[1])
    for use in (lambda: feats.dot(w), lambda: feats.cosine(*feats.entries(BLOCK)),
                lambda: feats.select(np.arange(0, PAPERS, 7))):
        use()
        assert _resident_kb(feats.path) <= 64
