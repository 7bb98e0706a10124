"""core/foryou.py against plain computations: the scores are the optimum of the objective the
README states (a logistic regression fitted here by plain gradient descent to convergence, on
the same vectors), the reasons name the nearest kept papers by dense cosine, suggested tags
and related papers are the dense nearest neighbours, and the views read that order."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from paperdeck.core.foryou import COLD_NOTE, Recommender
from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from triage_corpus import make_papers

L2 = 0.02  # README: an L2-regularised logistic regression (the strength the module documents)
LONG_TITLE = ("Dexterous grasping of household objects with a compliant robot hand and tactile "
              "sensing at scale")


def _dense(rec: Recommender) -> np.ndarray:
    """Every paper's stored vector as a dense matrix row (row = the paper's place in ids)."""
    x = np.zeros((len(rec.signals.ids), len(rec.vocab.names)))
    for pid, row in rec.row_of.items():
        cols, vals = rec.vector(pid)
        x[row, cols] = vals
    return x


def _optimum(x: np.ndarray, y: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, float]:
    """argmin sum c_i log(1 + exp(-y_i (x_i.w + b))) + L2/2 |w|^2 by plain gradient descent
    with a step of one over a Lipschitz bound of the gradient, until the gradient vanishes."""
    lipschitz = 0.25 * float((c * (1.0 + (x * x).sum(axis=1))).sum()) + L2
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(50_000):
        r = -c * y / (1.0 + np.exp(y * (x @ w + b)))
        gw, gb = x.T @ r + L2 * w, float(r.sum())
        if np.linalg.norm(gw) + abs(gb) < 1e-10:
            return w, b
        w, b = w - gw / lipschitz, b - gb / lipschitz
    raise AssertionError("the oracle did not converge")


def _expected_scores(rec: Recommender, pos: set[int], explicit: set[int], background: set[int]
                     ) -> dict[int, float]:
    """The README's model: positives carry half the weight, the rest the other half, of which
    what was archived unread or trashed carries half (all when the other kind is missing)."""
    x = _dense(rec)
    ids = [int(i) for i in rec.signals.ids]
    rows, y, c = [], [], []
    for group, label, share in ((pos, 1.0, 1.0), (explicit, -1.0, 0.5 if background else 1.0),
                                (background, -1.0, 0.5 if explicit else 1.0)):
        for pid in sorted(group):
            rows.append(ids.index(pid))
            y.append(label)
            c.append(share / len(group))
    w, b = _optimum(x[rows], np.array(y), np.array(c))
    return dict(zip(ids, (1.0 / (1.0 + np.exp(-(x @ w + b)))).tolist(), strict=True))


def _open(folder) -> Library:
    return Library.open(folder, backup=False)


@pytest.fixture(scope="module")
def kept(tmp_path_factory):
    """26 papers (24 of six fields, two read ones on one robot hand) with every kind of
    signal; `lib.by` holds each field's ids, `lib.pos` etc. the signals the README defines."""
    papers = make_papers(4, seed=7)
    lib = _open(tmp_path_factory.mktemp("foryou") / "lib")
    ids = lib.add([p.draft for p in papers], raw_text="corpus", fmt="test")
    by = {}
    for pid, p in zip(ids, papers, strict=True):
        by.setdefault(p.category, []).append(pid)
    abstract = "A compliant robot hand grasps household cups with tactile sensing."
    long_id, twin = lib.add([Draft(title=LONG_TITLE, abstract=abstract),
                              Draft(title=LONG_TITLE[:70], abstract=abstract)], raw_text="x", fmt="test")
    robots, lang, vision = by["cs.RO"], by["cs.CL"], by["cs.CV"]
    astro, maths = by["astro-ph.GA"], by["math.AG"]
    lib.set_status([robots[0], long_id, twin, maths[0], robots[3]], "read")
    lib.set_status([robots[1]], "reading")
    lib.add_tags([lang[0]], ["zeta", "Alpha", "mid"])
    lib.set_priority([vision[0]], 2)
    lib.set_status(astro[:2], "archived")  # archived unread: negative
    lib.set_status([maths[0]], "archived")  # archived after reading: still read
    lib.trash([maths[1], robots[3]])  # a read paper in the trash counts as trashed
    lib.by, lib.long_id, lib.twin = by, long_id, twin
    lib.pos = {robots[0], robots[1], long_id, twin, lang[0], vision[0], maths[0]}
    lib.explicit = {astro[0], astro[1], maths[1], robots[3]}
    lib.background = set(ids) - lib.pos - lib.explicit
    yield lib
    lib.close()


