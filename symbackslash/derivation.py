"""Derivations generated from the solve itself.

A :class:`Derivation` reads the records a differentiation kept (graph, system, the solver's
:class:`~symbackslash.solve.Step` list) and tells the story: the nodes with their local
partials, L and (I − L)ᵀ, every substitution step in symbols and with values, and the
gradient. Nothing is derived a second time.

>>> d = derivation("a = x*y\\nb = sin(a)\\nf = a + b", wrt=["x", "y"])
>>> print(d.text().split("\\n\\n", 3)[-1])
Back substitution on (I - L)^T xbar = e_5
  f_bar = 1
  b_bar = f_bar = 1
  a_bar = cos(a)*b_bar + f_bar = cos(a) + 1
  y_bar = x*a_bar = x*(cos(a) + 1)
  x_bar = y*a_bar = y*(cos(a) + 1)
<BLANKLINE>
Gradient
  df/dx = y*(cos(x*y) + 1)
  df/dy = x*(cos(x*y) + 1)
"""

from __future__ import annotations

import dataclasses

import sympy as sp

from .gradient import Differentiation, differentiate
from .program import AdjointSymbol

__all__ = ["Derivation", "StepView", "derivation"]


@dataclasses.dataclass(frozen=True)
class StepView:
    """One substitution step, in the paper's terms.

    ``unknown`` is the node solved for; ``terms`` pairs each weight with the node whose
    adjoint (reverse) or tangent (forward) it multiplies; ``symbolic`` is the step's result in
    node symbols and ``value`` the same in terms of the inputs.
    """

    unknown: object
    rhs: object
    terms: tuple
    symbolic: object
    value: object


class Derivation:
    """The derivation of a gradient, generated from one :class:`Differentiation`."""

    def __init__(self, result: Differentiation):
        self.result = result

    @property
    def graph(self):
        return self.result.graph

    @property
    def system(self):
        return self.result.system

    def unknown_symbol(self, node, seed=None) -> sp.Symbol:
        """x̄ of a node (reverse mode) or ẋ with respect to ``seed`` (forward mode)."""
        if self.result.mode == "reverse":
            return AdjointSymbol(node)
        return sp.Symbol(f"d{node}/d{seed}")

    def steps(self, k: int = 0) -> list[StepView]:
        """The steps of the k-th solve (reverse: k-th output; forward: k-th variable)."""
        solution = self.result.solutions[k]
        if solution is None:
            return []
        nodes = self.system.nodes
        seed = None if self.result.mode == "reverse" else self.result.wrt[k]
        views = []
        for step in solution.steps:
            terms = tuple((-entry, nodes[j]) for j, entry, _ in step.terms)
            views.append(StepView(nodes[step.unknown], step.rhs,
                                  tuple((w, self.unknown_symbol(v, seed)) for w, v in terms),
                                  step.result, self.result.closed_form(step.result)))
        return views

    def text(self) -> str:
        """A plain-text derivation (what the command line prints)."""
        r, G = self.result, self.graph
        lines = [f"Graph: {len(G)} nodes in order, inputs first"]
        for v in self.system.nodes:
            data = G.nodes[v]
            definition = "" if data["expr"] is None else f" = {data['expr']}"
            lines.append(f"  {data['index']:>3}  {v}{definition}    [{data['kind']}]")
        lines += ["", "L  (L[i, j] = d v_i / d v_j, the weight of edge j -> i)",
                  _indent(sp.pretty(self.system.L, use_unicode=False)), "",
                  *((["(I - L)^T", _indent(sp.pretty(self.system.I_minus_L_T, use_unicode=False))]
                     if r.mode == "reverse" else
                     ["I - L", _indent(sp.pretty(self.system.I_minus_L, use_unicode=False))])), ""]
        for k, out in enumerate(r.outputs if r.mode == "reverse" else r.wrt):
            if r.mode == "reverse":
                lines.append(f"Back substitution on (I - L)^T xbar = e_{self.system.position(out) + 1}")
            else:
                lines.append(f"Forward substitution on (I - L) xdot = e_{out}")
            for view in self.steps(k):
                name = self.unknown_symbol(view.unknown, None if r.mode == "reverse" else out)
                parts = [str(view.rhs)] if view.rhs != 0 or not view.terms else []
                parts += [sp.sstr(u if w == 1 else sp.Mul(w, u, evaluate=False), order="none")
                          for w, u in view.terms]
                formula = " + ".join(parts)
                lines.append(f"  {name} = {formula}" + ("" if formula == str(view.symbolic)
                                                        else f" = {view.symbolic}"))
            lines.append("")
        lines.append("Gradient" if len(r.outputs) == 1 else "Jacobian")
        for out in r.outputs:
            for var in r.wrt:
                lines.append(f"  d{out}/d{var} = {r.closed_form(r.derivative(out, var))}")
        return "\n".join(lines)


def _indent(block: str, pad: str = "  ") -> str:
    return "\n".join(pad + line for line in block.splitlines())


def derivation(f, wrt=None, *, mode: str = "reverse") -> Derivation:
    """Differentiate ``f`` and return its :class:`Derivation` (arguments as in
    :func:`~symbackslash.gradient.gradient`)."""
    return Derivation(differentiate(f, wrt, mode=mode))
