"""The benchmark of the slowest inputs within the limits runs at small sizes, and each case
ends as the README says (no timings are asserted: the script prints them)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_case_is_answered_or_refused_by_name():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "limits.py"), "--quick",
                           "--timeout", "300"], capture_output=True, text=True, timeout=900,
                          cwd=ROOT / "benchmarks")
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()[2:]
    assert len(rows) == 8 and not any("timed out" in row for row in rows)
    outcomes = [row.split()[2:4] for row in rows]
    assert outcomes[0] == ["ResourceLimitError", "(max_int_digits)"]  # 30 characters
    assert outcomes[5] == ["ResourceLimitError", "(max_nodes)"]       # doubling closed form
    assert [o[0] for o in outcomes[1:5] + outcomes[6:]] == ["ok"] * 6
