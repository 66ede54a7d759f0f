"""Matrix expressions in text (``parse(text, shapes=...)``), against independent oracles.

For each construct, the gradient of the parsed text equals the gradient of the same
expression built from SymPy objects, and both match central finite differences of the
function written directly in NumPy, at a random point.
"""

import numpy as np
import pytest
import sympy as sp

import symbackslash as sb
from symbackslash.parse.matrices import MATRIX_FUNCTIONS, check_shapes
from symbackslash.parse.syntax import MATRIX_ONLY

A, B, X = (sp.MatrixSymbol(name, 3, 3) for name in "ABX")
C, v = sp.MatrixSymbol("C", 3, 2), sp.MatrixSymbol("v", 3, 1)
c = sp.Symbol("c")
SHAPES = {"A": (3, 3), "B": (3, 3), "X": (3, 3), "C": (3, 2), "v": (3, 1), "c": None}

# (text, the same expression as SymPy objects, the function in NumPy, the variables)
CASES = [
    ("trace(A*X)", sp.Trace(A*X), lambda A, X: np.trace(A @ X), "AX"),
    ("log(det(X))", sp.log(sp.Determinant(X)), lambda X: np.log(np.linalg.det(X)), "X"),
    ("trace(A*X) + log(det(X))", sp.Trace(A*X) + sp.log(sp.Determinant(X)),
     lambda A, X: np.trace(A @ X) + np.log(np.linalg.det(X)), "AX"),
    ("trace(X.T*A*X)", sp.Trace(X.T*A*X), lambda A, X: np.trace(X.T @ A @ X), "AX"),
    ("trace(inv(X)*B)", sp.Trace(sp.Inverse(X)*B),
     lambda B, X: np.trace(np.linalg.inv(X) @ B), "BX"),
    ("trace(X**-1 @ B)", sp.Trace(X**-1*B), lambda B, X: np.trace(np.linalg.inv(X) @ B), "BX"),
    ("trace(transpose(X)*A) - 2*trace(X)/3", sp.Trace(X.T*A) - 2*sp.Trace(X)/3,
     lambda A, X: np.trace(X.T @ A) - 2*np.trace(X)/3, "AX"),
    ("trace(X**3 - A @ X**2)", sp.Trace(X**3 - A*X**2),
     lambda A, X: np.trace(X @ X @ X - A @ X @ X), "AX"),
    ("trace((A*X).T*B) + det(X)**2", sp.Trace((A*X).T*B) + sp.Determinant(X)**2,
     lambda A, B, X: np.trace((A @ X).T @ B) + np.linalg.det(X)**2, "ABX"),
    ("v.T*A*v", v.T*A*v, lambda A, v: (v.T @ A @ v)[0, 0], "Av"),
    ("sin(trace(C.T*X*C))", sp.sin(sp.Trace(C.T*X*C)),
     lambda C, X: np.sin(np.trace(C.T @ X @ C)), "CX"),
    ("c*trace(A*X) + c**2*det(inv(X))", c*sp.Trace(A*X) + c**2*sp.Determinant(sp.Inverse(X)),
     lambda A, X, c: c*np.trace(A @ X) + c**2*np.linalg.det(np.linalg.inv(X)), "AXc"),
]


def point(names: str, seed: int) -> dict:
    """Random values; X is near 3I (invertible, positive determinant)."""
    rng = np.random.default_rng(seed)
    values = {}
    for name in names:
        shape = SHAPES[name]
        if shape is None:
            values[name] = float(rng.uniform(0.5, 1.5))
        else:
            values[name] = rng.uniform(-1, 1, shape) + (3*np.eye(3) if name == "X" else 0)
    return values


def numeric(expr, names: str, values: dict):
    """A SymPy (matrix) expression at ``values``: its symbols replaced by explicit matrices
    of floats, and evaluated by SymPy."""
    explicit = {sp.Symbol(n) if SHAPES[n] is None else sp.MatrixSymbol(n, *SHAPES[n]):
                sp.Float(values[n]) if SHAPES[n] is None else sp.ImmutableMatrix(values[n])
                for n in names}
    result = expr.xreplace(explicit).doit()
    if isinstance(result, sp.MatrixExpr):
        result = result.as_explicit()
    return np.array(result.evalf() if isinstance(result, sp.MatrixBase) else float(result),
                    dtype=float)


def finite_differences(function, names: str, values: dict, name: str, h: float = 1e-6):
    """Central differences of ``function`` in every entry of the variable ``name``."""
    base = np.asarray(values[name], dtype=float)
    gradient = np.zeros_like(base)
    for index in np.ndindex(base.shape):
        step = np.zeros_like(base)
        step[index] = h
        plus = function(*(base + step if n == name else values[n] for n in names))
        minus = function(*(base - step if n == name else values[n] for n in names))
        gradient[index] = (plus - minus) / (2*h)
    return gradient


