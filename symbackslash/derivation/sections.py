"""The sections of a derivation, one function each, numbered in reading order.

:func:`derivation_sections` lays out what a :class:`~symbackslash.Derivation`
reads off one differentiation: the function, the nodes with their local partials, the
matrices L and (I − L)ᵀ, each solve step by step, the block form of equation (1) and the
gradient. The functions read only the derivation's public attributes and methods; the small
display helpers here (:func:`factored`, :func:`op_count`, :func:`distinct`) serve
:meth:`~symbackslash.Derivation.equation` too.
"""

from __future__ import annotations

import time

import sympy as sp
from sympy.core.cache import cacheit

from ..core.limits import get_limits, measure
from ..core.simplify import simplify_all
from ..printing.latex import node_symbol, symbol_latex
from ..printing.pieces import (
    G_,
    I_MINUS_L,
    I_MINUS_L_T,
    L_,
    L_BLOCKS,
    L_ENTRY,
    L_TILDE,
    LAMBDA,
    LAMBDA_SOLVE,
    LAMBDA_SYSTEM,
    M_,
    M_T_LAMBDA,
    XBAR,
    XDOT,
    Chain,
    Grid,
    Nabla,
    Notation,
    Partial,
    Phrase,
    Product,
    Rows,
    Section,
    Table,
    same,
)

__all__ = ["PREAMBLE", "derivation_sections", "function_section", "nodes_section", "legend",
           "factored", "op_count", "distinct"]

#: The start of a standalone LaTeX document of a derivation, up to \begin{document}.
PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb,graphicx}
\allowdisplaybreaks
\begin{document}
"""

#: A simplified gradient is shown when it has at most this fraction of the operations.
SIMPLER = 0.75
#: Larger expressions (written out as trees) are shown as they are, not factored: SymPy's
#: ``factor_terms`` walks the tree, which costs seconds on a deep closed form.
FACTOR_SIZE = 200
#: The same for SymPy's ``simplify`` of the gradient (within ``Limits.simplify_seconds``):
#: on a larger closed form it seldom finishes, and the budget would be spent for nothing.
SIMPLIFY_SIZE = 200

#: Closed forms with more parts than this, written out as a tree, are not tidied and not
#: shown in the gradient and the block form (the node-symbol form and the numbers are):
#: SymPy's ``factor_terms``, ``count_ops`` and printers walk expressions as trees, and the
#: closed forms of a program share subexpressions (``b = sin(a) + cos(a)`` repeated is 4×
#: larger a line). The gradient program is the compact form.
TIDY_PARTS = 2_000


def derivation_sections(d) -> list[Section]:
    """The sections of the derivation ``d``, numbered 1, 2, …"""
    parts = [function_section(d), nodes_section(d), *_matrices(d), *_solves(d), *_block_form(d),
             _gradient(d)]
    return [Section(Phrase(f"{k}. ", *s.title.pieces), s.items)
            for k, s in enumerate(parts, start=1)]


def _symbols(d) -> list:
    return [node_symbol(v) for v in d.system.nodes]


def _tag(G, v) -> str:
    """A program row's label: its index, and the loop iteration it was unrolled from."""
    note = G.nodes[v].get("note")
    return f"({G.nodes[v]['index']}, {note})" if note else f"({G.nodes[v]['index']})"


def function_section(d) -> Section:
    G, values = d.graph, d.result.values
    inputs = [node_symbol(v) for v in G.graph["inputs"]]
    items: list = []
    defined = [v for v in d.system.nodes if G.nodes[v]["expr"] is not None]
    if defined:
        items.append(Rows(tuple(Chain(sp.Function(str(node_symbol(out)))(*inputs),
                                      values[out] if small(values[out]) else _too_long(values[out]))
                                for out in d.result.outputs)))
        items.append(Phrase("as a program, numbered in node order (inputs ",
                            sp.Tuple(*inputs), " first):"))
        items.append(Rows(tuple(Chain(node_symbol(v), G.nodes[v]["expr"]) for v in defined),
                          tuple(_tag(G, v) for v in defined)))
    else:
        items.append(Phrase(f"a graph given by its edges: {len(G)} nodes, "
                            f"{G.number_of_edges()} edges, inputs ", sp.Tuple(*inputs)))
    return Section(Phrase("The function"), tuple(items))


