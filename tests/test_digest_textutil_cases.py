"""The small text judgements every digest reader shares, each at its edges: what counts as a
title, as prose, as a list of names, which year a venue line means, and which drafts are
the same paper. The strings are the kinds of lines pastes hold (titles, author lines,
buttons, arXiv affiliations); the expected answers are read off them by hand."""

from __future__ import annotations

import pytest

from paperdeck.core.digest import textutil as tu
from paperdeck.core.models import Draft
from paperdeck.core.names import ET_AL


def test_phrase_and_word_sets() -> None:
    assert tu.phrase_set(" sign in | log out ||  | read more ") == {"sign in", "log out", "read more"}
    assert tu.word_set(" pdf\n code  html ") == {"pdf", "code", "html"}


def test_clean_text_drops_invisible_marks_and_unifies_newlines() -> None:
    text = "\ufeffAtten\u200btion\x00 Is\u2060 All\r\nYou\rNeed\u2028by\u2029Vaswani \u202eexe.pdf\u202c"
    assert tu.clean_text(text) == "Attention Is All\nYou\nNeed\nby\nVaswani exe.pdf"
    # the joiners Persian and emoji sequences are spelled with stay
    assert tu.clean_text("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \U0001f469\u200d\U0001f4bb") == (
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \U0001f469\u200d\U0001f4bb")
    assert tu.clean_text("only\rcarriage") == "only\ncarriage"


def test_squash_collapses_every_kind_of_space_but_not_newlines() -> None:
    assert tu.squash(" \tDeep\u00a0\u2003 Residual\u202fLearning\u3000 ") == "Deep Residual Learning"
    assert tu.squash("two\nlines") == "two\nlines"


@pytest.mark.parametrize(("line", "want"), [
    ("https://arxiv.org/abs/1706.03762", True),
    ("  <https://arxiv.org/abs/1706.03762>  ", True),
    ("www.example.org/paper.pdf", True),
    ("HTTP://EXAMPLE.ORG", True),
    ("see https://arxiv.org/abs/1706.03762", False),
    ("Attention Is All You Need", False),
])
def test_is_url_only(line: str, want: bool) -> None:
    assert tu.is_url_only(line) is want


def test_letter_ratio_counts_visible_characters_of_a_prefix() -> None:
    assert tu.letter_ratio("") == 0.0
    assert tu.letter_ratio(" \t\n") == 0.0
    assert tu.letter_ratio("ab 12") == 0.5
    assert tu.letter_ratio("Deep learning") == 1.0
    assert tu.letter_ratio("\u6df1\u5ea6 \u5b66\u7fd2") == 1.0  # any script's letters
    assert tu.letter_ratio("a" * 600 + "1" * 5000) == 1.0  # judged on the first 600 characters


@pytest.mark.parametrize(("line", "want"), [
    ("Attention Is All You Need", True),
    ("A b", True),  # three characters, two words: short, but a title's shape
    ("Ab", False),
    ("Transformers", False),  # a lone word in loose text is a button
    ("\u6df1\u5c64\u5b66\u7fd2\u306e\u57fa\u790e", True),  # a CJK title has no spaces
    ("\u6df1\u5c64\u5b66", False),  # three wide characters: too few to judge by script
    ("https://arxiv.org/abs/1706.03762", False),
    ("Download .", False),  # page furniture
    ("AB 12345 6789", False),  # mostly digits
    ("Top 100", True),  # letters at exactly half of what is visible
    ("Title with <b>markup</b> in it", False),
    ("When a < b and c > d holds", True),
    ("A title that ends a sentence.", False),
    ("Wei et al.", True),
    ("Apples vs.", True),
    ("Wait for it..", True),
    ("Lists, sets, etc.", True),
    ("A title that trails,", False),
    ("A title that trails;", False),
    ("An introduction:", False),
    ("- a bullet, not a title", False),
    ("| a table cell", False),
    ("> a quoted line", False),
    ("# A heading mark", False),
    (") a stray bracket", False),
])
def test_is_title_like(line: str, want: bool) -> None:
    assert tu.is_title_like(line) is want


def test_is_title_like_length_and_word_limits() -> None:
    assert tu.is_title_like("a" * 148 + " " + "b" * 151)  # 300 characters
    assert not tu.is_title_like("a" * 149 + " " + "b" * 151)  # 301
    assert tu.is_title_like(" ".join(["word"] * 45))
    assert not tu.is_title_like(" ".join(["word"] * 46))
    assert tu.is_title_like("A title that ends a sentence.", allow_period=True)


def test_is_prose_needs_length_words_and_letters() -> None:
    sentence = "We propose a simple method that learns sparse features from dense activations.!"
    assert len(sentence) == 79
    assert not tu.is_prose(sentence)  # 80 characters at least by default
    assert tu.is_prose(sentence + "!")
    assert tu.is_prose(sentence, 79) and not tu.is_prose(sentence, 80)
    nine_words = "Extraordinarily " * 8 + "longwindedness"
    assert not tu.is_prose(nine_words, 10)
    assert tu.is_prose(nine_words + " here", 10)
    cjk = "\u672c\u8ad6\u6587\u3067\u306f\u65b0\u3057\u3044\u624b\u6cd5\u3092\u63d0\u6848\u3059\u308b"
    assert tu.is_prose(cjk, 10)  # no spaces, still sentences
    digits = "12 34 56 78 90 12 34 56 78 90 ab cd ef gh ij kl mn op qr st"
    assert tu.letter_ratio(digits) < 0.6 and not tu.is_prose(digits, 10)
    mostly = "ab cd ef gh ij kl 12 34 56 78"  # 12 letters of 20: exactly 0.6
    assert tu.is_prose(mostly, 10)


def test_abstracts_are_prose_with_two_cues() -> None:
    one_cue = ("In this paper the authors walk through the history of the printing press and its long "
               "influence on how ordinary people in Europe came to read, write and argue about things.")
    assert tu.abstract_cue_count(one_cue) == 1 and not tu.looks_like_abstract(one_cue)
    two = one_cue.replace("the history", "a novel history")
    assert tu.abstract_cue_count(two) == 2 and tu.looks_like_abstract(two)
    assert not tu.looks_like_abstract("We propose a novel framework.")  # cues, but too short
    assert tu.abstract_cue_count("results " * 3000) == 625  # bounded: the first 5,000 characters


@pytest.mark.parametrize(("text", "want"), [
    ("NeurIPS 2017", 2017),
    ("Submitted 2019, published ICLR 2021", 2021),
    ("Proceedings 1950", 1950),
    ("Proceedings 1949", None),
    ("ICML 2049", 2049),
    ("Report 2050", None),
    ("id 12019 and 20191", None),
    ("", None),
    # sizes and page numbers are no years
    ("Mon, 3 Mar 2025 19:02:11 GMT   (2048kb,D)", 2025),
    ("12 pages (2048kb,D)", None),
    ("slides, 1998 kb", None),
    ("2010 KB, 2000 MiB, 2005 bytes, 2048K", None),
    ("Proc. 2019, pp. 2001-2010", 2019),
    ("NeurIPS 2019, pages 2001--2010", 2019),
    ("p. 2003", None),
    ("a 2000 pages book, 2015", 2015),
    ("ICML 2019 pages 1-10", 2019),  # a venue's year before its page numbers
    ("2019 K. Smith", 2019),
    ("NeurIPS 2019b", 2019),
])
def test_find_year_takes_the_last_plausible_one(text: str, want: int | None) -> None:
    assert tu.find_year(text) == want


def test_find_year_reads_a_bounded_prefix() -> None:
    assert tu.find_year("x" * 995 + " 2017 " + "2020") == 2017


@pytest.mark.parametrize(("line", "want"), [
    ("Ashish Vaswani, Noam Shazeer and Niki Parmar", ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]),
    ("Authors: Ann Lee; Bo Chen & Cy Diaz", ["Ann Lee", "Bo Chen", "Cy Diaz"]),
    ("by Ann Lee and Bo Chen", ["Ann Lee", "Bo Chen"]),
    ("Ann Lee, Bo Chen, and 3 others", ["Ann Lee", "Bo Chen", ET_AL]),
    ("Ann Lee, Bo Chen et al.", ["Ann Lee", "Bo Chen", ET_AL]),
    ("Ann Lee, Bo Chen, …", ["Ann Lee", "Bo Chen", ET_AL]),
    ("Ann Lee, Bo Chen...", ["Ann Lee", "Bo Chen", ET_AL]),
    ("Ann Lee (1 and 2), Bo Chen (2) ((1) MIT, (2) ETH Zurich)", ["Ann Lee", "Bo Chen"]),
    ("Ann Lee (MIT), Bo Chen (ETH)", ["Ann Lee", "Bo Chen"]),
    ("Ann Lee, Bo Chen (2900 additional authors not shown)", ["Ann Lee", "Bo Chen", ET_AL]),
    ("", []),
    ("et al.", []),
])
def test_split_authors(line: str, want: list[str]) -> None:
    assert tu.split_authors(line) == want


