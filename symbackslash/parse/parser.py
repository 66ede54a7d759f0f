"""Text → SymPy: a safe parser for expressions and straight-line programs.

The first stage of the data flow (text → graph → matrix → solve → derivation → render).
Text is read with Python's :mod:`ast` (which only parses, never runs) and each syntax node is
checked against an allow-list before it becomes a SymPy object. User text never reaches
``eval``, ``exec``, ``sympify`` or ``parse_expr``, and names are never looked up in Python or
SymPy: every name is a plain :class:`sympy.Symbol` (so ``E``, ``I``, ``S``, ``N``, ``beta``,
``gamma`` and ``eval`` are ordinary variables), except the names of :data:`FUNCTIONS` (which
may only be called) and of :data:`CONSTANTS` (``pi``).

Allowed
    integer and decimal literals (decimals become exact rationals: ``0.1`` is 1/10), names,
    ``+ - * / **``, unary ``-`` and ``+``, parentheses, calls of :data:`FUNCTIONS` with
    positional arguments; in programs, assignments ``name = expr`` one per line or separated
    by ``;``, and ``#`` comments.

Matrices
    ``parse(text, shapes={"A": (3, 3), "X": (3, 3)})`` reads those names as
    ``MatrixSymbol`` objects and also allows ``A*X`` and ``A @ X`` (matrix product), ``X.T``,
    ``transpose``, ``inv``, ``X**-1``, ``trace`` and ``det``, shapes checked where they are
    written: see :mod:`symbackslash.parse.matrices`. The text is then one expression.

Programs
    The last assignment is the output; names used but never assigned are the inputs. A name
    must be assigned before it is used, and may not be the name of a function or constant.
    Code as students write it (reassignment, ``+=``, tuple assignment, ``for`` loops over
    ``range``, ``def`` with ``return`` and helper functions, micrograd's ``.relu()``) becomes
    a straight-line program in static single assignment form: see
    :mod:`symbackslash.parse.statements`. A Python function is traced instead
    (:mod:`symbackslash.parse.trace`).

Names
    A name means only what this module says: a function of :data:`FUNCTIONS` (callable only),
    a constant of :data:`CONSTANTS`, or else a plain variable. So ``E`` is a variable, not
    Euler's number (write ``exp(1)``); ``I`` is a variable, not the imaginary unit; ``S``,
    ``N``, ``beta``, ``gamma``, ``eval`` and ``open`` are variables too (calling ``eval(x)`` or
    ``open(x)`` is refused as unsafe). Names starting with ``__`` are refused.

Numbers
    Decimal literals are read exactly from the text (``1e-400`` is 10⁻⁴⁰⁰, not 0.0); integer
    and decimal sizes and numeric powers are held to :mod:`symbackslash.core.limits`.

Limits
    Every limit of :class:`~symbackslash.Limits` is checked before work grows with it.
    Python's parser has two fixed limits of its own, reported as
    ``ResourceLimitError(limit="python_parser")``: about 200 nested brackets, and a few
    thousand operators chained in one expression (a sum of 100,000 terms); split such
    expressions into assignments.

>>> parse("exp(sin(x)**2) / (1 + y**2)")
exp(sin(x)**2)/(y**2 + 1)
>>> program = parse("a = x*y; b = sin(a)\\nf = a + b   # output")
>>> program.assignments
((a, x*y), (b, sin(a)), (f, a + b))
>>> program.inputs, program.output
((x, y), f)
"""

from __future__ import annotations

import ast
import re
import sys

import sympy as sp

from ..core.limits import check_limit, get_limits
from ..core.walk import symbols
from ..errors import (
    GraphError,
    ParseError,
    ResourceLimitError,
    boundary,
)
from .matrices import check_shapes, parse_matrix
from .program import Program
from .statements import needs_ssa, ssa_program
from .syntax import CONSTANTS, FUNCTIONS, LINE_END, Converter, check_name, unsupported

__all__ = ["FUNCTIONS", "CONSTANTS", "Program", "parse", "parse_expression", "parse_program"]

_DIGITS = re.compile(r"\d[\d_]+")  # digit runs, underscores allowed
_STRUCTURE = re.compile(r"[()\[\]{}\n;]")
_COMMENT = re.compile(r"#[^\n]*")
#: Name given to text handed to :func:`ast.parse` (so audits can tell it from other code).
SOURCE_NAME = "<symbackslash input>"


