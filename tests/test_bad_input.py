"""Bad input gets a clear error naming the problem, never a silent wrong number."""

import math

import numpy as np
import pytest

from backprop import Network, TrainingDiverged, gradient_check, train, worked_solution
from backprop.lecture import worked_3_2_1


def lecture_net() -> Network:
    return worked_3_2_1().network


def test_input_of_the_wrong_shape_names_expected_and_got():
    with pytest.raises(ValueError, match=r"x has shape \(2,\); expected \(3,\) or \(m, 3\)"):
        lecture_net().forward([1.0, 0.0])


def test_batch_of_the_wrong_width():
    with pytest.raises(ValueError, match=r"shape \(4, 2\); expected \(3,\) or \(m, 3\)"):
        lecture_net().forward(np.zeros((4, 2)))


def test_target_of_the_wrong_shape():
    net = lecture_net()
    with pytest.raises(ValueError, match=r"target t has shape \(2,\); expected \(1,\)"):
        net.backward(net.forward([1, 0, 1]), [1.0, 0.0])
    with pytest.raises(ValueError, match=r"target t has shape \(2,\); expected \(1,\)"):
        net.train_step([1, 0, 1], [1.0, 0.0], 0.1)


def test_weight_matrices_that_do_not_chain():
    with pytest.raises(ValueError, match=r"weights\[1\] \(layer 2\) has shape \(1, 3\).*layer 1 "
                                         r"has 2 units; expected shape \(1, 2\)"):
        Network.from_weights([np.zeros((2, 3)), np.zeros((1, 3))], [np.zeros(2), np.zeros(1)],
                             ["sigmoid", "sigmoid"])


def test_bias_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"layer 1: biases\[0\] must have shape \(2,\) .* got "
                                         r"shape \(3,\)"):
        Network.from_weights([np.zeros((2, 3))], [np.zeros(3)], ["sigmoid"])


def test_weight_that_is_not_a_matrix():
    with pytest.raises(ValueError, match=r"weights\[0\] \(layer 1\) must be a matrix .* got shape "
                                         r"\(3,\)"):
        Network.from_weights([np.zeros(3)], [np.zeros(1)], ["sigmoid"])


def test_lists_of_different_lengths():
    with pytest.raises(ValueError, match="2 weight matrices, 1 bias vectors and 2 activations"):
        Network.from_weights([np.zeros((2, 3)), np.zeros((1, 2))], [np.zeros(2)],
                             ["sigmoid", "sigmoid"])


def test_unknown_activation_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown activation 'sigmoidal'; known activations: "
                                         r"linear, relu, sigmoid, softmax, tanh"):
        Network.from_weights([np.zeros((1, 1))], [np.zeros(1)], ["sigmoidal"])


def test_unknown_loss_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown loss 'mse'; known losses: cross_entropy, "
                                         "mean_squared, squared"):
        Network.from_weights([np.zeros((1, 1))], [np.zeros(1)], ["sigmoid"], loss="mse")


def test_cross_entropy_needs_softmax():
    with pytest.raises(ValueError, match="cross_entropy loss needs a softmax output layer"):
        Network.from_weights([np.zeros((2, 1))], [np.zeros(2)], ["sigmoid"], loss="cross_entropy")


def test_softmax_only_in_the_output_layer():
    with pytest.raises(ValueError, match="'softmax' is only supported in the output layer"):
        Network.from_weights([np.zeros((2, 1)), np.zeros((1, 2))], [np.zeros(2), np.zeros(1)],
                             ["softmax", "linear"])


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_weights(bad):
    weights = [np.zeros((2, 3)), np.zeros((1, 2))]
    weights[1][0, 1] = bad
    with pytest.raises(ValueError, match=r"weights\[1\] \(layer 2\) must be finite, got .* at "
                                         r"index \(0, 1\)"):
        Network.from_weights(weights, [np.zeros(2), np.zeros(1)], ["sigmoid", "sigmoid"])


def test_non_finite_bias():
    with pytest.raises(ValueError, match=r"biases\[0\] \(layer 1\) must be finite, got non-finite "
                                         r"nan at index \(0,\)"):
        Network.from_weights([np.zeros((1, 1))], [[math.nan]], ["sigmoid"])


def test_non_finite_input():
    with pytest.raises(ValueError, match=r"x must be finite, got .*nan.* at index \(1,\)"):
        lecture_net().forward([1.0, math.nan, 1.0])


