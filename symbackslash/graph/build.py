"""Expression or program → computational graph (a :class:`networkx.DiGraph`).

The second stage of the data flow. :func:`build_graph` turns a SymPy expression, an
expression or program given as text, a :class:`~symbackslash.Program`, or a list of
outputs into a DAG whose edges carry the local partials (docs/mathematics.md, the graph and L).

The graph is plain, documented data:

Graph attributes (``G.graph``)
    ``inputs``   list of input node keys, in node order;
    ``outputs``  list of output node keys (one for a gradient, several for a Jacobian);
    ``source``   what the graph was built from (expression, :class:`Program` or list).

Nodes are keyed by SymPy symbols: inputs keep their own symbols; program variables keep
their names; other intermediates are ``v1, v2, …``; an expression's output is ``f`` (or
``f_1, f_2, …`` for several). Expressions with matrices (:mod:`.matrix_graph`) add
matrix-valued nodes keyed by ``MatrixSymbol``s (intermediates ``V1, V2, …``), whose edge
weights are linear operators (:mod:`.operators`). Node attributes:

    ``expr``   the node's defining expression in terms of its predecessors' symbols
               (``None`` for inputs);
    ``kind``   ``"input"``, ``"intermediate"`` or ``"output"``;
    ``index``  1-based position in a deterministic topological order: inputs first (sorted
               by name), then the other nodes in the order they are computed; a single
               output is last.
    ``note``   (only on nodes unrolled from a loop) the iteration, e.g. ``"i = 2"``.

Edge attributes, for the edge ``u → v``:

    ``weight`` the local partial ∂v/∂u, in node symbols (every other operand held fixed).

Identical subexpressions are one node (a DAG, not a tree); constants live inside node
expressions and weights, never as nodes. SymPy flattens sums and products as it builds them
(``sin(x*y)*x*y`` is one three-factor product); the builder recovers such hidden sharing by
reusing an existing product or sum node whose operands are a subset of a new one.

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> from symbackslash import node_order
>>> G = build_graph(sp.sin(x*y) + x*y)
>>> for v in node_order(G):
...     print(v, G.nodes[v]["expr"], G.nodes[v]["kind"])
x None input
y None input
v1 x*y intermediate
v2 sin(v1) intermediate
f v1 + v2 output
>>> G.edges[sp.Symbol("v1"), sp.Symbol("v2")]["weight"]
cos(v1)
"""

from __future__ import annotations

import networkx as nx
import sympy as sp
from sympy.core.function import AppliedUndef

from ..core.limits import check_expression, check_limit, symbols
from ..core.scalars import product, total
from ..core.walk import bottom_up, name_of
from ..errors import GraphError, InputError, boundary
from ..parse.parser import Program, parse
from ..parse.trace import is_traceable, trace_outputs
from ..rules.scalar import applied, children, local_partials, statement_partial
from .check import check_graph
from .matrix import lower_matrix_expressions
from .sharing import SharingIndex, coefficients, split_flat

__all__ = ["build_graph"]


@boundary
def build_graph(f, *, outputs=None, nodes: str = "operations") -> nx.DiGraph:
    """Build the computational graph of ``f``.

    Parameters
    ----------
    f : sympy.Expr, str, Program, Python function, networkx.DiGraph or list
        An expression, text holding an expression or a program (loops, ``def``, …: see
        :mod:`~symbackslash.parse.statements`), a parsed :class:`Program`, a Python function
        (traced once on symbolic values, :mod:`~symbackslash.parse.trace`; a tuple it returns
        gives several outputs), a list of expressions (or expression texts) for several outputs,
        or a graph already built (checked and returned as is).
    outputs : list of str or Symbol, optional
        For a program: the names whose values are the outputs (default: the last assignment).
    nodes : {"operations", "statements"}
        ``"operations"`` (default): one node per distinct operation. ``"statements"``: one node
        per program assignment (or per output expression), its weights the partials of the
        whole right-hand side, as in the paper's layer-by-layer view of an MLP.

    Returns
    -------
    networkx.DiGraph
        See the module docstring for its attributes.

    Raises
    ------
    ParseError, GraphError, InputError, DifferentiationError, ResourceLimitError
    """
    if isinstance(f, nx.Graph):
        if outputs is not None:
            raise InputError("outputs= is for programs; a graph already names its outputs")
        return check_graph(f)
    if nodes not in ("operations", "statements"):
        raise InputError(f"nodes must be 'operations' or 'statements', not {nodes!r}")
    coarse = nodes == "statements"
    if isinstance(f, str):
        f = parse(f)
    elif is_traceable(f):
        f, traced = trace_outputs(f)
        outputs = traced if outputs is None else outputs
    if isinstance(f, Program):
        for name, expr in f.assignments:
            check_expression(expr, f"the assignment to {name}", depth=False)
        return _from_program(f, outputs, coarse)
    if outputs is not None:
        raise InputError("outputs= selects program variables; it is not used with expressions")
    if isinstance(f, (list, tuple)):
        if not f:
            raise InputError("an empty list of outputs; give at least one expression")
        exprs = [parse_item(item, k) for k, item in enumerate(f)]
        return _from_expressions(exprs, list(f), coarse)
    return _from_expressions([_expression(f, "f")], f, coarse)


