"""Printing: names, weights and the pieces of a derivation, through SymPy's printers.

Everything mathematical is printed by a SymPy printer: :class:`LatexPrinter` (here) and
:class:`~symbackslash.printing.text.TextPrinter` subclass SymPy's own, and each piece of a
derivation (:mod:`symbackslash.printing.pieces`: an equation chain, a weighted sum of unknowns, a
matrix with its source block marked, a table, a section) has a ``_print_<Class>`` method in
both printers. Entries are always printed with ``printer._print(entry)``, so an entry type
that brings its own ``_latex`` hook (the linear operators) prints itself. This module holds
the LaTeX printer and what both printers share (symbol names, element-wise functions,
weighted sums); it, :mod:`~symbackslash.text` and :mod:`~symbackslash.printing.pieces` depend
on no stage of the data flow, so every stage may use them.

Symbol names follow SymPy's conventions (trailing digits and ``_k`` are subscripts, Greek
names are letters) with three additions: a ``_bar``, ``_hat``, ``_dot``, ``_tilde`` … part
is an accent on the base letter, several subscripts are separated by commas, and a
multi-letter name is one italic word.

>>> import sympy as sp
>>> from symbackslash.printing.pieces import Combination
>>> [latex(sp.Symbol(n)) for n in ["v1", "x_1", "theta2", "W1", "a_bar", "v1_bar", "loss"]]
['v_{1}', 'x_{1}', '\\\\theta_{2}', 'W_{1}', '\\\\bar{a}', '\\\\bar{v}_{1}', '\\\\mathit{loss}']
>>> x = sp.Symbol("x")
>>> print(latex(Combination(0, [(sp.cos(x), sp.Symbol("b_bar")), (-1, sp.Symbol("f_bar"))])))
\\cos{\\left(x \\right)} \\bar{b} - \\bar{f}
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.printing.conventions import split_super_sub
from sympy.printing.latex import LatexPrinter as SympyLatexPrinter
from sympy.printing.latex import (
    greek_letters_set,
    modifier_dict,
    other_symbols,
    tex_greek_dictionary,
)
from sympy.printing.precedence import PRECEDENCE

from ..core.elements import is_zero
from ..core.limits import check_limit
from ..core.walk import tree_size
from ..errors import boundary
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

__all__ = ["LatexPrinter", "latex", "tex_escape", "symbol_latex", "node_symbol", "broadcast_parts",
           "hadamard_factors", "print_combination"]

#: Name parts that put an accent on the base letter (``x_bar`` is x̄): narrow accent for a
#: single letter, wide accent (where LaTeX has one) for a word.
ACCENTS = {"bar": (r"\bar", r"\overline"), "hat": (r"\hat", r"\widehat"),
           "tilde": (r"\tilde", r"\widetilde"), "dot": (r"\dot", r"\dot"),
           "ddot": (r"\ddot", r"\ddot"), "check": (r"\check", r"\check"),
           "vec": (r"\vec", r"\overrightarrow")}


#: Characters TeX reads as commands, as text that shows them.
_TEX_TEXT = str.maketrans({"\\": r"\textbackslash{}", "~": r"\textasciitilde{}",
                           "^": r"\textasciicircum{}", **{c: "\\" + c for c in "&%$#_{}"}})


def tex_escape(s: str) -> str:
    """Text that TeX shows as it is, in text mode (SymPy's ``latex_escape`` writes
    ``\\textbackslash`` without ``{}``, which swallows the next letters into an unknown
    command).

    >>> print(tex_escape(r"\\input{a_b} ~^"))
    \\textbackslash{}input\\{a\\_b\\} \\textasciitilde{}\\textasciicircum{}
    """
    return s.translate(_TEX_TEXT)


def _escaped(s: str, command: str) -> str:
    """``s`` escaped inside ``command`` (``\\mathit``, ``\\operatorname`` …); a name with
    characters that only text mode can show is set as ``\\text``."""
    if any(c in s for c in "\\~^"):
        return r"%s{\text{%s}}" % (command, tex_escape(s))
    return r"%s{%s}" % (command, tex_escape(s))


def _word(s: str, *, upright: bool) -> str:
    """One part of a name: a Greek letter, a letter with SymPy modifiers, a digit string,
    a single letter, or a word (italic for a base, upright for a sub- or superscript)."""
    if not s:
        return ""
    if s in tex_greek_dictionary:
        return tex_greek_dictionary[s]
    if s.lower() in greek_letters_set:
        return "\\" + s.lower()
    if s in other_symbols:
        return "\\" + s
    for key in sorted(modifier_dict, key=len, reverse=True):
        if s.lower().endswith(key) and len(s) > len(key):
            return modifier_dict[key](_word(s[: -len(key)], upright=upright))
    if s.isdigit() or (len(s) == 1 and s.isalpha()):
        return s
    return _escaped(s, r"\mathrm" if upright or len(s) == 1 else r"\mathit")


def symbol_latex(name: str, style: str = "plain") -> str:
    """The LaTeX of a symbol name: ``v1`` → ``v_{1}``, ``a_bar`` → ``\\bar{a}``,
    ``x_1_bar`` → ``\\bar{x}_{1}``, ``alpha`` → ``\\alpha``, ``loss`` → ``\\mathit{loss}``.

    ``style="bold"`` sets the base in bold (SymPy's matrix-symbol style).
    """
    base, supers, subs = split_super_sub(name)
    accents = [s for s in subs if s in ACCENTS]
    subs = [s for s in subs if s not in ACCENTS and s]
    result = _word(base, upright=False)
    wide = len(base) > 1 and result.startswith(r"\mathit")
    for accent in accents:
        result = "%s{%s}" % (ACCENTS[accent][1 if wide else 0], result)
    if style == "bold":
        result = r"\mathbf{%s}" % result
    if subs:
        result += "_{%s}" % ",".join(_word(s, upright=True) for s in subs)
    if supers:
        result += "^{%s}" % ",".join(_word(s, upright=True) for s in supers)
    return result


def node_symbol(node) -> sp.Basic:
    """The symbol that stands for a graph node: the key itself when it is a SymPy object,
    ``v<k>`` for an integer key ``k`` (the paper numbers nodes v1 … vn), else a symbol named
    after the key."""
    if isinstance(node, sp.Basic):
        return node
    if isinstance(node, int) and not isinstance(node, bool):
        return sp.Symbol(f"v{node}")
    return sp.Symbol(str(node))


#: Functions that LaTeX writes as a command of their name (tanh.(X) is \\tanh.(X)).
LATEX_FUNCTIONS = frozenset({"sin", "cos", "tan", "sinh", "cosh", "tanh", "exp", "log", "ln",
                             "arcsin", "arccos", "arctan", "cot", "coth", "sec", "csc"})


def broadcast_parts(e) -> tuple:
    """An element-wise function h.(X) (SymPy's ``ElementwiseApplyFunction``) as
    ``(h, lambda, X)``: ``h`` the applied function when the lambda is z ↦ h(z) (e.g.
    ``tanh``), else ``None`` and the lambda with its variable named z."""
    f = e.function
    (z,) = f.variables
    body = f.expr
    if isinstance(body, sp.Function) and body.args == (z,):
        return body.func, f, e.expr
    named = sp.Symbol("z")
    if named not in body.free_symbols:
        f = sp.Lambda(named, body.xreplace({z: named}))
    return None, f, e.expr


def hadamard_factors(e: sp.HadamardProduct) -> tuple:
    """The factors of an element-wise product in reading order: the element-wise functions
    first (an activation's derivative Δ = h'.(Z), as the paper writes Δ ⊙ Wᵀ…), the rest
    in SymPy's order. Only the printing changes; the expression keeps SymPy's order."""
    return tuple(sorted(e.args, key=lambda a: not isinstance(a, ElementwiseApplyFunction)))


def _split_terms(c: Combination):
    """Signed terms of a combination: ``[(negative, weight or None, unknown or None)]``."""
    result = []
    if c.constant is not None and (not is_zero(c.constant) or not c.terms):
        result.append((False, None, c.constant))
    for weight, unknown in c.terms:
        negative = False
        if isinstance(weight, (int, float)):
            weight = sp.sympify(weight)
        if isinstance(weight, sp.Expr) and not isinstance(weight, sp.MatrixExpr) \
                and weight.could_extract_minus_sign():
            negative, weight = True, -weight
        result.append((negative, None if weight == 1 and unknown is not None else weight,
                       unknown))
    return result


def print_combination(printer, c: Combination, product: str, minus: str) -> str:
    """Print a combination term by term: ``product`` joins a weight and its unknown,
    ``minus`` starts a negative first term. A term without unknown (``None``) is its weight,
    printed whole."""
    out = []
    for k, (negative, weight, unknown) in enumerate(_split_terms(c)):
        if unknown is None:
            body = printer._print(weight)
        elif weight is None:
            body = printer._print(unknown)
        else:
            body = product % (printer.parenthesize(weight, PRECEDENCE["Mul"], strict=True),
                              printer._print(unknown))
        out.append((minus if negative else "") + body if k == 0 else
                   (" - " if negative else " + ") + body)
    return "".join(out)


def signed_factors(expr: sp.MatMul) -> tuple[bool, list]:
    """A matrix product as ``(negative, factors)``, the sign read off its coefficient.

    SymPy's printers ask ``could_extract_minus_sign``, which negates the product and
    re-canonicalises all of it, and rebuild it (checking shapes down to the leaves): costs
    that grow with the depth of every factor (a deep network's gradient)."""
    coefficient, matrices = expr.as_coeff_matrices()
    negative = bool(coefficient.is_Number and coefficient < 0)
    if negative:
        coefficient = -coefficient
    return negative, ([] if coefficient == 1 else [coefficient]) + list(matrices)


class DeepMatrices:
    """What a printer needs for deep matrix results (a mixin; ``PARENS`` wraps a string in
    the printer's parentheses).

    An expression whose written-out form would exceed ``max_nodes`` parts is refused before
    printing: a closed form that shares subexpressions can be small as a DAG and
    astronomically large as text (sizes counted on the DAG, each distinct subexpression
    once per printer). Matrix products take their precedence from :func:`signed_factors`.

    A printer remembers what it printed: a derivation shows the same closed forms (and the
    same subexpressions within them) in its steps, its block form and its gradient, and
    SymPy's printers order the terms of every sum anew each time. Each distinct SymPy
    expression that is not an atom is printed once per printer (with no keyword options;
    the text depends only on the expression and the printer's settings).
    """

    PARENS: str

    def _print(self, expr, **kwargs):
        if not isinstance(expr, sp.Basic):
            return super()._print(expr, **kwargs)
        sizes = self.__dict__.setdefault("_written_sizes", {})
        check_limit("max_nodes", tree_size(expr, sizes),
                    "written out, the number of parts of the expression (for a gradient "
                    "that stays short, use gradient(..., form='program'))")
        if kwargs or not expr.args:
            return super()._print(expr, **kwargs)
        printed = self.__dict__.setdefault("_printed", {})
        try:
            text = printed.get(expr)
        except TypeError:  # an unhashable part: printed every time
            return super()._print(expr)
        if text is None:
            text = printed[expr] = super()._print(expr)
        return text

    def _parenthesized_product(self, item: sp.MatMul, level: int, strict: bool) -> str:
        negative, _ = signed_factors(item)
        precedence = PRECEDENCE["Add"] if negative else PRECEDENCE["Mul"]
        text = self._print(item)
        return self.PARENS % text if precedence < level or (strict and precedence <= level) \
            else text


class LatexPrinter(DeepMatrices, SympyLatexPrinter):
    """SymPy's LaTeX printer with symbackslash's symbol names and derivation pieces.

    Settings: ``document`` (default ``False``) prints a :class:`Section` for a standalone
    document (``\\subsection*``, ``align*`` that breaks across pages, wide matrices shrunk to
    the line width; needs amsmath and graphicx) instead of as one ``align*`` block that
    MathJax can show (a notebook, ``Derivation.latex``); ``line_chars`` (default 110) is how
    long an equation chain may be in a document before it continues on new lines.
    """

    _default_settings = {**SympyLatexPrinter._default_settings, "document": False,
                         "line_chars": 110}

    def _print_Symbol(self, expr, style="plain"):
        name = self._settings["symbol_names"].get(expr)
        return name if name is not None else symbol_latex(expr.name, style)

    def _print_str(self, s):
        return r"\text{%s}" % tex_escape(s)

    def _hprint_Function(self, func: str) -> str:
        """A function's name as SymPy writes it when it is a plain name (letters, digits,
        underscores); any other name is escaped, so that no name reaches TeX as commands
        (``Function(r"\\input{secret}")`` prints as the text \\input{secret})."""
        if re.fullmatch(r"[^\W\d]\w*", func) and not func.endswith("_"):
            return super()._hprint_Function(func)
        return _escaped(func, r"\operatorname")

    PARENS = r"\left(%s\right)"

    def _print_MatMul(self, expr):
        """As SymPy prints it, the sign from :func:`signed_factors`."""
        negative, factors = signed_factors(expr)
        return ("- " if negative else "") + " ".join(
            self._print(x) if isinstance(x, sp.Mul) and not isinstance(x, sp.MatMul)
            else self.parenthesize(x, PRECEDENCE["Mul"], False) for x in factors)

    def parenthesize(self, item, level, is_neg=False, strict=False):
        if isinstance(item, sp.MatMul):
            return self._parenthesized_product(item, level, strict)
        return super().parenthesize(item, level, is_neg, strict)

    def _print_HadamardProduct(self, e):
        """A ∘ B, the element-wise functions first (:func:`hadamard_factors`)."""
        return r" \circ ".join(self.parenthesize(a, PRECEDENCE["Pow"], strict=True)
                                for a in hadamard_factors(e))

    def _print_OneMatrix(self, e):
        """𝟙, the matrix of ones (SymPy prints 1, which reads as a scalar)."""
        return r"\mathbb{1}"

    def _print_HadamardPower(self, e):
        """𝟙 ⊘ X for the element-wise inverse, X^{∘k} otherwise."""
        if e.exp == -1:
            return r"\mathbb{1} \oslash %s" % self.parenthesize(e.base, PRECEDENCE["Pow"],
                                                                 strict=True)
        return super()._print_HadamardPower(e)

    def _print_ElementwiseApplyFunction(self, e):
        """h.(X), the paper's (and Julia's) notation for h applied to every entry."""
        h, f, X = broadcast_parts(e)
        if h is None:
            head = r"\left(%s \mapsto %s\right)" % (self._print(f.variables[0]),
                                                    self._print(f.expr))
        elif h.__name__ in LATEX_FUNCTIONS:
            head = "\\" + h.__name__
        else:
            head = self._print(h)
        return r"%s.\!\left(%s\right)" % (head, self._print(X))

    def _print_Chain(self, c: Chain):
        return " = ".join(self._print(p) for p in c.parts)

    def _print_Combination(self, c: Combination):
        return print_combination(self, c, "%s %s", "- ")

    def _print_Partial(self, p: Partial):
        return r"\frac{\partial %s}{\partial %s}" % (self._print(p.numerator),
                                                    self._print(p.denominator))

    def _print_Nabla(self, n: Nabla):
        return r"\nabla %s" % self._print(n.of)

    def _print_Grid(self, g: Grid):
        rows, cols = g.shape
        split = g.split if g.split and 0 < g.split < max(rows, cols) else None
        spec = "c" * cols
        if split is not None and cols > 1:
            spec = "c" * split + "|" + "c" * (cols - split)
        lines = []
        for i in range(rows):
            if split is not None and rows > 1 and i == split:
                lines.append(r"\hline")
            lines.append(" & ".join(self._print(g.entries.get((i, j), sp.S.Zero))
                                    for j in range(cols)) + r" \\")
        return "\\left[\\begin{array}{%s}\n%s\n\\end{array}\\right]" % (spec, "\n".join(lines))

    def _print_Product(self, p: Product):
        return " ".join(self._print(f) for f in p.factors)

    def _print_Factors(self, f: Factors):
        return r" \cdot ".join(self._factor(i) for i in f.items)

    def _factor(self, item) -> str:
        """One factor of a written-out product; a negative one in parentheses
        (a · (−sin b), not a · −sin b)."""
        text = self.parenthesize(item, PRECEDENCE["Mul"], strict=True)
        negative = isinstance(item, sp.Expr) and item.could_extract_minus_sign()
        return r"\left(%s\right)" % text if negative and not text.startswith(r"\left(") \
            else text

    def _print_Terms(self, t: Terms):
        return print_combination(self, Combination(None, [(i, None) for i in t.items]), "%s",
                                 "- ")

    def _print_Route(self, r: Route):
        return r" \to ".join(self._print(v if isinstance(v, Notation) else node_symbol(v))
                              for v in r.nodes)

    def _print_Entry(self, e: Entry):
        return r"\left[%s\right]_{%s,\,%s}" % (self._print(e.matrix),
                                                 self._print(node_symbol(e.row)),
                                                 self._print(node_symbol(e.column)))

    def _print_Notation(self, n: Notation):
        return n.latex

    def _print_Phrase(self, p: Phrase):
        return "".join(r"\text{%s}" % tex_escape(s) if isinstance(s, str) else self._print(s)
                       for s in p.pieces)

    def _print_Table(self, t: Table):
        head = " & ".join(self._print(h) for h in t.header)
        body = "\n".join(" & ".join(self._print(cell) for cell in row) + r" \\" for row in t.rows)
        return "\\begin{array}{%s}\n%s \\\\\n\\hline\n%s\n\\end{array}" % (
            "l" * len(t.header), head, body)

    def _print_Rows(self, r: Rows):
        return "\\begin{aligned}\n%s\n\\end{aligned}" % self._aligned(r)

    def _aligned(self, r: Rows, *, break_long: bool = False) -> str:
        """The rows of an ``aligned``/``align*`` body; with ``break_long`` a chain longer than
        ``line_chars`` continues on new lines, one ``= part`` each."""
        lines = []
        for k, chain in enumerate(r.chains):
            tag = self._print(r.tags[k]) + r"\quad " if r.tags else ""
            first, *rest = [self._print(p) for p in chain.parts]
            if not rest:
                lines.append(tag + first + r" & \\")
            elif break_long and len(" = ".join(rest)) > self._settings["line_chars"]:
                lines.append(tag + first + " &= " + rest[0] + r" \\")
                lines += ["&= " + part + r" \\" for part in rest[1:]]
            else:
                lines.append(tag + first + " &= " + " = ".join(rest) + r" \\")
        return "\n".join(lines)

    def _print_Section(self, s: Section):
        if not self._settings["document"]:
            body = "\n".join("&" + self._print(item) + r" \\[1ex]" for item in s.items)
            title = "".join(r"\textbf{%s}" % tex_escape(p) if isinstance(p, str) else
                            self._print(p) for p in s.title.pieces)
            return "\\begin{align*}\n&%s\\\\[0.5ex]\n%s\n\\end{align*}" % (title, body)
        parts = ["\\subsection*{%s}" % self.prose(s.title)]
        for item in s.items:
            if isinstance(item, Phrase):
                parts.append(self.prose(item) + "\n")
            elif isinstance(item, Rows) and not any(isinstance(p, Grid) for c in item.chains
                                                    for p in c.parts):
                parts.append("\\begin{align*}\n%s\n\\end{align*}"
                             % self._aligned(item, break_long=True))
            else:  # a wide matrix or table shrinks to the line width, a narrow one stays
                parts.append("\\begin{center}\n\\resizebox{\\ifdim\\width>\\linewidth"
                             "\\linewidth\\else\\width\\fi}{!}{$\\displaystyle %s$}\n"
                             "\\end{center}" % self._print(item))
        return "\n".join(parts)

    def prose(self, phrase: Phrase) -> str:
        """A phrase in running text: words as they are, mathematics in ``$…$``."""
        return "".join(tex_escape(p) if isinstance(p, str) else "$%s$" % self._print(p)
                       for p in phrase.pieces)


@boundary
def latex(expr, **settings) -> str:
    """LaTeX of ``expr`` (a SymPy object or a derivation piece) with :class:`LatexPrinter`:
    the notation of the derivations (``x_bar`` is x̄, h.(X) for element-wise functions).

    >>> import sympy as sp
    >>> print(latex(sp.MatrixSymbol("X", 2, 2).applyfunc(sp.tanh)))
    \\tanh.\\!\\left(X\\right)
    """
    return LatexPrinter(settings).doprint(expr)
