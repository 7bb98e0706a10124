"""BibTeX export: entry shape, escaping, and what bibtex, biber and LaTeX say about it."""

from __future__ import annotations

import json
import random
import re
import unicodedata
from pathlib import Path

import bibtexparser
import pytest
from pylatexenc import latex2text

from bibtools import compile_bib, declare_kept, needs, validate_with_biber
from paperdeck.core.bibtex import (
    clean_text,
    format_name,
    format_title,
    format_verbatim,
    kept_characters,
    latex_escape,
    paper_entry,
    to_bibtex,
)
from paperdeck.core.citekeys import make_citekey
from paperdeck.core.models import Paper

DIGESTS = Path(__file__).resolve().parent / "samples" / "hf-fixture"
SPECIAL_CHARS = "{}\\%&$#_^~@<>|"

HOSTILE_TEXTS = [
    "\\input{/etc/passwd}",
    "\\immediate\\write18{touch PWNED-write18}",
    "\\write18{touch PWNED-plain}",
    "^^5cinput^^7b/etc/passwd^^7d",
    "Unbalanced { brace and }} closers {{",
    "100% of $5 & #1 _under_ ^hat~ @home <a> |pipe|",
    "\\end{document} \\def\\x{y} \\csname relax\\endcsname",
    "Emoji 🤗🚀 and CJK 深度学习 and RTL שלום עליכם مرحبا \u202eevil\u202c",
    "Tabs\tand\nnewlines\r\nand\x00controls\x07",
    "@misc{injected, title={x}}",
    "x\n@book(evil,\ntitle = x,\nyear= 2000)",
]
# What a reader of the printed entry should see of each, written out by hand: the same
# characters, one space for any run of whitespace, no control or bidi-override characters.
HOSTILE_READ = [
    "\\input{/etc/passwd}",
    "\\immediate\\write18{touch PWNED-write18}",
    "\\write18{touch PWNED-plain}",
    "^^5cinput^^7b/etc/passwd^^7d",
    "Unbalanced { brace and }} closers {{",
    "100% of $5 & #1 _under_ ^hat~ @home <a> |pipe|",
    "\\end{document} \\def\\x{y} \\csname relax\\endcsname",
    "Emoji 🤗🚀 and CJK 深度学习 and RTL שלום עליכם مرحبا evil",
    "Tabs and newlines andcontrols",
    "@misc{injected, title={x}}",
    "x @book(evil, title = x, year= 2000)",
]


def decoder() -> latex2text.LatexNodes2Text:
    """latex2text that also knows the text-mode symbols our escapes use."""
    db = latex2text.get_default_latex_context_db()
    symbols = {
        "textbraceleft": "{", "textbraceright": "}", "textless": "<", "textgreater": ">",
        "textbar": "|", "textasciicircum": "^", "textasciitilde": "~", "textbackslash": "\\",
    }  # fmt: skip
    macros = [latex2text.MacroTextSpec(name, text) for name, text in symbols.items()]
    db.add_context_category("paperdeck-test", prepend=True, macros=macros)
    return latex2text.LatexNodes2Text(latex_context=db)


DECODE = decoder()


def decoded(value: str) -> str:
    return " ".join(DECODE.latex_to_text(value).split())


def ligatures(text: str) -> str:
    """Text with TeX's quote and dash ligatures spelt out, as LaTeX reads ASCII."""
    for glyph, ascii_form in (("“", "``"), ("”", "''"), ("—", "---"), ("–", "--")):
        text = text.replace(glyph, ascii_form)
    return text


def read_digest_pairs(path: Path) -> list[tuple[str, str]]:
    """(title, abstract) pairs: line 3 onward, title line then abstract line."""
    lines = path.read_text(encoding="utf-8").splitlines()[2:]
    pairs = list(zip(lines[0::2], lines[1::2], strict=True))
    first_title = pairs[0][0].removeprefix("Subscribe")
    return [(first_title, pairs[0][1]), *pairs[1:]]


def with_keys(papers: list[Paper]) -> list[Paper]:
    taken: set[str] = set()
    for paper in papers:
        paper.citekey = make_citekey(paper.authors, paper.title, paper.year, taken)
        taken.add(paper.citekey)
    return papers


@pytest.fixture(scope="module")
def sample_papers() -> list[Paper]:
    digest = DIGESTS / "hf-trending-papers.txt"  # shipped: a missing file fails, never skips
    pairs = read_digest_pairs(digest)
    expected = json.loads((DIGESTS / "hf-trending-papers.expected.json").read_text("utf-8"))
    assert [title for title, _ in pairs] == [item["title"] for item in expected]
    papers = [Paper(id=i, title=t, abstract=a) for i, (t, a) in enumerate(pairs, 1)]
    return with_keys(papers)


