"""The for-you model: signals, cold start, reasons, neighbours, determinism, and that the
trained weights are the optimum of the objective the module states (its gradient vanishes)."""

from __future__ import annotations

import numpy as np
import pytest

from paperdeck.core.errors import InputError
from paperdeck.core.foryou import COLD_NOTE, L2, Recommender
from paperdeck.core.textfeatures import sigmoid
from triage_corpus import make_papers


@pytest.fixture
def corpus_lib(lib):
    papers = make_papers(12, seed=21)
    ids = lib.add([p.draft for p in papers], raw_text="test corpus", fmt="test")
    lib.labels = dict(zip(ids, papers, strict=True))
    return lib


def _of(lib, category: str, topic: str | None = None) -> list[int]:
    return [i for i, p in lib.labels.items()
            if p.category == category and (topic is None or p.topic == topic)]


def test_with_no_signal_it_says_so_and_ranks_newest_first(corpus_lib):
    lib = corpus_lib
    ids = lib.ids(view="queue")
    ranking = lib.for_you(ids)
    assert ranking.cold and ranking.note == COLD_NOTE
    assert ranking.ids == lib.ids(view="queue", sort="added")
    assert set(ranking.scores.values()) == {None}
    assert lib.for_you_reasons(ids[:1]) == {ids[0]: [COLD_NOTE]}
    assert [s.score for s in lib.score_drafts([lib.labels[ids[0]].draft])] == [None]


def test_a_few_read_papers_rank_their_field_first_with_reasons(corpus_lib):
    lib = corpus_lib
    robots = _of(lib, "cs.RO")
    lib.set_status(robots[:4], "read")
    ranking = lib.for_you(lib.ids(view="queue"))
    assert not ranking.cold
    top = ranking.ids[: len(robots) - 4]
    assert sum(lib.labels[i].category == "cs.RO" for i in top) >= len(top) - 1
    best = ranking.ids[0]
    reasons = lib.for_you_reasons([best])[best]
    read_titles = {lib.get(i).title for i in robots[:4]}
    nearest = [r for r in reasons if r.startswith("like ")]
    assert nearest and nearest[0].endswith("(read)")
    assert any(t[:40] in nearest[0] for t in read_titles)
    terms = [r for r in reasons if r.startswith("terms: ")][0][len("terms: "):].split(", ")
    text = (lib.get(best).title + " " + lib.get(best).abstract).lower()
    assert all(t.split(" (")[0].split(" ")[0][:5] in text for t in terms)
    assert 0.0 < ranking.scores[best] < 1.0


def test_archived_unread_and_trashed_papers_push_their_kind_down(corpus_lib):
    lib = corpus_lib
    lib.set_status(_of(lib, "cs.RO")[:4], "read")
    astro, maths = _of(lib, "astro-ph.GA"), _of(lib, "math.AG")

    def mean(ids: list[int]) -> float:
        scores = lib.for_you(ids).scores
        return float(np.mean([scores[i] for i in ids]))

    before = mean(astro[4:]) - mean(maths)
    lib.set_status(astro[:2], "archived")
    lib.trash(astro[2:4])
    after = mean(astro[4:]) - mean(maths)
    assert after < before - 0.02


def test_a_new_tag_updates_the_model_and_tags_are_suggested_from_neighbours(corpus_lib):
    lib = corpus_lib
    lib.set_status(_of(lib, "cs.RO")[:3], "read")
    maths = _of(lib, "math.AG")
    before = lib.for_you(maths[3:]).scores
    for pid in maths[:3]:
        lib.add_tags([pid], [lib.labels[pid].topic, "algebra"])
    after = lib.for_you(maths[3:]).scores
    assert all(after[i] > before[i] for i in maths[3:])
    hits = sum(lib.labels[i].topic in lib.suggest_tags(i) for i in maths[3:])
    assert all("algebra" in lib.suggest_tags(i) for i in maths[3:])
    assert hits >= len(maths[3:]) // 2
    assert "algebra" not in lib.suggest_tags(maths[0])  # it has it already


def test_related_papers_are_the_nearest_of_the_same_field_never_itself_or_trashed(corpus_lib):
    lib = corpus_lib
    robots = _of(lib, "cs.RO")
    lib.trash(robots[1:3])
    related = lib.related(robots[0])
    assert len(related) == 5
    ids = [i for i, _ in related]
    assert robots[0] not in ids and not set(robots[1:3]) & set(ids)
    assert all(lib.labels[i].category == "cs.RO" for i in ids)
    sims = [s for _, s in related]
    assert sims == sorted(sims, reverse=True) and all(0 < s <= 1 for s in sims)
    assert len(lib.related(robots[0], limit=2)) == 2


