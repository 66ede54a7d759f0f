"""The derivation of a Jacobian by vertex elimination, generated from the elimination's steps.

:class:`EliminationDerivation` reads one :class:`~symbackslash.Elimination` and lays it out
as sections, like :class:`~symbackslash.Derivation` does for a substitution: the function
and its nodes, I − L, then every elimination as the Gauss step it is (the pivot's row and
column, each Schur-complement update L[j, i] ← L[j, i] + L[j, k]·L[k, i], the fill-in, I − L
on the nodes left), the cost, and the Jacobian read off the last matrix.
``derivation(f, wrt, order=...)`` returns one.

>>> from symbackslash.derivatives.elimination import eliminate
>>> from symbackslash.examples import t1_graph
>>> d = EliminationDerivation(eliminate(t1_graph(), order="reverse"))
>>> print(d.text().split("\\n\\n")[3])
4. Step 1: eliminate v4, the pivot (4, 4) of (I - L)
  in-edges [L][4, k]: 3 -> 4: c; out-edges [L][j, 4]: 4 -> 5: d
  the Schur-complement updates L[j, i] <- L[j, i] + L[j, 4]*L[4, i], 1 multiplication(s):
  (fill-in)  [L][5, 3] = d * c = c*d
  (I - L) on the nodes left (1, 2, 3, 5):
                 v1 v2     v3 v5
            v1 [  1  0 |    0  0 ]
  (I - L) = v2 [  0  1 |    0  0 ]
               [ ------+-------- ]
            v3 [ -a -b |    1  0 ]
            v5 [  0  0 | -c*d  1 ]
"""

from __future__ import annotations

from functools import cached_property

import sympy as sp

from ..derivatives.elimination import Elimination
from ..printing.latex import LatexPrinter, node_symbol
from ..printing.pieces import (
    I_MINUS_L,
    L_,
    Chain,
    Entry,
    Factors,
    Grid,
    Partial,
    Phrase,
    Rows,
    Section,
    Terms,
)
from ..printing.text import TextPrinter
from .sections import PREAMBLE, distinct, factored, function_section, nodes_section

__all__ = ["EliminationDerivation"]


