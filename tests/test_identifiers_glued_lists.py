"""Identifiers glued by a comma or semicolon without a space, as spreadsheets, CSV exports
and hand-typed notes give them: each identifier is its own card. The oracle is the same
list written one identifier a line, which the parser has always read right."""

from __future__ import annotations

import pytest

from paperdeck.core.digest import identifiers_list, parse_digest
from paperdeck.core.digest.identifiers import find_dois


def _ids(text: str) -> list[tuple[str, str, int | None]]:
    return [(d.arxiv_id, d.doi, d.arxiv_version) for d in identifiers_list.parse(text)]


GLUED = [
    "10.1145/x,2401.01234",  # the shape of the bug report
    "10.1145/3292500.3330701,2401.01234v2",
    "10.1145/3292500.3330701,10.1109/CVPR.2016.90",
    "10.1145/3292500.3330701;arXiv:2401.01234",
    "10.1145/3292500.3330701,hep-th/9901001",
    "10.1145/3292500.3330701,https://arxiv.org/abs/2312.00752",
    "10.1038/s41586-021-03819-2,doi:10.1109/CVPR.2016.90;2305.18290",
]


@pytest.mark.parametrize("glued", GLUED)
def test_glued_identifiers_read_as_if_one_a_line(glued: str) -> None:
    one_a_line = glued.replace(",", "\n").replace(";", "\n")
    want = _ids(one_a_line)
    assert len(want) == one_a_line.count("\n") + 1  # the oracle itself sees every identifier
    assert _ids(glued) == want
    assert _ids(f"Reading list: {glued}.\n") == want


def test_a_csv_row_copied_from_a_spreadsheet() -> None:
    """A reading-list sheet exported as CSV: title, DOI, arXiv id per row."""
    text = ("title,doi,arxiv\n"
            "Deep Residual Learning,10.1109/CVPR.2016.90,1512.03385\n"
            "Highly accurate protein structure prediction,10.1038/s41586-021-03819-2,\n"
            "Mamba,,2312.00752\n")
    result = parse_digest(text)
    assert result.format == "identifiers"
    # a row is one paper: its DOI and arXiv id together, titled by its first cell
    assert [(d.title, d.doi, d.arxiv_id) for d in result.drafts] == [
        ("Deep Residual Learning", "10.1109/CVPR.2016.90", "1512.03385"),
        ("Highly accurate protein structure prediction", "10.1038/s41586-021-03819-2", ""),
        ("", "", "2312.00752")]


def test_punctuation_that_belongs_to_a_doi_stays() -> None:
    """Old Wiley DOIs hold a semicolon, and a comma followed by no identifier is no separator:
    the DOI is kept whole there."""
    assert find_dois("10.1002/(SICI)1097-0258(19980815/30)17:15/16;2-B") == [
        "10.1002/(SICI)1097-0258(19980815/30)17:15/16;2-B"]
    assert find_dois("10.1000/a,b,c and more") == ["10.1000/a,b,c"]


def test_an_old_style_id_inside_a_doi_after_a_new_one_is_no_id() -> None:
    """A DOI suffix can read like an old arXiv id ("physics/0123456"); with a new-style id
    later in the text, the digits inside the DOI still name no preprint."""
    text = "10.1088/physics/0123456, see also 2401.01234\n"
    assert _ids(text) == [("", "10.1088/physics/0123456", None), ("2401.01234", "", None)]
