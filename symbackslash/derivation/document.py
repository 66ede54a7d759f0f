"""Derivations generated from the solve itself.

A :class:`Derivation` reads what one :class:`~symbackslash.Differentiation` kept
(the graph, the triangular system and the solver's :class:`~symbackslash.Step`
records) and lays it out as :class:`~symbackslash.printing.pieces.Section` objects
(:mod:`symbackslash.derivation.sections`): the function as an expression and as a numbered
program, the nodes with their local partials, L and (I − L)ᵀ in node order, the system
(I − L)ᵀ x̄ = e, every substitution step in symbols, in the inputs and (with ``at=``) in
numbers, the block form ∇f = Mᵀ (I − L̃)⁻ᵀ g of equation (1) and the gradient. Nothing is
derived a second time: :meth:`text`, :meth:`latex` and :meth:`document` print the same
sections with a text or a LaTeX printer.

>>> from symbackslash.printing.text import text
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
from collections.abc import Mapping
from fractions import Fraction
from functools import cached_property

import sympy as sp

from ..core.limits import integer_digits
from ..derivatives.elimination import eliminate
from ..derivatives.gradient import Differentiation, differentiate
from ..derivatives.hessian import second_derivatives
from ..errors import InputError, boundary, record
from ..numeric.evaluate import evaluate
from ..printing.adjoints import SUFFIXES, AdjointSymbol, unknown_suffix
from ..printing.latex import LatexPrinter, node_symbol, symbol_latex
from ..printing.pieces import Chain, Combination, Phrase, Section
from ..printing.text import TextPrinter
from ..solve.substitution import Step
from .elimination import EliminationDerivation
from .sections import (
    PREAMBLE,
    derivation_sections,
    distinct,
    factored,
    legend,
    op_count,
    small,
)

__all__ = ["Derivation", "StepView", "TangentSymbol", "derivation", "unknown_symbol"]




class TangentSymbol(sp.Symbol):
    """The tangent ẋ of a node in forward mode: named ``x_dot``, printed \\dot{x}."""

    def __new__(cls, node: sp.Symbol, suffix: str = "_dot"):
        return super().__new__(cls, f"{node.name}{suffix}")

    def __getnewargs_ex__(self):
        return ((sp.Symbol(self.name[: -len("_dot")]), self.name[-len("_dot"):]), {})

    def _latex(self, printer):
        return symbol_latex(self.name)


def unknown_symbol(node, mode: str, suffix: str | None = None) -> sp.Symbol:
    """The unknown of a node's row: x̄ (``mode="reverse"``) or ẋ (``"forward"``), named with
    ``suffix`` (default ``_bar``/``_dot``; see
    :func:`~symbackslash.printing.adjoints.unknown_suffix`)."""
    symbol = node_symbol(node)
    if not isinstance(symbol, sp.Symbol):
        symbol = sp.Symbol(getattr(symbol, "name", str(symbol)))
    suffix = suffix or SUFFIXES[mode][0]
    return AdjointSymbol(symbol, suffix) if mode == "reverse" else TangentSymbol(symbol, suffix)


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
    order : int
        2 when ``result`` differentiates a gradient program (the last section is then the
        Hessian).
    """

    def __init__(self, result: Differentiation, *, at=None, max_dense: int = 12,
                 max_closed_ops: int = 20, order: int = 1):
        self.result = result
        self.order = order
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

    @cached_property
    def suffix(self) -> str:
        """The suffix of the unknowns' names: ``_bar``/``_dot``, or ``_adj``/``_tan`` when the
        function has a variable named like an unknown (:func:`~.adjoints.unknown_suffix`)."""
        return unknown_suffix(self.graph, self.mode)

    def unknown_symbol(self, node) -> sp.Symbol:
        """x̄ of a node (reverse mode) or ẋ (forward mode)."""
        return unknown_symbol(node, self.mode, self.suffix)

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
        """``expr`` at the point ``at`` (exact when a rational of at most 15 digits, else 6
        significant digits: ``x**10000`` at 1.000000001 is a fraction of 90,000 digits);
        ``None`` without a point."""
        if not self.point:
            return None
        if not isinstance(expr, sp.Expr) or isinstance(expr, sp.MatrixExpr):
            return expr
        value = expr.xreplace(self.point)
        if value.free_symbols or (value.is_Rational and max(
                integer_digits(value.p), integer_digits(value.q)) <= 15):
            return value
        return sp.N(value, 6)

    # ------------------------------------------------------------------ sections
    @cached_property
    def sections(self) -> list[Section]:
        """The derivation as printable sections (see the module docstring)."""
        return derivation_sections(self)

    def equation(self, view: StepView, *, closed: bool = True) -> Chain:
        """One step as an equation chain: the unknown, the row of the system, the result in
        node symbols, in the inputs (when ``closed`` and short) and at the point."""
        combination = Combination(view.rhs, view.terms) if view.terms else view.rhs
        value, shown = view.value, None
        # factoring is worth it only for a closed form that may be shown (and costly for the
        # large ones of deep programs)
        if closed and op_count(value) <= 4 * self.max_closed_ops:
            value = factored(value)
            shown = value if op_count(value) <= self.max_closed_ops else None
        symbolic = factored(view.symbolic) if small(view.symbolic) else None  # (it can
        # double with each step: the combination before it is the step)
        return Chain(*distinct([view.symbol, combination, symbolic, shown, self.numeric(value)]))

    @property
    def _shown(self) -> list[Section]:
        """The sections, then the legend of the notation they use."""
        return [*self.sections, legend(self)]

    # ------------------------------------------------------------------ output
    def text(self) -> str:
        """The derivation as plain text (what the command line prints)."""
        printer = TextPrinter()
        return "\n\n".join(printer.doprint(s) for s in self._shown)

    def latex(self) -> str:
        """The derivation as LaTeX: one ``align*`` block per section, shown by MathJax."""
        printer = LatexPrinter()
        return "\n\n".join(printer.doprint(s) for s in self._shown)

    def document(self) -> str:
        """A standalone LaTeX document (``pdflatex`` compiles it; uses amsmath, amssymb, graphicx
        and geometry)."""
        printer = LatexPrinter({"document": True})
        outs = [node_symbol(v) for v in self.result.outputs]
        how = "back substitution" if self.mode == "reverse" else "forward substitution"
        title = printer.prose(Phrase("Derivatives of ", outs[0] if len(outs) == 1 else
                                     sp.Tuple(*outs), f" by {how}"))
        body = "\n\n".join(printer.doprint(s) for s in self._shown)
        return PREAMBLE + "\\section*{%s}\n\n%s\n\n\\end{document}\n" % (title, body)

    def _repr_latex_(self) -> str:
        return self.latex()

    def __repr__(self) -> str:
        return (f"<Derivation of {len(self.result.outputs)} output(s) by "
                f"{self.mode} mode: {self.system.n} nodes>")