@boundary
def parse(text: str, shapes: dict | None = None) -> sp.Expr | Program:
    """Parse an expression or a program; return a SymPy expression or a :class:`Program`.

    Text containing an assignment is a program; otherwise it must be one expression.

    Parameters
    ----------
    text : str
        The expression or program.
    shapes : dict, optional
        ``{name: (rows, columns)}``: these names are matrices (``sympy.MatrixSymbol``), and
        the text is one expression with matrix operations: ``A*X`` or ``A @ X``, ``+ -``,
        ``X.T``, ``transpose``, ``inv`` or ``X**-1``, ``trace``, ``det`` (see
        :mod:`~symbackslash.parse.matrices`). The other functions accept the SymPy expression
        this returns; text with matrices goes to them parsed this way, e.g.
        ``gradient(parse(text, shapes={...}), ["X"])``.

    Raises
    ------
    ParseError, UnsafeInputError, GraphError, ResourceLimitError
    InputError
        For a bad shape, or a shape given for a name the text does not use.

    Examples
    --------
    >>> parse("trace(A*X) + log(det(X))", shapes={"A": (3, 3), "X": (3, 3)})
    log(Determinant(X)) + Trace(A*X)
    """
    declared = None if shapes is None else check_shapes(shapes)
    module = _read(text)
    if declared:
        return parse_matrix(text, declared, module)
    if needs_ssa(module):
        return ssa_program(module, text)
    if any(not isinstance(s, ast.Expr) for s in module.body) or len(module.body) != 1:
        return _program(module, text)
    return Converter(text).expression(module.body[0].value)


@boundary
def parse_expression(text: str, shapes: dict | None = None) -> sp.Expr:
    """Parse text that must hold exactly one expression (``shapes`` as in :func:`parse`)."""
    result = parse(text, shapes)
    if isinstance(result, Program):
        raise ParseError("expected one expression, found a program with assignments",
                         line=result.lines[0], column=1)
    return result


@boundary
def parse_program(text: str) -> Program:
    """Parse text as a program; a lone expression becomes the program ``f = expression``."""
    result = parse(text)
    if isinstance(result, Program):
        return result
    name = sp.Symbol("f")
    if name in result.free_symbols:
        raise ParseError("a lone expression that uses the name f cannot become the program "
                         "'f = ...'; write the assignment yourself", line=1, column=1)
    return Program(((name, result),), tuple(sorted(result.free_symbols, key=str)), (1,))


# --------------------------------------------------------------------------- reading


def _read(text: str) -> ast.Module:
    if not isinstance(text, str):
        raise ParseError(f"expected text (str), got {type(text).__name__}")
    check_limit("max_chars", len(text), "input length in characters")
    limits = get_limits()
    for match in _DIGITS.finditer(text):
        digits = match.end() - match.start() - match.group().count("_")
        if digits > limits.max_int_digits:
            line, column = _position(text, match.start())
            raise ResourceLimitError(
                f"a number literal with {digits} digits at line {line}, column {column} is "
                f"longer than {limits.max_int_digits} digits", limit="max_int_digits")
    statements = _count_statements(text, limits.max_statements)
    check_limit("max_statements", statements, "number of statements")
    try:
        module = ast.parse(text, filename=SOURCE_NAME, mode="exec")
    except SyntaxError as err:
        if "too many nested parentheses" in err.msg:
            raise ResourceLimitError(f"more than 200 nested brackets at line {err.lineno}, "
                                     f"column {err.offset}", limit="python_parser") from None
        if "integer string conversion" in err.msg:
            raise ResourceLimitError(f"an integer literal at line {err.lineno} is longer than "
                                     f"Python's {sys.get_int_max_str_digits()} digits",
                                     limit="python_parser") from None
        raise ParseError(_syntax_message(err), line=err.lineno, column=err.offset,
                         construct="syntax") from None
    except (RecursionError, MemoryError):
        raise ResourceLimitError("the text nests too deeply, or one expression chains too many "
                                 "operators, for Python's parser", limit="python_parser") from None
    if not text.isascii():
        _character_columns(module, text)
    if not module.body:
        raise ParseError("empty input: give an expression such as 'x*y' or a program such as "
                         "'a = x*y\\nf = sin(a)'", line=1, column=1)
    check_limit("max_statements", len(module.body), "number of statements")
    return module


def _count_statements(text: str, limit: int) -> int:
    """The number of statements, counted without parsing when it may be over ``limit``.

    Counts the non-blank pieces between line ends and semicolons outside brackets, comments
    removed: exact for the programs the parser accepts, and linear in the text, so a huge
    program is refused before :func:`ast.parse` spends seconds on it. Returns 0 when a crude
    bound is within ``limit``.
    """
    if text.count("\n") + text.count(";") + 1 <= limit:
        return 0
    code = _COMMENT.sub("", text)
    depth, count, start = 0, 0, 0
    for match in _STRUCTURE.finditer(code):
        char = match.group()
        if char in "\n;":
            if depth == 0:
                count += bool(code[start:match.start()].strip())
                start = match.end()
        else:
            depth = max(0, depth + (1 if char in "([{" else -1))
    return count + bool(code[start:].strip())


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _syntax_message(err: SyntaxError) -> str:
    message = err.msg
    if "invalid decimal literal" in message or "Perhaps you forgot a comma" in message:
        message += "; implicit multiplication is not allowed, write 2*x instead of 2x"
    elif "was never closed" in message or "unmatched" in message:
        message += "; check the parentheses"
    elif "null bytes" in message:
        message += "; remove the null character"
    elif "string literal" in message or "f-string" in message:
        message += "; string literals are not allowed"
    elif "indent" in message:
        message += "; remove the spaces at the start of the line"
    return f"not a valid expression: {message}"


