"""``symbackslash demo``: the paper's claims on its own examples, in a few seconds.

Backpropagation through back substitution (Edelman, Akyürek, Wang, arXiv:2303.15449),
shown on three built-in examples:

1. sin(xy) + xy, the paper's first example, written as a three-line program: its graph,
   the system (I − L)ᵀ x̄ = e solved one row at a time from the bottom, the gradient, and a
   check against central finite differences. Its derivation (LaTeX, and PDF when pdflatex
   is installed), graph, system and storyboard are written to files.
2. The paper's 5-node graph: forward substitution (forward mode) and back substitution
   (reverse mode) find the same two derivatives with 4 and 3 multiplications, counted from
   the solver's records.
3. The paper's matrix MLP (equation (1)): the entries of M and L̃ are linear operators, the
   same back substitution gives Λ and the gradient Mᵀ Λ, checked against finite differences
   at random matrices.

Why these: the first is small enough for every matrix and every step to fit on a page (a
storyboard of the MLP's 15-node graph would take half a minute); the second is the paper's
own cost argument; the third is its showcase, the same solver running on operators.
"""

from __future__ import annotations

import time
from pathlib import Path

import matplotlib.pyplot as plt
import sympy as sp

from .check import check_gradient
from .derivation.document import Derivation, derivation
from .derivatives.mlp import mlp
from .errors import RenderError
from .examples import INTRO, t1_graph
from .printing.latex import node_symbol
from .printing.pieces import Chain, Grid, Partial
from .printing.text import text
from .render import (
    draw_graph,
    draw_matrix,
    figure_bytes,
    pdf_bytes,
    pdflatex_available,
    storyboard,
    write_atomic,
)
from .solve.matrices import triangular_system
from .solve.substitution import back_substitute, forward_substitute

__all__ = ["run_demo", "DEFAULT_FOLDER", "POINT"]

#: Where ``symbackslash demo`` writes its files, relative to the working directory.
DEFAULT_FOLDER = "symbackslash-demo"
#: The point of example 1: the derivation shows every step there in numbers, and the
#: finite-difference check is made there.
POINT = {"x": 1, "y": 2}
#: Example 3: layer sizes (n0, n1, n2) and the batch size k of the MLP.
MLP_SIZES, MLP_BATCH = (3, 4, 2), 5

FILES = {
    "derivation.tex": "the derivation of example 1, a LaTeX document",
    "derivation.pdf": "the same, compiled with pdflatex",
    "graph.png": "the computational graph of example 1",
    "system.png": "its matrix (I - L)^T",
    "storyboard.png": "the back substitution, one frame per step",
    "storyboard.gif": "the same, animated",
}


def _grid(matrix: sp.Matrix) -> Grid:
    """A matrix as a derivation piece (the text printer sets it in brackets, row by row)."""
    return Grid({(i, j): matrix[i, j] for i in range(matrix.rows) for j in range(matrix.cols)
                 if matrix[i, j] != 0}, matrix.shape)


def _indent(block: str, spaces: int = 5) -> str:
    return "\n".join(" " * spaces + line for line in block.splitlines())


def _intro(d: Derivation, say) -> None:
    G, S = d.graph, d.system
    say("1. f(x, y) = sin(x*y) + x*y, written as a program (the paper's first example)")
    for v in S.nodes[S.n_sources:]:
        say(f"     ({G.nodes[v]['index']})  {v} = {text(G.nodes[v]['expr'])}")
    partials = ", ".join(text(Chain(Partial(node_symbol(v), node_symbol(u)), w))
                         for u, v, w in sorted(G.edges(data="weight"),
                                               key=lambda e: (G.nodes[e[1]]["index"],
                                                              G.nodes[e[0]]["index"])))
    say(f"   graph: {S.n} nodes, inputs x, y first; {G.number_of_edges()} edges, each weighted "
        f"by its local partial:")
    say(f"     {partials}")
    say(f"   system: (I - L)^T xbar = e_{S.n}, {S.n} x {S.n} upper triangular; back "
        f"substitution, last row first:")
    for view in d.steps():
        say(f"     ({view.record.unknown + 1})  {text(d.equation(view))}")
    gradient = d.result.gradient
    say("   gradient: " + ", ".join(f"df/d{v} = {text(g)}"
                                   for v, g in zip(d.result.wrt, gradient, strict=True)))
    f = d.result.values[d.result.outputs[0]]
    report = check_gradient(f, d.result.wrt, gradient, values={sp.Symbol(k): float(v)
                                                              for k, v in POINT.items()})
    at = ", ".join(f"{k} = {v}" for k, v in POINT.items())
    numbers = ", ".join(f"{float(c.gradient):.6g}" for c in report.checks)
    say(f"   check at {at}: ({numbers}); {_verdict(report)}")


def _verdict(report) -> str:
    error = max(c.error for c in report.checks)
    if report.passed:
        return f"central differences agree to {error:.1e}  [ok]"
    return f"central differences differ by {error:.1e}  [WRONG]"


