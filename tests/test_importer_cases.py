"""Importing drafts into a real library (core/importer.py through `Library`): which papers
count as already there, what the new rows hold, and what the user is told about keys."""

from __future__ import annotations

import pytest

from paperdeck.core import importer
from paperdeck.core.errors import InputError
from paperdeck.core.importer import PreviewItem
from paperdeck.core.library import Library
from paperdeck.core.models import Draft


@pytest.fixture
def lib(data_dir):
    """A library without the daily backup (nothing here is about backups)."""
    library = Library.open(data_dir, backup=False)
    yield library
    library.close()


def add(lib: Library, *drafts: Draft) -> list[int]:
    return lib.add(list(drafts), raw_text="pasted", fmt="test")


# -- duplicates: the library, the paste itself, versions --------------------------------

def test_repeats_within_a_paste_name_their_first_occurrence(lib):
    items = lib.preview([Draft(title="Alpha paper"), Draft(title="Beta paper", doi="10.1/X"),
                         Draft(title="Alpha paper"), Draft(title="Gamma", doi="10.1/x"),
                         Draft(title="alpha PAPER!")], fuzzy=False)
    assert [i.verdict for i in items] == ["new", "new", "duplicate", "duplicate", "duplicate"]
    # items are numbered from 1 as the user sees them; a third copy still names the first
    assert items[2].reason == "repeated in this paste (item 1)"
    assert items[3].reason == "repeated in this paste (item 2)"
    assert items[4].reason == "repeated in this paste (item 1)"
    assert [i.selected_by_default for i in items] == [True, True, False, False, False]


def test_untitled_papers_with_different_identifiers_are_not_duplicates(lib):
    """Identifier lists give papers without titles: an empty title matches nothing."""
    [pid] = add(lib, Draft(arxiv_id="2401.00001"))
    items = lib.preview([Draft(doi="10.5555/other"), Draft(arxiv_id="2401.00002"),
                         Draft(arxiv_id="2401.00001")], fuzzy=False)
    assert [i.verdict for i in items] == ["new", "new", "duplicate"]
    assert items[2].match_id == pid and items[2].reason == "same arXiv id"


def test_a_paper_in_the_trash_is_no_duplicate(lib):
    [pid] = add(lib, Draft(title="Binned away", doi="10.1/bin"))
    lib.trash([pid])
    [item] = lib.preview([Draft(title="Binned away", doi="10.1/bin")])
    assert item.verdict == "new" and item.match_id is None


def test_a_doi_duplicate_names_the_paper_and_keeps_its_reason(lib):
    [pid] = add(lib, Draft(title="Stored", doi="10.1/abc", arxiv_id="2401.00003", arxiv_version=1))
    [item] = lib.preview([Draft(title="Other words", doi="10.1/ABC", arxiv_version=4)])
    assert (item.verdict, item.match_id, item.reason) == ("duplicate", pid, "same DOI")


@pytest.mark.parametrize("pasted, version, verdict", [
    ("2401.01234", 3, "newer-version"),
    ("2401.01234v3", None, "newer-version"),  # the version still written in the id
    ("2401.01234", 2, "duplicate"),  # the same version
    ("2401.01234", 1, "duplicate"),  # an older one
    ("2401.01234", None, "duplicate"),  # no version named
])
def test_a_higher_arxiv_version_than_stored_is_a_newer_version(lib, pasted, version, verdict):
    [pid] = add(lib, Draft(title="Versioned", arxiv_id="2401.01234v2"))
    assert lib.get(pid).arxiv_version == 2
    [item] = lib.preview([Draft(title="Versioned", arxiv_id=pasted, arxiv_version=version)])
    assert (item.verdict, item.match_id) == (verdict, pid)
    if verdict == "newer-version":
        assert item.reason == "newer arXiv version (v3, you have v2)"


def test_a_stored_paper_without_a_version_is_never_outdated(lib):
    [pid] = add(lib, Draft(title="Unversioned", arxiv_id="2401.05555"))
    [item] = lib.preview([Draft(title="Unversioned", arxiv_id="2401.05555v7")])
    assert (item.verdict, item.reason) == ("duplicate", "same arXiv id")


