"""backprop.memory (chapter 11, "Memory and cost"): bytes of the trace and multiply-adds."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from backprop import Network  # noqa: E402
from backprop.lecture import worked_3_2_1  # noqa: E402
from backprop.memory import (  # noqa: E402
    OKABE_ITO,
    BatchMemory,
    activation_bytes,
    memory_rows,
    multiply_adds,
    parameter_bytes,
    plot_memory,
    prediction_memory,
    stacked_network,
    trace_bytes,
    training_memory,
)


def test_trace_arrays_are_distinct_so_their_bytes_add_up():
    net = stacked_network(3, 5, 4, 2, np.random.default_rng(0))
    trace = net.forward(np.ones((7, 4)))
    arrays = [trace.inputs, *trace.nets, *trace.outputs]
    for k, a in enumerate(arrays):
        for b in arrays[k + 1:]:
            assert not np.shares_memory(a, b)
    assert trace_bytes(trace) == 8 * 7 * (4 + 2 * (5 + 5 + 5 + 2))
    assert activation_bytes(trace) == 8 * 7 * (4 + 5 + 5 + 5 + 2)


def test_bytes_of_the_lecture_example():
    example = worked_3_2_1()
    trace = example.network.forward(example.x)
    assert activation_bytes(trace) == 8 * (3 + 2 + 1)
    assert trace_bytes(trace) == 8 * (3 + 2 * (2 + 1))
    assert parameter_bytes(example.network) == 8 * (6 + 2 + 2 + 1)


def test_memory_grows_linearly_with_batch_and_depth():
    rows = memory_rows([1, 2, 4], [1, 3, 9], width=8, n_in=5, n_out=2, seed=1)
    by = {(r.depth, r.batch): r for r in rows}
    assert [(r.depth, r.batch) for r in rows] == [(d, m) for d in (1, 2, 4) for m in (1, 3, 9)]
    for d in (1, 2, 4):
        assert by[(d, 9)].trace == 9 * by[(d, 1)].trace
        assert by[(d, 9)].activations == 9 * by[(d, 1)].activations
        assert by[(d, 1)].parameters == by[(d, 9)].parameters  # weights do not grow with m
    # each extra hidden layer adds the same number of bytes: 8 m (2 * width) to the trace
    step = by[(2, 3)].trace - by[(1, 3)].trace
    assert step == 8 * 3 * 2 * 8
    assert by[(4, 3)].trace - by[(2, 3)].trace == 2 * step


def test_stacked_network_shape_and_bad_depth():
    net = stacked_network(2, 6, 3, 1, np.random.default_rng(0))
    assert net.layer_sizes == [3, 6, 6, 1]
    assert [a.name for a in net.activations] == ["sigmoid", "sigmoid", "linear"]
    with pytest.raises(ValueError, match="depth"):
        stacked_network(0, 6, 3, 1, np.random.default_rng(0))


def test_multiply_adds_of_the_lecture_network():
    cost = multiply_adds([3, 2, 1])
    assert cost == {"forward": 3 * 2 + 2 * 1, "deltas": 2 * 1, "weight_gradients": 8,
                    "backward": 10, "gradient": 18}
    assert multiply_adds([3, 2, 1], m=5)["gradient"] == 5 * 18


def count_products(net, m):
    """Multiply-adds of the matrix products the engine does, read off its arrays' shapes."""
    trace = net.forward(np.ones((m, net.n_inputs)))
    grads = net.backward(trace, np.zeros((m, net.n_outputs)))
    forward = sum(a.shape[0] * a.shape[1] * w.shape[0]
                  for a, w in zip(trace.layer_inputs, net.weights, strict=True))  # A @ W.T
    deltas = sum(d.shape[0] * w.shape[0] * w.shape[1]
                 for d, w in zip(grads.deltas[1:], net.weights[1:], strict=True))  # D @ W
    weights = sum(d.shape[1] * d.shape[0] * a.shape[1]
                  for d, a in zip(grads.deltas, trace.layer_inputs, strict=True))  # D.T @ A
    return forward, deltas, weights


