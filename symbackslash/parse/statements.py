"""Code as students write it → a straight-line program in static single assignment form.

:func:`~symbackslash.parse` hands a program here when it uses more than ``name =
expression`` with each name assigned once: reassignment (``h = tanh(w*h + b)`` three times),
augmented assignment (``+= -= *= /= **=``), tuple assignment (``a, b = b, a*b``), ``for``
loops over ``range(...)`` with constant bounds (unrolled, nested loops too), and ``def``
with ``return`` (the last function defined is the one to differentiate, its parameters the
inputs, unless statements follow the functions; the others are helpers, inlined at each
call). Nothing is run: the syntax tree is walked, and every expression goes through the
parser's allow-list (:class:`~.syntax.Converter`).

Each assignment makes a new node. Its name is the user's name with a version: the first
assignment to ``h`` is ``h``, the next ``h_2`` (printed h₂), then ``h_3`` …, skipping names
the text uses itself; a parameter reassigned starts at ``_2``. A ``def``'s return value is
named after the function (unless it is the value assigned last, which is the output). An
assignment made inside a loop carries a note with the iteration (``"i = 2"``), kept in
:attr:`Program.notes`.

Refused, with line, column and what to write instead: ``while``, ``if``, recursion, loops
over anything but ``range`` of whole numbers, ``def`` with defaults, ``*args``, keyword-only
parameters or decorators, ``global``, ``lambda``, ``import``, and everything the expression
allow-list refuses. The unrolled size counts against ``max_statements``: a loop whose
unrolled body would exceed it is refused before it is unrolled.

>>> from symbackslash import parse
>>> print(parse("h = x\\nfor i in range(2):\\n    h = tanh(w*h + i)\\nh += 1"))
h = x
h_2 = tanh(h*w)
h_3 = tanh(h_2*w + 1)
h_4 = h_3 + 1
"""

from __future__ import annotations

import ast

import sympy as sp

from ..core.limits import check_limit, get_limits
from ..errors import GraphError, ParseError, ResourceLimitError, UnsafeInputError
from .program import Program
from .syntax import CONSTANTS, FUNCTIONS, LINE_END, Converter, check_name, unsupported, validate

__all__ = ["needs_ssa", "ssa_program"]

_AUGMENTED = {ast.Add: ast.Add, ast.Sub: ast.Sub, ast.Mult: ast.Mult, ast.Div: ast.Div,
              ast.Pow: ast.Pow}
_REFUSED = {
    ast.While: ("while loop", "unroll it, or write a for loop over range(n) with a constant n"),
    ast.If: ("if statement", "a branch on a value is not differentiable code here; use "
                             "max(a, b), min, abs or relu (a.relu()) instead"),
    ast.Global: ("global statement", "pass the value as a parameter"),
    ast.Nonlocal: ("nonlocal statement", "pass the value as a parameter"),
    ast.Lambda: ("lambda", "write a def with a return"),
    ast.Return: ("return outside a def", "end a def with it, or assign the output"),
    ast.Try: ("try statement", "remove it"),
}


def needs_ssa(module: ast.Module) -> bool:
    """Whether the program uses more than single assignments of distinct names."""
    seen: set[str] = set()
    for stmt in module.body:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)):
            return isinstance(stmt, (ast.Assign, ast.AugAssign, ast.For, ast.FunctionDef,
                                     ast.While, ast.If, ast.Return, ast.Global, ast.Nonlocal))
        if stmt.targets[0].id in seen:
            return True
        seen.add(stmt.targets[0].id)
    return False


def ssa_program(module: ast.Module, text: str):
    """The :class:`~.parser.Program` of ``module`` (see the module docstring)."""
    unroller = _Unroller(module, text)
    assignments, inputs, lines, notes = unroller.run()
    return Program(tuple(assignments), tuple(inputs), tuple(lines), tuple(notes))


def _where(node: ast.AST) -> dict:
    return {"line": getattr(node, "lineno", None), "column": getattr(node, "col_offset", 0) + 1}


def _refuse(node: ast.AST) -> ParseError:
    what, hint = _REFUSED.get(type(node), (None, None))
    if what is None:
        return unsupported(node)
    return UnsafeInputError(f"{what} is not allowed; {hint}", construct=what, **_where(node))


