"""Benchmark: symbackslash gradients against sympy.diff, one process, one table.

For each family of ``symbackslash.examples`` at several sizes, given both as one SymPy
expression and as a straight-line program, and for the paper's matrix MLP (depth n, as a
SymPy matrix expression: matrices have no text form), it prints:

- ``ours``: time to build the graph and the gradient program by back substitution (the
  best of ``--repeats`` runs, each with SymPy's cache cleared first);
- ``closed``: time of our closed-form gradient (``sb.gradient``) of the same function,
  from a cold cache, in a child process with the same time-out;
- ``sympy.diff``: time of ``sympy.diff`` on the same function for every variable, in a child
  process with a time-out (reported as ``> t``; ``fails`` when it raises, as its matrix
  derivative does on the MLP);
- ``speed-up``: sympy.diff time ÷ ours (the program);
- ``ops×``: gradient-program operations ÷ function operations (SymPy ``count_ops``);
- ``CasADi ops×``: the same ratio for CasADi's reverse mode on the same function, measured
  live (``casadi_ratio.py``: the function's program rebuilt in CasADi SX, its instructions
  counted); ``-`` where ``casadi`` is not installed (``pip install casadi``, or the
  ``bench`` extra: ``pip install -e ".[bench]"``) or the function has no CasADi translation;
- ``arrays×``: time of the gradient program ÷ time of the function, both compiled to NumPy
  and run on arrays of 100,000 points (the cheap-gradient bound, measured);
- ``µs/edge``: our time per edge of the function's graph (parsing, graph, sharing, local
  partials, solve and program);
- ``rules µs``: the local partials alone (the rule table on every node) per edge;
- ``check``: the largest relative difference between our gradient (compiled program) and
  sympy.diff's, at a random point (or against central differences of the function where
  sympy.diff did not finish or failed: ``fd``; always for the matrix MLP).

Then, per family and form, the growth exponent of our time between the two largest sizes,
and two size targets: a 10,001-node program and a depth-100 matrix MLP; last, the times
of the figures and derivations of a 28-node, a 58-node and a 27-node function
(``--no-figures`` leaves them out).

Last, the cost table of Jacobians by vertex elimination (``sb.elimination_costs``) for the
families with several outputs (each family's program with its vector of intermediate results
as outputs): the multiplications of the forward, reverse, Markowitz and optimal orders
(``–`` where the optimal search is refused, past ``max_elimination_search`` nodes), and
``check``, the largest relative difference between the Jacobians of the four orders and
``sb.jacobian``'s at a random point. ``--elimination`` prints only this table.

Usage::

    python benchmarks/run.py                 # sizes 16 32 64 128, time-out 60 s
    python benchmarks/run.py --quick         # sizes 8 16 32, time-out 10 s
    python benchmarks/run.py --sizes 32 64 --timeout 20 --families sin-chain Chebyshev
    python benchmarks/run.py --hessians      # and Hessians against sympy.hessian (hessians.py)
    python benchmarks/run.py --elimination   # only the cost table of elimination orders

Times are processor seconds of the process doing the work (``time.process_time``: SymPy
runs on one core, so this is what an idle machine's clock would show, and it does not
depend on the load of a shared machine); the time-outs are wall-clock seconds, and
``arrays×`` is a ratio of two wall-clock times taken back to back.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import queue as queue_module
import random
import sys
import time

import numpy as np
import sympy as sp

import symbackslash as sb
from symbackslash.derivatives.program import compile_program, function_program
from symbackslash.examples import FAMILIES, sin_chain_program
from symbackslash.rules.scalar import local_partials

#: The clock of every time in the tables (see the module docstring).
clock = time.process_time


def in_child(target, args: tuple, timeout: float, count: int) -> list:
    """Run ``target(*args, queue)`` in a forked child process and return the ``count`` items
    it puts on the queue, each None if not put within ``timeout`` seconds (the child is then
    killed): how the benchmark times SymPy without waiting forever."""
    context = mp.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=target, args=(*args, queue))
    child.start()
    items = [None] * count
    try:
        for k in range(count):
            items[k] = queue.get(timeout=timeout)
    except queue_module.Empty:
        pass
    if child.is_alive():
        child.kill()
    child.join()
    return items


def _diff_child(expression, variables, point, queue):
    start = clock()
    try:
        grads = [sp.diff(expression, v) for v in variables]
    except Exception as error:  # noqa: BLE001 - reported in the table (RecursionError, …)
        queue.put(type(error).__name__)
        queue.put(None)
        return
    queue.put(clock() - start)
    try:
        queue.put([complex(sp.N(g.xreplace(point), 17)) for g in grads])
    except Exception:  # noqa: BLE001 - a value we cannot evaluate is reported, not fatal
        queue.put(None)


def sympy_diff(expression, variables, point, timeout: float):
    """(seconds, None on time-out, or the name of the exception it raised; gradient values or
    None) of sympy.diff in a child process."""
    elapsed, values = in_child(_diff_child, (expression, variables, point), timeout, 2)
    return elapsed, values


def _closed_child(function, variables, queue):
    sp.core.cache.clear_cache()
    start = clock()
    try:
        sb.gradient(function, variables)
    except Exception as error:  # noqa: BLE001 - reported in the table (a limit, …)
        queue.put("limit" if isinstance(error, sb.ResourceLimitError) else type(error).__name__)
        return
    queue.put(clock() - start)


def closed_form_time(function, variables, timeout: float):
    """Seconds of our closed-form gradient (``sb.gradient``, from a cold cache) in a child
    process with a time-out (None), ``"limit"`` when it is refused as too large to write
    out (a :class:`~symbackslash.ResourceLimitError`), or the name of another exception."""
    (elapsed,) = in_child(_closed_child, (function, variables), timeout, 1)
    return elapsed


def finite_differences(function, variables, point, h=1e-6):
    """Central differences of the function itself, run as its compiled straight-line program."""
    G = sb.build_graph(function)
    f = compile_program(variables, function_program(G), G.graph["outputs"], modules="math")
    base = [float(point[v]) for v in variables]
    grads = []
    for k in range(len(variables)):
        up, down = list(base), list(base)
        up[k] += h
        down[k] -= h
        grads.append((f(*up)[0] - f(*down)[0]) / (2*h))
    return grads


def relative_error(ours, reference) -> float:
    ours, reference = np.asarray(ours, dtype=complex), np.asarray(reference, dtype=complex)
    scale = max(1e-12, float(np.max(np.abs(reference))))
    return float(np.max(np.abs(ours - reference))) / scale


def array_ratio(program, variables, domain, points: int = 100_000) -> float:
    """Time of the compiled gradient program ÷ time of the compiled function, both NumPy, on
    arrays of ``points`` random points (best of five runs each)."""
    G = program.graph
    function = compile_program(variables, function_program(G), G.graph["outputs"],
                               modules="numpy")
    gradient = program.lambdify(variables, modules="numpy", check=False)
    rng = np.random.default_rng(0)
    args = [rng.uniform(*domain, size=points) for _ in variables]

    def best(f) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            f(*args)
            times.append(time.perf_counter() - start)
        return min(times)

    return best(gradient) / best(function)


def rules_per_edge(G, repeats: int) -> float:
    """µs per edge of the local partials alone: the rule table applied to every node of the
    graph (best of ``repeats`` runs from a cold cache)."""
    exprs = [G.nodes[v]["expr"] for v in G if G.nodes[v]["expr"] is not None]
    best, _ = timed(lambda: [local_partials(e) for e in exprs], repeats)
    return 1e6 * best / max(G.number_of_edges(), 1)


def timed(compute, repeats: int, fresh=None):
    """(best time of ``repeats`` runs, the result): each run starts with SymPy's cache
    cleared (symbackslash keeps what it remembers there too), as in a fresh process, so no
    run profits from the one before. With ``fresh``, each run computes ``compute(fresh())``
    on a new input, made before the clock starts: no run reads objects whose hashes, shapes
    or transposes an earlier run has already found."""
    best = math.inf
    for _ in range(repeats):
        sp.core.cache.clear_cache()
        argument = fresh() if fresh is not None else None
        start = clock()
        result = compute(argument) if fresh is not None else compute()
        best = min(best, clock() - start)
    return best, result


def run_family(name, sizes, timeout, rng, repeats=5):
    from casadi_ratio import casadi_ratio  # this directory, on sys.path when run as a script

    rows = []
    for n in sizes:
        # SymPy's cache still holds the previous size's expressions: building an equal one
        # again compares the new and the cached objects structurally, a tree walk that is
        # exponential for a network's shared layers. Each size starts as a fresh process would.
        sp.core.cache.clear_cache()
        example = FAMILIES[name](n)
        variables = list(example.wrt)
        point = {v: sp.Float(rng.uniform(*example.domain), 20) for v in variables}
        diff_time, diff_values = sympy_diff(example.expression, variables, point, timeout)
        for form, function in (("expression", example.expression), ("program", example.program)):
            ours, program = timed(lambda f, v=variables: sb.gradient_program(f, v), repeats,
                                  fresh=lambda form=form, n=n: getattr(FAMILIES[name](n), form))
            compiled = program.lambdify(variables, modules="math")
            values = compiled(*[float(point[v]) for v in variables])
            if diff_values is not None:
                check = f"{relative_error(values, diff_values):.1e}"
            else:
                reference = finite_differences(function, variables, point)
                check = f"{relative_error(values, reference):.1e} fd"
            edges = program.graph.number_of_edges()
            closed = closed_form_time(function, variables, timeout)
            casadi = casadi_ratio(program.graph, variables)
            rows.append(dict(family=name, n=n, form=form, ours=ours, diff=diff_time,
                             closed=closed, ratio=program.ratio,
                             casadi=None if casadi is None else casadi.ratio,
                             per_edge=1e6*ours/max(edges, 1),
                             nodes=len(program.graph), check=check,
                             arrays=array_ratio(program, variables, example.domain),
                             rules=rules_per_edge(program.graph, repeats)))
            print(_format(rows[-1], timeout), flush=True)
    return rows


def _format(row, timeout) -> str:
    if isinstance(row["diff"], str):  # sympy.diff raised (e.g. RecursionError)
        diff, speedup = f"{'fails':>8}", f"{'-':>9}"
    elif row["diff"] is None:
        diff = f"{'> ' + str(int(timeout)):>8}"
        speedup = f"{'> ' + format(timeout / row['ours'], '.0f'):>8}x"
    else:
        diff, speedup = f"{row['diff']:8.3f}", f"{row['diff'] / row['ours']:8.1f}x"
    arrays = f"{'-':>7}" if row["arrays"] is None else f"{row['arrays']:7.2f}"
    casadi = f"{'-':>11}" if row.get("casadi") is None else f"{row['casadi']:11.2f}"
    rules = f"{'-':>8}" if row["rules"] is None else f"{row['rules']:8.0f}"
    closed = row.get("closed")
    if closed is None:
        closed = f"{'> ' + str(int(timeout)):>8}" if "closed" in row else f"{'-':>8}"
    elif isinstance(closed, str):
        closed = f"{closed[:8]:>8}"
    else:
        closed = f"{closed:8.3f}"
    return (f"{row['family']:20} {row['n']:5d} {row['form']:10} {row['nodes']:6d} "
            f"{row['ours']:8.3f} {closed} {diff} {speedup} {row['ratio']:7.2f} {casadi} {arrays} "
            f"{row['per_edge']:8.0f} {rules} {row['check']:>10}")


HEADER = (f"{'family':20} {'n':>5} {'form':10} {'nodes':>6} {'ours s':>8} {'closed s':>8} "
          f"{'diff s':>8} "
          f"{'speed-up':>9} {'ops×':>7} {'CasADi ops×':>11} {'arrays×':>7} {'µs/edge':>8} "
          f"{'rules µs':>8} "
          f"{'check':>10}")


def growth(rows):
    print("\nGrowth exponent of our time between the two largest sizes")
    keys = sorted({(r["family"], r["form"]) for r in rows})
    for family, form in keys:
        mine = sorted((r for r in rows if (r["family"], r["form"]) == (family, form)),
                      key=lambda r: r["n"])
        if len(mine) >= 2:
            a, b = mine[-2], mine[-1]
            exponent = math.log(b["ours"] / a["ours"]) / math.log(b["n"] / a["n"])
            print(f"  {family:20} {form:10} n {a['n']}→{b['n']}: {exponent:5.2f}")


def big_program(lines: int):
    text = sin_chain_program(lines)
    sp.core.cache.clear_cache()
    start = clock()
    program = sb.gradient_program(text, ["x0"])
    elapsed = clock() - start
    print(f"{len(program.graph)}-node program (sin-chain of {lines} lines): {elapsed:.2f} s "
          f"({1e6*elapsed/program.graph.number_of_edges():.0f} µs/edge), "
          f"ops ratio {program.ratio:.2f}")


def run_matrix_mlp(depths, timeout, repeats=5):
    """The paper's MLP (width 3, batch 2, tanh) at each depth: our symbolic gradient program
    against sympy.diff's matrix derivative, checked against central differences of the loss.
    (Matrix functions have no text form, so the family has one row per depth.)"""
    rows = []
    for depth in depths:
        net = sb.mlp([3] * (depth + 1), batch=2, activations=["tanh"] * depth)
        diff_time, _ = sympy_diff(net.loss, list(net.parameters), {}, timeout)
        ours, program = timed(lambda new: sb.gradient(new.loss, new.parameters, form="program"),
                              repeats, fresh=lambda depth=depth: _network(depth))
        values = sb.random_values(net.loss, seed=depth)
        args = [net.X0, net.Y, *net.parameters]
        gradients = program.lambdify(args)(*[values[a] for a in args])
        # W1 and W_N, relative to the larger: a deep tanh network's first-layer gradient
        # vanishes (about 1e-6 at depth 8), below the differences' own rounding error
        checked = [0, len(net.parameters) - 2]
        computed = np.concatenate([np.ravel(gradients[k]) for k in checked])
        differences = np.concatenate([np.ravel(sb.finite_differences(
            net.loss, net.parameters[k], values)) for k in checked])
        error = relative_error(computed, differences)
        rows.append(dict(family="matrix MLP", n=depth, form="expression", ours=ours,
                         diff=diff_time, ratio=program.ratio,
                         per_edge=1e6*ours/max(program.graph.number_of_edges(), 1),
                         nodes=len(program.graph), check=f"{error:.1e} fd", arrays=None,
                         rules=None))
        print(_format(rows[-1], timeout), flush=True)
    return rows


def _network(depth: int):
    """The paper's MLP of ``depth`` layers (width 3, batch 2, tanh), its loss built."""
    net = sb.mlp([3] * (depth + 1), batch=2, activations=["tanh"] * depth)
    _ = net.loss  # built on first use: here, before the clock starts
    return net


