"""Mutation testing for one module: would the tests notice a small wrong change?

    python tests/tools/mutate.py desktop/paperdeck/core/citekeys.py [--tests T ...] [--limit N]
    python tests/tools/mutate.py --all          # every module with a file in tests/mutation/

Each mutant flips one comparison or boolean operator, shifts one integer constant, flips
one `True`/`False`, drops one `not`, swaps `+`/`-`, or replaces one statement with `pass`.
The module's tests (from `tests/mutation/<module>.toml`, e.g. `core.digest.ris.toml`, or
`--tests`) run once under coverage to learn which tests run each line; each mutant then
runs only those tests, stopping at the first failure, in a scratch copy of `desktop/`. A
mutant the tests still pass "survives"; one on a line no test runs survives without a run.
The score is killed / (all - excluded).

Speed: a warm process imports pytest, Qt, numpy, Whoosh and paperdeck once and forks a
child per mutant with the mutated functions swapped in (`mutate_fork.py`); a mutant
outside any function body runs in a fresh interpreter. `--fresh` runs every mutant fresh.

Mutants that cannot change behaviour (equivalent mutants) are listed in the module's toml
under `[[equivalent]]` with the source line's text, the operator and a reason, so a
survivor is either a gap in the tests or written down as none. Not part of CI. Written
here rather than taken from mutmut, whose copy-the-tree layout does not fit `desktop/` +
the top-level `resources/`.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONFIG_DIR = REPO / "tests" / "mutation"

_COMPARE_SWAPS: dict[type, type] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
_SYMBOL = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.And: "and",
    ast.Or: "or", ast.Add: "+", ast.Sub: "-",
}
_DROPPABLE = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Continue, ast.Break,
              ast.Raise, ast.If)


@dataclass(frozen=True)
class Mutant:
    index: int
    line: int
    op: str
    source_line: str


def _is_docstring(node: ast.AST) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(
        node.value.value, str)


class _Mutator(ast.NodeTransformer):
    """Walks the tree counting mutation sites; applies the one numbered `target` (or none)."""

    def __init__(self, target: int | None = None) -> None:
        self.target = target
        self.sites: list[tuple[int, str]] = []
        self._functions = 0  # statements are dropped inside functions only: at module level
        # a dropped definition is a NameError at import, killed by any test and worth nothing

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.AST:
        self._functions += 1
        try:
            return self.generic_visit(node)
        finally:
            self._functions -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def _site(self, node: ast.AST, op: str) -> bool:
        self.sites.append((getattr(node, "lineno", 0), op))
        return len(self.sites) - 1 == self.target

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        for i, op in enumerate(node.ops):
            swap = _COMPARE_SWAPS.get(type(op))
            if swap and self._site(node, f"{_SYMBOL[type(op)]} -> {_SYMBOL[swap]}"):
                node.ops[i] = swap()
        return node

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        self.generic_visit(node)
        other = ast.Or if isinstance(node.op, ast.And) else ast.And
        if self._site(node, f"{_SYMBOL[type(node.op)]} -> {_SYMBOL[other]}"):
            node.op = other()
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Not) and self._site(node, "drop not"):
            return node.operand
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Add | ast.Sub) and not _is_str_concat(node):
            other = ast.Sub if isinstance(node.op, ast.Add) else ast.Add
            if self._site(node, f"{_SYMBOL[type(node.op)]} -> {_SYMBOL[other]}"):
                node.op = other()
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if isinstance(value, bool):
            if self._site(node, f"{value} -> {not value}"):
                return ast.copy_location(ast.Constant(not value), node)
        elif isinstance(value, int) and self._site(node, f"{value} -> {value + 1}"):
            return ast.copy_location(ast.Constant(value + 1), node)
        return node

    def _body(self, body: list[ast.stmt]) -> list[ast.stmt]:
        out = []
        for stmt in body:
            if self._functions and isinstance(stmt, _DROPPABLE) and not _is_docstring(stmt) and self._site(
                    stmt, f"drop {type(stmt).__name__.lower()}"):
                out.append(ast.copy_location(ast.Pass(), stmt))
                continue
            out.append(self.visit(stmt))
        return out

    def generic_visit(self, node: ast.AST) -> ast.AST:
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                setattr(node, field, self._body(body))
        for field, value in ast.iter_fields(node):
            if field in ("body", "orelse", "finalbody") and isinstance(value, list) and value and isinstance(
                    value[0], ast.stmt):
                continue
            if field == "annotation" or field == "returns":
                continue  # annotations never run
            if isinstance(value, list):
                new = []
                for item in value:
                    if isinstance(item, ast.AST):
                        item = self.visit(item)
                        if item is None:
                            continue
                    new.append(item)  # a None kept: kw_defaults holds None for `*, key` without a default
                value[:] = new
            elif isinstance(value, ast.AST):
                setattr(node, field, self.visit(value))
        return node


def _is_str_concat(node: ast.BinOp) -> bool:
    return any(isinstance(side, ast.Constant) and isinstance(side.value, str)
               or isinstance(side, ast.JoinedStr) for side in (node.left, node.right))


def mutants(source: str) -> list[Mutant]:
    lines = source.splitlines()
    walker = _Mutator()
    walker.visit(ast.parse(source))
    return [Mutant(i, line, op, lines[line - 1].strip() if 0 < line <= len(lines) else "")
            for i, (line, op) in enumerate(walker.sites)]


def mutated_source(source: str, index: int) -> str:
    tree = _Mutator(index).visit(ast.parse(source))
    return ast.unparse(ast.fix_missing_locations(tree))


def _config_file(module: Path) -> Path:
    """`desktop/paperdeck/core/digest/ris.py` -> `tests/mutation/core.digest.ris.toml`."""
    rel = module.resolve().relative_to(REPO / "desktop" / "paperdeck").with_suffix("")
    return CONFIG_DIR / (".".join(rel.parts) + ".toml")


def _config(module: Path) -> dict:
    path = _config_file(module)
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _run_fresh(scratch: Path, tests: list[str], timeout: float) -> str:
    """One mutant in a new interpreter: for what cannot be swapped into a warm process."""
    env = dict(os.environ, PYTHONPATH=str(scratch / "desktop"), QT_QPA_PLATFORM="offscreen",
               PYTHONDONTWRITEBYTECODE="1")
    cmd = [sys.executable, "-m", "pytest", *_PYTEST_ARGS, *tests]
    try:
        done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "killed (timeout)"
    return "survived" if done.returncode == 0 else "killed"


_PYTEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-o", "addopts=",
                "-p", "no:cov"]


def _tests_by_line(scratch: Path, target: Path,
                   tests: list[str]) -> tuple[dict[int, list[str]], dict[str, float]]:
    """Which tests run each line of the target (pytest-cov's per-test contexts), quickest
    first, and each test's time: one run under coverage."""
    from coverage import CoverageData

    timings = scratch / "timings.json"
    paths = [str(scratch / "desktop"), str(REPO / "tests" / "tools")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths),
               QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1",
               COVERAGE_FILE=str(scratch / ".coverage"), PAPERDECK_MUTATE_TIMINGS=str(timings))
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
           "-p", "mutate_timings", f"--cov={target.parent}", "--cov-context=test", "--cov-report=", *tests]
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the tests fail on the unmutated module:\n{done.stdout[-3000:]}")
    data = CoverageData(str(scratch / ".coverage"))
    data.read()
    seconds: dict[str, float] = json.loads(timings.read_text(encoding="utf-8"))
    everything = sorted(seconds, key=lambda t: (seconds[t], t))
    by_line: dict[int, list[str]] = {}
    for line, contexts in (data.contexts_by_lineno(str(target)) or {}).items():
        if "" in contexts:  # run at import (a module constant, a def line): every test may see it
            by_line[line] = everything
            continue
        ids = sorted({c.rsplit("|", 1)[0] for c in contexts if c}, key=lambda t: (seconds.get(t, 60.0), t))
        if ids:  # then the rest: a cached result or a shared fixture credits a line to one test only
            chosen = set(ids)
            by_line[line] = ids + [t for t in everything if t not in chosen]
    return by_line, seconds


