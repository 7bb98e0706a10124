"""Name parts (core/names.py) checked against bibtex's own name parser (format.name$), and
the display-name guesses, stored forms and TeX decoding the exporters rely on."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bibtools import TIMEOUT, needs
from paperdeck.core import names
from paperdeck.core.names import Name
from test_bibtex import decoded

# A style that writes each author's First|von|Last|Jr as bibtex splits them.
PARTS_BST = """ENTRY { author } {} {}
INTEGERS { i n }
FUNCTION {misc}
{ author num.names$ 'n :=
  #1 'i :=
  { i n #1 + < }
  { author i "{ff}|{vv}|{ll}|{jj}" format.name$ write$ newline$
    i #1 + 'i := }
  while$
}
READ
ITERATE {call.type$}
"""

# Written the way .bib files from Better BibTeX, JabRef and publishers write them.
BIB_NAMES = [
    "Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin",  # Patashnik's own example
    "{\\'E}douard Manet",
    "Jean {\\'e}mile Zola",
    "{\\'{e}}mile Zola",
    "jean de la fontaine",
    "King, Jr., Martin Luther",
    "Ford, Jr., Henry",
    "{OpenAI Team}",
    "van Gogh, Vincent",
    "de la Fontaine, Jean",
    "{Barnes and Noble}, Ann",
    "von {Braun}, Wernher",
    "Guevara G{\\'o}mez, Juan Camilo",
    "Ludwig van Beethoven",
    "Plato",
    "Smith,  John",
    "Lee, {Ann, B.}",
    "{\\textbackslash}input{\\textbraceright} Smith",  # our own escape: a letter-less special
    "{\\O}ystein Ore",
    "{\\AA}ke Larsson",
    "{\\L}ukasz Kaiser",
    "{\\v{S}}t{\\v{e}}p{\\'a}n Nov{\\'a}k",
    "Jan {\\o}ster Berg",  # \\o is a lower-case letter to bibtex: a von part
    "Jan {\\i}bn Berg",
    "Jan {\\ae}lfric Berg",
    "Ann {\\relax d}e Berg",
    "{\\OE}dipe {\\oe}il Roi",
    "{\\AE}lfric {\\ae}lf Berg",
    "Ann {\\aa}s {\\j}o Berg",
    "Ann {\\l}ad Berg",
    "Ann {\\ss}a Berg",
    "{de la} Cruz, Ana",  # a braced group is no von part, its letters are not looked at
    "Ann {von {N}eumann} Berg",
    "Ann 2 Berg",  # no letter: not a von part
    "{Barnes {and} Noble, Inc.}, Ann",
    "Y",
    "Ann {\\relax{} 1}de Berg",  # the special's group ends before any letter: not lower case
    "Ann {La {\\'E}}cole Berg",  # a special inside braces is only braced text
    "\n  {The ATLAS Collaboration} ",
]


def bibtex_parts(raw_names: list[str], workdir: Path) -> list[tuple[str, str, str, str]]:
    """(first, von, last, jr) of each name as bibtex's format.name$ splits it, TeX decoded."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "parts.bst").write_text(PARTS_BST, encoding="ascii")
    (workdir / "refs.bib").write_text("@misc{k, author = {" + " and ".join(raw_names) + "}}\n",
                                      encoding="utf-8")
    (workdir / "doc.aux").write_text("\\citation{*}\n\\bibdata{refs}\n\\bibstyle{parts}\n", encoding="ascii")
    done = subprocess.run(["bibtex", "doc"], cwd=workdir, capture_output=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, done.stdout
    rows = (workdir / "doc.bbl").read_text(encoding="utf-8").splitlines()
    out = []
    for row in rows:
        parts = [decoded(p.replace("~", " ")) for p in row.split("|")]  # pylatexenc, our macros added
        out.append(tuple(parts))
    return out


@needs("bibtex")
def test_bibtex_names_split_as_bibtex_splits_them(tmp_path: Path) -> None:
    expected = bibtex_parts(BIB_NAMES, tmp_path)
    got = [names.parse_bibtex(raw) for raw in BIB_NAMES]
    assert [(n.first, n.von, n.last, n.jr) for n in got] == expected
    # Only a name that is ONE brace group is corporate; our own escapes are no group.
    assert [n.corporate for n in got] == [raw.strip() in ("{OpenAI Team}", "{The ATLAS Collaboration}")
                                          for raw in BIB_NAMES]
    assert not names.parse_bibtex("{{Ann Lee}").corporate  # unbalanced: no group
    assert names.parse_bibtex("  ") == Name()


@pytest.mark.parametrize("given", ["\u2e80", "\u9fff", "\uac00", "\ud7af", "\uf900", "\ufaff", "가"])
def test_cjk_names_at_the_edges_of_the_ranges_are_family_first(given: str) -> None:
    assert Name(given, "", "李").display() == "李" + given
    assert Name(given, "", "Lee").display() == given + " Lee"


def test_parts_cannot_be_changed_and_can_be_keys() -> None:
    name = Name("Ann", "", "Lee")
    assert {name: 1}[Name("Ann", "", "Lee")] == 1
    with pytest.raises(AttributeError):
        name.first = "Bo"  # type: ignore[misc]


def test_display_of_parts() -> None:
    assert Name("明", "", "李").display() == "李明"  # family name first, no space
    assert Name("明", "", "李", "Jr.").display() == "李明, Jr."
    assert Name("민준", "", "김").display() == "김민준"
    assert Name("Ann", "", "李").display() == "Ann 李"  # mixed scripts: Western order
    assert Name("明", "van", "李").display() == "明 van 李"
    assert Name("Martin Luther", "", "King", "Jr.").display() == "Martin Luther King, Jr."
    assert Name("Ludwig", "van", "Beethoven").display() == "Ludwig van Beethoven"
    assert Name(last="Plato").display() == "Plato"
    assert Name("Ludwig", "van", "Beethoven").family() == "van Beethoven"
    assert Name(last="Beethoven").family() == "Beethoven"


def test_stored_forms_round_trip_and_bad_ones_are_ignored() -> None:
    name = Name("Juan Camilo", "", "Guevara Gómez", "", False)
    assert Name.from_list(name.as_list()) == name
    corporate = Name(last="OpenAI Team", corporate=True)
    assert corporate.as_list() == ["", "", "OpenAI Team", "", "corporate"]
    assert Name.from_list(corporate.as_list()) == corporate
    for bad in (None, "Ann", ["a", "b", "c", "d"], ["a", "b", "c", "d", "e", "f"], ["a", "b", 3, "d", ""]):
        assert Name.from_list(bad) is None
    forms = {"Juan Camilo Guevara Gómez": name.as_list(), "Bad": ["x"]}
    assert names.resolve("Juan Camilo Guevara Gómez", forms) == name
    assert names.resolve("Bad", forms) == names.parse_display("Bad")
    assert names.resolve("Ann Lee", None) == Name("Ann", "", "Lee")


def test_name_forms_keep_only_what_the_guess_gets_wrong() -> None:
    with pytest.raises(ValueError):
        names.name_forms(["Ann Lee", "Bo Li"], [Name("Ann", "", "Lee")])  # one parse per name
    shown = ["Juan Camilo Guevara Gómez", "Ann Lee", "Ludwig van Beethoven"]
    parsed = [names.parse_bibtex("Guevara G{\\'o}mez, Juan Camilo"), names.parse_bibtex("Lee, Ann"),
              names.parse_bibtex("van Beethoven, Ludwig")]
    assert names.name_forms(shown, parsed) == {
        "Juan Camilo Guevara Gómez": ["Juan Camilo", "", "Guevara Gómez", "", ""]}


@pytest.mark.parametrize(("text", "expected"), [
    ("et al.", True), ("Et  Al.", True), ("others", True), (" et al ", True), ("…", True), ("...", True),
    ("et alii", False), ("Al Gore", False), ("", False),
])  # fmt: skip
def test_et_al_forms(text: str, expected: bool) -> None:
    assert names.is_et_al(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The ATLAS Collaboration", True), ("Smith & Jones", True), ("Google Research Team,", True),
    ("Wikipedia contributors", True), ("Theodore Team", True), ("Theodore Smith", False),
    ("Ann Lee", False), ("", False), (",", False),
])  # fmt: skip
def test_corporate_names(text: str, expected: bool) -> None:
    assert names.is_corporate(text) is expected


@pytest.mark.parametrize(("shown", "parts"), [
    ("Guido van Rossum", ("Guido", "van", "Rossum", "")),
    ("Charles de Gaulle", ("Charles", "de", "Gaulle", "")),
    ("Jan van der Berg", ("Jan", "van der", "Berg", "")),
    ("Jan Van Der Berg", ("Jan", "", "Van Der Berg", "")),
    ("Ann de Van Berg", ("Ann", "de", "Van Berg", "")),
    ("van Gogh", ("van", "", "Gogh", "")),
    ("Ibn Khaldun", ("Ibn", "", "Khaldun", "")),
    ("Henry Ford II", ("Henry", "", "Ford", "II")),
    ("Ford II", ("Ford", "", "II", "")),
    ("Henry Ford, III", ("Henry", "", "Ford", "III")),
    ("Ford, Henry", ("Henry", "", "Ford", "")),
    ("Ford, Jr., Henry", ("Henry", "", "Ford", "Jr.")),
    ("Ford, ", ("", "", "Ford", "")),
    ("Ford, Henry, Jr.", ("Henry", "", "Ford", "Jr.")),
    ("  Ann   Lee  ", ("Ann", "", "Lee", "")),
    ("Maria dos Santos", ("Maria", "dos", "Santos", "")),
    ("Hugo de la", ("Hugo", "de", "la", "")),
    ("Vincent Van Gogh", ("Vincent", "", "Van Gogh", "")),
    ("Vincent Van der Berg", ("Vincent", "", "Van der Berg", "")),
    (", Jr.", ("", "", "Jr.", "")),  # the last word is never empty, particle or not
])  # fmt: skip
def test_display_names_are_guessed(shown: str, parts: tuple[str, str, str, str]) -> None:
    name = names.parse_display(shown)
    assert (name.first, name.von, name.last, name.jr) == parts
    assert not name.corporate
    assert names.parse_display("") == Name()
    atlas = Name(last="The ATLAS Collaboration", corporate=True)
    assert names.parse_display("The  ATLAS\nCollaboration") == atlas


def test_decode_tex_reads_our_own_escapes() -> None:
    assert names.decode_tex("{\\textbraceleft}x{\\textbraceright} {\\textless}a{\\textgreater}") == "{x} <a>"
    assert names.decode_tex("a{\\textbar}b{\\textasciicircum}c") == "a|b^c"
    assert names.decode_tex("\\textless{}b\\textgreater x") == "<b> x"
    assert names.decode_tex("{\\textcommabelow{S}}tefan Popescu") == "Ștefan Popescu"
    assert names.decode_tex("Nguy{\\~{\\^{e}}}n") == "Nguyễn"
