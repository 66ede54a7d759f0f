"""Matrix expressions in text: names with a declared shape are matrices.

``parse(text, shapes={"A": (3, 3), "X": (3, 3)})`` reads the names of ``shapes`` as
:class:`sympy.MatrixSymbol`\\ s of those shapes (every other name stays a scalar) and allows,
on top of the scalar allow-list (:mod:`.syntax`), the matrix operations the operator graph
differentiates (:mod:`symbackslash.rules.matrix`):

================================  ==========================================================
text                              SymPy
================================  ==========================================================
``A*X``, ``A @ X``                ``MatMul`` (``*`` is the matrix product; ``@`` only
                                  between matrices); a scalar factor is a coefficient
``A + X``, ``A - 2*X``            ``MatAdd`` (matrices of one shape)
``X.T``, ``transpose(X)``         ``Transpose``, also of any matrix expression: ``(A*X).T``
``inv(X)``, ``X**-1``             ``Inverse`` (square matrices)
``X**3``, ``X**-2``               ``MatPow`` with a constant integer exponent
``trace(M)``, ``det(M)``          ``Trace``, ``Determinant`` (square matrices): scalars,
                                  which scalar functions take: ``log(det(X))``
================================  ==========================================================

Everything is checked where it is written: a product or sum of matrices whose shapes do not
fit, a non-square matrix given to ``trace``, ``det``, ``inv`` or a power, a matrix given to a
scalar function (``sin(X)``, ``X + 1``) or divided by (write ``inv(B)``), is a
:class:`~symbackslash.ParseError` naming the operation, the shapes, the line and the column.
Element-wise functions and the Hadamard product have no syntax here (``*`` is the matrix
product); build them as SymPy objects. A shape is a pair of positive whole numbers with at
most ``max_matrix_entries`` entries, checked before the text is read; a product has at most
``max_matrix_factors`` matrix factors (``X**n`` counts n), checked as it is built.

>>> print(parse_matrix("trace(A*X) + log(det(X))", {"A": (3, 3), "X": (3, 3)}))
log(Determinant(X)) + Trace(A*X)
"""

from __future__ import annotations

import ast
import itertools
import keyword
import numbers
import reprlib

import sympy as sp

from ..core.limits import get_limits, integer_digits
from ..errors import InputError, ParseError, ResourceLimitError, UnsafeInputError
from .syntax import CONSTANTS, FUNCTIONS, Converter, operand_chain, validate

__all__ = ["MATRIX_FUNCTIONS", "check_shapes", "MatrixConverter", "parse_matrix"]

#: The functions of matrices: name → (SymPy constructor, whether the matrix must be square).
MATRIX_FUNCTIONS: dict[str, tuple] = {
    "trace": (sp.Trace, True),
    "det": (sp.Determinant, True),
    "inv": (sp.Inverse, True),
    "transpose": (lambda M: M.T, False),
}


def check_shapes(shapes) -> dict[str, tuple[int, int]]:
    """Validate ``shapes`` (name → (rows, columns)) before any text is read.

    Raises
    ------
    InputError
        For a name that is not a plain name (or is a function or constant of the parser),
        or a shape that is not two positive whole numbers.
    ResourceLimitError
        For a shape with more than ``max_matrix_entries`` entries.
    """
    if not isinstance(shapes, dict):
        raise InputError(f"shapes must be a dict {{name: (rows, columns)}}, not "
                         f"{type(shapes).__name__}")
    limit = get_limits().max_matrix_entries
    checked = {}
    for name, shape in shapes.items():
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name) \
                or name.startswith("__"):
            raise InputError(f"shapes: {reprlib.repr(name)} is not a name; give names such as "
                             f"'X' (names starting with '__' are not allowed)")
        if name in FUNCTIONS or name in MATRIX_FUNCTIONS or name in CONSTANTS:
            raise InputError(f"shapes: {name!r} is a function or constant of the parser, not "
                             f"a variable; choose another name")
        if not isinstance(shape, (tuple, list)) or len(shape) != 2 or any(
                isinstance(n, bool) or not isinstance(n, numbers.Integral) for n in shape):
            raise InputError(f"the shape of {name} must be (rows, columns), two whole numbers, "
                             f"not {reprlib.repr(shape)}")
        rows, cols = int(shape[0]), int(shape[1])
        if rows < 1 or cols < 1:
            raise InputError(f"the shape of {name} is {_size(rows)} × {_size(cols)}; a matrix "
                             f"has at least one row and one column")
        if rows * cols > limit:
            raise ResourceLimitError(f"the shape of {name}, {_size(rows)} × {_size(cols)}, has "
                                     f"more than {limit} entries", limit="max_matrix_entries")
        checked[name] = (rows, cols)
    return checked


