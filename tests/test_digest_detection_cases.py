"""Detection's edge cases: empty and cut-off pastes, libraries of broken entries, a format
whose marks are there but whose reader finds nothing, a scorer or reader that fails, which
of two clipboard readings wins, and Windows line endings."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperdeck.core.digest import better_paste, bibtex_paste, detect_format, parse_digest, zotero_json

DIGESTS = Path(__file__).parent / "samples" / "digests"


def _sample(name: str) -> str:
    return (DIGESTS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("text", ["", "  \n\t\n", "\u200b\n"])
def test_an_empty_paste_is_called_empty(text: str) -> None:
    result = parse_digest(text)
    assert (result.format, result.drafts) == ("none", [])
    assert result.message.startswith("No papers recognised: the text is empty.")
    forced = parse_digest(text, fmt="ris")
    assert (forced.format, forced.drafts) == ("ris", [])
    assert "the text is empty" in forced.message


def test_a_cut_off_zotero_export_imports_nothing_and_says_why() -> None:
    """Half a Better BibTeX JSON file (a copy that stopped) must not fall through to the
    identifier-list reader, which would make dozens of half-empty cards from its DOIs."""
    text = _sample("zotero-bbt-library.json")
    result = parse_digest(text[: len(text) // 2])
    assert (result.format, result.drafts) == ("none", [])
    assert result.message.startswith("This looks like a Zotero or CSL-JSON export, but ")
    assert "not valid JSON" in result.message and "Export the library again" in result.message


def _jabref(entries: list[str]) -> str:
    """A JabRef library file: entries, then the metadata JabRef writes at the end."""
    return "% Encoding: UTF-8\n\n" + "\n\n".join(entries) + (
        "\n\n@Comment{jabref-meta: databaseType:bibtex;}\n\n"
        "@Comment{jabref-meta: grouping:\n0 AllEntriesGroup:;\n1 StaticGroup:Read\\;0\\;1\\;\\;\\;\\;;\n}\n")


GOOD = ("@Article{Vaswani2017,\n  author = {Vaswani, Ashish},\n  title = {Attention Is All You Need},\n"
        "  year = {2017},\n}")
UNTITLED = "@Misc{Empty{n},\n  year = {2019},\n  groups = {Read},\n}"


def test_a_library_of_only_broken_entries_is_named_in_its_own_format() -> None:
    """The tolerant BibTeX reader must not pick up what the JabRef reader refused."""
    text = _jabref(["@Article{A2020,\n  author = {Smith, Ann},\n  title = {Half an Entry},\n"])
    result = parse_digest(text)
    assert (result.format, result.drafts) == ("jabref", [])
    assert len(result.skipped) == 1 and "A2020" in result.skipped[0]
    assert result.message == (
        f"No papers recognised in this JabRef library (.bib). Skipped 1 broken entry: {result.skipped[0]}")


@pytest.mark.parametrize("broken", [0, 1, 3, 4])
def test_the_skipped_summary_names_up_to_three_entries(broken: int) -> None:
    text = _jabref([GOOD] + [UNTITLED.replace("{n}", str(i)) for i in range(broken)])
    result = parse_digest(text)
    assert result.format == "jabref"
    assert [d.title for d in result.drafts] == ["Attention Is All You Need"]
    keys = [f"Empty{i}" for i in range(broken)]
    assert [k for k, s in zip(keys, result.skipped, strict=True) if k in s] == keys
    summary = result.skipped_summary()
    if broken == 0:
        assert summary == ""
    elif broken == 1:
        assert summary == f"Skipped 1 broken entry: {result.skipped[0]}"
    elif broken == 3:
        assert summary == "Skipped 3 broken entries: " + "; ".join(result.skipped)
    else:
        assert summary == "Skipped 4 broken entries: " + "; ".join(result.skipped[:3]) + "; …"


def test_the_sample_library_names_its_four_broken_entries() -> None:
    result = parse_digest(_sample("jabref-library.bib"))
    summary = result.skipped_summary()
    assert summary.startswith("Skipped 4 broken entries: line 516 (Broken2020unclosed): no closing brace")
    assert summary.endswith("; …") and "Broken2018garbage" not in summary


def test_an_arxiv_list_with_the_number_above_the_id_reads_as_a_list() -> None:
    """A copy that puts "[1]" on its own line above "arXiv:2401.08417": the list page
    scores highest, and must not lose to the arXiv-email reader (which would glue each
    title to its author line)."""
    text = _sample("arxiv-list-new.txt").replace("] arXiv:", "]\narXiv:")
    result = parse_digest(text)
    assert result.format == "arxiv-listing"
    assert [d.title for d in result.drafts] == [
        "Contrastive Preference Optimization: Pushing the Boundaries of LLM Performance in "
        "Machine Translation",
        "Tuning Language Models by Proxy",
        "The Faiss library",
        "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
    ]
    assert result.drafts[1].authors[0] == "Alisa Liu"


def test_marks_of_a_format_without_its_papers_fall_to_the_next_reader() -> None:
    """The Hugging Face page furniture copied together with a few bare arXiv ids: the HF
    reader finds no paper cards, the id list reader does."""
    text = "Daily Papers\nGet trending papers in your email inbox!\n\narXiv:2401.08417\narXiv:2401.08565\n"
    result = parse_digest(text)
    assert result.format == "identifiers"
    assert [d.arxiv_id for d in result.drafts] == ["2401.08417", "2401.08565"]


def test_a_single_bare_doi_is_one_untitled_card() -> None:
    result = parse_digest("https://doi.org/10.1038/nature14539\n")
    assert result.format == "identifiers"
    assert [(d.title, d.doi) for d in result.drafts] == [("", "10.1038/nature14539")]


def test_a_scorer_that_fails_costs_only_its_format(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> float:
        raise RuntimeError("scorer bug")

    monkeypatch.setattr(zotero_json, "score", broken)  # the first format asked
    assert detect_format(_sample("bibtex-mixed.bib")) == "bibtex"


def test_a_reader_that_fails_costs_only_its_format(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> list:
        raise RuntimeError("parser bug")

    monkeypatch.setattr(bibtex_paste, "parse", broken)
    result = parse_digest(_sample("bibtex-mixed.bib"))
    assert result.format != "bibtex"
    forced = parse_digest(_sample("bibtex-mixed.bib"), fmt="bibtex")
    assert forced.drafts == [] and "nothing in the text read as BibTeX" in forced.message


def test_windows_line_endings_read_like_unix_ones() -> None:
    """A Hugging Face page saved as markdown on Windows (CRLF): the same cards."""
    text = _sample("hf-daily-jina-markdown.md")
    unix = parse_digest(text)
    windows = parse_digest(text.replace("\n", "\r\n"))
    assert windows.format == unix.format == "hf-papers"
    assert [(d.title, d.arxiv_id) for d in windows.drafts] == [(d.title, d.arxiv_id) for d in unix.drafts]
    assert len(windows.drafts) == 6


RICH = _sample("scholar-alert-rich.html")  # reads as two titled papers


def test_a_titled_paper_counts_as_two_bare_ids() -> None:
    """Clipboard readings are weighed: a titled card is worth two untitled ones, and on a
    tie the plain text (what the user sees) wins."""
    ids = ["arXiv:2401.08417", "arXiv:2401.08565", "arXiv:2401.08281", "arXiv:2305.18290"]
    three = "\n".join(ids[:3]) + "\n"
    four = "\n".join(ids) + "\n"
    assert "Denoising Diffusion" in better_paste(three, RICH)  # 2 titled beat 3 bare ids
    assert better_paste(four, RICH) == four  # 2 titled tie with 4 bare ids


def test_a_blank_html_part_keeps_the_plain_text_as_it_is() -> None:
    assert better_paste("\n", "") == "\n"
    assert better_paste("arXiv:2401.08417", "  ") == "arXiv:2401.08417"


def test_a_paste_that_looks_a_little_like_many_formats_is_read_at_most_three_times(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each weak reading parses the whole paste: a big messy notes file must not be read by
    every format. The real readers run; the test only records which were asked."""
    import paperdeck.core.digest as digest

    asked: list[str] = []
    for parser in digest._PARSERS:
        def recording(text: str, parser=parser, real=parser.parse) -> list:
            asked.append(parser.NAME)
            return real(text)

        monkeypatch.setattr(parser, "parse", recording)
    notes = (
        "Reading notes, week 3\n\n[1] arXiv:2401.08417\n[2] arXiv:2401.08565\n"
        "- [Tuning Language Models by Proxy](https://arxiv.org/abs/2401.08565)\n"
        "@article{xu2024cpo,\nTY  - JOUR\n"
    )
    result = parse_digest(notes)
    assert asked == ["arxiv-listing", "bibtex", "identifiers"]  # by score; markdown and RIS not read
    assert result.format == "identifiers"
    assert [d.arxiv_id for d in result.drafts] == ["2401.08417", "2401.08565"]