def deep_mlp(depth: int):
    def network():
        return _network(depth)

    program_time, program = timed(lambda net: sb.gradient(net.loss, net.parameters,
                                                          form="program"), 3, fresh=network)
    closed_time, closed = timed(lambda net: sb.gradient(net.loss, net.parameters), 3,
                                fresh=network)
    eq1_time, _ = timed(lambda net: net.solve(), 3, fresh=network)
    print(f"depth-{depth} matrix MLP ({len(program.graph)} nodes, {len(closed)} parameters, "
          f"best of three from a cold cache): gradient program {program_time:.2f} s, "
          f"closed forms {closed_time:.2f} s, equation (1) solve {eq1_time:.2f} s")


def vector_families(n: int) -> dict:
    """The families with several outputs: ``name → (program, outputs)``, each a program of
    ``symbackslash.examples`` with the vector it sums (or the chain's every step) as outputs."""
    from symbackslash.examples import product_and_squares, tanh_network, trigonometric

    def without_sums(program: str, keep) -> str:
        return "\n".join(line for line in program.splitlines() if keep(line.split(" = ")[0]))

    width = 3
    return {
        "sin-chain, every step": (sin_chain_program(n), [f"x{k}" for k in range(1, n + 1)]),
        "product + squares, p and s": (
            without_sums(product_and_squares(n).program, lambda name: name != "f"),
            [f"p{n}", f"s{n}"]),
        "trigonometric residuals": (
            without_sums(trigonometric(n).program, lambda name: name[0] not in "sf"),
            [f"r{i}" for i in range(1, n + 1)]),
        "tanh network, last layer": (
            without_sums(tanh_network(n, width).program, lambda name: name != "f"),
            [f"h{n}_{i}" for i in range(1, width + 1)]),
    }