def test_scores_are_deterministic_across_processes_worth_of_fresh_models(corpus_lib):
    lib = corpus_lib
    lib.set_status(_of(lib, "cs.CL")[:3], "read")
    lib.add_tags(_of(lib, "q-bio.NC")[:2], ["brains"])
    ids = lib.ids(view="queue")
    a, b = Recommender(lib.store).rank(ids), Recommender(lib.store).rank(ids)
    assert a.ids == b.ids and a.scores == b.scores


def test_the_trained_weights_are_the_optimum_of_the_stated_objective(corpus_lib):
    """Gradient of sum c_i log(1 + exp(-y_i (x_i w + b))) + L2/2 |w|^2, recomputed here
    densely from the training rows, is near zero at the trained (w, b)."""
    lib = corpus_lib
    lib.set_status(_of(lib, "cs.CL")[:4], "read")
    lib.set_status(_of(lib, "astro-ph.GA")[:2], "archived")
    rec = lib.recommender
    rec.refresh()
    s = rec.signals
    pos = np.flatnonzero(s.pos)
    neg = np.flatnonzero(~s.pos)  # explicit negatives and background (all, below the cap)
    explicit = s.neg[neg]
    weights = np.where(explicit, 0.5 / explicit.sum(), 0.5 / (~explicit).sum())
    x = np.zeros((len(rec.row_of), len(rec.vocab.names)))
    for pid, row in rec.row_of.items():
        cols, vals = rec.vector(pid)
        x[row, cols] = vals
    rows = np.concatenate([pos, neg])
    y = np.concatenate([np.ones(len(pos)), -np.ones(len(neg))])
    c = np.concatenate([np.ones(len(pos)) / len(pos), weights / weights.sum()])

    def grad(w: np.ndarray, b: float) -> tuple[np.ndarray, float]:
        r = -c * y * sigmoid(-y * (x[rows] @ w + b))
        return x[rows].T @ r + L2 * w, float(r.sum())

    g0, _ = grad(np.zeros_like(rec.w), 0.0)
    g, gb = grad(rec.w, rec.b)
    assert np.linalg.norm(g) < 0.05 * np.linalg.norm(g0)
    assert abs(gb) < 0.01


def test_sorts_by_first_author_surname_and_rejects_unknown_sorts(lib):
    from paperdeck.core.models import Draft

    names = [["Ada Lovelace"], ["Turing, Alan"], [], ["Grace Brewster Hopper", "Zed A"],
             ["alan kay"]]
    ids = lib.add([Draft(title=f"Paper {i}", authors=a) for i, a in enumerate(names)],
                  raw_text="x", fmt="test")
    order = lib.ids(view="all", sort="author")
    assert [lib.get(i).authors for i in order] == [
        ["Grace Brewster Hopper", "Zed A"], ["alan kay"], ["Ada Lovelace"], ["Turing, Alan"], []]
    assert set(order) == set(ids)
    with pytest.raises(InputError, match="Unknown sort 'shoe size'"):
        lib.ids(sort="shoe size")


def test_sparse_rows_agree_with_dense_numpy_including_empty_and_reordered_rows():
    from paperdeck.core.textfeatures import Postings, Rows

    rng = np.random.default_rng(3)
    dense = rng.random((9, 12)) * (rng.random((9, 12)) < 0.3)
    dense[[0, 4, 8]] = 0.0  # empty first, middle and last rows
    r, c = np.nonzero(dense)
    rows = Rows(9, r.astype(np.int64), c.astype(np.int64), dense[r, c])
    w, v = rng.random(12), rng.random(9)
    assert np.allclose(rows.dot(w), dense @ w)
    assert np.allclose(rows.t_dot(v, 12), dense.T @ v)
    pick = np.array([7, 0, 3, 8, 1])
    assert np.allclose(rows.select(pick).dot(w), dense[pick] @ w)
    q = np.zeros(12)
    q[[2, 5, 11]] = [0.5, 0.2, 0.7]
    assert np.allclose(Postings(rows, 12).cosine(np.array([2, 5, 11]), q[[2, 5, 11]]), dense @ q)


