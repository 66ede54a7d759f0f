"""The parser's allow-list: which Python syntax becomes which SymPy object.

:func:`~symbackslash.parse` reads text with :mod:`ast`; this module turns the syntax
tree into SymPy, node by node, refusing anything outside the allow-list *before* looking
inside it (:func:`validate`). The conversion is iterative (an explicit stack), so long chains
and deep nesting cost no recursion; a whole chain ``a + b − c …`` (or ``a * b / c …``) is
built as one SymPy sum (product) at once.

>>> import ast
>>> text = "2*x + sin(y)/3"
>>> Converter(text).expression(ast.parse(text, mode="eval").body)
2*x + sin(y)/3
"""

from __future__ import annotations

import ast
import builtins
import re

import sympy as sp

from ..core.functions import relu, sigmoid, softplus
from ..core.limits import check_power, get_limits, integer_digits
from ..core.scalars import product, total, unevaluated
from ..errors import GraphError, ParseError, ResourceLimitError, UnsafeInputError

__all__ = ["FUNCTIONS", "CONSTANTS", "METHODS", "MATRIX_ONLY", "LINE_END", "Converter",
           "validate", "check_name", "unsupported", "operand_chain"]

#: The functions text may call: name → (SymPy function, number of arguments; None = 2 or more).
FUNCTIONS: dict[str, tuple[object, int | None]] = {
    "sin": (sp.sin, 1), "cos": (sp.cos, 1), "tan": (sp.tan, 1), "cot": (sp.cot, 1),
    "sec": (sp.sec, 1), "csc": (sp.csc, 1),
    "asin": (sp.asin, 1), "acos": (sp.acos, 1), "atan": (sp.atan, 1), "atan2": (sp.atan2, 2),
    "sinh": (sp.sinh, 1), "cosh": (sp.cosh, 1), "tanh": (sp.tanh, 1),
    "asinh": (sp.asinh, 1), "acosh": (sp.acosh, 1), "atanh": (sp.atanh, 1),
    "exp": (sp.exp, 1), "log": (sp.log, 1), "sqrt": (sp.sqrt, 1), "erf": (sp.erf, 1),
    "abs": (sp.Abs, 1), "sign": (sp.sign, 1),
    "max": (sp.Max, None), "min": (sp.Min, None),
    "sigmoid": (sigmoid, 1), "softplus": (softplus, 1), "relu": (relu, 1),
}

#: micrograd-style methods, sugar for the function of the same name: ``(a + b).relu()`` is
#: ``relu(a + b)``. No other attribute is allowed.
METHODS = ("relu", "tanh", "exp", "log", "sigmoid")

#: Functions of matrices, allowed once names have shapes (:mod:`.matrices`).
MATRIX_ONLY = ("det", "inv", "trace", "transpose")

#: Names that denote constants rather than variables.
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi}

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}

# Constructs outside the allow-list, named for the error message.
_NAMES = {
    ast.Attribute: "attribute access", ast.Subscript: "subscript", ast.Lambda: "lambda",
    ast.ListComp: "list comprehension", ast.SetComp: "set comprehension",
    ast.DictComp: "dict comprehension", ast.GeneratorExp: "generator expression",
    ast.JoinedStr: "f-string", ast.NamedExpr: "walrus assignment (:=)",
    ast.Starred: "starred argument", ast.Import: "import statement",
    ast.ImportFrom: "import statement", ast.FunctionDef: "function definition (def)",
    ast.AsyncFunctionDef: "function definition (def)", ast.ClassDef: "class definition",
    ast.Compare: "comparison", ast.BoolOp: "boolean operator", ast.IfExp: "conditional expression",
    ast.List: "list", ast.Tuple: "tuple", ast.Dict: "dict", ast.Set: "set",
    ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield",
    ast.AugAssign: "augmented assignment (+= etc.)", ast.AnnAssign: "annotated assignment",
    ast.Slice: "slice", ast.Delete: "del statement", ast.Global: "global statement",
    ast.Nonlocal: "nonlocal statement",
}
_HINTS = {
    ast.BitXor: "'^' is not a power here; write x**2",
    ast.MatMult: "'@' multiplies matrices: declare their shapes first, with "
                   "parse(text, shapes={'X': (3, 3)}) or --shape X=3x3",
    ast.Compare: "equations are not expressions; give the expression to differentiate",
}
_BUILTINS = frozenset(dir(builtins))  # calling one of these is refused as unsafe
LINE_END = re.compile(r"\r\n|\r|\n")
_DECIMAL = re.compile(r"(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")


