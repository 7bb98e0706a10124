"""arXiv list pages copied in odd shapes: the entry number apart from its id, numbers that
are no entries, labels alone on their lines. Variants of tests/samples/digests."""

from __future__ import annotations

from pathlib import Path

from paperdeck.core.digest import arxiv_listing, parse_digest

DIGESTS = Path(__file__).parent / "samples" / "digests"
NEW = (DIGESTS / "arxiv-list-new.txt").read_text(encoding="utf-8")
OLD = (DIGESTS / "arxiv-list-recent-old.txt").read_text(encoding="utf-8")


def _read(text: str) -> list[tuple]:
    return [(d.title, d.arxiv_id, d.arxiv_version, d.year, d.authors[:1], d.venue, d.primary_class)
            for d in arxiv_listing.parse(text)]


def test_the_number_above_its_id_with_blank_lines_between() -> None:
    split = NEW.replace("] arXiv:", "]\n\n arXiv:")
    assert _read(split) == _read(NEW)
    assert len(_read(NEW)) == 4


def test_a_bracketed_number_before_other_text_is_no_entry() -> None:
    """A numbered reference ("[5]" then the cited text) inside an abstract block stays text,
    and a number on the last line is dropped without a card."""
    text = OLD.replace("Comments: 40 pages\n", "Comments: 40 pages\n[5]\nsee also the erratum\n") + "[7]\n"
    assert _read(text) == _read(OLD)
    assert [t[1] for t in _read(OLD)] == ["2101.11015", "2101.10980", "hep-th/9711200"]


def test_old_layout_fields() -> None:
    """Wrapped titles, Journal-ref as venue, the primary class from Subjects, old-style ids
    with their year, cross-lists and replacements."""
    assert _read(OLD) == [
        ("Entanglement Islands from Holographic Entanglement of Purification", "2101.11015", None, 2021,
         ["Jing Zhang"], "", "hep-th"),
        ("Quasinormal Modes of Black Holes in Anti-de Sitter Space: A Numerical Study of the Long-Time "
         "Behaviour", "2101.10980", None, 2021, ["Ana García-Parrado"],
         "Class. Quantum Grav. 38 (2021) 065012", "gr-qc"),
        ("The Large N Limit of Superconformal Field Theories and Supergravity", "hep-th/9711200", None, 1997,
         ["Juan M. Maldacena"], "Adv.Theor.Math.Phys.2:231-252,1998", "hep-th"),
    ]
    assert parse_digest(OLD).format == "arxiv-listing"


COPIED = (DIGESTS / "arxiv-listpage-new-copied.txt").read_text(encoding="utf-8")


def test_labels_alone_a_single_author_an_empty_field_and_a_doi() -> None:
    """The current page copied in a browser puts each label alone on its line: a lone
    author under the title is the author, an empty Comments: is skipped, Journal-ref and
    DOI keep their values."""
    text = COPIED.replace(
        "Binchuan Qi , Wei Gong , Li Li\n \nSubjects:",
        "Binchuan Qi\n \nComments:\n \nJournal-ref:\n    J. Mach. Learn. Res. 26 (2025) 1-40\n \n"
        "DOI:\n    10.5555/jmlr.2025.0042 (journal version)\n \nSubjects:")
    third = arxiv_listing.parse(text)[2]
    assert (third.title, third.authors, third.venue, third.doi, third.primary_class, third.arxiv_id) == (
        "Towards Understanding the Optimization Mechanisms in Deep Learning", ["Binchuan Qi"],
        "J. Mach. Learn. Res. 26 (2025) 1-40", "10.5555/jmlr.2025.0042", "cs.LG", "2503.10565")
    assert third.abstract.startswith("In this paper, we adopt a probability distribution")
    first = arxiv_listing.parse(text)[0]
    assert first.authors == ["Jiachen Zhu", "Xinlei Chen", "Kaiming He", "Yann LeCun", "Zhuang Liu"]
    assert first.doi == "" and first.venue == ""


def test_score_wants_numbered_ids_and_their_fields() -> None:
    one = "[1] arXiv:2401.08417 [pdf, other]\n"
    two = one + "[2] arXiv:2401.08565 [pdf]\n"
    assert arxiv_listing.score(one + "Title: Contrastive Preference Optimization\n") == 0.9
    assert arxiv_listing.score(two + "Title: Tuning Language Models by Proxy\n") == 0.5  # fewer fields
    assert arxiv_listing.score(two) == 0.5  # a bare numbered list of ids
    assert arxiv_listing.score(one) == 0.0
    assert arxiv_listing.score("Title: Tuning Language Models by Proxy\nSubjects: cs.CL\n") == 0.0


def test_an_entry_without_labels_and_its_abstract_links() -> None:
    """Some copies lose the "Title:" and "Authors:" labels: the first lines are still the
    title and the authors; a link in the abstract is kept, the paper's own is not."""
    text = (
        "[1] arXiv:2401.08565 [pdf, other]\nTuning Language Models by Proxy\n"
        "Alisa Liu, Xiaochuang Han, Yizhong Wang\nSubjects: Computation and Language (cs.CL)\n"
        "Despite the general capabilities of large pretrained language models, they benefit from adaptation. "
        "Code is at https://github.com/alisawuffles/proxy-tuning and https://arxiv.org/abs/2401.08565 .\n"
    )
    (d,) = arxiv_listing.parse(text)
    assert (d.title, d.authors, d.primary_class) == (
        "Tuning Language Models by Proxy", ["Alisa Liu", "Xiaochuang Han", "Yizhong Wang"], "cs.CL")
    assert d.abstract.startswith("Despite the general capabilities")
    assert d.links == ["https://github.com/alisawuffles/proxy-tuning"]


def test_only_the_first_200000_characters_are_weighed() -> None:
    """A saved page whose only field label ends past the head (a huge first abstract) is no
    strong listing."""
    entry = "[1] arXiv:2401.08417 [pdf, other]\n"
    padding = "x" * (200_000 - len(entry) - len("\nTitle"))
    text = entry + padding + "\nTitle: Contrastive Preference Optimization\n"
    assert text.index("Title:") + len("Title") == 200_000  # its ':' is the 200001st character
    assert arxiv_listing.score(text) == 0.0
    assert arxiv_listing.score(text.replace("x", "", 1)) == 0.9
