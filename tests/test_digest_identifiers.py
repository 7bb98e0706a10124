"""arXiv ids, DOIs and links: the helpers the rest of the app reuses."""

from __future__ import annotations

import pytest

from paperdeck.core.digest.identifiers import (
    find_arxiv_ids,
    find_dois,
    find_links,
    normalise_arxiv_id,
    normalise_doi,
    year_from_arxiv_id,
)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("2401.01234", ("2401.01234", None)),
        ("2401.01234v2", ("2401.01234", 2)),
        ("arXiv:2401.01234v3", ("2401.01234", 3)),
        ("https://arxiv.org/abs/2401.01234v2", ("2401.01234", 2)),
        ("http://arxiv.org/pdf/2401.01234v2.pdf", ("2401.01234", 2)),
        ("https://arxiv.org/pdf/2401.01234", ("2401.01234", None)),
        ("https://arxiv.org/html/2401.01234v1", ("2401.01234", 1)),
        ("arxiv.org/abs/2401.01234?context=cs", ("2401.01234", None)),
        ("https://huggingface.co/papers/2401.01234", ("2401.01234", None)),
        ("hep-th/9901001", ("hep-th/9901001", None)),
        ("hep-th/9901001v3", ("hep-th/9901001", 3)),
        ("https://arxiv.org/abs/math.GT/0309136", ("math/0309136", None)),
        ("0704.0001", ("0704.0001", None)),
        ("1501.00001", ("1501.00001", None)),
        ("1412.12345", ("", None)),  # five digits only from 2015 on
        ("0703.1234", ("", None)),  # before new-style ids existed
        ("2413.01234", ("", None)),  # month 13
        ("not an id", ("", None)),
        ("", ("", None)),
    ],
)
def test_normalise_arxiv_id(raw: str, want: tuple[str, int | None]) -> None:
    assert normalise_arxiv_id(raw) == want


def test_find_arxiv_ids_in_prose_in_order_without_versions() -> None:
    text = (
        "See arXiv:2401.01234v2 and https://arxiv.org/abs/2312.00752, also hep-th/9711200; "
        "again 2401.01234. Price 1999.12345 is not an id, nor is v1.2401.01234x."
    )
    assert find_arxiv_ids(text) == ["2401.01234", "2312.00752", "hep-th/9711200"]


def test_find_arxiv_ids_strict_mode_needs_context() -> None:
    assert find_arxiv_ids("costs 1203.4567 units", bare=False) == []
    assert find_arxiv_ids("arXiv: 1203.4567", bare=False) == ["1203.4567"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("doi:10.1038/s41586-021-03819-2.", ["10.1038/s41586-021-03819-2"]),
        ("https://doi.org/10.1109/CVPR.2016.90, and more", ["10.1109/CVPR.2016.90"]),
        ("(see 10.1016/S0550-3213(99)00123-4)", ["10.1016/S0550-3213(99)00123-4"]),
        ("DOI: 10.1145/3292500.3330701; 10.1145/3292500.3330701", ["10.1145/3292500.3330701"]),
        ("https://dl.acm.org/doi/pdf/10.1145/3292500.3330701", ["10.1145/3292500.3330701"]),
        ("10.1000/", []),
        ("version 10.2", []),
    ],
)
def test_find_dois(text: str, want: list[str]) -> None:
    assert find_dois(text) == want


def test_normalise_doi() -> None:
    assert normalise_doi("https://dx.doi.org/10.48550/arXiv.2401.01234") == ("10.48550/arXiv.2401.01234")
    assert normalise_doi("nothing here") == ""


def test_find_links_strips_trailing_punctuation_and_unbalanced_brackets() -> None:
    text = (
        "Code at https://github.com/a/b. Project (https://a.github.io/x/). "
        "[link](https://example.org/p_(x)) and https://example.org/q], "
        "ftp://no.example and https://github.com/a/b again; <https://x.org/y>"
    )
    assert find_links(text) == [
        "https://github.com/a/b",
        "https://a.github.io/x/",
        "https://example.org/p_(x)",
        "https://example.org/q",
        "https://x.org/y",
    ]


def test_year_from_arxiv_id() -> None:
    assert year_from_arxiv_id("2401.01234") == 2024
    assert year_from_arxiv_id("0704.0001") == 2007
    assert year_from_arxiv_id("hep-th/9901001") == 1999
    assert year_from_arxiv_id("cs/0101001") == 2001
    assert year_from_arxiv_id("") is None
