"""Fuzzing the two places where outside text and files come in: the expression parser and the model loader.

The contract checked on every input:

- ``parse_expression``/``build_graph`` either accept the text or raise ``ExpressionError``;
  anything they accept holds only allow-listed syntax (checked here by an independent walk of
  the tree), and a built graph backpropagates (or raises ``AnomalyError`` for an inf/NaN grad);
- ``Module.load`` either loads a file that fits the model exactly, or raises ``StateDictError``
  and leaves the model unchanged; it never unpickles.

Any other exception is a crash, and fails the test. The tests run ~100 examples per target;
``python bench/fuzz.py`` runs the same targets for minutes and reports what was tried.
"""

from __future__ import annotations

import ast
import io
import os
import tempfile
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.lib import format as npy_format

from autograd import AnomalyError, detect_anomaly
from nn import MLP, StateDictError, mlp
from retrograd.expr import FUNCTIONS, MAX_LENGTH, ExpressionError, parse_expression

EXAMPLES = int(os.environ.get("RETROGRAD_FUZZ_EXAMPLES", "100"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# ---------------------------------------------------------------------------- the parser: checking one input
ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.Load,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Pow,
    ast.USub,
    ast.UAdd,
)


def assert_only_allowed_syntax(tree: ast.AST) -> None:
    """An independent check of the allow-list, on the tree of an accepted expression."""
    for node in ast.walk(tree):
        assert isinstance(node, ALLOWED_NODES), f"accepted a {type(node).__name__}"
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS and not node.keywords
        if isinstance(node, ast.Name):
            assert not node.id.startswith("_")
        if isinstance(node, ast.Constant):
            assert type(node.value) in (int, float), f"accepted the constant {node.value!r}"


def fuzz_expression(text: str, numbers: list[float]) -> str:
    """Run one text through the parser, the builder and backprop; return what happened.

    Raises (fails) on anything but the documented errors, or if an accepted text breaks the allow-list.
    """
    try:
        expression = parse_expression(text)
    except ExpressionError as error:
        assert str(error), "an ExpressionError must say what is wrong"
        return "refused: " + _gist(str(error))
    assert len(text) <= MAX_LENGTH
    assert_only_allowed_syntax(expression.tree)
    values = {name: numbers[i % len(numbers)] for i, name in enumerate(expression.variables)}
    try:
        root, leaves = expression.build(values)
    except ExpressionError:
        return "accepted, not computable at these values"
    assert set(leaves) == set(expression.variables)
    try:
        with detect_anomaly():
            root.backward()
    except AnomalyError:
        return "built, gradient overflowed"
    return "built and backpropagated"


def _gist(message: str) -> str:
    """The first words of an error message, numbers and quoted parts dropped: a category for reports."""
    words = [w for w in message.split() if not any(c.isdigit() or c in "'\"" for c in w)]
    return " ".join(words[:4])


# ---------------------------------------------------------------------------- the parser: inputs
NAMES = ["x", "y", "w", "b", "x1", "_x", "__class__", "__import__", "os", "eval", "open", "sum", "lambda", "None"]
TOKENS = (
    NAMES
    + sorted(FUNCTIONS)
    + ["0", "1", "2.5", "1e3", "1e999", "0x1f", "1_000", "1j", ".5", "5.", "True", "..."]
    + ["+", "-", "*", "/", "**", "//", "%", "@", "<", "==", "=", ":=", "and", "or", "not", "~", "^", "|", "&"]
    + ["(", ")", "[", "]", "{", "}", ",", ".", ":", ";", "'", '"', "'a'", "b'a'", "f'{x}'", "\\", "#"]
    + [" ", "\t", "\n", "if", "else", "for", "in", "yield", "await", "*x", "**x", "x=1", ".real", ".__class__"]
)

token_soup = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


def _call(name: str, arguments: list[str]) -> str:
    return f"{name}({', '.join(arguments)})"


def _grammar(children: st.SearchStrategy) -> st.SearchStrategy:
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**"]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    unary = st.tuples(st.sampled_from(["-", "+"]), children).map("".join)
    one_input = st.tuples(st.sampled_from(["exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs"]), children)
    with_alpha = st.tuples(st.sampled_from(["leaky_relu", "elu"]), children, st.floats(-2, 2).map(repr))
    variadic = st.tuples(st.sampled_from(["max", "logsumexp"]), st.lists(children, min_size=1, max_size=4))
    return st.one_of(
        binary,
        unary,
        one_input.map(lambda t: _call(t[0], [t[1]])),
        with_alpha.map(lambda t: _call(t[0], [t[1], t[2]])),
        variadic.map(lambda t: _call(t[0], t[1])),
    )


atoms = st.one_of(
    st.sampled_from(["x", "y", "w", "b"]),
    st.floats(0, 1e3, allow_nan=False, allow_infinity=False).map(repr),
    st.integers(0, 10**6).map(str),
)
valid_expressions = st.recursive(atoms, _grammar, max_leaves=25)


@st.composite
def mutated_expressions(draw) -> str:
    """A valid expression with a few random edits: characters deleted, replaced or tokens inserted."""
    text = draw(valid_expressions)
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["delete", "insert", "replace"]))
        if edit == "delete":
            text = text[:position] + text[position + 1 :]
        elif edit == "insert":
            text = text[:position] + draw(st.sampled_from(TOKENS)) + text[position:]
        else:
            text = text[:position] + draw(st.characters()) + text[position + 1 :]
    return text