def _size(n: int) -> str:
    return str(n) if integer_digits(n) <= 30 else f"(a number with about {integer_digits(n)} " \
                                                  f"digits)"


def parse_matrix(text: str, shapes: dict, module: ast.Module | None = None) -> sp.Expr:
    """The expression ``text`` with the names of ``shapes`` (already checked) as matrices;
    ``module`` is the text already read by :func:`ast.parse`."""
    module = module or ast.parse(text, mode="exec")
    if len(module.body) != 1 or not isinstance(module.body[0], ast.Expr):
        stmt = module.body[-1 if len(module.body) == 1 else 1]
        raise ParseError("with matrix shapes, the text must be one expression (programs of "
                         "matrices are not supported); write it as one expression",
                         line=stmt.lineno, column=stmt.col_offset + 1, construct="program")
    converter = MatrixConverter(text, shapes)
    expr = converter.expression(module.body[0].value)
    unused = sorted(set(shapes) - set(converter.matrices))
    if unused:
        raise InputError(f"a shape is given for {', '.join(unused)}, which the expression does "
                         f"not use; remove it or check the spelling")
    return expr


class MatrixConverter(Converter):
    """The parser's converter, with the names of ``shapes`` as matrices."""

    def __init__(self, text: str, shapes: dict[str, tuple[int, int]]):
        super().__init__(text)
        self.shapes = shapes
        self.matrices: dict[str, sp.MatrixSymbol] = {}

    def validate(self, node: ast.AST) -> None:
        if isinstance(node, ast.Attribute) and node.attr == "T":
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in MATRIX_FUNCTIONS:
            if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
                raise UnsafeInputError(f"{node.func.id}(...) takes one matrix, as a positional "
                                       f"argument", construct="call", **_where(node))
            return
        validate(node)

    def _children(self, node: ast.AST) -> list[ast.AST]:
        if isinstance(node, ast.Attribute):
            return [node.value]
        return super()._children(node)

    def _build(self, node: ast.AST, args: list) -> sp.Expr:
        if isinstance(node, ast.Name) and node.id in self.shapes:
            if node.id not in self.matrices:
                self.matrices[node.id] = sp.MatrixSymbol(node.id, *self.shapes[node.id])
            return self.matrices[node.id]
        if isinstance(node, ast.Name) and node.id in MATRIX_FUNCTIONS:
            raise ParseError(f"'{node.id}' is a function; call it, as in {node.id}(X)",
                             construct="function name", **_where(node))
        if isinstance(node, ast.Attribute):
            return self._matrix(node.value, args[0], ".T").T
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in MATRIX_FUNCTIONS:
            return self._matrix_call(node, args)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            left = self._matrix(node.left, args[0], "@")
            right = self._matrix(node.right, args[1], "@")
            self._fits([(node.left, left), (node.right, right)], node)
            return _bounded(sp.MatMul(left, right).doit(deep=False), node)
        if any(_is_matrix(a) for a in args):
            if isinstance(node, ast.BinOp):
                return self._binary(node, args)
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
                operand = next(a for a in args if _is_matrix(a))
                raise ParseError(f"{name} takes scalars, and {operand} is a {_shape(operand)} "
                                 f"matrix{_one_by_one(operand)}; make a scalar with trace(...) "
                                 f"or det(...) (element-wise functions have no syntax here)",
                                 construct="call", **_where(node))
        return super()._build(node, args)

    # operations --------------------------------------------------------------------
    def _matrix_call(self, node: ast.Call, args: list) -> sp.Expr:
        name = node.func.id
        if len(args) != 1:
            raise ParseError(f"{name} takes 1 argument (a matrix), got {len(args)}",
                             construct="call", **_where(node))
        function, square = MATRIX_FUNCTIONS[name]
        M = self._matrix(node.args[0], args[0], f"{name}(...)")
        if square:
            self._square(node.args[0], M, f"{name}(...)")
        return function(M)

    def _binary(self, node: ast.BinOp, args: list) -> sp.Expr:
        if isinstance(node.op, ast.Pow):
            return self._power(node, *args)
        if not isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            return super()._build(node, args)  # refused there, with the operator's hint
        operands = [(kind, operand, value) for (kind, operand), value
                    in zip(operand_chain(node), args, strict=True)]
        if isinstance(node.op, (ast.Add, ast.Sub)):
            for _, operand, value in operands:
                if not _is_matrix(value):
                    matrix = next(v for _, _, v in operands if _is_matrix(v))
                    raise ParseError(f"the sum adds the scalar {self._text(operand, value)} and "
                                     f"the {_shape(matrix)} matrix {matrix}{_one_by_one(matrix)}"
                                     f"; a sum of matrices has matrices of one shape only",
                                     construct="matrix sum", **_where(node))
            first = operands[0]
            for _, operand, value in operands[1:]:
                if value.shape != first[2].shape:
                    raise ParseError(f"the sum adds {self._text(first[1], first[2])} "
                                     f"({_shape(first[2])}) and {self._text(operand, value)} "
                                     f"({_shape(value)}); matrices in a sum have one shape",
                                     construct="matrix sum", **_where(node))
            return sp.MatAdd(*(-v if kind is ast.Sub else v for kind, _, v in operands)
                             ).doit(deep=False)
        factors = []
        for kind, operand, value in operands:
            if kind is ast.Div and _is_matrix(value):
                raise ParseError(f"division by the matrix {self._text(operand, value)}; write "
                                 f"inv(...) or **-1 for its inverse",
                                 construct="matrix division", **_where(operand))
            if kind is ast.Div and value == 0:
                raise ParseError("division by zero", construct="division", **_where(operand))
            factors.append(sp.Pow(value, -1) if kind is ast.Div else value)
        self._fits([(o, v) for _, o, v in operands if _is_matrix(v)], node)
        return _bounded(sp.MatMul(*factors).doit(deep=False), node)

    def _power(self, node: ast.BinOp, base, exponent) -> sp.Expr:
        if _is_matrix(exponent) or not _is_matrix(base):
            raise ParseError("a power with a matrix exponent is not supported; only a square "
                             "matrix to a constant whole power, X**n", construct="matrix power",
                             **_where(node))
        if not exponent.is_Integer:
            raise ParseError(f"the matrix {self._text(node.left, base)} is raised to {exponent}; "
                             f"a matrix power needs a constant whole exponent (X**2, X**-1)",
                             construct="matrix power", **_where(node))
        self._square(node.left, base, "a matrix power")
        _check_factors(abs(int(exponent)), node)  # before SymPy sees a huge exponent
        return _bounded(sp.MatPow(base, exponent).doit(deep=False), node)

    # checks ------------------------------------------------------------------------
    def _matrix(self, operand: ast.AST, value, what: str) -> sp.MatrixExpr:
        if not _is_matrix(value):
            raise ParseError(f"{what} takes a matrix, and {self._text(operand, value)} is a "
                             f"scalar", construct=what, **_where(operand))
        return value

    def _square(self, operand: ast.AST, M, what: str) -> None:
        if M.rows != M.cols:
            raise ParseError(f"{what} takes a square matrix, and {self._text(operand, M)} is "
                             f"{_shape(M)}", construct=what, **_where(operand))

    def _fits(self, factors: list, node: ast.AST) -> None:
        """The columns of each matrix factor equal the rows of the next."""
        for (u, U), (v, V) in itertools.pairwise(factors):
            if U.cols != V.rows:
                raise ParseError(f"the matrix product {self._text(u, U)} * {self._text(v, V)} "
                                 f"multiplies {_shape(U)} by {_shape(V)}; the columns of the "
                                 f"left factor ({U.cols}) must equal the rows of the right "
                                 f"({V.rows})", construct="matrix product", **_where(node))

    def _text(self, node: ast.AST, value) -> str:
        """How the user wrote ``node`` (a short one-line piece), else the value."""
        if node.lineno == node.end_lineno:
            piece = self.lines[node.lineno - 1][node.col_offset:node.end_col_offset]
            if 0 < len(piece) <= 40:
                return piece
        return reprlib.repr(str(value))


