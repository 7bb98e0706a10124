"""The library's reading half (queries.py) on a small library whose every view, sort,
filter and count is worked out here in Python from the papers themselves: the expected
lists are computed from the stored fields, not copied from a run. The large-hit paths
(from MANY_HITS hits on) must give the same lists as the small ones."""

from __future__ import annotations

import pytest

from paperdeck.core import queries
from paperdeck.core.errors import InputError, UnknownPaper
from paperdeck.core.library import Library
from paperdeck.core.models import Draft, Paper

DRAFTS = [
    Draft(title="Robot arms that learn", authors=["Lovelace, Ada", "Bo An"], year=2020,
          added_at="2024-01-03T10:00:00"),
    Draft(title="Zebra robot gaits", authors=["Grace Hopper"], year=2018,
          added_at="2024-01-01T10:00:00"),
    Draft(title="An apple of robots", authors=["alan turing"], year=None,
          added_at="2024-01-05T10:00:00"),
    Draft(title="Mind of a robot", authors=[], year=2022, added_at="2024-01-02T10:00:00"),
    Draft(title="Quiet robot swarms", authors=["Barbara Liskov", "X"], year=2020,
          added_at="2024-01-04T10:00:00"),
    Draft(title="Deep robot reading", authors=["von Neumann, John"], year=2019,
          added_at="2024-01-06T10:00:00"),
    Draft(title="Language agents", authors=["Edsger Dijkstra"], year=2021,
          added_at="2024-01-07T10:00:00"),
    Draft(title="Bees and robot hives", authors=["Ada Byron"], year=2017,
          added_at="2024-01-08T10:00:00"),
]


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    library = Library.open(tmp_path_factory.mktemp("queries") / "library", backup=False)
    ids = library.add(DRAFTS, raw_text="the paste", fmt="test")
    library.set_status([ids[1], ids[4]], "read")
    library.set_status([ids[2]], "reading")
    library.set_status([ids[6]], "archived")
    library.set_priority([ids[5]], 2)
    library.set_priority([ids[3]], 1)
    library.add_tags([ids[0], ids[1], ids[7]], ["Robotics"])
    library.add_tags([ids[0]], ["arms"])
    library.trash([ids[7]])
    yield library
    library.close()


def every(lib: Library) -> list[Paper]:
    return lib.papers(lib.ids(view="all") + lib.ids(view="trash"))


def surname(p: Paper) -> str:
    first = p.authors[0] if p.authors else ""
    return first.split(",")[0] if "," in first else first.rsplit(" ", 1)[-1]


def expected(lib: Library, view: str = "all", sort: str = "queue", tag: str | None = None,
             status: str | None = None, among: set[int] | None = None) -> list[int]:
    statuses = {"queue": ("queued", "reading"), "reading": ("reading",), "read": ("read",),
                "archived": ("archived",)}.get(view)
    papers = [p for p in every(lib) if (p.trashed_at is not None) == (view == "trash")
              and (statuses is None or p.status in statuses)
              and (status is None or p.status == status)
              and (tag is None or tag.lower() in [t.lower() for t in p.tags])
              and (among is None or p.id in among)]
    keys = {
        "queue": lambda p: (-p.priority, p.position, p.id),
        "added": lambda p: (p.added_at, p.id),
        "title": lambda p: (p.title.lower(), p.id),
        "year": lambda p: (p.year is None, -(p.year or 0), p.id),
        "author": lambda p: (surname(p) == "", surname(p).lower(), p.title.lower(), p.id),
    }
    out = sorted(papers, key=keys[sort], reverse=sort == "added")
    return [p.id for p in out]


@pytest.mark.parametrize("view", list(queries.VIEWS))
@pytest.mark.parametrize("sort", ["queue", "added", "title", "year", "author"])
def test_every_view_in_every_order(lib, view, sort):
    if view == "foryou":  # its own order by default (see below), else the queue's papers
        assert lib.ids(view=view, sort=sort) == (expected(lib, "queue", sort) if sort != "queue"
                                                 else lib.ids(view=view))
        return
    assert lib.ids(view=view, sort=sort) == expected(lib, view, sort)