@st.composite
def extreme_expressions(draw) -> str:
    """Deep, long or wide texts near and past the limits."""
    n = draw(st.integers(1, 1200))
    shape = draw(st.sampled_from(["parens", "unary", "power", "calls", "wide", "long_name", "long_number"]))
    return {
        "parens": "(" * n + "x" + ")" * n,
        "unary": "-" * n + "x",
        "power": "x" + "**x" * n,
        "calls": "tanh(" * n + "x" + ")" * n,
        "wide": "max(" + ", ".join(["x"] * n) + ")",
        "long_name": "a" * n,
        "long_number": "9" * n,
    }[shape]


expressions = st.one_of(
    st.text(max_size=120), token_soup, valid_expressions, mutated_expressions(), extreme_expressions()
)
numbers = st.lists(st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False), min_size=1, max_size=4)


# ---------------------------------------------------------------------------- the loader: checking one file
MODELS = {"MLP": lambda: MLP(2, [3, 1], seed=0), "mlp": lambda: mlp(2, [3, 1], seed=0)}


def fuzz_load(data: bytes, model_name: str, folder: str) -> str:
    """Write ``data`` to a file and load it into a fresh model; return what happened.

    Raises (fails) on anything but ``StateDictError``, if a refused load changed the model, or if
    an accepted load does not hold exactly the file's numbers.
    """
    path = os.path.join(folder, f"fuzz-{model_name}.npz")
    with open(path, "wb") as file:
        file.write(data)
    model = MODELS[model_name]()
    before = model.state_dict()
    try:
        model.load(path)
    except StateDictError as error:
        after = model.state_dict()
        assert all(np.array_equal(before[name], after[name]) for name in before), "a refused load changed the model"
        assert str(error).startswith(path), "the error names the file"
        return "refused: " + _gist(str(error)[len(path) + 2 :])
    with np.load(path, allow_pickle=False) as archive:
        saved = {name: archive[name] for name in archive.files}
    loaded = model.state_dict()
    assert sorted(saved) == sorted(loaded)
    for name, array in loaded.items():
        assert saved[name].dtype == array.dtype and np.array_equal(saved[name], array)
    return "loaded"


