"""backprop.multi_output: the tables of chapter 10 and the lecture's section-10 data."""

import numpy as np
import pytest

from backprop import worked_solution
from backprop.lecture import multi_output_2_2_2
from backprop.multi_output import (
    LECTURE_PRINTED,
    contributions_problems,
    contributions_table,
    lecture_names_table,
    output_delta_places,
    printed_comparison,
    redone_from_printed,
    round_like,
    weight_changes,
    weight_changes_table,
    weight_name,
)


def _exact():
    example = multi_output_2_2_2()
    net = example.network
    values = worked_solution(net, example.x, example.t, example.eta,
                             unit_labels=example.unit_labels).values
    trace = net.forward(example.x)
    grads = net.backward(trace, example.t)
    contributions = net.weights[1] * grads.deltas[1][:, np.newaxis]
    local = trace.outputs[0] * (1 - trace.outputs[0])
    exact = dict(values)
    exact.update({"local_3": local[0], "local_4": local[1],
                  "sum_3": contributions[:, 0].sum(), "sum_4": contributions[:, 1].sum()})
    return exact


def test_lecture_names_match_the_engine_and_a_wrong_weight_is_caught():
    example = multi_output_2_2_2()
    table = lecture_names_table(example.network, example.unit_labels)
    # the given weights written as given, as the worked solution's lines write them: 0.2
    assert "| 0.2 |" in table and "| 0.45 |" in table and "| 0.20 |" not in table
    assert "| $w_{13}$ | $w_{5,3}$ | from unit 3 into unit 5 | 0.4 |" in table
    example.network.weights[0][1, 0] = 0.25   # the lecture's w_12 read the wrong way round
    with pytest.raises(AssertionError, match="w_12"):
        lecture_names_table(example.network, example.unit_labels)


def test_the_five_misprinted_values_and_only_they_differ_and_are_redone():
    _, differing = printed_comparison(_exact())
    redone = redone_from_printed()
    assert sorted(differing) == sorted(redone) and len(differing) == 5
    for name, value in redone.items():
        assert round_like(value, LECTURE_PRINTED[name][1]) == LECTURE_PRINTED[name][1]


def test_round_like_uses_the_printed_decimals_and_never_shows_minus_zero():
    assert round_like(0.2813840, "0.282") == "0.281"
    assert round_like(0.296016, "0.2960") == "0.2960"
    assert round_like(-0.0004, "0.000") == "0.000"


def test_weight_changes_are_the_training_step_output_layer_first():
    example = multi_output_2_2_2()
    after = example.network.copy()
    after.train_step(example.x, example.t, example.eta)
    changes = weight_changes(example.network, after, example.unit_labels)
    assert [name for name, _, _ in changes][:2] == ["$w_{5,3}$", "$w_{5,4}$"]
    assert changes[-1][0] == weight_name(example.unit_labels, 0, 1, 1) == "$w_{4,2}$"
    name, old, change = changes[2]                         # w_6,3
    assert old == 0.5 and change == after.weights[1][1, 0] - 0.5 < 0


def test_weight_changes_table_writes_the_old_weights_as_given():
    example = multi_output_2_2_2()
    after = example.network.copy()
    after.train_step(example.x, example.t, example.eta)
    table = weight_changes_table(weight_changes(example.network, after, example.unit_labels))
    assert "| $w_{5,3}$ | 0.4 | 0.42543 | 0.02543 |" in table
    assert "| $w_{4,2}$ | 0.3 | 0.29602 | -0.00398 |" in table


def _chapter_contributions():
    example = multi_output_2_2_2()
    net = example.network
    trace = net.forward(example.x)
    grads = net.backward(trace, example.t)
    contributions = net.weights[1] * grads.deltas[1][:, np.newaxis]
    local = trace.outputs[0] * (1 - trace.outputs[0])
    return net, grads, contributions, local


def test_contributions_table_rows_add_up():
    labels = [["1", "2"], ["3", "4"], ["5", "6"]]
    contributions = np.array([[0.1, 0.2], [-0.3, 0.05]])
    table = contributions_table(labels, contributions, np.array([0.25, 0.2]),
                                np.array([-0.05, 0.05]), decimals=5, delta_decimals=5)
    assert "| 3 | 0.10000 | -0.30000 | -0.20000 | 0.25000 | -0.05000 |" in table
    assert "from unit 6: $w_{6,h}\\delta_6$" in table


def test_the_chapters_contributions_check_by_hand_at_six_places_and_not_at_five():
    net, grads, contributions, local = _chapter_contributions()
    table = contributions_table([["1", "2"], ["3", "4"], ["5", "6"]], contributions, local,
                                grads.deltas[0])
    assert "| 3 | 0.035791 | -0.073883 | -0.038092 | 0.245332 | -0.00935 |" in table
    assert contributions_problems(contributions, local, grads.deltas[0]) == []
    # at five places, 0.24533 x -0.03809 = -0.0093446 would not give the -0.00935 shown
    assert contributions_problems(contributions, local, grads.deltas[0], 5, 5) == [
        "row 0: slope times sum is -0.0093446197, which does not round to -0.00935"]
    # requests whose shown values do not add up to the shown sum are caught
    split = np.array([[0.1000004], [0.1000004]])  # 0.100000 + 0.100000, but the sum 0.200001
    assert contributions_problems(split, np.array([0.25]), np.array([0.05])) == [
        "row 0: the requests ['0.100000', '0.100000'] do not add up to 0.200001"]


def test_output_delta_places_refuses_a_product_exactly_halfway():
    net, grads, _, _ = _chapter_contributions()
    # delta_6 to six places, -0.147765, gives 0.5 x -0.147765 = -0.0738825: halfway, so seven
    assert output_delta_places(net.weights[1], grads.deltas[1], decimals=6) == 7
    assert output_delta_places(np.array([[0.5]]), np.array([0.12347]), decimals=4) == 5
    with pytest.raises(ValueError, match="up to 4"):  # 0.5 x 0.1235 = 0.06175: halfway
        output_delta_places(np.array([[0.5]]), np.array([0.12345]), decimals=4, most=4)
