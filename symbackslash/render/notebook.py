"""Notebook display without glue code.

Objects that symbackslash defines show themselves through the usual ``_repr_latex_`` /
``_repr_html_`` / ``_repr_png_`` methods (:class:`~symbackslash.Derivation`,
:class:`~symbackslash.Storyboard`, the :class:`~symbackslash.Gradient` that ``gradient``
returns, the reports of :mod:`symbackslash.check`, :class:`~symbackslash.MLP`,
:class:`~symbackslash.MLPSolution`, :class:`~symbackslash.Substitution`). The core
objects (the graph, a plain :class:`networkx.DiGraph`; the
:class:`~symbackslash.TriangularSystem`; the :class:`~symbackslash.Differentiation`; the
:class:`~symbackslash.GradientProgram`) get IPython display formatters instead,
registered on the running IPython shell when symbackslash is imported (or with
``%load_ext symbackslash``). That keeps rendering out of the core modules, and it is the
only way to give a networkx graph a picture.

A graph is drawn only if it is a computational graph symbackslash built or checked (it has
the ``inputs`` and ``outputs`` graph attributes and a weight on every edge); any other
DiGraph keeps its usual text display. A formatter that cannot draw returns ``None``, so
IPython falls back to the next representation.
"""

from __future__ import annotations

import sys

import networkx as nx
from matplotlib.figure import Figure

from ..derivatives.gradient import Differentiation, Gradient
from ..derivatives.program import GradientProgram
from ..errors import InputError, SymbackslashError
from ..printing.latex import LatexPrinter, node_symbol
from ..printing.pieces import I_MINUS_L_T, L_, Chain, Grid, Nabla, Partial, Rows
from ..solve.matrices import TriangularSystem
from .files import figure_bytes
from .graph_figure import draw_graph, graph_size
from .matrix_figure import draw_matrix

__all__ = ["register", "graph_png", "system_latex", "system_png", "differentiation_latex",
           "program_latex", "FORMATTERS", "MAX_LATEX_NODES"]

#: Larger systems show their sparsity pattern (PNG) instead of LaTeX.
MAX_LATEX_NODES = 14


def is_computational_graph(G) -> bool:
    """A DiGraph symbackslash built or checked: inputs/outputs recorded, weights on edges."""
    return (isinstance(G, nx.DiGraph) and not G.is_multigraph()
            and "inputs" in G.graph and "outputs" in G.graph
            and all("weight" in data for _, _, data in G.edges(data=True)))


def graph_png(G) -> bytes | None:
    """The graph drawn by :func:`~symbackslash.draw_graph`, as PNG bytes."""
    if not is_computational_graph(G):
        return None
    try:
        fig = Figure(figsize=graph_size(G))
        draw_graph(G, fig.add_axes((0, 0, 1, 1)))
        return figure_bytes(fig, dpi=100)
    except SymbackslashError:
        return None


def _math(obj) -> str:
    return "$$%s$$" % LatexPrinter().doprint(obj)


def system_latex(S: TriangularSystem) -> str | None:
    """L and (I − L)ᵀ with the source block marked, for systems of up to
    :data:`MAX_LATEX_NODES` nodes."""
    if S.n > MAX_LATEX_NODES:
        return None
    return _math(Rows((Chain(L_, Grid(S.entries, (S.n, S.n), S.n_sources)),
                       Chain(I_MINUS_L_T, Grid(S.upper(), (S.n, S.n), S.n_sources)))))


def system_png(S: TriangularSystem) -> bytes | None:
    """The sparsity pattern of (I − L)ᵀ, for systems too large for LaTeX."""
    if S.n <= MAX_LATEX_NODES:
        return None
    fig = Figure(figsize=(6, 6))
    draw_matrix(S, "(I-L)^T", fig.add_subplot(), typeset=False)
    return figure_bytes(fig, dpi=100)


def differentiation_latex(result: Differentiation) -> str:
    """The gradient (one output) or the Jacobian, entry by entry, in closed form."""
    if len(result.outputs) == 1:
        (out,) = result.outputs
        chains = [Chain(Nabla(node_symbol(out)), Grid(
            {(j, 0): g for j, g in enumerate(result.gradient)}, (len(result.wrt), 1)))]
    else:
        chains = []
    chains += [Chain(Partial(node_symbol(out), node_symbol(var)), result.jacobian[i, j])
               for i, out in enumerate(result.outputs) for j, var in enumerate(result.wrt)]
    return _math(Rows(tuple(chains)))


def program_latex(program: GradientProgram) -> str:
    """The gradient program, one assignment a line."""
    out = node_symbol((program.graph.graph.get("outputs") or ["f"])[0])
    rows = [Chain(name, expr) for name, expr in program.assignments]
    rows += [Chain(Partial(out, node_symbol(var)), value)
             for var, value in zip(program.wrt, program.outputs, strict=True)]
    return _math(Rows(tuple(rows)))


#: (MIME type, type, formatter) registered on the IPython shell.
FORMATTERS = [
    ("image/png", nx.DiGraph, graph_png),
    ("text/latex", TriangularSystem, system_latex),
    ("image/png", TriangularSystem, system_png),
    ("text/latex", Differentiation, differentiation_latex),
    ("text/latex", GradientProgram, program_latex),
    # a list subclass: registered by type so that a list printer (sympy.init_printing
    # registers one) does not take precedence over its own _repr_latex_
    ("text/latex", Gradient, Gradient._repr_latex_),
]


def register(shell=None) -> bool:
    """Register the display formatters on ``shell`` (default: the running IPython shell,
    if there is one). Returns whether a shell was found. Safe to call more than once."""
    if shell is None:
        ipython = sys.modules.get("IPython")  # imported by every running IPython shell
        shell = ipython.get_ipython() if ipython is not None else None
        if shell is None:
            return False
    display = getattr(shell, "display_formatter", None)
    if display is None:
        raise InputError(f"not an IPython shell (it has no display_formatter): {shell!r}")
    formatters = display.formatters
    for mime, kind, function in FORMATTERS:
        formatters[mime].for_type(kind, function)
    return True
