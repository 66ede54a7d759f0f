"""Derivations generated from the solve itself.

A :class:`Derivation` reads what one :class:`~symbackslash.gradient.Differentiation` kept
(the graph, the triangular system and the solver's :class:`~symbackslash.solve.Step`
records) and lays it out as :class:`~symbackslash.printing.Section` objects: the function as
an expression and as a numbered program, the nodes with their local partials, L and
(I − L)ᵀ in node order, the system (I − L)ᵀ x̄ = e, every substitution step in symbols, in
the inputs and (with ``at=``) in numbers, the block form ∇f = Mᵀ (I − L̃)⁻ᵀ g of equation (1)
and the gradient. Nothing is derived a second time: :meth:`text`, :meth:`latex` and
:meth:`document` print the same sections with a text or a LaTeX printer.

>>> from symbackslash.text_printing import text
>>> d = derivation("a = x*y\\nb = sin(a)\\nf = a + b", wrt=["x", "y"])
>>> [text(s.title) for s in d.sections][4]
'5. Back substitution on (I - L)^T xbar = e_5'
>>> print(text(d.sections[4].items[-1]))
(5)  f_bar = 1
(4)  b_bar = f_bar = 1
(3)  a_bar = cos(a)*b_bar + f_bar = cos(a) + 1 = cos(x*y) + 1
(2)  y_bar = x*a_bar = x*(cos(a) + 1) = x*(cos(x*y) + 1)
(1)  x_bar = y*a_bar = y*(cos(a) + 1) = y*(cos(x*y) + 1)
>>> len(d.steps()) == len(d.result.solutions[0].steps)
True
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from fractions import Fraction
from functools import cached_property

import sympy as sp

from .errors import InputError, boundary, record
from .evaluate import evaluate
from .gradient import Differentiation, differentiate
from .limits import get_limits
from .pieces import (
    G_,
    I_MINUS_L,
    I_MINUS_L_T,
    L_,
    L_BLOCKS,
    L_ENTRY,
    L_TILDE,
    LAMBDA,
    LAMBDA_SOLVE,
    LAMBDA_SYSTEM,
    M_,
    M_T_LAMBDA,
    XBAR,
    XDOT,
    Chain,
    Combination,
    Grid,
    Nabla,
    Notation,
    Partial,
    Phrase,
    Product,
    Rows,
    Section,
    Table,
    same,
)
from .printing import LatexPrinter, node_symbol, symbol_latex
from .program import AdjointSymbol
from .simplify import simplify_within
from .solve import Step
from .text_printing import TextPrinter

__all__ = ["Derivation", "StepView", "TangentSymbol", "derivation", "unknown_symbol"]

#: A simplified gradient is shown when it has at most this fraction of the operations.
SIMPLER = 0.75

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb,graphicx}
\allowdisplaybreaks
\begin{document}
"""


class TangentSymbol(sp.Symbol):
    """The tangent ẋ of a node in forward mode: named ``x_dot``, printed \\dot{x}."""

    def __new__(cls, node: sp.Symbol):
        return super().__new__(cls, f"{node.name}_dot")

    def __getnewargs_ex__(self):
        return ((sp.Symbol(self.name[: -len("_dot")]),), {})

    def _latex(self, printer):
        return symbol_latex(self.name)


def unknown_symbol(node, mode: str) -> sp.Symbol:
    """The unknown of a node's row: x̄ (``mode="reverse"``) or ẋ (``"forward"``)."""
    symbol = node_symbol(node)
    if not isinstance(symbol, sp.Symbol):
        symbol = sp.Symbol(getattr(symbol, "name", str(symbol)))
    return AdjointSymbol(symbol) if mode == "reverse" else TangentSymbol(symbol)


@dataclasses.dataclass(frozen=True)
class StepView:
    """One substitution step, in the paper's terms, read off one solver :class:`Step`.

    ``unknown`` is the node solved for and ``symbol`` its x̄ (reverse) or ẋ (forward);
    ``terms`` pairs each weight with the unknown symbol it multiplies; ``symbolic`` is the
    step's result in node symbols and ``value`` the same in terms of the inputs.
    """

    unknown: object
    symbol: object
    rhs: object
    terms: tuple
    symbolic: object
    value: object
    record: Step


