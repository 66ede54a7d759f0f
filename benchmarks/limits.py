"""Benchmark: the slowest inputs we know within the default limits, timed one by one.

The README's "Safety and limits" promises that every input the parser accepts is answered
or refused in bounded time, and quotes these figures. Each case runs in a forked child
process with a time-out (``--timeout``, seconds), from a cold cache, and prints its
wall-clock and processor seconds (the parse included) and its outcome: ``ok`` or the
error's class and limit. ``--quick`` runs the same cases at small sizes (what the test suite runs).

Usage::

    python benchmarks/limits.py              # the full sizes (about five minutes)
    python benchmarks/limits.py --quick      # seconds

Run on an idle machine.
"""

from __future__ import annotations

import argparse
import time

import matplotlib
import sympy as sp
from run import in_child

import symbackslash as sb

matplotlib.use("Agg")


def _squaring(n: int) -> str:
    return "a = 3*x\n" + "a = a*a\n" * n


def _doubling(n: int) -> str:
    return "a = x\n" + "a = sin(a) + cos(a)\n" * n


def _chain(n: int) -> str:
    return "a = x\n" + "a = sin(a)\n" * n


def _long(n: int) -> str:
    return "a = x\n" + "a = sin(a) + a\n" * n


def _path_figure(n: int) -> None:
    """Count the 2^n paths from x to the output of n diamonds and draw their figure."""
    G = sb.build_graph("a = x\n" + "a = sin(a)*cos(a)\n" * n)
    output = G.graph["outputs"][0]
    assert sb.count_paths(G, sp.Symbol("x"), output) == 2**n
    sb.draw_path_sum(G, sp.Symbol("x"), output)


def cases(quick: bool) -> list[tuple[str, callable]]:
    """``(description, call)`` for each case: the full sizes, or small ones."""
    big, statements = (6, 200) if quick else (None, sb.get_limits().max_statements - 1)
    return [
        ("(((3*x)**10000)**10000)**10000: the closed form",
         lambda: sb.gradient("(((3*x)**10000)**10000)**10000")),
        (f"squaring program, {big or 26} lines: the closed form",
         lambda: sb.gradient(_squaring(big or 26))),
        (f"a = sin(a) + cos(a), {9 if not quick else 4} lines: derivation().text()",
         lambda: sb.derivation(_doubling(4 if quick else 9)).text()),
        (f"a = sin(a), {big or 5000} lines: the closed form",
         lambda: sb.gradient(_chain(big or 5000))),
        (f"a = sin(a) + a, {statements:,} lines: the gradient program",
         lambda: sb.gradient(_long(statements), form="program")),
        (f"a = sin(a) + a, {statements:,} lines: the closed form",
         lambda: sb.gradient(_long(statements))),
        (f"2^{big or 40} paths: count_paths and the path-sum figure",
         lambda: _path_figure(big or 40)),
        ("a closed form near max_nodes, printed with str()",
         lambda: str(sb.gradient(_doubling(5 if quick else 8))[0])),
    ]


def _child(call, queue) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    try:
        call()
        outcome = "ok"
    except sb.SymbackslashError as error:
        limit = getattr(error, "limit", None)
        outcome = type(error).__name__ + (f" ({limit})" if limit else "")
    except Exception as error:  # noqa: BLE001 - a foreign error is a finding: printed
        outcome = f"FOREIGN {type(error).__name__}"
    queue.put((time.perf_counter() - start, time.process_time() - cpu, outcome))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: seconds")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds for each case before it is reported as '> timeout'")
    args = parser.parse_args(argv)
    print(f"The slowest inputs known within the default limits (symbackslash "
          f"{sb.__version__}, sympy {sp.__version__}):")
    print(f"  {'seconds':>8}  {'CPU s':>7}  {'outcome':34}  input")
    for description, call in cases(args.quick):
        (result,) = in_child(_child, (call,), args.timeout, 1)
        seconds, cpu, outcome = result if result is not None else (None, None, "timed out")
        shown = f"{seconds:8.2f}  {cpu:7.2f}" if seconds is not None else \
            f"> {args.timeout:6.0f}  {'':7}"
        print(f"  {shown}  {outcome:34}  {description}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