def test_scores_are_the_optimum_of_the_documented_objective(kept):
    lib = kept
    everything = lib.ids(view="all") + lib.ids(view="trash")
    ranking = lib.for_you(everything)
    want = _expected_scores(lib.recommender, lib.pos, lib.explicit, lib.background)
    assert not ranking.cold and len(ranking.scores) == len(want) == 26
    got = np.array([ranking.scores[i] for i in sorted(want)])
    assert np.max(np.abs(got - np.array([want[i] for i in sorted(want)]))) < 1e-4
    # best first; scores closer than the fit's tolerance may come in either order
    assert all(want[a] > want[b] - 2e-4 for a, b in zip(ranking.ids, ranking.ids[1:], strict=False))


def test_one_sided_negatives_take_the_whole_negative_weight(lib):
    """Only unlabelled papers, then only explicit negatives, on the negative side."""
    papers = make_papers(2, seed=3)
    ids = lib.add([p.draft for p in papers], raw_text="corpus", fmt="test")
    lib.set_status(ids[:2], "read")
    rec = lib.recommender
    got = lib.for_you(ids).scores
    want = _expected_scores(rec, set(ids[:2]), set(), set(ids[2:]))
    assert max(abs(got[i] - want[i]) for i in ids) < 1e-4
    lib.set_status(ids[2:8], "archived")
    lib.trash(ids[8:])
    got = lib.for_you(ids).scores
    want = _expected_scores(rec, set(ids[:2]), set(ids[2:]), set())
    assert max(abs(got[i] - want[i]) for i in ids) < 1e-4


def _cosines(rec: Recommender, x: np.ndarray, pid: int) -> np.ndarray:
    q = x[rec.row_of[pid]]
    return x @ q / np.maximum(np.linalg.norm(x, axis=1) * np.linalg.norm(q), 1e-300)


def test_reasons_name_the_two_nearest_kept_papers_and_why_they_are_kept(kept):
    lib = kept
    rec = lib.recommender
    rec.refresh()
    x = _dense(rec)
    titles = {i: lib.get(i).title for i in lib.pos}
    why = {lib.by["cs.RO"][0]: "read", lib.by["cs.RO"][1]: "reading", lib.long_id: "read", lib.twin: "read",
           lib.by["cs.CL"][0]: "tagged Alpha, mid", lib.by["cs.CV"][0]: "priority 2",
           lib.by["math.AG"][0]: "read"}
    shown_kinds = set()
    for pid in lib.ids(view="all"):
        sims = _cosines(rec, x, pid)
        near = sorted((i for i in lib.pos if i != pid and sims[rec.row_of[i]] > 0.05),
                      key=lambda i: -sims[rec.row_of[i]])[:2]
        likes = [r for r in lib.for_you_reasons([pid])[pid] if r.startswith("like ")]
        title = {i: t if len(t) <= 60 else t[:59].rstrip() + "…" for i, t in titles.items()}
        assert likes == [f"like “{title[i]}” ({why[i]})" for i in near], pid
        shown_kinds |= {why[i] for i in near}
    assert shown_kinds == set(why.values())  # every kind of reason was seen
    long_reason = f"like “{LONG_TITLE[:59].rstrip()}…” (read)"
    assert any(long_reason in reasons for reasons in lib.for_you_reasons(lib.ids(view="all")).values())


def _term_of(shown: str) -> str:
    """The feature a reason's term names ("Lovelace (author)" -> "@lovelace")."""
    if shown.endswith(" (author)"):
        return "@" + shown[: -len(" (author)")].lower()
    if shown.endswith(" (category)"):
        return "cat:" + shown[: -len(" (category)")]
    return shown


