"""The RIS reader (core/digest/ris.py) on records as reference managers and publishers
write them: Zotero, Mendeley, EndNote, ACM, IEEE, arXiv-bound links; line and field
bounds, venue tag priority, names, dates and links."""

from __future__ import annotations

from paperdeck.core import names
from paperdeck.core.digest import parse_digest, ris
from paperdeck.core.names import Name

ALPHAFOLD = "10.1038/s41586-021-03819-2"
PARROTS = "10.1145/3442188.3445922"


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def _parts(draft, i: int = 0) -> Name:
    """The stored parts of the i-th author (what an export writes)."""
    return names.resolve(draft.authors[i], draft.fields.get("names"))


# --- records, lines and bounds ------------------------------------------------------------------

ZOTERO_TWO = """TY  - JOUR
TI  - Highly accurate protein structure prediction with AlphaFold
AU  - Jumper, John
AU  - Evans, Richard
AU  - Pritzel, Alexander
T2  - Nature
J2  - Nature
DA  - 2021/08//
PY  - 2021
DO  - 10.1038/s41586-021-03819-2
VL  - 596
IS  - 7873
SP  - 583
EP  - 589
UR  - https://www.nature.com/articles/s41586-021-03819-2
Y2  - 2023/05/01/13:45:12
ER  -

TY  - CONF
TI  - On the Dangers of Stochastic Parrots: Can Language Models Be Too Big?
AU  - Bender, Emily M.
AU  - Gebru, Timnit
T2  - Proceedings of the 2021 ACM Conference on Fairness, Accountability, and Transparency
PY  - 2021
SP  - 610
EP  - 623
ER  -
""".replace("ER  -\n", "ER  - \n")  # Zotero ends the ER line with a space


def test_two_zotero_records_with_crlf_line_ends() -> None:
    text = _crlf(ZOTERO_TWO)
    first, second = ris.parse(text)
    assert first.title == "Highly accurate protein structure prediction with AlphaFold"
    assert first.authors == ["John Jumper", "Richard Evans", "Alexander Pritzel"]
    assert (first.venue, first.year, first.doi, first.fields["month"]) == ("Nature", 2021, ALPHAFOLD, "8")
    fields = first.fields
    assert (fields["volume"], fields["number"], fields["pages"]) == ("596", "7873", "583--589")
    assert second.authors == ["Emily M. Bender", "Timnit Gebru"]
    assert second.entry_type == "inproceedings"
    assert second.fields["booktitle"].startswith("Proceedings of the 2021 ACM Conference")
    assert parse_digest(text).format == "ris"


def test_one_space_tags_continuation_lines_and_a_missing_last_er() -> None:
    text = ("TY - JOUR\nTI - Attention is all you need:\n   a transformer study\nAU - Vaswani, Ashish\n"
            "AB - The dominant sequence transduction models are based on complex recurrent\n"
            "or convolutional neural networks.\nPY - 2017\n")
    (draft,) = ris.parse(text)
    assert draft.title == "Attention is all you need: a transformer study"
    assert draft.abstract.endswith("complex recurrent or convolutional neural networks.")
    assert draft.year == 2017


def test_lines_after_er_belong_to_no_record() -> None:
    # A half-copied second record (its TY line was not selected): its tags must not
    # join the record that ER closed, nor make a record of their own.
    text = ("TY  - JOUR\nTI  - Deep residual learning for image recognition\nAU  - He, Kaiming\nPY  - 2016\n"
            "ER  - \nTI  - Densely connected convolutional networks\nAU  - Huang, Gao\nKW  - cnn\n"
            "PY  - 2017\nER  - \n")
    (draft,) = ris.parse(text)
    assert draft.title == "Deep residual learning for image recognition"
    assert draft.authors == ["Kaiming He"]
    assert draft.year == 2016
    assert "keywords" not in draft.fields


def test_a_record_without_a_title_gives_no_card() -> None:
    text = ("TY  - JOUR\nAU  - Doe, Jane\nPY  - 2020\nDO  - 10.1000/xyz123\nER  - \n"
            "TY  - JOUR\nT1  - A titled one\nAU  - Roe, Richard\nER  - \n")
    assert [d.title for d in ris.parse(text)] == ["A titled one"]


def test_a_tag_line_is_read_up_to_twenty_thousand_characters() -> None:
    word = "abcdefghi "  # ten characters
    value = (word * 2000)[:19995]  # with "AB  - " the line is 20001 characters long
    text = f"TY  - JOUR\nTI  - Long abstract\nAB  - {value}\nER  - \n"
    (draft,) = ris.parse(text)
    assert draft.abstract == value[:19994].strip()


