"""Figures: the computational graph, the triangular matrices, storyboards and path sums.

The last stage of the data flow. Everything is drawn with matplotlib and laid out with
networkx; labels are mathtext produced by the LaTeX printer, so no TeX installation is
needed (:mod:`.pdf` compiles derivations with pdflatex when it is installed). Renderers
read only the public attributes of graphs, systems and solver records.
"""

from .elimination_figure import EliminationStoryboard, draw_elimination
from .files import figure_bytes, save_figure, write_atomic
from .graph_figure import draw_graph
from .highlight import Highlight, highlight_of
from .labels import Label, label
from .layout import Layout, layered_layout
from .matrix_figure import draw_matrix, draw_system
from .path_figure import draw_path_sum
from .pdf import pdf_bytes, pdflatex_available, save_pdf
from .storyboard import Storyboard, page_path, storyboard

__all__ = ["Label", "label", "Layout", "layered_layout", "Highlight", "draw_graph",
           "highlight_of", "draw_matrix", "draw_system", "Storyboard", "storyboard", "page_path",
           "draw_path_sum", "figure_bytes", "save_figure", "write_atomic", "pdf_bytes",
           "pdflatex_available", "save_pdf", "draw_elimination", "EliminationStoryboard"]
