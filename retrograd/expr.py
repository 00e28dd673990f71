"""A safe parser for the formulas typed on the command line, such as ``tanh(w*x + b)``.

The text is parsed by Python's own ``ast`` module (in ``eval`` mode, which only *reads* it) and
the syntax tree is then walked against an **allow-list**: number literals, variable names,
unary ``-``/``+``, binary ``+ - * / **`` and calls of the functions in ``FUNCTIONS`` with
positional arguments. Anything else (attribute access, subscripts, strings, lambdas,
comprehensions, keyword arguments, names starting with ``_``, ...) is refused with an
``ExpressionError`` that names the construct and its column. The text is never run as code:
no ``eval``, ``exec`` or code objects, only the tree walk below, which builds ``Value``s.

Parts without variables (``2``, ``(1 + 1)``, ``exp(1)``) are folded into plain numbers, so
``x ** (1 + 1)`` is the power rule with a constant exponent, as ``x ** 2`` is. ``MAX_DEPTH``
limits nesting as written: a flat chain such as ``a + b + c + ...`` counts as one level.

>>> root, leaves = build_graph("tanh(w*x + b)", {"w": 0.5, "x": 2.0, "b": -1.0})
>>> root.backward()
>>> leaves["w"].grad  # ∂tanh(wx + b)/∂w = (1 - tanh²(0)) · x
2.0
"""

from __future__ import annotations

import ast
import math
import numbers
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import autograd
from autograd import Value

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NAME_LENGTH",
    "Expression",
    "ExpressionError",
    "build_graph",
    "parse_expression",
]

#: Longest expression accepted, in characters (long enough for any formula worth drawing).
MAX_LENGTH = 1000
#: Deepest nesting of operators and calls accepted.
MAX_DEPTH = 60
#: Longest variable name accepted.
MAX_NAME_LENGTH = 40


class ExpressionError(ValueError):
    """The text is not an expression this parser accepts, or it cannot be evaluated.

    ``column`` is the 1-based position of the offending part in the text (None if it has none).
    """

    def __init__(self, message: str, column: int | None = None) -> None:
        self.column = column
        where = f" (at column {column})" if column is not None else ""
        super().__init__(f"{message}{where}")


# ---------------------------------------------------------------------- the allow-list
@dataclass(frozen=True)
class _Function:
    """An allowed function: how to apply it, and how many arguments it takes."""

    apply: Callable[..., Value]
    min_args: int
    max_args: int | None  # None: any number
    #: Arguments after the first that must be plain numbers (an activation's ``alpha``).
    number_args_from: int | None = None


def _unary(method: str) -> _Function:
    return _Function(lambda x: getattr(x, method)(), 1, 1)


#: The functions an expression may call, by name.
FUNCTIONS: dict[str, _Function] = {
    "exp": _unary("exp"),
    "log": _unary("log"),
    "sqrt": _unary("sqrt"),
    "tanh": _unary("tanh"),
    "sigmoid": _unary("sigmoid"),
    "relu": _unary("relu"),
    "abs": _unary("abs"),
    "leaky_relu": _Function(lambda x, alpha=0.01: x.leaky_relu(alpha), 1, 2, number_args_from=1),
    "elu": _Function(lambda x, alpha=1.0: x.elu(alpha), 1, 2, number_args_from=1),
    "max": _Function(lambda *xs: autograd.max(xs), 1, None),
    "logsumexp": _Function(lambda *xs: autograd.logsumexp(xs), 1, None),
}

_BINARY_OPS: dict[type, Callable[[Value, Value | float], Value]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}

# Plain-language names of what is refused, so the error says what the user typed.
_REFUSED_NODES: dict[type, str] = {
    ast.Attribute: "attribute access ('.name')",
    ast.Subscript: "subscript ('[...]')",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehension",
    ast.SetComp: "comprehension",
    ast.DictComp: "comprehension",
    ast.GeneratorExp: "comprehension",
    ast.Compare: "comparison",
    ast.BoolOp: "'and'/'or'",
    ast.IfExp: "conditional expression ('if ... else')",
    ast.List: "list",
    ast.Tuple: "tuple",
    ast.Set: "set",
    ast.Dict: "dict",
    ast.NamedExpr: "assignment (':=')",
    ast.Starred: "argument unpacking ('*')",
    ast.JoinedStr: "f-string",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slice",
}