def test_default_orders(lib):
    assert lib.ids(view="queue") == expected(lib, "queue", "queue")
    assert lib.ids(view="trash") == expected(lib, "trash", "added")
    assert lib.ids(view="all", limit=3) == expected(lib, "all", "queue")[:3]
    assert lib.ids(view="all", sort="title", limit=2) == expected(lib, "all", "title")[:2]


def test_tag_and_status_narrow_a_view(lib):
    assert lib.ids(tag="robotics") == expected(lib, tag="robotics")
    assert lib.ids(tag="ROBOTICS", status="read") == expected(lib, tag="robotics", status="read")
    assert lib.ids(view="queue", status="reading") == expected(lib, "queue", status="reading")
    assert lib.ids(view="trash", tag="Robotics") == expected(lib, "trash", "added", tag="robotics")


def robots(lib: Library) -> set[int]:
    return {p.id for p in every(lib) if "robot" in p.title.lower()}


@pytest.mark.parametrize("many", [False, True])
def test_a_search_in_a_view_keeps_its_relevance_order(lib, many, monkeypatch):
    if many:
        monkeypatch.setattr(queries, "MANY_HITS", 0)
    ranked = lib.ids("robot")
    assert set(ranked) == robots(lib) - set(lib.ids(view="trash"))
    for view, tag, status in [("queue", None, None), ("all", "robotics", None),
                              ("all", None, "read"), ("read", None, None)]:
        allowed = set(expected(lib, view, tag=tag, status=status))
        want = [i for i in ranked if i in allowed]
        assert lib.ids("robot", view=view, tag=tag, status=status) == want
        assert lib.ids("robot", view=view, tag=tag, status=status, sort="relevance",
                       limit=1) == want[:1]


@pytest.mark.parametrize("many", [False, True])
@pytest.mark.parametrize("sort", ["title", "year", "queue"])
def test_a_search_in_another_order(lib, many, sort, monkeypatch):
    if many:
        monkeypatch.setattr(queries, "MANY_HITS", 0)
    for view, among in [("all", None), ("queue", None), ("all", robots(lib))]:
        query = "robot" if among else "robot OR agents OR apple"
        hits = set(lib.ids(query))
        assert lib.ids(query, view=view, sort=sort) == expected(lib, view, sort, among=hits)


def test_a_search_of_the_trash(lib):
    [bees] = lib.ids(view="trash")
    assert lib.ids("hives", view="trash") == [bees]
    assert lib.ids("hives") == []
    assert lib.ids("  ", view="trash") == [bees]  # blank is no search


def test_the_view_ids_are_read_again_after_an_edit(lib, monkeypatch):
    monkeypatch.setattr(queries, "MANY_HITS", 0)
    before = lib.ids("robot", view="read")
    [pid] = lib.ids("zebra")
    lib.set_status([pid], "queued")
    try:
        assert lib.ids("robot", view="read") == [i for i in before if i != pid]
    finally:
        lib.set_status([pid], "read")
    assert lib.ids("robot", view="read") == before


@pytest.mark.parametrize("kwargs, message", [
    ({"view": "later"}, "Unknown view 'later'. Views: queue, foryou, reading, read, archived, all, trash."),
    ({"sort": "size"}, "Unknown sort 'size'. Sorts: queue, relevance, for-you, added, year, title, author."),
    ({"status": "done"}, "Unknown status 'done'. Statuses: queued, reading, read, archived."),
])
def test_unknown_names_are_refused(lib, kwargs, message):
    with pytest.raises(InputError) as info:
        lib.ids(**kwargs)
    assert str(info.value) == message


def test_counts_per_view(lib):
    papers = every(lib)
    live = [p for p in papers if p.trashed_at is None]
    assert lib.counts() == {
        "queue": sum(p.status in ("queued", "reading") for p in live),
        "foryou": sum(p.status in ("queued", "reading") for p in live),
        "reading": sum(p.status == "reading" for p in live),
        "read": sum(p.status == "read" for p in live),
        "archived": sum(p.status == "archived" for p in live),
        "all": len(live),
        "trash": len(papers) - len(live),
    }


def test_tags_count_papers_outside_the_trash(lib):
    assert lib.tags() == [("arms", 1), ("Robotics", 2)]