@pytest.mark.parametrize("sizes", [[3, 2, 1], [2, 2, 2, 1], [16, 64, 64, 64, 1], [7, 1, 9, 2]])
def test_multiply_adds_match_the_engines_matrix_products(sizes):
    net = Network.initialise(sizes, ["sigmoid"] * (len(sizes) - 2) + ["linear"],
                             np.random.default_rng(0), scheme="xavier")
    cost = multiply_adds(sizes, m=4)
    assert (cost["forward"], cost["deltas"], cost["weight_gradients"]) == count_products(net, 4)


def test_backward_is_about_twice_forward_and_never_more():
    for sizes in ([3, 2, 1], [784, 100, 10], [16] + [64] * 8 + [1], [10] * 50):
        cost = multiply_adds(sizes, 3)
        assert cost["weight_gradients"] == cost["forward"]
        assert cost["backward"] <= 2 * cost["forward"]
        assert cost["gradient"] <= 3 * cost["forward"]
    deep = multiply_adds([10] * 50)
    assert deep["backward"] / deep["forward"] > 1.97  # the first layer's share is 1/49


def test_multiply_adds_rejects_bad_sizes():
    with pytest.raises(ValueError):
        multiply_adds([3])
    with pytest.raises(ValueError):
        multiply_adds([3, 2], m=0)


def test_plot_memory_one_colour_and_marker_per_batch():
    rows = memory_rows([1, 2], [1, 4], width=4, n_in=2, n_out=1)
    fig, ax = plt.subplots()
    try:
        plot_memory(rows, ax)
        lines = ax.get_lines()
        assert len(lines) == 3  # two batch sizes and the parameters
        colours = [line.get_color() for line in lines]
        assert set(colours) <= set(OKABE_ITO) and len(set(colours)) == 3
        assert lines[0].get_marker() != lines[1].get_marker()
        assert lines[2].get_linestyle() == "--"
        assert ax.get_yscale() == "log"
        assert list(lines[1].get_ydata()) == [r.trace / 1024 for r in rows if r.batch == 4]
    finally:
        plt.close(fig)


@pytest.mark.parametrize("sizes", [[3, 2, 1], [7, 1, 9, 2], [16, 64, 64, 64, 1]])
def test_training_and_prediction_memory_are_the_engines_arrays(sizes):
    net = Network.initialise(sizes, ["sigmoid"] * (len(sizes) - 2) + ["linear"],
                             np.random.default_rng(0), scheme="xavier")
    train, predict = training_memory(sizes), prediction_memory(sizes)
    for m in (1, 5):
        trace = net.forward(np.ones((m, sizes[0])))
        grads = net.backward(trace, np.zeros((m, sizes[-1])))
        gradient_bytes = sum(g.nbytes for g in [*grads.weights, *grads.biases])
        assert gradient_bytes == parameter_bytes(net)
        assert train.bytes(m) == parameter_bytes(net) + gradient_bytes + activation_bytes(trace)
        # prediction holds, at most, what one layer receives and what it gives
        widest = max(a.nbytes + o.nbytes for a, o in zip(trace.layer_inputs, trace.outputs,
                                                         strict=True))
        assert predict.bytes(m) == parameter_bytes(net) + widest


def test_largest_batch_is_the_last_that_fits_and_the_crossover_the_first_above():
    memory = BatchMemory(fixed=1000, per_example=48)
    assert memory.largest_batch(1000 + 20 * 48) == 20
    assert memory.largest_batch(1000 + 21 * 48 - 1) == 20
    assert memory.largest_batch(999) == 0
    assert memory.crossover() == 21 and 21 * 48 > 1000 >= 20 * 48
    assert BatchMemory(fixed=960, per_example=48).crossover() == 21  # equal is not above


def test_a_deeper_network_costs_training_more_per_example_but_not_prediction():
    shallow, deep = [784, 512, 512, 10], [784, 512, 512, 512, 512, 10]
    assert training_memory(deep).per_example - training_memory(shallow).per_example == 8 * 1024
    assert prediction_memory(deep).per_example == prediction_memory(shallow).per_example
    with pytest.raises(ValueError):
        training_memory([3])
    with pytest.raises(ValueError):
        prediction_memory([3])