def test_split_authors_hands_out_a_fresh_list() -> None:
    first = tu.split_authors("Ann Lee, Bo Chen")
    first.append("Mallory")
    assert tu.split_authors("Ann Lee, Bo Chen") == ["Ann Lee", "Bo Chen"]


@pytest.mark.parametrize(("line", "want"), [
    ("Ashish Vaswani, Noam Shazeer, Niki Parmar", True),
    ("Authors: anyone at all", True),
    ("Ashish Vaswani", False),  # one name and no marker: could be anything
    ("Ashish Vaswani et al.", True),
    ("Ashish Vaswani, et al.", True),
    ("Alexander Kirillov and 11 others", True),
    ("vaswani, shazeer", False),
    ("Doe, Smith", False),  # names, but none of two words: half of them must be
    ("Jane Doe, A. Smith", True),
    ("Jane Doe, Smith", True),  # two of two are names, one of two has two words: half
    ("Jane Doe, Smith, Lee", False),  # one of three with two words
    ("Ludwig van Beethoven, Pierre de Fermat", True),
    ("Ann Lee & Bo Chen", True),
    ("Ann Lee,", False),  # one name, no marker
    (", ;", False),  # no name at all
    ("Ann Lee, Bo Chen, Cy Diaz, and 2x Speedup", False),  # three of four are names
    ("Ann Lee, Bo Chen, Cy Diaz, Dee Eve, and 2x Speedup", True),  # four of five: enough
    ("We train, evaluate and compare many models on a very large number of different tasks here", False),
    ("Note: Ann Lee, Bo Chen", False),
    ("\u00c9mile Zola, \u00c5sa Larsson", True),
    ("", False),
])
def test_looks_like_author_line(line: str, want: bool) -> None:
    assert tu.looks_like_author_line(line) is want


