"""The one error hierarchy of symbackslash.

Every error the public API raises for bad input is a :class:`SymbackslashError`.
Messages name the line/column, node or variable at fault and say what to do.

::

    SymbackslashError
    ├── InputError            (bad argument: wrong ``wrt``, wrong type, not triangular …)
    ├── ParseError            (text that is not an allowed expression or program)
    │   └── UnsafeInputError  (a construct outside the allow-list: attributes, imports …)
    ├── ResourceLimitError    (a documented limit was exceeded; see ``symbackslash.limits``)
    ├── GraphError            (cycles, use before definition, redefinition, bad graphs)
    ├── DifferentiationError  (no derivative rule, non-differentiable construct)
    ├── EvaluationDomainError (numeric evaluation at a singular point)
    └── RenderError           (a figure or document could not be produced)
"""

from __future__ import annotations

__all__ = [
    "SymbackslashError",
    "InputError",
    "ParseError",
    "UnsafeInputError",
    "ResourceLimitError",
    "GraphError",
    "DifferentiationError",
    "EvaluationDomainError",
    "RenderError",
]


class SymbackslashError(Exception):
    """Base class of every error raised by symbackslash for bad input."""


class InputError(SymbackslashError, ValueError):
    """A public function was called with an argument it cannot use."""


class ParseError(SymbackslashError, ValueError):
    """Text that is not an allowed expression or straight-line program.

    Attributes
    ----------
    line, column : int or None
        1-based position of the offending construct in the text.
    construct : str or None
        A short name of what was found (``"attribute access"``, ``"string literal"`` …).
    """

    def __init__(self, message: str, *, line: int | None = None,
                 column: int | None = None, construct: str | None = None):
        self.line, self.column, self.construct = line, column, construct
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(message + where)


class UnsafeInputError(ParseError):
    """A construct outside the parser's allow-list (attribute access, imports, lambdas …)."""


class ResourceLimitError(SymbackslashError):
    """A documented resource limit was exceeded.

    Attributes
    ----------
    limit : str
        The name of the limit (a field of :class:`symbackslash.Limits`).
    """

    def __init__(self, message: str, *, limit: str):
        self.limit = limit
        super().__init__(
            f"{message} [limit {limit}; raise it with "
            f"symbackslash.set_limits({limit}=...) or `with symbackslash.limits({limit}=...):`]")


class GraphError(SymbackslashError, ValueError):
    """A computation that is not a valid DAG: cycles, use before definition, redefinition."""


class DifferentiationError(SymbackslashError):
    """A local partial derivative cannot be formed (no rule, non-differentiable construct)."""


class EvaluationDomainError(SymbackslashError, ArithmeticError):
    """Numeric evaluation at a point where the value or derivative is undefined."""


class RenderError(SymbackslashError):
    """A figure or a document could not be produced."""