@pytest.mark.parametrize("text, expr, function, names", CASES, ids=[case[0] for case in CASES])
def test_gradient_of_text_matches_sympy_objects_and_finite_differences(text, expr, function,
                                                                       names):
    shapes = {n: SHAPES[n] for n in names if SHAPES[n] is not None}
    parsed = sb.parse(text, shapes=shapes)
    assert isinstance(parsed, sp.Expr) and not isinstance(parsed, sp.MatrixExpr) or \
        parsed.shape == (1, 1)
    from_text = sb.gradient(parsed, list(names))
    from_objects = sb.gradient(expr, list(names))
    for seed in (1, 2):
        values = point(names, seed)
        for name, g_text, g_objects in zip(names, from_text, from_objects, strict=True):
            expected = finite_differences(function, names, values, name)
            got = numeric(g_text, names, values)
            assert np.allclose(got.reshape(expected.shape), expected, rtol=1e-5, atol=1e-6), name
            assert np.allclose(numeric(g_objects, names, values).reshape(expected.shape),
                               got.reshape(expected.shape), rtol=1e-9, atol=1e-9), name


@pytest.mark.parametrize("text, expected", [
    ("trace(A*X) + log(det(X))", sp.log(sp.Determinant(X)) + sp.Trace(A*X)),
    ("A @ X", A*X),
    ("A*X", A*X),
    ("X.T", X.T),
    ("(A*X).T", (A*X).T),
    ("transpose(X)", X.T),
    ("X.T.T", X),
    ("inv(X)", sp.Inverse(X)),
    ("X**-1", sp.Inverse(X)),
    ("X**2", X**2),
    ("2*A - X/3", 2*A - X/3),
    ("-X", -X),
    ("c*X", c*X),
    ("trace(X)*A", sp.Trace(X)*A),
    ("det(X)", sp.Determinant(X)),
    ("C.T*X*C", C.T*X*C),
])
def test_each_construct_is_the_sympy_object(text, expected):
    names = {n for n in SHAPES if SHAPES[n] is not None and n in {s.name for s in
                                                                    expected.free_symbols}}
    assert sb.parse(text, shapes={n: SHAPES[n] for n in names}) == expected


def test_other_names_stay_scalars_and_parse_expression_takes_shapes():
    parsed = sb.parse_expression("c*trace(X) + y", shapes={"X": (2, 2)})
    symbols = {s.name: s for s in parsed.free_symbols}
    assert isinstance(symbols["X"], sp.MatrixSymbol) and symbols["X"].shape == (2, 2)
    assert type(symbols["c"]) is sp.Symbol and type(symbols["y"]) is sp.Symbol
    assert sb.parse("x + 1", shapes={}) == sp.Symbol("x") + 1  # no shapes: the scalar parser


SQUARE = {"A": (3, 3), "X": (3, 3)}