def test_a_long_list_of_names_is_still_names() -> None:
    names = ", ".join(f"Author{chr(65 + i % 26)} Name{chr(65 + i // 26)}" for i in range(60))
    assert tu.looks_like_author_line(names)
    assert not tu.looks_like_author_line("Ann Lee, " * 400)  # over 3,000 characters


def test_prose_with_a_comma_is_not_an_author_line() -> None:
    # five parts, one of seven words: four of five are names (enough), but 31 words for
    # five parts is more than six a part: prose
    six = "Ann Bea Cid Dee Eve Fay"
    wordy = ", ".join([six] * 4 + ["Gus Hal Ian Jon Kit Lea Max"])
    assert len(wordy.split()) == 31 and not tu.looks_like_author_line(wordy)
    assert tu.looks_like_author_line(wordy + " et al.")  # a list cut short may be wordy
    assert tu.looks_like_author_line(", ".join([six] * 5))  # 30 words: six a part


@pytest.mark.parametrize(("raw", "want"), [
    ("Mazar\\'e", "Mazaré"),
    ("$\\alpha$-Divergence", "α-Divergence"),
    ("{BERT}: Pre-training", "BERT: Pre-training"),
    ("\\LaTeX{} and \\TeX", "LaTeX and TeX"),
    ("50% of {GPUs}", "50% of GPUs"),
    ("plain title", "plain title"),
    ("", ""),
    ("{}", "{}"),  # converts to nothing: the original is kept
])
def test_latex_to_unicode(raw: str, want: str) -> None:
    assert tu.latex_to_unicode(raw) == want


