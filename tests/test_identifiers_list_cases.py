"""Lists of identifiers as people paste them: reading lists, reference sections, notes."""

from __future__ import annotations

from paperdeck.core.digest import identifiers_list


def _ids(text: str) -> list[tuple[str, str, int | None, int | None]]:
    return [(d.arxiv_id, d.doi, d.arxiv_version, d.year) for d in identifiers_list.parse(text)]


def test_versions_are_kept_and_a_repeat_is_read_once() -> None:
    text = ("to read:\nhttps://arxiv.org/abs/2401.10020v2\narXiv:2312.00752v1\n"
            "2401.10020 (same as the first)\nhep-th/9711200v3\ndoi:10.48550/arXiv.2312.00752 (its DOI)\n")
    assert _ids(text) == [("2401.10020", "", 2, 2024), ("2312.00752", "", 1, 2023),
                          ("hep-th/9711200", "", 3, 1997)]


def test_digits_inside_a_doi_are_not_an_arxiv_id() -> None:
    """Old ACM DOIs read ``10.1145/NNNN.NNNN``, which is also the shape of an arXiv id."""
    text = "Valiant-style classics:\n10.1145/1409.1410\n10.1145/1409.1412\nand one preprint: 2401.10020\n"
    assert _ids(text) == [("", "10.1145/1409.1410", None, None), ("", "10.1145/1409.1412", None, None),
                          ("2401.10020", "", None, 2024)]


def test_a_publisher_prefix_alone_is_no_doi() -> None:
    """ "10.1145/," names a publisher, not a paper: it gives no empty draft."""
    text = "ACM DOIs start with 10.1145/, IEEE ones with 10.1109/.\nThis one: arXiv:2401.10020\n"
    assert _ids(text) == [("2401.10020", "", None, 2024)]


def test_numbers_shaped_like_ids_but_naming_no_month_score_nothing() -> None:
    """Order numbers such as 2024.00123 have the shape of a new-style id; month 24 does not exist."""
    assert identifiers_list.score("Order numbers:\n2024.00123\n2024.00124\n") == 0.0
    assert identifiers_list.score("") == 0.0


def test_the_score_grows_with_the_share_of_lines_holding_an_identifier() -> None:
    one_in_seven = ("Reading group, week 3\nWe meet on Friday\nBring questions\nRoom 4\nCoffee after\nNotes\n"
                    "2401.10020\n")
    assert identifiers_list.score(one_in_seven) == 0.293  # 0.25 + 0.3 / 7, to three decimals
    assert identifiers_list.score("2401.10020\n\n10.1145/1409.1410\n") == 0.55


def test_only_the_first_200000_characters_are_weighed() -> None:
    """A long note whose only identifier is cut by the end of the head scores nothing:
    "1409.321" is no id."""
    text = "x" * 199_991 + "\n1409.3215\n"
    assert text[199_992:200_000] == "1409.321"
    assert identifiers_list.score(text) == 0.0
    assert identifiers_list.score(text[1:]) == 0.4  # the whole id inside: one line of two
