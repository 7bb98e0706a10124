"""The library façade against a real SQLite file and a real Whoosh index."""

from __future__ import annotations

import pytest

from paperdeck.core.errors import InputError, QueryError, UnknownPaper
from paperdeck.core.library import Library
from paperdeck.core.models import Draft


def test_sample_digest_imports_119_papers_in_digest_order(lib, sample_text, expected_titles):
    report = lib.import_text(sample_text)
    assert (report.found, report.imported, report.duplicates) == (119, 119, 0)
    papers = lib.papers(lib.ids(view="queue"))
    assert [p.title for p in papers] == expected_titles
    assert all(p.status == "queued" for p in papers)
    assert len({p.citekey for p in papers}) == 119
    first = papers[0]
    assert "https://github.com/Uylee/Re-TASK" in first.links
    assert lib.imports()[0]["raw_text"] == sample_text


def test_reimporting_the_same_digest_adds_nothing(lib, sample_text):
    lib.import_text(sample_text)
    again = lib.import_text(sample_text)
    assert (again.imported, again.duplicates) == (0, 119)
    assert lib.counts()["all"] == 119


def test_duplicates_by_arxiv_id_doi_and_normalised_title(lib):
    lib.add([Draft(title="Attention Is All You Need", arxiv_id="1706.03762"),
             Draft(title="Deep Residual Learning", doi="10.1109/CVPR.2016.90")],
            raw_text="x", fmt="test")
    items = lib.preview([
        Draft(title="Another title", arxiv_id="1706.03762"),
        Draft(title="Residual", doi="10.1109/cvpr.2016.90"),
        Draft(title="  attention is ALL you need!  "),
        Draft(title="Attention Is All You Need."),
        Draft(title="A genuinely new paper"),
        Draft(title="A genuinely new paper"),
    ])
    assert [i.verdict for i in items] == [
        "duplicate", "duplicate", "duplicate", "duplicate", "new", "duplicate"]
    assert items[0].reason == "same arXiv id"
    assert items[1].reason == "same DOI"
    assert items[2].reason == "same title"
    assert "repeated" in items[5].reason


def test_fuzzy_preview_marks_probably_same_paper(lib):
    lib.add([Draft(title="Chain-of-Thought Prompting Elicits Reasoning in Large Language Models")],
            raw_text="x", fmt="test")
    [item] = lib.preview([Draft(
        title="Chain of Thought Prompting Elicits Reasoning in Large Language Model")])
    assert item.verdict == "similar"
    assert item.score >= 90


def test_new_imports_go_to_the_end_of_the_queue(lib):
    first = lib.add([Draft(title="One"), Draft(title="Two")], raw_text="a", fmt="t")
    second = lib.add([Draft(title="Three")], raw_text="b", fmt="t")
    assert lib.ids(view="queue") == first + second


def test_status_records_times_and_history(lib):
    [pid] = lib.add([Draft(title="A paper")], raw_text="a", fmt="t")
    lib.set_status([pid], "reading")
    lib.set_status([pid], "read")
    paper = lib.get(pid)
    assert paper.status == "read" and paper.started_at and paper.finished_at
    assert [s for s, _ in lib.status_history(pid)] == ["queued", "reading", "read"]
    assert lib.ids(view="queue") == []
    assert lib.ids(view="read") == [pid]


def test_tags_are_case_insensitive_and_counted(lib):
    ids = lib.add([Draft(title=f"Paper {i}") for i in range(3)], raw_text="a", fmt="t")
    lib.add_tags(ids[:2], ["Robotics"])
    lib.add_tags(ids[1:], ["robotics", "LLM"])
    assert lib.tags() == [("LLM", 2), ("Robotics", 3)]
    lib.remove_tags([ids[0]], ["ROBOTICS"])
    assert dict(lib.tags())["Robotics"] == 2
    assert set(lib.ids(tag="robotics")) == set(ids[1:])


def test_rename_merge_and_delete_tags(lib):
    ids = lib.add([Draft(title=f"Paper {i}") for i in range(3)], raw_text="a", fmt="t")
    lib.add_tags(ids[:2], ["rl"])
    lib.add_tags(ids[1:], ["reinforcement learning"])
    lib.rename_tag("rl", "RL")
    assert dict(lib.tags()) == {"RL": 2, "reinforcement learning": 2}
    lib.rename_tag("RL", "reinforcement learning")  # merge
    assert lib.tags() == [("reinforcement learning", 3)]
    lib.delete_tag("reinforcement learning")
    assert lib.tags() == []
    lib.undo()
    assert lib.tags() == [("reinforcement learning", 3)]


def test_bad_tags_are_refused_with_a_message(lib):
    [pid] = lib.add([Draft(title="P")], raw_text="a", fmt="t")
    with pytest.raises(InputError, match="comma"):
        lib.add_tags([pid], ["a,b"])
    with pytest.raises(InputError):
        lib.add_tags([pid], ["   "])


