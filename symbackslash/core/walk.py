"""Walking SymPy expressions as DAGs: each distinct subexpression once, without recursion.

A SymPy expression is a tree of shared objects. The value of a deep computation (an
N-layer network, a recurrence) reuses each layer's object wherever later layers use it, so
as a *DAG* its size is linear in the depth, while as a *tree* (what ``xreplace``,
``has``, ``free_symbols``, ``doit`` and the printers walk) it can be quadratic or
exponential, and it is as deep as the computation (Python's recursion limit).

The walks here visit each distinct subexpression once, with an explicit stack, and keep
their results in a memo that the caller may share between several roots (the entries of a
gradient share most of their subexpressions).

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> e = x
>>> for _ in range(60):
...     e = sp.sin(e) + sp.cos(e)     # e occurs twice in the next layer
>>> tree_size(e) > 10**18, len(postorder(e)) < 300, symbols(e)
(True, True, {x})
>>> substitute(sp.sin(x) + sp.cos(x), {sp.sin(x): x})
x + cos(x)
"""

from __future__ import annotations

from collections.abc import Callable, Container

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

__all__ = ["postorder", "fold", "bottom_up", "rebuild", "substitute", "symbols", "depends",
           "tree_size", "is_leaf", "binds", "IdentityMemo", "name_of"]


def _args(e) -> tuple:
    return e.args


def binds(e) -> bool:
    """Whether ``e`` binds variables (a ``Lambda``, a ``Sum``, a ``Derivative`` …): its
    arguments are not its free symbols."""
    return isinstance(e, (sp.Lambda, sp.Derivative)) or bool(getattr(e, "bound_symbols", ()))


def is_leaf(e) -> bool:
    """Atoms, matrix symbols (their arguments are a name and sizes) and expressions that
    bind variables (:func:`binds`) are not walked into."""
    return not e.args or isinstance(e, sp.MatrixSymbol) or binds(e)


def postorder(roots, children: Callable = _args, *, known: Container = ()) -> list:
    """The subexpressions of ``roots`` (one expression or a list), each shared object once,
    children before parents; a subexpression in ``known`` is neither listed nor walked
    into. Objects are told apart by identity: comparing two equal but distinct deep
    expressions would make SymPy walk both, recursively."""
    roots = list(roots) if isinstance(roots, (list, tuple)) else [roots]
    order: list = []
    seen: set = set()
    stack = [(r, False) for r in reversed(roots)]
    while stack:
        e, ready = stack.pop()
        if ready:
            order.append(e)
            continue
        if id(e) in seen or e in known:
            continue
        seen.add(id(e))
        stack.append((e, True))
        stack.extend((c, False) for c in reversed(children(e)) if id(c) not in seen)
    return order


class IdentityMemo:
    """A memo keyed by object identity, for caches kept across calls: an expression equal
    to a cached one but built separately is a new key, never compared with it (SymPy
    compares deep expressions recursively). The cached objects are kept alive with their
    results."""

    def __init__(self):
        self._entries: dict = {}

    def __contains__(self, e) -> bool:
        return id(e) in self._entries

    def __getitem__(self, e):
        return self._entries[id(e)][1]

    def __setitem__(self, e, value) -> None:
        self._entries[id(e)] = (e, value)

    def __len__(self) -> int:
        return len(self._entries)

    def setdefault(self, e, value):
        return self._entries.setdefault(id(e), (e, value))[1]

    def clear(self) -> None:
        self._entries.clear()


def fold(root, combine: Callable, memo: dict, children: Callable = _args):
    """``memo[e] = combine(e, [memo[c] for c in children(e)])`` for every distinct
    subexpression of ``root`` not in ``memo`` yet, children first; returns ``memo[root]``."""
    if root in memo:
        return memo[root]
    for e in postorder(root, children, known=memo):
        memo[e] = combine(e, [memo[c] for c in children(e)])
    return memo[root]


def _walked(e) -> tuple:
    return () if is_leaf(e) else e.args


#: Heads whose constructors only check their operands' shapes, which SymPy finds by walking
#: down the operands: rebuilt from operands of the same shapes, they are made directly.
UNCHECKED = (sp.MatMul, sp.MatAdd, sp.HadamardProduct, sp.HadamardPower, sp.MatPow,
             sp.Transpose, ElementwiseApplyFunction, sp.Trace, sp.Determinant)


def rebuild(e, args):
    """``e.func(*args)``, as ``xreplace`` rebuilds (matrix heads: without the shape checks,
    see :data:`UNCHECKED`). The result is hashed at once, while its operands' hashes are
    known: SymPy computes a hash on first use, recursively through every operand."""
    result = sp.Basic.__new__(type(e), *args) if isinstance(e, UNCHECKED) else e.func(*args)
    hash(result)
    return result


