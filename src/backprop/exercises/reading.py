"""The one rule for reading answers, shared by the self-check and the grader.

Student code is never run. :func:`read_sources` parses code cells with :mod:`ast`
and walks their statements in order, evaluating only a small, limited language:

- numbers (``0.1312``, ``-5e-2``, ``3``);
- earlier variables that themselves hold a readable number (``answer_2a``, ``o3``);
- ``+ - * / **`` and parentheses;
- the calls ``round(x)``, ``round(x, n)``, ``float(x)``, ``abs(x)``,
  ``np.float64(x)`` (or ``numpy.float64``), and ``exp``, ``log``, ``sqrt`` from
  ``math`` or ``np``/``numpy``.

Statements read: ``a = x``, ``a = b = x``, ``a, b = x, y``, ``a: float = x``,
``a += x`` (any arithmetic operator), ``if``/``elif``/``else`` whose test can be
decided from readable values (``if answer_1a is None:``, ``if True:``), and the
bodies of ``with`` and ``try``. A variable assigned in any other way (a loop, an
undecidable ``if``, a function's ``global``, an expression outside the language)
is *unreadable*, with the reason. The last assignment wins, as when the cells run
top to bottom.

Every expression is limited (:data:`MAX_NODES`, :data:`MAX_DEPTH`,
:data:`MAX_EXPONENT`, :data:`MAX_MAGNITUDE`), and every failure of the parser
(a syntax error, ``RecursionError`` or ``MemoryError`` on a monstrous line) is
caught: a cell that does not parse is read line by line.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "HOW_TO_WRITE",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_MAGNITUDE",
    "MAX_NODES",
    "Answer",
    "read_sources",
]

MAX_NODES = 400
"""Most syntax-tree nodes in one readable expression."""
MAX_DEPTH = 200
"""Deepest nesting of one readable expression."""
MAX_EXPONENT = 64
"""Largest ``|n|`` in ``x ** n``."""
MAX_MAGNITUDE = 1e12
"""Largest magnitude of any number met while evaluating (answers are far smaller)."""
MAX_LINE_CHARS = 20_000
"""A line longer than this is not parsed at all."""

HOW_TO_WRITE = (
    "write the answer as a number (answer_1a = 0.1234), or as arithmetic (+ - * / **) of "
    "numbers and earlier answers, optionally inside round(), float(), abs(), np.float64() "
    "or math/np exp, log, sqrt; the grader reads this, it never runs code"
)

_ARITHMETIC = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_MODULES = {"np": "numpy", "numpy": "numpy", "math": "math"}
_FUNCTIONS = {
    ("math", "exp"): math.exp, ("math", "log"): math.log, ("math", "sqrt"): math.sqrt,
    ("numpy", "exp"): np.exp, ("numpy", "log"): np.log, ("numpy", "sqrt"): np.sqrt,
    ("numpy", "float64"): np.float64, ("numpy", "abs"): np.abs,
}
_BUILTINS = {"round": round, "float": float, "abs": abs}
_ASSIGNED_NAME = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:[-+*/]?=|:)")


@dataclass(frozen=True)
class Answer:
    """A value read from a variable, or why none could be read.

    Attributes
    ----------
    value : float or None
        The number, or None when the variable is None or cannot be read.
    problem : str or None
        Why there is no number: ``"no answer (still None)"``, ``"not a number: ..."``.
    """

    value: float | None
    problem: str | None = None

    @property
    def is_none(self) -> bool:
        """True when the variable holds the literal ``None`` (no answer yet)."""
        return self.value is None and self.problem == NO_ANSWER


NO_ANSWER = "no answer (still None)"


class Unreadable(Exception):
    """An expression outside the readable language; the message says which part."""


def _snippet(node: ast.AST, source: str) -> str:
    """A short quote of ``node`` for messages (never ``ast.unparse``: it recurses)."""
    text = ast.get_source_segment(source, node) or type(node).__name__
    text = " ".join(text.split())
    return f"`{text[:60]}...`" if len(text) > 60 else f"`{text}`"


def _check_size(node: ast.AST) -> None:
    """Refuse an expression with too many nodes or too deep, without recursing."""
    stack, count = [(node, 1)], 0
    while stack:
        current, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise Unreadable(f"the expression is too long (more than {MAX_NODES} parts)")
        if depth > MAX_DEPTH:
            raise Unreadable(f"the expression is nested too deeply (more than {MAX_DEPTH})")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(current))


def _bounded(value) -> float:
    value = float(value)
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise Unreadable("a value is too large or not finite")
    return value


class _Evaluator:
    """Evaluates one expression against the readable variables so far."""

    def __init__(self, variables: dict[str, Answer], source: str):
        self.variables = variables
        self.source = source

    def number(self, node: ast.AST) -> float:
        _check_size(node)
        value = self._value(node)
        if value is None:
            raise Unreadable("None is not a number")
        return value

    def _value(self, node: ast.AST):
        """A float, or None for the literal None / a variable still None."""
        if isinstance(node, ast.Constant):
            if node.value is None:
                return None
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise Unreadable(f"{_snippet(node, self.source)} is not a number")
            return _bounded(node.value)
        if isinstance(node, ast.Name):
            if node.id not in self.variables:
                raise Unreadable(f"{_snippet(node, self.source)} is not a number or an "
                                 "earlier answer")
            known = self.variables[node.id]
            if known.value is None and not known.is_none:
                raise Unreadable(f"it uses {node.id}, which cannot be read ({known.problem})")
            return known.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
            operand = self._number(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
            left, right = self._number(node.left), self._number(node.right)
            if isinstance(node.op, ast.Pow) and (abs(right) > MAX_EXPONENT or (
                    left == 0 and right < 0) or (left < 0 and right != int(right))):
                raise Unreadable(f"{_snippet(node, self.source)}: the power is out of range")
            if isinstance(node.op, ast.Div) and right == 0:
                raise Unreadable(f"{_snippet(node, self.source)} divides by zero")
            try:
                return _bounded(_ARITHMETIC[type(node.op)](left, right))
            except (OverflowError, ZeroDivisionError):
                raise Unreadable(f"{_snippet(node, self.source)} is out of range") from None
        if isinstance(node, ast.Call):
            return self._call(node)
        raise Unreadable(f"{_snippet(node, self.source)} is outside what the grader reads")

    def _number(self, node: ast.AST) -> float:
        value = self._value(node)
        if value is None:
            raise Unreadable(f"{_snippet(node, self.source)} is None, not a number")
        return value

    def _call(self, node: ast.Call) -> float:
        function = None
        if isinstance(node.func, ast.Name):
            function = _BUILTINS.get(node.func.id)
        elif isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            module = _MODULES.get(node.func.value.id)
            function = _FUNCTIONS.get((module, node.func.attr))
        if function is None or node.keywords:
            raise Unreadable(f"{_snippet(node, self.source)} calls a function the grader "
                             "does not read")
        arguments = [self._number(argument) for argument in node.args]
        if function is round:
            if len(arguments) == 2 and arguments[1] == int(arguments[1]) and (
                    0 <= arguments[1] <= 15):
                return _bounded(round(arguments[0], int(arguments[1])))
            if len(arguments) != 1:
                raise Unreadable(f"{_snippet(node, self.source)}: use round(x) or round(x, n)")
            return _bounded(round(arguments[0]))
        if len(arguments) != 1:
            raise Unreadable(f"{_snippet(node, self.source)} takes one number")
        try:
            with np.errstate(all="raise"):
                return _bounded(function(arguments[0]))
        except (ValueError, OverflowError, FloatingPointError):
            raise Unreadable(f"{_snippet(node, self.source)} is out of range") from None

    def decide(self, node: ast.AST) -> bool:
        """The truth of an ``if`` test built from readable values; Unreadable otherwise."""
        _check_size(node)
        if isinstance(node, ast.BoolOp):
            results = [self.decide(value) for value in node.values]
            return all(results) if isinstance(node.op, ast.And) else any(results)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not self.decide(node.operand)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.Compare):
            values = [self._value(node.left), *(self._value(c) for c in node.comparators)]
            for op, left, right in zip(node.ops, values, values[1:], strict=False):
                if left is None or right is None:  # only None-ness can be decided
                    if not isinstance(op, (ast.Is, ast.IsNot, ast.Eq, ast.NotEq)):
                        raise Unreadable("a comparison with None")
                    same = left is None and right is None
                    if same != isinstance(op, (ast.Is, ast.Eq)):
                        return False
                    continue
                if isinstance(op, (ast.Is, ast.IsNot)):
                    raise Unreadable("`is` between numbers")
                compare = {ast.Eq: left == right, ast.NotEq: left != right,
                           ast.Lt: left < right, ast.LtE: left <= right,
                           ast.Gt: left > right, ast.GtE: left >= right}.get(type(op))
                if compare is None:
                    raise Unreadable("an unsupported comparison")
                if not compare:
                    return False
            return True
        raise Unreadable("a condition the grader cannot decide")


def _read_value(evaluator: _Evaluator, node: ast.AST) -> Answer:
    if isinstance(node, ast.Constant) and node.value is None:
        return Answer(None, NO_ANSWER)
    try:
        return Answer(evaluator.number(node))
    except Unreadable as error:
        return Answer(None, f"not a number: {error}")
    except (RecursionError, MemoryError, ValueError, TypeError, OverflowError):
        return Answer(None, "not a number: the expression cannot be read")


def _bound_names(node: ast.AST) -> set[str]:
    """Names a statement the reader does not follow could bind in the notebook's scope."""
    names: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Global):
            names.update(child.names)
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(child.name)
        elif isinstance(child, ast.Name) and isinstance(child.ctx, (ast.Store, ast.Del)):
            names.add(child.id)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        # A function's own assignments are local: only its name and its globals count.
        names = {node.name} | {n for c in ast.walk(node) if isinstance(c, ast.Global)
                               for n in c.names}
    return names


