"""Every value the lecture prints (sections 3, 4, 6, 7, 8, 9, 10, 12), from the engine.

`printed(value, "0.332")` asserts that the engine's exact value, rounded to the
printed number of decimals, is the printed text. Where the lecture rounded by hand
before reusing a value, its printed digits differ from the exact value: those
tests assert the exact value instead and say what the lecture printed and why.
"""

import numpy as np
import pytest

from backprop import Network, sigmoid
from backprop.activations import ACTIVATIONS
from backprop.lecture import chain_two_node, multi_output_2_2_2, worked_3_2_1
from backprop.losses import LOSSES
from backprop.printed_values import SECTION_8_4_PRINTED
from backprop.worked import worked_solution


def printed(value: float, text: str) -> None:
    """The exact value, rounded to the decimals of `text`, reads as `text`."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    shown = f"{float(value):.{decimals}f}"
    if shown.startswith("-") and float(shown) == 0:
        shown = shown[1:]
    assert shown == text, f"engine value {float(value)!r} rounds to {shown}, lecture prints {text}"


def sigmoid_delta(out, residual):
    """The engine's output-delta rule for a sigmoid unit: o(1 - o)(t - o)."""
    out = np.asarray(out, dtype=float)
    return ACTIVATIONS["sigmoid"].backward(np.zeros_like(out), out, np.asarray(residual, float))


# ---------------------------------------------------------------- section 3
def test_section_3_total_error_over_examples_and_outputs():
    squared = LOSSES["squared"]
    outputs = np.array([[0.7, 0.4], [0.3, 0.8]])
    targets = np.array([[1.0, 0.0], [0.0, 1.0]])
    printed(squared.value(outputs[0], targets[0]), "0.125")
    printed(squared.value(outputs[1], targets[1]), "0.065")
    printed(squared.value(outputs, targets), "0.190")


def test_section_3_net_input_and_sigmoid():
    unit = Network.from_weights([[[0.4, -0.3, 0.6]]], [[-0.2]], ["sigmoid"])
    trace = unit.forward([0.5, 0.8, 0.2])
    printed(trace.nets[0][0], "-0.12")
    printed(trace.outputs[0][0], "0.4700")


def test_section_3_self_test_net_input():
    unit = Network.from_weights([[[0.3, -0.4, 0.6]]], [[0.0]], ["linear"])
    printed(unit.forward([0.5, 0.2, 0.8]).nets[0][0], "0.55")


# ---------------------------------------------------------------- section 4
@pytest.mark.parametrize(
    ("net", "sigma", "derivative"),
    [(0.0, "0.5", "0.25"), (2.0, "0.8808", "0.1050"), (-1.5, "0.1824", "0.1491")],
)
def test_section_4_sigmoid_and_derivative(net, sigma, derivative):
    out = sigmoid(np.array([net]))
    printed(out[0], sigma)
    slope = ACTIVATIONS["sigmoid"].derivative(np.array([net]), out)
    printed(slope[0], derivative)


def test_section_4_derivative_is_largest_at_zero():
    nets = np.linspace(-8, 8, 1601)
    slopes = ACTIVATIONS["sigmoid"].derivative(nets, sigmoid(nets))
    assert nets[np.argmax(slopes)] == 0.0
    printed(slopes.max(), "0.25")


# ---------------------------------------------------------------- section 6
def test_section_6_output_and_hidden_error_terms():
    delta_k = sigmoid_delta([0.8], [1.0 - 0.8])[0]
    printed(delta_k, "0.032")
    delta_h = sigmoid_delta([0.6], [0.5 * delta_k])[0]
    printed(delta_h, "0.00384")


def test_section_6_weight_update_through_the_engine():
    # A linear unit with w = 0.3, input 0.8 and a target 0.15 above its output has
    # delta = t - o = 0.15, so the engine's step is w + eta delta x.
    unit = Network.from_weights([[[0.3]]], [[0.0]], ["linear"])
    output = unit.predict([0.8])[0]
    unit.train_step([0.8], [output + 0.15], 0.1)
    printed(unit.weights[0][0, 0] - 0.3, "0.012")
    printed(unit.weights[0][0, 0], "0.312")


# ---------------------------------------------------------------- section 7
def test_section_7_forward_pass():
    example = worked_3_2_1()
    trace = example.network.forward(example.x)
    printed(trace.nets[0][0], "-0.7")
    printed(trace.outputs[0][0], "0.332")
    printed(trace.nets[0][1], "0.1")
    printed(trace.outputs[0][1], "0.525")
    # The lecture prints net_6 = -0.1046 from the rounded o_4 = 0.332, o_5 = 0.525;
    # the exact net_6 is -0.10454, -0.1045 to four places.
    printed(trace.nets[1][0], "-0.1045")
    printed(trace.outputs[1][0], "0.474")
    printed(example.t[0] - trace.outputs[1][0], "0.526")