def test_continuation_lines_stop_once_a_value_holds_fifty_thousand_characters() -> None:
    head = "x" * 19994  # "AB  - " + head: a 20000-character line
    more = ["y" * 19999, "z" * 10005]  # the value is now 19994 + 1 + 19999 + 1 + 10005 = 50000
    text = "\n".join(["TY  - JOUR", "TI  - Long abstract", f"AB  - {head}", *more, "tail words", "ER  - "])
    (draft,) = ris.parse(text)
    assert len(draft.abstract) == 50_000
    assert not draft.abstract.endswith("tail words")


# --- detection score ----------------------------------------------------------------------------

def test_score_strong_with_two_tagged_lines_per_record() -> None:
    assert ris.score("TY  - JOUR\nTI  - A paper\nER  - \n") == 0.95  # title and ER: two per record
    assert ris.score("TY  - JOUR\nTI  - A paper\nSP  - 1\n") == 0.3  # one only


def test_score_reads_the_first_200000_characters() -> None:
    record = "TY  - JOUR\nTI  - A paper\nAU  - Doe, Jane\nER  - \n"
    filler = "n" * (200_000 - len(record) - 5) + "\n"
    text = record + filler + "TY  - JOUR\nTI  - Next\n"  # the second opener's "-" is character 200001
    assert text[:200_000].endswith("\nTY  ")
    assert ris.score(text) == 0.95  # the sample sees one opener with three tagged lines
    earlier = text.replace("n\nTY", "\nTY", 1)  # the second opener one character earlier is seen:
    assert ris.score(earlier) == 0.3  # two openers, three tagged lines


# --- names --------------------------------------------------------------------------------------

def test_repeated_au_and_a1_lines_and_editors_only_for_books_and_proceedings() -> None:
    text = ("TY  - CHAP\nTI  - Reinforcement learning: a survey\nA1  - Kaelbling, Leslie Pack\n"
            "AU  - Littman, Michael L.\nAU  - Moore, Andrew W.\nA2  - van der Berg, Anna\nA2  - Smith, John\n"
            "T2  - Handbook of Machine Learning\nPY  - 1996\nER  - \n")
    (draft,) = ris.parse(text)
    assert draft.authors == ["Michael L. Littman", "Andrew W. Moore", "Leslie Pack Kaelbling"]
    assert draft.fields["editor"] == "Anna van der Berg and John Smith"
    article = text.replace("TY  - CHAP", "TY  - JOUR")
    (draft,) = ris.parse(article)
    assert "editor" not in draft.fields  # a journal's A2 is its series editor, not a book's editors
    no_editors = "TY  - CHAP\nTI  - A chapter\nAU  - Doe, Jane\nT2  - A book\nER  - \n"
    (draft,) = ris.parse(no_editors)
    assert "editor" not in draft.fields


def test_lower_case_particles_open_the_family_name() -> None:
    text = ("TY  - JOUR\nTI  - Quantum thermodynamics\nAU  - van der Berg, Anna\nAU  - de Gaulle, Charles\n"
            "AU  - 't Hooft, Gerard\nAU  - Van Gogh, Vincent\nER  - \n")
    (draft,) = ris.parse(text)
    assert draft.authors == ["Anna van der Berg", "Charles de Gaulle", "Gerard 't Hooft", "Vincent Van Gogh"]
    assert _parts(draft, 0) == Name("Anna", "van der", "Berg")
    assert _parts(draft, 1) == Name("Charles", "de", "Gaulle")
    assert _parts(draft, 2) == Name("Gerard", "", "'t Hooft")  # "'t" opens with no letter: kept whole
    assert _parts(draft, 3) == Name("Vincent", "", "Van Gogh")


def test_a_name_without_a_comma_is_one_field() -> None:
    # IEEE Xplore writes "J. Doe"; Zotero reads a comma-less RIS name as one field.
    text = ("TY  - JOUR\nTI  - Deep learning for radar\nAU  - J. Doe\nAU  - UNESCO\n"
            "AU  - World Health Organization\nAU  - Smith, John, Jr.\nER  - \n")
    (draft,) = ris.parse(text)
    assert draft.authors == ["J. Doe", "UNESCO", "World Health Organization", "John Smith, Jr."]
    assert _parts(draft, 0) == Name(last="J. Doe", corporate=True)
    assert _parts(draft, 1) == Name(last="UNESCO")  # one word: a family name alone
    assert _parts(draft, 2) == Name(last="World Health Organization", corporate=True)
    assert _parts(draft, 3) == Name("John", "", "Smith", "Jr.")


