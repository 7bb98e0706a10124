"""CSL-JSON and RIS export: the CSL-JSON schema, the names as Better BibTeX splits them,
RIS round trips, what a Zotero RIS file keeps, and the command line's --format."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from paperdeck.cli.main import main
from paperdeck.core.library import Library

SAMPLES = Path(__file__).resolve().parent / "samples"
REFERENCE = SAMPLES / "citations" / "tricky.bib"
SCHEMA = json.loads((SAMPLES / "citations" / "csl-data.schema.json").read_text(encoding="utf-8"))

EXPECTED_CSL = {
    "king2023dream": {
        "type": "paper-conference",
        "author": [{"family": "King", "given": "Martin Luther", "suffix": "Jr."},
                   {"family": "Guevara Gómez", "given": "Juan Camilo"},
                   {"family": "Van Gogh", "given": "Vincent"}, {"literal": "OpenAI Team"}],
        "issued": {"date-parts": [[2023, 7]]},
        "container-title": "Proceedings of the 40th International Conference on Machine Learning",
        "page": "123-145", "publisher": "PMLR",
        "title": "A Dream of LLMs: $O(\\sqrt{n})$ Regret for H$_2$O Detection",
    },
    "atlas2012observation": {
        "type": "article-journal",
        "author": [{"literal": "The ATLAS Collaboration"}, {"family": "Aad", "given": "G."}],
        "container-title": "Physics Letters B", "volume": "716", "issue": "1", "page": "1-29",
        "DOI": "10.1016/j.physletb.2012.08.020",
    },
    "saracevic1998sici": {"DOI": "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0"},
    "li2024deep": {
        "type": "article", "number": "arXiv:2401.01234", "publisher": "arXiv",
        "author": [{"family": "李", "given": "明"}, {"family": "Nguyễn", "given": "Văn An"},
                   {"family": "Popescu", "given": "Ștefan"}],
    },
    "beethoven2020economic": {
        "author": [{"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
                   {"family": "Fontaine", "given": "Jean", "non-dropping-particle": "de la"},
                   {"family": "Smith", "given": "John"}],
    },
}  # fmt: skip


def export(folder: Path, text: str, fmt: str) -> str:
    with Library(folder) as lib:
        ids = lib.import_text(text).ids
        return lib.export(sorted(ids), fmt)


@pytest.fixture(scope="module")
def reference_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


def test_csl_json_is_valid_and_splits_names_like_better_bibtex(reference_text: str, tmp_path: Path) -> None:
    items = json.loads(export(tmp_path / "lib", reference_text, "csl-json"))
    jsonschema.validate(items, SCHEMA)
    by_id = {item["id"]: item for item in items}
    assert set(by_id) == set(EXPECTED_CSL)
    for key, expected in EXPECTED_CSL.items():
        for name, value in expected.items():
            assert by_id[key].get(name) == value, (key, name)


def test_the_schema_check_would_notice_a_bad_item() -> None:
    """Control: the schema subset refuses what CSL does not define."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"id": "k", "type": "misc"}], SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"id": "k", "type": "article", "author": [{"last": "X"}]}], SCHEMA)


def test_ris_export_then_import_is_a_fixed_point(reference_text: str, tmp_path: Path) -> None:
    ris = export(tmp_path / "a", reference_text, "ris")
    assert "AU  - King, Martin Luther, Jr.\n" in ris
    assert "AU  - van Beethoven, Ludwig\n" in ris
    assert "TY  - CPAPER\n" in ris and "SP  - 123\nEP  - 145\n" in ris
    assert "DO  - 10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0\n" in ris
    assert export(tmp_path / "b", ris, "ris") == ris