def elimination_error(G, inputs, order, rng) -> float:
    """The largest relative difference, at a random point, between the Jacobian of the
    elimination in ``order`` (in node symbols, at the nodes' values) and the input columns
    of (I − L)⁻¹ for L at that point, computed by NumPy."""
    values = {v: sp.Float(rng.uniform(0.2, 0.9), 20) for v in inputs}
    nodes = sb.node_order(G)
    for v in nodes[len(inputs):]:
        values[v] = G.nodes[v]["expr"].xreplace(values).evalf(20)
    position = {v: k for k, v in enumerate(nodes)}
    I_minus_L = np.eye(len(nodes))
    for u, v, weight in G.edges(data="weight"):
        I_minus_L[position[v], position[u]] = -float(sp.sympify(weight).xreplace(values))
    inverse = np.linalg.inv(I_minus_L)
    outputs = list(G.graph["outputs"])
    reference = inverse[[position[o] for o in outputs]][:, [position[i] for i in inputs]]
    E = sb.eliminate(G, inputs, order=order)
    ours = np.array([[float(sp.sympify(E.derivative(o, i)).xreplace(values)) for i in inputs]
                     for o in outputs])
    return relative_error(ours.ravel(), reference.ravel())


def elimination_table(sizes, rng) -> list:
    """Print and return the cost table of the elimination orders for the vector families."""
    print(f"\nJacobians by vertex elimination: multiplications per order "
          f"(optimal searched up to {sb.get_limits().max_elimination_search} nodes)")
    print(f"{'family':28} {'n':>3} {'in':>4} {'out':>4} {'elim':>5} {'forward':>8} "
          f"{'reverse':>8} {'markowitz':>9} {'optimal':>8} {'check':>8}")
    rows = []
    for n in sizes:
        for name, (program, outputs) in vector_families(n).items():
            sp.core.cache.clear_cache()
            G = sb.build_graph(program, outputs=outputs)
            inputs = list(G.graph["inputs"])
            costs = sb.elimination_costs(G, inputs).as_dict()
            check = max(elimination_error(G, inputs, order, rng)
                        for order, cost in costs.items() if cost is not None)
            eliminated = sum(1 for v in G if G.in_degree(v) and G.out_degree(v))
            rows.append(dict(family=name, n=n, inputs=len(inputs), outputs=len(outputs),
                             eliminated=eliminated, check=check, **costs))
            optimal = "–" if costs["optimal"] is None else costs["optimal"]
            print(f"{name:28} {n:3d} {len(inputs):4d} {len(outputs):4d} {eliminated:5d} "
                  f"{costs['forward']:8d} {costs['reverse']:8d} {costs['markowitz']:9d} "
                  f"{optimal:>8} {check:8.1e}", flush=True)
    return rows


