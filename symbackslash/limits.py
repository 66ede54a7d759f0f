"""Resource limits: bounded work for text typed by someone else.

Every limit has a documented default and can be raised for the whole process with
:func:`set_limits` or for a block with the :func:`limits` context manager::

    >>> import symbackslash as sb
    >>> sb.get_limits().max_chars
    1000000
    >>> with sb.limits(max_chars=2_000_000):
    ...     sb.get_limits().max_chars
    2000000

Exceeding a limit raises :class:`~symbackslash.errors.ResourceLimitError`, which names the
limit and how to raise it.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator

from .errors import InputError, ResourceLimitError

__all__ = ["Limits", "get_limits", "set_limits", "limits", "check_limit"]


@dataclasses.dataclass(frozen=True)
class Limits:
    """The resource limits in force.

    Attributes
    ----------
    max_chars : int
        Longest accepted input text, in characters.
    max_statements : int
        Most statements (assignments) in one program.
    max_depth : int
        Deepest nesting of one expression (operators, calls, parentheses), in the text and in
        SymPy expressions given directly.
    max_nodes : int
        Most nodes in a computational graph.
    max_int_digits : int
        Longest integer literal, and largest integer a numeric power may produce, in digits.
    max_exponent : int
        Largest absolute value of a numeric exponent (``x**10**9`` is refused, not expanded).
    simplify_seconds : float
        Time budget for optional simplification of results; past it the unsimplified (and
        equal) result is returned.
    """

    max_chars: int = 1_000_000
    max_statements: int = 50_000
    max_depth: int = 2_000
    max_nodes: int = 200_000
    max_int_digits: int = 1_000
    max_exponent: int = 10_000
    simplify_seconds: float = 5.0


_current = Limits()


def get_limits() -> Limits:
    """Return the limits now in force."""
    return _current


def set_limits(**changes) -> Limits:
    """Change limits for the rest of the process; return the previous limits.

    Raises
    ------
    InputError
        For an unknown limit name or a value that is not a positive number.
    """
    global _current
    previous = _current
    _current = _validated(changes)
    return previous


@contextlib.contextmanager
def limits(**changes) -> Iterator[Limits]:
    """Context manager: the given limits hold inside the ``with`` block only."""
    global _current
    previous = _current
    _current = _validated(changes)
    try:
        yield _current
    finally:
        _current = previous


def check_limit(name: str, value: int | float, what: str) -> None:
    """Raise :class:`ResourceLimitError` if ``value`` exceeds the limit ``name``.

    ``what`` describes the measured quantity for the message, e.g. ``"input length"``.
    """
    allowed = getattr(_current, name)
    if value > allowed:
        raise ResourceLimitError(f"{what} is {value}, over the limit of {allowed}", limit=name)


def _validated(changes: dict) -> Limits:
    names = {f.name for f in dataclasses.fields(Limits)}
    for key, value in changes.items():
        if key not in names:
            raise InputError(f"unknown limit {key!r}; the limits are: {', '.join(sorted(names))}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise InputError(f"limit {key} must be a positive number, got {value!r}")
    return dataclasses.replace(_current, **changes)