_REFUSED_OPERATORS: dict[type, str] = {
    ast.FloorDiv: "'//'",
    ast.Mod: "'%'",
    ast.MatMult: "'@'",
    ast.LShift: "'<<'",
    ast.RShift: "'>>'",
    ast.BitOr: "'|'",
    ast.BitAnd: "'&'",
    ast.BitXor: "'^'",
    ast.Not: "'not'",
    ast.Invert: "'~'",
}


def _column(node: ast.AST) -> int | None:
    offset = getattr(node, "col_offset", None)
    return None if offset is None else offset + 1


def _operator_column(node: ast.BinOp, text: str) -> int | None:
    """The column of a binary operator: the first character after the left operand and its ')'s."""
    index = getattr(node.left, "end_col_offset", None)
    if index is None:
        return _column(node)
    while index < len(text) and text[index] in " \t)":
        index += 1
    return index + 1


def _refuse(what: str, node: ast.AST, column: int | None = None) -> ExpressionError:
    allowed = "numbers, variables, + - * / **, and calls of " + ", ".join(sorted(FUNCTIONS))
    return ExpressionError(f"{what} is not allowed (only {allowed})", column or _column(node))


# ---------------------------------------------------------------------- checking the text
@dataclass(frozen=True)
class Expression:
    """A checked expression: its text, its syntax tree and its variable names (in order of first use)."""

    text: str
    tree: ast.Expression
    variables: tuple[str, ...]

    def build(self, values: Mapping[str, float]) -> tuple[Value, dict[str, Value]]:
        """Evaluate with ``values`` for the variables: the root ``Value`` and the leaf of each variable."""
        return _Builder(self, values).build()


def parse_expression(text: str) -> Expression:
    """Check ``text`` against the allow-list and return it as an ``Expression``.

    Raises ``ExpressionError`` naming the first thing refused and its column.
    """
    if not isinstance(text, str):
        raise ExpressionError(f"an expression must be a str, got {type(text).__name__}")
    if not text.strip():
        raise ExpressionError("the expression is empty")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(text)} characters long; at most {MAX_LENGTH} are accepted")
    for index, character in enumerate(text):
        # One line of printable ASCII: so columns are characters, and no look-alike letters.
        if not (" " <= character <= "~" or character == "\t"):
            raise ExpressionError(f"the character {character!r} is not allowed (only printable ASCII)", index + 1)
    try:
        with warnings.catch_warnings():
            # Python warns about some odd texts ("1and x", "'\\d'") while parsing; the error below says it all.
            warnings.simplefilter("ignore", SyntaxWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"not a valid expression: {error.msg}", error.offset) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("the expression is nested too deeply") from None
    variables: dict[str, None] = {}  # a dict keeps the order of first use
    _check(tree.body, 1, variables, text)
    return Expression(text, tree, tuple(variables))


def _check(node: ast.AST, depth: int, variables: dict[str, None], text: str) -> None:
    """Refuse any node not on the allow-list; collect variable names."""
    if depth > MAX_DEPTH:
        raise ExpressionError(f"the expression is nested more than {MAX_DEPTH} levels deep", _column(node))
    if isinstance(node, ast.Constant):
        _check_number(node)
    elif isinstance(node, ast.Name):
        _check_name(node)
        variables.setdefault(node.id, None)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise _refuse(f"the operator {_REFUSED_OPERATORS.get(type(node.op), type(node.op).__name__)}", node)
        _check(node.operand, depth + 1, variables, text)
    elif isinstance(node, ast.BinOp):
        # A chain ``a + b - c * d ...`` leans left in the tree but is flat as written: walk its left
        # spine in a loop, at one depth, and nest only into the right operands.
        spine = _left_spine(node)
        _check(spine[0].left, depth, variables, text)
        for link in spine:
            if type(link.op) not in _BINARY_OPS:
                operator = _REFUSED_OPERATORS.get(type(link.op), type(link.op).__name__)
                raise _refuse(f"the operator {operator}", link, _operator_column(link, text))
            _check(link.right, depth + 1, variables, text)
    elif isinstance(node, ast.Call):
        _check_call(node, depth, variables, text)
    else:
        raise _refuse(_REFUSED_NODES.get(type(node), f"the construct {type(node).__name__}"), node)


