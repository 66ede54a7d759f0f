"""SymPy functions that SymPy lacks and machine learning needs: sigmoid, softplus, relu.

Each declares its own derivative (``fdiff``), so ``sympy.diff`` and symbackslash agree on
them, prints through SymPy's printer hooks (``_latex``, and code printers for ``lambdify``,
which get forms that do not overflow where the value is finite: σ(x) = (1 + tanh(x/2))/2,
softplus(x) = max(x, 0) + log1p(e^−|x|)) and rewrites to elementary functions with
``.rewrite(sympy.exp)``.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> sp.diff(sigmoid(x), x)
(1 - sigmoid(x))*sigmoid(x)
>>> sp.diff(softplus(x), x)
sigmoid(x)
>>> sp.diff(relu(x), x)
Heaviside(x, 0)

``relu`` is not differentiable at 0; its derivative follows the convention of the common
frameworks, relu'(0) = 0 (``Heaviside(x, 0)``).
"""

from __future__ import annotations

import sympy as sp
from sympy.codegen.cfunctions import log1p

__all__ = ["sigmoid", "softplus", "relu"]


class _Elementwise(sp.Function):
    """Shared printing for the functions below: code printers use the elementary form."""

    nargs = 1
    latex_name = ""

    def _latex(self, printer, exp=None):
        body = rf"{self.latex_name}\left({printer._print(self.args[0])}\right)"
        if exp is None:
            return body
        return rf"{self.latex_name}^{{{exp}}}\left({printer._print(self.args[0])}\right)"

    def _elementary(self):
        raise NotImplementedError

    def _stable(self):
        """The form compiled code computes: equal to :meth:`_elementary`, without overflow
        where the value is finite."""
        return self._elementary()

    def _numpycode(self, printer):
        return "(%s)" % printer._print(self._stable())  # a sum, inside any product

    _pythoncode = _mpmathcode = _jaxcode = _matrix_numpycode = _numpycode

    def _eval_evalf(self, prec):
        return self._elementary()._eval_evalf(prec)

    def _eval_is_real(self):
        return self.args[0].is_extended_real


class sigmoid(_Elementwise):
    """Logistic sigmoid σ(x) = 1 / (1 + e^{−x}); σ'(x) = σ(x)(1 − σ(x))."""

    latex_name = r"\sigma"

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return sp.S.Half

    def fdiff(self, argindex=1):
        return self * (1 - self)

    def _elementary(self):
        return 1 / (1 + sp.exp(-self.args[0]))

    def _stable(self):
        """(1 + tanh(x/2))/2: no exp(−x) to overflow at x = −1000."""
        return (1 + sp.tanh(self.args[0] / 2)) / 2

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return 1 / (1 + sp.exp(-x))


class softplus(_Elementwise):
    """Softplus log(1 + e^x); its derivative is σ(x)."""

    latex_name = r"\operatorname{softplus}"

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return sp.log(2)

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])

    def _elementary(self):
        return sp.log(1 + sp.exp(self.args[0]))

    def _stable(self):
        """max(x, 0) + log1p(exp(−|x|)): no exp(x) to overflow at x = 1000."""
        x = self.args[0]
        return (x + sp.Abs(x)) / 2 + log1p(sp.exp(-sp.Abs(x)))

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return sp.log(1 + sp.exp(x))


class relu(_Elementwise):
    """Rectifier max(0, x); relu'(x) = H(x) with the convention relu'(0) = 0."""

    latex_name = r"\operatorname{relu}"

    @classmethod
    def eval(cls, x):
        if x.is_extended_nonnegative:
            return x
        if x.is_extended_nonpositive:
            return sp.S.Zero

    def fdiff(self, argindex=1):
        return sp.Heaviside(self.args[0], 0)

    def _elementary(self):
        return sp.Max(0, self.args[0])

    def _eval_rewrite_as_Max(self, x, **kwargs):
        return sp.Max(0, x)
