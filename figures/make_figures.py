"""Regenerate every figure the README and the tutorials show, from the package's public API.

    python figures/make_figures.py            # all figures, into this folder
    python figures/make_figures.py --list     # their names
    python figures/make_figures.py graph_intro storyboard_t1   # some of them

Figures are drawn with the DejaVu fonts bundled with matplotlib and without font hinting,
so the same packages give the same pictures on any machine; files are written atomically.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import sympy as sp  # noqa: E402

import symbackslash as sb  # noqa: E402
from symbackslash.examples import INTRO as INTRO_PROGRAM  # noqa: E402
from symbackslash.examples import T3_PROGRAM, t1_graph, t2_graph  # noqa: E402
from symbackslash.render import figure_bytes, write_atomic  # noqa: E402

HERE = Path(__file__).resolve().parent
STYLE = {"font.family": "DejaVu Sans", "mathtext.fontset": "dejavusans", "text.hinting": "none"}
INTRO = sp.sin(sp.Symbol("x") * sp.Symbol("y")) + sp.Symbol("x") * sp.Symbol("y")
MLP = T3_PROGRAM


def deep_network(layers: int = 50) -> str:
    """A chain of tanh layers with skip connections: 200+ nodes."""
    lines = ["h0 = x"] + [f"h{k} = tanh(w{k}*h{k - 1} + h{max(k - 3, 0)})"
                          for k in range(1, layers + 1)]
    return "\n".join(lines)


def png(fig) -> bytes:
    try:
        return figure_bytes(fig, "png", dpi=110)
    finally:
        plt.close(fig)


FIGURES = {
    # the README's first picture: the graph and (I − L)ᵀ x̄ = e in the middle of the solve
    "hero.png": lambda: png(sb.storyboard(INTRO_PROGRAM).frame(2)),
    "graph_intro.png": lambda: png(sb.draw_graph(sb.build_graph(INTRO)).figure),
    "graph_intro_path.png": lambda: png(sb.draw_graph(
        sb.build_graph(INTRO), highlight=["x", "v1", "v2", "f"]).figure),
    "L_intro.png": lambda: png(sb.draw_matrix(sb.build_graph(INTRO), "L").figure),
    "system_intro.png": lambda: png(sb.draw_matrix(sb.build_graph(INTRO), "(I-L)^T").figure),
    "storyboard_intro.png": lambda: sb.storyboard(INTRO).png_bytes(columns=1),
    "storyboard_intro.gif": lambda: sb.storyboard(INTRO).gif_bytes(),
    "storyboard_t1.png": lambda: sb.storyboard(t1_graph()).png_bytes(columns=2),
    "pathsum_intro.png": lambda: png(sb.draw_path_sum(sb.build_graph(INTRO), "x", "f")),
    "pathsum_t2.png": lambda: png(sb.draw_path_sum(t2_graph(), 1, 4, columns=2)),
    "graph_mlp.png": lambda: png(sb.draw_graph(sb.build_graph(MLP, nodes="statements")).figure),
    "system_mlp.png": lambda: png(sb.draw_matrix(sb.build_graph(MLP, nodes="statements"),
                                                 "(I-L)^T").figure),
    "graph_large.png": lambda: png(sb.draw_graph(sb.build_graph(deep_network())).figure),
    "pattern_large.png": lambda: png(sb.draw_matrix(sb.build_graph(deep_network()),
                                                    "(I-L)^T").figure),
}


def make(names, folder: Path = HERE) -> list[Path]:
    """Draw the named figures (all by default) into ``folder``; return the paths."""
    written = []
    with matplotlib.rc_context(STYLE):
        for name in names or FIGURES:
            if name not in FIGURES:
                raise SystemExit(f"unknown figure {name!r}; the figures are: {', '.join(FIGURES)}")
            written.append(write_atomic(folder / name, FIGURES[name]()))
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="figures to draw (default: all)")
    parser.add_argument("--list", action="store_true", help="list the figures")
    parser.add_argument("--out", type=Path, default=HERE, help="folder (default: figures/)")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(FIGURES))
        return 0
    for path in make(args.names, args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