@pytest.fixture(scope="module")
def hostile_papers() -> list[Paper]:
    papers = []
    for i, text in enumerate(HOSTILE_TEXTS, 1):
        papers.append(
            Paper(
                id=i,
                title=f"{text} Title",
                authors=[text, f"Ann {text}", "Jan van der Berg"] if i % 3 else [],
                year=2024,
                abstract=text * 3,
                notes=text,
                tags=[text, "plain"],
                venue=text if i % 2 else "",
                url=f"https://example.org/{text}",
                doi=f"10.1000/{text}",
                arxiv_id="2409.06096" if i % 4 == 0 else "",
            )
        )
    papers.append(Paper(id=99, title="", arxiv_id="2401.00001", year=2024))
    papers.append(Paper(id=100, title="Long", abstract="Lorem ipsum dolor sit. " * 900))
    papers[-1].year = 2024
    return with_keys(papers)


# --- entry shape -----------------------------------------------------------------


def test_arxiv_preprint_is_misc_with_eprint_fields() -> None:
    paper = Paper(
        id=1, title="Re-TASK", authors=["Jin Lee"], year=2024, arxiv_id="2409.06096",
        primary_class="cs.CL", citekey="lee2024retask",
    )  # fmt: skip
    entry = paper_entry(paper)
    assert entry.startswith("@misc{lee2024retask,\n")
    for line in ("eprint = {2409.06096}", "archivePrefix = {arXiv}", "primaryClass = {cs.CL}",
                 "url = {https://arxiv.org/abs/2409.06096}", "year = {2024}"):  # fmt: skip
        assert line in entry
    assert "key = " not in entry


def test_article_needs_venue_author_and_year_else_misc_howpublished() -> None:
    full = Paper(id=1, title="T", authors=["A B"], year=2020, venue="Nature", citekey="k")
    assert paper_entry(full).startswith("@article{k,")
    assert "journal = {Nature}" in paper_entry(full)
    no_year = Paper(id=2, title="T", authors=["A B"], venue="Nature", citekey="k")
    assert paper_entry(no_year).startswith("@misc{k,")
    assert "howpublished = {Nature}" in paper_entry(no_year)
    preprint = Paper(id=3, title="T", authors=["A B"], year=2020, venue="arXiv", citekey="k")
    assert paper_entry(preprint).startswith("@misc{k,")
    assert "arXiv}" not in paper_entry(preprint).split("title")[1].split("year")[0]


def test_keys_are_required_safe_and_unique() -> None:
    with pytest.raises(ValueError, match="no citation key"):
        paper_entry(Paper(id=1, title="T"))
    with pytest.raises(ValueError, match="unsafe"):
        paper_entry(Paper(id=1, title="T", citekey="a,b"))
    with pytest.raises(ValueError, match="repeated"):
        to_bibtex([Paper(id=1, title="T", citekey="a"), Paper(id=2, title="U", citekey="A")])


def test_missing_title_uses_the_identifier_and_no_key_field_is_written() -> None:
    # A `key` copy of the title made natbib print it twice and lose the year (issue 18.6);
    # Better BibTeX and JabRef write none.
    entry = paper_entry(Paper(id=1, title="", arxiv_id="2401.00001", citekey="k"))
    assert "title = {2401.00001}" in entry
    assert "key = " not in entry.replace("citekey", "")
    assert "key = " not in paper_entry(Paper(id=1, title="T", citekey="k"), utf8=True)


def test_title_protection_rule() -> None:
    # Acronyms, inner capitals and known proper names only (Better BibTeX's rule, 18.9).
    title = "Re-TASK: Revisiting LLM Tasks with CoT, GPT-4 and LoRA in Minecraft"
    assert format_title(title) == (
        "{Re-TASK}: Revisiting {LLM} Tasks with {CoT}, {GPT-4} and {LoRA} in {Minecraft}"
    )
    assert format_title("Economic Consequences of Online Tracking") == (
        "Economic Consequences of Online Tracking"
    )
    assert format_title("Self-Supervised 3D Part B of a Bayesian X") == (
        "Self-Supervised {3D} Part {B} of a {Bayesian} {X}"
    )
    assert format_title("Skill expansion in parameter space") == ("Skill expansion in parameter space")
    assert format_title("Élan vital über alles") == "{\\'E}lan vital {\\\"u}ber alles"
    assert format_title("Élan Über", utf8=True) == "Élan Über"