# --- venue, dates -------------------------------------------------------------------------------

def test_venue_tag_priority() -> None:
    base = "TY  - JOUR\nTI  - Graph attention networks\nAU  - Veličković, Petar\n"
    jmlr = "Journal of Machine Learning Research"
    (draft,) = ris.parse(base + f"JO  - J. Mach. Learn. Res.\nJF  - {jmlr}\nER  - \n")
    assert draft.venue == "J. Mach. Learn. Res."  # no T2: the first venue tag present
    assert "booktitle" not in draft.fields  # an article has a journal, not a booktitle
    (draft,) = ris.parse(base + "J2  - JMLR\nT2  - Journal of Machine Learning Research\nER  - \n")
    assert draft.venue == "Journal of Machine Learning Research"
    (draft,) = ris.parse(base + "JF  - \nJA  - J Mach Learn Res\nER  - \n")
    assert draft.venue == "J Mach Learn Res"


def test_a_book_is_not_its_own_venue() -> None:
    title = "Pattern recognition and machine learning"
    text = (f"TY  - BOOK\nTI  - {title}\nBT  - {title}\n"
            "AU  - Bishop, Christopher M.\nPB  - Springer\nPY  - 2006\nER  - \n")
    (draft,) = ris.parse(text)
    assert (draft.venue, draft.fields["publisher"], draft.entry_type) == ("Springer", "Springer", "book")


def test_a_conference_paper_without_a_venue_has_no_booktitle() -> None:
    (draft,) = ris.parse("TY  - CONF\nTI  - A workshop talk\nAU  - Doe, Jane\nPY  - 2022\nER  - \n")
    assert (draft.venue, draft.entry_type) == ("", "inproceedings")
    assert "booktitle" not in draft.fields


def test_month_from_dated_years() -> None:
    def month(date_line: str) -> str | None:
        (draft,) = ris.parse(f"TY  - JOUR\nTI  - Dated\n{date_line}\nER  - \n")
        return draft.fields.get("month")

    assert month("DA  - 2023/01/15/") == "1"
    assert month("PY  - 2022/12//") == "12"
    assert month("Y1  - 2023/05/01/") == "5"
    assert month("DA  - 2020/13/03/") is None  # day and month swapped: no month 13
    assert month("PY  - 2020/00/") is None
    assert month("PY  - 2021") is None


# --- links --------------------------------------------------------------------------------------

def test_arxiv_links_to_the_same_paper_are_not_extra_links() -> None:
    text = ("TY  - JOUR\nTI  - Attention is all you need\nAU  - Vaswani, Ashish\n"
            "UR  - https://arxiv.org/abs/1706.03762v5\nL1  - https://arxiv.org/pdf/1706.03762v5.pdf\n"
            "L1  - https://github.com/tensorflow/tensor2tensor\nER  - \n")
    (draft,) = ris.parse(text)
    assert (draft.arxiv_id, draft.url) == ("1706.03762", "https://arxiv.org/abs/1706.03762")
    assert draft.links == ["https://github.com/tensorflow/tensor2tensor"]


def test_doi_links_to_the_same_paper_are_not_extra_links() -> None:
    # ACM DL and Mendeley: the DOI twice as a link, and the publisher's PDF kept as a link.
    text = ("TY  - CONF\nT1  - On the Dangers of Stochastic Parrots\nAU  - Bender, Emily M.\n"
            f"DO  - {PARROTS}\n"
            f"UR  - https://doi.org/{PARROTS}\nUR  - http://dx.doi.org/{PARROTS}\n"
            f"L1  - https://dl.acm.org/doi/pdf/{PARROTS}\nER  - \n")
    (draft,) = ris.parse(text)
    assert (draft.doi, draft.url) == (PARROTS, f"https://doi.org/{PARROTS}")
    assert draft.links == [f"https://dl.acm.org/doi/pdf/{PARROTS}"]


def test_a_doi_only_as_a_link() -> None:
    text = (f"TY  - JOUR\nTI  - AlphaFold\nUR  - https://doi.org/{ALPHAFOLD}\n"
            "UR  - https://www.nature.com/articles/s41586-021-03819-2\nER  - \n")
    (draft,) = ris.parse(text)
    assert (draft.doi, draft.url) == (ALPHAFOLD, f"https://doi.org/{ALPHAFOLD}")
    assert draft.links == ["https://www.nature.com/articles/s41586-021-03819-2"]