def check_name(name: str, node: ast.AST, *, assigning: bool = False) -> None:
    if name.startswith("__"):
        raise UnsafeInputError(f"names starting with '__' are not allowed ({name!r})",
                               line=node.lineno, column=node.col_offset + 1,
                               construct="dunder name")
    if name in FUNCTIONS or name in CONSTANTS:
        what = "function" if name in FUNCTIONS else "constant"
        if assigning:
            raise GraphError(f"'{name}' is a built-in {what} and cannot be assigned (line "
                             f"{node.lineno}); choose another name")
        if name in FUNCTIONS:
            raise ParseError(f"'{name}' is a function; call it, as in {name}(x)",
                             line=node.lineno, column=node.col_offset + 1,
                             construct="function name")


def unsupported(node: ast.AST, what: str | None = None) -> ParseError:
    name = what or _NAMES.get(type(node)) or type(node).__name__
    hint = _HINTS.get(type(node))
    message = f"{name} is not allowed" + (f"; {hint}" if hint else "")
    line, column = getattr(node, "lineno", None), getattr(node, "col_offset", None)
    column = None if column is None else column + 1
    return UnsafeInputError(message, line=line, column=column, construct=name)


# --------------------------------------------------------------------------- converting


class Converter:
    """Allow-listed ``ast`` → SymPy, iterative (no recursion limits on long chains)."""

    def __init__(self, text: str):
        self.symbols: dict[str, sp.Symbol] = {}
        self.lines = LINE_END.split(text)

    def expression(self, root: ast.expr) -> sp.Expr:
        limits = get_limits()
        # Post-order walk with an explicit stack: (node, depth, its children once pushed).
        stack = [(root, 1, None)]
        values: list[sp.Expr] = []
        while stack:
            node, depth, children = stack.pop()
            if depth > limits.max_depth:
                raise ResourceLimitError(
                    f"expression nesting deeper than {limits.max_depth} at line {node.lineno}, "
                    f"column {node.col_offset + 1}", limit="max_depth")
            if children is None:
                self.validate(node)
                children = self._children(node)
                stack.append((node, depth, children))
                stack.extend((child, depth + 1, None) for child in reversed(children))
                continue
            count = len(children)
            args = values[len(values) - count:] if count else []
            del values[len(values) - count:]
            values.append(self._real(node, self._build(node, args), args))
        return values[0]

    def validate(self, node: ast.AST) -> None:
        """Refuse a syntax node outside the allow-list (a subclass may allow more calls)."""
        validate(node)

    def _children(self, node: ast.AST) -> list[ast.AST]:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return [node.func.value]  # a method of METHODS: its object is the argument
        if isinstance(node, ast.BinOp):
            return [operand for _, operand in operand_chain(node)]
        if isinstance(node, ast.UnaryOp):
            return [node.operand]
        if isinstance(node, ast.Call):
            return list(node.args)
        return []

    def _real(self, node: ast.AST, value: sp.Expr, args: list[sp.Expr]) -> sp.Expr:
        """Refuse a constant that SymPy folded into something not finite and real:
        ``log(0)`` is zoo, ``sqrt(-1)`` is I, ``asin(2)`` is complex."""
        if value.is_Rational or not args or any(a.free_symbols for a in args):
            return value
        number = value if value.is_Number else value.evalf(15)
        if number.is_Number and number.is_finite and number.is_extended_real:
            return value
        line = self.lines[node.lineno - 1] if node.lineno == node.end_lineno else ""
        text = line[node.col_offset:node.end_col_offset] or str(value)
        raise ParseError(f"{text} is not a finite real number (SymPy: {value}); symbackslash "
                         f"works with real values", construct="constant",
                         line=node.lineno, column=node.col_offset + 1)

    def _build(self, node: ast.AST, args: list[sp.Expr]) -> sp.Expr:
        where = {"line": node.lineno, "column": node.col_offset + 1}
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                kind = {str: "string literal", bytes: "bytes literal"}.get(
                    type(value), type(value).__name__)
                raise UnsafeInputError(f"{kind} is not allowed; only numbers", construct=kind,
                                       **where)
            if isinstance(value, float):
                line = self.lines[node.lineno - 1]
                return _decimal(line[node.col_offset:node.end_col_offset], where)
            digits = integer_digits(value)
            if digits > get_limits().max_int_digits:
                raise ResourceLimitError(f"an integer literal with about {digits} digits at line "
                                         f"{where['line']}, column {where['column']} is longer "
                                         f"than {get_limits().max_int_digits} digits",
                                         limit="max_int_digits")
            return sp.Integer(value)
        if isinstance(node, ast.Name):
            if node.id in CONSTANTS:
                return CONSTANTS[node.id]
            check_name(node.id, node)
            return self.symbols.setdefault(node.id, sp.Symbol(node.id))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return -args[0]
            if isinstance(node.op, ast.UAdd):
                return args[0]
            raise unsupported(node, f"unary operator {type(node.op).__name__}")
        if isinstance(node, ast.BinOp):
            op = type(node.op)
            if op not in _BINARY:
                hint = _HINTS.get(op)
                raise UnsafeInputError(f"operator {type(node.op).__name__} is not allowed"
                                       + (f"; {hint}" if hint else "; use + - * / **"),
                                       construct="operator", **where)
            if op is ast.Pow:
                return _power(args[0], args[1], where)
            # A whole chain a + b - c … or a * b / c … at once: SymPy flattens in one go.
            operands = operand_chain(node)
            ops = [kind for kind, _ in operands]
            if op in (ast.Add, ast.Sub):
                return total(*(-a if kind is ast.Sub else a
                               for kind, a in zip(ops, args, strict=True)))
            for kind, a, operand in zip(ops, args, operands, strict=True):
                if kind is ast.Div and a == 0:
                    raise ParseError("division by zero", construct="division",
                                     line=operand[1].lineno, column=operand[1].col_offset + 1)
            return product(*(sp.Pow(a, -1) if kind is ast.Div else a
                             for kind, a in zip(ops, args, strict=True)))
        if isinstance(node, ast.Call):
            return self._call(node, args, where)
        raise unsupported(node)

    def _call(self, node: ast.Call, args: list[sp.Expr], where: dict) -> sp.Expr:
        name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
        function, arity = FUNCTIONS[name]
        if (arity is None and len(args) < 2) or (arity is not None and len(args) != arity):
            wanted = "2 or more" if arity is None else str(arity)
            raise ParseError(f"{name} takes {wanted} argument(s), got {len(args)}",
                             construct="call", **where)
        # Evaluate (sin(0) → 0) only on constants: for symbolic arguments SymPy's eval only
        # queries assumptions, which costs more than the rest of the parse.
        if all(a.is_Number for a in args):
            return function(*args)
        return unevaluated(function, *args)


