"""A catalogue of matrix-calculus identities (Matrix Cookbook style) for the gradient tests:
(name, function, variables, closed form expected or None).

Every gradient is checked against central finite differences; where a closed form is
given, our result must be that expression exactly (readability is part of the answer).
"""

import sympy as sp

from symbackslash import sigmoid, softplus

n = 3
A, B, C, X = (sp.MatrixSymbol(name, n, n) for name in "ABCX")
R = sp.MatrixSymbol("R", 3, 2)            # a rectangular unknown
D = sp.MatrixSymbol("D", 2, 3)
W = sp.MatrixSymbol("W", 2, 3)
x, a, b = (sp.MatrixSymbol(name, n, 1) for name in "xab")
y = sp.MatrixSymbol("y", 2, 1)
c = sp.MatrixSymbol("c", 2, 1)
K = sp.MatrixSymbol("K", 3, 4)            # a batch of 4 columns
T = sp.MatrixSymbol("T", 2, 4)
s, lam = sp.symbols("s lambda")
ones = sp.OneMatrix


def frobenius2(E):
    """‖E‖²_F = tr(EᵀE)."""
    return sp.Trace(E.T * E)


IDENTITIES = [
    # --- traces
    ("trace_AX", sp.Trace(A * X), [X], [A.T]),
    ("trace_XA_transposed", sp.Trace(A * X.T), [X], [A]),
    ("trace_XTX", sp.Trace(X.T * X), [X], [2 * X]),
    ("trace_X_squared", sp.Trace(X ** 2), [X], [2 * X.T]),
    ("trace_X_cubed", sp.Trace(X ** 3), [X], None),
    ("trace_AXBXT", sp.Trace(A * X * B * X.T), [X], None),
    ("trace_AXBX", sp.Trace(A * X * B * X), [X], None),
    ("trace_ones", sp.Trace(ones(n, n) * X), [X], [ones(n, n)]),
    # --- linear and quadratic forms
    ("linear_form", a.T * x, [x], [a]),
    ("quadratic_form", x.T * A * x, [x], [(A + A.T) * x]),
    ("quadratic_form_in_A", x.T * A * x, [A], [x * x.T]),
    ("bilinear_form", a.T * X * b, [X], [a * b.T]),
    ("log_quadratic", sp.log(x.T * A * x), [x, A], None),
    # --- least squares
    ("least_squares", frobenius2(A * x - b), [x, A, b], None),
    ("matrix_least_squares", frobenius2(R * D - X), [R], None),
    ("ridge_regression", frobenius2(W * x + c - y) + lam * sp.Trace(W.T * W),
     [W, c, lam], None),
    # --- inverse
    ("trace_inverse", sp.Trace(X ** -1), [X], None),
    ("trace_A_inverse", sp.Trace(A * X.I), [X], [-X.T.I * A.T * X.T.I]),
    ("inverse_bilinear", a.T * X.I * b, [X], None),
    ("negative_power", sp.Trace(A * X ** -2), [X], None),
    ("shifted_inverse", sp.Trace((X + sp.Identity(n)).I), [X], None),
    # --- determinants
    ("determinant", sp.Determinant(X), [X], [sp.Determinant(X) * X.T.I]),
    ("log_determinant", sp.log(sp.Determinant(X)), [X], [X.T.I]),
    ("log_det_gram", sp.log(sp.Determinant(R.T * R)), [R], None),
    ("det_product", sp.Determinant(A * X * B), [X, A], None),
    ("sqrt_det_gram", sp.sqrt(sp.Determinant(R.T * R)), [R], None),
    # --- Hadamard products and powers
    ("hadamard_square", sp.Trace(A.T * sp.HadamardProduct(X, X)), [X], None),
    ("hadamard_frobenius", frobenius2(sp.HadamardProduct(A, X)), [X, A], None),
    ("hadamard_cube_trace", sp.Trace(sp.HadamardPower(X, 3)), [X], None),
    # --- element-wise functions
    ("elementwise_exp", sp.Trace(A.T * X.applyfunc(sp.exp)), [X], None),
    ("elementwise_sin_sum", ones(1, n) * X.applyfunc(sp.sin) * ones(n, 1), [X], None),
    ("logistic_loss", ones(1, 4) * (K.T * x).applyfunc(softplus), [x], None),
    ("sigmoid_layer", sp.Trace(T.T * (W * K).applyfunc(sigmoid)), [W], None),
    ("tanh_regression", frobenius2((W * K).applyfunc(sp.tanh) - T), [W], None),
    # --- scalars and several parameters at once
    ("exp_trace", sp.exp(sp.Trace(A * X)), [X, A], None),
    ("scalar_times_matrix", sp.Trace(s * A * X), [s, X, A], None),
    ("trace_times_trace", sp.Trace(A * X) * sp.Trace(B * X), [X, A, B], None),
    ("elementwise_parameter", sp.Trace(C.T * X.applyfunc(lambda t: sp.sin(s * t))), [X, s],
     None),
]