def test_section_7_error_terms():
    example = worked_3_2_1()
    deltas = example.network.backward(example.network.forward(example.x), example.t).deltas
    # The lecture prints delta_6 = 0.1311 (0.474 x 0.526 x 0.526 from rounded factors);
    # the exact value is 0.131169, 0.1312 to four places.
    printed(deltas[1][0], "0.1312")
    printed(deltas[0][1], "-0.0065")
    printed(deltas[0][0], "-0.0087")


def test_section_7_updates_table_2_and_verification():
    example = worked_3_2_1()
    net = example.network
    old_w = [w.copy() for w in net.weights]
    old_b = [b.copy() for b in net.biases]
    error_before = net.train_step(example.x, example.t, example.eta)
    (w_hidden, w_out), (b_hidden, b_out) = net.weights, net.biases
    printed(w_out[0, 0], "-0.261")
    printed(w_out[0, 1], "-0.138")
    printed(b_out[0], "0.218")
    printed(w_hidden[0, 0], "0.192")
    printed(w_hidden[0, 1], "0.400")
    printed(w_hidden[0, 2], "-0.508")
    printed(b_hidden[0], "-0.408")
    printed(w_hidden[1, 0], "-0.306")
    printed(w_hidden[1, 1], "0.100")
    printed(w_hidden[1, 2], "0.194")
    printed(b_hidden[1], "0.194")
    # The changes of Table 2.
    changes = {
        "w_14": (w_hidden[0, 0] - old_w[0][0, 0], "-0.008"),
        "w_24": (w_hidden[0, 1] - old_w[0][0, 1], "0.000"),
        "w_34": (w_hidden[0, 2] - old_w[0][0, 2], "-0.008"),
        "w_15": (w_hidden[1, 0] - old_w[0][1, 0], "-0.006"),
        "w_25": (w_hidden[1, 1] - old_w[0][1, 1], "0.000"),
        "w_35": (w_hidden[1, 2] - old_w[0][1, 2], "-0.006"),
        "w_46": (w_out[0, 0] - old_w[1][0, 0], "0.039"),
        "w_56": (w_out[0, 1] - old_w[1][0, 1], "0.062"),
        "b_4": (b_hidden[0] - old_b[0][0], "-0.008"),
        "b_5": (b_hidden[1] - old_b[0][1], "-0.006"),
        "b_6": (b_out[0] - old_b[1][0], "0.118"),
    }
    for value, text in changes.values():
        printed(value, text)
    # Section 7's verification with the new weights.
    trace = net.forward(example.x)
    printed(trace.nets[0][0], "-0.724")
    printed(trace.outputs[0][0], "0.327")
    printed(trace.nets[0][1], "0.082")
    printed(trace.outputs[0][1], "0.521")
    printed(trace.nets[1][0], "0.061")
    printed(trace.outputs[1][0], "0.515")
    printed(example.t[0] - trace.outputs[1][0], "0.485")
    printed(trace.outputs[1][0] - 0.4738889, "0.041")
    assert net.error(example.x, example.t) < error_before


def test_section_7_step_changes_printed_with_hand_rounded_delta():
    # The lecture prints Delta w_46 = 0.0391 and Delta w_56 = 0.0619 from delta_6 = 0.1311;
    # with the exact delta_6 they are 0.039171 and 0.061975.
    example = worked_3_2_1()
    before = example.network.weights[1].copy()
    example.network.train_step(example.x, example.t, example.eta)
    change = example.network.weights[1] - before
    printed(change[0, 0], "0.0392")
    printed(change[0, 1], "0.0620")


# ---------------------------------------------------------------- section 8
def test_section_8_two_node_chain():
    # SECTION_8_4_PRINTED, the values chapter 8 compares, from the engine's own passes.
    lecture = SECTION_8_4_PRINTED
    example = chain_two_node()
    net = example.network
    w_xh, w_ho = net.weights[0][0, 0], net.weights[1][0, 0]
    trace = net.forward(example.x)
    printed(trace.nets[0][0], lecture["net_h"])
    printed(trace.outputs[0][0], lecture["o_h"])
    printed(trace.nets[1][0], lecture["net_o"])
    printed(trace.outputs[1][0], lecture["o_o"])
    deltas = net.backward(trace, example.t).deltas
    printed(deltas[1][0], lecture["delta_o"])
    printed(deltas[0][0], lecture["delta_h"])
    net.train_step(example.x, example.t, example.eta)
    printed(net.weights[1][0, 0] - w_ho, lecture["dw_o,h"])
    printed(net.weights[1][0, 0], lecture["w_o,h"])
    printed(net.weights[0][0, 0] - w_xh, lecture["dw_h,x"])
    printed(net.weights[0][0, 0], lecture["w_h,x"])


def test_section_8_printed_values_are_the_worked_solutions_rounded():
    # Chapter 8's table: every printed value is the writer's exact value, rounded alike.
    example = chain_two_node()
    values = worked_solution(example.network, example.x, example.t, example.eta,
                             unit_labels=example.unit_labels).values
    for key, text in SECTION_8_4_PRINTED.items():
        printed(values[key], text)


