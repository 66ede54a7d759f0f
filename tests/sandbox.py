"""Running a hostile call in a subprocess with a memory cap and a time-out.

A test that checks a limit must not itself hang or eat the machine when the limit is
broken: :func:`run_capped` runs a few lines of Python (with ``symbackslash`` imported as
``sb``) in a fresh interpreter capped at ``memory_mb`` of address space, kills it after
``timeout`` seconds, and returns what it printed (the test fails on a time-out, a crash or
a traceback).
"""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_PRELUDE = """\
import resource
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
import symbackslash as sb
"""


def run_capped(code: str, *, memory_mb: int = 2000, timeout: float = 60) -> str:
    """Run ``code`` capped; return its standard output (stripped)."""
    cap = memory_mb * 2**20
    source = _PRELUDE.format(cap=cap) + textwrap.dedent(code)
    try:
        done = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True,
                              timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"did not finish within {timeout} s:\n{code}") from None
    assert done.returncode == 0, f"exit {done.returncode}:\n{done.stderr[-2000:]}"
    return done.stdout.strip()
