"""arXiv listing emails read block by block: variants of tests/samples/digests/arxiv-email-cs.txt
the way they reach a user (forwarded, cut, near the turn of a year)."""

from __future__ import annotations

from pathlib import Path

from paperdeck.core.digest import arxiv_email, parse_digest

EMAIL = (Path(__file__).parent / "samples" / "digests" / "arxiv-email-cs.txt").read_text(encoding="utf-8")
RULE = "-" * 78

NEW_YEAR = f"""\
{RULE}
\\\\
arXiv:2401.00123
Date: Sun, 31 Dec 2023 23:10:00 GMT   (410kb,D)

Title: A Paper Submitted on New Year's Eve
Authors: Ann Smith, Bo Chen
Categories: cs.CL
\\\\
  We study what happens to papers submitted after the last mailing of the year.
\\\\ ( https://arxiv.org/abs/2401.00123 ,  410kb)
{RULE}
"""


def _papers(text: str) -> list:
    result = parse_digest(text)
    assert result.format == "arxiv-email"
    return result.drafts


def test_the_date_line_gives_the_year_even_when_the_id_names_the_next() -> None:
    """Submitted on 31 Dec 2023 after the last deadline of the year, numbered 2401.*: the
    paper is of 2023, as arXiv's own page says."""
    (paper,) = _papers(NEW_YEAR)
    assert (paper.title, paper.arxiv_id, paper.year, paper.authors) == (
        "A Paper Submitted on New Year's Eve", "2401.00123", 2023, ["Ann Smith", "Bo Chen"])
    assert paper.abstract == "We study what happens to papers submitted after the last mailing of the year."


def test_a_revision_date_under_the_date_line_does_not_change_the_year() -> None:
    """A replacement listed with its first date and then the revision's, a year later."""
    revised = NEW_YEAR.replace("(410kb,D)\n", "(410kb,D)\nreplaced with revised version Tue, 7 Jan 2025\n")
    (paper,) = _papers(revised)
    assert (paper.title, paper.year) == ("A Paper Submitted on New Year's Eve", 2023)


def test_an_abstract_in_two_paragraphs_keeps_its_break() -> None:
    second = "\n  Such papers are numbered\nas if of the next.\n"
    two = NEW_YEAR.replace("of the year.\n", "of the year.\n" + second)
    (paper,) = _papers(two)
    assert paper.abstract == ("We study what happens to papers submitted after the last mailing of the year."
                              "\n\nSuch papers are numbered as if of the next.")


def test_a_paste_cut_inside_the_last_header_still_gives_that_paper() -> None:
    """Copied down to the authors of the last paper: no abstract, no trailer, no rule."""
    cut = NEW_YEAR.split("Categories:")[0]
    assert cut.endswith("Authors: Ann Smith, Bo Chen\n")
    (paper,) = _papers(cut.replace("Date:", "Categories: cs.CL\nDate:"))
    assert (paper.title, paper.authors, paper.abstract, paper.primary_class) == (
        "A Paper Submitted on New Year's Eve", ["Ann Smith", "Bo Chen"], "", "cs.CL")


def test_text_after_the_closing_rule_is_not_the_last_paper_s_abstract() -> None:
    """A forwarded email ends with the forwarder's signature below the last rule; the last
    paper (a replacement, which has no abstract) must not take it."""
    forwarded = EMAIL.rstrip("\n") + "\n\nSee the DPO one, we discussed it on Friday.\nAnn\n"
    papers = _papers(forwarded)
    assert [p.arxiv_id for p in papers] == ["2401.08281", "2401.08417", "2401.08565", "2312.00752",
                                            "2305.18290"]
    assert papers[-1].abstract == ""


def test_a_block_without_the_abstract_separator_stops_at_its_trailer() -> None:
    """A paper copied without the "\\\\" line above its abstract: the header fields end at the
    trailer, and the next lines are no abstract."""
    abstract = "\\\\\n  We study what happens to papers submitted after the last mailing of the year.\n"
    cut = NEW_YEAR.replace(f"Categories: cs.CL\n{abstract}", "Categories: cs.CL\n")
    assert "cs.CL\n\\\\ ( https" in cut
    (paper,) = _papers(cut + "\\\\\nNot an abstract: the next block's opening line.\n")
    assert (paper.arxiv_id, paper.abstract) == ("2401.00123", "")