def _lines_of(tree: ast.AST) -> dict[int, range]:
    """Each statement's first line -> the lines it spans (a mutant's site may be a later line)."""
    spans: dict[int, range] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            spans.setdefault(node.lineno, range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return spans


def _progress(text: str) -> None:
    if os.environ.get("PAPERDECK_MUTATE_VERBOSE"):
        print(text, file=sys.stderr, flush=True)


def _covering_tests(by_line: dict[int, list[str]], spans: dict[int, range], line: int) -> list[str] | None:
    """Coverage names a statement by its first line: find the innermost statement holding `line`."""
    starts = [start for start, span in spans.items() if line in span]
    for start in sorted(starts, reverse=True):
        if start in by_line:
            return by_line[start]
    return by_line.get(line)


def iter_results(module: Path, tests: list[str], limit: int | None,
                 fresh_only: bool = False, lines: set[int] | None = None) -> Iterator[tuple[Mutant, str]]:
    import mutate_fork

    source = module.read_text(encoding="utf-8")
    rel = module.resolve().relative_to(REPO / "desktop")
    dotted = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")  # a package's module
    with tempfile.TemporaryDirectory(prefix="paperdeck-mutate-") as tmp:
        scratch = Path(tmp)
        shutil.copytree(REPO / "desktop", scratch / "desktop",
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        target = scratch / "desktop" / rel
        started = time.monotonic()
        by_line, seconds = _tests_by_line(scratch, target, tests)
        _progress(f"{len(seconds)} tests ran under coverage in {time.monotonic() - started:.0f} s "
                  f"(their own time {sum(seconds.values()):.0f} s)")
        os.environ.update(QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1",
                          OPENBLAS_NUM_THREADS="1")
        mutate_fork.warm_up(scratch / "desktop")
        original = ast.unparse(ast.parse(source))
        everything = sorted(seconds, key=lambda t: (seconds[t], t))
        if not fresh_only and mutate_fork.run_forked(
                dotted, original, original, [*_PYTEST_ARGS, *everything], 60 + 3 * sum(seconds.values()),
                scratch / "pycache") != "survived":
            _progress("the unmutated tests fail in a forked process: every mutant runs fresh")
            fresh_only = True
        spans = _lines_of(ast.parse(source))
        found = mutants(source)
        chosen = [m for m in found if lines is None or m.line in lines]
        for mutant in chosen[:limit] if limit else chosen:
            selected = _covering_tests(by_line, spans, mutant.line)
            if selected is None:
                yield mutant, "survived (no test runs this line)"
                continue
            mutated = mutated_source(source, mutant.index)
            target.write_text(mutated, encoding="utf-8")
            timeout = 10.0 + 2 * sum(seconds.get(t, 10.0) for t in selected)  # times under coverage: slower
            took = time.monotonic()
            outcome = "fresh" if fresh_only else mutate_fork.run_forked(
                dotted, original, mutated, [*_PYTEST_ARGS, *selected], timeout, scratch / "pycache")
            if outcome == "fresh":
                outcome = _run_fresh(scratch, selected, timeout + 15) + " (fresh)"
            _progress(f"[{mutant.index + 1}/{len(found)}] line {mutant.line} {mutant.op}: {outcome}, "
                      f"{len(selected)} tests, {time.monotonic() - took:.1f} s")
            yield mutant, outcome.removesuffix(" (fresh)")
        target.write_text(source, encoding="utf-8")


def score_module(module: Path, tests: list[str] | None, limit: int | None, quiet: bool,
                 fresh_only: bool = False, lines: set[int] | None = None) -> tuple[int, int, int]:
    """Run every mutant of one module; print survivors; return (killed, survived, excluded)."""
    config = _config(module)
    tests = tests or config.get("tests")
    if not tests:
        raise SystemExit(f"no tests named for {module}: pass --tests or write {_config_file(module)}")
    equivalent = config.get("equivalent", [])
    killed = survived = excluded = 0
    for mutant, outcome in iter_results(module, tests, limit, fresh_only, lines):
        if outcome.startswith("survived") and any(
                e.get("line") == mutant.source_line and e.get("op") == mutant.op for e in equivalent):
            excluded += 1
            continue
        if outcome.startswith("survived"):
            survived += 1
            if not quiet:
                why = " (no test runs this line)" if outcome != "survived" else ""
                print(f"SURVIVED line {mutant.line}: {mutant.op:16s} {mutant.source_line}{why}", flush=True)
        else:
            killed += 1
    return killed, survived, excluded


def _line_set(text: str) -> set[int]:
    """'40-55,120' -> {40, ..., 55, 120}."""
    lines: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        lines.update(range(int(first), int(last or first) + 1))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", type=Path, nargs="*", help="module files (default with --all: "
                        "every module that has a file in tests/mutation/)")
    parser.add_argument("--all", action="store_true", help="every configured module, one line each")
    parser.add_argument("--tests", nargs="+", help="test files (default: tests/mutation/<module>.toml)")
    parser.add_argument("--limit", type=int, help="run only the first N mutants (a quick look)")
    parser.add_argument("--lines", type=_line_set, help="only the mutants on these source lines, e.g. "
                        "'40-55,120' (to re-check survivors after a new test; not a score)")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--fresh", action="store_true",
                        help="run every mutant in a new interpreter (slow; to check the fast path)")
    args = parser.parse_args(argv)
    modules = list(args.module)
    if args.all and not modules:
        modules = [REPO / "desktop" / "paperdeck" / Path(*p.stem.split(".")).with_suffix(".py")
                   for p in sorted(CONFIG_DIR.glob("*.toml"))]
    if not modules:
        parser.error("name a module, or --all")
    if args.list:
        for module in modules:
            for m in mutants(module.read_text(encoding="utf-8")):
                print(f"{m.line:5d}  {m.op:16s} {m.source_line}")
        return 0
    for module in modules:
        started = time.monotonic()
        killed, survived, excluded = score_module(module, args.tests, args.limit, args.all, args.fresh,
                                                   args.lines)
        total = killed + survived
        score = 100.0 * killed / total if total else 100.0
        key = module.resolve().relative_to(REPO).as_posix()
        print(f"{key}: {killed} killed, {survived} survived, {excluded} equivalent (excluded); "
              f"score {score:.1f} % ({time.monotonic() - started:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