def test_non_finite_target():
    with pytest.raises(ValueError, match=r"t must be finite, got .*inf"):
        lecture_net().train_step([1, 0, 1], [math.inf], 0.1)


def test_non_numeric_input():
    with pytest.raises(TypeError, match="x must be numeric"):
        lecture_net().forward(["a", "b", "c"])


@pytest.mark.parametrize("eta", [0.0, -0.1, math.nan, math.inf])
def test_learning_rate_must_be_positive_and_finite(eta):
    with pytest.raises(ValueError, match=r"learning rate eta must be finite and > 0, got"):
        lecture_net().train_step([1, 0, 1], [1.0], eta)


def test_learning_rate_must_be_a_number():
    with pytest.raises(TypeError, match="learning rate eta must be a real number, got str"):
        lecture_net().train_step([1, 0, 1], [1.0], "0.1")


def test_training_divergence_names_the_epoch_and_suggests_smaller_eta():
    rng = np.random.default_rng(0)
    net = Network.initialise([2, 8, 1], ["relu", "linear"], rng, scheme="he")
    x = rng.uniform(-1, 1, (20, 2))
    t = 100 * x[:, :1]
    with pytest.raises(TrainingDiverged, match=r"diverged at epoch \d+.*smaller learning rate "
                                               r"than eta=5.0") as raised:
        train(net, x, t, eta=5.0, epochs=200)
    # The run so far travels with the error: every finite epoch, none after.
    assert raised.value.epoch == len(raised.value.history.loss) + 1
    assert raised.value.history.stopped_because == "diverged"
    assert all(math.isfinite(e) for e in raised.value.history.loss)


def test_training_data_shapes_are_checked():
    net = lecture_net()
    with pytest.raises(ValueError, match=r"training targets have shape \(3, 2\); expected "
                                         r"\(3, 1\)"):
        train(net, np.zeros((3, 3)), np.zeros((3, 2)), eta=0.1, epochs=1)


def test_training_options_are_checked():
    net, x, t = lecture_net(), np.zeros((2, 3)), np.zeros((2, 1))
    with pytest.raises(ValueError, match="unknown method 'sgd'; known methods: stochastic, "
                                         "minibatch, batch"):
        train(net, x, t, eta=0.1, epochs=1, method="sgd")
    with pytest.raises(ValueError, match="epochs must be a positive integer, got 0"):
        train(net, x, t, eta=0.1, epochs=0)
    with pytest.raises(ValueError, match="patience needs validation data"):
        train(net, x, t, eta=0.1, epochs=1, patience=3)
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\), got 1.5"):
        train(net, x, t, eta=0.1, epochs=1, momentum=1.5)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator or None"):
        train(net, x, t, eta=0.1, epochs=1, rng=42)


def test_initialise_needs_a_generator():
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator, e.g. "
                                        r"numpy.random.default_rng\(0\); got int"):
        Network.initialise([2, 2, 1], "sigmoid", 0)


def test_initialise_checks_sizes_and_scheme():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="layer_sizes must list at least two positive integers"):
        Network.initialise([2], "sigmoid", rng)
    with pytest.raises(ValueError, match="unknown initialisation scheme 'glorot'; known schemes: "
                                         "lecture, xavier, he"):
        Network.initialise([2, 1], "sigmoid", rng, scheme="glorot")
    with pytest.raises(ValueError, match="got 1 activations for 2 layers"):
        Network.initialise([2, 2, 1], ["sigmoid"], rng)


def test_worked_solution_checks_its_input():
    example = worked_3_2_1()
    with pytest.raises(ValueError, match=r"writes out one example; x has shape \(2, 3\)"):
        worked_solution(example.network, np.zeros((2, 3)), np.zeros((2, 1)), 0.5)
    with pytest.raises(ValueError, match="decimals must be an integer from 1 to 12"):
        worked_solution(example.network, example.x, example.t, 0.5, decimals=0)
    with pytest.raises(ValueError, match=r"unit_labels has layer sizes \[3, 2\]"):
        worked_solution(example.network, example.x, example.t, 0.5,
                        unit_labels=[["1", "2", "3"], ["4", "5"]])


def test_gradient_check_rejects_a_bad_step():
    example = worked_3_2_1()
    with pytest.raises(ValueError, match="step must be a float in"):
        gradient_check(example.network, example.x, example.t, step=2.0)
