"""The command line's expression parser: right graphs and grads, and everything off the allow-list refused."""

import ast
import builtins
import inspect
import math
import warnings

import pytest

import retrograd.expr as expr_module
from autograd import Value, numerical_grads
from retrograd.expr import MAX_DEPTH, MAX_LENGTH, ExpressionError, build_graph, parse_expression

# ---------------------------------------------------------------------------- accepted expressions
CASES = {
    "neuron": ("tanh(w*x + b)", {"w": 0.5, "x": 2.0, "b": -1.3}),
    "reuse": ("x*x + x/y - y**3", {"x": 1.5, "y": -0.7}),
    "functions": ("exp(a) * log(b) + sqrt(b) - sigmoid(a*b) + relu(a) + abs(a - b)", {"a": -0.4, "b": 2.5}),
    "activations": ("leaky_relu(a, 0.2) + elu(a, 1.5) + leaky_relu(b) + elu(b)", {"a": -0.8, "b": 1.1}),
    "variadic": ("max(a, b, 0.5) + logsumexp(a, b, a*b)", {"a": 0.3, "b": 1.7}),
    "powers": ("2**a + a**-2 + b**0.5 + b**a - -a + +b", {"a": 1.3, "b": 2.2}),
    "precedence": ("-x**2 + 3*x - 1/x/2", {"x": 0.9}),
}


def _torch_formula(torch, name):
    """The same formulas written with torch functions: the reference."""
    F = torch.nn.functional
    return {
        "neuron": lambda w, x, b: torch.tanh(w * x + b),
        "reuse": lambda x, y: x * x + x / y - y**3,
        "functions": lambda a, b: (
            torch.exp(a) * torch.log(b) + torch.sqrt(b) - torch.sigmoid(a * b) + F.relu(a) + abs(a - b)
        ),
        "activations": lambda a, b: F.leaky_relu(a, 0.2) + F.elu(a, 1.5) + F.leaky_relu(b, 0.01) + F.elu(b, 1.0),
        "variadic": lambda a, b: (
            torch.max(torch.stack([a, b, torch.tensor(0.5)])) + torch.logsumexp(torch.stack([a, b, a * b]), 0)
        ),
        "powers": lambda a, b: 2**a + a**-2 + b**0.5 + b**a - -a + b,
        "precedence": lambda x: -(x**2) + 3 * x - 1 / x / 2,
    }[name]


