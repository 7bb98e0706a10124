"""core/foryou.py at its edges: the least priority counts, titles at the cut, a single
negative paper, the Recommender's own defaults (five related papers to four decimals, no
unread-first), and reasons whose terms never repeat one another."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pytest

from paperdeck.core.foryou import Recommender
from paperdeck.core.models import Draft
from test_foryou_cases import _dense, _expected_scores, _term_of
from triage_corpus import make_papers

GRASP = "A compliant robot hand grasps household cups with tactile sensing."


def test_the_least_priority_is_a_signal_and_is_named(lib):
    ids = lib.add([Draft(title="Robot hand grasping cups", abstract=GRASP),
                   Draft(title="Tactile grasping of cups by a robot hand", abstract=GRASP),
                   Draft(title="Galaxy halo lensing", abstract="Dark matter halos lens galaxies."),
                   Draft(title="Halo lensing of galaxies", abstract="Lensing by dark matter halos.")],
                  raw_text="x", fmt="test")
    assert lib.for_you(ids).cold
    lib.set_priority([ids[0]], 1)
    ranking = lib.for_you(ids)
    assert not ranking.cold and set(ranking.ids[:2]) == {ids[0], ids[1]}
    assert lib.for_you_reasons([ids[1]])[ids[1]][0] == "like “Robot hand grasping cups” (priority 1)"


def test_titles_up_to_sixty_characters_are_shown_whole_longer_ones_cut(lib):
    sixty = "Tactile sensing for dexterous robot grasping of kitchen cups"
    sixty_one = "Tactile sensing and dexterous robot grasping of kitchen mugs."
    assert len(sixty) == 60 and len(sixty_one) == 61
    ids = lib.add([Draft(title=sixty, abstract=GRASP), Draft(title=sixty_one, abstract=GRASP + " Cups."),
                   Draft(title="Robot grasping of cups with tactile hands", abstract=GRASP)],
                  raw_text="x", fmt="test")
    lib.set_status(ids[:2], "read")
    likes = [r for r in lib.for_you_reasons([ids[2]])[ids[2]] if r.startswith("like ")]
    assert sorted(likes) == sorted([f"like “{sixty}” (read)", f"like “{sixty_one[:59].rstrip()}…” (read)"])


def test_a_single_unlabelled_paper_carries_the_whole_negative_weight(lib):
    ids = lib.add([Draft(title="Robot hand grasping cups", abstract=GRASP),
                   Draft(title="Tactile grasping of cups by a robot hand", abstract=GRASP),
                   Draft(title="Grasping cups and halo lensing", abstract="Robot hands and dark halos.")],
                  raw_text="x", fmt="test")
    lib.set_status(ids[:2], "read")
    got = lib.for_you(ids).scores
    want = _expected_scores(lib.recommender, set(ids[:2]), set(), {ids[2]})
    assert max(abs(got[i] - want[i]) for i in ids) < 1e-4


def test_the_recommenders_own_defaults(lib):
    """Five related papers, similarities to four decimals; a ranking by score alone."""
    papers = make_papers(2, seed=9)
    ids = lib.add([p.draft for p in papers], raw_text="corpus", fmt="test")
    lib.set_status(ids[:3], "read")
    rec = Recommender(lib.store)
    related = rec.related(ids[0])
    assert len(related) == 5 and all(s == round(s, 4) for _, s in related)
    x = _dense(rec)
    sims = x @ x[rec.row_of[ids[0]]] / np.linalg.norm(x, axis=1) / np.linalg.norm(x[rec.row_of[ids[0]]])
    assert all(abs(s - sims[rec.row_of[i]]) < 6e-4 for i, s in related)
    ranking = rec.rank(ids)
    scores = [ranking.scores[i] for i in ranking.ids]
    assert scores == sorted(scores, reverse=True)  # read papers among the rest, by score
    assert ranking.ids != rec.rank(ids, unread_first=True).ids


def test_the_terms_of_a_reason_never_repeat_one_another(lib):
    """A word and a pair holding it are one term: "world model" is not followed by "world"."""
    papers = make_papers(3, seed=17)
    ids = lib.add([p.draft for p in papers], raw_text="corpus", fmt="test")
    lib.set_status(ids[::3], "read")
    rec = lib.recommender
    rec.refresh()
    reasons = lib.for_you_reasons(ids)
    pairs = 0
    for pid in ids:
        cols, vals = rec.vector(pid)
        gain = {rec.vocab.names[c]: v * rec.w[c] for c, v in zip(cols, vals, strict=True)}
        shown = [r for r in reasons[pid] if r.startswith("terms: ")]
        names = [_term_of(t) for t in shown[0][len("terms: "):].split(", ")] if shown else []
        for a in names:
            assert not any(a != b and (a in b.split(" ") or b in a.split(" ")) for b in names), names
        # every stronger term is shown or is a word or pair of one shown
        weakest = min((gain[n] for n in names), default=0.0)
        for term, g in gain.items():
            if g > weakest and term not in names:
                assert any(term in n.split(" ") or n in term.split(" ") for n in names), (term, names)
        up = [t for t, g in gain.items() if g > 0]
        if len(names) < 3:  # fewer than three only when nothing else pulls the score up
            assert all(any(t == n or t in n.split(" ") or n in t.split(" ") for n in names) for t in up)
        pairs += any(" " in n for n in names)
    assert pairs >= 3


def test_a_cancelled_model_reads_and_writes_nothing(lib, monkeypatch):
    """Cancelled before a build (a window closing): not even the word counts are cached."""
    from paperdeck.core import foryou_cache, foryou_features
    from paperdeck.core.foryou import Cancelled

    monkeypatch.setattr(foryou_features, "CACHE_AFTER", 1)
    ids = lib.add([p.draft for p in make_papers(1, seed=4)], raw_text="a", fmt="test")
    lib.set_status(ids[:2], "read")
    rec = Recommender(lib.store)
    rec.cancel()
    with pytest.raises(Cancelled, match="the library is closing"):
        rec.refresh()
    assert not (lib.folder / foryou_cache.FILE).exists()
    assert not (lib.folder / foryou_features.FILE).exists()


def _temp_features_fds() -> int:
    """Descriptors this process holds on temporary features files (a mapping holds one)."""
    links = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            links.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # the listing's own descriptor, closed by now
            continue
    return sum(Path(tempfile.gettempdir()).as_posix() + "/paperdeck-" in link for link in links)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="Linux /proc")
def test_a_read_only_library_gets_no_file_written_even_for_a_moment(lib):
    """The features of a read-only library go to a temporary file: the library's folder is
    never written (its mtime stays), and no descriptor of that file stays open."""
    from paperdeck.core.library import Library

    ids = lib.add([p.draft for p in make_papers(1, seed=6)], raw_text="a", fmt="test")
    lib.set_status(ids[:2], "read")
    folder = lib.folder
    before = folder.stat().st_mtime_ns
    with Library.open(folder, read_only=True, sync_index=False, backup=False) as ro:
        fds = _temp_features_fds()
        assert sorted(ro.for_you(ids).ids) == sorted(ids)
        assert _temp_features_fds() == fds + 1  # the mapping's own
        again = Recommender(ro.store)
        again.refresh()
        assert _temp_features_fds() == fds + 2
    assert folder.stat().st_mtime_ns == before


def test_a_paper_does_not_take_a_neighbours_place_in_its_own_tag_suggestions(lib):
    """Suggestions come from the seven nearest *other* tagged papers: a paper is nearest to
    itself, and counting it would leave room for only six neighbours (its own tags are not
    suggested anyway). Eight papers on one subject, each tagged differently."""
    words = ["cups", "mugs", "bowls", "plates", "jars", "bottles", "glasses", "forks"]
    ids = lib.add([Draft(title=f"Robot hand grasping {w} with tactile sensing", abstract=f"{GRASP} Also {w}.")
                   for w in words], raw_text="x", fmt="test")
    for pid, w in zip(ids, words, strict=True):
        lib.add_tags([pid], [f"about-{w}"])
    got = lib.suggest_tags(ids[0], limit=10)
    assert sorted(got) == sorted(f"about-{w}" for w in words[1:])


def test_asking_about_a_paper_the_library_no_longer_has_answers_nothing(lib):
    """A window may still show a paper another process has just removed for good: its tag
    suggestions and related papers are empty, not an error."""
    ids = lib.add([Draft(title="Robot hand grasping cups", abstract=GRASP),
                   Draft(title="Tactile grasping of cups by a robot hand", abstract=GRASP)],
                  raw_text="x", fmt="test")
    lib.add_tags([ids[1]], ["grasping"])
    gone = max(ids) + 1000
    assert lib.recommender.suggest_tags(ids[0]) == ["grasping"]
    assert lib.recommender.suggest_tags(gone) == []
    assert lib.recommender.related(gone) == []


def test_tag_suggestions_by_default_come_from_the_seven_nearest_and_name_three(lib):
    """Ten papers on one subject, each tagged differently: the first paper's suggestions
    are the tags of its seven nearest others (dense cosine), the best three by default."""
    words = ["cups", "mugs", "bowls", "plates", "jars", "bottles", "glasses", "forks", "pans", "lids"]
    ids = lib.add([Draft(title=f"Robot hand grasping {w} with tactile sensing",
                         abstract=f"{GRASP} Also {' '.join(words[: k + 1])}.")
                   for k, w in enumerate(words)], raw_text="x", fmt="test")
    for pid, w in zip(ids, words, strict=True):
        lib.add_tags([pid], [f"about-{w}"])
    rec = Recommender(lib.store)
    every = rec.suggest_tags(ids[0], limit=20)
    x = _dense(rec)
    unit = x / np.linalg.norm(x, axis=1)[:, None]
    sims = {pid: float(unit[rec.row_of[pid]] @ unit[rec.row_of[ids[0]]]) for pid in ids[1:]}
    nearest = sorted(sims, key=lambda pid: -sims[pid])
    assert len(set(np.round(list(sims.values()), 3))) == 9  # no ties to blur the order
    assert every == [f"about-{words[ids.index(pid)]}" for pid in nearest[:7]]
    assert rec.suggest_tags(ids[0]) == every[:3]


def test_every_answer_follows_a_change_made_after_it_was_last_asked(lib):
    """A recommender kept open (the window's) answers after a read, a tag and a trash as
    one built afresh on the library does: each answer brings the model up to date."""
    papers = make_papers(3, seed=5)
    ids = lib.add([p.draft for p in papers], raw_text="corpus", fmt="test")
    cat = {pid: p.category for pid, p in zip(ids, papers, strict=True)}
    robots = [i for i in ids if cat[i] == "cs.RO"]
    astro = [i for i in ids if cat[i] == "astro-ph.GA"]
    lib.set_status(robots[:2], "read")
    lib.add_tags([robots[1]], ["hands"])
    lib.set_status(ids, "queued")
    lib.set_status(robots[:2], "read")
    drafts = [Draft(title=papers[ids.index(astro[2])].draft.title + " again",
                    abstract=papers[ids.index(astro[2])].draft.abstract)]
    kept = Recommender(lib.store)

    def answers(rec: Recommender) -> tuple:
        return (rec.rank(ids).ids, rec.queue_order(), rec.reasons([astro[2]]),
                [(s.score, s.reasons) for s in rec.score_drafts(drafts)],
                rec.suggest_tags(astro[2]), rec.related(astro[2]))

    before = answers(kept)
    lib.set_status(astro[:2], "read")
    lib.add_tags([astro[1]], ["galaxies"])
    lib.trash([astro[0]])
    after = answers(kept)
    fresh = answers(Recommender(lib.store))
    for k, (b, a, f) in enumerate(zip(before, after, fresh, strict=True)):
        assert a == f, f"answer {k} is stale"
        assert a != b, f"answer {k} did not change: the test cannot tell"


def test_a_features_file_removed_right_after_it_was_written_is_a_clear_error(lib, monkeypatch):
    """Another process (a second window cleaning up, a sync tool) deletes the file between
    its writing and its mapping: the refresh says so, rather than failing later on None."""
    lib.add([Draft(title="Robot hand grasping cups", abstract=GRASP)], raw_text="x", fmt="test")
    rec = Recommender(lib.store)
    build = Recommender._build

    def build_then_lose(self, out: Path, papers: int) -> None:
        build(self, out, papers)
        out.unlink()

    monkeypatch.setattr(Recommender, "_build", build_then_lose)
    with pytest.raises(RuntimeError, match="the for-you features could not be written to .*foryou-features"):
        rec.refresh()
    assert rec.features is None and not rec.warm()


def test_no_descriptor_left_to_read_the_features_is_said_as_such(tmp_path):
    """A process at its open-file limit (RLIMIT_NOFILE, lowered for real in a child
    process) cannot open a sound features file: the refresh says "could not be read: Too
    many open files", not that the file could not be written, and rewrites nothing."""
    script = tmp_path / "emfile.py"
    script.write_text(textwrap.dedent(f"""
        import os, resource, sys
        from paperdeck.core.foryou import Recommender
        from paperdeck.core.library import Library
        from paperdeck.core.models import Draft
        from pathlib import Path
        lib = Library.open(Path(sys.argv[1]), backup=False)
        lib.add([Draft(title="Robot hand grasping cups", abstract={GRASP!r})], raw_text="x",
                fmt="test")
        Recommender(lib.store).refresh()  # writes the features file
        path = lib.store.path.parent / "foryou-features.bin"
        before = path.stat().st_mtime_ns
        rec = Recommender(lib.store)
        used = len(os.listdir("/proc/self/fd"))
        resource.setrlimit(resource.RLIMIT_NOFILE, (used - 1, resource.getrlimit(
            resource.RLIMIT_NOFILE)[1]))
        try:
            rec.refresh()
        except RuntimeError as exc:
            print("ERROR", exc)
        print("SAME", path.stat().st_mtime_ns == before)
    """))
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "lib")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "could not be read: Too many open files" in done.stdout, done.stdout + done.stderr
    assert "could not be written" not in done.stdout and "SAME True" in done.stdout


def test_a_paper_added_while_the_model_reads_its_signals_waits_for_the_next_refresh(
        lib, monkeypatch):
    """Another writer adds a paper between the features' reading and the signals' (the
    window's worker while a command ranks): one paper in the file, a newer one in the
    table. The model is built without it, and takes it in at the next refresh."""
    first = lib.add([Draft(title="Robot hand grasping cups", abstract=GRASP)], raw_text="x", fmt="test")
    lib.set_status(first, "read")
    rec = Recommender(lib.store)
    read_signals = Recommender._read_signals
    added: list[int] = []

    def racing(self):
        if not added:
            added.extend(lib.add([Draft(title="Tactile grasping of cups", abstract=GRASP)],
                                 raw_text="y", fmt="test"))
        return read_signals(self)

    monkeypatch.setattr(Recommender, "_read_signals", racing)
    rec.refresh()
    assert list(rec.row_of) == first and rec.signals.ids.tolist() == first
    assert rec.signals.pos.tolist() == [True]
    assert sorted(rec.rank(first + added).ids) == first + added  # the next refresh takes it in