def test_latex_to_unicode_leaves_huge_or_broken_input_alone() -> None:
    huge = "{A}" + "x" * 20_000
    assert tu.latex_to_unicode(huge) == huge
    edge = "{A}" + "x" * (20_000 - 3)
    assert tu.latex_to_unicode(edge) == "A" + "x" * (20_000 - 3)


def test_attach_identifiers_only_when_the_block_names_one() -> None:
    d = Draft(title="T")
    tu.attach_identifiers(d, "arXiv:1706.03762 and doi 10.1000/xyz123")
    assert (d.arxiv_id, d.doi) == ("1706.03762", "10.1000/xyz123")
    two = Draft(title="T")
    tu.attach_identifiers(two, "arXiv:1706.03762 arXiv:1810.04805 10.1000/a1 10.1000/b2")
    assert (two.arxiv_id, two.doi) == ("", "")
    kept = Draft(title="T", arxiv_id="2401.00001", doi="10.9/keep")
    tu.attach_identifiers(kept, "arXiv:1706.03762 10.1000/xyz123")
    assert (kept.arxiv_id, kept.doi) == ("2401.00001", "10.9/keep")
    bare = Draft(title="T")
    tu.attach_identifiers(bare, "table 1706.03762 row")  # a bare number is no id here
    assert bare.arxiv_id == ""


def test_title_key() -> None:
    assert tu.title_key("Attention_Is  All—You Need!") == "attentionisallyouneed"
    assert tu.title_key("STRASSE") == tu.title_key("Straße")
    assert tu.title_key("?!") == ""


def test_dedupe_merges_repeats_and_keeps_clashes() -> None:
    a = Draft(title="Attention Is All You Need", arxiv_id="1706.03762", links=["https://a"])
    a_again = Draft(title="Attention is all you need!", year=2017, authors=["Ashish Vaswani"],
                    doi="10.5555/3295222", venue="NeurIPS", url="https://u", abstract="Abs",
                    primary_class="cs.CL", links=["https://a", "https://b"])
    by_doi = Draft(title="Another Title Entirely", doi="10.5555/3295222", year=2018)
    other_version = Draft(title="Attention Is All You Need", arxiv_id="2401.99999")
    upper = Draft(title="Some Paper", arxiv_id="1810.04805")
    lower = Draft(title="", arxiv_id="1810.04805", doi="10.1/X")
    doi_case = Draft(title="Third Title", doi="10.1/x", year=2019)
    untitled = Draft(title="", url="https://only-a-url")
    untitled2 = Draft(title="!!", url="https://another")
    out = tu.dedupe([a, a_again, by_doi, other_version, upper, lower, doi_case, untitled, untitled2])
    assert out == [a, other_version, upper, untitled, untitled2]
    assert (a.year, a.authors, a.doi, a.venue, a.url, a.abstract, a.primary_class) == (
        2017, ["Ashish Vaswani"], "10.5555/3295222", "NeurIPS", "https://u", "Abs", "cs.CL")
    assert a.links == ["https://a", "https://b"]
    assert a.title == "Attention Is All You Need"  # the first one's fields are kept
    assert a.authors is not a_again.authors
    assert upper.doi == "10.1/X" and upper.year == 2019  # a DOI's case does not matter