class _Function:
    """A ``def``: its parameters and body, checked."""

    def __init__(self, node: ast.FunctionDef):
        a = node.args
        if node.decorator_list:
            raise UnsafeInputError("decorators are not allowed; remove the @ line",
                                   construct="decorator", **_where(node.decorator_list[0]))
        if a.vararg or a.kwarg or a.kwonlyargs:
            bad = a.vararg or a.kwarg or a.kwonlyargs[0]
            raise UnsafeInputError(f"def {node.name}: *args, **kwargs and keyword-only "
                                   f"parameters are not allowed; list the parameters by name",
                                   construct="parameter", **_where(bad))
        if a.defaults or a.kw_defaults:
            raise UnsafeInputError(f"def {node.name}: default values are not allowed; every "
                                   f"parameter is an input", construct="default value",
                                   **_where(a.defaults[0] if a.defaults else node))
        if node.returns is not None or any(p.annotation is not None for p in a.posonlyargs
                                           + a.args):
            raise UnsafeInputError(f"def {node.name}: annotations are not allowed; remove them",
                                   construct="annotation", **_where(node))
        self.node, self.name = node, node.name
        self.params = [p.arg for p in a.posonlyargs + a.args]
        for p in a.posonlyargs + a.args:
            check_name(p.arg, p, assigning=True)
        body = list(node.body)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]  # a docstring
        if not body or not isinstance(body[-1], ast.Return) or body[-1].value is None:
            raise ParseError(f"def {node.name} must end with 'return expression'",
                             construct="def", **_where(node))
        for stmt in body[:-1]:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                raise UnsafeInputError("a def inside a def is not allowed; define helpers at "
                                       "the top level", construct="nested def", **_where(stmt))
            for inner in ast.walk(stmt):
                if isinstance(inner, ast.Return):
                    raise ParseError(f"def {node.name}: only one return, as the last line",
                                     construct="return", **_where(inner))
        self.body, self.result = body[:-1], body[-1].value