def test_papers_come_in_the_order_asked_with_their_tags(lib):
    ids = lib.ids(view="all", sort="title")
    back = list(reversed(ids))
    papers = lib.papers([*back, 999])
    assert [p.id for p in papers] == back
    first = lib.get(lib.ids("arms")[0])
    assert first.tags == ["arms", "Robotics"] and first.title == "Robot arms that learn"
    assert lib.papers([]) == []
    with pytest.raises(UnknownPaper, match="There is no paper with id 999."):
        lib.get(999)


def test_require_names_the_missing_ids(lib):
    ids = lib.ids(view="all")
    assert lib.require([ids[1], ids[0], ids[1]]) == [ids[1], ids[0]]
    with pytest.raises(UnknownPaper) as info:
        lib.require([ids[0], 998, *range(1000, 1012)])
    assert str(info.value) == ("No paper with id 998, 1000, 1001, 1002, 1003, 1004, 1005, 1006, "
                               "1007, 1008 in this library.")


def test_ahead_by_priority_counts_the_queue_papers_ranked_higher(lib):
    queued = {p.id: p for p in lib.papers(lib.ids(view="queue"))}
    low = next(i for i, p in queued.items() if p.priority == 0)
    one = next(i for i, p in queued.items() if p.priority == 1)
    top = next(i for i, p in queued.items() if p.priority == 2)
    assert lib.ahead_by_priority([top]) == ""
    assert lib.ahead_by_priority([999]) == ""
    assert lib.ahead_by_priority([one]) == (
        "Moved to the top of the papers of the same priority; 1 paper with a higher priority "
        "stays ahead in the queue (the queue puts higher priorities first).")
    assert lib.ahead_by_priority([top, low]) == (
        "Moved to the top of the papers of the same priority; 2 papers with a higher priority "
        "stay ahead in the queue (the queue puts higher priorities first).")


def test_import_history_and_status_history(lib):
    [entry] = lib.imports()
    assert entry["raw_text"] == "the paste" and entry["format"] == "test"
    [archived] = lib.ids(view="archived")
    assert [s for s, _at in lib.status_history(archived)] == ["queued", "archived"]


def test_for_you_puts_the_unread_first_each_part_by_score(lib):
    papers = {p.id: p for p in every(lib)}
    ranked = lib.for_you(lib.ids(view="all")).ids
    unread = [i for i in ranked if papers[i].status in ("queued", "reading")]
    done = [i for i in ranked if i not in unread]
    assert done and unread
    assert lib.ids(view="all", sort="for-you") == unread + done
    assert lib.ids(view="all", sort="for-you", limit=2) == unread[:2]
    queue = lib.for_you(lib.ids(view="queue")).ids
    assert lib.ids(view="foryou") == queue and set(queue) == set(expected(lib, "queue"))
    assert lib.ids(view="foryou", limit=1) == queue[:1]
    hits = lib.ids("robot", view="queue")
    assert lib.ids("robot", view="foryou", sort="for-you") == lib.for_you(hits).ids


def test_the_window_gets_queue_order_until_the_for_you_model_is_built(tmp_path):
    """The window sets `background`: it must not wait for a first model build."""
    with Library.open(tmp_path / "library", backup=False) as fresh:
        fresh.add(DRAFTS, raw_text="x", fmt="t")
        queue = fresh.ids(view="queue")
        jobs: list = []
        fresh.background = jobs.append  # the window's runner: work it would do later
        assert fresh.ids(view="foryou") == queue
        assert fresh.ids(view="foryou", limit=2) == queue[:2]
        fresh.background = None
        ranked = fresh.ids(view="foryou")
        assert ranked != queue and sorted(ranked) == sorted(queue)
        fresh.background = jobs.append
        assert fresh.ids(view="foryou") == ranked  # built: the window ranks too


def test_ids_may_come_from_any_iterable(lib):
    ids = lib.ids(view="all")
    assert [p.id for p in lib.papers(i for i in ids)] == ids
    top = max(lib.papers(ids), key=lambda p: p.priority).id
    assert lib.ahead_by_priority(i for i in [top]) == ""
    one = next(p.id for p in lib.papers(lib.ids(view="queue")) if p.priority == 1)
    assert lib.ahead_by_priority(i for i in [one]).startswith("Moved to the top")