def output_names(exprs: list, taken: set) -> list[str]:
    """The output nodes' names: ``f``, or ``f_1, f_2, …`` for several; when an input or a
    function of the expressions already has such a name (``taken``: the names of their
    symbols and undefined functions, from :func:`_survey`), the next free stem of
    ``f, g, h, out`` (an input called ``f`` is not the output)."""
    for stem in ("f", "g", "h", "out"):
        names = [stem] if len(exprs) == 1 else [f"{stem}_{k}" for k in range(1, len(exprs) + 1)]
        if not taken & set(names):
            return names
    raise InputError("the inputs already use the names f, g, h and out; rename one of them")


def parse_item(item, position: int) -> sp.Expr:
    """One output of a list: an expression or the text of one."""
    if isinstance(item, str):
        result = parse(item)
        if isinstance(result, Program):
            raise InputError(f"output {position} of the list is a program; a list holds "
                             f"expressions (for a program, pass it alone with outputs=[...])")
        return result
    return _expression(item, f"output {position}")


def _expression(f, what: str) -> sp.Expr:
    if isinstance(f, (int, float)) and not isinstance(f, bool):
        return sp.sympify(f, strict=True)  # a Python number, never text
    if not isinstance(f, sp.Expr):
        raise InputError(f"{what} must be a SymPy expression, a text or a Program, "
                         f"not {type(f).__name__}")
    check_expression(f, what, depth=False)
    return f


# --------------------------------------------------------------------------- building


