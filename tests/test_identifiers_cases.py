"""core/digest/identifiers.py at its edges, with identifiers as people copy them: DOIs out
of publisher and resolver links (percent-encoded, with query strings, pointing at a PDF),
arXiv ids at the start of a text, with versions, after a distant "arXiv:", the year pivot
of old ids, links too long or with no real host, and redirects nested past the limit."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from paperdeck.core.digest.identifiers import (
    doi_url,
    find_arxiv_ids,
    find_dois,
    find_links,
    iter_old_ids,
    normalise_arxiv_id,
    paper_url,
    unwrap_redirect,
    year_from_arxiv_id,
)

BOUND = 2048  # characters of the longest link or DOI read (written out: the test must not
# follow the module's constant if it changes by mistake)
SICI = "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O"


@pytest.mark.parametrize("text, want", [
    (f"https://doi.org/{quote(SICI, safe='/:;')}", [SICI]),  # %28 %29 %3C %3E, every one read
    ("https://doi.org/10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-O", [SICI]),
    ("see doi:10.1000/182.", ["10.1000/182"]),
    ("https://doi.org/10.1145/3292500.3330701?casa_token=abc&x=1", ["10.1145/3292500.3330701"]),
    ("https://example.org/doi/10.1145/3292500&rel=1", ["10.1145/3292500"]),
    ("https://dl.example.org/10.1145/3292500.3330701/fulltext.pdf", ["10.1145/3292500.3330701"]),
    ("https://dl.example.org/10.1145/3292500/paper.html.", ["10.1145/3292500"]),
    ("10.1145/3292500.pdf", ["10.1145/3292500.pdf"]),  # one slash: the name may be the DOI's own
    ("https://doi.org/10.1145/?page=2", []),  # a prefix with nothing after it
    ("10.1000/ABC and 10.1000/abc", ["10.1000/ABC"]),  # DOIs are case-insensitive
])
def test_dois_as_links_and_text_carry_them(text, want):
    assert find_dois(text) == want


def test_a_doi_longer_than_any_real_one_is_cut_at_the_bound():
    assert find_dois("10.1000/" + "a" * 3000) == ["10.1000/" + "a" * (BOUND - len("10.1000/"))]


@pytest.mark.parametrize("text", [
    "https://doi.org/10.1145/3442188.3445922/", "https://dl.acm.org/doi/10.1145/3442188.3445922/?x=1",
    "doi 10.1145/3442188.3445922/.", "(https://doi.org/10.1145/3442188.3445922/)",
])
def test_a_doi_link_with_a_closing_slash_keeps_its_doi(text):
    """The slash a browser or a site adds to a link's end is not the DOI's (it was: the
    DOI was dropped whole, read as a prefix with nothing after it)."""
    assert find_dois(text) == ["10.1145/3442188.3445922"]
    assert find_dois(text.replace("3442188.3445922/", "")) == []  # only the prefix: none


def test_a_doi_of_a_publishers_pdf_ending_a_sentence_or_in_brackets():
    assert find_dois("Read 10.1234/jour.5/paper.pdf. Then") == ["10.1234/jour.5"]
    assert find_dois("(see 10.1234/jour.5/paper.pdf)") == ["10.1234/jour.5"]


def test_an_arxiv_link_whose_query_string_names_the_id_again():
    """The first marker found decides (`/pdf/`); a later one (`arxiv:` in the query) is
    not read from the text already cut."""
    assert normalise_arxiv_id("https://arxiv.org/pdf/2401.01234?q=arXiv:2401.01234") == (
        "2401.01234", None)


def test_urls_of_papers_prefer_arxiv_then_the_doi_then_the_link():
    assert doi_url("10.1000/182") == "https://doi.org/10.1000/182"
    assert paper_url("2401.01234", "10.1000/182", "https://x.org") == "https://arxiv.org/abs/2401.01234"
    assert paper_url("", "10.1000/182", "https://x.org") == "https://doi.org/10.1000/182"
    assert paper_url("", "", "https://x.org") == "https://x.org"


def test_old_style_ids_at_the_very_start_with_versions_and_subject_classes():
    assert find_arxiv_ids("hep-th/9901001 is an old paper") == ["hep-th/9901001"]
    assert list(iter_old_ids("hep-th/9901001v3")) == [(0, "hep-th/9901001", 3)]
    assert list(iter_old_ids("see math.GT/0309136v12 and cond-mat/0301234")) == [
        (4, "math/0309136", 12), (27, "cond-mat/0301234", None)]


def test_bare_ids_count_by_default_and_prefixed_ones_within_forty_characters():
    assert find_arxiv_ids("see 2401.01234") == ["2401.01234"]
    assert find_arxiv_ids("see 2401.01234", bare=False) == []
    near = "arXiv:" + " " * 34 + "2401.01234"  # the prefix's start 40 characters back
    far = "arXiv:" + " " * 35 + "2401.01234"
    assert find_arxiv_ids(near, bare=False) == ["2401.01234"]
    assert find_arxiv_ids(far, bare=False) == []


def test_ids_are_read_from_padded_or_missing_text():
    assert normalise_arxiv_id("  2401.01234v2 \n") == ("2401.01234", 2)
    link = "https://arxiv.org/abs/2401.01234"
    assert normalise_arxiv_id("x" * (BOUND - len(link)) + link) == ("2401.01234", None)
    assert normalise_arxiv_id("x" * (BOUND + 1 - len(link)) + link) == ("", None)  # cut: 2401.0123
    assert normalise_arxiv_id(None) == ("", None)  # type: ignore[arg-type]


@pytest.mark.parametrize("arxiv_id, year", [
    ("hep-th/9108001", 1991), ("hep-th/9901001", 1999), ("math/0309136", 2003),
    ("0704.0001", 2007), ("2401.01234", 2024), ("not an id", None),
])
def test_the_year_of_an_id_with_old_ids_from_1991(arxiv_id, year):
    assert year_from_arxiv_id(arxiv_id) == year


@pytest.mark.parametrize("text, want", [
    ("see http://t.co now", ["http://t.co"]),
    ("https:// and http://localhost:8080/x", []),  # no host, or a host with no dot
    ("https://[broken and https://x.org", ["https://x.org"]),
])
def test_links_need_a_host_with_a_dot(text, want):
    assert find_links(text) == want


def test_links_up_to_the_bound_are_kept_and_longer_ones_dropped():
    base = "https://example.org/"
    at = base + "a" * (BOUND - len(base))
    assert find_links(f"{at} {at}b") == [at]


def test_redirects_are_unwrapped_three_deep_and_no_deeper():
    paper = "https://arxiv.org/abs/2401.01234"
    wrapped = [paper]
    for k in range(4):
        host = ("https://www.google.com/url?q={}" if k % 2 else
                "https://eur01.safelinks.protection.outlook.com/?url={}&data=x")
        wrapped.append(host.format(quote(wrapped[-1], safe="")))
    assert unwrap_redirect(wrapped[3]) == paper
    assert unwrap_redirect(wrapped[4]) == wrapped[1]  # the fourth layer is left
    assert unwrap_redirect("https://[broken") == "https://[broken"


@pytest.mark.parametrize("text, want", [
    ("https://www.biorxiv.org/content/10.1101/2023.06.01.543210v2", "10.1101/2023.06.01.543210"),
    ("https://www.biorxiv.org/content/10.1101/2023.06.01.543210v2.full", "10.1101/2023.06.01.543210"),
    ("https://www.biorxiv.org/content/10.1101/2023.06.01.543210v1.full.pdf+html",
     "10.1101/2023.06.01.543210"),
    ("https://www.medrxiv.org/content/10.1101/2020.03.04.20030395v1.abstract",
     "10.1101/2020.03.04.20030395"),
    ("https://www.biorxiv.org/content/10.1101/123456v3", "10.1101/123456"),  # before 2019
    ("10.1101/gr.123456.110", "10.1101/gr.123456.110"),  # Genome Research: the same prefix
    ("10.1101/2023.06.01.543210x", "10.1101/2023.06.01.543210x"),  # no version: as written
])
def test_a_biorxiv_or_medrxiv_link_gives_the_dois_of_the_preprint(text, want):
    """Their pages' links add a version and a view (`v2.full.pdf`) that no DOI has: the
    DOI kept them, and Crossref knew no such DOI."""
    assert find_dois(text) == [want]
