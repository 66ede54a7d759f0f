"""Matrix expressions → the operator DAG (the matrix half of :func:`.graph.build_graph`).

A scalar-valued SymPy expression built from matrices is lowered into the same kind of
graph as a scalar one (see :mod:`.graph` for the attributes), with two kinds of node:

* **matrix-valued** nodes, keyed by ``MatrixSymbol``s: the inputs keep their own, the
  intermediates are ``V1, V2, …`` of the right shape;
* **scalar-valued** nodes, keyed by ``Symbol``s: scalar inputs, ``v1, v2, …`` for
  intermediates such as ``tr(·)``, ``det(·)`` and scalar functions of them, and the
  output ``f``.

The ``weight`` of an edge is the local partial from :mod:`.operator_rules`: an operator
between matrix nodes, a functional G^{T•} from a matrix to a scalar node, an embedding ℰ_G
from a scalar to a matrix node, and a scalar between scalar nodes (:mod:`.rules`).

Supported: ``MatrixSymbol``, ``MatAdd``, ``MatMul`` (with scalar factors), ``Transpose``,
``Inverse``, ``MatPow`` (integer; any power of a 1×1 matrix, a scalar power of its entry),
``HadamardProduct``, ``HadamardPower``, element-wise
functions (``applyfunc``), ``Trace``, ``Determinant``, ``Identity``/``ZeroMatrix``/
``OneMatrix`` and explicit matrices as constants, entries ``A[i, j]``, and scalar
functions of scalar-valued pieces. A 1×1 matrix where a scalar is expected (the result,
or the argument of a scalar function) is read as its only entry, tr(·) of it. SymPy
pushes transposes inwards ((AB + C)ᵀ becomes BᵀAᵀ + Cᵀ); the builder undoes that, so Eᵀ
and E share their nodes.

The builder visits each distinct subexpression once, without recursion, and never walks
an operand again: whether a subexpression is constant, its shape and its transpose are
memoised (:mod:`.walk`, :mod:`.shallow`), so a 100-layer network costs 100 times a layer.

>>> import sympy as sp
>>> from symbackslash import build_graph, node_order
>>> A, X = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("X", 2, 2)
>>> G = build_graph(sp.log(sp.Determinant(A*X)))
>>> [(v, G.nodes[v]["expr"]) for v in node_order(G)]
[(A, None), (X, None), (V1, A*X), (v1, Determinant(V1)), (f, log(v1))]
>>> G.edges[A, sp.MatrixSymbol("V1", 2, 2)]["weight"]
R_X
"""

from __future__ import annotations

import itertools

import networkx as nx
import sympy as sp
from sympy.matrices.exceptions import ShapeError
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from ..core.constructors import elementwise, matrix_symbol, shape
from ..core.limits import check_limit
from ..core.shapes import shapes_differ
from ..core.tidy import fold_transposes
from ..core.walk import depends, rebuild, substitute, symbols
from ..errors import GraphError, InputError
from ..rules.matrix import MATRIX_RULES, matrix_children, matrix_partials, split_coefficient
from ..rules.scalar import children as scalar_children
from ..rules.scalar import local_partials

__all__ = ["has_matrices", "lower_matrix_expressions"]

#: The variable of every element-wise function, so equal functions compare equal.
ELEMENT = sp.Dummy("z")


def has_matrices(expr) -> bool:
    """Whether a SymPy expression contains matrices (and needs the operator graph).

    The walk visits each distinct subexpression once and uses no recursion, so deep or
    heavily shared expressions (a sin-chain's tree is exponential in its depth) cost
    their number of distinct nodes.
    """
    if not isinstance(expr, sp.Basic):
        return False
    seen, stack = set(), [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, sp.MatrixExpr):
            return True
        for arg in e.args:
            if arg not in seen:
                seen.add(arg)
                stack.append(arg)
    return False