class _Reader:
    """Walks statements in order, keeping every variable's :class:`Answer`."""

    def __init__(self):
        self.variables: dict[str, Answer] = {}

    def statements(self, body: Iterable[ast.stmt], source: str) -> None:
        evaluator = _Evaluator(self.variables, source)
        for node in body:
            self.statement(node, evaluator, source)

    def _unfollowed(self, node: ast.AST, why: str) -> None:
        for name in _bound_names(node):
            self.variables[name] = Answer(None, f"not a number: it is assigned {why}, "
                                                "which the grader does not follow")

    def statement(self, node: ast.stmt, evaluator: _Evaluator, source: str) -> None:
        if isinstance(node, ast.Assign):
            self._assign(node.targets, node.value, evaluator)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._assign([node.target], node.value, evaluator)
        elif isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name):
                combined = ast.BinOp(left=ast.Name(node.target.id, ast.Load()), op=node.op,
                                     right=node.value)
                ast.copy_location(combined, node)
                self.variables[node.target.id] = _read_value(evaluator, combined)
        elif isinstance(node, ast.If):
            try:
                branch = node.body if evaluator.decide(node.test) else node.orelse
            except (Unreadable, RecursionError):
                self._unfollowed(node, f"under `if {_snippet(node.test, source)[1:-1]}`")
                return
            self.statements(branch, source)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    self._unfollowed(item.optional_vars, "by `with ... as`")
            self.statements(node.body, source)
        elif isinstance(node, ast.Try):
            self.statements(node.body, source)
            for handler in node.handlers:
                self._unfollowed(handler, "in an `except` block")
            self.statements(node.orelse, source)
            self.statements(node.finalbody, source)
        elif isinstance(node, (ast.Import, ast.ImportFrom, ast.Expr, ast.Pass, ast.Assert)):
            return  # binds no answer (an expression could, through globals(): see check)
        else:
            self._unfollowed(node, f"by a `{type(node).__name__.lower()}` statement")

    def _assign(self, targets: list[ast.expr], value: ast.expr, evaluator: _Evaluator):
        for target in targets:
            if isinstance(target, ast.Name):
                self.variables[target.id] = _read_value(evaluator, value)
            elif isinstance(target, (ast.Tuple, ast.List)):
                names = target.elts
                if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(names):
                    read = [_read_value(evaluator, element) for element in value.elts]
                    for name, answer in zip(names, read, strict=True):
                        if isinstance(name, ast.Name):
                            self.variables[name.id] = answer
                        else:
                            self._unfollowed(name, "by unpacking")
                else:
                    self._unfollowed(target, "by unpacking")
            # an attribute or item target (d["x"] = 1) binds no variable