def test_math_in_titles_stays_math() -> None:
    # arXiv's own BibTeX and JabRef keep $...$ (18.3); a word holding math is braced whole.
    assert format_title("$O(\\sqrt{n})$ Regret for H$_2$O and $x_i^2$") == (
        "{$O(\\sqrt{n})$} Regret for {H$_2$O} and {$x_i^2$}"
    )
    assert format_title("$\\alpha$-Divergences") == "{$\\alpha$-Divergences}"
    # Not math: money, unknown commands, unbalanced braces are escaped as before.
    assert format_title("Costs $5 and $6") == "Costs {\\$}5 and {\\$}6"
    assert "\\input" not in format_title("$\\input{x}$").replace("textbackslash}input", "")
    assert format_title("$a{$") == "{\\$}a{\\textbraceleft}{\\$}"


def test_names() -> None:
    assert format_name("Hans Müller") == 'M{\\"u}ller, Hans'
    assert format_name("Hans Müller", utf8=True) == "Müller, Hans"
    assert format_name("van der Berg, Jan") == "van der Berg, Jan"
    assert format_name("Jan van der Berg") == "van der Berg, Jan"
    assert format_name("King, Jr., Martin") == "King, Jr., Martin"
    assert format_name("Martin Luther King Jr.") == "King, Jr., Martin Luther"
    assert format_name("Martin Luther King, Jr.") == "King, Jr., Martin Luther"
    assert format_name("Vincent Van Gogh") == "Van Gogh, Vincent"
    assert format_name("The ATLAS Collaboration") == "{The ATLAS Collaboration}"
    assert format_name("Johnson and Johnson") == "{Johnson and Johnson}"
    assert format_name("  ") == ""
    assert format_name("et al.") == "others"
    assert format_name("Ann {Lee}") == "{\\textbraceleft}Lee{\\textbraceright}, Ann"
    assert format_name("Ann~Lee") == "Ann{\\textasciitilde}Lee"


def test_specials_and_unknown_characters() -> None:
    assert latex_escape("50% & $5 #1 a_b") == "50{\\%} {\\&} {\\$}5 {\\#}1 a{\\_}b"
    assert latex_escape("\\input{x}") == "{\\textbackslash}input{\\textbraceleft}x{\\textbraceright}"
    # Never "?" and never an accent dropped (18.7): a form that compiles in OT1, else the
    # character itself ("ą" needs T1's \k, so it is kept); math-only characters are
    # \ensuremath in both flavours (18.8).
    assert latex_escape("ą ț Ł ễ") == "ą {\\textcommabelow{t}} {\\L} {\\~{\\^{e}}}"
    assert latex_escape("🤗 深") == "🤗 深"
    assert latex_escape("🤗 深", utf8=True) == "🤗 深"
    assert latex_escape("α ≤ √ 𝒪", utf8=True) == (
        "{\\ensuremath{\\alpha}} {\\ensuremath{\\leq}} {\\ensuremath{\\surd}} "
        "{\\ensuremath{\\mathcal{O}}}"
    )
    assert clean_text("a\u202eb\x00c\t d\u2003e") == "abc d e"


def test_verbatim_fields_are_percent_encoded() -> None:
    assert format_verbatim("https://x.org/a{b}\\c%zz%20é") == ("https://x.org/a%7Bb%7D%5Cc%25zz%20%C3%A9")
    assert format_verbatim("10.1002/(SICI)1097<389::AID>3.0.CO;2-L") == (
        "10.1002/(SICI)1097%3C389::AID%3E3.0.CO;2-L"
    )
    # A DOI keeps its SICI angle brackets; whitespace in a URL is encoded, not deleted (18.10).
    assert format_verbatim("10.1002/(SICI)1097<389::AID>3.0.CO;2-L", url=False) == (
        "10.1002/(SICI)1097<389::AID>3.0.CO;2-L"
    )
    assert format_verbatim("https://x.org/a b") == "https://x.org/a%20b"


def test_tags_and_notes() -> None:
    paper = Paper(id=1, title="T", tags=["rl", "a,b", ""], notes="my % note", citekey="k")
    entry = paper_entry(paper)
    assert "keywords = {rl, a b}" in entry
    assert "annote = {my {\\%} note}" in entry
    assert "note = " not in entry.replace("annote = ", "")


