"""Local partial derivatives: the one rule table for scalar nodes.

A node of the graph is one SymPy operation applied to its *operands* (predecessor nodes,
given as node symbols) and constants. The weight of the edge operand → node is the local
partial ∂node/∂operand, every other operand held fixed (docs/mathematics.md): no chain rule here.

:data:`RULES` maps a SymPy head to a rule; each rule returns ``{operand: weight}``. A head
that is not in the table falls back to SymPy's own ``fdiff`` (so every SymPy ``Function``
that knows its derivative works unregistered); register a rule only to get a nicer weight or
a convention (see ``Abs``), or the same weight built faster (see ``sin``, ``cos``, ``tanh``).

>>> import sympy as sp
>>> u, v = sp.symbols("u v")
>>> local_partials(u * v)
{u: v, v: u}
>>> local_partials(u - 3*v)
{u: 1, v: -3}
>>> local_partials(sp.sin(u))
{u: cos(u)}
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.functions import relu
from ..core.scalars import product, total, unevaluated
from ..errors import DifferentiationError, InputError, boundary

__all__ = ["RULES", "applied", "local_partials", "children", "operands", "register_rule",
           "NONSMOOTH", "kink", "statement_partial"]

Rule = Callable[[sp.Expr], dict[sp.Expr, sp.Expr]]

#: Heads whose derivative does not exist everywhere, with the convention their rule follows
#: at the points where it does not (:func:`kink` says where those points are). Results that
#: use them are flagged by :mod:`symbackslash.numeric.nonsmooth`.
NONSMOOTH: dict[type, str] = {
    sp.Abs: "d|u|/du = sign(u), taken as 0 at u = 0 (a subgradient)",
    sp.sign: "d sign(u)/du = 0; sign jumps at u = 0, where the derivative is taken as 0",
    sp.Heaviside: "dH(u)/du = 0; H jumps at u = 0, where the derivative is taken as 0",
    relu: "relu'(u) = Heaviside(u, 0): taken as 0 at u = 0 (a subgradient)",
    sp.Max: "the derivative goes to the largest argument; k tied arguments share it "
            "equally (1/k each: a subgradient)",
    sp.Min: "the derivative goes to the smallest argument; k tied arguments share it "
            "equally (1/k each: a subgradient)",
    sp.Piecewise: "on a boundary, the derivative of the piece whose condition holds there "
                  "(the first true condition)",
    sp.floor: "derivative 0; floor jumps at the integers, where it is taken as 0",
    sp.arg: "d arg(u)/du = 0 (arg of a real u is 0 or π); it jumps at u = 0, where the "
            "derivative is taken as 0",
    sp.ceiling: "derivative 0; ceiling jumps at the integers, where it is taken as 0",
    sp.Mod: "d Mod(a, b) = da − floor(a/b) db; Mod jumps where a/b is an integer, where the "
            "same formula is used",
}


def children(expr: sp.Expr) -> list[sp.Expr]:
    """The sub-expressions of ``expr`` that may be nodes of their own, before constants are
    dropped.

    An ``Add`` term ``c*t`` with a number ``c`` contributes ``t`` (the coefficient lives in
    the weight); a ``Mul``'s numeric coefficient stays inside the node. Opaque heads (no rule
    and no argument-wise ``fdiff``, e.g. ``Piecewise``) depend directly on their free symbols.
    """
    if expr.is_Add:
        return [arg.as_coeff_Mul()[1] for arg in expr.args]
    if expr.is_Mul:
        rest = expr.as_coeff_Mul()[1]
        return list(rest.args) if rest.is_Mul else [rest]
    if _opaque(expr):
        return sorted(_dependencies(expr), key=sp.default_sort_key)
    return list(expr.args)


def _dependencies(expr: sp.Expr) -> set:
    """What an opaque head depends on: its free symbols, a matrix entry ``X[i, j]`` as
    itself (not the whole matrix X)."""
    found, seen, stack = set(), set(), [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, (sp.Symbol, MatrixElement)):
            found.add(e)
        elif isinstance(e, sp.MatrixSymbol):
            found.add(e)  # a whole matrix inside the head
        elif e.args and getattr(e, "bound_symbols", ()):
            found |= e.free_symbols
        else:
            for a in e.args:
                if a not in seen:
                    seen.add(a)
                    stack.append(a)
    return found


def operands(expr: sp.Expr, is_constant: Callable[[sp.Expr], bool] | None = None) -> list[sp.Expr]:
    """The :func:`children` of ``expr`` that are not constants, without repeats.

    ``is_constant`` decides what a constant is (default: no free symbols); the graph builder
    passes its own memo so deep expressions are never walked recursively.
    """
    is_constant = is_constant or (lambda t: not t.free_symbols)
    return list(dict.fromkeys(t for t in children(expr) if not is_constant(t)))


def _add(expr: sp.Add) -> dict:
    """∂(Σ cᵢ tᵢ)/∂tᵢ = cᵢ."""
    weights: dict = {}
    for arg in expr.args:
        coeff, term = arg.as_coeff_Mul()
        if term.free_symbols:
            weights[term] = weights.get(term, 0) + coeff
    return weights


def _mul(expr: sp.Mul) -> dict:
    """∂(c Πᵢ aᵢ)/∂aⱼ = c Π_{i≠j} aᵢ."""
    coeff, rest = expr.as_coeff_Mul()
    factors = rest.args if rest.is_Mul else (rest,)
    return {a: _without(coeff, factors, j, expr.is_commutative)
            for j, a in enumerate(factors) if a.free_symbols}


def _without(coeff, factors: tuple, j: int, commutative) -> sp.Expr:
    """``c Π_{i≠j} aᵢ`` for the factors of a canonical product: two or more factors stay
    canonical and in order when one is left out (their bases are distinct), so the product
    is made without sorting; fewer go through :func:`product` (a coefficient times one sum
    is distributed)."""
    others = factors[:j] + factors[j + 1:]
    if len(others) < 2 or commutative is not True:
        return product(coeff, *others)
    return sp.Mul._from_args(others if coeff is sp.S.One else (coeff, *others), True)


def _pow(expr: sp.Pow) -> dict:
    """∂(bᵉ)/∂b = e·b^(e−1);  ∂(bᵉ)/∂e = bᵉ·log b (0 for b = 0: 0ᵉ = 0 for e > 0)."""
    base, exponent = expr.args
    weights = {}
    if base.free_symbols:
        lowered = exponent - 1
        weights[base] = product(exponent, base if lowered is sp.S.One else base ** lowered)
    if exponent.free_symbols:
        # 0ᵉ = 0 for e > 0 (its derivative there is 0); elsewhere it is 1 or infinite
        weights[exponent] = weights.get(exponent, 0) + (sp.S.Zero if base == 0
                                                        else expr * sp.log(base))
    return weights


def _exp(expr: sp.exp) -> dict:
    """∂exp(u)/∂u = exp(u)."""
    return {expr.args[0]: expr}


def applied(head: type, *args: sp.Expr) -> sp.Expr:
    """``head(*args)``, canonical: without SymPy's eval when every argument is a symbol
    without assumptions (a node's name), where eval would only spend time (assumption
    queries, sin's search for a factor I) to return None."""
    if all(a.is_Symbol and not a._assumptions_orig for a in args):
        return unevaluated(head, *args)
    return head(*args)


def _sin(expr: sp.sin) -> dict:
    """∂sin(u)/∂u = cos(u) (SymPy's fdiff, built without its eval)."""
    return {expr.args[0]: applied(sp.cos, expr.args[0])}


def _cos(expr: sp.cos) -> dict:
    """∂cos(u)/∂u = −sin(u) (SymPy's fdiff, built without its eval)."""
    return {expr.args[0]: -applied(sp.sin, expr.args[0])}


def _tanh(expr: sp.tanh) -> dict:
    """∂tanh(u)/∂u = 1 − tanh(u)² (SymPy's fdiff; for a node's name, built from the node's
    own value without SymPy's eval of tanh(u) again)."""
    u = expr.args[0]
    if u.is_Symbol and not u._assumptions_orig:
        return {u: total(sp.S.One, product(sp.S.NegativeOne, sp.Pow(expr, 2, evaluate=False)))}
    return {u: expr.fdiff(1)}


def _mod(expr: sp.Mod) -> dict:
    """Mod(a, b) = a − b⌊a/b⌋: ∂/∂a = 1, ∂/∂b = −⌊a/b⌋ away from the jumps (a/b an
    integer); convention: the same formulas at them."""
    a, b = expr.args
    weights = {a: sp.S.One} if a.free_symbols else {}
    if b.free_symbols:
        weights[b] = weights.get(b, 0) - sp.floor(a / b)
    return weights


def _abs(expr: sp.Abs) -> dict:
    """∂|u|/∂u = sign(u), for real u; convention: 0 at u = 0 (a subgradient)."""
    return {expr.args[0]: sp.sign(expr.args[0])}


def _sign(expr: sp.sign) -> dict:
    """∂sign(u)/∂u = 0, for u ≠ 0; convention: 0 at u = 0."""
    return {expr.args[0]: sp.S.Zero}


def _step(expr: sp.Expr) -> dict:
    """∂H(u)/∂u = ∂⌊u⌋/∂u = ∂⌈u⌉/∂u = 0 away from the jumps; convention: 0 at them too
    (SymPy would answer DiracDelta(u) for H, infinite at 0). ``Heaviside(u, h0)`` is ``h0``
    at u = 0: its partial in ``h0`` is 1 there and 0 elsewhere."""
    weights = {expr.args[0]: sp.S.Zero} if expr.args[0].free_symbols else {}
    if len(expr.args) == 2 and expr.args[1].free_symbols:  # H(u, h0) is h0 where u = 0
        u, value = expr.args
        weights[value] = weights.get(value, 0) + sp.Piecewise((1, sp.Eq(u, 0)), (0, True))
    return weights


def _real_part(expr: sp.Expr) -> dict:
    """∂re(u)/∂u = ∂conj(u)/∂u = 1 and ∂im(u)/∂u = ∂arg(u)/∂u = 0: every node value is
    real, so re(u) = conj(u) = u, im(u) = 0 and arg(u) is 0 or π, a step at u = 0 (SymPy,
    not knowing u real, leaves them unevaluated)."""
    u = expr.args[0]
    zero = isinstance(expr, (sp.im, sp.arg))
    return {u: sp.S.Zero if zero else sp.S.One} if u.free_symbols else {}


def _extremum(expr: sp.Expr) -> dict:
    """∂max(a₁ … aₙ)/∂aᵢ = [aᵢ attains it] / (number of arguments that attain it), with
    [aᵢ attains it] = H(aᵢ − max of the others, 1), so a Heaviside meets 0 only where the
    maximum is tied (the non-differentiable points).

    For two arguments this is SymPy's Heaviside(aᵢ − aⱼ), with H(0) = 1/2; for more, SymPy's
    own rule would give each of k tied arguments 1/2, which sums to k/2 and is no subgradient.
    ``Min`` is the same with the inequality reversed.
    """
    args = expr.args
    if len(args) == 2:
        return {a: expr.fdiff(k) for k, a in enumerate(args, start=1) if a.free_symbols}
    sign = 1 if expr.func is sp.Max else -1
    attains = [sp.Heaviside(sign * (a - expr.func(*(b for b in args if b != a))), 1)
               for a in args]
    count = sp.Add(*attains)
    return {a: t / count for a, t in zip(args, attains, strict=True) if a.free_symbols}


#: The rule table: SymPy head → rule. Heads not listed use SymPy's ``fdiff``.
RULES: dict[type, Rule] = {
    sp.Add: _add,
    sp.Mul: _mul,
    sp.Pow: _pow,
    sp.exp: _exp,
    sp.sin: _sin,
    sp.cos: _cos,
    sp.tanh: _tanh,
    sp.Abs: _abs,
    sp.sign: _sign,
    sp.Heaviside: _step,
    sp.floor: _step,
    sp.ceiling: _step,
    sp.Max: _extremum,
    sp.Min: _extremum,
    sp.Mod: _mod,
    sp.re: _real_part,
    sp.im: _real_part,
    sp.conjugate: _real_part,
    sp.arg: _real_part,
}


@boundary
def register_rule(head: type, rule: Rule) -> None:
    """Add or replace the rule for a SymPy head. ``rule(expr)`` returns ``{operand: weight}``."""
    if not (isinstance(head, type) and issubclass(head, sp.Basic)) or not callable(rule):
        raise InputError(f"register_rule needs a SymPy class and a function, got {head!r} and "
                         f"{type(rule).__name__}")
    RULES[head] = rule


@boundary
def local_partials(expr: sp.Expr) -> dict[sp.Expr, sp.Expr]:
    """Return ``{operand: ∂expr/∂operand}`` for one node's expression (in node symbols).

    Raises
    ------
    DifferentiationError
        If SymPy knows no derivative for the head of ``expr``.
    """
    if not isinstance(expr, sp.Basic):
        raise InputError(f"local_partials needs a SymPy expression, not {type(expr).__name__}")
    rule = RULES.get(expr.func)
    weights = rule(expr) if rule is not None else _fdiff(expr)
    for operand, weight in weights.items():
        if isinstance(weight, sp.Basic) and weight.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise DifferentiationError(
                f"the derivative of {expr} with respect to {operand} is undefined "
                f"({weight}); rewrite the expression (e.g. 0**x is not differentiable in x)")
    return weights


#: Heads whose rule is SymPy's own derivative: a statement made of these alone is
#: differentiated by ``sp.diff`` (same result, SymPy's usual form).
_SYMPY_RULES = (sp.Add, sp.Mul, sp.Pow, sp.exp, sp.tanh)


def statement_partial(expr: sp.Expr, symbol: sp.Symbol) -> sp.Expr:
    """∂expr/∂symbol for a whole right-hand side (a node of ``nodes="statements"``), by the
    chain rule through the rule table, so its conventions hold there too (∂|u|/∂u = sign(u),
    ∂sign(u)/∂u = ∂H(u)/∂u = 0, the ties of Max and Min) where ``sp.diff`` would answer the
    complex-variable form of |u|′, an unevaluated ``Derivative(sign(u), u)`` or ``DiracDelta``.

    >>> x, y = sp.symbols("x y")
    >>> statement_partial(y*sp.Abs(x), x), statement_partial(y*sp.sign(x), x)
    (y*sign(x), 0)
    """
    special = [head for head in RULES if head not in _SYMPY_RULES]
    if not expr.has(*special):
        return sp.diff(expr, symbol)
    memo: dict = {}

    def partial(e):
        if e == symbol:
            return sp.S.One
        if not isinstance(e, sp.Expr) or symbol not in e.free_symbols or e.is_Symbol:
            return sp.S.Zero
        if e not in memo:
            if _opaque(e):
                memo[e] = sp.diff(e, symbol)
            else:
                memo[e] = sp.Add(*(w * partial(c) for c, w in local_partials(e).items()
                                   if isinstance(c, sp.Basic) and symbol in c.free_symbols))
        return memo[e]

    return partial(expr)


def _fdiff(expr: sp.Expr) -> dict:
    """Local partials from SymPy's own ``fdiff`` (heads without a rule)."""
    try:
        if _opaque(expr):
            return {s: _real_diff(expr, s) for s in operands(expr)}
        weights: dict = {}
        for k, arg in enumerate(expr.args, start=1):
            if arg.free_symbols:
                weights[arg] = weights.get(arg, 0) + _argument_derivative(expr, k)
        return weights
    except (sp.core.function.ArgumentIndexError, NotImplementedError, TypeError, ValueError) as err:
        try:  # SymPy's ArgumentIndexError raised bare cannot print itself
            reason = str(err) or "SymPy knows no derivative"
        except IndexError:
            reason = "SymPy knows no derivative in this argument"
        raise DifferentiationError(
            f"no derivative rule for {type(expr).__name__} in the node {expr}: {reason}; "
            f"register one with symbackslash.register_rule") from None


def _argument_derivative(expr: sp.Expr, k: int) -> sp.Expr:
    """``expr.fdiff(k)``; for an argument SymPy has no derivative in (LambertW's branch
    index k) an unevaluated ``Derivative``, as ``sympy.diff`` answers, when at least one
    other argument has a derivative (else the head has no rule at all)."""
    try:
        return expr.fdiff(k)
    except sp.core.function.ArgumentIndexError:
        if len(expr.args) < 2 or not expr.args[k - 1].is_Symbol:
            raise
        return sp.Derivative(expr, expr.args[k - 1])


def _real_diff(expr: sp.Expr, s) -> sp.Expr:
    """∂expr/∂s for a real variable s (a node's value is real): ``|s|`` inside a
    ``Piecewise`` differentiates to sign(s), as the ``Abs`` rule says, not to SymPy's
    complex derivative (re(s)·d re(s)/ds + …)/s."""
    if not isinstance(s, (sp.Symbol, MatrixElement)) or s.is_real:
        return _steps_flat(sp.diff(_unrolled(expr), s))
    real = sp.Dummy(str(s.name if isinstance(s, sp.Symbol) else "entry"), real=True)
    derivative = sp.diff(_unrolled(expr).xreplace({s: real}), real)
    return _steps_flat(derivative).xreplace({real: s})


def _unrolled(expr: sp.Expr) -> sp.Expr:
    """Mod(a, b) as a − b⌊a/b⌋, which SymPy differentiates (inside an opaque head)."""
    return expr.replace(sp.Mod, lambda a, b: a - b * sp.floor(a / b)) if expr.has(sp.Mod) \
        else expr


#: Heads whose derivative is 0 away from their jumps.
STEPS = (sp.floor, sp.ceiling, sp.sign, sp.Heaviside)


def _steps_flat(derivative: sp.Expr) -> sp.Expr:
    """The conventions of the rule table inside an opaque head: sign, Heaviside, floor and
    ceiling have derivative 0 (SymPy: DiracDelta, or an unevaluated derivative, as for
    sign(u) when SymPy does not know u real)."""
    def step(e) -> bool:
        if isinstance(e, sp.Subs):
            return e.expr == 0 or step(e.expr)
        return isinstance(e, sp.DiracDelta) or (
            isinstance(e, sp.Derivative) and isinstance(e.expr, STEPS)
            and all(a.is_number for a in e.expr.args[1:]))  # not H(u, y) in y: y at u = 0

    return derivative.replace(step, lambda e: sp.S.Zero)


def kink(expr: sp.Expr) -> sp.Basic | None:
    """Where the node ``expr`` (one operation on its operands) is not differentiable, as a
    SymPy condition on its operands; ``None`` for a smooth head.

    >>> u, v = sp.symbols("u v")
    >>> kink(sp.Abs(u)), kink(sp.Max(u, v)), kink(sp.sin(u))
    (Eq(u, 0), Eq(u, v), None)
    """
    head = expr.func
    if head not in NONSMOOTH:
        return None
    if head in (sp.Max, sp.Min):
        return sp.Or(*(sp.Eq(a, b) for a, b in itertools.combinations(expr.args, 2)))
    if head is sp.Piecewise:
        boundaries = [sp.Eq(r.lhs, r.rhs) for _, condition in expr.args
                      for r in condition.atoms(sp.core.relational.Relational)]
        return sp.Or(*boundaries)
    if head in (sp.floor, sp.ceiling):
        return sp.Contains(expr.args[0], sp.Integers)
    if head is sp.Mod:
        return sp.Contains(expr.args[0] / expr.args[1], sp.Integers)
    return sp.Eq(expr.args[0], 0)


def _opaque(expr: sp.Expr) -> bool:
    """A head we do not look inside: not in the table and without argument-wise ``fdiff``."""
    return (expr.func not in RULES and not isinstance(expr, sp.Function)) or any(
        not isinstance(arg, sp.Expr) for arg in expr.args)