def test_accepting_newer_versions_records_only_those_items(lib):
    ids = add(lib, Draft(title="One", arxiv_id="2401.00011v1"),
              Draft(title="Two", arxiv_id="2401.00012v1"), Draft(title="Three", arxiv_id="2401.00013"))
    items = lib.preview([Draft(title="One", arxiv_id="2401.00011v2"),
                         Draft(title="Two", arxiv_id="2401.00012v1"),
                         Draft(title="Fresh", arxiv_id="2401.00099v5")])
    assert [i.verdict for i in items] == ["newer-version", "duplicate", "new"]
    # a paper stored without a version takes the one the user accepted
    by_hand = PreviewItem(Draft(arxiv_id="2401.00013v4"), importer.NEWER_VERSION, ids[2])
    no_match = PreviewItem(Draft(arxiv_id="2401.00014v4"), importer.NEWER_VERSION, None)
    no_version = PreviewItem(Draft(arxiv_id="2401.00012"), importer.NEWER_VERSION, ids[1])
    lib.accept_newer_versions([*items, by_hand, no_match, no_version])
    assert [p.arxiv_version for p in lib.papers(ids)] == [2, 1, 4]
    assert lib.undo_label() == "note newer arXiv version of 2 papers"
    assert lib.counts()["all"] == 3
    lib.undo()
    assert [p.arxiv_version for p in lib.papers(ids)] == [1, 1, None]
    lib.accept_newer_versions([items[0]])
    assert lib.undo_label() == "note newer arXiv version of 1 paper"
    assert lib.get(ids[0]).arxiv_version == 2


def test_a_version_already_recorded_is_not_recorded_again(lib):
    [pid] = add(lib, Draft(title="Up to date", arxiv_id="2401.00021v5"))
    stale = PreviewItem(Draft(arxiv_id="2401.00021v5"), importer.NEWER_VERSION, pid)
    lib.accept_newer_versions([stale])
    assert lib.undo_label() == "import 1 paper"  # nothing to note: nothing recorded
    assert lib.get(pid).arxiv_version == 5


def test_fuzzy_matching_uses_the_title_s_longest_word(lib):
    """Candidates are the papers sharing the draft's longest word; a short word the stored
    title lacks ("q") must not decide which papers are compared."""
    [pid] = add(lib, Draft(title="Diffusion Policies for Robot Manipulation"))
    [item] = lib.preview([Draft(title="Diffusion Policies for Robot Manipulation q")])
    assert (item.verdict, item.match_id) == ("similar", pid)
    assert item.reason == f"similar title ({item.score:.0f}%)" and 90 <= item.score < 100
    [exact] = lib.preview([Draft(title="Diffusion policies for robot manipulation")])
    assert exact.verdict == "duplicate"  # an exact title is a duplicate, not "similar"


def test_fuzzy_threshold_is_ninety_percent_inclusive(lib):
    """Two ten-letter titles one letter apart are 2*9/20 = 90 % alike: similar; two
    letters apart (80 %) they are not."""
    [pid] = add(lib, Draft(title="Grasping B"))
    [item] = lib.preview([Draft(title="Grasping A")])
    assert (item.verdict, item.match_id, item.score) == ("similar", pid, 90.0)
    assert item.reason == "similar title (90%)"
    [far] = lib.preview([Draft(title="Grasping CD")])
    assert far.verdict == "new" and far.match_id is None


def test_fuzzy_matching_only_when_asked_and_never_against_the_trash(lib):
    [pid] = add(lib, Draft(title="Chain of Thought Prompting Elicits Reasoning in Large Language Models"))
    draft = Draft(title="Chain-of-Thought Prompting Elicits Reasoning in Large Language Model")
    assert lib.preview([draft], fuzzy=False)[0].verdict == "new"
    assert lib.preview([draft])[0].verdict == "similar"
    lib.trash([pid])
    assert lib.preview([draft])[0].verdict == "new"


def test_fuzzy_preview_of_an_empty_library_finds_nothing(lib):
    items = lib.preview([Draft(title="Anything at all"), Draft(doi="10.1/no-title")])
    assert [(i.verdict, i.match_id, i.score) for i in items] == [("new", None, 0.0)] * 2


def test_fuzzy_candidates_are_bounded_to_200_papers(lib):
    """Only the first 200 papers sharing the word are compared (a bounded cost): a
    near-twin stored after 200 others with that word (last by id and by title) is not
    looked at."""
    add(lib, *[Draft(title=f"Zebrafishes aa {i:03d}") for i in range(200)],
        Draft(title="Zebrafishes zz swimming"))
    draft = Draft(title="Zebrafishes zz swimmin")
    assert lib.preview([draft])[0].verdict == "new"
    lib.trash([1])  # one fewer candidate before it: now the twin is among the 200
    [item] = lib.preview([draft])
    assert (item.verdict, item.match_id) == ("similar", 201)


# -- the rows an import writes ---------------------------------------------------------