def test_hostile_output_is_structurally_safe(hostile_papers: list[Paper]) -> None:
    for utf8 in (False, True):
        bib = to_bibtex(hostile_papers, utf8=utf8)
        # The ASCII flavour keeps only characters that have no LaTeX form (CJK, emoji...).
        assert utf8 or all(latex_escape(ch) == ch for ch in kept_characters(bib))
        depth = 0
        for i, ch in enumerate(bib):
            depth += {"{": 1, "}": -1}.get(ch, 0)
            assert depth >= 0
            if ch == "\\":
                assert bib[i - 1] == "{", bib[i - 20 : i + 20]  # every command is in braces
        assert depth == 0
        assert "^^" not in bib
        assert not any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in bib)
        assert "\u202e" not in bib


# --- parse back ------------------------------------------------------------------


@pytest.mark.parametrize("utf8", [False, True])
def test_sample_parses_back_to_the_same_titles(sample_papers: list[Paper], utf8: bool) -> None:
    library = bibtexparser.parse_string(to_bibtex(sample_papers, utf8=utf8))
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == [p.citekey for p in sample_papers]
    for entry, paper in zip(library.entries, sample_papers, strict=True):
        assert ligatures(decoded(entry["title"])) == ligatures(paper.title)
        # the sample holds no control characters: whitespace runs become one space
        plain = " ".join(unicodedata.normalize("NFC", paper.abstract).split())
        assert ligatures(decoded(entry["abstract"])) == ligatures(plain)


def test_hostile_parses_back(hostile_papers: list[Paper]) -> None:
    library = bibtexparser.parse_string(to_bibtex(hostile_papers, utf8=True))
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == [p.citekey for p in hostile_papers]
    read = {i: text for i, text in enumerate(HOSTILE_READ, 1)}
    for entry, paper in zip(library.entries, hostile_papers, strict=True):
        title = {99: "2401.00001", 100: "Long"}.get(paper.id) or f"{read[paper.id]} Title"
        assert decoded(entry["title"]) == title
        assert decoded(entry["annote"] if paper.notes else "") == read.get(paper.id, "")


# --- the real tools ----------------------------------------------------------------


@needs("pdflatex", "bibtex")
def test_sample_compiles_with_plain_bibtex_cleanly(sample_papers: list[Paper], tmp_path: Path) -> None:
    run = compile_bib(to_bibtex(sample_papers), tmp_path)
    assert run.returncodes == [0, 0, 0], run.log[-2000:]
    # The digest names no authors and we write no `key` (issue 18.6, as Better BibTeX and
    # JabRef): sorting styles say so once per entry, and say nothing else.
    warned = [line for line in run.bibtex_problems() if not line.startswith("(There w")]
    assert warned == [f"Warning--to sort, need author or key in {p.citekey}" for p in sample_papers]
    assert run.latex_problems() == []
    assert run.bbl.count("\\bibitem") == len(sample_papers)


@needs("pdflatex", "bibtex")
def test_hostile_input_compiles_and_executes_nothing(hostile_papers: list[Paper], tmp_path: Path) -> None:
    # Shell escape on: the worst configuration a user might have.
    bib = to_bibtex(hostile_papers)
    run = compile_bib(bib, tmp_path, packages=declare_kept(bib), shell_escape=True)
    assert run.returncodes == [0, 0, 0], run.log[-2000:]
    assert run.problems_besides_authorless() == []
    assert run.latex_problems() == []
    assert not list(tmp_path.glob("PWNED*"))
    assert "(/etc/passwd" not in run.log  # TeX logs every file it \input-s like this
    assert "runsystem" not in run.log


@needs("pdflatex", "bibtex")
def test_the_harness_would_see_execution(tmp_path: Path) -> None:
    """Control for the test above: the same text unescaped does run and read."""
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "secret.tex").write_text("TOPSECRET\n", encoding="ascii")
    raw = "@misc{k,\n  title = {\\immediate\\write18{touch PWNED} \\input{secret}},\n}\n"
    run = compile_bib(raw, tmp_path, shell_escape=True)
    assert (tmp_path / "PWNED").exists()
    assert "(./secret.tex" in run.log


@needs("pdflatex", "bibtex")
def test_urls_and_dois_compile_in_a_style_that_prints_them(
    hostile_papers: list[Paper], tmp_path: Path
) -> None:
    bib = to_bibtex(hostile_papers)
    packages = "\\usepackage{natbib,url}\n" + declare_kept(bib)
    run = compile_bib(bib, tmp_path, style="plainnat", packages=packages)
    assert run.returncodes == [0, 0, 0], run.log[-2000:]
    assert run.problems_besides_authorless() == []
    assert run.latex_problems() == []
    assert "\\url{https://example.org/" in run.bbl
    # Every DOI is written and printed (a dropped doi field used to pass this test).
    assert bib.count("  doi = {10.1000/") == sum(1 for p in hostile_papers if p.doi)
    articles = [e for e in bib.split("\n@") if e.lstrip("@").startswith("article{") and "doi = " in e]
    assert articles and run.bbl.count("\\doi{10.1000/") == len(articles)  # plainnat: articles only