def validate(node: ast.AST) -> None:
    """Refuse, before looking inside, any syntax node outside the allow-list."""
    where = {"line": getattr(node, "lineno", None),
             "column": getattr(node, "col_offset", -1) + 1}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr in METHODS:
        _validate_method(node)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise unsupported(node.func if isinstance(node.func, ast.Attribute) else node,
                               "calling anything but a named function")
        name = node.func.id
        if name in MATRIX_ONLY:
            raise ParseError(f"{name}(...) takes a matrix: declare the shapes of the matrices "
                             f"with parse(text, shapes={{'X': (3, 3)}}), or --shape X=3x3 on "
                             f"the command line", construct="call", **where)
        if name not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            kind = UnsafeInputError if name.startswith("_") or name in _BUILTINS else ParseError
            raise kind(f"unknown function {name!r}; the allowed functions are: {known}",
                       construct="call", **where)
        if node.keywords:
            raise UnsafeInputError(f"keyword arguments are not allowed in {name}(...)",
                                   construct="keyword argument", **where)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise unsupported(arg)
    elif not isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Name, ast.Constant)):
        raise unsupported(node)


def _validate_method(node: ast.Call) -> None:
    """``value.method()`` for a method of :data:`METHODS` takes no arguments."""
    attr = node.func
    if node.args or node.keywords:
        raise UnsafeInputError(f".{attr.attr}() takes no arguments",
                               line=node.lineno, column=node.col_offset + 1,
                               construct="method call")