def test_papers_without_words_and_an_empty_library_never_break_it(lib):
    from paperdeck.core.models import Draft

    assert lib.for_you([]).ids == [] and lib.related  # an empty library: nothing to rank
    ids = lib.add([Draft(title=""), Draft(title="The of and"), Draft(title="Robots grasp cups",
                   abstract="Dexterous grasping of cups by robot hands.")], raw_text="x", fmt="t")
    lib.set_status([ids[2]], "read")
    ranking = lib.for_you(ids[:2])
    assert not ranking.cold and sorted(ranking.ids) == ids[:2]
    assert lib.for_you_reasons(ids[:1]) == {ids[0]: []}
    assert lib.related(ids[0]) == [] and lib.suggest_tags(ids[1]) == []
    (scored,) = lib.score_drafts([Draft(title="of the")])
    assert 0 < scored.score < 1 and scored.reasons == []
    (near,) = lib.score_drafts([Draft(title="Grasping cups with robot hands")])
    assert near.score > scored.score and near.reasons


def test_the_word_counts_cache_is_reused_checked_and_survives_damage(corpus_lib, monkeypatch):
    from paperdeck.core import foryou_cache, foryou_features

    lib = corpus_lib
    monkeypatch.setattr(foryou_features, "CACHE_AFTER", 1)
    lib.set_status(_of(lib, "cs.RO")[:3], "read")
    ids = lib.ids(view="queue")
    first = Recommender(lib.store).rank(ids)
    path, features = lib.folder / foryou_cache.FILE, lib.folder / foryou_features.FILE
    assert path.exists() and features.exists()
    names, cached = foryou_cache.load(lib.folder)
    assert set(cached) == set(lib.ids(view="all")) and len(names) > 100
    features.unlink()
    again = Recommender(lib.store)
    again.refresh()  # from the counts cache: nothing to re-read, same model
    assert again.rank(ids).ids == first.ids
    assert np.allclose([again.rank(ids).scores[i] for i in ids], [first.scores[i] for i in ids])
    robot = _of(lib, "cs.RO")[5]
    lib.update(robot, title="Galaxy dark matter halo lensing", abstract="Lensing by halos.")
    stale = Recommender(lib.store)  # the cache's entry for `robot` no longer matches: re-read
    stale.refresh()
    terms = {stale.vocab.names[c] for c in stale.vector(robot)[0]}
    assert {"galaxy", "halo", "lensing"} <= terms and "robot" not in terms
    path.unlink()
    features.unlink()
    fresh = Recommender(lib.store)
    want = fresh.rank(ids).ids
    assert stale.rank(ids).ids == want
    path.write_bytes(b"not a cache at all")
    # A damaged features file, as found on opening (the files are only ever replaced
    # whole, never rewritten in place under a process that maps them).
    (lib.folder / "damaged").write_bytes(b"PDFEATS\x00 and then nothing that makes sense")
    (lib.folder / "damaged").replace(features)
    damaged = Recommender(lib.store)
    assert damaged.rank(ids).ids == want


def test_the_features_file_is_mapped_again_until_a_text_changes(corpus_lib):
    from paperdeck.core import foryou_features

    lib = corpus_lib
    lib.set_status(_of(lib, "cs.RO")[:3], "read")
    ids = lib.ids(view="queue")
    first = Recommender(lib.store).rank(ids)
    features = lib.folder / foryou_features.FILE
    made = features.stat().st_ino, features.stat().st_mtime_ns
    lib.set_status(_of(lib, "cs.RO")[3:5], "read")  # a signal, not a text: no rebuild
    again = Recommender(lib.store)
    assert again.rank(ids).ids != first.ids
    assert (features.stat().st_ino, features.stat().st_mtime_ns) == made
    robot = _of(lib, "cs.RO")[6]
    lib.update(robot, title="Galaxy dark matter halo lensing")
    assert robot in again.rank(ids).ids  # the same recommender notices the new text
    assert features.stat().st_ino != made[0]
    terms = {again.vocab.names[c] for c in again.vector(robot)[0]}
    assert {"galaxy", "halo", "lensing"} <= terms


def test_tags_of_papers_on_another_subject_are_not_suggested(tmp_path):
    """A tester's library: three physics papers tagged, everything else robots and LLMs;
    a robot paper must not be offered "physics" (its nearest tagged paper is not alike)."""
    from pathlib import Path

    from paperdeck.core.library import Library

    repo = Path(__file__).resolve().parents[1]
    with Library.open(tmp_path / "lib", backup=False) as lib:
        lib.import_text((repo / "resources" / "sample-digest.txt").read_text(encoding="utf-8"))
        physics = lib.import_text((repo / "tests" / "samples" / "digests" / "arxiv-list-recent-old.txt")
                                  .read_text(encoding="utf-8")).ids
        lib.add_tags(physics, ["physics"])
        robots = [i for i in lib.ids("robot") if i not in physics][:20]
        assert robots and all("physics" not in lib.suggest_tags(pid) for pid in robots)
        skills = lib.ids("skill*")[:10]
        lib.add_tags(skills[:5], ["skills"])
        assert sum("skills" in lib.suggest_tags(pid) for pid in skills[5:]) >= 4  # alike ones still do