@pytest.mark.parametrize("text, shapes, error, message", [
    ("trace(A*X)", {"A": (3, 2), "X": (3, 3)}, sb.ParseError,
     "the matrix product A * X multiplies 3 × 2 by 3 × 3; the columns of the left factor (2) "
     "must equal the rows of the right (3) (line 1, column 7)"),
    ("trace(A @ X)", {"A": (3, 2), "X": (3, 3)}, sb.ParseError, "multiplies 3 × 2 by 3 × 3"),
    ("trace(A + X)", {"A": (3, 2), "X": (3, 3)}, sb.ParseError,
     "the sum adds A (3 × 2) and X (3 × 3); matrices in a sum have one shape (line 1, column 7)"),
    ("trace(X + 1)", {"X": (3, 3)}, sb.ParseError, "the sum adds the scalar 1 and the 3 × 3"),
    ("trace(A)", {"A": (3, 2)}, sb.ParseError,
     "trace(...) takes a square matrix, and A is 3 × 2 (line 1, column 7)"),
    ("det(A)", {"A": (2, 3)}, sb.ParseError, "det(...) takes a square matrix"),
    ("trace(inv(A))", {"A": (2, 3)}, sb.ParseError, "inv(...) takes a square matrix"),
    ("trace(A**2)", {"A": (2, 3)}, sb.ParseError, "a matrix power takes a square matrix"),
    ("trace(A, X)", SQUARE, sb.ParseError, "trace takes 1 argument (a matrix), got 2"),
    ("trace()", {"X": (2, 2)}, sb.ParseError, "trace takes 1 argument (a matrix), got 0"),
    ("trace(x)", {"X": (2, 2)}, sb.ParseError, "trace(...) takes a matrix, and x is a scalar"),
    ("trace(X) + x.T", {"X": (2, 2)}, sb.ParseError, ".T takes a matrix, and x is a scalar "
     "(line 1, column 12)"),
    ("sin(X)", {"X": (2, 2)}, sb.ParseError, "sin takes scalars, and X is a 2 × 2 matrix"),
    ("log(v.T*v)", {"v": (2, 1)}, sb.ParseError, "take trace(...) to use a 1 × 1 matrix"),
    ("trace(X/A)", SQUARE, sb.ParseError, "division by the matrix A; write inv(...)"),
    ("trace(X**0.5)", {"X": (2, 2)}, sb.ParseError, "needs a constant whole exponent"),
    ("trace(X**c)", {"X": (2, 2)}, sb.ParseError, "needs a constant whole exponent"),
    ("trace(2**X)", {"X": (2, 2)}, sb.ParseError, "matrix exponent is not supported"),
    ("trace(x @ X)", {"X": (2, 2)}, sb.ParseError, "@ takes a matrix, and x is a scalar"),
    ("trace", {"X": (2, 2)}, sb.ParseError, "'trace' is a function; call it"),
    ("trace(X=1)", {"X": (2, 2)}, sb.ParseError, "trace(...) takes one matrix, as a positional"),
    ("trace(*X)", {"X": (2, 2)}, sb.ParseError, "trace(...) takes one matrix, as a positional"),
    ("a = trace(X)", {"X": (2, 2)}, sb.ParseError, "the text must be one expression"),
    ("trace(X)", {"X": (2, 2), "B": (2, 2)}, sb.InputError,
     "a shape is given for B, which the expression does not use"),
    ("trace(X)", {"X": (0, 3)}, sb.InputError, "the shape of X is 0 × 3"),
    ("trace(X)", {"X": (3, True)}, sb.InputError, "two whole numbers"),
    ("trace(X)", {"X": (3.0, 3)}, sb.InputError, "two whole numbers"),
    ("trace(X)", {"X": "3x3"}, sb.InputError, "two whole numbers"),
    ("trace(X)", {"sin": (3, 3)}, sb.InputError, "'sin' is a function or constant"),
    ("trace(X)", {"trace": (3, 3)}, sb.InputError, "'trace' is a function or constant"),
    ("trace(X)", {"__class__": (3, 3)}, sb.InputError, "is not a name"),
    ("trace(X)", {"X y": (3, 3)}, sb.InputError, "is not a name"),
    ("trace(X)", [("X", (3, 3))], sb.InputError, "shapes must be a dict"),
    ("trace(X)", {"X": (99_999_999, 9)}, sb.ResourceLimitError,
     "the shape of X, 99999999 × 9, has more than 1000000 entries"),
    ("trace(X)", {"X": (10**5000, 1)}, sb.ResourceLimitError, "about 5001 digits"),
    ("trace(X**51)", {"X": (2, 2)}, sb.ResourceLimitError,
     "the matrix product at line 1, column 7 has 51 matrix factors (a power X**n counts n), "
     "more than 50"),
    ("trace(X**-10**9)", {"X": (2, 2)}, sb.ResourceLimitError, "has 1000000000 matrix factors"),
    ("trace((X*X.T)**26)", {"X": (2, 2)}, sb.ResourceLimitError, "has 52 matrix factors"),
    ("trace(" + "*".join(f"X{k}" for k in range(51)) + ")", {f"X{k}": (2, 2) for k in range(51)},
     sb.ResourceLimitError, "max_matrix_factors"),
])
def test_errors_name_the_operation_the_shapes_and_the_position(text, shapes, error, message):
    with pytest.raises(error) as info:
        sb.parse(text, shapes=shapes)
    assert message in str(info.value)


def test_matrix_functions_without_shapes_say_how_to_declare_them():
    with pytest.raises(sb.ParseError, match=r"trace\(...\) takes a matrix: declare the shapes"):
        sb.parse("trace(X)")
    with pytest.raises(sb.UnsafeInputError, match="'@' multiplies matrices: declare"):
        sb.parse("A @ X")


def test_the_parsers_list_of_matrix_functions_is_the_table():
    assert tuple(sorted(MATRIX_FUNCTIONS)) == MATRIX_ONLY


def test_shapes_are_checked_before_the_text_is_read():
    with pytest.raises(sb.ResourceLimitError, match="max_matrix_entries"):
        sb.parse("x" * 2_000_000, shapes={"X": (10**4, 10**4)})
    assert check_shapes({"X": (np.int64(2), 3)}) == {"X": (2, 3)}