@needs("pdflatex", "bibtex")
def test_every_character_pylatexenc_knows_compiles(tmp_path: Path) -> None:
    """Guards the command allowlist in bibtex.py against pylatexenc upgrades."""
    chars = [chr(cp) for cp in range(0xA0, 0x30000) if not 0xD800 <= cp <= 0xDFFF]
    chars = [ch for ch in chars if unicodedata.category(ch) not in ("Cn", "Co", "Cs")]
    chunks = [" ".join(chars[i : i + 400]) for i in range(0, len(chars), 400)]
    papers = with_keys([Paper(id=i, title=c, authors=[c[:40]]) for i, c in enumerate(chunks)])
    bib = to_bibtex(papers)
    run = compile_bib(bib, tmp_path, packages=declare_kept(bib))  # kept ones aside
    assert run.returncodes == [0, 0, 0], run.log[-2000:]
    assert run.bibtex_problems() == []
    assert [p for p in run.latex_problems() if "Missing character" not in p] == []


@needs("biber")
def test_sample_validates_with_biber(sample_papers: list[Paper], tmp_path: Path) -> None:
    run = validate_with_biber(to_bibtex(sample_papers, utf8=True), tmp_path)
    assert run.returncode == 0, run.output
    # The digest has no years and we no longer write "date = {XXXX}" (biblatex printed
    # "Title ()", issue 18.5): biber notes the missing date, and nothing else.
    assert run.problems() == [
        f"WARN - Datamodel: Entry '{p.citekey}' (refs.bib): Missing mandatory field - one of"
        " 'date, year' must be defined" for p in sample_papers
    ]
    dated = [Paper(**{**vars(p), "year": 2025}) for p in sample_papers]
    run = validate_with_biber(to_bibtex(dated, utf8=True), tmp_path / "dated")
    assert run.returncode == 0 and run.problems() == [], run.output


@needs("biber")
def test_hostile_input_validates_with_biber(hostile_papers: list[Paper], tmp_path: Path) -> None:
    run = validate_with_biber(to_bibtex(hostile_papers, utf8=True), tmp_path)
    assert run.returncode == 0, run.output
    assert run.problems() == [], run.output
    ascii_run = validate_with_biber(to_bibtex(hostile_papers), tmp_path / "ascii")
    assert ascii_run.returncode == 0 and ascii_run.problems() == [], ascii_run.output


def test_wrapped_lines_never_look_like_a_field() -> None:
    """biber's parser warns of a "runaway string" when a value line reads ``name =``."""
    text = "word " * 13 + "x = y " + "a-b = c " * 12 + "title={x} " * 8
    entry = paper_entry(Paper(id=1, title=text, abstract=text, citekey="k"))
    continuation = [line for line in entry.splitlines() if line.startswith("    ")]
    assert len(continuation) > 4
    assert not [line for line in continuation if re.match(r"\s*[A-Za-z][^\s{}=]*\s*=", line)]
    assert max(len(line) for line in entry.splitlines()) <= 79


def test_journal_refs_are_split_only_when_unambiguous() -> None:
    # arXiv's Journal-ref (18.4): journal, volume, pages and the journal's year, not the preprint's.
    ref = Paper(id=1, title="T", authors=["A B"], year=2022, venue="Phys. Rev. D 108, 012345 (2023)",
                citekey="k")  # fmt: skip
    entry = paper_entry(ref)
    assert entry.startswith("@article{k,")
    for line in ("journal = {Phys. Rev. D}", "volume = {108}", "pages = {012345}", "year = {2023}"):
        assert line in entry
    jhep = paper_entry(Paper(id=2, title="T", authors=["A B"], venue="JHEP 05 (2023) 123", citekey="k"))
    assert "journal = {JHEP}" in jhep and "volume = {05}" in jhep and "pages = {123}" in jhep
    vague = paper_entry(Paper(id=3, title="T", authors=["A B"], year=2020,
                              venue="Accepted at NeurIPS 2020, 12 pages", citekey="k"))  # fmt: skip
    assert "journal = {Accepted at NeurIPS 2020, 12 pages}" in vague and "volume" not in vague
    # A Scholar venue cut short with "…" is no journal: it stays "how published", "…" and all.
    cut = paper_entry(Paper(id=4, title="T", authors=["A B"], year=2020,
                            venue="Proceedings of the …", citekey="k"))  # fmt: skip
    assert cut.startswith("@misc{k,") and "howpublished = {Proceedings of the" in cut


