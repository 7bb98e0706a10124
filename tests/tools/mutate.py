"""Mutation testing for one module: would the tests notice a small wrong change?

    python tests/tools/mutate.py desktop/paperdeck/core/citekeys.py [--tests T ...] [--limit N]

Each mutant flips one comparison or boolean operator, shifts one integer constant, flips
one `True`/`False`, drops one `not`, swaps `+`/`-`, or replaces one statement with `pass`.
Every mutant runs against the module's tests (from `[tool.paperdeck.mutation]` in
pyproject.toml, or `--tests`) in a scratch copy of `desktop/`, stopping at the first failure;
a mutant the tests still pass "survives". The score is killed / (all - excluded).

Mutants that cannot change behaviour (equivalent mutants) are listed in pyproject.toml
under `[[tool.paperdeck.mutation.equivalent]]` with the module, the source line's text, the
operator and a reason, so a survivor is either a gap in the tests or written down as none.
Not part of CI: it takes minutes per module. Written here rather than taken from mutmut,
whose copy-the-tree layout does not fit `desktop/` + the top-level `resources/`.
"""

from __future__ import annotations

import argparse
import ast
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
                    if item is not None:
                        new.append(item)
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


def _config() -> dict:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return data.get("tool", {}).get("paperdeck", {}).get("mutation", {})


def _equivalent(config: dict, module: str) -> list[dict]:
    return [e for e in config.get("equivalent", []) if e.get("module") == module]


def _run_tests(scratch: Path, tests: list[str], timeout: float) -> str:
    env = dict(os.environ, PYTHONPATH=str(scratch / "desktop"), QT_QPA_PLATFORM="offscreen",
               PYTHONDONTWRITEBYTECODE="1")
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
           "-o", "addopts=", *tests]
    try:
        done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "killed (timeout)"
    return "survived" if done.returncode == 0 else "killed"


def iter_results(module: Path, tests: list[str], limit: int | None) -> Iterator[tuple[Mutant, str]]:
    source = module.read_text(encoding="utf-8")
    rel = module.resolve().relative_to(REPO / "desktop")
    with tempfile.TemporaryDirectory(prefix="paperdeck-mutate-") as tmp:
        scratch = Path(tmp)
        shutil.copytree(REPO / "desktop", scratch / "desktop",
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        target = scratch / "desktop" / rel
        start = time.monotonic()
        if _run_tests(scratch, tests, timeout=900) != "survived":
            raise SystemExit(f"the tests fail on the unmutated module: {' '.join(tests)}")
        timeout = max(30.0, 5 * (time.monotonic() - start))
        found = mutants(source)
        for mutant in found[:limit] if limit else found:
            target.write_text(mutated_source(source, mutant.index), encoding="utf-8")
            yield mutant, _run_tests(scratch, tests, timeout)
        target.write_text(source, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", type=Path)
    parser.add_argument("--tests", nargs="+", help="test files (default: from pyproject.toml)")
    parser.add_argument("--limit", type=int, help="run only the first N mutants (a quick look)")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    args = parser.parse_args(argv)
    config = _config()
    module_key = args.module.resolve().relative_to(REPO).as_posix()
    if args.list:
        for m in mutants(args.module.read_text(encoding="utf-8")):
            print(f"{m.line:5d}  {m.op:16s} {m.source_line}")
        return 0
    tests = args.tests or config.get("tests", {}).get(module_key)
    if not tests:
        raise SystemExit(f"no tests named for {module_key}: pass --tests or add it to "
                         "[tool.paperdeck.mutation.tests] in pyproject.toml")
    equivalent = _equivalent(config, module_key)
    killed = survived = excluded = 0
    for mutant, outcome in iter_results(args.module, tests, args.limit):
        if outcome == "survived" and any(e.get("line") == mutant.source_line and e.get("op") == mutant.op
                                         for e in equivalent):
            excluded += 1
            continue
        if outcome == "survived":
            survived += 1
            print(f"SURVIVED line {mutant.line}: {mutant.op:16s} {mutant.source_line}", flush=True)
        else:
            killed += 1
    total = killed + survived
    score = 100.0 * killed / total if total else 100.0
    print(f"{module_key}: {killed} killed, {survived} survived, {excluded} equivalent (excluded); "
          f"score {score:.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
