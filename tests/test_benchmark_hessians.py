"""The Hessian section of the benchmark runs on small sizes and its checks hold (no timings
are asserted: the script prints them)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_hessian_section_rows():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick",
                           "--sizes", "4", "--families", "Chebyshev", "--no-matrix",
                           "--repeats", "1", "--timeout", "30", "--hessians", "--no-elimination",
                           "--no-figures"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith("Hessians"))
    assert "sympy.hessian" in lines[start] and "hvp ops×" in lines[start]
    table = [line.split() for line in lines[start + 1:] if line.strip()]
    assert [row[-7] for row in table] == ["4", "4", "4"]  # n, one row per family
    for *_, ours, theirs, _speedup, hvp, whole, check in table:
        assert float(check) < 1e-12      # against sympy.hessian at 30 digits
        assert 0 < float(hvp) <= 6 and float(whole) > 0 and float(ours) > 0 < float(theirs)