def _program(module: ast.Module, text: str) -> Program:
    names = sp.Symbol  # program names are plain symbols, like every other name
    assigned: dict[str, tuple[int, int]] = {}
    for stmt in module.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ast.Name):
            target = stmt.targets[0]
            check_name(target.id, target, assigning=True)
            if target.id in assigned:
                raise GraphError(f"'{target.id}' is assigned twice (line {assigned[target.id][0]}, "
                                 f"column {assigned[target.id][1]} and line {stmt.lineno}, column "
                                 f"{stmt.col_offset + 1}); a straight-line program assigns each "
                                 f"name once, so use a new name")
            assigned[target.id] = (stmt.lineno, stmt.col_offset + 1)
        elif isinstance(stmt, ast.Assign):
            raise unsupported(stmt.targets[0] if len(stmt.targets) == 1 else stmt,
                               "assignment target (only 'name = expression' is allowed)")
        elif isinstance(stmt, ast.Expr):
            raise ParseError("a program line must be an assignment 'name = expression'; the last "
                             "assignment is the output", line=stmt.lineno,
                             column=stmt.col_offset + 1,
                             construct="expression statement")
        else:
            raise unsupported(stmt)

    converter = _LineConverter(text, module, assigned)
    assignments, lines = [], []
    for stmt in module.body:
        converter.statement = stmt
        assignments.append((names(stmt.targets[0].id), converter.expression(stmt.value)))
        lines.append(stmt.lineno)
        converter.defined.add(stmt.targets[0].id)
    used = symbols([expr for _, expr in assignments])
    inputs = sorted((s for s in used if s.name not in assigned), key=lambda s: s.name)
    return Program(tuple(assignments), tuple(inputs), tuple(lines))


class _LineConverter(Converter):
    """The converter of a straight-line program: a name assigned in the program must be
    assigned on an earlier line than where it is used (checked as each name is met)."""

    def __init__(self, text: str, module: ast.Module, assigned: dict[str, tuple[int, int]]):
        super().__init__(text)
        self.module, self.assigned = module, assigned
        self.defined: set[str] = set()
        self.statement: ast.Assign | None = None

    def validate(self, node: ast.AST) -> None:
        if isinstance(node, ast.Name) and node.id in self.assigned \
                and node.id not in self.defined:
            stmt = self.statement
            if node.id == stmt.targets[0].id:
                raise GraphError(f"'{node.id}' is used in its own definition on line "
                                 f"{stmt.lineno}, column {node.col_offset + 1}; a straight-line "
                                 f"program has no cycles, so give the new value a new name")
            raise GraphError(_before_definition(node, stmt, self.assigned, self.module))
        super().validate(node)


def _before_definition(node: ast.Name, stmt: ast.Assign, assigned: dict[str, tuple[int, int]],
                       module: ast.Module) -> str:
    """Message for a name used before its assignment; says 'a cycle' when it is one."""
    uses = {s.targets[0].id: {n.id for n in ast.walk(s.value) if isinstance(n, ast.Name)}
            for s in module.body}
    target, seen, todo = stmt.targets[0].id, set(), [node.id]
    while todo:  # does the later definition of node.id depend (transitively) on target?
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(uses.get(name, ()))
    kind = "a cycle" if target in seen else "use before definition"
    return (f"{kind}: '{node.id}' is used on line {stmt.lineno}, column {node.col_offset + 1}, "
            f"before its assignment at line {assigned[node.id][0]}, column {assigned[node.id][1]}; "
            f"assign it first")


def _character_columns(module: ast.Module, text: str) -> None:
    """Turn the UTF-8 byte offsets of ``ast`` into character columns, in place (only needed
    for lines with non-ASCII characters), so messages and literals use character positions."""
    lines = LINE_END.split(text)
    for node in ast.walk(module):
        for attr, line_attr in (("col_offset", "lineno"), ("end_col_offset", "end_lineno")):
            offset, number = getattr(node, attr, None), getattr(node, line_attr, None)
            if offset is not None and number is not None and not lines[number - 1].isascii():
                encoded = lines[number - 1].encode("utf-8")
                setattr(node, attr, len(encoded[:offset].decode("utf-8", errors="replace")))
