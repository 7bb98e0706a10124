"""The bundle's entry point, shared by both executables.

`paperdeck` is the command line (no subcommand opens the window); `paperdeck-gui` (windowed
on Windows and macOS) opens the window. One script, one analysis, two executables: the
executable's own name says which it is.
"""

import multiprocessing
import os
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a parallel index rebuild must not start a second app
    from paperdeck.__main__ import gui_main, main

    name = os.path.basename(sys.executable).lower()
    sys.exit(gui_main() if name.startswith("paperdeck-gui") else main())