def test_reasons_name_at_most_three_terms_that_pull_the_score_up(kept):
    lib = kept
    rec = lib.recommender
    rec.refresh()
    full = 0
    for pid in lib.ids(view="all"):
        terms = [r for r in lib.for_you_reasons([pid])[pid] if r.startswith("terms: ")]
        cols, vals = rec.vector(pid)
        gain = {rec.vocab.names[c]: v * rec.w[c] for c, v in zip(cols, vals, strict=True)}
        up = sorted((t for t, g in gain.items() if g > 0), key=lambda t: -gain[t])
        if not up:
            assert terms == []
            continue
        names = [_term_of(t) for t in terms[0][len("terms: "):].split(", ")]
        assert 1 <= len(names) <= 3 and all(gain[n] > 0 for n in names), (pid, names)
        # the strongest term is shown, or a pair it is part of, or a word of it
        assert any(up[0] == n or up[0] in n.split(" ") or n in up[0].split(" ") for n in names)
        if len([t for t in up if " " not in t]) >= 6:  # plenty of words: three are shown
            assert len(names) == 3
            full += 1
    assert full >= 5


def test_a_draft_scores_as_the_same_paper_in_the_library(kept):
    lib = kept
    ranking = lib.for_you(lib.ids(view="all"))
    pids = lib.by["cs.RO"][2:3] + lib.by["astro-ph.GA"][2:]
    drafts = [Draft(title=p.title, abstract=p.abstract, authors=p.authors, venue=p.venue,
                    primary_class=p.primary_class) for p in map(lib.get, pids)]
    scored = lib.score_drafts(drafts)
    assert all(abs(s.score - ranking.scores[i]) < 1e-4 for s, i in zip(scored, pids, strict=True))
    reasons = lib.for_you_reasons(pids)
    assert [s.reasons for s in scored] == [reasons[i] for i in pids]
    (nothing,) = lib.score_drafts([Draft(title="Zzyzx qwertyuiop")])  # no known word: the bias
    assert abs(nothing.score - 1 / (1 + np.exp(-lib.recommender.b))) < 1e-12
    assert nothing.reasons == []


def test_suggested_tags_are_the_dense_nearest_tagged_papers_votes(lib):
    papers = make_papers(4, seed=13)
    ids = lib.add([p.draft for p in papers], raw_text="corpus", fmt="test")
    tags = {}
    for n, (pid, p) in enumerate(zip(ids, papers, strict=True)):
        if n % 3:
            tags[pid] = [p.topic, p.category.split(".")[0]] + (["Odd"] if n % 2 else [])
            lib.add_tags([pid], tags[pid])
    trashed = [i for i in tags][:2]
    lib.trash(trashed)
    rec = lib.recommender
    rec.refresh()
    x = _dense(rec)
    checked = 0
    for pid in ids:
        if pid in trashed:
            continue
        sims = _cosines(rec, x, pid)
        near = sorted((i for i in tags if i != pid and i not in trashed),
                      key=lambda i: (-sims[rec.row_of[i]], i))
        votes: dict[str, float] = {}
        for i in near[:7]:
            if sims[rec.row_of[i]] >= 0.08:
                for t in tags[i]:
                    votes[t] = votes.get(t, 0.0) + sims[rec.row_of[i]]
        want = [t for t in sorted(votes, key=lambda t: (-votes[t], t.lower())) if t not in tags.get(pid, [])]
        for limit in (3, 5):
            got = lib.suggest_tags(pid, limit=limit)
            assert got == want[:limit] or _close_votes(votes, got, want[:limit]), (pid, got, want)
        checked += bool(want)
    assert checked >= 10
    draft = lib.get(ids[0])
    assert lib.suggest_tags_for_draft(Draft(title=draft.title, abstract=draft.abstract, authors=draft.authors,
                                            tags=["Odd"])) == [t for t in lib.suggest_tags(ids[0], limit=4)
                                                               if t != "Odd"][:3]


