"""Run a mutant's tests in a fork of a warm process, with the mutated functions swapped in.

Starting Python, pytest, Qt, numpy and Whoosh for every mutant costs more than most of the
tests it runs. This process imports them once; each mutant then runs in a forked child
that replaces the `__code__` of the functions the mutation changed and calls `pytest.main`
on the tests that cover the mutated line. Everything else keeps working as written: the
mutated file is also on disk, so subprocesses the tests start see the mutant too.

A mutation outside a function body (a module constant, a default argument, a class body)
cannot be swapped in this way; the child then says so (exit 99) and the caller runs the
mutant in a fresh interpreter instead.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import os
import pkgutil
import signal
import sys
import time
import types
from pathlib import Path

CANNOT_SWAP = 99
_OWN_FIELDS = ("co_code", "co_names", "co_varnames", "co_freevars", "co_cellvars", "co_argcount",
               "co_kwonlyargcount", "co_posonlyargcount", "co_flags")


def warm_up(desktop: Path) -> None:
    """Import what every mutant's tests import, so each fork starts warm (no threads yet)."""
    sys.path.insert(0, str(desktop))
    os.environ["PYTHONPATH"] = str(desktop)
    import paperdeck  # noqa: F401  (from the scratch copy, first on sys.path)

    for info in pkgutil.walk_packages([str(desktop / "paperdeck")], "paperdeck."):
        if info.name.endswith("__main__"):
            continue
        with contextlib.suppress(Exception):  # one that cannot import alone is imported by its test
            importlib.import_module(info.name)
    import pytest  # noqa: F401
    import pytestqt.plugin  # noqa: F401


def _codes(code: types.CodeType, found: dict[str, list[types.CodeType]]) -> None:
    found.setdefault(code.co_qualname, []).append(code)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _codes(const, found)


def _own_differs(a: types.CodeType, b: types.CodeType) -> bool:
    """The code differs in itself, not only in the functions nested in it (line numbers aside)."""
    if any(getattr(a, f) != getattr(b, f) for f in _OWN_FIELDS):
        return True
    plain_a = [c for c in a.co_consts if not isinstance(c, types.CodeType)]
    plain_b = [c for c in b.co_consts if not isinstance(c, types.CodeType)]
    nested_a = [c.co_qualname for c in a.co_consts if isinstance(c, types.CodeType)]
    nested_b = [c.co_qualname for c in b.co_consts if isinstance(c, types.CodeType)]
    return plain_a != plain_b or nested_a != nested_b


def _unwrap(obj: object) -> list[types.FunctionType]:
    if isinstance(obj, staticmethod | classmethod):
        obj = obj.__func__
    if isinstance(obj, property):
        return [f for part in (obj.fget, obj.fset, obj.fdel) if part for f in _unwrap(part)]
    seen = 0
    while hasattr(obj, "__wrapped__") and seen < 5:
        obj = obj.__wrapped__  # lru_cache, functools.wraps
        seen += 1
    return [obj] if isinstance(obj, types.FunctionType) else []


def _live_functions(module: types.ModuleType) -> dict[str, list[types.FunctionType]]:
    """Every function defined in `module` that code elsewhere can hold, by qualified name."""
    found: dict[str, list[types.FunctionType]] = {}
    file = module.__file__

    def visit(namespace: dict, owner_qualname: str | None) -> None:
        for value in namespace.values():
            if inspect.isclass(value) and value.__module__ == module.__name__ and (
                    owner_qualname is None or value.__qualname__.startswith(owner_qualname + ".")):
                if value.__qualname__ not in visited:
                    visited.add(value.__qualname__)
                    visit(vars(value), value.__qualname__)
                continue
            for function in _unwrap(value):
                if function.__code__.co_filename == file and all(
                        function is not f for f in found.get(function.__code__.co_qualname, [])):
                    found.setdefault(function.__code__.co_qualname, []).append(function)

    visited: set[str] = set()
    visit(vars(module), None)
    return found


def swap_in(module: types.ModuleType, original_source: str, mutated_source: str) -> bool:
    """Give the module's live functions the mutated code; False if the mutant needs a fresh process."""
    filename = module.__file__
    before: dict[str, list[types.CodeType]] = {}
    after: dict[str, list[types.CodeType]] = {}
    _codes(compile(original_source, filename, "exec"), before)
    _codes(compile(mutated_source, filename, "exec"), after)
    if before.keys() != after.keys() or any(len(before[k]) != len(after[k]) for k in before):
        return False
    live = _live_functions(module)
    targets: dict[str, types.CodeType] = {}
    for qualname, olds in before.items():
        for old, new in zip(olds, after[qualname], strict=True):
            if not _own_differs(old, new):
                continue
            owner = _swappable_owner(qualname, live, after)
            if owner is None:
                return False
            targets[owner] = after[owner][0]
    if not targets:
        return False  # the mutant changed nothing we can see: let a fresh process judge it
    for qualname, code in targets.items():
        for function in live[qualname]:
            try:
                function.__code__ = code
            except ValueError:  # a different closure (e.g. a dropped super() call)
                return False
    return True


def _swappable_owner(qualname: str, live: dict[str, list[types.FunctionType]],
                     after: dict[str, list[types.CodeType]]) -> str | None:
    """The outermost live function whose code holds `qualname` (itself, or its enclosing one)."""
    parts = qualname.split(".<locals>.")
    owner = parts[0]
    if owner not in live or len(after.get(owner, [])) != 1:
        return None  # module or class body code, a lambda, or a name defined twice
    return owner


def run_forked(module_name: str, original: str, mutated: str, args: list[str], timeout: float,
               pycache: Path) -> str:
    """'killed', 'survived', 'killed (timeout)' or 'fresh' (run it in a new interpreter).

    The children keep pytest's rewritten test modules in `pycache` (a private prefix, so a
    fresh interpreter never reads them): rewriting every test file again costs a second.
    """
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.setsid()
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            sys.pycache_prefix = str(pycache)
            sys.dont_write_bytecode = False
            if mutated != original and not swap_in(sys.modules[module_name], original, mutated):
                code = CANNOT_SWAP
            else:
                import pytest

                code = 0 if pytest.main(args) == 0 else 1
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            _kill_group(pid)
            os.waitpid(pid, 0)
            return "killed (timeout)"
        time.sleep(0.01)
    _kill_group(pid)  # whatever the tests left running
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == CANNOT_SWAP:
        return "fresh"
    return "survived" if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else "killed"


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
