"""The benchmark families: both forms give sympy.diff's gradient, at the cheap-gradient cost.

Operation ratios (gradient program ÷ function) are checked against the bound of the issue:
at most 4, within 1.2× of CasADi's reverse mode where that figure is known, and at or below
it for the families of ``AT_MOST_CASADI``.
"""

import math
import random

import pytest
import sympy as sp

import symbackslash as sb
from symbackslash.examples import FAMILIES

CASADI_RATIO = {"extended Rosenbrock": 1.13, "product + squares": 1.66,
                "repeated squaring": 2.49, "tanh network": 2.56, "sin-chain": 3.49,
                "trigonometric": 1.70}
#: Families whose ratio at n = 16 is at or below CasADi's, not only within 1.2× of it
#: (the tanh network's lower bound, 18 operations per neuron against the function's 7,
#: passes 2.56 beyond 33 layers).
AT_MOST_CASADI = {"trigonometric", "tanh network"}


@pytest.mark.parametrize("name", list(FAMILIES))
def test_both_forms_match_sympy_diff_numerically(name):
    ex = FAMILIES[name](2 if name == "tanh network" else 6)
    variables = list(ex.wrt)
    rng = random.Random(1)
    point = [rng.uniform(*ex.domain) for _ in variables]
    values = {v: sp.Float(p, 30) for v, p in zip(variables, point, strict=True)}
    expected = [float(sp.diff(ex.expression, v).xreplace(values)) for v in variables]
    for form in (ex.expression, ex.program):
        got = sb.gradient_program(form, variables).lambdify(variables, modules="math")(*point)
        assert all(math.isclose(g, e, rel_tol=1e-9, abs_tol=1e-12)
                   for g, e in zip(got, expected, strict=True))


@pytest.mark.parametrize("name", list(FAMILIES))
def test_operation_ratio_within_the_cheap_gradient_bound(name):
    ex = FAMILIES[name](16)
    for form in (ex.expression, ex.program):
        ratio = sb.gradient_program(form, list(ex.wrt)).ratio
        assert ratio <= 4
        if name in CASADI_RATIO:
            assert ratio <= 1.2 * CASADI_RATIO[name]
        if name in AT_MOST_CASADI:
            assert ratio <= CASADI_RATIO[name]