def test_only_the_first_200000_characters_are_weighed() -> None:
    """Scoring reads a bounded head: a paper whose second field line ends past it scores as a
    weak listing, not a strong one."""
    block = NEW_YEAR.replace("Authors: Ann Smith, Bo Chen\nCategories: cs.CL\n", "")  # Title: is left
    padding = "x" * (200_000 - len(block) - len("Authors") - 1) + "\n"
    text = block + padding + "Authors: Ann Smith, Bo Chen\n"
    assert text.index("Authors:") + len("Authors") == 200_000  # its ':' is the 200001st character
    assert arxiv_email.score(text) == 0.6
    assert arxiv_email.score(text.replace("x", "", 1)) == 0.95


def test_a_block_cut_before_its_title_is_no_paper() -> None:
    """The paste ends two lines into the next paper: an id and a date are not a paper yet."""
    text = NEW_YEAR + "\\\\\narXiv:2401.00124\nDate: Sun, 31 Dec 2023 23:40:00 GMT   (52kb)\n"
    assert [p.arxiv_id for p in _papers(text)] == ["2401.00123"]


def test_one_replacement_copied_from_its_id_line_is_a_listing() -> None:
    """A replacement has a single "\\\\" line (its trailer): copied from its id line on, the
    separators are as many as the ids."""
    dpo = EMAIL[EMAIL.index("arXiv:2305.18290"):].split("\n%%%")[0] + "\n"
    assert dpo.count("\n\\\\") == 1 and dpo.startswith("arXiv:2305.18290\nreplaced with revised version")
    assert arxiv_email.score(dpo) == 0.95
    (paper,) = _papers(dpo)
    assert (paper.arxiv_id, paper.year, paper.venue) == (
        "2305.18290", 2023, "Advances in Neural Information Processing Systems 36 (2023)")


BIG_FILE = f"""\
{RULE}
\\\\
arXiv:2503.02001
Date: Tue, 4 Mar 2025 01:02:03 GMT   (2048kb,D)

Title: A Very Long Title About Vision-Language-Action Models That Wraps Onto a
  Second Line Because arXiv Wraps at Eighty Columns
Authors: Anna Åkesson, Björn Ö. Lindqvist
Categories: cs.RO cs.AI
Comments: 12 pages (2048kb,D), 8 figures
\\\\
  Vision-language-action (VLA) models map images and instructions to robot
actions.
\\\\ ( https://arxiv.org/abs/2503.02001 ,  1998kb)
{RULE}
"""


def test_a_file_size_is_no_year() -> None:
    """A 2 MB submission: "(2048kb,D)" after the date, in the comments and the trailer made
    the paper of 2048. The year is the date's."""
    (paper,) = _papers(BIG_FILE)
    assert (paper.arxiv_id, paper.year) == ("2503.02001", 2025)
    (paper,) = _papers(BIG_FILE.replace("Tue, 4 Mar 2025 01:02:03 GMT   ", ""))  # no date: the id's
    assert paper.year == 2025
    (paper,) = _papers(BIG_FILE.replace("(2048kb,D)\n", "(1998 KB)\n"))
    assert paper.year == 2025


def test_a_big_file_s_paper_is_keyed_by_its_year(lib) -> None:
    """What the user saw: the citation key said "akesson2048very"."""
    report = lib.import_text(BIG_FILE)
    (paper,) = lib.papers(report.ids)
    assert (paper.year, paper.citekey) == (2025, "akesson2025very")


def test_the_first_date_on_the_date_line_gives_the_year() -> None:
    """A header pasted with its revision under the date ("Date (revised v2): ..." is read as
    the date line's continuation): the paper is of its first version's year."""
    later = "Date (revised v2): Tue, 7 Jan 2025 10:00:00 GMT   (2048kb,D)\n"
    revised = NEW_YEAR.replace("(410kb,D)\n", "(410kb,D)\n" + later)
    (paper,) = _papers(revised)
    assert (paper.title, paper.year) == ("A Paper Submitted on New Year's Eve", 2023)
