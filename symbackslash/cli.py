"""Command line: ``symbackslash grad "sin(x*y) + x*y" --wrt x y [--mode forward] [files]``
and ``symbackslash demo [--out DIR]`` (:mod:`symbackslash.demo`).

``--shape NAME=MxN …`` makes names matrices of those shapes (the function is then one
matrix expression: :mod:`symbackslash.parse.matrices`)::

    symbackslash grad "trace(A*X) + log(det(X))" --wrt X --shape A=3x3 X=3x3

``--at`` gives numbers to the variables of a scalar function: with ``--shape`` it is refused.

Prints the derivation (the function and its numbered program, the nodes with their local
partials, L, (I − L)ᵀ or I − L, every substitution step, the block form and the gradient)
and optionally writes files:

``--latex FILE``        the derivation as a standalone LaTeX document;
``--pdf FILE``          the same document compiled with pdflatex (when it is installed);
``--figure FILE``       the computational graph (.png, .svg or .pdf);
``--matrix FILE``       (I − L)ᵀ in reverse mode, I − L in forward mode;
``--storyboard FILE``   one frame per substitution step: a PNG grid (more frames than fit
                        on a page: FILE, then FILE-2.png …) or an animated GIF;
``--paths FILE``        the paths from the first variable to the output, with their sum.

Every file is rendered first and then written atomically, so an error leaves no file
behind, complete or partial. Errors print one line and exit with status 2 for bad input, 1
for an internal error, 130 when interrupted (``--debug`` shows the traceback instead), 143
when terminated (``kill``), after removing temporary files and stopping pdflatex.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import threading
import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt

from . import interrupt
from .demo import DEFAULT_FOLDER, run_demo
from .derivation.document import Derivation, derivation
from .errors import InputError, RenderError, SymbackslashError
from .parse.parser import parse_expression
from .render import (
    draw_graph,
    draw_matrix,
    draw_path_sum,
    figure_bytes,
    page_path,
    pdf_bytes,
    storyboard,
    write_atomic,
)
from .render.files import FIGURE_FORMATS, check_writable

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
    grad.add_argument("--at", nargs="+", metavar="NAME=VALUE", default=(),
                      help="a point: every step and the gradient are also shown in numbers "
                           "(scalar functions only, not with --shape)")
    grad.add_argument("--shape", nargs="+", metavar="NAME=MxN", default=(),
                      help="these names are M x N matrices: the function is one matrix "
                           "expression with A*X or A @ X (matrix product), + -, X.T, "
                           "transpose(X), inv(X) or X**-1, X**n, trace(X), det(X), e.g. "
                           '"trace(A*X) + log(det(X))" --shape A=3x3 X=3x3')
    files = grad.add_argument_group("files (written only if everything renders)")
    files.add_argument("--latex", metavar="FILE.tex", help="the derivation as a LaTeX document")
    files.add_argument("--pdf", metavar="FILE.pdf",
                       help="the derivation compiled with pdflatex (needs a TeX installation)")
    files.add_argument("--figure", metavar="FILE", help="the graph (.png, .svg or .pdf)")
    files.add_argument("--matrix", metavar="FILE",
                       help="(I - L)^T, or I - L in forward mode (.png, .svg or .pdf)")
    files.add_argument("--storyboard", metavar="FILE",
                       help="one frame per step: a grid (.png) or an animation (.gif)")
    files.add_argument("--paths", metavar="FILE",
                       help="the paths from the first variable to the output (.png, .svg, .pdf)")
    grad.add_argument("--quiet", action="store_true", help="do not print the derivation")
    demo = commands.add_parser(
        "demo", help="the paper's examples in a few seconds, with files to look at",
        description="Differentiate the paper's examples (sin(xy) + xy, its 5-node graph and "
                    "its matrix MLP), print a summary with finite-difference checks, and write "
                    "the derivation (.tex, and .pdf with pdflatex), the graph, the system and "
                    "the storyboard of the first one.")
    demo.add_argument("--out", metavar="DIR", default=DEFAULT_FOLDER,
                      help=f"where to write the files (default: ./{DEFAULT_FOLDER}/)")
    return parser


def _point(items) -> dict:
    """``["x=1", "y=0.5"]`` → ``{"x": 1, "y": 0.5}``; values through the safe parser."""
    point = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InputError(f"--at {item!r}: write NAME=VALUE, e.g. x=1.5")
        if "=" in value:
            raise InputError(f"--at {item!r}: one NAME=VALUE per argument, separated by "
                             f"spaces: --at x=1 y=2")
        number = parse_expression(value)
        if not number.is_number:
            raise InputError(f"--at {item!r}: the value must be a number")
        if name.strip() in point:
            raise InputError(f"--at {item!r}: {name.strip()} is given twice; give one value "
                             f"per variable")
        point[name.strip()] = number
    return point


_SHAPE = re.compile(r"(\d{1,9})[xX×](\d{1,9})")


def _shapes(items) -> dict | None:
    """``["A=3x3", "x=3x1"]`` → ``{"A": (3, 3), "x": (3, 1)}`` (None when there are none);
    the names and sizes are checked by the parser (:func:`~.parse.matrices.check_shapes`)."""
    shapes = {}
    for item in items:
        name, sep, size = item.partition("=")
        name, match = name.strip(), _SHAPE.fullmatch(size.strip())
        if not sep or not name or match is None:
            raise InputError(f"--shape {item!r}: write NAME=ROWSxCOLUMNS with whole numbers of "
                             f"at most 9 digits, e.g. X=3x3")
        if name in shapes:
            raise InputError(f"--shape {item!r}: {name} is given twice; give one shape per "
                             f"matrix")
        shapes[name] = (int(match.group(1)), int(match.group(2)))
    return shapes or None


def _matrix_point(point: dict, shapes: dict | None) -> dict:
    """Refuse ``--at`` with matrices: it gives numbers, and a point of a matrix function
    needs the values of its matrices too."""
    for name in point if shapes else ():
        what = (f"{name} is a {shapes[name][0]} x {shapes[name][1]} matrix (--shape)"
                if name in shapes else "the function has matrices (--shape)")
        raise InputError(f"--at {name}=...: {what}; --at gives numbers to the variables of a "
                         f"scalar function only, so leave --at out")
    return point


def _renderings(d: Derivation, args) -> list[tuple[Path, bytes]]:
    """Every requested file as bytes, before anything is written."""
    requested = [("latex", args.latex), ("pdf", args.pdf), ("figure", args.figure),
                 ("matrix", args.matrix), ("storyboard", args.storyboard), ("paths", args.paths)]
    for _, name in requested:  # fail on a bad destination before any work
        if name is not None:
            check_writable(name)
    outputs = []
    for kind, name in requested:
        if name is None:
            continue
        path = Path(name)
        suffix = path.suffix.lower().lstrip(".")
        if kind == "latex":
            outputs.append((path, d.document().encode("utf-8")))
        elif kind == "pdf":
            outputs.append((path, pdf_bytes(d)))
        elif kind == "storyboard":
            if suffix not in ("png", "gif"):
                raise RenderError(f"--storyboard {name}: use .png (a grid) or .gif (an "
                                  f"animation)")
            board = storyboard(d)
            if suffix == "png":   # steps.png, then steps-2.png … if the frames need pages
                outputs += [(page_path(path, k), page)
                            for k, page in enumerate(board.png_pages())]
            else:
                outputs.append((path, board.gif_bytes()))
        else:
            if suffix not in FIGURE_FORMATS:
                raise RenderError(f"--{kind} {name}: use .png, .svg or .pdf")
            outputs.append((path, _figure(d, kind, suffix)))
    return outputs


def _figure(d: Derivation, kind: str, fmt: str) -> bytes:
    if kind == "figure":
        fig = draw_graph(d.graph).figure
    elif kind == "matrix":
        fig = draw_matrix(d.system, "(I-L)^T" if d.mode == "reverse" else "I-L").figure
    else:
        variable = next((v for v in d.result.wrt if v in d.graph), None)
        if variable is None:
            raise RenderError("--paths: none of the variables occurs in the function")
        fig = draw_path_sum(d.graph, variable, d.result.outputs[0])
    try:
        return figure_bytes(fig, fmt)
    finally:
        plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    matplotlib.use("Agg")  # the command line writes files; it never opens a window
    restore = _terminate_cleanly()
    shown = warnings.showwarning
    warnings.showwarning = _warning_line
    try:
        _interrupts_raise()
        if args.command == "demo":
            run_demo(args.out)
        elif args.command == "grad":
            shapes = _shapes(args.shape)
            function = args.function if shapes is None else \
                parse_expression(args.function, shapes)
            at = _matrix_point(_point(args.at), shapes)
            d = derivation(function, wrt=args.wrt, mode=args.mode, at=at)
            outputs = _renderings(d, args)
            if not args.quiet:
                print(d.text())
            for path, data in outputs:
                write_atomic(path, data)
                print(f"wrote {path}", file=sys.stderr)
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
    finally:
        restore()
        warnings.showwarning = shown


def _warning_line(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning as one line of the command line's own (not Python's file and source
    line): ``symbackslash: warning: wrt[0] = Y does not occur in the function …``."""
    print(f"symbackslash: warning: {_one_line(message)}", file=sys.stderr)


def _interrupts_raise() -> None:
    """From here on Ctrl-C raises KeyboardInterrupt, which :func:`main` turns into status
    130 after cleaning up (while the package was imported, :mod:`.interrupt` exited)."""
    if threading.current_thread() is threading.main_thread() \
            and signal.getsignal(signal.SIGINT) is interrupt._interrupted:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _terminate_cleanly():
    """On SIGTERM (``kill``), unwind like Ctrl-C: temporary folders are removed and a
    running pdflatex is killed before the process exits with 143. Returns what puts the
    previous handler back."""
    if threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "SIGTERM"):
        return lambda: None
    previous = signal.signal(signal.SIGTERM, _on_terminate)
    return lambda: signal.signal(signal.SIGTERM, previous)


def _on_terminate(signum, frame):
    raise SystemExit(128 + signum)


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