def _point(at, result: Differentiation) -> dict:
    """Validate ``at``: variables of the function (by symbol or name) → numbers."""
    if at is None:
        return {}
    if not isinstance(at, Mapping):
        raise InputError(f"at must be a mapping {{variable: number}}, not {type(at).__name__}")
    G = result.graph
    known: dict = {}
    nodes = {str(node_symbol(v)): v for v in G}
    for v in G:
        known[str(node_symbol(v))] = node_symbol(v)
    for _, _, w in G.edges(data="weight"):
        for s in getattr(w, "free_symbols", ()):
            known.setdefault(str(s), s)
    point = {}
    for key, value in at.items():
        name = key if isinstance(key, str) else str(key)
        if name not in known or (isinstance(key, sp.Symbol) and key != known[name]):
            given = [str(node_symbol(v)) for v in G.graph["inputs"]]
            given += sorted(set(known) - set(nodes) - set(given))  # weights of a hand-made graph
            raise InputError(f"at: {key!r} is not a variable of the function; its variables "
                             f"are: {', '.join(given)}")
        node = nodes.get(name)
        if node is not None and G.nodes[node].get("kind") != "input":
            role = "the output" if node in result.outputs else "an intermediate node"
            raise InputError(f"at: {name} is {role}, computed from the inputs; give values of "
                             f"the inputs only: {', '.join(map(str, G.graph['inputs']))}")
        if known[name] in point:
            raise InputError(f"at: {name} is given twice; give one value per variable")
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
def derivation(f, wrt=None, *, mode: str | None = None, at=None, max_dense: int = 12,
               order: int | str | list = 1) -> Derivation | EliminationDerivation:
    """Differentiate ``f`` and return its :class:`Derivation`.

    ``f``, ``wrt`` and ``mode`` are as in :func:`~symbackslash.gradient` (``f`` may
    be a graph made by hand; ``mode`` defaults to ``"reverse"``); ``at`` and ``max_dense``
    as in :class:`Derivation`. ``order`` is the order of the derivative (1 or 2), or an
    elimination order (a name or a list of nodes, as in :func:`~symbackslash.eliminate`).

    With ``order=2`` the derivation is that of the Hessian: the function is the gradient
    program (:func:`~symbackslash.gradient_graph`), its (I − L) is solved by forward
    substitution once per variable for the tangents of the adjoints (forward over reverse;
    ``mode="reverse"``: back substitution per gradient entry), and the last section is the
    Hessian, with each pair H[i, j], H[j, i] compared (they come from different solves).

    With an elimination order (``"forward"``, ``"reverse"``, ``"markowitz"``,
    ``"optimal"`` or a list of nodes) the Jacobian is computed by eliminating the nodes in
    that order instead, and the derivation shows each elimination as a Gauss step on I − L
    (an :class:`~symbackslash.derivation.elimination.EliminationDerivation`; without ``at``).

    Raises
    ------
    EvaluationDomainError
        If the function or its gradient is undefined at ``at``.
    """
    if isinstance(order, (str, list, tuple)):
        if at is not None or mode is not None:
            raise InputError("a derivation by elimination (order=...) shows symbols only and "
                             "has no mode: leave out at= and mode=")
        return EliminationDerivation(eliminate(f, wrt, order=order), max_dense=max_dense)
    if order == 2 and not isinstance(order, bool):
        result = second_derivatives(f, wrt, mode=mode or "forward", closed=True)
    elif order == 1 and not isinstance(order, bool):
        result = differentiate(f, wrt, mode=mode or "reverse", closed=True)
    else:
        raise InputError(f"order must be 1 (the gradient), 2 (the Hessian) or an elimination "
                         f"order ('forward', 'reverse', 'markowitz', 'optimal' or a list of "
                         f"nodes), not {order!r}")
    record(differentiation=result)
    return Derivation(result, at=at, max_dense=max_dense, order=order)
