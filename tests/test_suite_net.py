"""The suite's own safety net: a hanging test is stopped, a slow one gets its longer limit,
and a skip fails a CI run (each checked by running pytest on a small generated test file)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SLOW_TIMEOUT

REPO = Path(__file__).resolve().parents[1]


def _pytest(tmp_path: Path, body: str, *args: str, env: dict[str, str] | None = None):
    shutil.copy(REPO / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_generated.py").write_text(body, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(REPO / "pyproject.toml"), "--rootdir", str(tmp_path),
         "-p", "no:cacheprovider", "-q", str(tmp_path / "test_generated.py"), *args],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**os.environ, "PAPERDECK_NO_SKIPS": "0", **(env or {})})


def test_a_hanging_test_is_stopped_and_fails(tmp_path: Path) -> None:
    done = _pytest(tmp_path, "import time\n\ndef test_hangs():\n    time.sleep(60)\n", "-o", "timeout=2")
    assert done.returncode == 1, done.stdout
    assert "Timeout" in done.stdout and "1 failed" in done.stdout


def test_slow_tests_get_the_longer_limit_and_others_the_default(tmp_path: Path) -> None:
    body = (
        "import pytest\n\n"
        "@pytest.mark.slow\n"
        "def test_slow(request):\n"
        f"    assert request.node.get_closest_marker('timeout').args[0] == {SLOW_TIMEOUT}\n\n"
        "def test_plain(request):\n"
        "    assert request.node.get_closest_marker('timeout') is None\n"
        "    assert request.config.getini('timeout') == '180'\n"
    )
    done = _pytest(tmp_path, body)
    assert done.returncode == 0, done.stdout
    assert "2 passed" in done.stdout


@pytest.mark.parametrize(("no_skips", "returncode"), [("1", 1), ("0", 0)])
def test_a_skip_fails_the_run_only_when_ci_says_so(tmp_path: Path, no_skips: str, returncode: int) -> None:
    body = "import pytest\n\ndef test_ok():\n    pass\n\ndef test_skips():\n    pytest.skip('tool missing')\n"
    done = _pytest(tmp_path, body, env={"PAPERDECK_NO_SKIPS": no_skips})
    assert done.returncode == returncode, done.stdout
    assert ("every test must run in CI" in done.stdout) == (no_skips == "1")


def test_the_mutation_tool_makes_each_mutant_it_lists() -> None:
    sys.path.insert(0, str(REPO / "tests" / "tools"))
    import mutate

    source = "LIMIT = 3\n\ndef f(a, b):\n    x = a + LIMIT\n    return a < b and not x\n"
    found = {m.op: m for m in mutate.mutants(source)}
    assert set(found) == {"3 -> 4", "drop assign", "+ -> -", "< -> <=", "and -> or", "drop not",
                          "drop return"}
    namespace: dict = {}
    exec(mutate.mutated_source(source, found["< -> <="].index), namespace)
    assert namespace["f"](1, 1) is False  # 1 <= 1 and not 4
    exec(mutate.mutated_source(source, found["drop return"].index), namespace)
    assert namespace["f"](0, 1) is None
    unchanged: dict = {}
    exec(mutate.mutated_source(source, len(found)), unchanged)  # no site with that number: as written
    assert unchanged["f"](0, 1) is False and unchanged["LIMIT"] == 3


def test_a_mutant_of_a_function_with_keyword_only_arguments_still_compiles() -> None:
    """`kw_defaults` holds None for a keyword-only argument without a default: dropping it
    made every mutant of such a module a SyntaxError, counted as killed."""
    sys.path.insert(0, str(REPO / "tests" / "tools"))
    import inspect

    import mutate

    source = ("def f(a, *, key, limit=2):\n    return a < limit and key\n\n"
              "def g(a, *, to, anchor):\n    return a + 1\n")
    original: dict = {}
    exec(source, original)

    def shape(function) -> list[tuple]:  # names, kinds, and which have a default
        params = inspect.signature(function).parameters.values()
        return [(p.name, p.kind, p.default is p.empty) for p in params]

    for m in mutate.mutants(source):
        namespace: dict = {}
        exec(mutate.mutated_source(source, m.index), namespace)
        assert [shape(namespace[n]) for n in "fg"] == [shape(original[n]) for n in "fg"], m


def test_the_mutation_tool_swaps_a_mutated_function_into_the_running_module(tmp_path: Path) -> None:
    """The fast path changes the live function every holder sees; a module constant is refused."""
    sys.path.insert(0, str(REPO / "tests" / "tools"))
    import types

    import mutate
    import mutate_fork

    source = ("LIMIT = 3\n\nclass Box:\n    def big(self, n):\n        return n > LIMIT\n\n"
              "def f(a):\n    return a < 2\n")
    path = tmp_path / "sample_mod.py"
    path.write_text(source, encoding="utf-8")
    module = types.ModuleType("sample_mod")
    module.__file__ = str(path)
    exec(compile(source, str(path), "exec"), vars(module))
    held_f, held_big = module.f, module.Box.big  # as `from sample_mod import f` would hold them
    found = {m.op: m for m in mutate.mutants(source)}
    original = mutate.ast.unparse(mutate.ast.parse(source))
    assert mutate_fork.swap_in(module, original, mutate.mutated_source(source, found["< -> <="].index))
    assert held_f(2) is True and held_big(module.Box(), 3) is False
    assert mutate_fork.swap_in(module, original, mutate.mutated_source(source, found["> -> >="].index))
    assert held_big(module.Box(), 3) is True
    assert not mutate_fork.swap_in(module, original, mutate.mutated_source(source, found["3 -> 4"].index))