@pytest.mark.torch
@pytest.mark.parametrize("name", list(CASES))
def test_value_and_grads_match_pytorch(torch, name):
    text, values = CASES[name]
    root, leaves = build_graph(text, values)
    root.backward()
    inputs = [torch.tensor(values[n], dtype=torch.float64, requires_grad=True) for n in leaves]
    expected = _torch_formula(torch, name)(*inputs)
    expected.backward()
    assert root.data == pytest.approx(expected.item(), rel=1e-12, abs=1e-12)
    for leaf, t in zip(leaves.values(), inputs):
        assert leaf.grad == pytest.approx(t.grad.item(), rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("name", list(CASES))
def test_grads_match_finite_differences(name):
    text, values = CASES[name]
    expression = parse_expression(text)
    root, leaves = expression.build(values)
    root.backward()
    names = list(leaves)
    probes = [Value(values[n]) for n in names]

    def rebuilt(*xs):
        return expression.build({n: x.data for n, x in zip(names, xs)})[0]

    numeric = numerical_grads(rebuilt, probes)
    for n, estimate in zip(names, numeric):
        assert leaves[n].grad == pytest.approx(estimate, rel=1e-6, abs=1e-7), n


def test_one_leaf_per_variable_however_often_it_is_used():
    root, leaves = build_graph("x*x + x", {"x": 3.0})
    x = leaves["x"]
    product = root._children[0]
    assert product._children == (x, x) and root._children[1] is x
    assert x.label == "x"
    root.backward()
    assert x.grad == 2 * 3.0 + 1


def test_variables_are_listed_in_order_of_first_use():
    assert parse_expression("tanh(w*x + b) * w").variables == ("w", "x", "b")


def test_a_bare_number_gives_a_leaf():
    root, leaves = build_graph("2.5", {})
    assert isinstance(root, Value) and root.data == 2.5 and leaves == {}


def test_constant_exponent_uses_the_power_rule_so_negative_bases_work():
    root, leaves = build_graph("x**2 + x**-1", {"x": -2.0})
    root.backward()
    assert root.data == 4.0 - 0.5
    assert leaves["x"].grad == pytest.approx(2 * -2.0 - 1 / 4.0)


# ---------------------------------------------------------------------------- refused constructs
# Each case: text, a fragment the message must contain, and the 1-based column it must point at.
REFUSED = [
    ("x.real", "attribute access", 1),
    ("(1).__class__", "attribute access", 1),
    ("x[0]", "subscript", 1),
    ("lambda: 1", "lambda", 1),
    ("[x for x in y]", "comprehension", 1),
    ("sum(x for x in y)", "unknown function 'sum'", 1),
    ("exp(x=1)", "keyword argument 'x='", 5),
    ("exp(**x)", "keyword argument '**'", 5),
    ("exp(*x)", "unpacking", 5),
    ("'a' + x", "string", 1),
    ("b'a'", "string", 1),
    ("f'{x}'", "f-string", 1),
    ("__import__('os')", "'__import__'", 1),
    ("x + __class__", "'__class__'", 5),
    ("_x", "'_x'", 1),
    ("1j * x", "complex number", 1),
    ("True + x", "True", 1),
    ("None", "None", 1),
    ("x if x else 1", "conditional expression", 1),
    ("x < 1", "comparison", 1),
    ("x and 1", "'and'/'or'", 1),
    ("(x, 1)", "tuple", 1),
    ("[x]", "list", 1),
    ("{x: 1}", "dict", 1),
    ("{x}", "set", 1),
    ("(y := 2)", "assignment", 2),
    ("x // 2", "'//'", 3),
    ("(x + 1) % 2", "'%'", 9),
    ("x @ x", "'@'", 3),
    ("x ^ 2", "'^'", 3),
    ("~x", "'~'", 1),
    ("not x", "'not'", 1),
    ("open('f')", "unknown function 'open'", 1),
    ("exp(x)(1)", "calling the result", 1),
    ("exp", "is a function", 1),
    ("log(x, 2)", "log() takes 1 argument", 1),
    ("max()", "max() takes at least 1", 1),
    ("leaky_relu(x, x)", "argument 2 of leaky_relu() must be a number", 15),
    ("elu(x, 1, 2)", "elu() takes 1 to 2", 1),
    ("x y", "not a valid expression", 3),
    ("x +", "not a valid expression", None),
    ("1e999 * x", "not finite", 1),
    ("9" * 400, "too large", 1),
    ("x\ny", "'\\n'", 2),
    ("x + é", "'é'", 5),
    ("x\x00", "'\\x00'", 2),
]


@pytest.mark.parametrize("text,fragment,column", REFUSED, ids=[repr(c[0])[:30] for c in REFUSED])
def test_refused_with_the_construct_and_column_named(text, fragment, column):
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text)
    assert fragment in str(caught.value)
    if column is not None:
        assert caught.value.column == column
        assert f"(at column {column})" in str(caught.value)


def test_empty_and_non_string_input():
    with pytest.raises(ExpressionError, match="empty"):
        parse_expression("   ")
    with pytest.raises(ExpressionError, match="must be a str, got bytes"):
        parse_expression(b"x + 1")


