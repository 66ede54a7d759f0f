"""The pieces a derivation is made of: small printable objects, and the paper's notation.

Each piece is plain data; :mod:`symbackslash.printing.latex` (LaTeX) and
:mod:`symbackslash.printing.text` (text) give every printer a ``_print_<Class>`` method for
it, so a derivation is built once, from the solver's records, and printed in either form.
Everything inside a piece (weights, node symbols, values) is printed by the printer, so
entries that print themselves (operators) need nothing here.

>>> from symbackslash.printing.latex import latex
>>> from symbackslash.printing.text import text
>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> latex(Chain(Partial(sp.Symbol("f"), x), sp.cos(x))), text(Route(x, sp.Symbol("v1")))
('\\\\frac{\\\\partial f}{\\\\partial x} = \\\\cos{\\\\left(x \\\\right)}', 'x -> v1')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

__all__ = ["Chain", "Combination", "Partial", "Nabla", "Grid", "Product", "Factors", "Terms",
           "Route", "Entry", "Notation", "Phrase", "Table", "Rows", "Section", "same",
           "L_", "I_MINUS_L", "I_MINUS_L_T", "XBAR", "XDOT", "M_", "L_TILDE", "G_", "LAMBDA",
           "LAMBDA_SOLVE", "M_T_LAMBDA", "LAMBDA_SYSTEM", "L_BLOCKS", "L_ENTRY"]


@dataclasses.dataclass(frozen=True)
class Chain:
    """``parts[0] = parts[1] = …`` (one row of a derivation)."""

    parts: tuple

    def __init__(self, *parts):
        object.__setattr__(self, "parts", tuple(parts))


@dataclasses.dataclass(frozen=True)
class Combination:
    """``constant + Σ weight·unknown`` with the terms in the given order (a solver row)."""

    constant: object
    terms: tuple

    def __init__(self, constant, terms):
        object.__setattr__(self, "constant", constant)
        object.__setattr__(self, "terms", tuple(terms))


@dataclasses.dataclass(frozen=True)
class Partial:
    """The partial derivative ∂numerator/∂denominator, as a symbol (not evaluated)."""

    numerator: object
    denominator: object


@dataclasses.dataclass(frozen=True)
class Nabla:
    """The gradient ∇f of ``of``, as a symbol."""

    of: object


@dataclasses.dataclass(frozen=True)
class Grid:
    """A matrix given by its nonzero entries ``{(i, j): entry}``; ``split`` draws the block
    lines after that many rows and columns (sources | non-sources); ``labels`` name the rows
    and columns in the text form."""

    entries: Mapping
    shape: tuple
    split: int | None = None
    labels: tuple | None = None


@dataclasses.dataclass(frozen=True)
class Product:
    """Factors written next to each other (a matrix times a vector)."""

    factors: tuple

    def __init__(self, *factors):
        object.__setattr__(self, "factors", tuple(factors))


@dataclasses.dataclass(frozen=True)
class Factors:
    """A product written out factor by factor, ``a · b · c`` (a path's weights)."""

    items: tuple

    def __init__(self, *items):
        object.__setattr__(self, "items", tuple(items))


@dataclasses.dataclass(frozen=True)
class Terms:
    """A sum written out term by term in the given order (path products before adding)."""

    items: tuple

    def __init__(self, *items):
        object.__setattr__(self, "items", tuple(items))


@dataclasses.dataclass(frozen=True)
class Route:
    """A path through the graph, ``x → v1 → f``."""

    nodes: tuple

    def __init__(self, *nodes):
        object.__setattr__(self, "nodes", tuple(nodes))


@dataclasses.dataclass(frozen=True)
class Entry:
    """The entry of a matrix at the nodes ``row`` and ``column``: ``[M]_{row, column}``."""

    matrix: object
    row: object
    column: object


@dataclasses.dataclass(frozen=True)
class Notation:
    """A fixed piece of notation with its LaTeX and plain-text forms, e.g. (I − L)ᵀ."""

    latex: str
    text: str


@dataclasses.dataclass(frozen=True)
class Phrase:
    """Words and mathematics in a line: strings are prose, everything else is printed."""

    pieces: tuple

    def __init__(self, *pieces):
        merged: list = []
        for piece in pieces:
            if isinstance(piece, str) and merged and isinstance(merged[-1], str):
                merged[-1] += piece
            else:
                merged.append(piece)
        object.__setattr__(self, "pieces", tuple(merged))


@dataclasses.dataclass(frozen=True)
class Table:
    """A table with a header of words; cells are strings (prose) or printable objects."""

    header: tuple
    rows: tuple


@dataclasses.dataclass(frozen=True)
class Rows:
    """Equation chains aligned at their first ``=``; ``tags`` label the rows, e.g. ``(3)``."""

    chains: tuple
    tags: tuple | None = None


@dataclasses.dataclass(frozen=True)
class Section:
    """A titled part of a derivation: a title (a :class:`Phrase`) and its items."""

    title: Phrase
    items: tuple


def same(a, b) -> bool:
    """``a == b`` for display purposes: ``False`` where comparing is undefined (operators)."""
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


# --------------------------------------------------------------------------- notation
# The paper's symbols, fixed pieces of notation with a LaTeX and a plain-text form.

L_ = Notation("L", "L")
I_MINUS_L = Notation(r"\left(I - L\right)", "(I - L)")
I_MINUS_L_T = Notation(r"\left(I - L\right)^{T}", "(I - L)^T")
XBAR = Notation(r"\bar{\mathbf{x}}", "xbar")
XDOT = Notation(r"\dot{\mathbf{x}}", "xdot")
M_ = Notation("M", "M")
L_TILDE = Notation(r"\tilde{L}", "L~")
G_ = Notation("g", "g")
LAMBDA = Notation(r"\boldsymbol{\lambda}", "lambda")
LAMBDA_SOLVE = Notation(r"\left(I - \tilde{L}\right)^{-T} g", "(I - L~)^-T g")
M_T_LAMBDA = Notation(r"M^{T} \boldsymbol{\lambda}", "M^T lambda")
LAMBDA_SYSTEM = Notation(r"\left(I - \tilde{L}\right)^{T} \boldsymbol{\lambda} = g",
                         "(I - L~)^T lambda = g")
L_BLOCKS = Notation(r"L = \begin{bmatrix} 0 & 0 \\ M & \tilde{L} \end{bmatrix}",
                    "L = [[0, 0], [M, L~]]")
L_ENTRY = Notation(r"L_{ij} = \partial v_i / \partial v_j", "L[i, j] = dv_i/dv_j")