def test_every_edit_undoes_and_redoes(lib):
    ids = lib.add([Draft(title="Alpha"), Draft(title="Beta")], raw_text="a", fmt="t")
    before = [lib.get(i) for i in ids]
    lib.set_status(ids, "reading")
    lib.add_tags(ids, ["x"])
    lib.update(ids[0], notes="my notes", authors=["Ada Lovelace"], year=2024)
    lib.move([ids[1]], to="top")
    lib.trash([ids[0]])
    assert lib.undo_label().startswith("move 1 paper to the trash")
    for _ in range(5):
        lib.undo()
    assert [lib.get(i) for i in ids] == before
    for _ in range(5):
        lib.redo()
    a = lib.get(ids[0])
    assert a.notes == "my notes" and a.authors == ["Ada Lovelace"] and a.trashed_at
    assert lib.ids(view="queue") == [ids[1]]


def test_undo_import_removes_papers_and_redo_brings_them_back(lib, sample_text):
    report = lib.import_text(sample_text)
    lib.undo()
    assert lib.counts()["all"] == 0
    assert lib.ids("skill") == []
    lib.redo()
    assert lib.ids(view="queue") == report.ids
    assert lib.ids("skill")


def test_trash_hides_papers_until_restored(lib):
    ids = lib.add([Draft(title="Robot grasping"), Draft(title="Robot walking")],
                  raw_text="a", fmt="t")
    lib.trash([ids[0]])
    assert lib.ids("robot") == [ids[1]]
    assert lib.ids(view="trash") == [ids[0]]
    assert lib.counts()["trash"] == 1 and lib.counts()["all"] == 1
    lib.restore([ids[0]])
    assert set(lib.ids("robot")) == set(ids)


def test_moves_touch_only_the_moved_rows(lib):
    ids = lib.add([Draft(title=f"P{i}") for i in range(6)], raw_text="a", fmt="t")
    gen = lib.store.generation()
    writes = lib.store.db.conn.total_changes
    lib.move([ids[4]], to="before", anchor=ids[1])
    assert lib.ids(view="queue") == [ids[0], ids[4], ids[1], ids[2], ids[3], ids[5]]
    assert lib.store.db.conn.total_changes - writes == 2  # the moved row and the generation
    changed = lib.store.db.execute("SELECT count(*) FROM papers WHERE rev > ?", [gen]).fetchone()
    assert changed[0] == 0  # a queue place is not indexed: nothing to re-read
    lib.move([ids[5], ids[0]], to="top")
    assert lib.ids(view="queue")[:2] == [ids[5], ids[0]]
    lib.move_step(ids[2], -1)
    order = lib.ids(view="queue")
    assert order.index(ids[2]) < order.index(ids[1])


def test_many_moves_between_the_same_neighbours_stay_ordered(lib):
    ids = lib.add([Draft(title=f"P{i}") for i in range(30)], raw_text="a", fmt="t")
    gaps = []
    for pid in reversed(ids[2:]):  # each lands just after P0: the gap there halves every time
        lib.move([pid], to="after", anchor=ids[0])
        positions = [r[0] for r in lib.store.db.execute("SELECT position FROM papers ORDER BY position")]
        gaps.append(min(b - a for a, b in zip(positions, positions[1:], strict=False)))
    assert lib.ids(view="queue") == [ids[0], *ids[2:], ids[1]]
    # The gap fell below MIN_GAP at some move and the queue was laid out afresh (gaps of 1.0).
    jumps = [i for i in range(1, len(gaps)) if gaps[i] > gaps[i - 1]]
    assert len(jumps) == 1 and gaps[jumps[0] - 1] < 1e-5 and gaps[jumps[0]] == 1.0
    assert len(set(positions)) == len(positions)


def test_order_survives_reopening(data_dir):
    with Library.open(data_dir) as lib:
        ids = lib.add([Draft(title=f"P{i}") for i in range(4)], raw_text="a", fmt="t")
        lib.move([ids[3]], to="top")
        order = lib.ids(view="queue")
    with Library.open(data_dir) as lib:
        assert lib.ids(view="queue") == order


def test_search_uses_the_query_language(lib, sample_text):
    lib.import_text(sample_text)
    robots = lib.ids("robot")
    assert robots
    assert set(lib.ids('"chain of thought"')) <= set(lib.ids("chain"))
    first = robots[0]
    lib.add_tags([first], ["robotics"])
    assert lib.ids("tag:robotics") == [first]
    lib.set_status([first], "read")
    assert first not in lib.ids("robot NOT status:read")
    assert lib.ids("skill*")
    assert lib.ids("title:skill AND abstract:library")


