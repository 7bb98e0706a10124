"""Helpers every command module shares: reading inputs, printing JSON.

Its own module so that the parser (`main.py`) and the command modules (`commands.py`,
`triage_commands.py`) each import it and never each other in a circle.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from ..core.errors import InputError
from ..core.models import Paper


def read_inputs(files: list[str]) -> list[tuple[str, str]]:
    """(source, text) for each input; '-' or no file means standard input."""
    from ..core.digest import decode_paste_noted

    out = []
    for name in files or ["-"]:
        if name == "-":
            data, source = sys.stdin.buffer.read(), "stdin"
        else:
            path = Path(name)
            try:
                data, source = path.read_bytes(), str(path)
            except IsADirectoryError:
                raise InputError(f"{name} is a folder, not a text file.") from None
            except OSError as exc:
                raise InputError(f"Cannot read {name}: {exc.strerror or exc}.") from None
        try:
            text, note = decode_paste_noted(data)
        except ValueError as exc:
            raise InputError(f"{source}: {exc}") from None
        if note:  # a warning, not a failure: the import goes on
            print(f"paperdeck: {source}: {note}", file=sys.stderr)
        out.append((source, text))
    return out


def dump_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=None)
    sys.stdout.write("\n")


def paper_json(p: Paper) -> dict:
    """A paper as `list --json` prints it."""
    data = asdict(p)
    data.pop("import_id", None)
    return data


def _whole_number(text: str, not_a_number: str, too_small: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' {not_a_number}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"'{text}' {too_small}")
    return value


def paper_id(text: str) -> int:
    """An argparse type: a paper id (ids start at 1)."""
    return _whole_number(text, "is not a paper id (a whole number)", "is not a paper id (ids start at 1)")


def positive_count(text: str) -> int:
    """An argparse type: a count such as --limit (1 or more)."""
    return _whole_number(text, "is not a whole number", "must be at least 1")
