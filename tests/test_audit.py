"""Things a student tries, checked against PyTorch or against the other engine, and the errors they get.

Each test here pins down a case that was once wrong or unclear: a silent wrong (or missing)
answer, or an error message that did not name the problem.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, gradcheck


# ---------------------------------------------------------------------- the scalar engine
@pytest.mark.parametrize("n", [0.5, 0.25, 0.75])
def test_value_fractional_power_of_zero_matches_tensor_and_torch(torch, n):
    """0 ** n is 0 for 0 < n < 1, with an infinite slope, as √x gives at 0 (not a division by zero)."""
    x = Value(0.0)
    y = x**n
    y.backward()
    t = Tensor(np.array(0.0), requires_grad=True, dtype=np.float64)
    with np.errstate(divide="ignore"):
        (t**n).backward()
    p = torch.tensor(0.0, requires_grad=True)
    (p**n).backward()
    assert y.data == float(t.data) == p.item() == 0.0
    assert x.grad == float(t.grad) == p.grad.item() == math.inf


def test_value_fractional_power_matches_sqrt_away_from_zero():
    """x ** 0.5 and x.sqrt() are the same function with the same derivative."""
    assert gradcheck(lambda x: x**0.5 + x**1.5, [Value(0.7)])
    a, b = Value(2.5), Value(2.5)
    (a**0.5).backward()
    b.sqrt().backward()
    assert a.grad == pytest.approx(b.grad, rel=1e-15)


def test_value_ops_have_docstrings():
    """The ops of the scalar engine are read by students: each says what it computes."""
    for name in ["exp", "log", "sqrt", "tanh", "sigmoid", "relu", "leaky_relu", "elu", "abs", "identity", "item"]:
        assert getattr(Value, name).__doc__, name


# ---------------------------------------------------------------------- nn: clear errors
@pytest.mark.parametrize("build", [lambda: nn.mlp(2, 16), lambda: nn.MLP(2, 16)], ids=["mlp", "MLP"])
def test_mlp_sizes_as_int_is_a_clear_error(build):
    with pytest.raises(TypeError, match=r"sizes.*list.*\[16\]"):
        build()


def test_scalar_mlp_input_of_strings_is_named():
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(TypeError, match=r"input 0 .*str"):
        model(["a", "b"])


def test_dropout_probability_must_be_a_number():
    with pytest.raises(TypeError, match=r"Dropout probability must be a number.*str"):
        nn.Dropout("0.5")


def test_maxout_of_a_zero_dimensional_tensor_is_named():
    with pytest.raises(ValueError, match=r"Maxout.*features.*\(\)"):
        nn.Maxout(2)(Tensor(1.0))


def test_softmax_axis_must_be_an_int():
    with pytest.raises(TypeError, match=r"Softmax axis must be an int.*str"):
        nn.Softmax("a")


def test_load_state_dict_of_a_non_mapping_is_named():
    model = nn.mlp(2, [3, 1], seed=0)
    with pytest.raises(TypeError, match=r"load_state_dict takes a dict.*list"):
        model.load_state_dict([1, 2])


def test_parameter_names_of_sequential_are_as_documented():
    """The docstrings name Sequential parameters like ``layers.0.weight``: check that is true."""
    names = [name for name, _ in nn.mlp(2, [3, 1], seed=0).named_parameters()]
    assert names == ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"]
    assert "layers.0.weight" in nn.Module.named_parameters.__doc__
    assert "layers.0.bias" in nn.weight_parameters.__doc__


def test_scaler_of_strings_is_a_clear_error():
    with pytest.raises(TypeError, match=r"StandardScaler.fit: X must hold numbers"):
        nn.data.StandardScaler().fit([["a", "b"]])
    with pytest.raises(TypeError, match=r"MinMaxScaler.fit: X must hold numbers"):
        nn.data.MinMaxScaler().fit([["a", "b"]])


# ---------------------------------------------------------------------- viz: clear errors
def test_decision_boundary_without_a_model_is_named():
    pytest.importorskip("matplotlib")
    import viz

    X, y = nn.data.make_moons(20, seed=0)
    with pytest.raises(TypeError, match=r"model must be a model or a function.*NoneType"):
        viz.plot_decision_boundary(None, X, y)


def test_plot_activations_takes_a_single_name():
    """``plot_activations("relu")`` draws ReLU (it used to read the string letter by letter)."""
    pytest.importorskip("matplotlib")
    import viz

    figure = viz.plot_activations("relu")
    titles = [ax.get_title() for ax in figure.axes if ax.get_visible()]
    assert titles == ["relu"]
    figure = viz.plot_activations(("leaky_relu", {"alpha": 0.2}))
    assert [ax.get_title() for ax in figure.axes if ax.get_visible()] == ["leaky_relu (alpha=0.2)"]


def test_draw_gradcheck_without_a_function_is_named():
    import viz

    with pytest.raises(TypeError, match=r"draw_gradcheck.*f must be a function.*NoneType"):
        viz.draw_gradcheck(None, [Value(1.0)])


def test_backward_steps_function_has_type_hints():
    import typing

    import autograd

    hints = typing.get_type_hints(autograd.backward_steps)
    assert "root" in hints and "return" in hints


def test_value_backward_of_a_result_made_under_no_grad_is_refused_like_tensor():
    """A loss computed inside ``no_grad`` recorded no graph: backward must say so, not leave every grad at 0."""
    import autograd

    w = Value(2.0)
    with autograd.no_grad():
        loss = (w * 3.0).tanh()
    with pytest.raises(RuntimeError, match=r"no_grad"):
        loss.backward()
    with pytest.raises(RuntimeError, match=r"no_grad"):
        list(loss.backward_steps())
    W = Tensor(np.ones(2), requires_grad=True)
    with autograd.no_grad():
        tensor_loss = (W * 3.0).sum()
    with pytest.raises(RuntimeError):
        tensor_loss.backward()


def test_value_backward_on_a_leaf_and_on_a_constant_inside_a_graph_still_work():
    import autograd

    a = Value(2.0)
    a.backward()
    assert a.grad == 1.0
    with autograd.no_grad():
        c = a * 3.0  # a constant from here on
    b = Value(0.5)
    out = b * c
    out.backward()
    assert b.grad == 6.0 and c.grad == 0.5


# ---------------------------------------------------------------------- nn.fit (nn/train.py)
def test_fit_train_and_validation_loss_agree_for_a_sum_reduction():
    """On the same data, with weights that barely move, the recorded training and validation losses agree."""
    X, y = nn.data.make_moons(40, seed=0)
    model = nn.mlp(2, [4, 1], seed=0, dtype=np.float64)
    history = nn.fit(model, nn.MSELoss(reduction="sum"), nn.SGD(model.parameters(), lr=1e-12), (X, y),
                     epochs=1, batch_size=10, validation=(X, y), progress=False, shuffle=False)
    assert history.train_loss[0] == pytest.approx(history.val_loss[0], rel=1e-6)


def test_fit_train_and_validation_loss_agree_for_a_mean_reduction():
    X, y = nn.data.make_moons(40, seed=0)
    model = nn.mlp(2, [4, 1], seed=0, dtype=np.float64)
    history = nn.fit(model, nn.MSELoss(), nn.SGD(model.parameters(), lr=1e-12), (X, y),
                     epochs=1, batch_size=10, validation=(X, y), progress=False, shuffle=False)
    assert history.train_loss[0] == pytest.approx(history.val_loss[0], rel=1e-6)


# ---------------------------------------------------------------------- nn.data
@pytest.mark.parametrize("cell", ["nan", "NaN", "inf", "-Infinity"])
def test_load_csv_refuses_a_non_finite_feature_naming_line_and_column(tmp_path, cell):
    """A "NaN" cell is a missing value: it must be refused like an empty cell, not read as a float NaN."""
    path = tmp_path / "data.csv"
    path.write_text(f"a,b,label\n1.0,2.0,0\n3.0,{cell},1\n")
    with pytest.raises(ValueError, match=r"line 3, column 'b'.*not a finite number"):
        nn.data.load_csv(path)


def test_load_csv_refuses_a_non_finite_numeric_target(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("1.0,2.0,0.5\n3.0,4.0,nan\n")
    with pytest.raises(ValueError, match=r"line 2.*target.*not a finite number"):
        nn.data.load_csv(path, target_type="number")