def lower_matrix_expressions(exprs: list, names: list[str]) -> tuple:
    """Lower scalar-valued matrix expressions into a DAG.

    Returns ``(G, order, outputs)``: the graph (nodes with ``expr`` and ``kind``, edges
    with ``weight``), its non-input nodes in creation order and the output keys; the caller
    (:func:`.graph.build_graph`) numbers the nodes.
    """
    found = symbols(exprs)
    reserved = {s.name for s in found} | set(names)
    dims = set().union(*(sp.sympify(n).free_symbols for M in found
                         if isinstance(M, sp.MatrixSymbol) for n in M.shape))
    builder = _MatrixBuilder(reserved, dims)
    outputs = [builder.lower(_scalar_root(e, name), sp.Symbol(name))
               for e, name in zip(exprs, names, strict=True)]
    builder.G.graph["sizes"] = sorted(dims, key=sp.default_sort_key)  # not variables
    return builder.G, builder.order, outputs


def _scalar_root(e, name: str):
    if isinstance(e, sp.MatrixExpr):
        rows, cols = shape(e)
        if (rows, cols) == (1, 1):
            return sp.Trace(e)
        raise InputError(f"{name} = {e} is a {rows} × {cols} matrix; a gradient needs a "
                         f"scalar: take Trace(...), a determinant, or a 1×1 product (jacobian "
                         f"differentiates a list of scalar expressions, not a matrix one)")
    return e


class _MatrixBuilder:
    """Lowers expressions into matrix and scalar nodes, sharing identical subexpressions."""

    def __init__(self, reserved: set[str], dims: set):
        self.G = nx.DiGraph()
        self.memo: dict = {}          # expression → node key
        self.constant: set = set()
        self.variable: dict = {}      # expression → whether it depends on an input
        self.order: list = []
        self.reserved, self.dims = set(reserved), dims
        self.counters = {"v": 0, "V": 0}

    def fresh(self, e) -> sp.Symbol | sp.MatrixSymbol:
        stem = "V" if isinstance(e, sp.MatrixExpr) else "v"
        while True:
            self.counters[stem] += 1
            name = f"{stem}{self.counters[stem]}"
            if name not in self.reserved:
                self.reserved.add(name)
                return matrix_symbol(name, *shape(e)) if stem == "V" else sp.Symbol(name)

    def lower(self, root, name: sp.Symbol):
        """Lower ``root``; its node is called ``name``."""
        stack = [(root, "visit")]
        while stack:
            e, stage = stack.pop()
            if e in self.memo or e in self.constant:
                continue
            if stage == "create":
                self._create(e, name if e is root else None)
            elif stage == "alias":
                self.memo[e] = self.memo[self._canonical(e)]
            elif isinstance(e, (sp.Symbol, sp.MatrixSymbol)) and e not in self.dims:
                self.G.add_node(e, expr=None, kind="input")
                self.memo[e] = e
            elif not depends(e, self.variable, self.dims):
                self.constant.add(e)
            elif (canonical := self._canonical(e)) != e:
                stack += [(e, "alias"), (canonical, "visit")]
            else:
                stack.append((e, "create"))
                stack.extend((c, "visit") for c in reversed(self._children(e)[1]))
        key = self.memo.get(root, root)
        if key == name:
            return name
        self._add_node(name, key, {key: sp.S.One} if key in self.G else {})
        return name

    def _canonical(self, e):
        """The form of ``e`` to lower: element-wise functions over the common variable
        :data:`ELEMENT` (the identity function is no node at all); Uᵀ for an expression
        with fewer transposes inside as U (see :func:`~symbackslash.core.tidy.fold_transposes`);
        a 1×1 matrix to a non-integer power is the scalar power of its only entry, tr(B)ᵖ."""
        if isinstance(e, ElementwiseApplyFunction):
            (z,), body = e.function.variables, e.function.expr
            if body == z:
                return e.expr
            if z != ELEMENT:
                return elementwise(sp.Lambda(ELEMENT, body.xreplace({z: ELEMENT})), e.expr)
        if isinstance(e, sp.Trace) and _scalar_power(e.arg):
            return sp.Pow(sp.Trace(e.arg.base), e.arg.exp)
        if _scalar_power(e):
            return sp.MatMul(sp.Pow(sp.Trace(e.base), e.exp), sp.Identity(1))
        return fold_transposes(e) if isinstance(e, sp.MatrixExpr) else e

    def _children(self, e) -> tuple[list, list]:
        """The raw children of ``e`` and what is lowered for each (a 1×1 matrix in a scalar
        position becomes its trace)."""
        if type(e) in MATRIX_RULES:
            raw = matrix_children(e)
            return raw, raw
        if isinstance(e, sp.MatrixExpr):
            supported = ", ".join(sorted(t.__name__ for t in MATRIX_RULES))
            raise InputError(f"the matrix operation {type(e).__name__} in {e} is not supported; "
                             f"the supported ones are: {supported}")
        raw = scalar_children(e)
        return raw, [self._as_scalar(c, e) for c in raw]

    def _as_scalar(self, c, parent):
        if not isinstance(c, sp.MatrixExpr):
            return c
        rows, cols = shape(c)
        if (rows, cols) == (1, 1):
            return sp.Trace(c)
        raise InputError(f"the {rows} × {cols} matrix {c} stands where a scalar is "
                         f"expected (in {parent}); take Trace(...) or a 1×1 product")

    def _create(self, e, name) -> None:
        raw, lowered = self._children(e)
        mapped = {r: self.memo[c] for r, c in zip(raw, lowered, strict=True)
                  if c in self.memo}
        if type(e) in MATRIX_RULES:
            _check_shapes(e)
        try:
            expr = _one_level(e, mapped) if mapped else e
            weights = matrix_partials(expr) if type(e) in MATRIX_RULES else local_partials(expr)
        except ShapeError as err:
            raise GraphError(f"the shapes in {e} do not fit: {err}") from None
        key = name if name is not None else self.fresh(e)
        lost = [u for u in weights if u not in self.G and depends(u, self.variable, self.dims)]
        if lost:  # an operand that is no node: its derivative would be lost
            raise GraphError(f"internal: operand {lost[0]} of {key} = {expr} is not a node")
        self._add_node(key, expr, {u: w for u, w in weights.items() if u in self.G})
        self.memo[e] = key

    def _add_node(self, key, expr, weights: dict) -> None:
        check_limit("max_nodes", len(self.G) + 1, "number of graph nodes")
        self.G.add_node(key, expr=expr, kind="intermediate")
        for u, w in weights.items():
            self.G.add_edge(u, key, weight=w)
        self.order.append(key)


