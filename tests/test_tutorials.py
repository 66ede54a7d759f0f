"""The tutorials run top to bottom, show pictures or derivations, use the public API only,
and are committed with their outputs (so they read well on a code host)."""

import concurrent.futures
import importlib.util
import os
import re
from pathlib import Path

import pytest

# Importing symbackslash loads matplotlib, which on a fresh machine builds its font cache (and
# says so on stderr): here, once, rather than in the kernels below.
import symbackslash as sb

nbformat = pytest.importorskip("nbformat", reason="nbformat comes with the test extras")
pytest.importorskip("nbclient", reason="nbclient comes with the test extras")

ROOT = Path(__file__).resolve().parent.parent
TITLES = {
    "01_graph_and_L": "1. From an expression to its graph and the matrix L",
    "02_back_substitution": "2. Backpropagation is back substitution",
    "03_path_sums": "3. Path sums: (I − L)⁻¹ = I + L + L² + ⋯",
    "04_operators": "4. Operators and the transpose-dot",
    "05_mlp": "5. The MLP of equation (1)",
    "06_matrix_calculus": "6. Matrix calculus you can trust",
    "07_your_own_function": "7. Your own function: from a program to a PDF derivation",
    "08_micrograd": "8. Code as students write it: micrograd, loops and reassignment",
    "09_elimination": "9. Every elimination order computes the Jacobian",
    "10_second_derivatives": "10. Second derivatives: Hessians as one more triangular solve",
}


def load_runner():
    spec = importlib.util.spec_from_file_location("execute", ROOT / "tutorials" / "execute.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RUNNER = load_runner()
NOTEBOOKS = RUNNER.notebooks()


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def shows_something(nb) -> bool:
    """At least one figure (PNG) or derivation/formula (LaTeX) among the outputs."""
    return any("image/png" in out.get("data", {}) or "text/latex" in out.get("data", {})
               for cell in code_cells(nb) for out in cell.outputs)


def test_the_seven_tutorials_in_order():
    assert [p.stem for p in NOTEBOOKS] == list(TITLES)
    for path in NOTEBOOKS:
        first = nbformat.read(path, as_version=4).cells[0]
        assert first.cell_type == "markdown" and first.source.startswith(f"# {TITLES[path.stem]}")


@pytest.fixture(scope="module")
def executed():
    """Every tutorial run afresh, several at a time (each in its own kernel process):
    ``{path: future}``; a future's result is the executed notebook, or it raises nbclient's
    CellExecutionError with the failing cell."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1))
    futures = {path: pool.submit(RUNNER.execute, path) for path in NOTEBOOKS}
    yield futures
    pool.shutdown(wait=True)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_tutorial_runs_and_shows_a_figure_or_a_derivation(path, executed):
    nb = executed[path].result()
    assert shows_something(nb)
    noise = [out.text for cell in code_cells(nb) for out in cell.outputs
             if out.output_type == "stream" and out.name == "stderr"]
    assert not noise, noise            # no warnings or tracebacks printed


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_committed_notebook_carries_its_outputs(path):
    nb = nbformat.read(path, as_version=4)
    cells = code_cells(nb)
    assert [cell.execution_count for cell in cells] == list(range(1, len(cells) + 1)), \
        "run it top to bottom: python tutorials/execute.py " + path.name
    assert shows_something(nb)
    assert not [out for cell in cells for out in cell.outputs if out.output_type == "error"]
    assert path.stat().st_size < 600_000, "keep figures at a modest resolution"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_tutorial_uses_the_public_api_only(path):
    source = "\n".join(cell.source for cell in code_cells(nbformat.read(path, as_version=4)))
    assert "import symbackslash as sb" in source
    for module in re.findall(r"from (symbackslash\S*) import", source):
        assert module == "symbackslash.examples", module
    used = set(re.findall(r"\bsb\.(\w+)", source))
    assert used <= set(sb.__all__), used - set(sb.__all__)