def nodes_section(d) -> Section:
    G, values = d.graph, d.result.values
    header = ("k", "node", "kind", "local partials")
    if d.point:
        header += ("value",)
    rows = []
    for v in d.system.nodes:
        partials = []
        for u in sorted(G.predecessors(v), key=lambda u: G.nodes[u]["index"]):
            if partials:
                partials.append(", ")
            partials.append(Chain(Partial(node_symbol(v), node_symbol(u)),
                                  G.edges[u, v]["weight"]))
        row = (str(G.nodes[v]["index"]), node_symbol(v), G.nodes[v]["kind"],
               Phrase(*partials) if partials else "")
        rows.append(row + ((d.numeric(values[v]),) if d.point else ()))
    return Section(Phrase("Nodes and local partials (the weights of the edges)"),
                   (Table(header, tuple(rows)),))


def _matrices(d) -> list[Section]:
    S = d.system
    order = Phrase("rows and columns in node order ", sp.Tuple(*_symbols(d)))
    if S.n > d.max_dense:
        note = Phrase(f"{S.n} nodes: the matrices are not written out; their nonzero entries "
                      "are the local partials in the table")
        return [Section(Phrase("The matrices ", L_, " and ", _system_matrix(d)[0]),
                        (note,))]
    L = Chain(L_, Grid(S.entries, (S.n, S.n), S.n_sources, tuple(_symbols(d))))
    items = [order, L]
    if d.point:
        at = {key: d.numeric(S.substituted().entries[key]) for key in S.entries}
        items += [Phrase("at the point:"), Chain(L_, Grid(at, (S.n, S.n), S.n_sources))]
    notation, entries = _system_matrix(d)
    system = Chain(notation, Grid(entries, (S.n, S.n), S.n_sources, tuple(_symbols(d))))
    return [Section(Phrase("The matrix ", L_, " of local partials, ", L_ENTRY), tuple(items)),
            Section(Phrase("The matrix ", notation), (system,))]


def _system_matrix(d) -> tuple:
    if d.mode == "reverse":
        return I_MINUS_L_T, d.system.upper()
    return I_MINUS_L, d.system.lower()


def _solves(d) -> list[Section]:
    S = d.system
    notation, entries = _system_matrix(d)
    sections = []
    for k, (seed, solution) in enumerate(d.solves()):
        e = Notation(*_unit_name(S.position(seed) + 1)) if seed in d.graph else None
        unknowns = XBAR if d.mode == "reverse" else XDOT
        if solution is None:
            sections.append(Section(
                Phrase("The variable ", node_symbol(seed), " does not occur"),
                (Phrase("every derivative with respect to it is 0"),)))
            continue
        items = []
        if S.n <= d.max_dense:
            # the vectors are split like the matrix rows, so that every row lines up
            vector = Grid({(i, 0): d.unknown_symbol(v) for i, v in enumerate(S.nodes)},
                          (S.n, 1), S.n_sources)
            rhs = Grid({(i, 0): b for i, b in enumerate(S.unit(seed))}, (S.n, 1), S.n_sources)
            items.append(Chain(Product(Grid(entries, (S.n, S.n), S.n_sources), vector), rhs))
        verb = "Back substitution" if d.mode == "reverse" else "Forward substitution"
        items.append(Phrase("solved one row at a time, "
                            + ("last row first:" if d.mode == "reverse" else
                               "first row first:")))
        items.append(_step_rows(d, k))
        title = Phrase(f"{verb} on ", Chain(Product(notation, unknowns), e))
        if d.mode == "forward":
            title = Phrase(*title.pieces, " (derivatives by ", node_symbol(seed), ")")
        sections.append(Section(title, tuple(items)))
    return sections


def _step_rows(d, k: int) -> Rows:
    views = d.steps(k)
    return Rows(tuple(d.equation(view) for view in views),
                tuple(f"({view.record.unknown + 1})" for view in views))


def _block_form(d) -> list[Section]:
    S, r = d.system, d.result
    ns = S.n_sources
    if d.mode != "reverse" or len(r.outputs) != 1 or not 0 < ns < S.n:
        return []
    (out,), (solution,) = r.outputs, r.solutions
    m = S.n - ns
    M = {(i - ns, j): w for (i, j), w in S.entries.items() if j < ns}
    L_t = {(i - ns, j - ns): w for (i, j), w in S.entries.items() if j >= ns}
    g = {(i, 0): b for i, b in enumerate(S.unit(out)[ns:])}

    def vector(values, rows):
        return Grid({(i, 0): value for i, value in enumerate(values)}, (rows, 1))

    def chain(lhs, middle, nodes, values):
        symbols = [d.unknown_symbol(v) for v in nodes]
        closed = [r.closed_form(x) for x in values]
        parts = [lhs, middle, vector(symbols, len(nodes))]
        if all(small(x) for x in closed):
            parts.append(vector([factored(x) for x in closed], len(nodes)))
        if d.point:
            parts.append(vector([d.numeric(x) for x in closed], len(nodes)))
        return Chain(*distinct(parts))

    rows = [chain(LAMBDA, LAMBDA_SOLVE, S.nodes[ns:], solution[ns:]),
            chain(Nabla(node_symbol(out)), M_T_LAMBDA, S.nodes[:ns], solution[:ns])]
    items = [Phrase("sources ", sp.Tuple(*_symbols(d)[:ns]), " first, then the others: ",
                    L_BLOCKS)]
    if S.n <= d.max_dense:
        items += [Rows((Chain(M_, Grid(M, (m, ns))), Chain(L_TILDE, Grid(L_t, (m, m))),
                        Chain(G_, vector(S.unit(out)[ns:], m))))]
    elif g:
        items += [Phrase(G_, " is the unit vector of the output; ", M_, " and ", L_TILDE,
                         " are blocks of ", L_)]
    items += [Phrase("the back substitution solved ", LAMBDA_SYSTEM, "; the gradient with "
                     "respect to the sources is ", M_T_LAMBDA, ":"), Rows(tuple(rows))]
    return [Section(Phrase("Block form: equation (1) of the paper"), tuple(items))]


