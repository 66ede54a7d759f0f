"""Forward and back substitution: the textbook loops, written once, for any entry type.

Reverse mode is back substitution on (I − L)ᵀ x̄ = e; forward mode is forward substitution on
(I − L) ẋ = s (docs/mathematics.md). The loops below are the whole algorithm. They never look at
what an entry is: applying an entry to an unknown, subtracting and dividing by the diagonal
go through :mod:`symbackslash.core.elements`, so the same function object runs on Python
numbers, Fractions, SymPy expressions, NumPy blocks and linear operators.

They iterate over the nonzeros only (each off-diagonal entry is touched once) and record
every step as data, a :class:`Step`, for the derivation and the storyboard.

>>> from fractions import Fraction
>>> U = [[1, -2, 0], [0, 1, -3], [0, 0, 1]]
>>> list(back_substitute(U, [0, 0, 1]))
[6, 3, 1]
>>> list(forward_substitute([[2, 0], [1, 1]], [Fraction(1), Fraction(1)]))
[Fraction(1, 2), Fraction(1, 2)]
>>> back_substitute(U, [0, 0, 1]).multiplications   # −2·3; −3·1 is free
1
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sympy as sp

from ..core.elements import act, divide, is_unit, is_zero, subtract
from ..errors import InputError, boundary
from ..printing.latex import latex
from ..printing.pieces import Chain, Rows
from ..printing.text import text

__all__ = ["Step", "Substitution", "back_substitute", "forward_substitute", "sparse_rows"]


@dataclasses.dataclass(frozen=True)
class Step:
    """One step of a substitution: ``x[unknown] = (rhs − Σ entry·x[j]) / diagonal``.

    Attributes
    ----------
    unknown : int
        0-based index of the unknown solved for.
    rhs : object
        The right-hand side entry ``b[unknown]``.
    terms : tuple of (int, entry, value)
        For each nonzero off-diagonal entry of the row: its column ``j``, the entry, and the
        value ``x[j]`` it was applied to.
    diagonal : object
        The diagonal entry.
    result : object
        The value stored for ``x[unknown]``.
    """

    unknown: int
    rhs: Any
    terms: tuple
    diagonal: Any
    result: Any


class Substitution(Sequence):
    """The solution of a triangular system, with the steps that produced it.

    A sequence of the unknowns ``x[0], x[1], …``; ``steps`` lists the :class:`Step` records in
    the order they were taken, and ``mode`` is ``"back"`` or ``"forward"``.
    """

    def __init__(self, x: list, steps: list[Step], mode: str):
        self.x, self.steps, self.mode = x, steps, mode

    def __getitem__(self, i):
        return self.x[i]

    def __len__(self) -> int:
        return len(self.x)

    def __repr__(self) -> str:
        # not the solution itself: SymPy's repr of a deep matrix result can take minutes
        return f"<Substitution: {self.mode}, {len(self.x)} unknowns, {len(self.steps)} steps>"

    def _rows(self) -> Rows:
        """x_k = value, in the order the steps solved them."""
        return Rows(tuple(Chain(sp.Symbol(f"x_{s.unknown + 1}"), s.result)
                          for s in self.steps))

    def __str__(self) -> str:
        return f"{self.mode} substitution, {len(self.steps)} steps:\n" + text(self._rows())

    def _repr_latex_(self) -> str:
        return "$$%s$$" % latex(self._rows())

    @property
    def edges_touched(self) -> int:
        """How many off-diagonal entries the solve applied (each nonzero exactly once)."""
        return sum(len(step.terms) for step in self.steps)

    @property
    def multiplications(self) -> int:
        """How many products entry·x[j] the solve formed that cost a multiplication: those
        with neither factor 0 nor ±1 (nor ±𝓘, for operators): on the paper's 5-node graph, 4
        for forward mode, 3 for back substitution."""
        return sum(not (_free(entry) or _free(xj)) for step in self.steps
                   for _, entry, xj in step.terms)


def _free(factor) -> bool:
    """A factor that makes a product free: 0, 1 or −1 (the identity operator, ±𝓘)."""
    return is_zero(factor) or is_unit(factor)


Assign = Callable[[int, Any], Any]


@boundary
def back_substitute(U, b: Sequence, *, assign: Assign | None = None) -> Substitution:
    """Solve ``U x = b`` for upper-triangular ``U`` by back substitution (last unknown first).

    Parameters
    ----------
    U : SymPy matrix, list of rows, or mapping ``{(i, j): entry}``
        Upper triangular; only nonzero entries are visited. A mapping is sparse storage.
    b : sequence
        Right-hand side, one entry per row.
    assign : callable, optional
        ``assign(i, value)`` returns what to store for ``x[i]`` (default: ``value``). The
        gradient program uses it to give every adjoint its own name.

    Returns
    -------
    Substitution
    """
    return _substitute(U, b, upper=True, assign=assign)


@boundary
def forward_substitute(L, b: Sequence, *, assign: Assign | None = None) -> Substitution:
    """Solve ``L x = b`` for lower-triangular ``L`` by forward substitution (first unknown
    first). Parameters and result as in :func:`back_substitute`."""
    return _substitute(L, b, upper=False, assign=assign)


def _substitute(A, b: Sequence, *, upper: bool, assign: Assign | None) -> Substitution:
    """The loop: x_i = (b_i − Σ_j A_ij x_j) / A_ii, over the rows in solving order."""
    _check_arguments(A, b, assign)
    n = len(b)
    diagonal, rows = sparse_rows(A, n, upper=upper)
    x: list = [None] * n
    steps = []
    for i in (reversed(range(n)) if upper else range(n)):
        terms = tuple((j, entry, x[j]) for j, entry in rows[i])
        value = divide(diagonal[i], subtract(b[i], [act(entry, xj) for _, entry, xj in terms]))
        x[i] = assign(i, value) if assign else value
        steps.append(Step(i, b[i], terms, diagonal[i], x[i]))
    return Substitution(x, steps, "back" if upper else "forward")


def sparse_rows(A, n: int, *, upper: bool) -> tuple[list, list[list]]:
    """Split a triangular matrix into its diagonal and the nonzero off-diagonal entries of
    each row, ``(diagonal, rows)`` with ``rows[i] = [(j, A[i, j]), …]``.

    Raises
    ------
    InputError
        If ``A`` is not n × n, has a nonzero on the wrong side, or a zero on the diagonal.
    """
    entries = _entries(A, n)
    diagonal: list = [None] * n
    rows: list[list] = [[] for _ in range(n)]
    for (i, j), entry in entries:
        if not (0 <= i < n and 0 <= j < n):
            raise InputError(f"entry ({i}, {j}) is outside the {n} × {n} system")
        if i == j:
            diagonal[i] = entry
        elif (j > i) == upper:
            rows[i].append((j, entry))
        elif not is_zero(entry):
            side = "below" if upper else "above"
            raise InputError(f"the matrix is not {'upper' if upper else 'lower'} triangular: entry "
                             f"({i}, {j}) {side} the diagonal is {entry}")
    for i, d in enumerate(diagonal):
        if d is None or is_zero(d):
            raise InputError(f"diagonal entry ({i}, {i}) is zero: the system is singular")
    for row in rows:
        row.sort(key=lambda item: item[0])
    return diagonal, rows


def _entries(A, n: int):
    """The nonzero entries of ``A`` as ``((i, j), entry)`` pairs."""
    if isinstance(A, Mapping):
        return [(key, entry) for key, entry in A.items() if not is_zero(entry)]
    if hasattr(A, "todok"):  # SymPy matrices
        if A.shape != (n, n):
            raise InputError(f"the matrix is {A.shape[0]} × {A.shape[1]} but the right-hand side "
                             f"has {n} entries")
        return list(A.todok().items())
    rows = list(A)
    if len(rows) != n or any(len(row) != n for row in rows):
        raise InputError(f"the matrix must have {n} rows of {n} entries, matching the right-hand "
                         f"side")
    return [((i, j), entry) for i, row in enumerate(rows) for j, entry in enumerate(row)
            if not is_zero(entry)]


def _check_arguments(A, b, assign) -> None:
    """Refuse, by name, arguments the loop cannot use."""
    if isinstance(b, (str, bytes, Mapping)) or not hasattr(b, "__len__") or \
            not hasattr(b, "__getitem__"):
        raise InputError(f"the right-hand side b must be a sequence of entries, not "
                         f"{type(b).__name__}")
    if not (isinstance(A, Mapping) or hasattr(A, "todok") or
            (isinstance(A, Sequence) and not isinstance(A, (str, bytes))
             and all(isinstance(row, Sequence) for row in A))):
        raise InputError(f"the matrix must be a SymPy matrix, a list of rows or a mapping "
                         f"{{(i, j): entry}}, not {type(A).__name__}")
    if isinstance(A, Mapping) and not all(isinstance(k, tuple) and len(k) == 2 for k in A):
        raise InputError("the keys of a sparse matrix must be pairs (i, j)")
    if assign is not None and not callable(assign):
        raise InputError(f"assign must be a function (i, value) -> stored value, not "
                         f"{type(assign).__name__}")