def test_pasted_entry_types_keep_their_fields_and_are_never_invented() -> None:
    paper = Paper(id=1, title="T", authors=["A B"], year=2023, venue="Proc. ICML", citekey="k",
                  entry_type="inproceedings",
                  fields={"booktitle": "Proc. ICML", "pages": "1-9", "month": "Jul", "publisher": "PMLR"})
    entry = paper_entry(paper)
    assert entry.startswith("@inproceedings{k,")
    for line in ("booktitle = {Proc. ICML}", "pages = {1--9}", "month = jul,", "publisher = {PMLR}"):
        assert line in entry
    assert "journal" not in entry and "howpublished" not in entry
    # No year: a proceedings paper lacks what @inproceedings requires, so it is @misc.
    no_year = Paper(**{**vars(paper), "year": None})
    assert paper_entry(no_year).startswith("@misc{k,")


MATH_TITLES = [
    # kept as math
    "$O(\\sqrt{n})$ regret", "H$_2$O", "$x_i^2$ terms", "$\\alpha$-divergences",
    "$\\frac{1}{2}$-approximation", "$\\mathcal{O}(n \\log n)$", "$\\hat x$ and $\\vec{v}$",
    "$x_{i}^{2}$", "$\\{0,1\\}^n$ cube", "$\\frac12$ and $\\frac{n}2$ halves", "$\\hat x+1$ shifted",
    # escaped: LaTeX would stop on these (\\mathbb needs amsfonts)
    "$f: \\mathbb{R}$", "$x^$ end", "$x_a_b$ twice", "$\\frac{1}$ half", "$\\sqrt$ bare", "$\\left( x$ open",
    "$\\text{no amsmath}$", "$a{$ unbalanced", "$\\input{x}$", "$x^^5c$",
    "A $x}{y$ closed early", "Pay $a and $b", "$é$ accented", "$\\hat\\frac ab$ accent on a command",
]


@needs("pdflatex", "bibtex")
def test_math_kept_in_titles_always_compiles(tmp_path: Path) -> None:
    """Oracle: pdflatex. What we keep as math compiles; what would not is escaped."""
    papers = with_keys([Paper(id=i, title=t, authors=["Ann Lee"], year=2020, abstract=t)
                        for i, t in enumerate(MATH_TITLES)])
    bib = to_bibtex(papers)
    run = compile_bib(bib, tmp_path)
    assert run.returncodes == [0, 0, 0], run.log[-2000:]
    assert run.bibtex_problems() == [] and run.latex_problems() == []
    kept = [t for t in MATH_TITLES if "{\\$}" not in format_title(t)]
    assert kept == MATH_TITLES[:11]


def test_biblatex_flavour_writes_biblatex_types_and_fields() -> None:
    """Issue 18.12: biblatex's own names, not the BibTeX aliases it tolerates."""
    thesis = Paper(id=1, title="T", authors=["A B"], year=2020, citekey="k", entry_type="phdthesis",
                   fields={"school": "MIT", "address": "Cambridge, MA"})
    bibtex_entry, biblatex_entry = paper_entry(thesis), paper_entry(thesis, biblatex=True)
    assert bibtex_entry.startswith("@phdthesis{k,") and "school = {MIT}" in bibtex_entry
    assert biblatex_entry.startswith("@thesis{k,")
    for line in ("type = {phdthesis}", "institution = {MIT}", "location = {Cambridge, MA}", "date = {2020}"):
        assert line in biblatex_entry
    assert "school" not in biblatex_entry and "address" not in biblatex_entry
    report = Paper(id=2, title="T", authors=["A B"], year=2020, citekey="r", entry_type="techreport",
                   fields={"institution": "OpenAI"})
    assert paper_entry(report, biblatex=True).startswith("@report{r,\n  author = {B, A},\n  title = {T},\n"
                                                         "  type = {techreport},")


# --- cases found by mutation testing (tests/mutation/core.bibtex.toml) -------------