class _Builder:
    """Lowers expressions into nodes, sharing identical subexpressions (iteratively)."""

    def __init__(self, reserved: set[str]):
        self.G = nx.DiGraph()
        self.memo: dict[sp.Expr, sp.Symbol] = {}    # expression → node key
        self.constant: set[sp.Expr] = set()         # sub-expressions without symbols
        self.order: list[sp.Symbol] = []            # non-input nodes in creation order
        self.reserved = set(reserved)
        self.counter = 0
        self.sharing = SharingIndex()               # recovers sharing hidden by flattening
        self.split: dict = {}                       # sum term → (coefficient, rest)

    # names ---------------------------------------------------------------
    def fresh(self, stem: str = "v") -> sp.Symbol:
        while True:
            self.counter += 1
            name = f"{stem}{self.counter}"
            if name not in self.reserved:
                self.reserved.add(name)
                return sp.Symbol(name)

    def is_constant(self, e: sp.Expr) -> bool:
        return e in self.constant

    # nodes ---------------------------------------------------------------
    def add_input(self, symbol: sp.Symbol) -> None:
        if symbol not in self.G:
            self.G.add_node(symbol, expr=None, kind="input")
            self.memo[symbol] = symbol

    def add_statement(self, expr: sp.Expr, name: sp.Symbol) -> sp.Symbol:
        """One node for a whole right-hand side; its weights are the partials of ``expr``."""
        for s in sorted(_symbols(expr), key=_name_key):
            if s not in self.memo:
                self.add_input(s)
        weights = {s: statement_partial(expr, s)
                   for s in sorted(_symbols(expr) & set(self.G), key=_name_key)}
        self._new_node(name, expr, weights)
        return name

    def add(self, root: sp.Expr, name: sp.Symbol | None = None) -> sp.Symbol | sp.Expr:
        """Lower ``root``; return its node key. ``name`` names a node created for the root,
        or an alias node when the root is an input, a constant or an existing node."""
        # (expression, None on the way down; (children, coefficients) once they are pushed)
        stack = [(root, None)]
        while stack:
            e, split = stack.pop()
            if e in self.memo or e in self.constant:
                continue
            if split is None:
                if e.is_Symbol:
                    self.add_input(e)
                elif not e.args:
                    self.constant.add(e)  # numbers, pi, E, …
                elif isinstance(e, (sp.Indexed, sp.IndexedBase)):
                    raise InputError(f"the indexed object {e} is not supported (it counts "
                                     f"itself among its own variables); use a symbol such as "
                                     f"{_plain_name(e)} instead")
                elif isinstance(e, sp.MatrixExpr):
                    raise InputError(f"the matrix {e} appears in a program or statement; give "
                                     f"matrix expressions to build_graph as expressions")
                else:
                    parts = coefficients(e, self.split)  # terms split once
                    kids = (children(e) if parts is None
                            else [t for _, t in parts] if e.is_Add else list(parts[1]))
                    stack.append((e, (kids, parts)))
                    stack.extend((c, None) for c in reversed(kids))
                continue
            kids, parts = split
            if all(c in self.constant for c in kids):
                self.constant.add(e)
            else:
                self._create(e, kids, parts, name if e is root else None)
        if root in self.memo and (name is None or self.memo[root] == name):
            return self.memo[root]
        if name is None:
            return root  # a constant
        # alias: the named value is an input, a constant or a node that already exists
        target = self.memo.get(root, root)
        self._new_node(name, target, {target: sp.S.One} if target in self.G else {})
        return name

    def _create(self, e: sp.Expr, kids: list, parts, name: sp.Symbol | None) -> None:
        ops = [c for c in dict.fromkeys(kids) if c not in self.constant]
        mapped = {o: self.memo[o] for o in ops}
        flat = split_flat(e, mapped, parts)
        expr = (flat and self.sharing.rewrite(*flat)) or _rebuild(e, mapped, parts)
        key = name if name is not None else self.fresh()
        self._new_node(key, expr, local_partials(expr))
        if flat:
            self.sharing.register(key, *flat)
        self.memo[e] = key

    def _new_node(self, key: sp.Symbol, expr, weights: dict) -> None:
        check_limit("max_nodes", len(self.G) + 1, "number of graph nodes")
        self.G.add_node(key, expr=expr, kind="intermediate")
        for pred, weight in weights.items():
            if pred not in self.G:
                raise GraphError(f"internal: operand {pred} of {key} = {expr} is not a node")
            self.G.add_edge(pred, key, weight=weight)
        self.order.append(key)

    def finish(self, outputs: list[sp.Symbol], source) -> nx.DiGraph:
        return _finish(self.G, self.order, outputs, source)


def _plain_name(e: sp.Basic) -> str:
    """A symbol's name for an indexed object: ``A[1, j]`` → ``A_1_j``."""
    if isinstance(e, sp.Indexed):
        return "_".join([str(e.base)] + [str(i) for i in e.indices])
    return str(e)


def _finish(G: nx.DiGraph, order: list, outputs: list, source, first=()) -> nx.DiGraph:
    """Number the nodes (inputs first: those of ``first`` in its order, a program's inputs or
    a def's parameters, then the others sorted by name), mark the outputs, set graph
    attributes."""
    inputs = [v for v in first if v in G and G.nodes[v]["kind"] == "input"]
    given = set(inputs)
    inputs += sorted((v for v in G if G.nodes[v]["kind"] == "input" and v not in given),
                     key=_name_key)
    for k, v in enumerate(inputs + order, start=1):
        G.nodes[v]["index"] = k
    for v in outputs:
        if G.nodes[v]["kind"] != "input":
            G.nodes[v]["kind"] = "output"
    G.graph.update(inputs=inputs, outputs=list(outputs), source=source)
    return G


