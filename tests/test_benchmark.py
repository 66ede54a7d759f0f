"""The benchmark script runs end to end on small sizes and its numeric checks hold (no
timings are asserted: the script prints them). It runs in a fresh interpreter: it forks
for sympy.diff, which must not happen in a process where JAX's threads are running."""

import subprocess
import sys
from pathlib import Path

import pytest
from casadi_ratio import casadi_ratio

from symbackslash.examples import FAMILIES

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "run.py"


def run(*args: str) -> str:
    done = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def printed() -> str:
    return run("--quick", "--sizes", "4", "6", "--families", "Chebyshev", "--timeout", "20",
               "--repeats", "1", "--no-elimination", "--no-figures")


def rows(printed: str, family: str) -> list[list[str]]:
    return [line[len(family):].split() for line in printed.splitlines()
            if line.startswith(family)]   # the table's rows; summaries are indented


def test_scalar_family_rows(printed):
    table = rows(printed, "Chebyshev")
    assert [(r[0], r[1]) for r in table] == [("4", "expression"), ("4", "program"),
                                             ("6", "expression"), ("6", "program")]
    for *_, diff, _speedup, ops, _casadi, arrays, _per_edge, rules, check in table:
        assert float(check) < 1e-8            # against sympy.diff, which finishes here
        assert float(ops) <= 4 and float(arrays) > 0 and float(diff) > 0 and float(rules) > 0


def test_casadi_column_beside_ours(printed):
    header = next(line for line in printed.splitlines() if line.startswith("family"))
    assert " ops× CasADi ops× arrays×" in header
    for n, form, *_, casadi, _arrays, _per_edge, _rules, _check in rows(printed, "Chebyshev"):
        example = FAMILIES["Chebyshev"](int(n))
        assert casadi == f"{casadi_ratio(getattr(example, form), example.wrt).ratio:.2f}"


def test_matrix_mlp_rows_and_targets(printed):
    table = rows(printed, "matrix MLP")
    assert [r[0] for r in table] == ["4", "6"]
    for *_, diff, _speedup, ops, casadi, _arrays, _per_edge, rules, check, fd in table:
        assert rules == "-"                    # matrix rules are operators, timed in the solve
        assert casadi == "-"                   # no CasADi translation of matrix functions
        assert diff == "fails" and fd == "fd"  # SymPy's matrix derivative fails on the MLP
        assert float(check) < 1e-6 and float(ops) <= 4
    assert "Chebyshev            program    n 4→6:" in printed
    assert "21-node program (sin-chain of 10 lines)" in printed
    assert "depth-10 matrix MLP (57 nodes, 20 parameters" in printed


def test_sympy_diff_failure_is_reported_by_name():
    code = f"""
import importlib.util, sympy as sp
spec = importlib.util.spec_from_file_location("bench_run", {str(SCRIPT)!r})
bench = importlib.util.module_from_spec(spec); spec.loader.exec_module(bench)
class Refusing(sp.Function):
    def fdiff(self, argindex=1):
        raise ValueError("no derivative")
x = sp.Symbol("x")
print(bench.sympy_diff(Refusing(x) + x, [x], {{x: 1}}, 20))
elapsed, values = bench.sympy_diff(x**3, [x], {{x: 2}}, 20)
print(type(elapsed).__name__, values)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["('ValueError', None)", "float [(12+0j)]"]


def test_elimination_cost_table():
    printed = run("--elimination", "--quick")
    families = ["sin-chain, every step", "product + squares, p and s",
                "trigonometric residuals", "tanh network, last layer"]
    for family in families:
        table = rows(printed, family)
        assert [r[0] for r in table] == ["2", "3", "4"]
        for _n, _inputs, outputs, _eliminated, forward, reverse, markowitz, optimal, check in table:
            assert int(outputs) >= 2 and float(check) < 1e-9
            if optimal != "–":    # searched: never more than the other three orders
                assert int(optimal) <= min(int(forward), int(reverse), int(markowitz))
    assert "–" in [r[7] for r in rows(printed, "tanh network, last layer")]


def test_the_storyboard_flag_prints_the_27_node_storyboards_time_and_pixels():
    out = run("--storyboard")
    line = next(line for line in out.splitlines() if line.startswith("storyboard of a"))
    assert line.startswith("storyboard of a 27-node program: 27 frames (compact)")
    width, height = (int(n) for n in line.split(", ")[-1].removesuffix(" px").split(" x "))
    assert max(width, height) <= 4000