def test_math_letters_without_a_default_font_form_are_kept_never_mangled() -> None:
    """A script small letter has no \\mathcal form (capitals only): italic instead; a bold Greek
    letter has no ASCII base, and a fullwidth letter is no math, so both are kept as they are."""
    assert latex_escape("𝒶 𝓪 𝓐") == (
        "{\\ensuremath{\\mathit{a}}} {\\ensuremath{\\mathit{a}}} {\\ensuremath{\\mathcal{A}}}"
    )
    assert latex_escape("𝛂 Ａ") == "𝛂 Ａ"
    assert kept_characters(latex_escape("𝛂 Ａ")) == ["Ａ", "𝛂"]


def test_math_segments_cut_text_without_empty_pieces() -> None:
    from paperdeck.core.bibtex import escape_with_math, math_segments

    assert math_segments("$x$ and $y$") == [(True, "$x$"), (False, " and "), (True, "$y$")]
    assert math_segments("$x$") == [(True, "$x$")]
    # The default flavour is ASCII, as everywhere in this module.
    assert escape_with_math("é at $x_i$") == "{\\'e} at {$x_i$}"


def test_digits_before_a_capital_are_protected_even_in_parentheses() -> None:
    assert format_title("Three-Dimensional (3D) Reconstruction") == (
        "Three-Dimensional ({3D}) Reconstruction"
    )


def test_name_lists_and_flavour_defaults() -> None:
    from paperdeck.core.bibtex import format_names

    # "et al." anywhere is one trailing "and others"; ASCII and bibtex's {\relax} by default.
    assert format_names(["明 李", "et al.", "Łukasz Kaiser"]) == (
        "李, {\\relax 明} and Kaiser, {\\L}ukasz and others"
    )
    assert format_names(["et al."]) == ""
    assert format_name("Łukasz Kaiser", utf8=True) == "Kaiser, {\\relax Łukasz}"
    assert format_name("Łukasz Kaiser", utf8=True, biblatex=True) == "Kaiser, Łukasz"
    # Only a first name OPENING with a multi-byte letter needs the group.
    assert format_name("Sören Kierkegaard", utf8=True) == "Kierkegaard, Sören"
    # A one-word organisation is braced like any corporate name.
    assert format_name("Contributors") == "{Contributors}"


def stored_parts(*forms: tuple[str, list[str]]) -> dict:
    """A paper's ``fields`` holding the name parts a paste gave (see `names.name_forms`)."""
    return {"names": dict(forms)}


@needs("pdflatex", "bibtex")
def test_pasted_name_parts_reach_bibtex_whole(tmp_path: Path) -> None:
    """Oracle: bibtex's abbrv style. Parts a paste gave ("{Barnes and Noble}, Ann", a family
    name opening in lower case, a two-word name without a first name) must not be re-split."""
    authors = ["Ann Barnes and Noble", "Ana de la Cruz", "Van Gogh"]
    fields = stored_parts(
        ("Ann Barnes and Noble", ["Ann", "", "Barnes and Noble", "", ""]),
        ("Ana de la Cruz", ["Ana", "", "de la Cruz", "", ""]),
        ("Van Gogh", ["", "", "Van Gogh", "", ""]),
    )
    paper = Paper(id=1, title="T", authors=authors, year=2020, citekey="k", fields=fields)
    entry = paper_entry(paper)
    assert "author = {{Barnes and Noble}, Ann and {de la Cruz}, Ana and {Van Gogh}}" in entry
    run = compile_bib(entry, tmp_path, style="abbrv")
    assert run.returncodes == [0, 0, 0], run.log[-2000:]
    assert run.bibtex_problems() == []
    assert "A.~{Barnes and Noble}, A.~{de la Cruz}, and {Van Gogh}." in " ".join(run.bbl.split())


def test_verbatim_values_lose_surrounding_whitespace() -> None:
    # A URL pasted with its line break: the break is no part of the address.
    assert format_verbatim(" https://x.org/a\tb\n") == "https://x.org/a%20b"


def test_long_values_fill_each_line_up_to_the_width() -> None:
    """Greedy wrapping: no line is longer than 79 characters, and none could have taken
    the next word (words of every length from 1 to 12 meet the edge exactly somewhere)."""
    sizes = random.Random(7)
    words = ["abcdefghijkl"[: sizes.randint(1, 12)] for _ in range(400)]
    entry = paper_entry(Paper(id=1, title="T", abstract=" ".join(words), citekey="k"))
    lines = entry.split("abstract = {", 1)[1].split("\n")
    body = [line for line in lines if line.startswith("    ")]
    assert max(len(line) for line in entry.splitlines()) <= 79
    assert any(len(line) == 79 for line in body)
    for line, following in zip(body, body[1:], strict=False):
        assert len(line) + 1 + len(following.split()[0]) > 79, line


