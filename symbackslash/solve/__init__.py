"""Stage 3, solve: graph → the triangular system, and its generic solvers.

Takes a graph; gives L, its blocks M and L̃, I − L, the forward and back substitutions
(written once, for numbers, SymPy expressions and operators) and the path sums.
"""

from .matrices import TriangularSystem, triangular_system
from .paths import neumann_inverse, neumann_terms, nilpotency_index, path_products, path_sum
from .substitution import Step, Substitution, back_substitute, forward_substitute

__all__ = ["TriangularSystem", "triangular_system", "neumann_inverse", "neumann_terms",
           "nilpotency_index", "path_products", "path_sum", "Step", "Substitution",
           "back_substitute", "forward_substitute"]