def test_overly_long_input_is_refused_before_parsing():
    text = "x" + " + x" * (MAX_LENGTH // 4 + 1)
    assert len(text) > MAX_LENGTH
    with pytest.raises(ExpressionError, match=f"{len(text)} characters long; at most {MAX_LENGTH}"):
        parse_expression(text)


def test_deep_nesting_is_refused_with_a_clear_error():
    deep = "exp(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1)
    with pytest.raises(ExpressionError, match=f"nested more than {MAX_DEPTH} levels"):
        parse_expression(deep)
    shallow = "exp(" * (MAX_DEPTH - 1) + "x" + ")" * (MAX_DEPTH - 1)
    assert parse_expression(shallow).variables == ("x",)
    # Python's own parser limit (about 200 brackets) surfaces as an ExpressionError too.
    with pytest.raises(ExpressionError, match="not a valid expression"):
        parse_expression("(" * 300 + "x" + ")" * 300)
    with pytest.raises(ExpressionError, match="nested more than"):
        parse_expression("-" * (MAX_LENGTH - 1) + "x")


def test_too_long_a_name_is_refused():
    with pytest.raises(ExpressionError, match="longer than 40 characters"):
        parse_expression("a" * 41 + " + 1")


# ---------------------------------------------------------------------------- values and evaluation
def test_missing_and_unknown_values_are_named():
    with pytest.raises(ExpressionError, match="no value given for x, b"):
        build_graph("w*x + b", {"w": 1.0})
    with pytest.raises(ExpressionError, match="not in the expression: z"):
        build_graph("x", {"x": 1.0, "z": 2.0})


@pytest.mark.parametrize(
    "bad,fragment",
    [("1", "got str"), (None, "got NoneType"), (1 + 2j, "got complex"), (True, "got bool"), (math.nan, "finite")],
)
def test_values_must_be_finite_real_numbers(bad, fragment):
    with pytest.raises(ExpressionError, match=f"value of x must be .*{fragment}"):
        build_graph("x + 1", {"x": bad})


def test_values_must_be_a_mapping():
    with pytest.raises(ExpressionError, match="mapping .* got list"):
        build_graph("x", [1.0])


@pytest.mark.parametrize(
    "text,values,fragment,column",
    [
        ("log(x)", {"x": -1.0}, "log: input must be positive", 1),
        ("1 + sqrt(x)", {"x": -4.0}, "sqrt: input must be non-negative", 5),
        ("x / (y - y)", {"x": 1.0, "y": 2.0}, "division by zero", 3),
        ("(-8) ** 0.5", {}, "negative base", 6),
        ("exp(x)", {"x": 1000.0}, "exp: result is inf", 1),  # overflow is inf (IEEE), caught by anomaly mode
        ("x * x * x", {"x": 1e200}, "result is inf", 3),  # silent inf caught by anomaly mode
        ("9**9**9**9", {}, "result is inf for inputs (9.0)", 5),
    ],
)
def test_evaluation_errors_name_the_op_and_its_column(text, values, fragment, column):
    with pytest.raises(ExpressionError, match="cannot evaluate") as caught:
        build_graph(text, values)
    assert fragment in str(caught.value)
    assert caught.value.column == column


# ---------------------------------------------------------------------------- never runs the text
def test_a_payload_is_refused_and_never_runs(tmp_path):
    target = tmp_path / "pwned"
    payloads = [
        f"__import__('os').system('touch {target}')",
        f"exp(x).__class__.__init__.__globals__['os'].system('touch {target}')",
        "[c for c in ().__class__.__base__.__subclasses__()]",
        f"open('{target}', 'w')",
    ]
    for payload in payloads:
        with pytest.raises(ExpressionError):
            build_graph(payload, {"x": 1.0})
    assert not target.exists()


def test_parsing_compiles_only_to_a_syntax_tree(monkeypatch):
    """eval and exec are never called, and compile only with the 'syntax tree only' flag."""
    real_compile = builtins.compile

    def compile_ast_only(source, filename, mode, flags=0, *args, **kwargs):
        assert flags & ast.PyCF_ONLY_AST, "compile() asked for code, not a syntax tree"
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec called")

    monkeypatch.setattr(builtins, "compile", compile_ast_only)
    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    root, _ = build_graph("tanh(w*x + b) + max(w, 2) ** 2", {"w": 0.5, "x": 2.0, "b": -1.0})
    root.backward()
    assert root.data == pytest.approx(4.0)


def test_the_parser_source_calls_no_eval_exec_or_compile():
    tree = ast.parse(inspect.getsource(expr_module))
    called = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert not called & {"eval", "exec", "compile", "__import__"}


# ---------------------------------------------------------------------------- the graph command
def _run_graph(argv, capsys):
    from retrograd.graph_cmd import main

    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_graph_command_prints_every_gradient(capsys):
    status, out, _ = _run_graph(["tanh(w*x + b)", "--set", "w=0.5", "x=2", "b=-1.3"], capsys)
    assert status == 0
    t = math.tanh(0.5 * 2 - 1.3)
    assert f"= {t:.6g}" in out
    for name, grad in [("w", (1 - t * t) * 2), ("x", (1 - t * t) * 0.5), ("b", 1 - t * t)]:
        assert f"∂out/∂{name} = {grad:.6g}" in out


def test_graph_command_speaks_the_notation_of_the_picture(tmp_path, capsys):
    """The printed ∂out/∂w is about the node the picture calls out; --steps writes each step as its edges do."""
    pytest.importorskip("graphviz")
    path = tmp_path / "graph.dot"
    argv = ["tanh(w*x + b)", "--set", "w=0.5", "x=2", "b=0", "--steps", "--local-grads", "--out", str(path)]
    status, out, err = _run_graph(argv, capsys)
    assert status == 0, err
    dot = path.read_text(encoding="utf-8")
    assert "∂out/∂((w*x)+b) = 0.42" in dot and "∂(w*x)/∂w = 2" in dot
    assert "out.grad = 1, so ((w*x)+b).grad += 0.42 × 1 = 0.42" in out
    assert "w.grad += 2 × 0.42 = 0.8399" in out and "∂out/∂w = 0.839949" in out


def test_graph_command_draws_an_svg_with_the_variable_names(tmp_path, capsys):
    path = tmp_path / "graph.svg"
    status, out, err = _run_graph(["x*y + x", "--set", "x=3", "y=-2", "--out", str(path), "--local-grads"], capsys)
    assert status == 0, err
    svg = path.read_text()
    assert svg.lstrip().startswith(("<?xml", "<svg")) and "</svg>" in svg
    assert ">x<" in svg and ">y<" in svg
    assert str(path) in out


@pytest.mark.parametrize(
    "argv,fragment",
    [
        (["x.real", "--set", "x=1"], "attribute access"),
        (["log(x)", "--set", "x=-1"], "log: input must be positive"),
        (["x", "--set", "x"], "NAME=NUMBER"),
        (["x", "--set", "x=abc"], "'abc' is not a number"),
        (["x", "--set", "x=inf"], "finite"),
        (["x", "--set", "x=1", "x=2"], "x twice"),
        (["x + y", "--set", "x=1"], "no value given for y"),
    ],
)
def test_graph_command_reports_bad_input_and_exits_2(argv, fragment, capsys):
    status, out, err = _run_graph(argv, capsys)
    assert status == 2
    assert fragment in err and err.startswith("error: ")
    assert out == ""


def test_graph_command_points_a_caret_at_the_column(capsys):
    _, _, err = _run_graph(["w*x + b[0]", "--set", "w=1", "x=1", "b=1"], capsys)
    expression_line, caret_line = err.splitlines()[1:3]
    assert caret_line.index("^") == expression_line.index("b[0]")


def test_graph_command_refuses_an_unknown_picture_format(tmp_path, capsys):
    status, _, err = _run_graph(["x", "--set", "x=1", "--out", str(tmp_path / "g.jpg")], capsys)
    assert status == 1 and "cannot tell the format" in err


def test_odd_texts_give_an_error_and_no_python_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for text in ["1and x", "'\\d' + x", "0x1for x"]:
            with pytest.raises(ExpressionError):
                parse_expression(text)


def test_retrograd_graph_runs_through_the_command_table(capsys):
    from retrograd.cli import main

    status = main(["graph", "--set", "x=2", "y=1", "--", "-x**2*y"])
    out = capsys.readouterr().out
    assert status == 0
    assert "-x**2*y = -4" in out and "∂out/∂x = -4" in out and "∂out/∂y = -4" in out


def test_the_installed_command_refuses_code(tmp_path):
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    command = shutil.which("retrograd", path=str(Path(sys.executable).parent))
    if command is None:
        pytest.skip("the retrograd command is not installed (pip install -e .)")
    marker = tmp_path / "ran"
    result = subprocess.run(
        [command, "graph", f"__import__('os').system('touch {marker}')"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "attribute access" in result.stderr and "not allowed" in result.stderr
    assert not marker.exists()


# ---------------------------------------------------------------------------- findings of the hostile round
def test_a_flat_sum_is_not_nesting():
    # 61 terms are a left-leaning tree 60 levels deep, but nothing is nested as the user wrote it.
    text = " + ".join(["x"] * (MAX_DEPTH + 1))
    root, leaves = build_graph(text, {"x": 2.0})
    root.backward()
    assert root.data == 2.0 * (MAX_DEPTH + 1) and leaves["x"].grad == MAX_DEPTH + 1
    longest = "-".join(["x"] * (MAX_LENGTH // 2))  # as long a flat chain as the length limit allows
    root, leaves = build_graph(longest, {"x": 1.0})
    root.backward()
    assert leaves["x"].grad == 1 - (MAX_LENGTH // 2 - 1)
    product = "*".join(["x"] * 200)
    root, leaves = build_graph(product, {"x": 1.0})
    root.backward()
    assert leaves["x"].grad == 200


def test_nesting_on_the_right_still_counts():
    text = "x" + " + (x" * (MAX_DEPTH + 1) + ")" * (MAX_DEPTH + 1)
    with pytest.raises(ExpressionError, match=f"nested more than {MAX_DEPTH} levels"):
        parse_expression(text)
    with pytest.raises(ExpressionError, match=f"nested more than {MAX_DEPTH} levels"):
        parse_expression("**".join(["x"] * (MAX_DEPTH + 2)))  # ** groups to the right


@pytest.mark.parametrize(
    "text,expected,grad",
    [
        ("x**(1+1)", 4.0, -4.0),
        ("x**(4/2)", 4.0, -4.0),
        ("x**(2*1.5)", -8.0, 12.0),
        ("x**-(1+1)", 0.25, 0.25),
        ("x**max(1, 2)", 4.0, -4.0),
        ("x**(3 - 1) + x**(-(1))", 3.5, -4.25),
        ("leaky_relu(x, 1/10)", -0.2, 0.1),
    ],
)
def test_constant_subexpressions_are_folded_so_a_negative_base_works(text, expected, grad):
    root, leaves = build_graph(text, {"x": -2.0})
    root.backward()
    assert root.data == pytest.approx(expected, rel=1e-15) and leaves["x"].grad == pytest.approx(grad, rel=1e-15)


def test_folded_constants_keep_the_engine_checks():
    with pytest.raises(ExpressionError, match="negative base"):
        build_graph("x**(1/2)", {"x": -2.0})  # a non-integer exponent stays refused
    with pytest.raises(ExpressionError, match="division by zero") as caught:
        build_graph("x * (1 / (2 - 2))", {"x": 1.0})
    assert caught.value.column == 8
    with pytest.raises(ExpressionError, match="log: input must be positive"):
        build_graph("x + log(1 - 2)", {"x": 1.0})
    root, _ = build_graph("2 * 3", {})
    assert root.data == 6.0


def test_the_formula_after_set_is_not_taken_for_an_assignment(capsys):
    status, out, err = _run_graph(["--set", "x=1", "x+1"], capsys)
    assert status == 0, err
    assert "x+1 = 2" in out and "∂out/∂x = 1" in out
    status, out, err = _run_graph(["--set", "x=1", "x*y", "y=3"], capsys)
    assert status == 0, err
    assert "x*y = 3" in out


def test_a_missing_formula_is_named(capsys):
    status, out, err = _run_graph(["--set", "x=1", "y=2"], capsys)
    assert status == 2 and out == ""
    assert err.startswith("error: ") and "formula" in err


def test_two_formulas_are_refused(capsys):
    status, _, err = _run_graph(["x", "--set", "x=1", "x+1"], capsys)
    assert status == 2 and "NAME=NUMBER" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["x", "--set", "x=1", "\x1b[31mred=2"],
        ["x", "--set", "x=1", "\x1b]0;title\x07=2"],
        ["x", "--set", "\x1b[2J=1", "\x1b[2J=1"],
        ["x", "--set", "\x1b[2J=abc"],
        ["x", "--set", "\x1b[2J=inf"],
        ["x\x1b[31m", "--set", "x=1"],
        ["\x9b31m + x", "--set", "x=1"],
    ],
)
def test_names_and_formulas_are_echoed_without_control_characters(argv, capsys):
    status, out, err = _run_graph(argv, capsys)
    assert status == 2 and out == ""
    assert err.startswith("error: ")
    assert all(c.isprintable() or c == "\n" for c in err), repr(err)
    assert "\\x1b" in err or "\\x9b" in err