def _check_number(node: ast.Constant) -> None:
    value = node.value
    # bool is an int subclass, and complex is a Number: neither is a real number here.
    if isinstance(value, bool) or value is None or value is Ellipsis:
        raise _refuse(f"the constant {value!r}", node)
    if isinstance(value, (str, bytes)):
        raise _refuse("a string", node)
    if isinstance(value, complex):
        raise _refuse("a complex number", node)
    try:
        number = float(value)
    except OverflowError:
        raise ExpressionError("the number is too large for a float", _column(node)) from None
    if not math.isfinite(number):
        raise ExpressionError(f"the number {value!r} is not finite", _column(node))


def _check_name(node: ast.Name) -> None:
    name = node.id
    if name.startswith("_"):
        raise _refuse(f"the name {name!r} (names may not start with '_')", node)
    if len(name) > MAX_NAME_LENGTH:
        raise ExpressionError(f"the name {name[:20]!r}... is longer than {MAX_NAME_LENGTH} characters", _column(node))
    if name in FUNCTIONS:
        raise ExpressionError(f"{name!r} is a function: call it, as in {name}(x)", _column(node))


def _check_call(node: ast.Call, depth: int, variables: dict[str, None], text: str) -> None:
    if not isinstance(node.func, ast.Name):
        _check(node.func, depth + 1, variables, text)  # reports attribute access, lambdas, ...
        raise _refuse("calling the result of an expression", node)
    name = node.func.id
    if name.startswith("_"):
        raise _refuse(f"the name {name!r} (names may not start with '_')", node)
    if name not in FUNCTIONS:
        raise ExpressionError(
            f"unknown function {name!r}; the functions are {', '.join(sorted(FUNCTIONS))}", _column(node)
        )
    if node.keywords:
        keyword = node.keywords[0]
        shown = f"'{keyword.arg}='" if keyword.arg else "'**'"
        raise _refuse(f"the keyword argument {shown}", keyword)
    function = FUNCTIONS[name]
    count = len(node.args)
    if count < function.min_args or (function.max_args is not None and count > function.max_args):
        if function.max_args is None:
            expected = f"at least {function.min_args}"
        elif function.min_args == function.max_args:
            expected = str(function.min_args)
        else:
            expected = f"{function.min_args} to {function.max_args}"
        raise ExpressionError(f"{name}() takes {expected} argument(s), got {count}", _column(node))
    for index, argument in enumerate(node.args):
        _check(argument, depth + 1, variables, text)
        if function.number_args_from is not None and index >= function.number_args_from:
            if not _is_constant(argument):
                raise ExpressionError(f"argument {index + 1} of {name}() must be a number", _column(argument))


def _left_spine(node: ast.BinOp) -> list[ast.BinOp]:
    """The binary ops down the left side of ``node``, innermost first: ``a + b - c`` gives [a + b, (a + b) - c]."""
    spine = [node]
    while isinstance(spine[-1].left, ast.BinOp):
        spine.append(spine[-1].left)
    spine.reverse()
    return spine


def _is_constant(node: ast.AST) -> bool:
    """True when ``node`` uses no variable (``2``, ``-(1 + 1)``, ``exp(1)``): its value is known from the text alone."""
    parts = list(ast.walk(node))
    called = {id(part.func) for part in parts if isinstance(part, ast.Call)}
    return not any(isinstance(part, ast.Name) and id(part) not in called for part in parts)


def _plain_number(node: ast.AST) -> float | None:
    """The value of a number literal, signed or not (``2``, ``-0.5``), else None."""
    sign = 1.0
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -sign if isinstance(node.op, ast.USub) else sign
        node = node.operand
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return sign * float(node.value)
    return None