def _parse(text: str) -> list[ast.stmt] | None:
    if len(text) > MAX_LINE_CHARS * 50:
        return None
    try:
        return ast.parse(text).body
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None


def _read_cell(reader: _Reader, source: str) -> None:
    body = _parse(source)
    if body is not None:
        reader.statements(body, source)
        return
    for line in source.splitlines():  # the cell does not parse: one broken line costs one
        text = line.strip()
        body = _parse(text) if len(text) <= MAX_LINE_CHARS else None
        if body is not None:
            reader.statements(body, text)
            continue
        assigned = _ASSIGNED_NAME.match(text)
        if assigned:
            reader.variables[assigned.group(1)] = Answer(
                None, "not a number: its line is not valid Python (or too long to read)")


def read_sources(sources: Iterable[str], variables: set[str] | None = None
                 ) -> dict[str, Answer]:
    """The variables assigned by code cells, read in order without running anything.

    Parameters
    ----------
    sources : iterable of str
        The code cells' sources, in the order they run (top to bottom).
    variables : set of str, optional
        Keep only these names in the result.

    Returns
    -------
    dict of str to Answer
        Each variable the cells assign, with its number or why it has none.
    """
    reader = _Reader()
    for source in sources:
        if isinstance(source, str):
            _read_cell(reader, source)
    found = reader.variables
    return found if variables is None else {k: v for k, v in found.items() if k in variables}