def _close_votes(votes: dict[str, float], got: list[str], want: list[str]) -> bool:
    """The same tags up to an order between votes equal to float16 storage."""
    return sorted(got) == sorted(want) or all(abs(votes[a] - votes[b]) < 2e-3
                                              for a, b in zip(got, want, strict=True))


def test_related_papers_are_the_dense_nearest_ones_outside_the_trash(kept):
    lib = kept
    rec = lib.recommender
    rec.refresh()
    x = _dense(rec)
    trashed = set(lib.ids(view="trash"))
    for pid in lib.ids(view="all")[:12]:
        sims = _cosines(rec, x, pid)
        for limit in (5, 2):
            got = lib.related(pid, limit)
            near = sorted((i for i in lib.ids(view="all") if i != pid and sims[rec.row_of[i]] > 1e-9),
                          key=lambda i: (-sims[rec.row_of[i]], i))[:limit]
            assert [i for i, _ in got] == near or all(
                abs(s - sims[rec.row_of[i]]) < 2e-3 for i, s in got), pid
            assert all(abs(s - sims[rec.row_of[i]]) < 2e-3 and i not in trashed for i, s in got)
    assert rec.related(10**9) == []


def test_a_cold_library_puts_unread_papers_first_newest_first(lib):
    papers = make_papers(1, seed=2)
    first = lib.add([p.draft for p in papers[:3]], raw_text="a", fmt="test")
    second = lib.add([p.draft for p in papers[3:]], raw_text="b", fmt="test")
    ids = first + second
    lib.set_status([first[0], second[0]], "archived")
    ranking = lib.for_you(ids, unread_first=True)
    added = {i: (lib.get(i).added_at or "", i) for i in ids}
    newest = sorted(ids, key=lambda i: added[i], reverse=True)
    unread = [i for i in newest if i not in (first[0], second[0])]
    assert ranking.cold and ranking.note == COLD_NOTE
    assert ranking.ids == unread + [second[0], first[0]]
    assert lib.for_you(ids).ids == newest
    assert lib.recommender.queue_order() is None


def test_the_queue_view_is_a_fresh_copy_of_the_kept_order(kept):
    lib = kept
    rec = lib.recommender
    queue = lib.ids(view="queue")
    order = rec.queue_order()
    want = lib.for_you(lib.ids(view="all")).ids
    assert order == [i for i in want if i in set(queue)] and sorted(order) == sorted(queue)
    order.clear()
    assert rec.queue_order() == [i for i in want if i in set(queue)]


def test_asking_again_with_nothing_changed_reads_only_the_generation(kept):
    lib = kept
    rec = lib.recommender
    ids = lib.ids(view="all")
    lib.for_you(ids)
    seen: list[str] = []
    db: sqlite3.Connection = lib.store.read()
    db.set_trace_callback(seen.append)
    try:
        lib.for_you(ids)
        rec.queue_order()
    finally:
        db.set_trace_callback(None)
    assert seen and all("meta" in q for q in seen), seen


def test_a_model_that_maps_a_current_file_says_it_built_nothing(kept):
    """`built_by` names who wrote the features last: nobody, when the file was current
    (the benchmark reports it)."""
    kept.recommender.refresh()  # the library's own model wrote the file (if no test did yet)
    again = Recommender(kept.store)
    assert not again.warm()
    again.refresh()
    assert again.warm() and again.built_by == "" and again.helper_failure == ""


def test_a_cancelled_model_builds_nothing_until_resumed(lib):
    from paperdeck.core import foryou_features
    from paperdeck.core.foryou import Cancelled

    papers = make_papers(1, seed=4)
    ids = lib.add([p.draft for p in papers], raw_text="a", fmt="test")
    lib.set_status(ids[:2], "read")
    rec = Recommender(lib.store)
    rec.cancel()
    with pytest.raises(Cancelled, match="the library is closing"):
        rec.rank(ids)
    assert not (lib.folder / foryou_features.FILE).exists() and not rec.warm()
    rec.resume()
    assert sorted(rec.rank(ids).ids) == sorted(ids) and rec.built_by == "this process"