def test_ids_of_papers_deleted_for_good_are_never_given_again(lib):
    ids = add(lib, Draft(title="Kept"), Draft(title="Purged one"), Draft(title="Purged two"))
    lib.trash(ids[1:])
    assert lib.empty_trash() == 2
    [new] = add(lib, Draft(title="After the purge"))
    assert new > max(ids)
    [newer] = add(lib, Draft(title="And another"))
    assert newer == new + 1


def test_imports_go_to_the_end_of_the_queue_in_paste_order(lib):
    first = add(lib, Draft(title="A"), Draft(title="B"))
    lib.move([first[1]], to="top")
    second = add(lib, Draft(title="C"), Draft(title="D"), Draft(title="E"))
    assert lib.ids(view="queue") == [first[1], first[0], *second]
    positions = [p.position for p in lib.papers(lib.ids(view="queue"))]
    assert positions == sorted(positions) and len(set(positions)) == 5


def test_each_import_is_recorded_with_its_counts(lib):
    lib.add([Draft(title="X"), Draft(title="Y")], raw_text="first paste", fmt="bibtex",
            source="a.bib", found=5, duplicates=3)
    lib.add([Draft(title="Z")], raw_text="second paste", fmt="ris")
    second, first = lib.imports()
    assert (first["raw_text"], first["format"], first["source"]) == ("first paste", "bibtex", "a.bib")
    assert (first["found"], first["imported"], first["duplicates"]) == (5, 2, 3)
    assert (second["found"], second["imported"], second["duplicates"]) == (1, 1, 0)
    assert second["id"] != first["id"]
    assert {p.import_id for p in lib.papers(lib.ids(view="all"))} == {first["id"], second["id"]}


def test_the_undo_label_counts_the_papers(lib):
    add(lib, Draft(title="Only"))
    assert lib.undo_label() == "import 1 paper"
    add(lib, Draft(title="One"), Draft(title="Two"))
    assert lib.undo_label() == "import 2 papers"
    assert lib.add([], raw_text="", fmt="test") == []
    assert lib.undo_label() == "import 2 papers"  # nothing to add: nothing recorded


def test_reading_state_brought_along_is_kept_within_bounds(lib):
    ids = add(lib, Draft(title="Read elsewhere", status="read", priority=7,
                         added_at="2023-01-12T10:22:31Z"),
              Draft(title="Odd status", status="finished", priority=-2),
              Draft(title="Plain", priority=0),
              Draft(title="Top", priority=3, added_at="not a date"))
    read, odd, plain, top = lib.papers(ids)
    assert (read.status, read.priority, read.added_at) == ("read", 3, "2023-01-12T10:22:31+00:00")
    assert read.started_at is None and read.finished_at is None  # no reading dates invented
    assert [s for s, _ in lib.status_history(read.id)] == ["read"]
    assert (odd.status, odd.priority) == ("queued", 0)
    assert plain.priority == 0 and top.priority == 3
    assert top.added_at and top.added_at != "not a date" and top.added_at == top.updated_at


def test_an_arxiv_version_is_stored_only_with_an_arxiv_id(lib):
    ids = add(lib, Draft(title="Named", arxiv_id="arXiv:2402.00001v4"),
              Draft(title="Orphan version", arxiv_version=3, doi="10.1/orphan"))
    named, orphan = lib.papers(ids)
    assert (named.arxiv_id, named.arxiv_version) == ("2402.00001", 4)
    assert (orphan.arxiv_id, orphan.arxiv_version) == ("", None)


def test_tags_of_the_import_and_of_the_paste_are_joined_once(lib):
    [pid] = lib.add([Draft(title="Tagged", tags=["robots", " Robots ", "a,b", "   ", "vision"])],
                    raw_text="x", fmt="test", tags=["robots", "digest"])
    assert sorted(t.lower() for t in lib.get(pid).tags) == ["digest", "robots", "vision"]


def test_a_bad_import_tag_fails_before_anything_is_written(lib):
    with pytest.raises(InputError, match="comma"):
        lib.add([Draft(title="Never stored")], raw_text="x", fmt="test", tags=["ok", "a,b"])
    assert lib.counts()["all"] == 0 and lib.imports() == [] and lib.undo_label() is None


# -- citation keys pasted along ---------------------------------------------------------