def test_editors_are_a_name_list_like_authors() -> None:
    paper = Paper(id=1, title="T", authors=["Ann Lee"], year=2020, citekey="k", entry_type="incollection",
                  fields={"booktitle": "Essays", "editor": "Jan van der Berg and Müller, Hans"})
    assert "  editor = {van der Berg, Jan and M{\\\"u}ller, Hans},\n" in paper_entry(paper)


def test_biblatex_online_only_for_a_venue_less_web_page() -> None:
    web = Paper(id=1, title="T", authors=["Ann Lee"], year=2020, url="https://example.org/post", citekey="k")
    assert paper_entry(web, biblatex=True).startswith("@online{k,")
    assert paper_entry(web).startswith("@misc{k,")
    # Undated with a venue: no article (styles need the year), and no web page either.
    blog = Paper(**{**vars(web), "venue": "Distill", "year": None})
    assert paper_entry(blog, biblatex=True).startswith("@misc{k,")
    article = Paper(**{**vars(web), "venue": "Nature"})
    assert paper_entry(article, biblatex=True).startswith("@article{k,")
    # eprint is verbatim like doi: angle brackets are kept, only what breaks the field is encoded.
    assert "eprint = {a<b>%7Bc}" in paper_entry(Paper(id=2, title="T", arxiv_id="a<b>{c", citekey="e"))


def test_only_the_month_is_written_as_a_month_macro() -> None:
    """bibtex expands a bare ``dec`` to "December": a tag or title that reads like a month is braced."""
    paper = Paper(id=1, title="may", tags=["dec"], year=2020, citekey="k", fields={"month": "dec"})
    entry = paper_entry(paper)
    assert "  title = {may},\n" in entry and "  keywords = {dec},\n" in entry and "  month = dec,\n" in entry
    # ASCII is the default flavour.
    assert "  title = {{\\'E}lan},\n" in paper_entry(Paper(id=1, title="Élan", citekey="k"))


def test_name_parts_holding_a_comma_or_a_capital_and_are_braced() -> None:
    fields = stored_parts(("Ann B. Lee", ["Ann, B.", "", "Lee", "", ""]),
                          ("Ann Barnes And Noble", ["Ann", "", "Barnes And Noble", "", ""]))
    paper = Paper(id=1, title="T", authors=["Ann B. Lee", "Ann Barnes And Noble"], citekey="k", fields=fields)
    assert "author = {Lee, {Ann, B.} and {Barnes And Noble}, Ann}" in paper_entry(paper)
    assert "title = {{\\'E}lan}" in to_bibtex([Paper(id=1, title="Élan", citekey="k")])  # ASCII by default


@pytest.mark.parametrize("utf8", [False, True])
def test_a_combining_mark_is_written_as_an_accent_on_its_letter(utf8: bool) -> None:
    # pdflatex has no glyph for a lone U+0302 in either flavour ("not set up for use").
    nfd = unicodedata.normalize("NFD", "Nguyễn")
    assert latex_escape(nfd, utf8) == ("Nguyễn" if utf8 else "Nguy{\\~{\\^{e}}}n")
    assert latex_escape("Tr\u0302\u0300an x\u0302", utf8) == "T{\\`{\\^{r}}}an {\\^{x}}"
    assert latex_escape("\u0302 a \u0302", utf8) == "{\\^{}} a{\\^{ }}"  # on nothing, on a space
    assert latex_escape("\\\u0301", utf8) == "{\\'{{\\textbackslash}}}"
    # A mark with no command in a default document is kept, and reported as kept.
    assert kept_characters(latex_escape("k\u0328", utf8)) == ["\u0328"]


def test_a_capital_glued_to_a_hyphen_or_punctuation_keeps_its_braces() -> None:
    # A lone capital in a hyphenated word is braced like a lone capital word; words the
    # paste braced are braced in a hyphenated word too; punctuation stays outside the
    # braces, so a sentence-case style still sees the colon that keeps the next capital.
    assert format_title("Open X-Embodiment and U-Net", protect=frozenset({"Net"})) == (
        "Open {X}-Embodiment and {U}-{Net}"
    )
    assert format_title("BERT: Pre-training, (3D) C++") == "{BERT}: Pre-training, ({3D}) {C}++"
    # TeX's logos print as the logos (a default document has them), BibTeX's is text.
    assert format_title("The TeXbook, LaTeX and TeX-based BibTeX") == (
        "The {{\\TeX}book}, {{\\LaTeX}} and {{\\TeX}-based} {BibTeX}"
    )