class Derivation:
    """The derivation of a gradient (or Jacobian), generated from one differentiation.

    Parameters
    ----------
    result : Differentiation
    at : mapping, optional
        A point ``{variable: number}`` (symbols or names); every step, node value and the
        gradient are then also shown in numbers there.
    max_dense : int
        Matrices of more nodes than this are not written out (the table lists the weights).
    max_closed_ops : int
        A step shows its result in terms of the inputs when that has at most this many
        operations (the gradient always does).
    """

    def __init__(self, result: Differentiation, *, at=None, max_dense: int = 12,
                 max_closed_ops: int = 20):
        self.result = result
        self.point = _point(at, result)
        if self.point:
            _check_point(result, self.point)
        self.max_dense = max_dense
        self.max_closed_ops = max_closed_ops

    @property
    def graph(self):
        return self.result.graph

    @property
    def system(self):
        return self.result.system

    @property
    def mode(self) -> str:
        return self.result.mode

    def unknown_symbol(self, node) -> sp.Symbol:
        """x̄ of a node (reverse mode) or ẋ (forward mode)."""
        return unknown_symbol(node, self.mode)

    def solves(self) -> list:
        """``(seed, solution)`` per solve: the output (reverse) or the variable (forward)."""
        seeds = self.result.outputs if self.mode == "reverse" else self.result.wrt
        return list(zip(seeds, self.result.solutions, strict=True))

    def steps(self, k: int = 0) -> list[StepView]:
        """The steps of the k-th solve, one :class:`StepView` per solver record."""
        solution = self.result.solutions[k]
        if solution is None:
            return []
        nodes = self.system.nodes
        return [StepView(nodes[s.unknown], self.unknown_symbol(nodes[s.unknown]), s.rhs,
                         tuple((-entry, self.unknown_symbol(nodes[j])) for j, entry, _ in s.terms),
                         s.result, self.result.closed_form(s.result), s)
                for s in solution.steps]

    def numeric(self, expr):
        """``expr`` at the point ``at`` (exact when rational, else 6 significant digits);
        ``None`` without a point."""
        if not self.point:
            return None
        if not isinstance(expr, sp.Expr) or isinstance(expr, sp.MatrixExpr):
            return expr
        value = expr.xreplace(self.point)
        if value.free_symbols or value.is_Rational:
            return value
        return sp.N(value, 6)

    # ------------------------------------------------------------------ sections
    @cached_property
    def sections(self) -> list[Section]:
        """The derivation as printable sections (see the module docstring)."""
        parts = [self._function(), self._nodes(), *self._matrices(), *self._solves(),
                 *self._block_form(), self._gradient()]
        return [Section(Phrase(f"{k}. ", *s.title.pieces), s.items)
                for k, s in enumerate(parts, start=1)]

    def _symbols(self) -> list:
        return [node_symbol(v) for v in self.system.nodes]

    def _function(self) -> Section:
        G, values = self.graph, self.result.values
        inputs = [node_symbol(v) for v in G.graph["inputs"]]
        items: list = []
        defined = [v for v in self.system.nodes if G.nodes[v]["expr"] is not None]
        if defined:
            items.append(Rows(tuple(Chain(sp.Function(str(node_symbol(out)))(*inputs), values[out])
                                    for out in self.result.outputs)))
            items.append(Phrase("as a program, numbered in node order (inputs ",
                                sp.Tuple(*inputs), " first):"))
            items.append(Rows(tuple(Chain(node_symbol(v), G.nodes[v]["expr"]) for v in defined),
                              tuple(f"({G.nodes[v]['index']})" for v in defined)))
        else:
            items.append(Phrase(f"a graph given by its edges: {len(G)} nodes, "
                                f"{G.number_of_edges()} edges, inputs ", sp.Tuple(*inputs)))
        return Section(Phrase("The function"), tuple(items))

    def _nodes(self) -> Section:
        G, values = self.graph, self.result.values
        header = ("k", "node", "kind", "local partials")
        if self.point:
            header += ("value",)
        rows = []
        for v in self.system.nodes:
            partials = []
            for u in sorted(G.predecessors(v), key=lambda u: G.nodes[u]["index"]):
                if partials:
                    partials.append(", ")
                partials.append(Chain(Partial(node_symbol(v), node_symbol(u)),
                                      G.edges[u, v]["weight"]))
            row = (str(G.nodes[v]["index"]), node_symbol(v), G.nodes[v]["kind"],
                   Phrase(*partials) if partials else "")
            rows.append(row + ((self.numeric(values[v]),) if self.point else ()))
        return Section(Phrase("Nodes and local partials (the weights of the edges)"),
                       (Table(header, tuple(rows)),))

    def _matrices(self) -> list[Section]:
        S = self.system
        order = Phrase("rows and columns in node order ", sp.Tuple(*self._symbols()))
        if S.n > self.max_dense:
            note = Phrase(f"{S.n} nodes: the matrices are not written out; their nonzero entries "
                          "are the local partials in the table")
            return [Section(Phrase("The matrices ", L_, " and ", self._system_matrix()[0]),
                            (note,))]
        L = Chain(L_, Grid(S.entries, (S.n, S.n), S.n_sources, tuple(self._symbols())))
        items = [order, L]
        if self.point:
            at = {key: self.numeric(S.substituted().entries[key]) for key in S.entries}
            items += [Phrase("at the point:"), Chain(L_, Grid(at, (S.n, S.n), S.n_sources))]
        notation, entries = self._system_matrix()
        system = Chain(notation, Grid(entries, (S.n, S.n), S.n_sources, tuple(self._symbols())))
        return [Section(Phrase("The matrix ", L_, " of local partials, ", L_ENTRY), tuple(items)),
                Section(Phrase("The matrix ", notation), (system,))]

    def _system_matrix(self) -> tuple:
        if self.mode == "reverse":
            return I_MINUS_L_T, self.system.upper()
        return I_MINUS_L, self.system.lower()

    def _solves(self) -> list[Section]:
        S = self.system
        notation, entries = self._system_matrix()
        sections = []
        for k, (seed, solution) in enumerate(self.solves()):
            e = Notation(*_unit_name(S.position(seed) + 1)) if seed in self.graph else None
            unknowns = XBAR if self.mode == "reverse" else XDOT
            if solution is None:
                sections.append(Section(
                    Phrase("The variable ", node_symbol(seed), " does not occur"),
                    (Phrase("every derivative with respect to it is 0"),)))
                continue
            items = []
            if S.n <= self.max_dense:
                vector = Grid({(i, 0): self.unknown_symbol(v) for i, v in enumerate(S.nodes)},
                              (S.n, 1))
                rhs = Grid({(i, 0): b for i, b in enumerate(S.unit(seed))}, (S.n, 1))
                items.append(Chain(Product(Grid(entries, (S.n, S.n), S.n_sources), vector), rhs))
            verb = "Back substitution" if self.mode == "reverse" else "Forward substitution"
            items.append(Phrase("solved one row at a time, "
                                + ("last row first:" if self.mode == "reverse" else
                                   "first row first:")))
            items.append(self._step_rows(k))
            title = Phrase(f"{verb} on ", Chain(Product(notation, unknowns), e))
            if self.mode == "forward":
                title = Phrase(*title.pieces, " (derivatives by ", node_symbol(seed), ")")
            sections.append(Section(title, tuple(items)))
        return sections

    def equation(self, view: StepView, *, closed: bool = True) -> Chain:
        """One step as an equation chain: the unknown, the row of the system, the result in
        node symbols, in the inputs (when ``closed`` and short) and at the point."""
        combination = Combination(view.rhs, view.terms) if view.terms else view.rhs
        value = _tidy(view.value)
        shown = value if closed and _ops(value) <= self.max_closed_ops else None
        return Chain(*_distinct([view.symbol, combination, _tidy(view.symbolic), shown,
                                 self.numeric(value)]))

    def _step_rows(self, k: int) -> Rows:
        views = self.steps(k)
        return Rows(tuple(self.equation(view) for view in views),
                    tuple(f"({view.record.unknown + 1})" for view in views))

    def _block_form(self) -> list[Section]:
        S, r = self.system, self.result
        ns = S.n_sources
        if self.mode != "reverse" or len(r.outputs) != 1 or not 0 < ns < S.n:
            return []
        (out,), (solution,) = r.outputs, r.solutions
        m = S.n - ns
        M = {(i - ns, j): w for (i, j), w in S.entries.items() if j < ns}
        L_t = {(i - ns, j - ns): w for (i, j), w in S.entries.items() if j >= ns}
        g = {(i, 0): b for i, b in enumerate(S.unit(out)[ns:])}

        def vector(values, rows):
            return Grid({(i, 0): value for i, value in enumerate(values)}, (rows, 1))

        def chain(lhs, middle, nodes, values):
            symbols = [self.unknown_symbol(v) for v in nodes]
            closed = [_tidy(r.closed_form(x)) for x in values]
            parts = [lhs, middle, vector(symbols, len(nodes)), vector(closed, len(nodes))]
            if self.point:
                parts.append(vector([self.numeric(x) for x in closed], len(nodes)))
            return Chain(*_distinct(parts))

        rows = [chain(LAMBDA, LAMBDA_SOLVE, S.nodes[ns:], solution[ns:]),
                chain(Nabla(node_symbol(out)), M_T_LAMBDA, S.nodes[:ns], solution[:ns])]
        items = [Phrase("sources ", sp.Tuple(*self._symbols()[:ns]), " first, then the others: ",
                        L_BLOCKS)]
        if S.n <= self.max_dense:
            items += [Rows((Chain(M_, Grid(M, (m, ns))), Chain(L_TILDE, Grid(L_t, (m, m))),
                            Chain(G_, vector(S.unit(out)[ns:], m))))]
        elif g:
            items += [Phrase(G_, " is the unit vector of the output; ", M_, " and ", L_TILDE,
                             " are blocks of ", L_)]
        items += [Phrase("the back substitution solved ", LAMBDA_SYSTEM, "; the gradient with "
                         "respect to the sources is ", M_T_LAMBDA, ":"), Rows(tuple(rows))]
        return [Section(Phrase("Block form: equation (1) of the paper"), tuple(items))]

    def _gradient(self) -> Section:
        r = self.result
        deadline = time.monotonic() + get_limits().simplify_seconds
        chains = []
        for out in r.outputs:
            for var in r.wrt:
                closed = r.closed_form(r.derivative(out, var))
                parts = [Partial(node_symbol(out), node_symbol(var))]
                if self.mode == "reverse" and len(r.outputs) == 1 and var in self.graph:
                    parts.append(self.unknown_symbol(var))
                simplified = simplify_within(closed, max(deadline - time.monotonic(), 0))
                if _ops(simplified) > SIMPLER * _ops(closed):
                    simplified = None  # not worth a line: shows only what helps
                parts += [_tidy(r.derivative(out, var)), _tidy(closed), simplified,
                          self.numeric(closed)]
                chains.append(Chain(*_distinct(parts)))
        title = "The gradient" if len(r.outputs) == 1 else "The Jacobian"
        return Section(Phrase(title), (Rows(tuple(chains)),))

    # ------------------------------------------------------------------ output
    def text(self) -> str:
        """The derivation as plain text (what the command line prints)."""
        printer = TextPrinter()
        return "\n\n".join(printer.doprint(s) for s in self.sections)

    def latex(self) -> str:
        """The derivation as LaTeX: one ``align*`` block per section, shown by MathJax."""
        printer = LatexPrinter()
        return "\n\n".join(printer.doprint(s) for s in self.sections)

    def document(self) -> str:
        """A standalone LaTeX document (``pdflatex`` compiles it; uses amsmath, amssymb, graphicx
        and geometry)."""
        printer = LatexPrinter({"document": True})
        outs = [node_symbol(v) for v in self.result.outputs]
        how = "back substitution" if self.mode == "reverse" else "forward substitution"
        title = printer.prose(Phrase("Derivatives of ", outs[0] if len(outs) == 1 else
                                     sp.Tuple(*outs), f" by {how}"))
        body = "\n\n".join(printer.doprint(s) for s in self.sections)
        return PREAMBLE + "\\section*{%s}\n\n%s\n\n\\end{document}\n" % (title, body)

    def _repr_latex_(self) -> str:
        return self.latex()

    def __repr__(self) -> str:
        return (f"<Derivation of {len(self.result.outputs)} output(s) by "
                f"{self.mode} mode: {self.system.n} nodes>")


