"""Stage 5, derivation: a derivation generated from the solve itself.

Takes a function and its variables; gives a :class:`Derivation` with numbered sections (the
graph, L, the system, each substitution step, the gradient) in LaTeX and in text.
"""

from .document import Derivation, StepView, derivation

__all__ = ["Derivation", "StepView", "derivation"]
