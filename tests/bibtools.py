"""Run the real TeX tools on exported .bib text and report what they said.

Shared by the BibTeX tests and, later, GUI export tests. Each helper works in
a directory the caller owns (usually pytest's ``tmp_path``) and never enables
shell escape unless asked, so a test can prove that nothing executes even then.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

TIMEOUT = 120  # seconds per tool run; the 2-core machine is shared

DOCUMENT = (
    "\\documentclass{article}\nPACKAGES\\begin{document}\n\\nocite{*}\n"
    "\\bibliographystyle{STYLE}\n\\bibliography{refs}\n\\end{document}\n"
)


def needs(*tools: str) -> pytest.MarkDecorator:
    """Skip a test, saying why, when a system tool is not installed."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    return pytest.mark.skipif(
        bool(missing),
        reason=f"needs {', '.join(missing)} on PATH (Debian: texlive-binaries, biber)",
    )


@dataclass
class LatexRun:
    """Logs of one pdflatex + bibtex + pdflatex cycle."""

    workdir: Path
    returncodes: list[int]
    blg: str
    log: str
    bbl: str

    def bibtex_problems(self) -> list[str]:
        """Warning and error lines from bibtex's .blg (empty when all is well)."""
        pattern = re.compile(
            r"Warning--|^\(There (was|were) \d+ (warning|error)|error message|"
            r"I was expecting|I'm skipping|Repeated entry|You've exceeded|---line \d+",
            re.IGNORECASE,
        )
        return [line for line in self.blg.splitlines() if pattern.search(line)]

    def problems_besides_authorless(self) -> list[str]:
        """`bibtex_problems` but the "need author or key" notes for author-less entries
        (we write no `key`, issue 18.6) and the count line."""
        return [line for line in self.bibtex_problems()
                if not line.startswith(("Warning--to sort, need author or key", "(There w"))]

    def latex_problems(self) -> list[str]:
        """Errors, undefined citations/commands and missing glyphs in pdflatex's log."""
        pattern = re.compile(
            r"^! |Citation .* undefined|There were undefined|Undefined control sequence|"
            r"Missing character|unavailable in encoding"
        )
        return [line for line in self.log.splitlines() if pattern.search(line)]


def compile_bib(
    bib: str,
    workdir: Path,
    style: str = "plain",
    packages: str = "",
    shell_escape: bool = False,
) -> LatexRun:
    """Write ``refs.bib`` and a document citing all of it, then build it."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "refs.bib").write_text(bib, encoding="utf-8")
    tex = DOCUMENT.replace("PACKAGES", packages).replace("STYLE", style)
    (workdir / "doc.tex").write_text(tex, encoding="ascii")
    escape = "-shell-escape" if shell_escape else "-no-shell-escape"
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", escape, "doc.tex"]
    codes = []
    for command in (latex, ["bibtex", "doc"], latex):
        done = subprocess.run(
            command, cwd=workdir, capture_output=True, timeout=TIMEOUT, check=False
        )
        codes.append(done.returncode)

    def read(name: str) -> str:
        path = workdir / name
        return path.read_text(encoding="latin-1") if path.exists() else ""

    return LatexRun(workdir, codes, read("doc.blg"), read("doc.log"), read("doc.bbl"))


@dataclass
class BiberRun:
    """Result of ``biber --tool --validate-datamodel`` on one file."""

    returncode: int
    output: str

    def problems(self) -> list[str]:
        """WARN and ERROR lines, the summary counts aside."""
        return [line for line in self.output.splitlines() if re.match(r"(WARN|ERROR) - ", line)]


def validate_with_biber(bib: str, workdir: Path) -> BiberRun:
    """Let biber parse `bib` and check it against biblatex's data model."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "refs.bib").write_text(bib, encoding="utf-8")
    done = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--nolog", "refs.bib"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return BiberRun(done.returncode, done.stdout + done.stderr)


@dataclass
class BiblatexRun:
    """Logs of one pdflatex + biber + pdflatex cycle with biblatex."""

    returncodes: list[int]
    biber: str
    log: str
    bbl: str

    def biber_problems(self) -> list[str]:
        """WARN and ERROR lines from biber's output."""
        return [line for line in self.biber.splitlines() if re.match(r"(WARN|ERROR) - ", line)]


def compile_biblatex(bib: str, workdir: Path, style: str = "authoryear", preamble: str = "") -> BiblatexRun:
    """Build a document citing all of `bib` through biblatex and biber."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "refs.bib").write_text(bib, encoding="utf-8")
    tex = (
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n" + preamble
        + f"\\usepackage[backend=biber,style={style}]{{biblatex}}\n\\addbibresource{{refs.bib}}\n"
        "\\begin{document}\n\\nocite{*}\n\\printbibliography\n\\end{document}\n"
    )
    (workdir / "doc.tex").write_text(tex, encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "doc.tex"]
    codes, biber_out = [], ""
    for command in (latex, ["biber", "doc"], latex):
        done = subprocess.run(command, cwd=workdir, capture_output=True, timeout=TIMEOUT, check=False)
        codes.append(done.returncode)
        if command[0] == "biber":
            biber_out = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")

    def read(name: str) -> str:
        path = workdir / name
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    return BiblatexRun(codes, biber_out, read("doc.log"), read("doc.bbl"))


def declare_kept(bib: str) -> str:
    """Preamble lines giving pdflatex a stand-in for each character an ASCII export kept
    as it is (CJK, emoji: no LaTeX form); the user's document would load a font for them."""
    from paperdeck.core.bibtex import kept_characters

    return "".join(f"\\DeclareUnicodeCharacter{{{ord(ch):04X}}}{{?}}\n" for ch in kept_characters(bib))


def needs_tex_files(*names: str) -> pytest.MarkDecorator:
    """Skip, saying why, when TeX cannot find a package file (`kpsewhich`, which honours
    ``TEXINPUTS``: e.g. biblatex needs etoolbox, from texlive-latex-recommended)."""
    found = shutil.which("kpsewhich") is not None and all(
        subprocess.run(["kpsewhich", name], capture_output=True, timeout=TIMEOUT, check=False).returncode == 0
        for name in names
    )
    return pytest.mark.skipif(not found, reason=f"TeX cannot find {', '.join(names)} (kpsewhich)")