# ---------------------------------------------------------------------- building the graph
class _Builder:
    """Walks a checked tree once, making a ``Value`` leaf per variable and a node per op."""

    def __init__(self, expression: Expression, values: Mapping[str, float]) -> None:
        self.expression = expression
        self.leaves = _make_leaves(expression.variables, values)

    def build(self) -> tuple[Value, dict[str, Value]]:
        # Anomaly mode turns a silent inf or NaN (1e200 * 1e200) into an error naming the op.
        with autograd.detect_anomaly():
            result = self._evaluate(self.expression.tree.body)
        root = result if isinstance(result, Value) else Value(result)
        return root, self.leaves

    def _evaluate(self, node: ast.AST) -> Value | float:
        # A part without variables (``2``, ``-1``, ``(1 + 1)``, ``exp(1)``) is folded into a plain
        # float, computed by the engine with its checks: so ``x ** (1 + 1)`` is the power rule with
        # a constant exponent, as ``x ** 2`` is, and works for a negative ``x``.
        number = _plain_number(node)
        if number is not None:
            return number
        if isinstance(node, ast.Name):
            return self.leaves[node.id]
        if isinstance(node, ast.UnaryOp):
            operand = self._evaluate(node.operand)
            return self._apply(_column(node), _negate_or_keep(node.op), operand)
        if isinstance(node, ast.BinOp):
            spine = _left_spine(node)  # a flat chain is evaluated in a loop, not by recursion
            result = self._evaluate(spine[0].left)
            for link in spine:
                right = self._evaluate(link.right)
                column = _operator_column(link, self.expression.text)
                result = self._apply(column, _BINARY_OPS[type(link.op)], result, right)
            return result
        if isinstance(node, ast.Call):
            function = FUNCTIONS[node.func.id]
            arguments = [self._evaluate(argument) for argument in node.args]
            return self._apply(_column(node), function.apply, *arguments)
        raise _refuse(f"the construct {type(node).__name__}", node)  # unreachable after _check

    @staticmethod
    def _apply(column: int | None, operation: Callable[..., Value], *arguments: Value | float) -> Value | float:
        """``operation(*arguments)`` by the engine; when no argument is a ``Value``, the plain number it gives."""
        constant = not any(isinstance(argument, Value) for argument in arguments)
        if constant:
            arguments = (Value(arguments[0]), *arguments[1:])  # still computed by the engine, with its checks
        try:
            result = operation(*arguments)
        except (ArithmeticError, ValueError, TypeError) as error:
            # The engine's message already names the op and its inputs.
            raise ExpressionError(f"cannot evaluate: {error}", column) from None
        return result.data if constant else result


def _negate_or_keep(op: ast.unaryop) -> Callable[[Value], Value]:
    if isinstance(op, ast.USub):
        return lambda x: -x
    return lambda x: x


def _make_leaves(variables: tuple[str, ...], values: Mapping[str, float]) -> dict[str, Value]:
    if not isinstance(values, Mapping):
        raise ExpressionError(f"values must be a mapping from names to numbers, got {type(values).__name__}")
    missing = [name for name in variables if name not in values]
    if missing:
        raise ExpressionError(f"no value given for {', '.join(missing)} (give each variable a number, e.g. x=1.0)")
    unused = [str(name) for name in values if name not in variables]
    if unused:
        raise ExpressionError(f"values given for names not in the expression: {', '.join(unused)}")
    leaves = {}
    for name in variables:
        number = values[name]
        if isinstance(number, bool) or not isinstance(number, numbers.Real):
            raise ExpressionError(f"the value of {name} must be a real number, got {type(number).__name__}: {number!r}")
        if not math.isfinite(number):
            raise ExpressionError(f"the value of {name} must be finite, got {number}")
        leaves[name] = Value(float(number), label=name)
    return leaves


def build_graph(text: str, values: Mapping[str, float]) -> tuple[Value, dict[str, Value]]:
    """Parse ``text`` safely and build its graph of ``Value``s.

    ``values`` gives a number for every variable in the text (and nothing else). Returns the
    root ``Value`` and a dict from each variable name to its leaf (labelled with the name).
    Raises ``ExpressionError`` for anything refused or not computable (``log(-1)``).
    """
    return parse_expression(text).build(values)