def _costs(say) -> None:
    G = t1_graph()
    S = triangular_system(G)
    forward = [forward_substitute(S.lower(), S.seed(v)) for v in G.graph["inputs"]]
    backward = back_substitute(S.upper(), S.unit(G.graph["outputs"][0]))
    say("2. The paper's 5-node graph, edges 1->3: a, 2->3: b, 3->4: c, 4->5: d; its two "
        "derivatives")
    forward_values = "; ".join(", ".join(_computed(x)) for x in forward)
    say(f"   forward substitution, one solve per input: {forward_values}  -> "
        f"{sum(x.multiplications for x in forward)} multiplications")
    say(f"   back substitution, one solve in all:        {', '.join(_computed(backward))}  -> "
        f"{backward.multiplications} multiplications")
    say("   one output, many inputs: back substitution (reverse mode, backpropagation) wins")


def _computed(solution) -> list[str]:
    """The values a solve computed, in order, without the zeros and the seed's 1."""
    return [text(step.result) for step in solution.steps if step.result not in (0, 1)]


def _network(say) -> None:
    net = mlp(MLP_SIZES, batch=MLP_BATCH, activations=["tanh", "tanh"])
    shapes = ", ".join(f"{p}: {p.shape[0]} x {p.shape[1]}" for p in [net.X0, *net.W])
    say("3. The paper's MLP, equation (1): X1 = tanh.(W1*X0 + B1), X2 = tanh.(W2*X1 + B2)")
    say(f"   loss J = ||X2 - Y||^2/2; sizes {shapes}")
    say("   the blocks of L hold linear operators (L_A: X -> A*X, R_A: X -> X*A, "
        "H_A: X -> A .* X)")
    say("   with Delta_i = tanh'.(W_i*X_{i-1} + B_i):")
    for name, matrix in [("M", net.M), ("L~", net.L_tilde)]:
        say(_indent(text(Chain(sp.Symbol(name), _grid(matrix)))))
    say(_indent(text(Chain(sp.Symbol("g"), _grid(sp.Matrix(net.g))))))
    solution = net.solve()
    say("   the same back substitution on (I - L~)^T Lambda = g, with the adjoints:")
    for name, value in solution.Lambda:
        say(f"     {text(name)} = {text(value)}")
    say("   gradient = M^T Lambda:")
    for p in net.parameters:
        say(f"     grad {p} = {text(solution.gradient[p])}")
    report = check_gradient(net.loss, net.parameters, net.gradient())
    say(f"   check at random matrices: {_verdict(report)}")


def _files(d: Derivation) -> dict[str, bytes]:
    """Every file of example 1, rendered before anything is written."""
    files = {"derivation.tex": d.document().encode("utf-8")}
    for name, fig in [("graph.png", draw_graph(d.graph).figure),
                      ("system.png", draw_matrix(d.system, "(I-L)^T").figure)]:
        try:
            files[name] = figure_bytes(fig, dpi=120)
        finally:
            plt.close(fig)
    board = storyboard(d)
    files["storyboard.png"] = board.png_bytes()
    files["storyboard.gif"] = board.gif_bytes()
    return files


def run_demo(out=DEFAULT_FOLDER, *, say=print) -> list[Path]:
    """Run the three examples, print a summary with ``say`` and write the files of example
    1 into the folder ``out`` (created if needed; other files in it are left alone).

    Returns the paths written. Raises :class:`~symbackslash.RenderError` if ``out``
    cannot be created or written; a missing or failing pdflatex only skips the PDF (the
    summary says why).
    """
    start = time.perf_counter()
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise RenderError(f"cannot create the folder {folder}: {err.strerror or err}") from err
    say("symbackslash demo: backpropagation is back substitution")
    say("(Edelman, Akyurek & Wang, arXiv:2303.15449)")
    say("")
    d = derivation(INTRO, wrt=["x", "y"], at=POINT)
    _intro(d, say)
    say("")
    _costs(say)
    say("")
    _network(say)
    files = _files(d)
    notes = {}
    if pdflatex_available():
        try:
            files["derivation.pdf"] = pdf_bytes(d)
        except RenderError as err:
            notes["derivation.pdf"] = f"not written: {err}"
    else:
        notes["derivation.pdf"] = ("not written: pdflatex is not installed (derivation.tex "
                                   "compiles with any LaTeX installation)")
    written = [write_atomic(folder / name, data) for name, data in files.items()]
    say("")
    say(f"Files written to {folder.resolve()}:")
    for name, what in FILES.items():
        say(f"  {name:<16}{what if name in files else notes[name]}")
    say("")
    say(f"Done in {time.perf_counter() - start:.1f} s. Next: the tutorials (tutorials/*.ipynb; "
        "the README says how to open them), or your own function:")
    say('  symbackslash grad "exp(x*y)/(1 + y**2)" --wrt x y --at x=1 y=2 --pdf d.pdf')
    return written
