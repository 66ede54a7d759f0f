"""The paper's showcase: an N-layer perceptron and equation (1), ∇J = Mᵀ((I − L̃)ᵀ \\ g).

Data X0 (n0 × k, a batch of k columns), weights Wᵢ (nᵢ × nᵢ₋₁), biases Bᵢ (nᵢ × k, or
vectors bᵢ with Bᵢ = bᵢ eᵀ), element-wise activations hᵢ and the loss ½‖X_N − Y‖²_F
(docs/mathematics.md, the matrix MLP):

    Xᵢ = hᵢ.(Wᵢ Xᵢ₋₁ + Bᵢ),   Δᵢ = hᵢ'.(Wᵢ Xᵢ₋₁ + Bᵢ),
    dXᵢ = Δᵢ ⊙ (Wᵢ dXᵢ₋₁ + dWᵢ Xᵢ₋₁ + dBᵢ).

So the sources are (W1, B1, …, W_N, B_N), the other nodes X1 … X_N, and

* M is block diagonal, block i the row [ℋ_{Δᵢ} ∘ ℛ_{Xᵢ₋₁}, ℋ_{Δᵢ}] (ℋ_{Δᵢ} ∘ ℛ_{eᵀ} for a
  vector bias);
* L̃ is lower bidiagonal, L̃[i, i−1] = ℋ_{Δᵢ} ∘ ℒ_{Wᵢ};
* g = (0, …, 0, X_N − Y).

:meth:`MLP.solve` runs the generic :func:`~symbackslash.back_substitute` on the
operator matrix (I − L̃)ᵀ, which gives Λ_N = X_N − Y, Λᵢ = Wᵢ₊₁ᵀ(Δᵢ₊₁ ⊙ Λᵢ₊₁), and applies
Mᵀ: ∇_{Wᵢ}J = (Δᵢ ⊙ Λᵢ)Xᵢ₋₁ᵀ, ∇_{Bᵢ}J = Δᵢ ⊙ Λᵢ.

>>> import sympy as sp
>>> net = mlp([2, 3, 1], batch=4, activations=["tanh", "identity"])
>>> net.L_tilde
Matrix([
[            0, 0],
[H_Delta2*L_W2, 0]])
>>> solution = net.solve()
>>> solution.gradient[net.W[0]]
(HadamardProduct(Delta1, Lambda1))*X0.T
>>> solution.Lambda
[(Lambda2, X2 - Y), (Lambda1, W2.T*(HadamardProduct(Delta2, Lambda2)))]
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Callable, Sequence
from functools import cached_property

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from ..core.constructors import elementwise, matadd, matmul, scale
from ..core.elements import act, adjoint
from ..core.functions import relu, sigmoid, softplus
from ..core.shapes import as_explicit_matrix
from ..core.tidy import tidy
from ..errors import InputError, boundary
from ..graph.matrix import ELEMENT
from ..numeric.values import evaluate_exact
from ..operators.algebra import Compose, IdentityOperator
from ..operators.kinds import Hadamard, LeftMultiply, RightMultiply
from ..printing.latex import latex
from ..printing.pieces import Chain, Partial, Rows
from ..printing.text import text
from ..solve.substitution import Substitution, back_substitute

__all__ = ["MLP", "MLPSolution", "mlp", "ACTIVATIONS"]

#: Activations by name (a fixed table: names are looked up, never parsed).
ACTIVATIONS: dict[str, Callable] = {
    "identity": lambda z: z, "tanh": sp.tanh, "sigmoid": sigmoid, "relu": relu,
    "softplus": softplus, "square": lambda z: z**2, "exp": sp.exp, "sin": sp.sin,
}


def _activation(h, layer: int) -> sp.Lambda:
    """An activation as ``Lambda(z, h(z))``."""
    if isinstance(h, str):
        if h not in ACTIVATIONS:
            raise InputError(f"unknown activation {h!r} for layer {layer}; the named ones are: "
                             f"{', '.join(ACTIVATIONS)} (or pass a SymPy function or Lambda)")
        h = ACTIVATIONS[h]
    if isinstance(h, sp.Lambda):
        if len(h.variables) != 1:
            raise InputError(f"the activation of layer {layer} must take one argument")
        return sp.Lambda(ELEMENT, h.expr.xreplace({h.variables[0]: ELEMENT}))
    if not callable(h):
        raise InputError(f"the activation of layer {layer} must be a name, a SymPy function, "
                         f"a Lambda or a callable, not {type(h).__name__}")
    body = h(ELEMENT)
    if not isinstance(body, sp.Expr) or isinstance(body, sp.MatrixExpr) \
            or body.free_symbols - {ELEMENT}:
        raise InputError(f"the activation of layer {layer} must map a scalar z to a scalar "
                         f"expression in z alone; it gave {body!r}")
    return sp.Lambda(ELEMENT, body)


def _apply(h: sp.Lambda, Z):
    """h.(Z), written without a function when h is the identity."""
    (z,) = h.variables
    return Z if h.expr == z else elementwise(h, Z)


def _derivative(h: sp.Lambda, Z):
    """h'.(Z): a matrix of ones for the identity, c·ones for a linear h."""
    (z,) = h.variables
    d = sp.diff(h.expr, z)
    if z not in d.free_symbols:
        return d * sp.OneMatrix(*Z.shape)
    return ElementwiseApplyFunction(sp.Lambda(z, d), Z)