def _rebuild(e: sp.Expr, mapped: dict, parts=None) -> sp.Expr:
    """``e`` with each operand replaced by its node symbol (one level deep); ``parts`` are
    :func:`~.sharing.coefficients`'s of a sum or product."""
    if e.is_Add:
        return total(*(product(c, mapped.get(t, t)) for c, t in parts or coefficients(e)))
    if e.is_Mul:
        coeff, factors = parts or coefficients(e)
        return product(coeff, *(mapped.get(a, a) for a in factors))
    if set(children(e)) - set(e.args):  # opaque head: depends on its free symbols
        return e.xreplace(mapped)
    args = [mapped.get(a, a) for a in e.args]
    if isinstance(e, sp.Function):
        return applied(e.func, *args)  # of node symbols: canonical without SymPy's eval
    return e.func(*args)


def _name_key(symbol) -> tuple:
    return (name_of(symbol), sp.srepr(symbol))


def _survey(exprs: list) -> tuple[set, set, bool, bool]:
    """``(symbol names, undefined function names, any matrix?, any unevaluated product?)``
    of ``exprs``, in one walk without recursion that visits each object once (shared
    subexpressions are not walked again). An unevaluated product repeats a factor (``x*x``
    made with ``evaluate=False``), which SymPy would have made a power."""
    names, functions, matrices, unevaluated = set(), set(), False, False
    stack = list(exprs)
    seen = {id(e) for e in stack}
    while stack:
        e = stack.pop()
        if e.is_Symbol:
            names.add(e.name)
        elif isinstance(e, AppliedUndef):
            functions.add(str(e.func))
        elif isinstance(e, sp.MatrixExpr):
            matrices = True
        elif not unevaluated:
            unevaluated = _repeats_a_factor(e)
        for a in e.args:
            if id(a) not in seen:
                seen.add(id(a))
                stack.append(a)
    return names, functions, matrices, unevaluated


def _evaluated(e: sp.Expr) -> sp.Expr:
    """``e`` with every product that repeats a factor evaluated (``x*x`` → ``x**2``), and
    what contains one made again: a node's operands must be the nodes of its children."""
    return bottom_up(e, lambda s: s.func(*s.args) if _repeats_a_factor(s) else s)


def _repeats_a_factor(e) -> bool:
    """A scalar product with a factor twice (A·B·A is a matrix product, as it should be)."""
    return e.is_Mul and not isinstance(e, sp.MatrixExpr) and len(set(e.args)) < len(e.args)


def _from_expressions(exprs: list[sp.Expr], source, coarse: bool) -> nx.DiGraph:
    reserved, functions, matrices, unevaluated = _survey(exprs)
    if unevaluated:
        exprs = [_evaluated(e) for e in exprs]
    names = output_names(exprs, reserved | functions)
    if matrices:
        if coarse:
            raise InputError("nodes='statements' is for programs; matrix expressions are "
                             "lowered one operation per node")
        G, order, outputs = lower_matrix_expressions(exprs, names)
        return _finish(G, order, outputs, source)
    builder = _Builder(reserved | set(names))
    add = builder.add_statement if coarse else builder.add
    outputs = [add(e, sp.Symbol(name)) for e, name in zip(exprs, names, strict=True)]
    return builder.finish(outputs, source)


def _symbols(e: sp.Expr) -> set:
    """The symbols of ``e``, found without recursion."""
    return symbols(e)


def _from_program(program: Program, outputs, coarse: bool) -> nx.DiGraph:
    names = program.names
    builder = _Builder({s.name for s in program.inputs} | {s.name for s in names})
    for symbol in program.inputs:
        builder.add_input(symbol)
    add = builder.add_statement if coarse else builder.add
    notes = program.notes or ("",) * len(program.assignments)
    for (name, expr), note in zip(program.assignments, notes, strict=True):
        add(expr, name)
        builder.memo[name] = name
        if note:
            builder.G.nodes[name]["note"] = note  # the loop iteration, e.g. "i = 2"
    if outputs is None:
        chosen = [program.output]
    else:
        if isinstance(outputs, (str, sp.Symbol)):
            outputs = [outputs]
        by_name = {s.name: s for s in names}
        chosen = []
        for out in outputs:
            key = out.name if isinstance(out, sp.Symbol) else out
            if key not in by_name:
                raise InputError(f"output {out!r} is not assigned in the program; the assigned "
                                 f"names are: {', '.join(s.name for s in names)}")
            chosen.append(by_name[key])
    return _finish(builder.G, builder.order, chosen, program, first=program.inputs)