@pytest.mark.parametrize("query, message", [
    ('"chain of', 'Unbalanced quote: close the phrase with another ".'),
    ("(robot OR skill", "Unbalanced parentheses: a '(' is never closed."),
    ("robot)", "Unbalanced parentheses: a ')' has no matching '('."),
    ("title:", "title: needs a value after the colon, like title:robots. Fields you can search: "
               "title, abstract, authors, tag, notes, status, year, arxiv, doi."),
    ("year:[2020 TO", "A range is not closed: write it like year:[2020 TO 2024]."),
    ("year:twenty", "year: needs a number, like year:2024 or year:[2020 TO 2024] (got 'twenty')."),
    ("status:done", "status: is one of queued, reading, read, archived (got 'done')."),
])
def test_malformed_queries_say_what_is_wrong(lib, query, message):
    """Through the library, the whole message (a needle such as "parenthes" passed with
    the other parenthesis's message)."""
    with pytest.raises(QueryError) as info:
        lib.ids(query)
    assert str(info.value) == message


def test_unknown_ids_are_reported(lib):
    with pytest.raises(UnknownPaper, match="42"):
        lib.set_status([42], "read")


def test_edit_survives_when_the_index_is_locked(lib, sample_text):
    """Another writer holds the Whoosh lock: the edit is saved, the index catches up later."""
    from whoosh import index

    lib.import_text(sample_text)
    blocker = index.open_dir(str(lib.folder / "index")).writer()
    try:
        lib.update(1, notes="kept although the index was locked")
    finally:
        blocker.cancel()
    assert lib.get(1).notes == "kept although the index was locked"
    assert lib.check()  # the index is behind ...
    lib.index.catch_up()
    assert lib.check() == []  # ... and catches up
    assert lib.ids("notes:locked") == [1]


def test_unsafe_pasted_citekeys_are_replaced_and_safe_ones_kept(lib):
    ids = lib.add([Draft(title="Kept key", citekey="vaswani2017attention"),
                   Draft(title="Bad key", citekey="bad key{"),
                   Draft(title="Taken key", citekey="VASWANI2017attention")], raw_text="x", fmt="t")
    keys = [p.citekey for p in lib.papers(ids)]
    assert keys[0] == "vaswani2017attention"
    assert keys[1] != "bad key{" and keys[2].lower() != "vaswani2017attention"
    assert lib.bibtex(ids).count("@") == 3
    with pytest.raises(InputError):
        lib.update(ids[0], citekey="has space")


def test_empty_trash_deletes_only_trashed_papers_for_good(lib):
    ids = lib.add([Draft(title="Keep me robot"), Draft(title="Drop me robot")], raw_text="x", fmt="t")
    lib.add_tags(ids, ["t"])
    lib.trash([ids[1]])
    assert lib.empty_trash() == 1
    assert lib.ids(view="trash") == [] and lib.ids("robot") == [ids[0]]
    assert lib.tags() == [("t", 1)]
    assert lib.check() == []
    assert lib.undo_label() is None  # every earlier edit touched the deleted paper


def test_listeners_hear_every_edit_until_they_unsubscribe(lib):
    heard = []
    lib.subscribe(heard.append)
    [pid] = lib.add([Draft(title="P")], raw_text="x", fmt="t")
    lib.add_tags([pid], ["x"])
    assert [c.inserted for c in heard] == [True, False] and heard[1].tags
    lib.unsubscribe(heard.append)
    lib.set_status([pid], "read")
    assert len(heard) == 2


def test_large_edits_reindex_in_the_background_and_nothing_is_left_behind(lib):
    import threading

    ids = lib.add([Draft(title=f"Robot {i}") for i in range(600)], raw_text="x", fmt="t")
    workers: list[threading.Thread] = []

    def run(fn):
        t = threading.Thread(target=fn)
        workers.append(t)
        t.start()

    lib.background = run
    lib.add_tags(ids, ["bulk"])  # tags are not indexed: nothing to hand over
    assert not workers
    lib.trash(ids[:550])  # large: indexed on the background thread
    assert workers
    lib.set_status([ids[599]], "read")  # small, while that runs
    lib.update(ids[598], title="Robot zebra")  # joins the catch-up
    for t in workers:
        t.join(timeout=120)
    assert not lib.index_catching_up()
    assert lib.check() == []
    assert len(lib.ids('tag:bulk AND title:robot')) == 50
    assert lib.ids("robot AND status:read") == [ids[599]]
    assert lib.ids("zebra") == [ids[598]]


def test_an_import_is_indexed_aside_when_the_window_gives_a_runner(lib, sample_text):
    import threading

    workers: list[threading.Thread] = []

    def run(fn):
        workers.append(threading.Thread(target=fn))
        workers[-1].start()

    lib.background = run
    report = lib.import_text(sample_text)
    assert report.imported == 119 and len(workers) == 1  # the cards need not wait for it
    assert len(lib.ids(view="all")) == 119
    workers[0].join(timeout=120)
    assert not lib.index_catching_up()
    assert lib.index.current() and lib.check() == []
    assert lib.ids("skill library")
    lib.set_status(lib.ids(view="all")[:3], "read")  # small edits stay on the caller's thread
    assert len(workers) == 1