def test_dedupe_keeps_papers_whose_dois_differ() -> None:
    one = Draft(title="Same Title", doi="10.1/one")
    two = Draft(title="Same Title", doi="10.1/two")
    three = Draft(title="Same Title")
    assert tu.dedupe([one, two, three]) == [one, two]


def test_bounded_prefixes_at_their_edges() -> None:
    """Each judgement reads a fixed prefix; one character past it is not read."""
    assert tu.letter_ratio("x") == 1.0  # a single visible character counts
    url = "https://example.org/" + "a" * (4096 - 20)
    assert tu.is_url_only(url + " and then words")  # judged on the first 4,096 characters
    assert not tu.is_url_only(url[:-1] + " and then words")
    nine = "word " * 8 + "x" * 1959 + " "  # nine words in the first 2,000 characters
    assert len(nine) == 2000
    assert not tu.is_prose(nine + "tail words here", 10)
    assert tu.is_prose("word " + nine + "tail words here", 10)
    huge = "{A}" + "x" * 19_998  # 20,001 characters: left as it is
    assert tu.latex_to_unicode(huge) == huge
    assert tu.is_title_like("\u6df1\u5c64\u5b66\u7fd2")  # four wide characters: a CJK title
    assert tu.abstract_cue_count("x" * 4992 + " results") == 1  # a cue ending at 5,000 counts
    assert tu.abstract_cue_count("x" * 4993 + " results") == 0  # one past: "result" is no cue


def test_an_abstract_is_at_least_150_characters() -> None:
    text = ("We propose a simple method and report results on three tasks where the "
            "gains hold across settings and sizes, and the code is out for anyone to reuse.")
    assert len(text) == 149 and tu.abstract_cue_count(text) == 2
    assert not tu.looks_like_abstract(text)
    assert tu.looks_like_abstract(text + "!")


def test_find_year_stops_at_the_thousandth_character() -> None:
    text = "x" * 990 + " 2017  2020"  # "2020" takes characters 998 to 1001
    assert text.index("2020") == 997
    assert tu.find_year(text) == 2017
    assert tu.find_year(text[1:]) == 2020


def test_a_name_has_one_to_six_words_within_sixty_characters() -> None:
    assert tu.looks_like_author_line("Ann Lee, Maria de la Cruz Garcia Lopez")  # six words
    assert not tu.looks_like_author_line("Ann Lee, Maria Jose de la Cruz Garcia Lopez")  # seven
    sixty = "Xavier " + "Y" + "z" * 52
    assert len(sixty) == 60
    assert tu.looks_like_author_line(f"Ann Lee, {sixty}")
    assert not tu.looks_like_author_line(f"Ann Lee, {sixty}z")
    assert not tu.looks_like_author_line("Ann Lee, van der")  # particles alone name nobody
    assert not tu.looks_like_author_line("Ann Lee, Bo Chen, Open source code")  # a lower-case word
    assert not tu.looks_like_author_line("Ann Lee, \U0001f917 Hugging Face")  # a symbol is no initial


def test_author_lines_split_by_and_or_semicolons_and_their_length_limit() -> None:
    assert tu.looks_like_author_line("Ann Lee and Bo Chen")
    assert tu.looks_like_author_line("Ann Lee; Bo Chen")
    names = ", ".join(["Ann Lee"] * 332 + ["Annabell Lee"])
    assert len(names) == 3000
    assert tu.looks_like_author_line(names)
    assert not tu.looks_like_author_line(names.replace("Annabell", "Annabelle"))  # 3,001


@pytest.mark.parametrize("line, cased", [
    ("Graph Neural Networks for molecules and proteins", True),  # 3 of 5 long words: 60 %
    ("Graph Neural networks for molecules and proteins", False),  # 2 of 5
    ("Mistral 7B", False),  # one word of four letters or more
])
def test_title_cased_means_three_in_five_long_words_capitalised(line, cased):
    assert tu.title_cased(line) is cased