def storyboard_size(nodes: int = 27) -> tuple[float, tuple]:
    """Draw the storyboard of a sin-chain program of ``nodes`` nodes (27: set-up, every
    frame and the pages, as ``storyboard(...).save("steps.png")`` does) and print its time
    (wall clock, and the CPU time of this process) and the pixels of its largest page."""
    import matplotlib
    matplotlib.use("Agg")
    from symbackslash.examples import sin_chain
    example = sin_chain((nodes - 1) // 2)
    start, cpu = time.perf_counter(), time.process_time()
    board = sb.storyboard(example.program, example.wrt)
    pages = board.pages()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    width, height = max(p.size[0] for p in pages), max(p.size[1] for p in pages)
    print(f"storyboard of a {board.derivation.system.n}-node program: {len(board)} frames "
          f"({'compact' if board.compact else 'typeset'}), {seconds:.2f} s "
          f"({cpu:.2f} s CPU, {seconds / len(board):.3f} s a frame), {len(pages)} page(s), "
          f"{width} x {height} px")
    return seconds, (width, height)


def _seconds(compute):
    """(processor seconds of this process, the result) of ``compute()`` from a cold cache."""
    sp.core.cache.clear_cache()
    start = clock()
    result = compute()
    return clock() - start, result


def figure_times(examples, frames: int = 3):
    """CPU seconds (``time.process_time``: the wall clock of a shared machine says more
    about the other jobs) for each figure and derivation of small functions, from a cold
    cache, after one small figure has warmed matplotlib up (fonts, as in a session): the
    graph (drawn and rendered to PNG), the matrix (I − L)ᵀ, the derivation (built, then
    written as text and as LaTeX; with the default ``simplify_seconds`` budget, and with
    1 ms) and the storyboard (set-up, then each frame drawn and rendered, the mean of the
    first ``frames``)."""
    from matplotlib.figure import Figure

    from symbackslash.render import draw_graph, draw_matrix, figure_bytes

    def png(draw):
        fig = Figure()
        draw(fig.add_subplot())
        return figure_bytes(fig)

    def written(G, wrt):
        d = sb.derivation(G, wrt)
        return d.text(), d.latex()

    png(lambda ax: draw_graph(sb.build_graph("x*y"), ax))
    print(f"\nFigures and derivations, processor seconds from a cold cache (storyboard: "
          f"set-up, then per frame, mean of the first {frames})")
    print(f"  {'function':24} {'nodes':>5} {'graph':>6} {'matrix':>6} {'derivation':>10} "
          f"{'no simplify':>11} {'story set-up':>12} {'per frame':>9}")
    for title, example in examples:
        G = sb.build_graph(example.program)
        wrt = list(example.wrt)
        graph, _ = _seconds(lambda G=G: png(lambda ax: draw_graph(G, ax)))
        matrix, _ = _seconds(lambda G=G: png(lambda ax: draw_matrix(G, "(I-L)^T", ax)))
        derivation, _ = _seconds(lambda G=G, wrt=wrt: written(G, wrt))
        with sb.limits(simplify_seconds=1e-3):
            plain, _ = _seconds(lambda G=G, wrt=wrt: written(G, wrt))
        setup, board = _seconds(lambda G=G, wrt=wrt: sb.storyboard(G, wrt, max_frames=10**4))
        shown = range(min(frames, len(board)))
        per_frame = sum(_seconds(lambda k=k, board=board: figure_bytes(board.frame(k)))[0]
                        for k in shown) / max(len(shown), 1)
        print(f"  {title:24} {len(G):5d} {graph:6.2f} {matrix:6.2f} {derivation:10.2f} "
              f"{plain:11.2f} {setup:12.2f} {per_frame:9.2f}", flush=True)


#: The small functions whose figures are timed (as programs): 28, 58 and 27 nodes. (The
#: sin-chain's closed forms, written out, double in size with every line: its derivation
#: writes them out only up to 2,000 parts.)
FIGURE_EXAMPLES = [("Rosenbrock, n = 6", 6, "extended Rosenbrock"),
                   ("tanh network, 2 layers", 2, "tanh network"),
                   ("sin-chain, n = 13", 13, "sin-chain")]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="The column 'CasADi ops×' needs casadi (pip install casadi, or the bench extra: "
               "pip install -e '.[bench]'); without it the column shows '-'.")
    parser.add_argument("--sizes", type=int, nargs="+",
                        help="sizes n (default 16 32 64 128; 8 16 32 with --quick)")
    parser.add_argument("--timeout", type=float,
                        help="seconds for each sympy.diff (default 60; 10 with --quick)")
    parser.add_argument("--families", nargs="+", default=list(FAMILIES), choices=list(FAMILIES),
                        metavar="FAMILY")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and targets: a few minutes")
    parser.add_argument("--no-matrix", dest="matrix", action="store_false",
                        help="leave out the matrix MLP family and the depth-100 target")
    parser.add_argument("--hessians", action="store_true",
                        help="also the Hessian section: time against sympy.hessian and the "
                             "hvp ops ratio (benchmarks/hessians.py)")
    parser.add_argument("--no-figures", dest="figures", action="store_false",
                        help="leave out the figure and derivation times")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--storyboard", action="store_true",
                        help="only the 27-node storyboard's time and size")
    parser.add_argument("--repeats", type=int, default=5,
                        help="our time is the best of this many runs, each from a cold cache")
    parser.add_argument("--elimination", action="store_true",
                        help="print only the cost table of elimination orders")
    parser.add_argument("--no-elimination", dest="with_elimination", action="store_false",
                        help="leave out the cost table of elimination orders")
    args = parser.parse_args(argv)
    if args.storyboard:
        storyboard_size()
        return 0
    args.sizes = args.sizes or ([8, 16, 32] if args.quick else [16, 32, 64, 128])
    args.timeout = args.timeout or (10.0 if args.quick else 60.0)
    rng = random.Random(args.seed)
    print(f"symbackslash {sb.__version__}, sympy {sp.__version__}, python {sys.version.split()[0]}")
    elimination_sizes = [2, 3, 4] if args.quick else [2, 3, 4, 8]
    if args.elimination:
        elimination_table(elimination_sizes, rng)
        return 0
    print(HEADER)
    rows = []
    for name in args.families:
        rows += run_family(name, args.sizes, args.timeout, rng, args.repeats)
    if args.matrix:
        rows += run_matrix_mlp(args.sizes, args.timeout, args.repeats)
    growth(rows)
    print()
    big_program(10 if args.quick else 5_000)
    if args.matrix:
        deep_mlp(10 if args.quick else 100)
    if args.hessians:
        print()
        from hessians import run_hessians  # this directory, on sys.path when run as a script
        run_hessians(args.sizes, args.timeout, args.repeats, args.seed)
    if args.with_elimination:
        elimination_table(elimination_sizes, rng)
    if args.figures:
        figure_times([(title, FAMILIES[family](n)) for title, n, family in FIGURE_EXAMPLES])
    return 0


if __name__ == "__main__":
    sys.exit(main())