@dataclasses.dataclass
class MLPSolution:
    """The back substitution of equation (1) and the gradient read off with Mᵀ.

    Attributes
    ----------
    Lambda : list of (MatrixSymbol, expression)
        Λᵢ = Σ_j L̃[j, i]ᵀ Λ_j, named ``Lambda1 … LambdaN``, in solving order (N first).
    substitution : Substitution
        The solver's record (its steps hold the operator entries it applied).
    gradient : dict
        {parameter: ∇J} in layer symbols (Xᵢ, Δᵢ, Λᵢ, Wᵢ).
    """

    Lambda: list
    substitution: Substitution
    gradient: dict

    def _rows(self) -> Rows:
        J = sp.Symbol("J")
        return Rows(tuple(Chain(name, value) for name, value in self.Lambda)
                    + tuple(Chain(Partial(J, p), g) for p, g in self.gradient.items()))

    def __str__(self) -> str:
        return text(self._rows())

    def _repr_latex_(self) -> str:
        return "$$%s$$" % latex(self._rows())


@dataclasses.dataclass(frozen=True)
class MLP:
    """An N-layer perceptron with squared loss; see the module docstring.

    Build it with :func:`mlp`. ``X0``, ``Y``, ``W`` and ``B`` are the input symbols; ``X``
    and ``Delta`` the layer symbols X1 … X_N and Δ1 … Δ_N used in M, L̃ and g, defined by
    :attr:`definitions`.
    """

    sizes: tuple
    batch: int
    activations: tuple
    bias: str

    def _rows(self) -> Rows:
        """The layers Xᵢ and Δᵢ, then the loss J in terms of X_N."""
        E = matadd(self.X[-1], scale(-1, self.Y))
        J = sp.Trace(matmul(sp.Transpose(E), E)) / 2
        return Rows(tuple(Chain(k, v) for k, v in self.definitions.items())
                    + (Chain(sp.Symbol("J"), J),))

    def __str__(self) -> str:
        return text(self._rows())

    def _repr_latex_(self) -> str:
        return "$$%s$$" % latex(self._rows())

    @property
    def N(self) -> int:
        """The number of layers."""
        return len(self.sizes) - 1

    @cached_property
    def X0(self) -> sp.MatrixSymbol:
        return sp.MatrixSymbol("X0", self.sizes[0], self.batch)

    @cached_property
    def Y(self) -> sp.MatrixSymbol:
        return sp.MatrixSymbol("Y", self.sizes[-1], self.batch)

    @cached_property
    def W(self) -> list:
        return [sp.MatrixSymbol(f"W{i}", self.sizes[i], self.sizes[i - 1])
                for i in range(1, self.N + 1)]

    @cached_property
    def B(self) -> list:
        if self.bias == "vector":
            return [sp.MatrixSymbol(f"b{i}", self.sizes[i], 1) for i in range(1, self.N + 1)]
        return [sp.MatrixSymbol(f"B{i}", self.sizes[i], self.batch) for i in range(1, self.N + 1)]

    @cached_property
    def X(self) -> list:
        """Layer symbols X1 … X_N."""
        return [sp.MatrixSymbol(f"X{i}", self.sizes[i], self.batch) for i in range(1, self.N + 1)]

    @cached_property
    def Delta(self) -> list:
        """Layer symbols Δ1 … Δ_N (the activation derivatives)."""
        return [sp.MatrixSymbol(f"Delta{i}", self.sizes[i], self.batch)
                for i in range(1, self.N + 1)]

    @property
    def parameters(self) -> list:
        """(W1, B1, W2, B2, …): the sources, in the column order of M."""
        return [p for pair in zip(self.W, self.B, strict=True) for p in pair]

    def _bias_term(self, i: int):
        b = self.B[i]
        return matmul(b, sp.OneMatrix(1, self.batch)) if self.bias == "vector" else b

    def _preactivation(self, i: int, previous):
        return matadd(matmul(self.W[i], previous), self._bias_term(i))

    # --- the network as one SymPy expression --------------------------------------------
    @cached_property
    def outputs(self) -> list:
        """X1 … X_N as expressions in the inputs (each layer built on the previous one's
        object: a DAG of linear size)."""
        layers, previous = [], self.X0
        for i, h in enumerate(self.activations):
            previous = _apply(h, self._preactivation(i, previous))
            layers.append(previous)
        return layers

    @cached_property
    def loss(self) -> sp.Expr:
        """J = ½‖X_N − Y‖²_F = ½ tr((X_N − Y)ᵀ(X_N − Y)), in the inputs."""
        E = matadd(self.outputs[-1], scale(-1, self.Y))
        return sp.Trace(matmul(sp.Transpose(E), E)) / 2

    # --- equation (1) -------------------------------------------------------------------
    @cached_property
    def definitions(self) -> dict:
        """Xᵢ and Δᵢ in terms of Xᵢ₋₁ and the parameters."""
        result, previous = {}, self.X0
        for i, h in enumerate(self.activations):
            Z = self._preactivation(i, previous)
            result[self.X[i]] = _apply(h, Z)
            result[self.Delta[i]] = _derivative(h, Z)
            previous = self.X[i]
        return result

    @cached_property
    def M_entries(self) -> dict:
        """The nonzero blocks of M, ``{(row, column): operator}``: row i holds
        ℋ_{Δᵢ} ∘ ℛ_{Xᵢ₋₁} (column of Wᵢ) and ℋ_{Δᵢ} (column of Bᵢ)."""
        entries = {}
        previous = [self.X0] + self.X[:-1]
        for i in range(self.N):
            H = Hadamard(self.Delta[i])
            entries[i, 2 * i] = Compose(H, RightMultiply(previous[i]))
            entries[i, 2 * i + 1] = Compose(H, RightMultiply(sp.OneMatrix(1, self.batch))) \
                if self.bias == "vector" else H
        return entries

    @cached_property
    def L_tilde_entries(self) -> dict:
        """The nonzero entries of L̃, ``{(i, i−1): ℋ_{Δᵢ} ∘ ℒ_{Wᵢ}}``."""
        return {(i, i - 1): Compose(Hadamard(self.Delta[i]), LeftMultiply(self.W[i]))
                for i in range(1, self.N)}

    @cached_property
    def upper(self) -> dict:
        """(I − L̃)ᵀ, sparse, as the solver takes it: identities on the diagonal and
        −L̃[i, i−1]ᵀ above it (the pattern transposed, every entry its adjoint)."""
        entries = {(i, i): IdentityOperator() for i in range(self.N)}
        entries.update({(j, i): -adjoint(op) for (i, j), op in self.L_tilde_entries.items()})
        return entries

    @cached_property
    def M(self) -> sp.Matrix:
        """The N × 2N block-diagonal operator matrix (rows X1 … X_N, columns W1, B1, …)."""
        return _dense(self.N, 2 * self.N, self.M_entries)

    @cached_property
    def L_tilde(self) -> sp.Matrix:
        """The N × N lower bidiagonal operator matrix L̃[i, i−1] = ℋ_{Δᵢ} ∘ ℒ_{Wᵢ}."""
        return _dense(self.N, self.N, self.L_tilde_entries)

    @cached_property
    def I_minus_L_tilde_T(self) -> sp.Matrix:
        """(I − L̃)ᵀ, dense (for display; the solver uses :attr:`upper`)."""
        return _dense(self.N, self.N, self.upper)

    @cached_property
    def g(self) -> list:
        """g = (0, …, 0, ∇ℓ(X_N)) with ∇ℓ = X_N − Y."""
        zeros = [sp.ZeroMatrix(*X.shape) for X in self.X[:-1]]
        return zeros + [matadd(self.X[-1], scale(-1, self.Y))]

    def solve(self) -> MLPSolution:
        """Λ = (I − L̃)ᵀ \\ g by the generic back substitution, then ∇J = Mᵀ Λ."""
        names = [sp.MatrixSymbol(f"Lambda{i}", *X.shape) for i, X in enumerate(self.X, start=1)]
        Lambda = []

        def assign(i, value):
            Lambda.append((names[i], tidy(value)))
            return names[i]

        substitution = back_substitute(self.upper, self.g, assign=assign)
        gradient = {self.parameters[c]: tidy(act(adjoint(op), substitution[r]))
                    for (r, c), op in self.M_entries.items()}  # one block per column
        return MLPSolution(Lambda, substitution, gradient)

    @cached_property
    def layer_values(self) -> dict:
        """Xᵢ, Δᵢ and Λᵢ (the layer symbols) in terms of the inputs."""
        values: dict = {}
        for symbol, definition in self.definitions.items():
            values[symbol] = definition.xreplace(values)
        for symbol, definition in self.solve().Lambda:
            values[symbol] = definition.xreplace(values)
        return values

    @cached_property
    def _tidied(self) -> dict:
        return {}

    def closed_form(self, expr):
        """``expr`` in layer symbols (Xᵢ, Δᵢ, Λᵢ) written in terms of the inputs (the
        layers' values are shared objects, tidied once for all results)."""
        return tidy(expr.xreplace(self.layer_values), self._tidied)

    def gradient(self) -> list:
        """∇J for (W1, B1, …) in terms of the inputs, from equation (1)."""
        solution = self.solve()
        return [self.closed_form(solution.gradient[p]) for p in self.parameters]

    def evaluate(self, values: dict) -> dict:
        """Every quantity of equation (1) at explicit matrices, computed exactly by SymPy.

        ``values`` maps X0, Y and the parameters (symbols or their names) to matrices
        (SymPy matrices, nested lists or NumPy arrays). Returns a dict with the layer
        values ``X`` and ``Delta``, the loss ``J``, the ``Lambda``s and ``gradient``
        ({parameter: matrix}).
        """
        point = self._point(values)
        solution = self.solve()
        for symbol, definition in self.definitions.items():
            point[symbol] = evaluate_exact(definition, point)
        for symbol, definition in solution.Lambda:
            point[symbol] = evaluate_exact(definition, point)
        E = point[self.X[-1]] - point[self.Y]
        return {
            "X": [point[X] for X in self.X],
            "Delta": [point[D] for D in self.Delta],
            "J": (E.T * E).trace() / 2,
            "Lambda": [point[name] for name, _ in reversed(solution.Lambda)],
            "gradient": {p: evaluate_exact(solution.gradient[p], point) for p in self.parameters},
        }

    def _point(self, values: dict) -> dict:
        by_name = {s.name: s for s in [self.X0, self.Y, *self.parameters]}
        point = {}
        for key, value in values.items():
            symbol = by_name.get(key.name if isinstance(key, sp.MatrixSymbol) else key)
            if symbol is None:
                raise InputError(f"{key} is not an input of the network; the inputs are: "
                                 f"{', '.join(by_name)}")
            matrix = sp.Matrix(as_explicit_matrix(value, symbol))
            if matrix.shape != symbol.shape:
                raise InputError(f"{symbol} is {symbol.shape[0]} × {symbol.shape[1]}, the value "
                                 f"given is {matrix.shape[0]} × {matrix.shape[1]}")
            point[symbol] = matrix
        missing = [name for name in by_name if by_name[name] not in point]
        if missing:
            raise InputError(f"no value for {', '.join(missing)}")
        return point


