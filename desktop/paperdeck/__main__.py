"""Entry points: `paperdeck` (CLI, or the window with no subcommand) and `paperdeck-gui`."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from paperdeck.cli.main import main as cli_main

    return cli_main(argv)


def gui_main() -> int:
    from paperdeck.app import run_gui

    return run_gui(sys.argv)


if __name__ == "__main__":
    sys.exit(main())