def test_section_8_hand_rounding_changes_no_printed_digit():
    # The lecture rounds as it goes, as in section 7: net_o from o_h = 0.6225, delta_o from
    # o_o = 0.622, delta_h from delta_o = 0.0889, the changes from eta = 0.9 (in its step 4,
    # not in its given data). Redone from its own rounded numbers, each line still gives
    # the printed digits, so here, unlike section 7, no printed value differs from the
    # exact one rounded alike (the test above).
    lecture = {key: float(text) for key, text in SECTION_8_4_PRINTED.items()}
    example = chain_two_node()  # the lecture's givens: x = 1, t = 1, w_xh = 0.5, w_ho = 0.8
    eta, x, t = example.eta, example.x[0], example.t[0]
    w_xh, w_ho = example.network.weights[0][0, 0], example.network.weights[1][0, 0]
    o_h, o_o, delta_o, delta_h = (lecture[k] for k in ("o_h", "o_o", "delta_o", "delta_h"))
    redone = {
        "net_o": o_h * w_ho,
        "delta_o": o_o * (1 - o_o) * (t - o_o),
        "delta_h": o_h * (1 - o_h) * w_ho * delta_o,
        "dw_o,h": eta * delta_o * o_h,
        "w_o,h": w_ho + lecture["dw_o,h"],
        "dw_h,x": eta * delta_h * x,
        "w_h,x": w_xh + lecture["dw_h,x"],
    }
    for key, value in redone.items():
        printed(value, SECTION_8_4_PRINTED[key])


# ---------------------------------------------------------------- section 9
@pytest.mark.parametrize(
    ("eta", "change", "new"), [(0.01, "0.0016", "0.5016"), (0.1, "0.016", "0.516"),
                               (1.0, "0.16", "0.66")]
)
def test_section_9_learning_rate_table(eta, change, new):
    # delta = 0.2 on a linear unit: target 0.2 above the output; x = 0.8, w = 0.5.
    unit = Network.from_weights([[[0.5]]], [[0.0]], ["linear"])
    unit.train_step([0.8], [unit.predict([0.8])[0] + 0.2], eta)
    printed(unit.weights[0][0, 0] - 0.5, change)
    printed(unit.weights[0][0, 0], new)


# ---------------------------------------------------------------- section 10
def test_section_10_forward_pass_and_error():
    example = multi_output_2_2_2()
    trace = example.network.forward(example.x)
    printed(trace.nets[0][0], "0.275")
    printed(trace.outputs[0][0], "0.568")
    printed(trace.nets[0][1], "0.34")
    printed(trace.outputs[0][1], "0.584")
    printed(trace.nets[1][0], "0.49")
    printed(trace.outputs[1][0], "0.620")
    printed(trace.nets[1][1], "0.605")
    printed(trace.outputs[1][1], "0.647")
    # The lecture prints E = 0.282: 1/2 [0.144 + 0.419] from squares rounded to three
    # places; the exact error is 0.281386, 0.281 to three places.
    printed(example.network.error(example.x, example.t), "0.281")


def test_section_10_error_terms():
    example = multi_output_2_2_2()
    deltas = example.network.backward(example.network.forward(example.x), example.t).deltas
    printed(deltas[1][0], "0.0895")
    printed(deltas[1][1], "-0.148")
    # The lecture prints delta_1 = -0.00936 and delta_2 = -0.00999 (its hidden units 1, 2,
    # units 3, 4 here), from factors rounded to three places (0.245, 0.243, 0.0358...);
    # the exact values are -0.0093452 and -0.0099610.
    printed(deltas[0][0], "-0.00935")
    printed(deltas[0][1], "-0.00996")


def test_section_10_updates():
    example = multi_output_2_2_2()
    example.network.train_step(example.x, example.t, example.eta)
    w_hidden, w_out = example.network.weights
    # Lecture w_ij (i into j) reads w_ji here: w_13 (hidden 1 -> output 3) is w_out[0, 0].
    printed(w_out[0, 0], "0.4254")
    printed(w_out[0, 1], "0.4761")
    printed(w_out[1, 0], "0.4580")
    printed(w_out[1, 1], "0.5068")
    printed(w_hidden[0, 0], "0.1477")
    printed(w_hidden[0, 1], "0.2463")
    printed(w_hidden[1, 0], "0.1975")
    printed(w_hidden[1, 1], "0.2960")


# ---------------------------------------------------------------- section 12
def test_section_12_self_test_answers():
    out = sigmoid(np.array([0.5]))
    printed(out[0], "0.622")
    printed(ACTIVATIONS["sigmoid"].derivative(np.array([0.5]), out)[0], "0.235")
    printed(sigmoid_delta([0.8], [0.2])[0], "0.032")
    upstream = 0.2 * 0.5 + (-0.1) * (-0.3)  # sum_k w_kh delta_k over the two downstream units
    printed(sigmoid_delta([0.6], [upstream])[0], "0.0312")
    unit = Network.from_weights([[[0.3]]], [[0.0]], ["linear"])
    unit.train_step([0.8], [unit.predict([0.8])[0] + 0.15], 0.1)
    printed(unit.weights[0][0, 0], "0.312")
