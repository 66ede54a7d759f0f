"""DAG walks: each shared object once, no recursion, results equal to SymPy's tree walks."""

import pytest
import sympy as sp

from symbackslash.core.walk import (
    IdentityMemo,
    bottom_up,
    depends,
    postorder,
    substitute,
    symbols,
    tree_size,
)

x, y, s = sp.symbols("x y s")
t = sp.Symbol("t_doubling")
X = sp.MatrixSymbol("X", 2, 2)
n = sp.Symbol("n")
f = sp.Function("f")


def doubling(depth: int) -> sp.Expr:
    """e_{k+1} = sin(e_k) + cos(e_k): a DAG of 3·depth + 1 nodes, a tree of ~2^depth.

    Built on a symbol of its own: other tests build the same chain on x, and SymPy's cache
    compares a rebuilt deep expression with the cached one as a tree (exponential time)."""
    e = t
    for _ in range(depth):
        e = sp.sin(e) + sp.cos(e)
    return e


SMALL = [
    sp.sin(x * y) + x, x**2 * sp.exp(y), sp.Trace(X.T * X) + s, sp.Lambda(x, x + y)(s),
    X.applyfunc(sp.Lambda(x, x * y)), sp.Sum(x * y, (x, 1, 3)) + y, sp.Integer(3),
]


@pytest.mark.parametrize("expr", SMALL, ids=str)
def test_walks_agree_with_sympy_on_small_expressions(expr):
    assert symbols(expr) == expr.free_symbols
    assert depends(expr) == bool(expr.free_symbols)
    assert substitute(expr, {y: x + 1}) == expr.xreplace({y: x + 1})


def test_tree_size_counts_every_use():
    e = sp.sin(x) * sp.cos(x) + sp.sin(x)
    assert tree_size(e) == sum(1 for _ in sp.preorder_traversal(e))
    assert tree_size(X.applyfunc(sp.Lambda(x, x * y))) == 3  # the Lambda and X are leaves


def test_shared_subexpressions_are_visited_once(default_recursion_limit):
    e = doubling(60)
    assert len(postorder(e)) == 3 * 60 + 1
    assert tree_size(e) > 2**60
    assert symbols(e) == {t} and depends(e) and not depends(e, ignore={t})
    assert symbols(substitute(e, {t: y})) == {y}


def test_deep_chains_work_at_the_default_recursion_limit(default_recursion_limit):
    e = x
    for k in range(3000):
        e = f(e, k)
    assert len(postorder(e)) == 2 * 3000 + 1
    assert tree_size(e) == 2 * 3000 + 1
    assert symbols(substitute(e, {x: y})) == {y}


def test_bound_variables_and_sizes():
    assert symbols(X.applyfunc(sp.Lambda(x, x * s))) == {X, s}
    assert symbols(sp.MatrixSymbol("A", n, n)) == {sp.MatrixSymbol("A", n, n)}
    assert not depends(sp.Identity(n), ignore={n})


def test_bottom_up_shares_its_memo_between_roots():
    seen = []

    def rule(e):
        seen.append(e)
        return e

    memo: dict = {}
    shared = sp.sin(x * y)
    bottom_up(shared + 1, rule, memo)
    count = len(seen)
    bottom_up(shared * 2, rule, memo)
    assert shared in memo and len(seen) == count + 2  # only the 2 and the new product


def test_identity_memo_tells_equal_objects_apart():
    a, b = sp.Tuple(x, y), sp.Tuple(x, y)
    memo = IdentityMemo()
    memo[a] = 1
    assert a in memo and b not in memo and a == b
    assert memo.setdefault(a, 2) == 1 and len(memo) == 1
    memo.clear()
    assert len(memo) == 0