def test_pasted_keys_kept_or_replaced_and_why(lib):
    [holder] = add(lib, Draft(title="Holder", citekey="held2020"))
    [binned] = add(lib, Draft(title="Binned", citekey="binned2021"))
    lib.trash([binned])
    report = lib.import_text(
        "@article{Held2020, title={First}, author={Doe, Jane}, year={2020}}\n"
        "@article{binned2021, title={Second}, author={Roe, Rick}, year={2021}}\n"
        "@article{twice2022, title={Third}, author={Poe, Edgar}, year={2022}}\n"
        "@article{twice2022, title={Fourth}, author={Moe, Max}, year={2022}}\n"
        "@article{kept2023, title={Fifth}, author={Loe, Lou}, year={2023}}\n"
        "@article{, title={Sixth}, author={Zoe, Zed}, year={2024}}\n")
    keys = {p.title: p.citekey for p in lib.papers(report.ids)}
    assert keys["Third"] == "twice2022" and keys["Fifth"] == "kept2023"
    assert report.rekeyed == [
        ("Held2020", keys["First"], f"paper {holder} has it"),
        ("binned2021", keys["Second"],
         f"paper {binned} in the trash has it (empty the trash, then rekey)"),
        ("twice2022", keys["Fourth"], "another paper in this paste has it"),  # not "paper 5"
    ]
    assert len({k.lower() for k in keys.values()} | {"held2020", "binned2021"}) == 8


def test_rekeyed_reports_a_key_stored_differently_from_the_paste(lib):
    """Straight on the store, as Library.import_text calls it after the insert."""
    ids = add(lib, Draft(title="Spaced key", citekey="bad key"), Draft(title="Fine", citekey="fine1"),
              Draft(title="Unkeyed"))
    drafts = [Draft(citekey=" bad key "), Draft(citekey="fine1"), Draft(citekey="")]
    [(pasted, stored, why)] = importer.rekeyed(lib.store, drafts, ids)
    assert (pasted, why) == ("bad key", "it has characters LaTeX cannot cite")
    assert stored == lib.get(ids[0]).citekey and " " not in stored


def test_report_as_json_names_every_count(lib):
    add(lib, Draft(title="Had it", arxiv_id="2401.00001"))
    report = lib.import_text("arXiv:2401.00001\narXiv:2401.00002\n")
    assert report.as_json() == {
        "format": "identifiers", "found": 2, "imported": 1, "duplicates": 1,
        "ids": [2], "broken": [], "rekeyed": []}


def test_a_repeat_within_the_paste_is_named_before_the_library_is_asked(lib):
    """A draft repeating an earlier one's arXiv id is "repeated in this paste", even when
    its DOI names a library paper: the first occurrence is what the user compares with."""
    add(lib, Draft(title="Stored long ago", doi="10.1/stored"))
    items = lib.preview([Draft(title="First", arxiv_id="2403.00001"),
                         Draft(title="Second", arxiv_id="2403.00001", doi="10.1/stored")])
    assert [(i.verdict, i.match_id, i.reason) for i in items] == [
        ("new", None, ""), ("duplicate", None, "repeated in this paste (item 1)")]


def test_classify_looks_for_look_alikes_only_when_asked(lib):
    [pid] = add(lib, Draft(title="Grasping B"))
    [plain] = importer.classify(lib.store, [Draft(title="Grasping A")])
    assert (plain.verdict, plain.match_id) == ("new", None)
    [fuzzy] = importer.classify(lib.store, [Draft(title="Grasping A")], fuzzy=True)
    assert (fuzzy.verdict, fuzzy.match_id) == ("similar", pid)


def test_a_title_of_punctuation_only_is_new_and_matches_nothing(lib):
    add(lib, Draft(title="Something real"), Draft(title="!!!"))
    [item] = lib.preview([Draft(title="???")])
    assert (item.verdict, item.match_id) == ("new", None)


def test_a_paper_stored_without_a_version_takes_even_version_one(lib):
    [pid] = add(lib, Draft(title="No version yet", arxiv_id="2401.00031"))
    lib.accept_newer_versions([PreviewItem(Draft(arxiv_id="2401.00031v1"), importer.NEWER_VERSION, pid)])
    assert lib.get(pid).arxiv_version == 1


def test_import_tags_are_stored_cleaned(lib):
    [pid] = lib.add([Draft(title="Tag me")], raw_text="x", fmt="test", tags=["  Spaced \t  tag "])
    assert lib.get(pid).tags == ["Spaced tag"] and lib.tags() == [("Spaced tag", 1)]


def test_imports_are_numbered_as_sqlite_numbers_rows(lib):
    """1, 2, 3...: what an INTEGER PRIMARY KEY left to SQLite would get (the dump shows them)."""
    for n in range(3):
        add(lib, Draft(title=f"Import {n}"))
    assert [row["id"] for row in lib.imports()] == [3, 2, 1]
    assert [p.import_id for p in lib.papers([1, 2, 3])] == [1, 2, 3]
