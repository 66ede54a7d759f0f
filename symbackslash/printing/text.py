"""Printing as plain text: :class:`TextPrinter` and :func:`text` (what the command line prints).

The text counterpart of :class:`~symbackslash.printing.latex.LatexPrinter`: SymPy's string printer
with a ``_print_<Class>`` method for each piece of a derivation
(:mod:`symbackslash.printing.pieces`).
Pieces that span several lines (matrices) are set side by side, centred on one line.

>>> import sympy as sp
>>> from symbackslash.printing.pieces import Chain
>>> x, y = sp.symbols("x y")
>>> print(text(Chain(sp.Symbol("a_bar"), x*y)))
a_bar = x*y
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from ..errors import boundary
from .latex import (
    DeepMatrices,
    broadcast_parts,
    hadamard_factors,
    node_symbol,
    print_combination,
    signed_factors,
)
from .pieces import (
    Chain,
    Combination,
    Entry,
    Factors,
    Grid,
    Nabla,
    Notation,
    Partial,
    Phrase,
    Product,
    Route,
    Rows,
    Section,
    Table,
    Terms,
)

__all__ = ["TextPrinter", "text"]


class TextPrinter(DeepMatrices, StrPrinter):
    """SymPy's string printer with the derivation pieces (what the command line prints).

    Pieces that span several lines (matrices) are set side by side, centred on one line.
    """

    def _print_str(self, s):
        return s

    def _print_ElementwiseApplyFunction(self, e):
        """h.(X), the paper's (and Julia's) notation for h applied to every entry."""
        h, f, X = broadcast_parts(e)
        head = h.__name__ if h is not None else "(%s -> %s)" % (self._print(f.variables[0]),
                                                                self._print(f.expr))
        return "%s.(%s)" % (head, self._print(X))

    PARENS = "(%s)"

    def _print_MatMul(self, expr):
        """As SymPy prints it, the sign from :func:`~.printing.signed_factors`."""
        negative, factors = signed_factors(expr)
        return ("-" if negative else "") + "*".join(self.parenthesize(x, PRECEDENCE["Mul"])
                                                    for x in factors)

    def parenthesize(self, item, level, strict=False):
        if isinstance(item, sp.MatMul):
            return self._parenthesized_product(item, level, strict)
        return super().parenthesize(item, level, strict)

    def _print_HadamardProduct(self, e):
        """A .* B, the entry-wise product (MATLAB's and Julia's notation)."""
        return " .* ".join(self.parenthesize(a, PRECEDENCE["Mul"], strict=True)
                           for a in hadamard_factors(e))

    def _print_OneMatrix(self, e):
        """``ones``, the matrix of ones (SymPy prints 1, which reads as a scalar)."""
        return "ones"

    def _print_HadamardPower(self, e):
        """``1 ./ X`` for the element-wise inverse, ``X.^k`` otherwise (MATLAB's notation)."""
        base = self.parenthesize(e.base, PRECEDENCE["Pow"], strict=True)
        if e.exp == -1:
            return "1 ./ %s" % base
        return "%s.^%s" % (base, self.parenthesize(e.exp, PRECEDENCE["Pow"], strict=True))

    def _print_Chain(self, c: Chain):
        return _beside([self._print(p) for p in c.parts], " = ")

    def _print_Combination(self, c: Combination):
        return print_combination(self, c, "%s*%s", "-")

    def _print_Partial(self, p: Partial):
        return "d%s/d%s" % (self._print(p.numerator), self._print(p.denominator))

    def _print_Nabla(self, n: Nabla):
        return "grad %s" % self._print(n.of)

    def _print_Grid(self, g: Grid):
        rows, cols = g.shape
        cells = [[self._print(g.entries.get((i, j), sp.S.Zero)) for j in range(cols)]
                 for i in range(rows)]
        labels = [self._print(v) for v in g.labels] if g.labels else None
        widths = [max([len(row[j]) for row in cells] + ([len(labels[j])] if labels else []))
                  for j in range(cols)]
        split = g.split if g.split and 0 < g.split < max(rows, cols) else None

        def line(items, bar="|"):
            parts = []
            for j, item in enumerate(items):
                if split is not None and cols > 1 and j == split:
                    parts.append(bar)
                parts.append(item.rjust(widths[j]))
            return " ".join(parts)

        pad = max(map(len, labels)) + 1 if labels else 0
        lines = [" " * (pad + 2) + line(labels[:cols], " ")] if labels else []
        for i, row in enumerate(cells):
            if split is not None and rows > 1 and i == split:
                rule = "".join("+" if ch == "|" else "-" for ch in line(row))
                lines.append(" " * pad + "[ " + rule + " ]")
            label = labels[i].rjust(pad - 1) + " " if labels else ""
            lines.append(label + "[ " + line(row) + " ]")
        return "\n".join(lines)

    def _print_Product(self, p: Product):
        return _beside([self._print(f) for f in p.factors], " ")

    def _print_Factors(self, f: Factors):
        return " * ".join(self._factor(i) for i in f.items)

    def _factor(self, item) -> str:
        """One factor of a written-out product; a negative one in parentheses."""
        text = self.parenthesize(item, PRECEDENCE["Mul"], strict=True)
        negative = isinstance(item, sp.Expr) and item.could_extract_minus_sign()
        return f"({text})" if negative and not text.startswith("(") else text

    def _print_Terms(self, t: Terms):
        return print_combination(self, Combination(None, [(i, None) for i in t.items]), "%s", "-")

    def _print_Route(self, r: Route):
        return " -> ".join(self._print(v if isinstance(v, Notation) else node_symbol(v))
                           for v in r.nodes)

    def _print_Entry(self, e: Entry):
        return "[%s][%s, %s]" % (self._print(e.matrix), self._print(node_symbol(e.row)),
                                 self._print(node_symbol(e.column)))

    def _print_Notation(self, n: Notation):
        return n.text

    def _print_Phrase(self, p: Phrase):
        return _beside([s if isinstance(s, str) else self._print(s) for s in p.pieces], "")

    def _print_Table(self, t: Table):
        cells = [[self._print(h) for h in t.header]]
        cells += [[self._print(cell) for cell in row] for row in t.rows]
        widths = [max(len(row[j]) for row in cells) for j in range(len(t.header))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                 for row in cells]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def _print_Rows(self, r: Rows):
        tags = [self._print(t) for t in r.tags] if r.tags else None
        width = max((len(t) for t in tags), default=0) if tags else 0
        return "\n".join(_beside([tags[k].rjust(width), self._print(chain)], "  ") if tags
                         else self._print(chain) for k, chain in enumerate(r.chains))

    def _print_Section(self, s: Section):
        body = "\n".join(self._print(item) for item in s.items)
        return self._print(s.title) + "\n" + "\n".join("  " + line for line in body.splitlines())


def _beside(blocks: list[str], separator: str) -> str:
    """Text blocks side by side, their middle lines level, ``separator`` and the one-line
    blocks on that line (on the next one when it is a matrix's block rule, ``[ --+-- ]``)."""
    split = [b.splitlines() or [""] for b in blocks]
    middle = max((len(lines) - 1) // 2 for lines in split)
    height = max(middle + len(lines) - (len(lines) - 1) // 2 for lines in split)

    def place(lines, top):
        width = max(len(line) for line in lines)
        return [(lines[i - top] if 0 <= i - top < len(lines) else "").ljust(width)
                for i in range(height)]

    tall = [place(lines, middle - (len(lines) - 1) // 2) for lines in split if len(lines) > 1]
    row = middle
    if middle + 1 < height and any(_RULE.fullmatch(column[middle]) for column in tall):
        row = middle + 1
    placed = [place(lines, middle - (len(lines) - 1) // 2) if len(lines) > 1
              else place(lines, row) for lines in split]
    out = [""] * height
    for k, column in enumerate(placed):
        for i in range(height):
            if k:
                out[i] += separator if i == row else " " * len(separator)
            out[i] += column[i]
    return "\n".join(line.rstrip() for line in out)


#: A matrix's block rule in text, ``[ ----+------ ]`` (possibly after a label's padding).
_RULE = re.compile(r"\s*\[ [-+]+ \]\s*")


@boundary
def text(expr, **settings) -> str:
    """Plain text of ``expr`` with :class:`TextPrinter` (what the command line prints).

    >>> import sympy as sp
    >>> A, X = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("X", 2, 2)
    >>> print(text(sp.HadamardProduct(A, X.applyfunc(sp.tanh))))
    tanh.(X) .* A
    """
    return TextPrinter(settings).doprint(expr)