def _scalar_power(e) -> bool:
    """A 1×1 matrix to a power that is not a constant integer (a scalar power)."""
    return isinstance(e, sp.MatPow) and not e.exp.is_Integer and shape(e) == (1, 1)


def _one_level(e, mapped: dict):
    """``e`` with each lowered child replaced by its node key. A sum's term ``c·t`` keeps its
    numeric coefficient around the node of ``t`` (the child is ``t``, which the flattened
    ``c·t`` does not contain as a subtree, so a plain substitution would miss it)."""
    if isinstance(e, sp.MatAdd):
        terms = (split_coefficient(t) for t in e.args)
        return sp.MatAdd(*(c * mapped.get(t, t) if c != 1 else mapped.get(t, t)
                           for c, t in terms))
    if e.is_Add:
        terms = (t.as_coeff_Mul() for t in e.args)
        return sp.Add(*(c * mapped.get(t, substitute(t, mapped)) for c, t in terms))
    if len({a for a in e.args if a in mapped}) == len(mapped):  # all children are operands
        return rebuild(e, [mapped.get(a, a) for a in e.args])
    return substitute(e, mapped)


def _check_shapes(e) -> None:
    """Shapes SymPy did not check (symbolic sizes, unevaluated constructions)."""
    args = [a for a in e.args if isinstance(a, sp.MatrixExpr)]
    shapes = [shape(a) for a in args]
    if isinstance(e, (sp.MatAdd, sp.HadamardProduct)):
        bad = [s for s in shapes if shapes_differ(s, shapes[0])]
    elif isinstance(e, sp.MatMul):
        bad = [t for s, t in itertools.pairwise(shapes) if shapes_differ(s[1:], t[:1])]
    elif isinstance(e, (sp.Trace, sp.Determinant, sp.Inverse, sp.MatPow)):
        bad = [s for s in shapes[:1] if shapes_differ(s[:1], s[1:])]
    else:
        bad = []
    if bad:
        shapes = ", ".join(f"{a}: {s[0]} × {s[1]}" for a, s in zip(args, shapes, strict=True))
        raise GraphError(f"the shapes in {e} do not fit ({shapes})")