def _dense(rows: int, cols: int, entries: dict) -> sp.Matrix:
    return sp.Matrix(rows, cols, lambda i, j: entries.get((int(i), int(j)), 0))


@boundary
def mlp(sizes: Sequence[int], *, batch: int, activations=None, bias: str = "matrix") -> MLP:
    """The N-layer perceptron of docs/mathematics.md, the matrix MLP.

    Parameters
    ----------
    sizes : sequence of int
        (n0, n1, …, n_N): input size and the size of each layer (N ≥ 1).
    batch : int
        k, the number of columns of X0.
    activations : sequence, optional
        One per layer: a name from :data:`ACTIVATIONS`, a SymPy function (``sympy.tanh``),
        a ``Lambda`` or a callable mapping a symbol to an expression (default: tanh).
    bias : {"matrix", "vector"}
        Bᵢ of shape nᵢ × k, or bᵢ of shape nᵢ × 1 added to every column (Bᵢ = bᵢ eᵀ).
    """
    sizes = tuple(sizes)
    if len(sizes) < 2 or not all(isinstance(n, numbers.Integral) and n > 0 for n in sizes):
        raise InputError(f"sizes must be at least two positive integers (n0, n1, …), got {sizes}")
    if not isinstance(batch, numbers.Integral) or batch <= 0:
        raise InputError(f"batch must be a positive integer, got {batch!r}")
    if bias not in ("matrix", "vector"):
        raise InputError(f"bias must be 'matrix' or 'vector', not {bias!r}")
    N = len(sizes) - 1
    activations = ["tanh"] * N if activations is None else list(activations)
    if len(activations) != N:
        raise InputError(f"{N} layers need {N} activations, got {len(activations)}")
    hs = tuple(_activation(h, i) for i, h in enumerate(activations, start=1))
    return MLP(tuple(int(n) for n in sizes), int(batch), hs, bias)