def bottom_up(root, rule: Callable, memo: dict | None = None):
    """``rule`` applied to every distinct subexpression, children first.

    Each subexpression is rebuilt from its children's results (:func:`rebuild`, only
    where a child changed) and passed to ``rule``; the root's result
    is returned. ``memo`` maps subexpressions to results already known (it is filled in, so
    several roots can share it). Leaves (:func:`is_leaf`) go to ``rule`` as they are, but
    for the free symbols of an expression that binds variables, which the memo replaces.
    """
    memo = {} if memo is None else memo

    def combine(e, args):
        if args and any(a is not b for a, b in zip(args, e.args, strict=True)):
            e = rebuild(e, args)
        elif e.args and binds(e):  # its free symbols, where the memo replaces them
            changed = {s: memo[s] for s in e.free_symbols if s in memo and memo[s] is not s}
            e = _replace_free(e, changed) if changed else e
        return rule(e)

    return fold(root, combine, memo, _walked)


def _replace_free(e, changed: dict):
    """``e`` with free symbols replaced. A derivative whose variable is replaced by an
    expression, or whose variable appears in a replacement, becomes SymPy's ``Subs`` form:
    ∂f(x, v)/∂v at v = x² is ``Subs(Derivative(f(x, ξ), ξ), ξ, x**2)``, never the total
    derivative d f(x, x²)/dx."""
    if not isinstance(e, sp.Derivative):
        return e.xreplace(changed)
    variables = e.variables
    inside = set().union(*(sp.sympify(changed[s]).free_symbols
                           for s in e.free_symbols if s in changed))
    if not (set(variables) & (set(changed) | inside)):
        return e.xreplace(changed)
    dummies = {v: sp.Dummy(v.name) for v in dict.fromkeys(variables)}
    body = sp.Derivative(e.expr.xreplace(dummies),
                         *((dummies[v], n) for v, n in e.variable_count))
    points = [changed.get(v, v) for v in dummies]
    rest = body.xreplace(changed)
    others = rest.free_symbols
    if all(p.is_Symbol for p in points) and len(set(points)) == len(points) \
            and not set(points) & others:
        return rest.xreplace(dict(zip(dummies.values(), points, strict=True)))
    return sp.Subs(rest, list(dummies.values()), points)


def _unchanged(e):
    return e


def substitute(expr, mapping: dict, memo: dict | None = None):
    """``expr.xreplace(mapping)`` computed on the DAG (each distinct subexpression once).

    ``memo``, if given, must hold ``mapping`` already; it collects the results so several
    expressions can be substituted in shared work.
    """
    if not isinstance(expr, sp.Basic):
        return expr
    return bottom_up(expr, _unchanged, dict(mapping) if memo is None else memo)


def name_of(symbol) -> str:
    """The printed name of a symbol or matrix symbol (``str``), read from ``.name`` where
    that is what SymPy prints, without the printer."""
    if type(symbol) in (sp.Symbol, sp.MatrixSymbol):
        return symbol.name
    return str(symbol)


def symbols(expr) -> set:
    """The free ``Symbol``s and ``MatrixSymbol``s of ``expr``: its ``free_symbols``, found
    without walking the tree (an expression that binds variables tells its own)."""
    found: set = set()
    stack = list(expr) if isinstance(expr, (list, tuple)) else [expr]
    seen = {id(e) for e in stack}
    while stack:  # each distinct subexpression once, in no particular order
        e = stack.pop()
        if isinstance(e, (sp.Symbol, sp.MatrixSymbol)):
            found.add(e)
        elif e.args and binds(e):
            found |= e.free_symbols
        else:
            for a in e.args:
                if id(a) not in seen:
                    seen.add(id(a))
                    stack.append(a)
    return found


def depends(expr, memo: dict | None = None, ignore: Container = ()) -> bool:
    """Whether ``expr`` has a free symbol (a ``Symbol`` or ``MatrixSymbol``) outside
    ``ignore``, each distinct subexpression decided once (``memo`` shares the answers)."""
    def combine(e, dependent: list) -> bool:
        if isinstance(e, (sp.Symbol, sp.MatrixSymbol)):
            return e not in ignore
        if e.args and binds(e):
            return any(s not in ignore for s in e.free_symbols)
        return any(dependent)

    return fold(expr, combine, {} if memo is None else memo, _walked)


def tree_size(expr, memo: dict | None = None) -> int:
    """The number of nodes of ``expr`` as a tree, a shared subexpression counted at every
    use: what printing it or a tree walk costs (it may be astronomically large)."""
    return fold(expr, lambda e, sizes: 1 + sum(sizes), {} if memo is None else memo, _walked)
