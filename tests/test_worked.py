"""The worked-solution writer: the lecture's lines, generated."""

import numpy as np

from backprop import Network, format_number, worked_solution
from backprop.lecture import multi_output_2_2_2, worked_3_2_1


def test_net_input_line_in_the_lectures_style():
    example = worked_3_2_1()
    text = worked_solution(example.network, example.x, example.t, example.eta).markdown
    assert "&= (1)(0.2) + (0)(0.4) + (1)(-0.5) + (-0.4) = -0.7" in text
    assert r"o_{4} &= \sigma(\mathrm{net}_{4}) = \frac{1}{1 + e^{0.7}} = 0.3318" in text
    assert (r"\delta_{6} &= o_{6}(1 - o_{6})(t_{6} - o_{6}) = 0.4739 \times 0.5261 \times "
            r"(0.5261) = 0.1312") in text
    assert (r"\delta_{4} &= o_{4}(1 - o_{4})[w_{6,4}\delta_{6}] = 0.3318 \times 0.6682 \times "
            r"[(-0.3)(0.1312)] = -0.0087") in text
    assert (r"w_{6,4}^{\text{new}} &= -0.3 + (0.9)(0.1312)(0.3318) = -0.3 + (0.0392) = -0.2608"
            in text)


def test_decimals_control_every_computed_number():
    example = worked_3_2_1()
    text = worked_solution(example.network, example.x, example.t, example.eta, decimals=3).markdown
    assert "= 0.332" in text and "= 0.3318" not in text
    assert r"(0.526) = 0.131" + "\n" in text  # delta_6, the last line of its block


def test_hidden_delta_sums_over_every_downstream_unit():
    example = multi_output_2_2_2()
    text = worked_solution(example.network, example.x, example.t, example.eta,
                           decimals=5).markdown
    assert r"[w_{5,3}\delta_{5} + w_{6,3}\delta_{6}]" in text
    assert "[(0.4)(0.08948) + (0.5)(-0.14777)] = -0.00935" in text


def test_the_network_is_not_changed_and_values_match_one_step():
    example = worked_3_2_1()
    before = [w.copy() for w in example.network.weights]
    solution = worked_solution(example.network, example.x, example.t, example.eta)
    for w, w0 in zip(example.network.weights, before):
        np.testing.assert_array_equal(w, w0)
    stepped = example.network.copy()
    error = stepped.train_step(example.x, example.t, example.eta)
    assert solution.values["E"] == error
    assert solution.values["w_6,4"] == stepped.weights[1][0, 0]
    assert solution.values["E_after"] == stepped.error(example.x, example.t)
    assert solution.values["E_after"] < solution.values["E"]
    assert list(solution.sections) == ["forward", "error", "backward", "update", "after"]
    assert solution._repr_markdown_() == solution.markdown


def test_softmax_cross_entropy_and_other_activations_are_written():
    net = Network.from_weights(
        [[[0.5, -0.2], [0.1, 0.3]], [[0.2, -0.4], [0.7, 0.1], [-0.3, 0.5]]],
        [[0.0, 0.1], [0.0, 0.0, 0.0]], ["tanh", "softmax"], loss="cross_entropy",
    )
    solution = worked_solution(net, [1.0, 2.0], [0.0, 1.0, 0.0], 0.1)
    text = solution.markdown
    assert r"\delta_{5} &= t_{5} - o_{5}" in text
    assert r"\tanh(\mathrm{net}_{3})" in text and r"(1 - o_{3}^2)" in text
    grads = net.backward(net.forward([1.0, 2.0]), [0.0, 1.0, 0.0])
    assert solution.values["delta_3"] == grads.deltas[0][0]


def test_format_number():
    assert format_number(0.2000, 4) == "0.2"
    assert format_number(-0.00001, 4) == "0"
    assert format_number(2.0, 3) == "2"
    assert format_number(-0.13116908, 4) == "-0.1312"
