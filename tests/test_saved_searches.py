"""Saved searches: storage, live counts, rename, remove, reorder, and the dump carrying them."""

from __future__ import annotations

import io

import pytest

from paperdeck.core.errors import InputError, QueryError
from paperdeck.core.library import Library


def test_save_list_with_live_counts_and_reopen(lib, sample_text, data_dir):
    ids = lib.import_text(sample_text).ids
    lib.add_tags(ids[:4], ["robotics"])
    lib.save_search("Robots", "tag:robotics")
    lib.save_search("  Agents   to read ", "agent* status:queued")
    listed = lib.saved_searches()
    assert [(s.name, s.query) for s in listed] == [
        ("Robots", "tag:robotics"), ("Agents to read", "agent* status:queued")]
    assert listed[0].count == 4
    assert listed[1].count == len(lib.ids("agent* status:queued")) > 0
    lib.trash(ids[:1])  # the counts are live: the trash leaves the search
    assert lib.saved_searches()[0].count == 3
    lib.close()
    with Library.open(data_dir) as again:
        assert again.saved_query("robots") == "tag:robotics"  # names ignore case
        assert [s.name for s in again.saved_searches(counts=False)] == ["Robots", "Agents to read"]


def test_bad_queries_and_names_are_refused_and_nothing_is_saved(lib):
    with pytest.raises(QueryError, match="A range is not closed"):
        lib.save_search("Typo", "year:[2020 TO")
    with pytest.raises(QueryError, match="Unbalanced quote"):
        lib.save_search("Quote", '"chain of')
    with pytest.raises(InputError, match="needs a name"):
        lib.save_search("   ", "robots")
    with pytest.raises(InputError, match="needs a query"):
        lib.save_search("Empty", "  ")
    assert lib.saved_searches() == []


def test_saving_an_existing_name_replaces_its_query_in_place(lib):
    lib.save_search("A", "robots")
    lib.save_search("B", "language")
    lib.save_search("a", "robots OR drones")
    assert [(s.name, s.query) for s in lib.saved_searches(counts=False)] == [
        ("a", "robots OR drones"), ("B", "language")]


def test_rename_remove_and_reorder(lib):
    for name in ("one", "two", "three", "four"):
        lib.save_search(name, name)
    lib.rename_search("TWO", "Second")
    with pytest.raises(InputError, match="already a saved search named 'three'"):
        lib.rename_search("one", "three")
    lib.rename_search("one", "ONE")  # a change of case is a rename, not a clash
    lib.move_search("four", 0)
    lib.move_search("ONE", 99)
    assert [s.name for s in lib.saved_searches(counts=False)] == ["four", "Second", "three", "ONE"]
    lib.remove_search("three")
    with pytest.raises(InputError, match="No saved search named 'three'. Saved searches: four"):
        lib.saved_query("three")
    with pytest.raises(InputError, match="No saved search named 'x'"):
        lib.remove_search("x")
    assert [s.name for s in lib.saved_searches(counts=False)] == ["four", "Second", "ONE"]


def test_dump_and_load_carry_saved_searches_in_order(lib, tmp_path):
    lib.import_text("2401.00001\n2401.00002\n")
    lib.save_search("Zeta", "robots")
    lib.save_search("Alpha", "year:2024")
    out = io.StringIO()
    lib.dump(out)
    with Library.open(tmp_path / "copy") as other:
        other.load(out.getvalue().splitlines())
        assert [(s.name, s.query) for s in other.saved_searches(counts=False)] == [
            ("Zeta", "robots"), ("Alpha", "year:2024")]
        again = io.StringIO()
        other.dump(again)
    assert again.getvalue() == out.getvalue()


def test_names_are_at_most_80_characters_after_tidying(lib):
    lib.save_search("x" * 80, "robots")
    lib.save_search("  " + "y " * 40, "robots")  # 79 characters once its spaces are tidied
    with pytest.raises(InputError, match="at most 80 characters"):
        lib.save_search("z" * 81, "robots")
    with pytest.raises(InputError, match="at most 80 characters"):
        lib.rename_search("x" * 80, "w" * 81)
    assert [len(s.name) for s in lib.saved_searches(counts=False)] == [80, 79]


def test_save_returns_what_was_kept_and_rename_tidies_and_checks(lib):
    saved = lib.save_search("  Robots   to read ", "  robots  ")
    assert (saved.name, saved.query, saved.count) == ("Robots to read", "robots", None)
    lib.rename_search("robots TO READ", "  Robots,   later ")
    assert [s.name for s in lib.saved_searches(counts=False)] == ["Robots, later"]
    assert lib.saved_query("robots, later") == "robots"
    with pytest.raises(InputError, match="No saved search named 'nothing'"):
        lib.rename_search("nothing", "Something")
    assert [s.name for s in lib.saved_searches(counts=False)] == ["Robots, later"]


def test_each_change_leaves_the_library_checking_clean(lib):
    """A saved search's change is a write: the index follows it, or `check` would report
    the index behind the database."""
    lib.import_text("2401.00001\n")
    steps = [lambda: lib.save_search("a", "robots"), lambda: lib.save_search("b", "drones"),
             lambda: lib.rename_search("a", "c"), lambda: lib.move_search("b", 0),
             lambda: lib.remove_search("c")]
    for step in steps:
        step()
        assert lib.check() == []
    with pytest.raises(InputError, match="No saved search named 'gone'"):
        lib.move_search("gone", 0)
    assert [s.name for s in lib.saved_searches(counts=False)] == ["b"]


def test_moving_to_the_front_or_before_it_puts_first(lib):
    for name in ("one", "two", "three"):
        lib.save_search(name, name)
    lib.move_search("three", 0)
    assert [s.name for s in lib.saved_searches(counts=False)] == ["three", "one", "two"]
    lib.move_search("two", -4)
    assert [s.name for s in lib.saved_searches(counts=False)] == ["two", "three", "one"]