def _dense_scores(rec) -> dict[int, float]:
    """Every paper's score recomputed here from the trained weights and a dense matrix."""
    x = np.zeros((len(rec.signals.ids), len(rec.vocab.names)))
    for pid, row in rec.row_of.items():
        cols, vals = rec.vector(pid)
        x[row, cols] = vals
    margins = x @ rec.w + rec.b
    return {int(pid): float(1 / (1 + np.exp(-m))) for pid, m in zip(rec.signals.ids, margins, strict=True)}


def _by_score(ids: list[int], scores: dict[int, float]) -> bool:
    """Best first, ties (equal to 1e-9: float sums in another order) by lower id."""
    return all(scores[a] > scores[b] + 1e-9 or (abs(scores[a] - scores[b]) <= 1e-9 and a < b)
               for a, b in zip(ids, ids[1:], strict=False))


def test_the_for_you_view_is_the_models_kept_order_unread_first(corpus_lib):
    lib = corpus_lib
    robots = _of(lib, "cs.RO")
    lib.set_status(robots[:3], "read")
    lib.set_status(_of(lib, "cs.CL")[:2], "archived")
    lib.set_status(robots[3:5], "reading")
    queued_then_trashed = _of(lib, "math.AG")[0]
    lib.trash([queued_then_trashed])
    rec = lib.recommender
    everything = lib.ids(view="all")
    ranking = lib.for_you(everything)
    scores = _dense_scores(rec)
    assert sorted(ranking.ids) == sorted(everything) and _by_score(ranking.ids, scores)
    assert np.allclose([ranking.scores[i] for i in everything], [scores[i] for i in everything])
    best = ranking.ids
    # A view is a subsequence of that order: any subset, in any order, unknown ids dropped.
    subset = everything[::3][::-1] + [10**9]
    assert lib.for_you(subset).ids == [i for i in best if i in set(subset)]
    # Sorted by for-you, papers not yet read (queued, reading) come first, each part by score.
    unread = set(lib.ids(view="queue"))
    assert set(robots[3:5]) <= unread and not set(robots[:3]) & unread
    assert lib.ids(view="all", sort="for-you") == (
        [i for i in best if i in unread] + [i for i in best if i not in unread])
    assert queued_then_trashed not in unread | set(everything)
    assert lib.ids(view="foryou") == [i for i in best if i in unread]
    assert lib.ids(view="foryou", limit=4) == [i for i in best if i in unread][:4]
    assert lib.ids(view="foryou", tag="none such") == []
    # A new read retrains: the view follows the new model's order, not the kept old one.
    lib.set_status([robots[5]], "read")
    view = lib.ids(view="foryou")
    assert sorted(view) == sorted(unread - {robots[5]}) and _by_score(view, _dense_scores(rec))
    assert view != [i for i in best if i in unread and i != robots[5]]


def test_a_read_only_library_ranks_without_writing_beside_it(corpus_lib):
    """Nothing is written into a library opened read-only: the features go to a temporary
    file, mapped and then deleted, with the same answers."""
    import tempfile
    from pathlib import Path

    from paperdeck.core import foryou_cache, foryou_features
    from paperdeck.core.library import Library

    lib = corpus_lib
    lib.set_status(_of(lib, "cs.RO")[:3], "read")
    ids = lib.ids(view="queue")
    want = lib.for_you(ids)
    (lib.folder / foryou_features.FILE).unlink()
    (lib.folder / foryou_cache.FILE).unlink(missing_ok=True)
    before = set(lib.folder.iterdir())
    temp = set(Path(tempfile.gettempdir()).glob("paperdeck-*"))
    with Library.open(lib.folder, read_only=True, sync_index=False, backup=False) as ro:
        got = ro.for_you(ids)
        assert got.ids == want.ids and [got.scores[i] for i in ids] == [want.scores[i] for i in ids]
        assert ro.related(ids[0]) == lib.related(ids[0])
    assert set(lib.folder.iterdir()) == before
    assert set(Path(tempfile.gettempdir()).glob("paperdeck-*")) <= temp  # deleted once mapped
