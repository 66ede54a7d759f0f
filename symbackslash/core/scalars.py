"""Small scalar expressions built in SymPy's canonical form, without SymPy's evaluation
where the result is known to be canonical already.

Every node of a graph, every local partial and every adjoint is a small SymPy expression
(a product, a sum or a function of a few node symbols). SymPy's constructors spend most of
their time on cases that cannot arise there: a product ``Mul(c, a, b)`` of factors with
distinct bases re-creates each power (``Pow(b, e)`` again, with its assumption queries), a
function ``sin(u, evaluate=False)`` builds a new ``FiniteSet`` for its ``nargs``. The
constructors here (of SymPy expressions) return SymPy's own result: they check, in
constant time per operand, that nothing would combine (no two factors with one base, no
two terms with one non-numeric part, no numbers but a rational coefficient), and then put
the operands in SymPy's order themselves; in every other case they call SymPy.

>>> import sympy as sp
>>> x, y, two = sp.symbols("x y") + (sp.Integer(2),)
>>> product(two, sp.sin(x), x), total(x, two, 2*y), unevaluated(sp.cos, x)
(2*x*sin(x), x + 2*y + 2, cos(x))
>>> product(two, x, x) == sp.Mul(2, x, x), total(x, x) == sp.Add(x, x)
(True, True)
"""

from __future__ import annotations

import sympy as sp
from sympy.core.add import _addsort
from sympy.core.function import AppliedUndef
from sympy.core.mul import _mulsort

__all__ = ["unevaluated", "product", "total"]

_ONE, _ZERO = sp.S.One, sp.S.Zero

_NARGS: dict = {}  # (head, number of arguments) → the nargs SymPy gives such an instance


def _plain(head) -> bool:
    """A SymPy function class whose unevaluated constructor is Function's own (sympify the
    arguments, make the instance, set ``nargs``)."""
    if not (isinstance(head, type) and issubclass(head, sp.Function)) \
            or issubclass(head, AppliedUndef):
        return False
    for klass in head.__mro__:
        if klass is sp.Function:
            return True
        if klass is not sp.core.function.DefinedFunction and (
                "__new__" in vars(klass) or "_new_" in vars(klass)):
            return False
    return False


def unevaluated(head: type, *args: sp.Basic) -> sp.Expr:
    """``head(*args, evaluate=False)`` for SymPy expressions ``args``, made directly for
    function classes with SymPy's plain constructor (the same instance, ``nargs`` too)."""
    key = (head, len(args))
    if key not in _NARGS:
        if not _plain(head):
            return head(*args, evaluate=False)
        _NARGS[key] = head(*sp.symbols(f"_a:{len(args)}"), evaluate=False).nargs
    result = sp.Basic.__new__(head, *args)
    result.nargs = _NARGS[key]
    return result


def _kind_ok(e) -> bool:
    """An operand SymPy's flattening treats as a plain commutative factor or term: a
    symbol, a function application, a power of a non-numeric base, a sum or a product."""
    if e.is_Symbol:
        return e.is_commutative is True
    if e.is_Pow:
        return not e.base.is_Number and e.is_commutative is True
    return (e.is_Function or e.is_Add or e.is_Mul) and not isinstance(e, sp.MatrixExpr) \
        and e.is_commutative is True


def product(*factors: sp.Expr) -> sp.Expr:
    """``sp.Mul(*factors)`` for canonical SymPy expressions: made directly when the
    factors (products among them opened up) are at most rational coefficients and plain
    factors with distinct bases (``as_base_exp``), and no rational coefficient would be
    distributed over a sum; otherwise SymPy's ``Mul``."""
    coeff, rest = _ONE, []
    for f in factors:
        parts = f.args if f.is_Mul else (f,)
        for p in parts:
            if p.is_Rational:
                coeff = coeff * p
            elif _kind_ok(p) and not p.is_Mul:
                rest.append(p)
            else:
                return sp.Mul(*factors)
    if coeff is _ZERO or (coeff is not _ONE and len(rest) == 1 and rest[0].is_Add):
        return sp.Mul(*factors)
    bases = {p.as_base_exp()[0] if (p.is_Pow or isinstance(p, sp.exp)) else p for p in rest}
    if len(bases) != len(rest) or any(b.is_Number for b in bases):
        return sp.Mul(*factors)
    return _made(sp.Mul, _ONE, coeff, rest, _mulsort)


def total(*terms: sp.Expr) -> sp.Expr:
    """``sp.Add(*terms)`` for canonical SymPy expressions: made directly when the terms
    (sums among them opened up) are at most rational constants and plain terms whose
    non-numeric parts (``as_coeff_Mul``) are distinct and not sums; otherwise SymPy's
    ``Add``."""
    constant, rest, parts = _ZERO, [], set()
    for t in terms:
        for p in (t.args if t.is_Add else (t,)):
            if p.is_Rational:
                constant = constant + p
                continue
            if not _kind_ok(p) or p.is_Add:
                return sp.Add(*terms)
            c, s = p.as_coeff_Mul()
            if c is _ZERO or not c.is_Rational or s.is_Add or s.is_Number or s in parts \
                    or (s.is_Pow and s.base.is_Number):
                return sp.Add(*terms)
            parts.add(s)
            rest.append(p)
    return _made(sp.Add, _ZERO, constant, rest, _addsort)


def _made(head, neutral, number, rest: list, order) -> sp.Expr:
    """``head`` of the number and the other operands, made directly: the number alone, or
    the one operand where the number is neutral, else the operands in SymPy's ``order``
    after the number (left out when neutral)."""
    if not rest:
        return number
    if number is neutral and len(rest) == 1:
        return rest[0]
    order(rest)
    return head._from_args(rest if number is neutral else [number, *rest], True)
