"""Benchmark section: Hessians by forward over reverse against sympy.hessian.

For the families of ``symbackslash.examples`` that are functions of n variables, at each
size n, it prints:

- ``ours``: time of ``symbackslash.hessian`` (gradient program, its graph, n forward
  substitutions, closed forms; best of ``repeats`` runs from a cold cache);
- ``sympy.hessian``: time of ``sympy.hessian`` on the same expression, in a child process
  with a time-out (``> t``), and ``speed-up`` = its time ÷ ours;
- ``hvp ops×``: operations of the Hessian-vector program ÷ operations of the function
  (SymPy ``count_ops``): one forward solve on the gradient program's graph;
- ``H ops×``: the same for the program of the whole Hessian (n forward solves);
- ``check``: the largest relative difference between our Hessian and sympy.hessian's at a
  random point (30 digits), or between H·v and central differences of the compiled
  gradient program (``fd``) when sympy.hessian did not finish.

Run alone (``python benchmarks/hessians.py --sizes 4 8 16``) or from ``run.py --hessians``.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time

import numpy as np
import sympy as sp
from run import in_child, relative_error  # this directory: the script's own, on sys.path

import symbackslash as sb
from symbackslash.examples import FAMILIES

#: Families whose variables are the function's inputs (one variable of a chain is no Hessian).
HESSIAN_FAMILIES = ("extended Rosenbrock", "trigonometric", "product + squares")

HEADER = (f"{'Hessians':22} {'n':>4} {'ours s':>9} {'sympy.hessian':>14} {'speed-up':>9} "
          f"{'hvp ops×':>9} {'H ops×':>8} {'check':>12}")


def _hessian_child(expression, variables, point, queue):
    start = time.process_time()
    H = sp.hessian(expression, variables)
    queue.put(time.process_time() - start)
    queue.put([float(sp.N(h.xreplace(point), 30)) for h in H])


def sympy_hessian(expression, variables, point, timeout: float):
    """(seconds or None on time-out, entries at ``point`` or None) of sympy.hessian, run in a
    child process."""
    elapsed, values = in_child(_hessian_child, (expression, variables, point), timeout, 2)
    return elapsed, values


def hvp_by_differences(expression, variables, point, v, h=1e-6):
    """H·v by central differences of the compiled gradient program along v."""
    grad = sb.gradient(expression, variables, form="program").lambdify(variables, "math")
    base = np.array([float(point[x]) for x in variables])
    up, down = grad(*(base + h*np.asarray(v))), grad(*(base - h*np.asarray(v)))
    return (np.asarray(up) - np.asarray(down)) / (2*h)


def run_hessians(sizes, timeout: float, repeats: int = 3, seed: int = 0,
                 families=HESSIAN_FAMILIES) -> list[dict]:
    """The Hessian section: one printed row per family and size; returns the rows."""
    rng = random.Random(seed)
    print(HEADER)
    rows = []
    for name in families:
        for n in sizes:
            sp.core.cache.clear_cache()
            example = FAMILIES[name](n)
            variables = list(example.wrt)
            point = {x: sp.Float(rng.uniform(*example.domain), 30) for x in variables}
            theirs, their_values = sympy_hessian(example.expression, variables, point, timeout)
            best = math.inf
            for _ in range(repeats):
                sp.core.cache.clear_cache()
                start = time.process_time()
                H = sb.hessian(example.expression, variables)
                best = min(best, time.process_time() - start)
            v = [rng.choice([-1, 1]) * rng.randint(1, 3) for _ in variables]
            hvp = sb.hvp(example.expression, variables, v, form="program")
            whole = sb.hessian(example.expression, variables, form="program")
            if their_values is not None:
                ours = [float(sp.N(h.xreplace(point), 30)) for h in H]
                check = f"{relative_error(ours, their_values):.1e}"
            else:
                ours = hvp.lambdify(variables, "math")(*[float(point[x]) for x in variables])
                fd = hvp_by_differences(example.expression, variables, point, v)
                check = f"{relative_error(ours, fd):.1e} fd"
            rows.append(dict(family=name, n=len(variables), ours=best, theirs=theirs,
                             hvp=hvp.ratio, whole=whole.ratio, check=check))
            print(_format(rows[-1], timeout), flush=True)
    return rows


def _format(row, timeout: float) -> str:
    theirs = f"{row['theirs']:.3f}" if row["theirs"] is not None else f"> {timeout:g}"
    speedup = (f"{row['theirs'] / row['ours']:.1f}" if row["theirs"] is not None
               else f"> {timeout / row['ours']:.1f}")
    return (f"{row['family']:22} {row['n']:>4} {row['ours']:>9.3f} {theirs:>14} {speedup:>9} "
            f"{row['hvp']:>9.2f} {row['whole']:>8.2f} {row['check']:>12}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 8, 16, 32])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    run_hessians(args.sizes, args.timeout, args.repeats, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
