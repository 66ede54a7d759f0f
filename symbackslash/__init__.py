"""symbackslash: backpropagation is back substitution, shown symbolically.

The data flow is the layout: expression → graph → matrix → solve → derivation → render.
See README.md and method.md for the mathematics.
"""

from .errors import (DifferentiationError, EvaluationDomainError, GraphError, InputError,
                     NonSmoothWarning, ParseError, RenderError, ResourceLimitError,
                     SymbackslashError, UnsafeInputError)
from .limits import Limits, get_limits, limits, set_limits
from .functions import relu, sigmoid, softplus
from .parse import Program, parse, parse_expression, parse_program
from .rules import RULES, local_partials, register_rule
from .graph import build_graph, check_graph, formulas, node_order
from .nonsmooth import NonSmoothPoint, nonsmooth_points
from .evaluate import evaluate
from .matrices import TriangularSystem, triangular_system
from .solve import Step, Substitution, back_substitute, forward_substitute
from .paths import neumann_inverse, neumann_terms, nilpotency_index, path_products, path_sum
from .program import AdjointSymbol, GradientProgram, gradient_program
from .gradient import Differentiation, differentiate, gradient, jacobian

__version__ = "0.1.0"

__all__ = [
    "SymbackslashError", "InputError", "ParseError", "UnsafeInputError", "ResourceLimitError",
    "GraphError", "DifferentiationError", "EvaluationDomainError", "RenderError",
    "NonSmoothWarning",
    "Limits", "get_limits", "set_limits", "limits",
    "sigmoid", "softplus", "relu",
    "Program", "parse", "parse_expression", "parse_program",
    "RULES", "local_partials", "register_rule",
    "build_graph", "check_graph", "formulas", "node_order",
    "NonSmoothPoint", "nonsmooth_points", "evaluate",
    "TriangularSystem", "triangular_system",
    "Step", "Substitution", "back_substitute", "forward_substitute",
    "neumann_inverse", "neumann_terms", "nilpotency_index", "path_products", "path_sum",
    "AdjointSymbol", "GradientProgram", "gradient_program",
    "Differentiation", "differentiate", "gradient", "jacobian",
]
