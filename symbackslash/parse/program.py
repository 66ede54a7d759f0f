"""A straight-line program: the data the parser gives and the graph builder takes.

Its own module, so that the parser, the unrolling of loops (:mod:`.statements`) and the
tracing of Python functions (:mod:`.trace`) all build it without importing each other.
"""

from __future__ import annotations

import dataclasses

import sympy as sp

from ..core.limits import symbols
from ..errors import GraphError, InputError

__all__ = ["Program"]


@dataclasses.dataclass(frozen=True)
class Program:
    """A straight-line program: assignments in order, the last one being the output.

    Attributes
    ----------
    assignments : tuple of (Symbol, Expr)
        ``name = expression`` in order; expressions use inputs and earlier names.
    inputs : tuple of Symbol
        Names used but never assigned, sorted by name.
    lines : tuple of int
        The source line of each assignment (1-based), for messages.
    notes : tuple of str
        For each assignment, the iteration of the loops around it (``"i = 2"``; empty
        outside loops), when the program was unrolled from code with ``for`` loops.
    """

    assignments: tuple[tuple[sp.Symbol, sp.Expr], ...]
    inputs: tuple[sp.Symbol, ...]
    lines: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self):
        """A program made by hand obeys the parser's rules: pairs (Symbol, expression), each
        name assigned once and before it is used."""
        if not isinstance(self.assignments, (tuple, list)) or not self.assignments:
            raise InputError("a Program needs a non-empty tuple of (Symbol, expression) pairs")
        if not isinstance(self.inputs, (tuple, list)) or \
                not all(isinstance(s, sp.Symbol) for s in self.inputs):
            raise InputError("Program.inputs must be a tuple of symbols")
        if self.notes and (not isinstance(self.notes, (tuple, list))
                           or len(self.notes) != len(self.assignments)
                           or not all(isinstance(n, str) for n in self.notes)):
            raise InputError("Program.notes must be one string per assignment (or empty)")
        assigned = {pair[0] for pair in self.assignments if isinstance(pair, tuple) and pair}
        defined: set = set()
        for k, pair in enumerate(self.assignments):
            if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], sp.Symbol)
                    and isinstance(pair[1], sp.Expr)):
                raise InputError(f"assignment {k} of the Program is {pair!r}; give a pair "
                                 f"(Symbol, SymPy expression), or parse text with parse_program")
            name, expr = pair
            if name in defined:
                raise GraphError(f"'{name}' is assigned twice in the Program; assign each name "
                                 f"once")
            early = sorted(map(str, (symbols(expr) & assigned) - defined))
            if early:
                raise GraphError(f"assignment {k} ({name} = {expr}) uses {', '.join(early)} "
                                 f"before its assignment; assign it first (a program has no "
                                 f"cycles)")
            defined.add(name)

    @property
    def output(self) -> sp.Symbol:
        """The program's output: the name assigned last."""
        return self.assignments[-1][0]

    @property
    def names(self) -> tuple[sp.Symbol, ...]:
        """The assigned names, in order."""
        return tuple(name for name, _ in self.assignments)

    def __str__(self) -> str:
        return "\n".join(f"{name} = {expr}" for name, expr in self.assignments)
