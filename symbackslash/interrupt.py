"""Ctrl-C while the command line starts.

Importing SymPy, networkx and matplotlib takes a second or two, before the command line's own
handling (:func:`symbackslash.cli.main`: one line, status 130) is in place. Imported first by
the package, this module makes an interrupt in that time end the process the same way,
quietly, when the process is the command line (the ``symbackslash`` script or
``python -m symbackslash``); imported as a library, nothing changes.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

__all__ = ["quiet_interrupts", "is_command_line"]

#: The exit status of a process ended by Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130


def is_command_line() -> bool:
    """Whether this process runs the command line: the installed script, or ``python -m``
    while the package is being located (``sys.argv[0]`` is ``"-m"`` then)."""
    first = sys.argv[0] if sys.argv else ""
    return first == "-m" or os.path.splitext(os.path.basename(first))[0] == "symbackslash"


def _interrupted(signum, frame):
    print("symbackslash: interrupted", file=sys.stderr)
    raise SystemExit(INTERRUPTED)


def quiet_interrupts() -> None:
    """In the command line's main thread, make Ctrl-C exit with status 130 and one line
    (until :func:`symbackslash.cli.main` takes over)."""
    if is_command_line() and threading.current_thread() is threading.main_thread() \
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupted)


quiet_interrupts()
