"""The names of adjoints: x̄ for a scalar node, X̄ for a matrix node.

A gradient program gives every adjoint its own variable (docs/mathematics.md: the back
substitution x̄_k = Σ_j L[j, k]ᵀ x̄_j, one assignment per node). The variable of node ``x``
is named ``x_bar`` and printed x̄: an :class:`AdjointSymbol` for a scalar node, a
:class:`MatrixAdjoint` (a matrix symbol of the node's shape) for a matrix node.

>>> import sympy as sp
>>> x, V3 = sp.Symbol("x"), sp.MatrixSymbol("V3", 3, 2)
>>> adjoint_name(x), adjoint_name(V3), adjoint_name(V3).shape
(x_bar, V3_bar, (3, 2))
>>> sp.latex(adjoint_name(x)), sp.latex(adjoint_name(V3))
('\\\\bar{x}', '\\\\bar{V}_{3}')
"""

from __future__ import annotations

import itertools
import re

import sympy as sp

from ..core.constructors import matrix_symbol
from ..core.walk import name_of
from .latex import symbol_latex

__all__ = ["AdjointSymbol", "MatrixAdjoint", "adjoint_name", "unknown_suffix"]

#: The suffix of the unknowns' names by mode, and the one used instead when a variable of
#: the function already has such a name (``x`` and ``x_bar`` both in the graph).
SUFFIXES = {"reverse": ("_bar", "_adj"), "forward": ("_dot", "_tan")}


def unknown_suffix(names, mode: str = "reverse") -> str:
    """``"_bar"`` (``"_dot"`` in forward mode); when some name in ``names`` is another name
    plus that suffix, ``"_adj"`` (``"_tan"``), then ``"_adj2"``, ``"_adj3"`` …: the first
    suffix that makes no unknown's name equal to a variable's, so that x̄ never prints like a
    variable and the gradient program never assigns one.

    >>> unknown_suffix(["x", "y"]), unknown_suffix(["x", "x_bar"])
    ('_bar', '_adj')
    >>> unknown_suffix(["x", "x_bar", "x_adj"]), unknown_suffix(["x_dot"], "forward")
    ('_adj2', '_dot')
    """
    names = {name_of(n) for n in names}
    plain, fallback = SUFFIXES[mode]
    candidates = itertools.chain((plain, fallback), (f"{fallback}{k}" for k in itertools.count(2)))
    return next(suffix for suffix in candidates if not any(n + suffix in names for n in names))


#: The suffix of an unknown's name (one of :func:`unknown_suffix`'s).
_SUFFIX = re.compile(r"_(bar|adj\d*|dot|tan\d*)$")


class _Barred:
    """Printing of a name ``<node>_bar``: x̄ (``<node>_adj``: x_adj, see :func:`unknown_suffix`)."""

    name: str

    @property
    def node_name(self) -> str:
        return _SUFFIX.sub("", self.name)

    def _latex(self, printer):
        return symbol_latex(self.name)

    def _pretty(self, printer):
        return printer._print(sp.Symbol(self.node_name + "bar"))


class AdjointSymbol(_Barred, sp.Symbol):
    """The adjoint x̄ of a scalar node x: named ``x_bar``, printed \\bar{x}."""

    def __new__(cls, node: sp.Symbol, suffix: str = "_bar"):
        return super().__new__(cls, f"{node.name}{suffix}")

    def __getnewargs_ex__(self):
        return ((sp.Symbol(self.node_name), self.name[len(self.node_name):]), {})


class MatrixAdjoint(_Barred, sp.MatrixSymbol):
    """The adjoint X̄ of a matrix node X: a matrix symbol of X's shape named ``X_bar``."""

    @classmethod
    def of(cls, node: sp.MatrixSymbol, suffix: str = "_bar") -> MatrixAdjoint:
        """The adjoint of the matrix node ``node``."""
        return matrix_symbol(f"{node.name}{suffix}", *node.shape, cls=cls)


def adjoint_name(node, suffix: str = "_bar") -> sp.Basic:
    """The variable of a node's adjoint: :class:`MatrixAdjoint` for a matrix node, else
    :class:`AdjointSymbol` (``suffix`` from :func:`unknown_suffix`)."""
    if isinstance(node, sp.MatrixSymbol):
        return MatrixAdjoint.of(node, suffix)
    return AdjointSymbol(node, suffix)
