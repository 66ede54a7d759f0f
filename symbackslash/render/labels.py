"""Labels for figures: the LaTeX printer's output as matplotlib mathtext, measured.

Matplotlib's mathtext renders a large subset of TeX without a TeX installation. A label is
printed with :class:`~symbackslash.printing.latex.LatexPrinter` (so operators and adjoints print
themselves) and wrapped in ``$…$``; when mathtext cannot parse it (``\\begin{cases}``,
matrices …) the label falls back to SymPy's plain text. Sizes are measured in points
without drawing, so layouts can make room for every label.

>>> import sympy as sp
>>> label(sp.Symbol("v1_bar")).text
'$\\\\bar{v}_{1}$'
>>> label(sp.Piecewise((sp.Symbol("x"), sp.Symbol("x") > 0), (0, True))).math
False
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from ..printing.latex import LatexPrinter
from ..printing.text import TextPrinter

__all__ = ["Label", "label", "math_text", "words", "mixed", "plain", "measure"]

_MEASURE = TextToPath()


@dataclasses.dataclass(frozen=True)
class Label:
    """A figure label: ``text`` for :meth:`matplotlib.axes.Axes.text`; ``math`` tells whether
    it is mathtext; ``width``, ``height`` in points at ``fontsize``."""

    text: str
    math: bool
    width: float
    height: float
    fontsize: float


def plain(s: str) -> str:
    """Text that matplotlib shows as it is (dollar signs escaped)."""
    return s.replace("$", r"\$")


def measure(text: str, math: bool, fontsize: float) -> tuple[float, float]:
    """Width and height (ascent + descent) of a label in points; raises ``ValueError`` if
    mathtext cannot parse it.

    Unhinted outlines scale exactly with the font size, so each text is parsed once, at
    :data:`REFERENCE` points, and scaled: figures that shrink their fonts to fit, or draw
    one label at several sizes, measure it again for free (a mathtext parse costs 10–30 ms).
    """
    width, height = _measure_once(text, math)
    return width * fontsize / REFERENCE, height * fontsize / REFERENCE


#: The font size at which labels are measured (:func:`measure` scales from it).
REFERENCE = 10.0


@lru_cache(maxsize=8192)
def _measure_once(text: str, math: bool) -> tuple[float, float]:
    width, height, descent = _MEASURE.get_text_width_height_descent(
        text, FontProperties(size=REFERENCE), ismath=math)
    return float(width), float(height + descent)


def label(obj, fontsize: float = 10.0, *, max_chars: int | None = None) -> Label:
    """The label of a SymPy object or derivation piece: mathtext when it parses, else text.

    ``max_chars`` shortens a plain-text fallback to that many characters (with "…").
    """
    math = math_text(obj)
    try:
        return Label(math, True, *measure(math, True, fontsize), fontsize)
    except ValueError:  # mathtext cannot render it: plain text instead
        text = TextPrinter().doprint(obj)
        if max_chars is not None and len(text) > max_chars:
            text = text[: max_chars - 1] + "…"
        text = plain(text)
        return Label(text, False, *measure(text, False, fontsize), fontsize)


def math_text(obj) -> str:
    """The mathtext of an object, unmeasured and unchecked: for what mathtext is known to
    render (a symbol), where :func:`label` would parse it only to measure it."""
    return "$%s$" % LatexPrinter().doprint(obj)


def words(text: str, fontsize: float = 10.0) -> Label:
    """A label of plain words."""
    text = plain(text)
    return Label(text, False, *measure(text, False, fontsize), fontsize)


def mixed(text: str, fontsize: float = 10.0) -> Label:
    """A label of words with ``$…$`` mathtext in it, e.g. ``"blocks: $M$, $\\tilde{L}$"``."""
    return Label(text, True, *measure(text, True, fontsize), fontsize)