# ---------------------------------------------------------------------------- the loader: files
def saved_bytes(model_name: str) -> bytes:
    """The bytes ``save`` writes for the model (a valid file to damage)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.npz")
        MODELS[model_name]().save(path)
        with open(path, "rb") as file:
            return file.read()


def npy_member(array: np.ndarray | None = None, header: dict | None = None, data: bytes = b"") -> bytes:
    """A ``.npy`` member: a real array, or a hand-written header (any shape it claims) followed by ``data``."""
    buffer = io.BytesIO()
    if header is None:
        np.save(buffer, array, allow_pickle=True)
        return buffer.getvalue()
    npy_format.write_array_header_1_0(buffer, header)
    return buffer.getvalue() + data


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DTYPES = [np.float32, np.float64, np.float16, np.int64, np.int8, np.bool_, np.complex128, np.uint8]


@st.composite
def arrays_of_any_kind(draw) -> np.ndarray:
    kind = draw(st.sampled_from(["numbers", "object", "text", "structured"]))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
    if kind == "numbers":
        return draw(hnp.arrays(draw(st.sampled_from(DTYPES)), shape))
    if kind == "object":  # saved by pickling: the loader must refuse it, not run it
        array = np.empty(shape, dtype=object)
        array.reshape(-1)[:] = [draw(st.sampled_from([1.0, "text", None, (1, 2), {"a": 1}]))] * array.size
        return array
    if kind == "text":
        return np.full(shape, draw(st.text(max_size=5)))
    return np.zeros(shape, dtype=[("a", np.float64), ("b", np.int32)])


@st.composite
def npz_files(draw, model_name: str) -> bytes:
    """Archives built member by member: right and wrong names, any shape and dtype, odd headers."""
    names = list(MODELS[model_name]().state_dict())
    chosen = draw(st.lists(st.sampled_from(names), unique=True))
    member_names = st.text(
        st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=12
    )  # zip cuts at NUL
    extra = draw(st.lists(member_names, max_size=3))
    members = {}
    for name in chosen + extra:
        content = draw(st.sampled_from(["array", "right_shape", "header", "garbage"]))
        if content == "array":
            members[f"{name}.npy"] = npy_member(draw(arrays_of_any_kind()))
        elif content == "right_shape":
            shape = MODELS[model_name]().state_dict().get(name, np.zeros(2)).shape
            dtype = draw(st.sampled_from(DTYPES))
            members[f"{name}.npy"] = npy_member(draw(hnp.arrays(dtype, shape)))
        elif content == "header":  # a header that claims any shape, huge ones included, over little data
            shape = tuple(draw(st.lists(st.sampled_from([0, 1, 3, 10**6, 10**12, 2**62]), max_size=3)))
            descr = draw(st.sampled_from(["<f8", "<f4", "|O", "<c16", "|u1", "<U3"]))
            header = {"descr": descr, "fortran_order": draw(st.booleans()), "shape": shape}
            members[f"{name}.npy"] = npy_member(header=header, data=draw(st.binary(max_size=64)))
        else:
            members[f"{name}.npy"] = draw(st.binary(max_size=200))
    return zip_bytes(members)


@st.composite
def damaged_files(draw, model_name: str) -> bytes:
    """A valid saved file, truncated or with bytes overwritten."""
    data = bytearray(saved_bytes(model_name))
    if draw(st.booleans()):
        return bytes(data[: draw(st.integers(0, len(data) - 1))])
    for _ in range(draw(st.integers(1, 16))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


def files(model_name: str) -> st.SearchStrategy:
    single_npy = hnp.arrays(np.float64, hnp.array_shapes(max_dims=2)).map(lambda a: npy_member(a))
    return st.one_of(st.binary(max_size=2000), damaged_files(model_name), npz_files(model_name), single_npy)


# ---------------------------------------------------------------------------- the tests
@FUZZ_SETTINGS
@given(text=expressions, values=numbers)
def test_the_parser_accepts_only_allowed_syntax_and_raises_only_expression_errors(text, values):
    fuzz_expression(text, values)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return str(tmp_path_factory.mktemp("fuzz"))


@pytest.mark.parametrize("model_name", list(MODELS))
def test_the_loader_refuses_any_file_that_does_not_fit_with_state_dict_error(model_name, folder):
    @FUZZ_SETTINGS
    @given(data=files(model_name))
    def check(data):
        fuzz_load(data, model_name, folder)

    check()


@pytest.mark.parametrize("model_name", list(MODELS))
def test_the_loader_accepts_its_own_file(model_name, folder):
    assert fuzz_load(saved_bytes(model_name), model_name, folder) == "loaded"


@pytest.mark.parametrize(
    "shape", [(10**6,), (10**12,), (2**62,), (10**6, 10**6)], ids=["1e6", "1e12", "2^62", "1e6x1e6"]
)
def test_a_tiny_file_claiming_a_huge_array_is_refused(shape, folder):
    name = next(iter(MODELS["MLP"]().state_dict()))
    data = zip_bytes({f"{name}.npy": npy_member(header={"descr": "<f8", "fortran_order": False, "shape": shape})})
    assert fuzz_load(data, "MLP", folder).startswith("refused")


def test_a_single_npy_array_is_refused(folder):
    assert fuzz_load(npy_member(np.ones(3)), "mlp", folder).startswith("refused: holds a single array")


def test_a_pickled_object_is_refused_and_never_run(folder, tmp_path):
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    array = np.empty((), dtype=object)
    array[()] = Payload()
    name = next(iter(MODELS["MLP"]().state_dict()))
    outcome = fuzz_load(zip_bytes({f"{name}.npy": npy_member(array)}), "MLP", folder)
    assert outcome.startswith("refused: holds pickled objects")
    assert not marker.exists()


def test_a_small_compressed_file_holding_a_huge_array_is_refused_without_reading_it(tmp_path):
    import tracemalloc

    model = MODELS["MLP"]()
    name = next(iter(model.state_dict()))
    path = tmp_path / "bomb.npz"
    np.savez_compressed(path, **{name: np.zeros(10_000_000)})  # 80 MB of zeros, about 80 KB on disk
    assert path.stat().st_size < 1_000_000
    tracemalloc.start()
    try:
        with pytest.raises(StateDictError, match="shape|missing"):
            model.load(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000, f"loading a {path.stat().st_size:,}-byte file allocated {peak:,} bytes"
