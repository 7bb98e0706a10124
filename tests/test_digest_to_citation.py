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
