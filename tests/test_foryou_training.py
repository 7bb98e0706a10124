"""core/foryou.py's training, step by step: the module promises a deterministic model (a
fixed number of accelerated gradient steps, no sampling by chance) over capped training
rows (the newest positives and explicit negatives, unlabelled papers evenly spaced). The
oracle here is that procedure written again over a dense matrix: the step size from the
same power iteration, then STEPS Nesterov steps. The scores must agree to 1e-9, far
tighter than the optimum test of test_foryou_cases.py (1e-4), so a step more or less, a
wrong momentum or one training row more or less shows."""

from __future__ import annotations

import numpy as np
import pytest

from paperdeck.core import foryou
from paperdeck.core.foryou import Recommender
from paperdeck.core.models import Draft
from test_foryou_cases import _dense, _expected_scores
from triage_corpus import make_papers

L2, STEPS, POWER_ITERATIONS = 0.02, 100, 12  # as the module documents them


def _rows(ids: list[int], group: set[int]) -> list[int]:
    return [k for k, pid in enumerate(ids) if pid in group]


def _training_rows(rec: Recommender, pos: set[int], explicit: set[int], background: set[int],
                   cap: int = 2000) -> tuple[list[int], list[int], list[int]]:
    """The newest `cap` positives and explicit negatives (highest ids), and `cap` unlabelled
    papers evenly spaced over all of them (first and last included)."""
    ids = [int(i) for i in rec.signals.ids]
    p, e, g = _rows(ids, pos)[-cap:], _rows(ids, explicit)[-cap:], _rows(ids, background)
    if len(g) > cap:  # the k-th of `cap` places from the first to the last, rounded down
        g = [g[k * (len(g) - 1) // (cap - 1)] for k in range(cap)]
    return p, e, g


def _stepped_scores(rec: Recommender, pos: set[int], explicit: set[int], background: set[int],
                    cap: int = 2000, steps: int = STEPS) -> np.ndarray:
    """Every paper's score after the documented procedure, dense."""
    x = _dense(rec)
    p, e, g = _training_rows(rec, pos, explicit, background, cap)
    rows = p + e + g
    y = np.array([1.0] * len(p) + [-1.0] * (len(e) + len(g)))
    e_share, g_share = (0.5, 0.5) if e and g else (1.0, 1.0)
    c = np.array([1 / len(p)] * len(p) + [e_share / len(e)] * len(e) + [g_share / len(g)] * len(g))
    used = np.flatnonzero(np.any(x[rows] != 0, axis=0))
    xt = x[rows][:, used]
    v = np.ones(len(used)) / np.sqrt(len(used))
    for _ in range(POWER_ITERATIONS):
        u = xt.T @ (c * (xt @ v))
        top = float(np.linalg.norm(u))
        v = u / top
    # half of each block's bound: the pair's curvature is at most twice the blocks'
    step, step_b = 0.5 / (0.25 * top + L2), 0.5 / (0.25 * c.sum())
    w = w_prev = np.zeros(len(used))
    b = b_prev = 0.0
    for k in range(1, steps + 1):
        m = (k - 1) / (k + 2)
        vw, vb = w + m * (w - w_prev), b + m * (b - b_prev)
        r = -c * y / (1.0 + np.exp(y * (xt @ vw + vb)))
        w_prev, b_prev = w, b
        w, b = vw - step * (xt.T @ r + L2 * vw), vb - step_b * r.sum()
    return 1.0 / (1.0 + np.exp(-(x[:, used] @ w + b)))


def _scores(lib) -> np.ndarray:
    ranking = lib.for_you(lib.ids(view="all") + lib.ids(view="trash"))
    assert not ranking.cold
    return np.array([ranking.scores[int(i)] for i in lib.recommender.signals.ids])


def test_the_model_is_the_documented_number_of_accelerated_steps(lib):
    """Not just near the optimum: exactly where 100 steps from zero lead."""
    papers = make_papers(3, seed=11)
    ids = lib.add([p.draft for p in papers], raw_text="corpus", fmt="test")
    cats = [p.category for p in papers]
    robots = [i for i, c in zip(ids, cats, strict=True) if c == "cs.RO"]
    astro = [i for i, c in zip(ids, cats, strict=True) if c == "astro-ph.GA"]
    lib.set_status(robots[:2], "read")
    lib.set_priority([robots[2]], 1)
    lib.set_status(astro[:2], "archived")
    lib.trash([astro[2]])
    got = _scores(lib)
    pos, explicit = set(robots[:3]), set(astro[:3])
    want = _stepped_scores(lib.recommender, pos, explicit, set(ids) - pos - explicit)
    assert np.max(np.abs(got - want)) < 1e-9
    # the steps matter at that tolerance: one step more moves the scores well past it
    moved = _stepped_scores(lib.recommender, pos, explicit, set(ids) - pos - explicit,
                            steps=STEPS + 1)
    assert np.max(np.abs(moved - want)) > 1e-7


WORDS = [f"w{k:02d}" for k in range(40)]


def _tiny(n: int, seed: int) -> list[Draft]:
    """Papers of three words from forty: a dense matrix of thousands of them stays small."""
    rng = np.random.default_rng(seed)
    return [Draft(title=" ".join(rng.choice(WORDS, 3, replace=False)) + f" n{seed}x{k}")
            for k in range(n)]


@pytest.mark.slow
def test_training_takes_the_newest_2000_of_each_side_and_2000_unlabelled_evenly(lib):
    """2,003 read papers, 2,002 trashed and 2,005 unlabelled: one row more or less than the
    caps on any side changes the model beyond the oracle's tolerance."""
    read = lib.add(_tiny(2003, 1), raw_text="read", fmt="test")
    unlabelled = _tiny(2005, 2)
    taken = {k * 2004 // 1999 for k in range(2000)}  # the evenly spaced 2,000 of 2,005
    left_out = [k for k in range(2005) if k not in taken]
    assert len(left_out) == 5
    for k in left_out:  # a word only the papers left out of training have
        unlabelled[k].title += " zzunseen"
    other = lib.add(unlabelled, raw_text="other", fmt="test")
    gone = lib.add(_tiny(2002, 3), raw_text="gone", fmt="test")
    lib.set_status(read, "read")
    lib.trash(gone)
    got = _scores(lib)
    want = _stepped_scores(lib.recommender, set(read), set(gone), set(other))
    assert np.max(np.abs(got - want)) < 1e-9
    rec = lib.recommender
    unseen = rec.vocab.names.index("zzunseen")  # a word of five papers: kept in the vocabulary
    assert rec.w[unseen] == 0.0  # and no weight: those five were not trained on
    for cap in (1999, 2001):  # the tolerance tells one row from the next
        near = _stepped_scores(lib.recommender, set(read), set(gone), set(other), cap=cap)
        assert np.max(np.abs(near - want)) > 1e-8
    assert foryou.POSITIVE_CAP == foryou.NEGATIVE_CAP == foryou.BACKGROUND_CAP == 2000


def test_papers_of_a_few_common_words_still_get_the_optimum(lib):
    """Rows that share a direction with the bias made full steps for w and b overshoot
    together: every score swung by 0.3 from one step to the next and the model ended 0.16
    from the optimum. Checked against the plain gradient descent of test_foryou_cases."""
    read = lib.add(_tiny(60, 1), raw_text="read", fmt="test")
    other = lib.add(_tiny(60, 2), raw_text="other", fmt="test")
    gone = lib.add(_tiny(60, 3), raw_text="gone", fmt="test")
    lib.set_status(read, "read")
    lib.trash(gone)
    got = _scores(lib)
    want = _expected_scores(lib.recommender, set(read), set(gone), set(other))
    assert np.max(np.abs(got - np.array([want[int(i)] for i in lib.recommender.signals.ids]))) < 1e-4
