"""arXiv list pages as browsers copy them: labels lost or alone on their lines, numbers
that are no entries, TeX in titles, a page with no section end after its last entry.
Variants of tests/samples/digests/arxiv-listpage-new-copied.txt and arxiv-list-recent-old.txt."""

from __future__ import annotations

from pathlib import Path

from paperdeck.core.digest import arxiv_listing, parse_digest

DIGESTS = Path(__file__).parent / "samples" / "digests"
COPIED = (DIGESTS / "arxiv-listpage-new-copied.txt").read_text(encoding="utf-8")
OLD = (DIGESTS / "arxiv-list-recent-old.txt").read_text(encoding="utf-8")

ABSTRACT = ("Normalization layers are ubiquitous in modern neural networks and have long been considered "
            "essential. This work demonstrates that Transformers without normalization can achieve the same "
            "or better performance using a remarkably simple technique.")


def test_an_empty_label_alone_then_labels_with_their_values() -> None:
    """A copy that puts an empty "Comments:" alone on its line and the next labels with their
    values: the abstract after them is still the abstract, not the empty label's value."""
    text = ("[1] arXiv:2503.10622\n [ pdf , html , other ]\nTitle:\n    Transformers without Normalization\n"
            "Jiachen Zhu , Xinlei Chen , Kaiming He\nComments:\n \n"
            "Subjects: Machine Learning (cs.LG) ; Artificial Intelligence (cs.AI)\n \n" + ABSTRACT + "\n")
    (d,) = arxiv_listing.parse(text)
    assert (d.title, d.authors, d.primary_class, d.abstract) == (
        "Transformers without Normalization", ["Jiachen Zhu", "Xinlei Chen", "Kaiming He"], "cs.LG", ABSTRACT)


def test_a_number_with_no_id_is_forgotten_by_the_next_line() -> None:
    """A numbered reference ("[5]" then its text) inside an entry: a later abstract line that
    starts with an id is abstract text, not a new entry numbered 5."""
    text = OLD.replace("Comments: 40 pages\n",
                       "Comments: 40 pages\n[5]\nsee also the erratum\narXiv:2101.09999 has the numerics\n")
    assert "[5]\nsee also the erratum\narXiv:2101.09999" in text
    def fields(t: str) -> list[tuple]:
        return [(d.arxiv_id, d.title, d.venue, d.primary_class) for d in arxiv_listing.parse(t)]
    assert fields(text) == fields(OLD)
    assert [f[0] for f in fields(OLD)] == ["2101.11015", "2101.10980", "hep-th/9711200"]
    assert fields(OLD)[1][2:] == ("Class. Quantum Grav. 38 (2021) 065012", "gr-qc")


def test_titles_without_their_label() -> None:
    """The current page hides its "Title:" descriptor, and some copies drop it: the first
    line under the entry is the title, even with every other field labelled or ending in a
    period; TeX accents read as letters, math stays TeX."""
    text = ("[1] arXiv:2503.10622 [pdf, other]\nTransformers without Normalization.\n"
            "Authors: Jiachen Zhu, Xinlei Chen\nSubjects: Machine Learning (cs.LG)\n"
            "[2] arXiv:2503.10633 [pdf]\nTitle: Schr\\\"odinger Bridges for $\\mathcal{N}=4$   Gauge Theory\n"
            "Authors: Ana Garc\\'ia\nSubjects: High Energy Physics - Theory (hep-th)\n")
    assert [(d.title, d.authors) for d in arxiv_listing.parse(text)] == [
        ("Transformers without Normalization.", ["Jiachen Zhu", "Xinlei Chen"]),
        ("Schrödinger Bridges for $\\mathcal{N}=4$ Gauge Theory", ["Ana García"]),
    ]


def test_a_page_with_no_end_after_its_last_entry_keeps_500_lines() -> None:
    """A saved page whose last entry runs into hundreds of lines of other text: the entry
    reads its first 500 lines and no more, so a huge paste stays bounded."""
    lines = [f"Line {k:03d} of a long appendix that somebody pasted below the listing page, wrapped at eighty"
             for k in range(1, 601)]
    text = "[1] arXiv:2503.10622 [pdf]\nTitle: Transformers without Normalization\n" + "\n".join(lines) + "\n"
    (d,) = arxiv_listing.parse(text)
    assert d.abstract == " ".join(lines[:499])  # the title's line is the first of the 500
    assert parse_digest(text).drafts[0].title == "Transformers without Normalization"


def test_a_wrapped_title_stops_at_a_titles_length() -> None:
    """A copy where hundreds of short lines follow "Title:" (a page's link list pasted
    under an entry): the title keeps its wrapped lines up to the longest title a digest
    accepts, and no further; the rest is not taken for the title."""
    wrapped = "[1] arXiv:2503.10622\nTitle: Transformers without\n   Normalization\nAuthors: Jiachen Zhu\n"
    (d,) = arxiv_listing.parse(wrapped)
    assert d.title == "Transformers without Normalization"
    lines = [f"menu item {n}" for n in range(300)]
    (d,) = arxiv_listing.parse("[1] arXiv:2503.10622\nTitle: Transformers without Normalization\n"
                               + "\n".join(lines) + "\n")
    assert d.title.startswith("Transformers without Normalization menu item 0 menu item 1 ")
    assert 280 <= len(d.title) <= 300
    kept = d.title.removeprefix("Transformers without Normalization ")
    assert kept == " ".join(lines[:kept.count("menu item")])
