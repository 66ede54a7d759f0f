"""Built-in examples: the worked examples of docs/mathematics.md and the benchmark families.

The worked examples are ready to differentiate, draw and test against:

>>> import symbackslash as sb
>>> [s.result for s in sb.differentiate(five_node_graph()).solutions[0].steps][-2:]
[b*c*d, a*c*d]
>>> sb.gradient(scalar_mlp_graph(), SCALAR_MLP_WRT) != []
True

Every benchmark family function takes a size ``n`` and returns an :class:`Example` holding the
same function twice: ``expression`` (one SymPy expression, which SymPy flattens and whose
shared subexpressions are hidden) and ``program`` (text, one assignment per step), with the
variables ``wrt`` to differentiate by.

>>> ex = sin_chain(2)
>>> ex.expression
x0*sin(x0)*sin(x0*sin(x0))
>>> print(ex.program)
x1 = sin(x0)*x0
x2 = sin(x1)*x1
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import networkx as nx
import sympy as sp

from .graph.build import build_graph

__all__ = ["five_node_graph", "complete_graph", "scalar_mlp_graph", "INTRO", "SCALAR_MLP_PROGRAM",
           "SCALAR_MLP_POINT", "SCALAR_MLP_WRT",
           "t1_graph", "t2_graph", "t3_graph", "T3_PROGRAM", "T3_POINT", "T3_WRT",
           "Example", "FAMILIES", "sin_chain", "sin_chain_program", "repeated_squaring",
           "product_and_squares", "extended_rosenbrock", "trigonometric", "tanh_network",
           "chebyshev"]

# --------------------------------------------------------------------------- worked examples

#: The paper's introductory example, sin(xy) + xy, as a program.
INTRO = "a = x*y\nb = sin(a)\nf = a + b"

#: The scalar MLP with N = 2, h(z) = z², J = ½(x2 − y)².
SCALAR_MLP_PROGRAM = "x1 = (w1*x0 + b1)**2\nx2 = (w2*x1 + b2)**2\nJ = (x2 - y)**2/2"
#: The scalar MLP's point: there ∇J = (12, 12, 18, 2) for (w1, b1, w2, b2).
SCALAR_MLP_POINT = {"x0": 1, "w1": 2, "b1": 1, "w2": 1, "b2": -8, "y": 0}
SCALAR_MLP_WRT = ["w1", "b1", "w2", "b2"]


def five_node_graph() -> nx.DiGraph:
    """The 5-node graph with edges 1→3: a, 2→3: b, 3→4: c, 4→5: d, made by hand."""
    a, b, c, d = sp.symbols("a b c d")
    G = nx.DiGraph()
    G.add_weighted_edges_from([(1, 3, a), (2, 3, b), (3, 4, c), (4, 5, d)])
    return G


def complete_graph() -> nx.DiGraph:
    """The complete graph on 4 nodes with weights a1; b1, b2; c1, c2, c3."""
    a1, b1, b2, c1, c2, c3 = sp.symbols("a1 b1 b2 c1 c2 c3")
    G = nx.DiGraph()
    G.add_weighted_edges_from([(1, 2, a1), (1, 3, b1), (2, 3, b2), (1, 4, c1), (2, 4, c2),
                               (3, 4, c3)])
    return G


def scalar_mlp_graph() -> nx.DiGraph:
    """The scalar MLP, one node per statement (x1, x2 and the loss J)."""
    return build_graph(SCALAR_MLP_PROGRAM, nodes="statements")


# the names these examples had before (kept for existing code)
t1_graph, t2_graph, t3_graph = five_node_graph, complete_graph, scalar_mlp_graph
T3_PROGRAM, T3_POINT, T3_WRT = SCALAR_MLP_PROGRAM, SCALAR_MLP_POINT, SCALAR_MLP_WRT


# --------------------------------------------------------------------------- benchmark families


@dataclasses.dataclass(frozen=True)
class Example:
    """One function given two ways, with its variables and a box ``domain`` (low, high) of
    points where it is smooth and its values neither vanish nor overflow."""

    name: str
    n: int
    expression: sp.Expr
    program: str
    wrt: tuple
    domain: tuple = (0.2, 0.9)


def _program(lines: list[str]) -> str:
    return "\n".join(lines)


def sin_chain_program(n: int) -> str:
    """The sin-chain as a program of n lines, without its expression (which SymPy takes
    quadratic time to build)."""
    return _program([f"x{k + 1} = sin(x{k})*x{k}" for k in range(n)])


def sin_chain(n: int) -> Example:
    """x_{k+1} = sin(x_k)·x_k, k = 0 … n−1; the output is x_n, a function of x0."""
    x0 = sp.Symbol("x0")
    e = x0
    for _ in range(n):
        e = sp.sin(e) * e
    # just above x0 = π/2, a fixed point of x·sin x, the values neither vanish nor explode
    # (below it, x·sin x < x drives them to 0 and the gradient with them)
    return Example("sin-chain", n, e, sin_chain_program(n), (x0,), (1.58, 1.7))


def repeated_squaring(n: int) -> Example:
    """z_{k+1} = z_k² + c with z_0 = c (the Mandelbrot iteration); the output is z_n."""
    c = sp.Symbol("c")
    e = c
    for _ in range(n):
        e = e**2 + c
    lines = ["z1 = c**2 + c"] + [f"z{k + 1} = z{k}**2 + c" for k in range(1, n)]
    # for c in (−0.75, 0.25) the iteration converges (the real axis of the Mandelbrot set)
    return Example("repeated squaring", n, e, _program(lines), (c,), (-0.7, -0.3))


def product_and_squares(n: int) -> Example:
    """Π_i x_i + Σ_i x_i²."""
    xs = sp.symbols(f"x1:{n + 1}")
    e = sp.Mul(*xs) + sp.Add(*(x**2 for x in xs))
    lines = ["p1 = x1", *(f"p{k} = p{k - 1}*x{k}" for k in range(2, n + 1)),
             "s1 = x1**2", *(f"s{k} = s{k - 1} + x{k}**2" for k in range(2, n + 1)),
             f"f = p{n} + s{n}"]
    return Example("product + squares", n, e, _program(lines), xs)


def extended_rosenbrock(n: int) -> Example:
    """Σ_{i=1}^{n/2} 100 (x_{2i} − x_{2i−1}²)² + (1 − x_{2i−1})² (n even)."""
    n += n % 2
    xs = sp.symbols(f"x1:{n + 1}")
    terms = [100*(xs[2*i + 1] - xs[2*i]**2)**2 + (1 - xs[2*i])**2 for i in range(n // 2)]
    lines = [f"r{i + 1} = 100*(x{2*i + 2} - x{2*i + 1}**2)**2 + (1 - x{2*i + 1})**2"
             for i in range(n // 2)]
    lines += ["s1 = r1", *(f"s{i} = s{i - 1} + r{i}" for i in range(2, n // 2 + 1)),
              f"f = s{n // 2}"]
    return Example("extended Rosenbrock", n, sp.Add(*terms), _program(lines), xs)


def trigonometric(n: int) -> Example:
    """Σ_i (n − Σ_j cos x_j + i(1 − cos x_i) − sin x_i)² (Moré, Garbow, Hillstrom #26)."""
    xs = sp.symbols(f"x1:{n + 1}")
    total = sp.Add(*(sp.cos(x) for x in xs))
    e = sp.Add(*((n - total + i*(1 - sp.cos(x)) - sp.sin(x))**2 for i, x in enumerate(xs, 1)))
    lines = [f"c{i} = cos(x{i})" for i in range(1, n + 1)]
    lines += ["t1 = c1", *(f"t{i} = t{i - 1} + c{i}" for i in range(2, n + 1))]
    lines += [f"r{i} = ({n} - t{n} + {i}*(1 - c{i}) - sin(x{i}))**2" for i in range(1, n + 1)]
    lines += ["s1 = r1", *(f"s{i} = s{i - 1} + r{i}" for i in range(2, n + 1)), f"f = s{n}"]
    return Example("trigonometric", n, e, _program(lines), xs)


def tanh_network(n: int, width: int = 3) -> Example:
    """h_{k+1} = tanh(W_k h_k + b_k), k < n, h_0 = x (width 3); output Σ_i h_{n,i}.

    The variables are the input x and every weight and bias.
    """
    h = list(sp.symbols(f"x1:{width + 1}"))
    variables = list(h)
    lines = []
    names = [f"x{i + 1}" for i in range(width)]
    for k in range(1, n + 1):
        W = sp.Matrix(width, width, lambda i, j, k=k: sp.Symbol(f"w{k}_{i + 1}{j + 1}"))
        b = sp.symbols(f"b{k}_1:{width + 1}")
        variables += list(W) + list(b)
        h = [sp.tanh(sum(W[i, j]*h[j] for j in range(width)) + b[i]) for i in range(width)]
        new = [f"h{k}_{i + 1}" for i in range(width)]
        for i in range(width):
            z = " + ".join(f"w{k}_{i + 1}{j + 1}*{names[j]}" for j in range(width))
            lines.append(f"{new[i]} = tanh({z} + b{k}_{i + 1})")
        names = new
    lines.append(f"f = {' + '.join(names)}")
    return Example("tanh network", n, sp.Add(*h), _program(lines), tuple(variables))


def chebyshev(n: int) -> Example:
    """T_0 = 1, T_1 = x, T_{k+1} = 2x·T_k − T_{k−1}; the output is T_n (n ≥ 2)."""
    x = sp.Symbol("x")
    previous, current = sp.S.One, x
    for _ in range(n - 1):
        previous, current = current, 2*x*current - previous
    lines = ["t0 = 1", "t1 = x"] + [f"t{k + 1} = 2*x*t{k} - t{k - 1}" for k in range(1, n)]
    return Example("Chebyshev", n, current, _program(lines), (x,))


#: The scalar benchmark families by name.
FAMILIES: dict[str, Callable[[int], Example]] = {
    "sin-chain": sin_chain,
    "repeated squaring": repeated_squaring,
    "product + squares": product_and_squares,
    "extended Rosenbrock": extended_rosenbrock,
    "trigonometric": trigonometric,
    "tanh network": tanh_network,
    "Chebyshev": chebyshev,
}
