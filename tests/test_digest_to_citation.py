"""From a digest straight to the bibliography: what an arXiv email or a Scholar alert says
about cut-short author lists and math must reach the `.bbl` that bibtex writes."""

from __future__ import annotations

from pathlib import Path

from bibtools import compile_bib, needs

ARXIV_EMAIL = r"""------------------------------------------------------------------------------
\\
arXiv:2401.01234
Date: Tue, 16 Jan 2024 11:02:23 GMT   (1532kb,D)

Title: Sorting in $O(\sqrt{n})$ Rounds with H$_2$O Droplets
Authors: Ann Lee, Bo Chen, et al. (2900 additional authors not shown)
Categories: cs.DS
\\
  We sort water droplets in few rounds and say how, at some length, so that the
abstract reads as prose to the parser of this digest format.
\\ ( https://arxiv.org/abs/2401.01234 ,  1532kb)
------------------------------------------------------------------------------
\\
arXiv:2401.04321
Date: Tue, 16 Jan 2024 12:02:23 GMT   (873kb,D)

Title: A Second Paper on Nothing in Particular
Authors: Carla Diaz and Dan Evans
Categories: cs.DS
\\
  A second abstract, long enough to read as a paragraph of prose for the parser,
with nothing else to say.
\\ ( https://arxiv.org/abs/2401.04321 ,  873kb)
------------------------------------------------------------------------------
"""


@needs("pdflatex", "bibtex")
def test_arxiv_email_math_and_et_al_reach_the_bibliography(lib, tmp_path: Path) -> None:
    report = lib.import_text(ARXIV_EMAIL)
    assert report.imported == 2
    papers = {p.title: p for p in lib.papers(report.ids)}
    sorting = papers[r"Sorting in $O(\sqrt{n})$ Rounds with H$_2$O Droplets"]
    assert sorting.authors == ["Ann Lee", "Bo Chen", "et al."]
    assert papers["A Second Paper on Nothing in Particular"].authors == ["Carla Diaz", "Dan Evans"]
    bib = lib.export(report.ids, "bibtex")
    assert "and others}" in bib and r"$O(\sqrt{n})$" in bib
    run = compile_bib(bib, tmp_path / "tex", style="abbrv")
    assert run.returncodes == [0, 0, 0], run.log[-2000:]
    assert run.bibtex_problems() == [] and run.latex_problems() == []
    bbl = " ".join(run.bbl.split())
    assert "A.~Lee, B.~Chen, et~al." in bbl
    assert "C.~Diaz and D.~Evans" in bbl
    assert r"$O(\sqrt{n})$" in bbl and "H$_2$O" in bbl


SCHOLAR_BIBTEX = """@article{kaplan2020scaling,
  title={Scaling laws for neural language models},
  author={Kaplan, Jared and McCandlish, Sam and Henighan, Tom and Brown, Tom B and Chess, Benjamin},
  journal={arXiv preprint arXiv:2001.08361},
  year={2020}
}
@article{p2, title={Open {X}-Embodiment: Robotic Learning Datasets and {RT-X} Models},
  author={Padalkar, Abhishek}, journal={arXiv preprint arXiv:2310.08864v2}, year={2023}}
"""


@needs("pdflatex", "bibtex")
def test_scholar_bibtex_for_a_preprint_is_cited_as_arxiv(lib, tmp_path: Path) -> None:
    """Google Scholar names a preprint's arXiv id only in `journal`; the export must cite it
    as any other arXiv paper (eprint fields, and a note plain styles print)."""
    report = lib.import_text(SCHOLAR_BIBTEX)
    papers = {p.citekey: p for p in lib.papers(report.ids)}
    assert (papers["kaplan2020scaling"].arxiv_id, papers["p2"].arxiv_id) == ("2001.08361", "2310.08864")
    assert papers["p2"].arxiv_version == 2
    bib = lib.export(report.ids, "bibtex")
    for key, arxiv_id in (("kaplan2020scaling", "2001.08361"), ("p2", "2310.08864")):
        entry = next(e for e in bib.split("\n\n") if f"{{{key}," in e)
        assert entry.startswith(f"@misc{{{key},")
        for line in (f"eprint = {{{arxiv_id}}}", "archivePrefix = {arXiv}",
                     f"url = {{https://arxiv.org/abs/{arxiv_id}}}", f"note = {{{{arXiv}}:{arxiv_id}}}"):
            assert line in entry
    run = compile_bib(bib, tmp_path / "tex", style="plain")
    assert run.returncodes == [0, 0, 0], run.log[-2000:]
    assert run.bibtex_problems() == [] and run.latex_problems() == []
    bbl = " ".join(run.bbl.split())
    assert "Scaling laws for neural language models, 2020. \\newblock {arXiv}:2001.08361." in bbl, bbl
    assert "datasets and {RT-X} models, 2023. \\newblock {arXiv}:2310.08864." in bbl, bbl
    assert "arXiv preprint" not in bbl  # the venue that only says "arXiv" is not a journal


NOTED = r"""@inproceedings{doe2023,
  title={Robots That Learn}, author={Doe, Jane}, booktitle={ICML}, year={2023},
  note={To appear in {ICML} 2023}}
@misc{kaplan2020, title={Scaling Laws}, author={Kaplan, Jared}, year={2020},
  eprint={2001.08361}, archivePrefix={arXiv}, note={Preprint.}}
"""


@needs("pdflatex", "bibtex")
def test_a_pasted_note_is_printed_as_the_original_entry_prints_it(lib, tmp_path: Path) -> None:
    """A BibTeX `note` ("To appear in ICML") is part of the printed reference: it was
    dropped at import. Oracle: the same style on the pasted entries; an arXiv paper's note
    also names its id, after the pasted note. CSL-JSON carries it as `note`."""
    report = lib.import_text(NOTED)
    bib = lib.export(report.ids, "bibtex")
    ours = compile_bib(bib, tmp_path / "ours", style="plain")
    theirs = compile_bib(NOTED, tmp_path / "theirs", style="plain")
    for run in (ours, theirs):
        assert run.returncodes == [0, 0, 0] and run.bibtex_problems() == [], run.log[-2000:]
    # compared as printed: a brace group in a note changes nothing on the page
    ours_bbl, theirs_bbl = (" ".join(r.bbl.replace("{ICML}", "ICML").split()) for r in (ours, theirs))
    for printed in ("\\newblock To appear in ICML 2023.", "\\newblock Preprint."):
        assert printed in theirs_bbl and printed.rstrip(".") in ours_bbl, ours_bbl
    assert "Preprint. {arXiv}:2001.08361." in ours_bbl
    csl = lib.export(report.ids, "csl-json")
    assert '"note": "To appear in ICML 2023"' in csl
