"""symbackslash: backpropagation is back substitution, shown symbolically.

The data flow is the layout: expression → graph → matrix → solve → derivation → render.
See README.md and docs/mathematics.md for the mathematics. In a running IPython shell, importing the
package registers the notebook display of graphs, systems and results
(:mod:`symbackslash.render.notebook`).
"""

from . import interrupt  # noqa: F401  (first: Ctrl-C while the command line imports exits quietly)
from .check import (
    DotTest,
    GradientReport,
    SympyComparison,
    check_gradient,
    compare_with_sympy,
    dot_test,
    finite_differences,
)
from .core.functions import relu, sigmoid, softplus
from .core.limits import Limits, get_limits, limits, set_limits
from .core.tidy import tidy
from .derivation.document import Derivation, StepView, derivation
from .derivatives.elimination import Elimination, EliminationCosts, eliminate, elimination_costs
from .derivatives.gradient import Differentiation, Gradient, differentiate, gradient, jacobian
from .derivatives.hessian import gradient_graph, hessian, hvp
from .derivatives.mlp import MLP, MLPSolution, mlp
from .derivatives.program import AdjointSymbol, GradientProgram, gradient_program
from .errors import (
    DifferentiationError,
    EvaluationDomainError,
    GraphError,
    InputError,
    NonSmoothWarning,
    ParseError,
    RenderError,
    ResourceLimitError,
    SymbackslashError,
    UnsafeInputError,
    UnusedVariableWarning,
)
from .errors import boundary as _boundary
from .graph.build import build_graph
from .graph.check import check_graph, node_order
from .graph.formulas import formulas
from .numeric.evaluate import evaluate
from .numeric.nonsmooth import NonSmoothPoint, nonsmooth_points
from .numeric.values import evaluate_exact, random_values
from .operators.algebra import Compose, IdentityOperator, Operator, OperatorSum, ScaledOperator
from .operators.functionals import ScalarEmbedding, TraceFunctional, representer, transpose_dot
from .operators.kinds import (
    Hadamard,
    Kronecker,
    LeftMultiply,
    RightMultiply,
    TransposeOperator,
    ZeroOperator,
    vec,
)
from .operators.maps import LinearMap
from .parse.parser import Program, parse, parse_expression, parse_program
from .printing.adjoints import MatrixAdjoint
from .printing.latex import latex
from .printing.text import text
from .render import (
    EliminationStoryboard,
    Storyboard,
    draw_elimination,
    draw_graph,
    draw_matrix,
    draw_path_sum,
    draw_system,
    pdflatex_available,
    save_figure,
    save_pdf,
    storyboard,
)
from .render.notebook import register as _register_notebook_display
from .rules.matrix import MATRIX_RULES, matrix_partials
from .rules.scalar import RULES, local_partials, register_rule
from .solve.matrices import TriangularSystem, triangular_system
from .solve.paths import (
    count_paths,
    neumann_inverse,
    neumann_terms,
    nilpotency_index,
    path_products,
    path_sum,
)
from .solve.substitution import Step, Substitution, back_substitute, forward_substitute

__version__ = "0.1.0"

__all__ = [
    "SymbackslashError", "InputError", "ParseError", "UnsafeInputError", "ResourceLimitError",
    "GraphError", "DifferentiationError", "EvaluationDomainError", "RenderError",
    "NonSmoothWarning", "UnusedVariableWarning",
    "Limits", "get_limits", "set_limits", "limits",
    "sigmoid", "softplus", "relu",
    "Program", "parse", "parse_expression", "parse_program",
    "RULES", "local_partials", "register_rule",
    "Operator", "IdentityOperator", "ZeroOperator", "ScaledOperator", "OperatorSum", "Compose",
    "representer", "LeftMultiply", "RightMultiply", "Hadamard", "Kronecker", "TransposeOperator",
    "TraceFunctional", "ScalarEmbedding", "transpose_dot", "vec", "LinearMap", "MATRIX_RULES",
    "matrix_partials", "tidy", "latex", "text",
    "build_graph", "check_graph", "formulas", "node_order",
    "NonSmoothPoint", "nonsmooth_points", "evaluate",
    "TriangularSystem", "triangular_system",
    "Step", "Substitution", "back_substitute", "forward_substitute",
    "neumann_inverse", "neumann_terms", "nilpotency_index", "count_paths", "path_products",
    "path_sum",
    "AdjointSymbol", "MatrixAdjoint", "GradientProgram", "gradient_program",
    "Differentiation", "Gradient", "differentiate", "gradient", "jacobian",
    "gradient_graph", "hessian", "hvp",
    "Elimination", "EliminationCosts", "eliminate", "elimination_costs",
    "evaluate_exact", "random_values",
    "MLP", "MLPSolution", "mlp",
    "DotTest", "GradientReport", "SympyComparison", "check_gradient", "compare_with_sympy",
    "dot_test", "finite_differences",
    "Derivation", "StepView", "derivation",
    "draw_graph", "draw_matrix", "draw_system", "draw_path_sum", "Storyboard", "storyboard",
    "draw_elimination", "EliminationStoryboard",
    "save_figure", "save_pdf", "pdflatex_available", "load_ipython_extension",
]


@_boundary
def load_ipython_extension(ipython) -> None:
    """``%load_ext symbackslash``: show graphs, systems and results as pictures and LaTeX
    (done on import already when IPython is running)."""
    _register_notebook_display(ipython)


_register_notebook_display()
