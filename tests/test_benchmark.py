"""The benchmark script runs end to end on small sizes and its numeric checks hold (no
timings are asserted: the script prints them)."""

import importlib.util
import random
from pathlib import Path

import pytest
import sympy as sp

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def checked(row) -> float:
    return float(row["check"].split()[0])


def test_scalar_family_rows(bench, capsys):
    rows = bench.run_family("Chebyshev", [4, 6], timeout=20, rng=random.Random(0))
    assert [(r["n"], r["form"]) for r in rows] == [(4, "expression"), (4, "program"),
                                                   (6, "expression"), (6, "program")]
    assert all(checked(r) < 1e-8 for r in rows)
    assert all(r["ratio"] <= 4 for r in rows)
    assert all(isinstance(r["arrays"], float) and r["arrays"] > 0 for r in rows)
    assert all(isinstance(r["diff"], float) for r in rows)     # sympy.diff finishes here
    assert "Chebyshev" in capsys.readouterr().out


def test_matrix_mlp_rows(bench, capsys):
    rows = bench.run_matrix_mlp([2, 3], timeout=20)
    assert [r["n"] for r in rows] == [2, 3]
    assert all(r["check"].endswith("fd") and checked(r) < 1e-6 for r in rows)
    assert all(r["ratio"] <= 4 for r in rows)
    assert all(r["diff"] is None or isinstance(r["diff"], (str, float)) for r in rows)
    bench.growth(rows)
    bench.deep_mlp(3)
    out = capsys.readouterr().out
    assert "matrix MLP" in out and "depth-3 matrix MLP" in out and "n 2→3" in out


class Refusing(sp.Function):
    """A function whose derivative raises, as SymPy's matrix derivative does on the MLP."""

    def fdiff(self, argindex=1):
        raise ValueError("no derivative")


def test_sympy_diff_failure_is_reported_by_name(bench):
    x = sp.Symbol("x")
    elapsed, values = bench.sympy_diff(Refusing(x) + x, [x], {x: 1}, 20)
    assert (elapsed, values) == ("ValueError", None)
    elapsed, values = bench.sympy_diff(x**3, [x], {x: 2}, 20)
    assert isinstance(elapsed, float) and values == [12]
