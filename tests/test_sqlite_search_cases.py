"""The SQLite fallback (sqlite_search) leaf by leaf, on a small library, against a
reference built another way: plain positional Whoosh (search_oracle). Each query names
one kind of leaf (word, phrase, typo, prefix, wildcard, range, year, identifier, tag,
status) or operator, so a wrong answer points at its line. The wide differential over
generated papers is test_search_fallback.py."""

from __future__ import annotations

import pytest

from paperdeck.core.library import Library
from paperdeck.core.models import Draft
from search_oracle import Reference, papers_of


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    library = Library.open(tmp_path_factory.mktemp("sqlite-cases") / "library", backup=False)
    library.add([Draft(title="Robot arms", abstract="chain of thought", authors=["Ada Lovelace"])],
                raw_text="x", fmt="t")
    yield library
    library.close()


def fallback(lib: Library, text: str) -> list[int]:
    """The fallback's answer, as a search gets it while the index is rebuilding."""
    lib.index.mirror.catch_up()
    return lib.index.sqlite.search(lib.index.index.parse(text))


@pytest.mark.parametrize("text", ["\x00*", "title:ro\x00*", "robot\x00*"])
def test_a_nul_in_a_prefix_finds_nothing_as_in_the_index(lib, text):
    """FTS5 reads a query string only up to a NUL: it was an OperationalError."""
    assert lib.index.index.search(text) == []
    assert fallback(lib, text) == []


PAPERS = [
    Draft(title="Robot arms that learn", abstract="A chain of thought for robots.",
          authors=["Ada Lovelace"], year=2020, arxiv_id="2401.01234", doi="10.1000/ABC.1"),
    Draft(title="Robotic manipulation", abstract="Manipulation of objects; the language of arms.",
          authors=["Bo An", "Will May"], year=2018, arxiv_id="2401.05678"),
    Draft(title="Language model agents", abstract="Agents that chain tools.",
          authors=["Grace Hopper"], year=2022, doi="10.1000/xyz.2"),
    Draft(title="Chain of thought prompting", abstract="Thought, then a chain of steps.",
          authors=["Jason Wei"], year=2021, arxiv_id="2201.11903"),
    Draft(title="Zebra gaits", abstract="", authors=[], year=None),
    Draft(title="Swarms in the trash", abstract="robots everywhere", year=2019),
]

QUERIES = [
    # words, in a field and across the default fields
    "robot", "title:robot", "authors:lovelace", "abstract:chain", "notes:robot", "of",
    # phrases: two words, three words, with slop, of stop words only
    '"chain of thought"', '"language model agents"', '"thought chain"~3', '"of the"',
    'title:"robot arms"', 'abstract:"chain of thought"', 'abstract:"thought chain"~2',
    # typos, prefixes, wildcards, every word of a field, ranges of words
    "manipulaiton~", "robtos~2", "title:lnguage~", "rob*", "title:ag*", "r?bot*", "title:*",
    "title:[a TO c]", "title:{chain TO robot]", "title:[robot TO]", "title:[TO b}", "title:r?bot",
    # years
    "year:2020", "year:>2020", "year:>=2020", "year:<2021", "year:<=2021",
    "year:[2019 TO 2021]", "year:{2018 TO 2022}", "year:[2020 TO]", "year:[TO 2020}",
    # identifiers: whole values, no typos
    "arxiv:2401.01234", "arxiv:2401*", "arxiv:2401.0?234", "arxiv:*", "doi:10.1000/abc.1",
    "doi:10.1000/ABC.1~", "doi:10.1000*", "arxiv:2401.0123",
    "arxiv:[2401 TO 2402]", "arxiv:{2401.01234 TO 2401.05678]", "doi:[10 TO 11]", "doi:[10.1000/xyz TO]",
    # tags and status inside a search
    "robot tag:robotics", "tag:robo* robot", "tag:robotcs~ arms", "status:read OR zebra",
    "robot status:queued", "tag:[a TO c]", "tag:[q TO s]",
    # every paper
    "*", "*:*", "NOT *:*",
    # operators
    "robot AND arms", "robot OR zebra", "robot NOT arms", "NOT robot", "robot ANDNOT chain",
    "robot ANDMAYBE chain", "zebra ANDMAYBE robot", "robot REQUIRE chain", "zebra AND robot",
    "(robot OR agents) AND NOT (chain OR zebra)",
]


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlite-leaves")
    library = Library.open(folder / "library", backup=False)
    ids = library.add(PAPERS, raw_text="x", fmt="t")
    library.add_tags(ids[:2], ["Robotics"])
    library.add_tags(ids[2:3], ["agents"])
    library.set_status([ids[1], ids[4]], "read")
    library.update(ids[2], notes="Robots again, in the notes.")
    library.trash([ids[5]])
    reference = Reference.build(papers_of(library), folder / "reference")
    yield library, reference
    reference.close()
    library.close()


@pytest.mark.parametrize("text", QUERIES)
def test_each_leaf_answers_as_plain_whoosh(cases, text):
    library, reference = cases
    got = fallback(library, text)
    assert set(got) == reference.ids(text)
    assert got == [i for i in library.ids(view="all", sort="queue") if i in set(got)]


def test_the_fallback_follows_papers_added_after_its_first_search(tmp_path):
    """Its queue and its vocabulary are kept between searches (someone typing): an import
    between two searches must show in both."""
    library = Library.open(tmp_path / "library", backup=False)
    try:
        [robot] = library.add([Draft(title="Robot arms")], raw_text="x", fmt="t")
        assert fallback(library, "title:q?okka") == [] and fallback(library, "robot") == [robot]
        [quokka] = library.add([Draft(title="Quokka sightings")], raw_text="y", fmt="t")
        assert fallback(library, "title:q?okka") == [quokka]  # a word stored since
        assert fallback(library, "quokka OR robot") == [robot, quokka]
    finally:
        library.close()


def test_a_wildcard_over_hundreds_of_words_finds_each(tmp_path):
    """FTS5 gets the words a wildcard stands for 200 at a time: none is lost between."""
    library = Library.open(tmp_path / "library", backup=False)
    try:
        ids = library.add([Draft(title=f"Gait w{i:03d}") for i in range(450)], raw_text="x", fmt="t")
        assert fallback(library, "title:w?*") == ids
    finally:
        library.close()


def test_trees_the_parser_does_not_make_today(cases):
    """The evaluator takes any Whoosh tree: a year's Every is every paper with a year; a
    leaf it has no SQLite answer for is refused, never answered as nothing."""
    library, _reference = cases
    from whoosh import query as wq

    library.index.mirror.catch_up()
    with_year = [i for i in library.ids(view="all", sort="queue") if library.get(i).year is not None]
    assert library.index.sqlite.search(wq.Every("year")) == with_year and len(with_year) == 4
    with pytest.raises(NotImplementedError):
        library.index.sqlite.search(wq.Regex("title", "rob.*"))