def _unit_name(k: int) -> tuple:
    symbol = sp.Symbol(f"e_{k}")
    return symbol_latex(symbol.name), symbol.name


def _tidy(expr):
    """``expr`` with common factors pulled out (−(−2a − 2b)·c → 2(a + b)·c) when that is
    shorter; a cheap clean-up for display, equal to ``expr``."""
    if not isinstance(expr, sp.Expr) or isinstance(expr, sp.MatrixExpr) or expr.is_Atom:
        return expr
    tidy = sp.factor_terms(expr)
    return tidy if sp.count_ops(tidy) < sp.count_ops(expr) else expr


def _ops(expr) -> int:
    return sp.count_ops(expr) if isinstance(expr, sp.Basic) else 0


def _distinct(parts: list) -> list:
    """The parts that are given, without repeats of the part before (x̄ = 1 = 1 → x̄ = 1)."""
    result = []
    for part in parts:
        if part is None:
            continue
        if not result or not same(result[-1], part):
            result.append(part)
    return result


def _point(at, result: Differentiation) -> dict:
    """Validate ``at``: variables of the function (by symbol or name) → numbers."""
    if at is None:
        return {}
    if not isinstance(at, Mapping):
        raise InputError(f"at must be a mapping {{variable: number}}, not {type(at).__name__}")
    G = result.graph
    known: dict = {}
    for v in G:
        known[str(node_symbol(v))] = node_symbol(v)
    for _, _, w in G.edges(data="weight"):
        for s in getattr(w, "free_symbols", ()):
            known.setdefault(str(s), s)
    point = {}
    for key, value in at.items():
        name = key if isinstance(key, str) else str(key)
        if name not in known or (isinstance(key, sp.Symbol) and key != known[name]):
            raise InputError(f"at: {key!r} is not a variable of the function; its variables are: "
                             f"{', '.join(sorted(known))}")
        if isinstance(value, Fraction):
            value = sp.Rational(value.numerator, value.denominator)
        if isinstance(value, bool) or not isinstance(value, (int, float, sp.Expr)) \
                or not sp.sympify(value).is_number:
            raise InputError(f"at: the value of {name} must be a number, not {value!r}")
        point[known[name]] = sp.sympify(value)
    return point


def _check_point(result: Differentiation, point: dict) -> None:
    """Numbers shown at ``point`` must exist: raise :class:`EvaluationDomainError` where the
    function or a derivative is undefined there (1/0, log of a negative …), and warn with
    :class:`NonSmoothWarning` where a derivative uses a convention (see :func:`evaluate`)."""
    derivatives = [result.closed_form(result.derivative(out, var))
                   for out in result.outputs for var in result.wrt]
    evaluate(derivatives, point, domain=result.graph)


@boundary
def derivation(f, wrt=None, *, mode: str = "reverse", at=None, max_dense: int = 12) -> Derivation:
    """Differentiate ``f`` and return its :class:`Derivation`.

    ``f``, ``wrt`` and ``mode`` are as in :func:`~symbackslash.gradient.gradient` (``f`` may
    be a graph made by hand); ``at`` and ``max_dense`` as in :class:`Derivation`.

    Raises
    ------
    EvaluationDomainError
        If the function or its gradient is undefined at ``at``.
    """
    result = differentiate(f, wrt, mode=mode)
    record(differentiation=result)
    return Derivation(result, at=at, max_dense=max_dense)