def test_a_zotero_ris_file_keeps_volume_issue_pages_keywords_and_type(tmp_path: Path) -> None:
    text = (SAMPLES / "digests" / "ris-zotero.ris").read_text(encoding="utf-8")
    bib = export(tmp_path / "lib", text, "bibtex")
    nature = bib.split("@")[1]
    assert nature.startswith("article{jumper2021highly,")
    for line in ("journal = {Nature}", "volume = {596}", "number = {7873}", "pages = {583--589}",
                 "year = {2021}", "month = aug,", "keywords = {Protein structure predictions}"):
        assert line in nature, line
    cvpr = bib.split("@")[2]
    assert cvpr.startswith("inproceedings{")
    assert "booktitle = {2016 IEEE Conference on Computer Vision" in cvpr.replace("\n    ", " ")
    assert "pages = {770--778}" in cvpr


def test_cli_export_formats(reference_text: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    lib = str(tmp_path / "lib")
    (tmp_path / "refs.bib").write_text(reference_text, encoding="utf-8")
    assert main(["--data-dir", lib, "import", str(tmp_path / "refs.bib")]) == 0
    capsys.readouterr()
    outputs = {}
    for fmt in ("bibtex", "biblatex", "csl-json", "ris"):
        assert main(["--data-dir", lib, "export", "--format", fmt]) == 0
        outputs[fmt] = capsys.readouterr()
    assert outputs["bibtex"].out.startswith("@")
    assert "Kept 6 characters with no LaTeX form" in outputs["bibtex"].err  # 18.7: said, not lost
    assert "date = {2023-07}" in outputs["biblatex"].out
    jsonschema.validate(json.loads(outputs["csl-json"].out), SCHEMA)
    assert outputs["ris"].out.startswith("TY  - ")
    # --utf8 keeps working as before, and is refused with a format it cannot apply to.
    assert main(["--data-dir", lib, "export", "--utf8"]) == 0
    out = capsys.readouterr()
    assert "深度学习" in out.out and "Kept" not in out.err
    assert main(["--data-dir", lib, "export", "--utf8", "--format", "ris"]) != 0
    assert "--utf8 is for the BibTeX format" in capsys.readouterr().err


def test_ris_import_edge_cases() -> None:
    """Suffixes, editors, a DOI only in a doi.org link, text before the first record."""
    from paperdeck.core.digest import ris

    text = (
        "Exported from somewhere\nTI  - not a record yet\n\n"
        "TY  - CHAP\nTI  - A Chapter\nAU  - Doe, J., Jr.\nAU  - Guevara Gómez, Juan Camilo\n"
        "A2  - Editor, Ed\nT2  - The Book\nPB  - Springer\nPY  - 2020/07/01/\n"
        "UR  - https://doi.org/10.1000/xyz.1\nER  - \n"
    )
    (draft,) = ris.parse(text)
    assert draft.authors == ["J. Doe, Jr.", "Juan Camilo Guevara Gómez"]  # A2 is no author
    assert draft.fields["editor"] == "Ed Editor"
    assert draft.fields["names"] == {
        "Juan Camilo Guevara Gómez": ["Juan Camilo", "", "Guevara Gómez", "", ""]
    }
    assert draft.entry_type == "incollection"
    assert (draft.fields["booktitle"], draft.fields["month"]) == ("The Book", "7")
    assert draft.doi == "10.1000/xyz.1"


def test_sici_doi_survives_import_and_export(tmp_path: Path) -> None:
    """Issue 18.10: a SICI DOI was cut at "<" on import and percent-encoded on export."""
    sici = "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0"
    for text in (f"@article{{s,\n  title = {{T}},\n  doi = {{{sici}}},\n}}\n",
                 f"TY  - JOUR\nTI  - T\nDO  - {sici}\nER  - \n"):
        with Library(tmp_path / str(len(text))) as lib:
            ids = lib.import_text(text).ids
            assert lib.papers(ids)[0].doi == sici
            assert f"doi = {{{sici}}}" in lib.export(ids, "bibtex")
            assert json.loads(lib.export(ids, "csl-json"))[0]["DOI"] == sici