def operand_chain(node: ast.BinOp) -> list[tuple[type, ast.AST]]:
    """The operands of a left-nested chain of + and − (or of * and /), with their operators.

    ``a - b + c`` gives ``[(Add, a), (Sub, b), (Add, c)]``; a power is a chain of two.
    """
    family = (ast.Add, ast.Sub) if isinstance(node.op, (ast.Add, ast.Sub)) else (
        (ast.Mult, ast.Div) if isinstance(node.op, (ast.Mult, ast.Div)) else None)
    if family is None:
        return [(ast.Add, node.left), (type(node.op), node.right)]
    reversed_chain = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, family):
        reversed_chain.append((type(node.op), node.right))
        node = node.left
    reversed_chain.append((family[0], node))
    return reversed_chain[::-1]


def _power(base: sp.Expr, exponent: sp.Expr, where: dict) -> sp.Expr:
    check_power(base, exponent, f"the power at line {where['line']}, column {where['column']}")
    if base is sp.S.Zero and exponent.is_Number and exponent.is_negative:
        raise ParseError("division by zero (0 to a negative power)", construct="power", **where)
    if base.is_Add and exponent.is_Integer and exponent is not sp.S.Zero \
            and exponent is not sp.S.One and base.free_symbols:
        # SymPy's eval would ask each term whether it is infinite (seconds of assumption
        # queries on a long program) and return None: the parser's symbols have no
        # assumptions and its constants are finite, so the power is canonical as it is
        return sp.Pow(base, exponent, evaluate=False)
    return sp.Pow(base, exponent)


def _decimal(literal: str, where: dict) -> sp.Rational:
    """The exact value of a decimal literal (``1.5e-3`` is 3/2000), within the limits."""
    match = _DECIMAL.fullmatch(literal.replace("_", ""))
    if match is None:  # not reached for literals Python accepted; kept as a guard
        raise ParseError(f"cannot read the number {literal!r}", construct="number", **where)
    whole, fraction, exponent = match.group(1), match.group(2) or "", match.group(3) or "0"
    lim = get_limits()
    if len(exponent.lstrip("+-0")) > 9 or abs(int(exponent)) > lim.max_exponent:
        raise ResourceLimitError(f"the decimal exponent of {literal[:40]!r} at line "
                                 f"{where['line']}, column {where['column']} is larger than "
                                 f"{lim.max_exponent}", limit="max_exponent")
    digits, power = (whole + fraction).lstrip("0") or "0", int(exponent) - len(fraction)
    if len(digits) + max(power, 0) > lim.max_int_digits or -power > lim.max_int_digits:
        raise ResourceLimitError(f"the number {literal[:40]!r} at line {where['line']}, column "
                                 f"{where['column']} would have more than {lim.max_int_digits} "
                                 f"digits", limit="max_int_digits")
    return sp.Rational(int(digits) * 10 ** max(power, 0), 10 ** max(-power, 0))