def _gradient(d) -> Section:
    r = d.result
    entries = [(out, var, r.closed_form(r.derivative(out, var)))
               for out in r.outputs for var in r.wrt]
    # one budget for the derivation (the Hessian's halves too), smallest closed forms first
    simpler, left = _simplified([closed for _, _, closed in entries
                                 if small(closed) and not _larger(closed, SIMPLIFY_SIZE)],
                                get_limits().simplify_seconds)
    chains = []
    for out, var, closed in entries:
        parts = [Partial(node_symbol(out), node_symbol(var))]
        if d.mode == "reverse" and len(r.outputs) == 1 and var in d.graph:
            parts.append(d.unknown_symbol(var))
        shown = simplified = None  # a closed form too large to show is left out
        if small(closed):
            shown = factored(closed)
            simplified = simpler.get(closed, closed)
            if op_count(simplified) > SIMPLER * op_count(closed):
                simplified = None  # not worth a line: shows only what helps
        symbolic = r.derivative(out, var)
        parts += [factored(symbolic) if small(symbolic) else None, shown, simplified,
                  d.numeric(closed)]
        chains.append(Chain(*distinct(parts)))
    if d.order == 2:
        return Section(Phrase("The Hessian: the Jacobian of the gradient"),
                       (Rows(tuple(chains)), *_halves(d, left)))
    title = "The gradient" if len(r.outputs) == 1 else "The Jacobian"
    return Section(Phrase(title), (Rows(tuple(chains)),))


def _simplified(exprs: list, seconds: float) -> tuple[dict, float]:
    """``({expr: its simplification}, seconds left)``: ``exprs`` simplified within
    ``seconds`` in all (:func:`~symbackslash.core.simplify.simplify_all`, smallest first)."""
    start = time.monotonic()
    simpler = dict(zip(exprs, simplify_all(exprs, seconds), strict=True))
    return simpler, seconds - (time.monotonic() - start)


def _halves(d, seconds: float) -> tuple:
    """Where the two halves of the Hessian come from: H[i, j] and H[j, i] are read off
    different solves, and compared here rather than assumed equal (a difference that does
    not expand to 0 is simplified within ``seconds``, what the gradient left of the
    derivation's budget)."""
    r = d.result
    H = r.jacobian
    solve = "forward substitution by " if d.mode == "forward" else "back substitution for "
    pairs = [(i, j) for i in range(len(r.wrt)) for j in range(i + 1, len(r.wrt))]
    differences = [sp.expand(H[i, j] - H[j, i]) for i, j in pairs]
    simpler, _ = _simplified([e for e in differences if e != 0], seconds)
    items = []
    for (i, j), difference in zip(pairs, differences, strict=True):
        vi, vj = r.wrt[i], r.wrt[j]
        # forward mode: column j from the solve by x_j; reverse: row i from x̄_i's solve
        a, b = (vj, vi) if d.mode == "forward" else (r.outputs[i], r.outputs[j])
        difference = simpler.get(difference, difference)
        verdict = "equal" if difference == 0 else "not shown equal by simplification"
        items.append(Phrase(Partial(node_symbol(r.outputs[i]), node_symbol(vj)),
                            f" (from the {solve}", node_symbol(a), ") and ",
                            Partial(node_symbol(r.outputs[j]), node_symbol(vi)),
                            f" (from the {solve}", node_symbol(b), f"): {verdict}"))
    return tuple(items)


#: The notation a derivation may use: (symbol, meaning), shown when it is used.
def _maths(latex: str, text: str) -> Notation:
    return Notation(latex, text)


