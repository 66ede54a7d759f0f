r"""Operators in print: one notation, through SymPy's printer hooks.

Every operator prints itself with ``_sympystr`` (plain text), ``_pretty`` (SymPy's 2-D
text, Unicode or ASCII) and ``_latex``; the helpers here implement the three shapes those
take, recursing with ``printer._print``:

=================  ==============  ============  ===================================
kind               text            Unicode       LaTeX
=================  ==============  ============  ===================================
letter + matrix    ``L_A``         ``ℒ_A``       ``\mathcal{L}_{A}``
scalar multiple    ``2*L_A``       ``2 ℒ_A``     ``2 \mathcal{L}_{A}``
sum                ``L_A - R_B``   ``ℒ_A - ℛ_B``  ``\mathcal{L}_{A} - \mathcal{R}_{B}``
composition        ``L_A*R_B``     ``ℒ_A ∘ ℛ_B``  ``\mathcal{L}_{A} \circ \mathcal{R}_{B}``
=================  ==============  ============  ===================================

An operator's ``precedence`` decides the parentheses: a sum inside a composition or a
scalar multiple is parenthesised (c 𝒜 ∘ 𝓑 needs none: scalars commute with operators).

>>> import sympy as sp
>>> from symbackslash import LeftMultiply, RightMultiply, Hadamard
>>> A, B = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("B", 2, 2)
>>> op = -2 * (LeftMultiply(A) - RightMultiply(B)) * Hadamard(A * B)
>>> print(op)
-2*(L_A - R_B)*H_(A*B)
>>> print(sp.latex(op))
-2 \left(\mathcal{L}_{A} - \mathcal{R}_{B}\right) \circ \mathcal{H}_{A B}
>>> print(sp.pretty(op))
-2 (ℒ_A - ℛ_B) ∘ ℋ_(A⋅B)
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm

__all__ = ["SUM", "COMPOSITION", "ATOM", "language", "subscripted", "scaled", "summed",
           "composed"]

#: Precedences of operator expressions (higher binds tighter).
SUM, COMPOSITION, ATOM = 10, 20, 100


def language(printer) -> str:
    """``"latex"``, ``"pretty"`` or ``"str"``: the language of a SymPy printer."""
    name = type(printer).__name__
    return "latex" if "Latex" in name else "pretty" if "Pretty" in name else "str"


def _parens(printer, shown):
    kind = language(printer)
    if kind == "pretty":
        return prettyForm(*shown.parens())
    return rf"\left({shown}\right)" if kind == "latex" else f"({shown})"


def _atomic(text: str) -> bool:
    return text.replace("_", "a").isalnum()


def subscripted(printer, letters: tuple[str, str, str], M):
    """A letter with a matrix subscript (ℒ_A); ``letters`` = (text, Unicode, LaTeX)."""
    kind = language(printer)
    if kind == "latex":
        return rf"{letters[2]}_{{{printer._print(M)}}}"
    if kind == "pretty":
        pform = printer._print(M)
        if pform.height() > 1 or not _atomic(str(pform)):
            pform = prettyForm(*pform.parens())
        return prettyForm(*pform.left(letters[1] if printer._use_unicode else letters[0], "_"))
    inner = printer._print(M)
    return f"{letters[0]}_{inner}" if _atomic(inner) else f"{letters[0]}_({inner})"


def scaled(printer, coefficient, operator):
    """c 𝒜, with −𝒜 for c = −1."""
    shown = printer._print(operator)
    if operator.precedence <= SUM:
        shown = _parens(printer, shown)
    kind = language(printer)
    if coefficient == -1:
        return prettyForm(*shown.left("-")) if kind == "pretty" else "-" + shown
    c = printer._print(coefficient)
    if isinstance(coefficient, sp.Add):
        c = _parens(printer, c)
    if kind == "pretty":
        return prettyForm(*c.right(" ", shown))
    return f"{c}{'*' if kind == 'str' else ' '}{shown}"


def _negative(term) -> bool:
    coefficient = getattr(term, "coefficient", None)
    return coefficient is not None and coefficient.could_extract_minus_sign()


def summed(printer, terms):
    """𝒜 + 𝓑 − 𝒞: a term with a negative coefficient is written with a minus sign."""
    pieces = []
    for k, t in enumerate(terms):
        negative = _negative(t)
        sign = ("-" if k == 0 else " - ") if negative else (" + " if k else "")
        pieces.append((sign, printer._print(-t if negative else t)))
    if language(printer) != "pretty":
        return "".join(sign + shown for sign, shown in pieces)
    forms = [prettyForm(*shown.left(sign)) if sign else shown for sign, shown in pieces]
    return prettyForm(*forms[0].right(*forms[1:]))


def composed(printer, factors):
    """𝒜 ∘ 𝓑 ∘ …, sums parenthesised."""
    shown = [printer._print(f) for f in factors]
    shown = [_parens(printer, s) if f.precedence <= SUM else s
             for f, s in zip(factors, shown, strict=True)]
    kind = language(printer)
    if kind != "pretty":
        return (r" \circ " if kind == "latex" else "*").join(shown)
    result = shown[0]
    for form in shown[1:]:
        result = prettyForm(*result.right(" ∘ " if printer._use_unicode else "*", form))
    return result