class EliminationDerivation:
    """The derivation of a Jacobian by eliminating nodes in one order (see the module
    docstring); ``text()``, ``latex()`` print the same sections."""

    point: dict = {}

    def __init__(self, elimination: Elimination, *, max_dense: int = 12):
        self.elimination = elimination
        self.max_dense = max_dense

    @property
    def graph(self):
        return self.elimination.graph

    @property
    def system(self):
        return self.elimination.system

    @property
    def result(self):
        """The closed forms and node values (what the shared sections read)."""
        return self.elimination._forms

    def numeric(self, expr):
        return None

    @cached_property
    def sections(self) -> list[Section]:
        parts = [function_section(self), nodes_section(self), self._matrix(),
                 *(self._step(k) for k in range(len(self.elimination.steps))), self._cost(),
                 self._jacobian()]
        return [Section(Phrase(f"{k}. ", *s.title.pieces), s.items)
                for k, s in enumerate(parts, start=1)]

    def _label(self, k: int) -> str:
        return str(self.system.graph.nodes[self.system.nodes[k]]["index"])

    def _grid(self, step: int):
        E = self.elimination
        remaining = E.steps[step - 1].remaining if step else tuple(range(self.system.n))
        if len(remaining) > self.max_dense:
            return Phrase(f"{len(remaining)} nodes: the matrix is not written out")
        M = E.I_minus_L(step)
        entries = {(i, j): M[i, j] for i in range(M.rows) for j in range(M.cols) if M[i, j] != 0}
        split = sum(1 for k in remaining if k < self.system.n_sources)
        symbols = tuple(node_symbol(self.system.nodes[k]) for k in remaining)
        return Chain(I_MINUS_L, Grid(entries, M.shape, split, symbols))

    def _matrix(self) -> Section:
        E = self.elimination
        kept = [node_symbol(v) for v in self.elimination.order]
        return Section(Phrase("The matrix ", I_MINUS_L), (
            Phrase(f"eliminating a node k is the Gauss step with pivot (k, k) = 1; the "
                   f"{E.order_name} order eliminates ", sp.Tuple(*kept), ":"),
            self._grid(0)))

    def _step(self, s: int) -> Section:
        step, nodes = self.elimination.steps[s], self.system.nodes
        k = nodes[step.pivot]

        def edges(pairs, into: bool):
            shown = []
            for other, weight in pairs:
                a, b = (nodes[other], k) if into else (k, nodes[other])
                shown += [", " if shown else "", f"{self._label(self.system.position(a))} -> "
                          f"{self._label(self.system.position(b))}: ", weight]
            return shown or ["none"]

        p = self._label(step.pivot)
        items = [Phrase("in-edges ", Entry(L_, p, "k"), ": ", *edges(step.in_edges, True),
                        "; out-edges ", Entry(L_, "j", p), ": ", *edges(step.out_edges, False))]
        updates = []
        for u in step.updates:
            c_jk = dict(step.out_edges)[u.target]
            c_ki = dict(step.in_edges)[u.source]
            product = Factors(c_jk, c_ki)
            formed = product if u.previous is None else Terms(u.previous, product)
            value = 0 if u.result is None else factored(u.result)
            updates.append(Chain(*distinct([Entry(L_, self._label(u.target),
                                                  self._label(u.source)), formed, value])))
        tags = tuple("(fill-in)" if u.fill_in else "" for u in step.updates)
        items.append(Phrase(f"the Schur-complement updates L[j, i] <- L[j, i] + L[j, {p}]*"
                            f"L[{p}, i], {step.multiplications} multiplication(s):"))
        if updates:
            items.append(Rows(tuple(updates), tags))
        if step.kept:
            items.append(Phrase(f"node {p} is an output: its row stays, only its column is "
                                f"cleared"))
        left = ", ".join(self._label(i) for i in step.remaining)
        items += [Phrase(f"(I - L) on the nodes left ({left}):"), self._grid(s + 1)]
        title = Phrase(f"Step {s + 1}: eliminate {node_symbol(k)}, the pivot ({p}, {p}) of ",
                       I_MINUS_L)
        return Section(title, tuple(items))

    def _cost(self) -> Section:
        E = self.elimination
        per_step = [step.multiplications for step in E.steps]
        return Section(Phrase("The cost"), (Phrase(
            f"{E.multiplications} multiplications in all ("
            f"{' + '.join(map(str, per_step)) or '0'}), products with a factor 0 or ±1 "
            f"being free; sb.elimination_costs compares the orders"),))

    def _jacobian(self) -> Section:
        E = self.elimination
        chains = []
        for out in E.outputs:
            for var in E.wrt:
                weight = E.derivative(out, var)
                closed = E._forms.closed_form(weight)
                chains.append(Chain(*distinct([Partial(node_symbol(out), node_symbol(var)),
                                               factored(weight), factored(closed)])))
        title = "The gradient" if len(E.outputs) == 1 else "The Jacobian"
        return Section(Phrase(title, ": the weights from the inputs to the outputs left in L"),
                       (Rows(tuple(chains)),))

    def text(self) -> str:
        printer = TextPrinter()
        return "\n\n".join(printer.doprint(s) for s in self.sections)

    def latex(self) -> str:
        printer = LatexPrinter()
        return "\n\n".join(printer.doprint(s) for s in self.sections)

    def document(self) -> str:
        """A standalone LaTeX document (for pdflatex, as :meth:`Derivation.document`)."""
        printer = LatexPrinter({"document": True})
        E = self.elimination
        title = printer.prose(Phrase(f"The Jacobian by elimination in the {E.order_name} "
                                     f"order: {E.multiplications} multiplications"))
        body = "\n\n".join(printer.doprint(s) for s in self.sections)
        return PREAMBLE + "\\section*{%s}\n\n%s\n\n\\end{document}\n" % (title, body)

    def _repr_latex_(self) -> str:
        return self.latex()

    def __repr__(self) -> str:
        return f"<EliminationDerivation: {self.elimination!r}>"