def _factors(M) -> int:
    """The number of matrix factors of a product, ``X**n`` counting as n."""
    if isinstance(M, sp.MatMul):
        return sum(_factors(a) for a in M.args if _is_matrix(a))
    if isinstance(M, sp.MatPow) and M.exp.is_Integer:
        return abs(int(M.exp)) * _factors(M.base)
    return 1


def _bounded(M, node: ast.AST):
    """``M``, a product or power written at ``node``, within ``max_matrix_factors``."""
    _check_factors(_factors(M), node)
    return M


def _check_factors(count: int, node: ast.AST) -> None:
    limit = get_limits().max_matrix_factors
    if count > limit:
        where = _where(node)
        raise ResourceLimitError(f"the matrix product at line {where['line']}, column "
                                 f"{where['column']} has {_size(count)} matrix factors (a power "
                                 f"X**n counts n), more than {limit}",
                                 limit="max_matrix_factors")


def _is_matrix(value) -> bool:
    return isinstance(value, sp.MatrixExpr)


def _shape(M) -> str:
    return f"{M.rows} × {M.cols}"


def _one_by_one(M) -> str:
    return " (take trace(...) to use a 1 × 1 matrix as a scalar)" if M.shape == (1, 1) else ""


def _where(node: ast.AST) -> dict:
    return {"line": node.lineno, "column": node.col_offset + 1}

