"""Stage 1, parse: text → SymPy, through an allow-list (no ``eval``).

Takes a string (an expression or a straight-line program); gives a SymPy expression or a
:class:`Program` of assignments. With ``shapes={name: (rows, columns)}`` those names are
matrices and the text is one matrix expression (:mod:`.matrices`).
"""

from .parser import FUNCTIONS, SOURCE_NAME, Program, parse, parse_expression, parse_program

__all__ = ["FUNCTIONS", "SOURCE_NAME", "Program", "parse", "parse_expression", "parse_program"]
