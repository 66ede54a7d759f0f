"""Command line: ``symbackslash grad "sin(x*y) + x*y" --wrt x y [--mode forward]``.

Prints the graph (nodes in order with their definitions), L, (I − L)ᵀ (or I − L in forward
mode), every substitution step and the gradient. Errors print one line and exit with
status 2 for bad input, 1 for an internal error, 130 when interrupted (``--debug`` shows the
traceback instead). Output is printed only once it is complete.
"""

from __future__ import annotations

import argparse
import sys

from .derivation import derivation
from .errors import SymbackslashError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symbackslash",
        description="Backpropagation is back substitution: see the graph, the triangular "
                    "system and every step of the solve.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", required=True)
    grad = commands.add_parser(
        "grad", help="differentiate an expression or a program",
        description="Differentiate an expression or a straight-line program (assignments "
                    "separated by newlines or ';'; the last one is the output).")
    grad.add_argument("function", help='e.g. "sin(x*y) + x*y" or "a = x*y; f = sin(a) + a"')
    grad.add_argument("--wrt", nargs="+", metavar="NAME",
                      help="variables (default: every input, sorted by name)")
    grad.add_argument("--mode", choices=("reverse", "forward"), default="reverse",
                      help="reverse: back substitution on (I - L)^T (default); "
                           "forward: forward substitution on I - L")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "grad":
            print(derivation(args.function, wrt=args.wrt, mode=args.mode).text())
        return 0
    except SymbackslashError as err:
        if args.debug:
            raise
        print(f"symbackslash: error: {_one_line(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("symbackslash: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a bug: still one line; --debug shows where
        if args.debug:
            raise
        print(f"symbackslash: internal error: {type(err).__name__}: {_one_line(err)} (run with "
              f"--debug for the traceback, and please report it)", file=sys.stderr)
        return 1


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