LEGEND = {
    "xbar": (_maths(r"\bar{x}", "x_bar"), Phrase("the adjoint of node x: ",
             _maths(r"\partial\,\mathrm{output} / \partial x", "d(output)/dx"), ", an unknown")),
    "xdot": (_maths(r"\dot{x}", "x_dot"), Phrase("the tangent of node x: ",
             _maths(r"\partial x / \partial\,\mathrm{input}", "dx/d(input)"), ", an unknown")),
    "e": (_maths("e_k", "e_k"), Phrase("the k-th unit vector")),
    "L": (_maths(r"L,\ I", "L, I"), Phrase(L_ENTRY, ", the local partial of the edge j -> i; "
                                            "the identity")),
    "blocks": (_maths(r"M,\ \tilde{L},\ g", "M, L~, g"),
               Phrase("the blocks of L (sources to the rest; the rest) and of e")),
    "operators": (_maths(r"\mathcal{L}_A,\ \mathcal{R}_A,\ \mathcal{H}_A,\ \mathrm{Id}",
                         "L_A, R_A, H_A, Id"),
                  Phrase(_maths(r"X \mapsto AX,\ X \mapsto XA,\ X \mapsto A \circ X",
                                "X -> AX, X -> XA, X -> A .* X"),
                         ", the identity; an operator's transpose is its adjoint")),
    "tdot": (_maths(r"G^{T\bullet},\ \mathcal{E}_G", "tdot(G), E_G"),
             Phrase(_maths(r"X \mapsto \operatorname{tr}(G^{T} X)", "X -> tr(G^T X)"),
                    " (the transpose-dot) and its adjoint ", _maths(r"s \mapsto s G", "s -> sG"))),
}


def legend(d) -> Section:
    """The notation the derivation ``d`` uses, an unnumbered last section (docs/mathematics.md
    has it all)."""
    keys = ["xbar" if d.mode == "reverse" else "xdot", "e", "L"]
    r = d.result
    if d.mode == "reverse" and len(r.outputs) == 1 and 0 < d.system.n_sources < d.system.n:
        keys.append("blocks")
    if r.has_matrices:
        keys += ["operators", "tdot"]
    return Section(Phrase("Notation (docs/mathematics.md)"),
                   (Table(("symbol", "meaning"), tuple(LEGEND[k] for k in keys)),))


def _unit_name(k: int) -> tuple:
    symbol = sp.Symbol(f"e_{k}")
    return symbol_latex(symbol.name), symbol.name


def small(expr) -> bool:
    """Whether ``expr`` has at most :data:`TIDY_PARTS` parts written out (measured on the
    DAG, so a huge closed form costs as much as its distinct parts)."""
    return not isinstance(expr, sp.Basic) or measure(expr)[1] <= TIDY_PARTS


def _too_long(expr) -> Phrase:
    """What stands for a closed form too long to write out."""
    return Phrase(f"… ({measure(expr)[1]:,} parts written out: see the program below)")


def factored(expr):
    """``expr`` with common factors pulled out (−(−2a − 2b)·c → 2(a + b)·c) when that is
    shorter; a cheap clean-up for display, equal to ``expr``, for expressions of at most
    :data:`FACTOR_SIZE` operations and leaves written out."""
    if not isinstance(expr, sp.Expr) or isinstance(expr, sp.MatrixExpr) or expr.is_Atom \
            or _larger(expr, FACTOR_SIZE):
        return expr
    return _factored(expr)


@cacheit
def _factored(expr: sp.Expr) -> sp.Expr:
    """:func:`factored` of a small expression, remembered: a derivation shows the same
    values in its steps, its block form and its gradient."""
    tidy = sp.factor_terms(expr)
    return tidy if sp.count_ops(tidy) < sp.count_ops(expr) else expr


def _larger(expr, size: int) -> bool:
    """Whether ``expr`` written out as a tree has more than ``size`` operations and leaves
    (measured in time linear in its distinct subexpressions)."""
    return isinstance(expr, sp.Basic) and measure(expr, stop=size)[1] > size


def op_count(expr) -> int:
    """The number of operations in ``expr`` (0 for what is not a SymPy object); past
    :data:`TIDY_PARTS`, its number of parts written out (measured on the DAG), a bound."""
    if not isinstance(expr, sp.Basic):
        return 0
    parts = measure(expr)[1]
    return parts if parts > TIDY_PARTS else sp.count_ops(expr)


def distinct(parts: list) -> list:
    """The parts that are given, without repeats of the part before (x̄ = 1 = 1 → x̄ = 1)."""
    result = []
    for part in parts:
        if part is None:
            continue
        if not result or not same(result[-1], part):
            result.append(part)
    return result