class _Unroller:
    def __init__(self, module: ast.Module, text: str):
        functions, statements = [], []
        for stmt in module.body:
            if isinstance(stmt, ast.FunctionDef):
                functions.append(_Function(stmt))
            elif isinstance(stmt, ast.AsyncFunctionDef):
                raise unsupported(stmt)
            else:
                statements.append(stmt)
        self.functions = {f.name: f for f in functions}
        if len(self.functions) != len(functions):
            raise GraphError("two functions have the same name; rename one")
        for name in self.functions:
            check_name(name, next(f.node for f in functions if f.name == name), assigning=True)
        self.main = None if statements or not functions else functions[-1]
        self.statements = statements
        self.source_names = {n.id for n in ast.walk(module) if isinstance(n, ast.Name)}
        self.source_names |= {n.arg for n in ast.walk(module) if isinstance(n, ast.arg)}
        self.source_names |= set(self.functions)
        self.lines_of_text = LINE_END.split(text)
        self.produced: set[str] = set()
        self.versions: dict[str, int] = {}
        self.calls = 0
        self.sizes: dict[str, int] = {}
        self.sizing: set[str] = set()
        self.assignments, self.lines, self.notes = [], [], []
        self.inputs: dict[str, sp.Symbol] = {}
        self.stack: list[str] = []      # helpers being inlined (recursion check)
        self.loops: list[str] = []      # "i = 2" of the enclosing loops
        self.limit = get_limits().max_statements
        self.assigned_anywhere = {t.id for n in ast.walk(module)
                                  for t in _targets(n) if isinstance(t, ast.Name)}

    # names -------------------------------------------------------------------------
    def version(self, name: str) -> sp.Symbol:
        """The next version of ``name``: itself first (unless it is an input), then
        ``name_2``, ``name_3`` … skipping names the text uses and names already made."""
        k = self.versions.get(name, 0)
        while True:
            k += 1
            candidate = name if k == 1 else f"{name}_{k}"
            if candidate in self.produced or candidate in self.inputs \
                    or (k > 1 and candidate in self.source_names):
                continue
            break
        self.versions[name] = k
        self.produced.add(candidate)
        return sp.Symbol(candidate)

    def emit(self, name: str, expr: sp.Expr, node: ast.AST) -> sp.Symbol:
        self.count()
        symbol = self.version(name)
        self.assignments.append((symbol, expr))
        self.lines.append(node.lineno)
        self.notes.append(", ".join(self.loops))
        return symbol

    def count(self, calls: int = 0) -> None:
        """Statements made plus helper calls inlined, held to ``max_statements``."""
        self.calls += calls
        check_limit("max_statements", len(self.assignments) + self.calls + 1,
                    "number of statements after unrolling loops and inlining functions")

    def size(self, body: list[ast.AST]) -> int:
        """Statements and helper calls in ``body`` once unrolled and inlined, counted without
        running it (nested constant loops multiply; other loops count once and are checked
        when they are reached), so that huge programs are refused before any work."""
        total = 0
        for stmt in body:
            if isinstance(stmt, ast.For):
                count, args = 1, stmt.iter.args if isinstance(stmt.iter, ast.Call) else []
                if 1 <= len(args) <= 3 and all(isinstance(a, ast.Constant) and
                                               type(a.value) is int for a in args):
                    try:
                        count = len(range(*(a.value for a in args)))
                    except (ValueError, OverflowError):
                        count = 1
                total += self.calls_in([stmt.iter]) + count * max(1, self.size(stmt.body))
            else:
                total += 1 + self.calls_in([stmt])
        return total

    def calls_in(self, nodes: list[ast.AST]) -> int:
        total = 0
        for node in nodes:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name):
                    total += self.function_size(inner.func.id)
        return total

    def function_size(self, name: str) -> int:
        """1 + the size of inlining the helper ``name`` (0 for other calls and recursion,
        which is refused when it is reached)."""
        if name not in self.functions or name in self.sizing:
            return 0
        if name not in self.sizes:
            self.sizing.add(name)
            f = self.functions[name]
            self.sizes[name] = 1 + self.size(f.body) + self.calls_in([f.result])
            self.sizing.discard(name)
        return self.sizes[name]

    # running -----------------------------------------------------------------------
    def run(self):
        scope: dict[str, sp.Expr] = {}
        body = self.statements if self.main is None else self.main.body + [self.main.result]
        size = self.size(body)
        if size > self.limit:
            raise ResourceLimitError(
                f"the program unrolls (loops) and inlines (function calls) to about {size} "
                f"statements, more than max_statements = {self.limit}; use smaller ranges or "
                f"fewer calls", limit="max_statements")
        if self.main is None:
            self.block(self.statements, scope)
            if not self.assignments:
                raise ParseError("a program needs at least one assignment; the last one is the "
                                 "output", line=1, column=1)
            inputs = sorted(self.inputs.values(), key=lambda s: s.name)
        else:
            for p in self.main.params:
                scope[p] = self.inputs.setdefault(p, sp.Symbol(p))
                self.versions[p] = 1
            self.stack.append(self.main.name)
            self.block(self.main.body, scope)
            value = self.expression(self.main.result, scope)
            if not (self.assignments and value == self.assignments[-1][0]):
                self.emit(self.main.name, value, self.main.node.body[-1])
            params = [sp.Symbol(p) for p in self.main.params]
            inputs = params + sorted((s for s in self.inputs.values() if s not in params),
                                     key=lambda s: s.name)
        return self.assignments, inputs, self.lines, self.notes

    def block(self, body: list[ast.stmt], scope: dict) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Assign):
                self.assign(stmt, scope)
            elif isinstance(stmt, ast.AugAssign):
                self.augmented(stmt, scope)
            elif isinstance(stmt, ast.For):
                self.loop(stmt, scope)
            elif isinstance(stmt, ast.Pass):
                continue
            elif isinstance(stmt, ast.Expr):
                raise ParseError("a program line must be an assignment 'name = expression'; the "
                                 "last assignment is the output", construct="expression "
                                 "statement", **_where(stmt))
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                raise UnsafeInputError("a def inside a def is not allowed; define helpers at "
                                       "the top level", construct="nested def", **_where(stmt))
            else:
                raise _refuse(stmt)

    def assign(self, stmt: ast.Assign, scope: dict) -> None:
        if len(stmt.targets) != 1:
            raise unsupported(stmt, "chained assignment (a = b = ...)")
        target = stmt.targets[0]
        if isinstance(target, ast.Name):
            self.bind(target, self.expression(stmt.value, scope), stmt, scope)
            return
        if isinstance(target, ast.Tuple) and all(isinstance(t, ast.Name) for t in target.elts):
            if not isinstance(stmt.value, ast.Tuple) or len(stmt.value.elts) != len(target.elts):
                raise ParseError(f"tuple assignment needs as many values as names "
                                 f"({len(target.elts)}), written as a, b = x, y",
                                 construct="tuple assignment", **_where(stmt))
            values = [self.expression(v, scope) for v in stmt.value.elts]  # all first
            for name, value in zip(target.elts, values, strict=True):
                self.bind(name, value, stmt, scope)
            return
        raise unsupported(target, "assignment target (only names, or a tuple of names)")

    def augmented(self, stmt: ast.AugAssign, scope: dict) -> None:
        if not isinstance(stmt.target, ast.Name):
            raise unsupported(stmt.target, "assignment target (only names)")
        if type(stmt.op) not in _AUGMENTED:
            raise UnsafeInputError(f"augmented operator {type(stmt.op).__name__} is not "
                                   f"allowed; use += -= *= /= **=", construct="operator",
                                   **_where(stmt))
        load = ast.Name(id=stmt.target.id, ctx=ast.Load())
        binop = ast.BinOp(left=load, op=stmt.op, right=stmt.value)
        for node in (load, binop):
            ast.copy_location(node, stmt)
            node.end_lineno, node.end_col_offset = stmt.end_lineno, stmt.end_col_offset
        self.bind(stmt.target, self.expression(binop, scope), stmt, scope)

    def bind(self, target: ast.Name, value: sp.Expr, stmt: ast.AST, scope: dict) -> None:
        check_name(target.id, target, assigning=True)
        scope[target.id] = self.emit(target.id, value, stmt)

    def loop(self, stmt: ast.For, scope: dict) -> None:
        iterator = stmt.iter
        if not (isinstance(iterator, ast.Call) and isinstance(iterator.func, ast.Name)
                and iterator.func.id == "range" and not iterator.keywords
                and 1 <= len(iterator.args) <= 3):
            raise UnsafeInputError("a for loop may only run over range(n), range(a, b) or "
                                   "range(a, b, step) with whole-number bounds; unroll it",
                                   construct="for loop", **_where(iterator))
        if not isinstance(stmt.target, ast.Name) or stmt.orelse:
            raise unsupported(stmt.target if stmt.orelse == [] else stmt,
                              "for loop (only 'for name in range(...)', without else)")
        bounds = []
        for arg in iterator.args:
            value = self.expression(arg, scope)
            if not value.is_Integer:
                raise ParseError(f"range(...) needs whole numbers known before the loop runs, "
                                 f"got {value}; unroll it by hand or use a constant",
                                 construct="range", **_where(arg))
            bounds.append(int(value))
        if len(bounds) == 3 and bounds[2] == 0:
            raise ParseError("range() step must not be zero", construct="range",
                             **_where(iterator))
        steps = range(*bounds)
        size = len(steps) * max(1, self.size(stmt.body))
        if len(self.assignments) + size > self.limit:
            raise ResourceLimitError(
                f"the loop at line {stmt.lineno}, column {stmt.col_offset + 1} unrolls to about "
                f"{size} statements, more than max_statements = {self.limit}; use a smaller "
                f"range", limit="max_statements")
        check_name(stmt.target.id, stmt.target, assigning=True)
        for value in steps:
            scope[stmt.target.id] = sp.Integer(value)
            self.loops.append(f"{stmt.target.id} = {value}")
            try:
                self.block(stmt.body, scope)
            finally:
                self.loops.pop()

    # expressions -------------------------------------------------------------------
    def expression(self, node: ast.expr, scope: dict) -> sp.Expr:
        return _ScopedConverter(self, scope).expression(node)

    def lookup(self, node: ast.Name, scope: dict) -> sp.Expr:
        if node.id in scope:
            return scope[node.id]
        check_name(node.id, node)
        if node.id in self.assigned_anywhere and (self.main is None or node.id not in
                                                  self.inputs):
            raise GraphError(f"use before definition: '{node.id}' is used on line "
                             f"{node.lineno}, column {node.col_offset + 1}, before it has a "
                             f"value; assign it first (or, in a def, make it a parameter)")
        return self.inputs.setdefault(node.id, sp.Symbol(node.id))

    def call(self, node: ast.Call, args: list[sp.Expr]) -> sp.Expr:
        name = node.func.id
        function = self.functions[name]
        if name in self.stack:
            raise ParseError(f"recursion: {name} calls itself; write the "
                             f"repetition as a for loop over range(n)", construct="recursion",
                             **_where(node))
        if len(args) != len(function.params):
            raise ParseError(f"{name} takes {len(function.params)} argument(s), got {len(args)}",
                             construct="call", **_where(node))
        scope = dict(zip(function.params, args, strict=True))
        self.count(calls=1)
        self.stack.append(name)
        try:
            self.block(function.body, scope)
            return self.expression(function.result, scope)
        finally:
            self.stack.pop()


class _ScopedConverter(Converter):
    """The parser's converter, with names read from the current scope and helper calls."""

    def __init__(self, unroller: _Unroller, scope: dict):
        self.symbols: dict[str, sp.Symbol] = {}
        self.lines = unroller.lines_of_text
        self.unroller, self.scope = unroller, scope

    def validate(self, node: ast.AST) -> None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in self.unroller.functions:
            if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
                raise UnsafeInputError(f"call {node.func.id}(...) with positional arguments "
                                       f"only", construct="call", **_where(node))
            return
        if isinstance(node, ast.Lambda):
            raise _refuse(node)
        validate(node)

    def _build(self, node: ast.AST, args: list[sp.Expr]) -> sp.Expr:
        if isinstance(node, ast.Name) and node.id not in FUNCTIONS and node.id not in CONSTANTS:
            return self.unroller.lookup(node, self.scope)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in self.unroller.functions:
            return self.unroller.call(node, args)
        return super()._build(node, args)


def _targets(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        return [t for target in node.targets
                for t in (target.elts if isinstance(target, ast.Tuple) else [target])]
    if isinstance(node, (ast.AugAssign, ast.For)):
        return [node.target]
    return []
