"""A search in the Trash view finds the papers in the trash, as the index would find them
outside it; other views never show them."""

from __future__ import annotations

import pytest

from paperdeck.core.errors import QueryError
from paperdeck.core.library import Library
from paperdeck.core.models import Draft

QUERIES = ["robot", "skill*", '"language model"', "model NOT transformer", "robtos~",
           "title:learning", "year:[2020 TO 2025]", "tag:digest robot", "status:queued",
           "learning OR planning", "authors:zhang"]


@pytest.fixture
def lib2(tmp_path, sample_text):
    lib = Library.open(tmp_path / "lib")
    lib.import_text(sample_text, tags=["digest"])
    names = ["Wei Zhang", "Ada Lovelace", "Bo An", "Maria Garcia"]
    drafts = [Draft(title=f"Robot planning study {i}", abstract="A language model plans.",
                    authors=[names[i % 4], names[(i + 1) % 4]], year=2015 + i,
                    doi=f"10.1000/x{i}" if i % 2 else "") for i in range(12)]
    lib.add(drafts, raw_text="generated", fmt="test", tags=["digest"])
    yield lib
    lib.close()


def test_trash_search_answers_as_the_index_did_before_trashing(lib2):
    # the oracle: the main index's answers while the papers were outside the trash
    all_ids = lib2.ids(view="all")
    trashed = set(all_ids[::3])
    before = {q: lib2.ids(q, view="all") for q in QUERIES}
    assert all(before.values())
    lib2.trash(sorted(trashed))
    for q in QUERIES:
        expected = [i for i in before[q] if i in trashed]
        assert sorted(lib2.ids(q, view="trash")) == sorted(expected), q
        assert not set(lib2.ids(q, view="all")) & trashed, q
        assert not set(lib2.ids(q, view="queue")) & trashed, q


def test_trash_search_ranks_like_the_index(lib2):
    ranked = lib2.ids("robot learning", view="all")
    lib2.trash(lib2.ids(view="all"))
    assert lib2.ids("robot learning", view="trash") == ranked


def test_trash_search_follows_edits_and_restores(lib2):
    pid = lib2.ids("robot")[0]
    assert lib2.ids("robot", view="trash") == []
    lib2.trash([pid])
    assert lib2.ids("robot", view="trash") == [pid]
    lib2.update(pid, title="Quokka sightings")
    assert lib2.ids("quokka", view="trash") == [pid]
    lib2.restore([pid])
    assert lib2.ids("quokka", view="trash") == []
    assert lib2.ids("quokka") == [pid]


def test_trash_search_reports_a_malformed_query(lib2):
    lib2.trash(lib2.ids("robot")[:1])
    with pytest.raises(QueryError):
        lib2.ids("\"robot", view="trash")  # an unclosed quote


def test_a_closed_trash_index_says_it_is_not_open():
    """A MemoryIndex has no files to reopen: once closed, a search is refused as Whoosh's
    IndexError, not answered from a missing index nor tried on disk."""
    from whoosh import index as windex

    from paperdeck.core.search import IndexDoc
    from paperdeck.core.trash_search import MemoryIndex

    empty = dict.fromkeys(("title", "abstract", "authors", "notes", "arxiv_id", "doi"), "")
    index = MemoryIndex([IndexDoc(**{**empty, "id": 7, "year": None, "title": "Robot arms"})])
    assert index.search("robot") == [7]
    index.close()
    with pytest.raises(windex.IndexError, match="not open"):
        index.search("robot")


def test_the_trash_index_is_built_once_per_state_of_the_trash():
    """Searching the trash again, while nothing in it changed, reuses its index."""
    from paperdeck.core.search import IndexDoc
    from paperdeck.core.trash_search import TrashSearch

    empty = dict.fromkeys(("title", "abstract", "authors", "notes", "arxiv_id", "doi"), "")
    reads = []

    def docs():
        reads.append(1)
        return [IndexDoc(**{**empty, "id": 7, "year": None, "title": f"Robot arms {len(reads)}"})]

    trash = TrashSearch()
    first = trash.index_for(((7, 1),), docs)
    assert trash.index_for(((7, 1),), docs) is first and len(reads) == 1
    second = trash.index_for(((7, 2),), docs)  # the paper's text changed
    assert second is not first and len(reads) == 2 and second.search("robot") == [7]
    assert trash.index_for(((7, 2),), docs) is second and len(reads) == 2
