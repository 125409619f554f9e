"""The network's update rules and the training loop."""

import warnings

import numpy as np
import pytest

from backprop import Network, sigmoid, train
from backprop.activations import ACTIVATIONS
from backprop.lecture import worked_3_2_1


def xor_data():
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return x, np.array([[0.0], [1.0], [1.0], [0.0]])


def test_sigmoid_is_stable_at_large_net_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = sigmoid(np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0]))
    assert values[0] == 0.0 and values[-1] == 1.0 and values[2] == 0.5
    assert values[1] == pytest.approx(np.exp(-40.0), rel=1e-12)  # no cancellation near 0


def test_sigmoid_takes_plain_numbers_and_large_arrays_alike():
    assert sigmoid(0.5) == pytest.approx(0.6224593312018546, rel=1e-15)
    nets = np.linspace(-800, 800, 40001)  # large enough for the in-place NumPy path
    np.testing.assert_allclose(sigmoid(nets), [sigmoid(float(v)) for v in nets], rtol=1e-14)


def test_softmax_is_stable_and_sums_to_one():
    out = ACTIVATIONS["softmax"].forward(np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]]))
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out.sum(axis=1), 1.0)


def test_train_step_follows_mitchells_rule_with_every_delta_from_the_old_weights():
    example = worked_3_2_1()
    net = example.network
    old = net.copy()
    grads = old.backward(old.forward(example.x), example.t)
    net.train_step(example.x, example.t, example.eta)
    for layer in range(2):
        # w <- w + eta delta x is w <- w - eta dE/dw: the same rule.
        np.testing.assert_allclose(
            net.weights[layer], old.weights[layer] - example.eta * grads.weights[layer]
        )
        np.testing.assert_allclose(
            net.biases[layer], old.biases[layer] - example.eta * grads.biases[layer]
        )


def test_apply_gradients_is_the_same_update():
    example = worked_3_2_1()
    a, b = example.network, example.network.copy()
    a.train_step(example.x, example.t, 0.9)
    b.apply_gradients(b.backward(b.forward(example.x), example.t), 0.9)
    for wa, wb in zip(a.weights, b.weights):
        np.testing.assert_array_equal(wa, wb)


def test_stochastic_epoch_is_one_train_step_per_example_in_order():
    x, t = xor_data()
    rng = np.random.default_rng(0)
    a = Network.initialise([2, 3, 1], "sigmoid", rng)
    b = a.copy()
    history = train(a, x, t, eta=0.5, epochs=1)
    errors = [b.train_step(x_d, t_d, 0.5) for x_d, t_d in zip(x, t)]
    assert history.loss == [pytest.approx(sum(errors), rel=1e-15)]
    for wa, wb in zip(a.weights, b.weights):
        np.testing.assert_array_equal(wa, wb)


def test_batch_epoch_is_one_step_with_the_summed_gradient():
    x, t = xor_data()
    a = Network.initialise([2, 3, 1], "tanh", np.random.default_rng(1))
    b = a.copy()
    grads = b.backward(b.forward(x), t)
    error = b.error(x, t)
    history = train(a, x, t, eta=0.3, epochs=1, method="batch")
    assert history.loss == [pytest.approx(error)]
    for layer in range(2):
        np.testing.assert_allclose(a.weights[layer], b.weights[layer] - 0.3 * grads.weights[layer])


def test_minibatches_cover_every_example_once_per_epoch():
    x, t = xor_data()
    a = Network.initialise([2, 3, 1], "sigmoid", np.random.default_rng(2))
    b = a.copy()
    train(a, x, t, eta=0.5, epochs=1, method="minibatch", batch_size=3)
    b.train_step(x[:3], t[:3], 0.5)
    b.train_step(x[3:], t[3:], 0.5)
    for wa, wb in zip(a.weights, b.weights):
        np.testing.assert_allclose(wa, wb)


def test_training_is_deterministic_given_the_seed():
    x, t = xor_data()
    runs = []
    for _ in range(2):
        net = Network.initialise([2, 3, 1], "sigmoid", np.random.default_rng(7))
        history = train(net, x, t, eta=0.5, epochs=20, rng=np.random.default_rng(8))
        runs.append((history.loss, [w.copy() for w in net.weights]))
    assert runs[0][0] == runs[1][0]
    for wa, wb in zip(runs[0][1], runs[1][1]):
        np.testing.assert_array_equal(wa, wb)


def test_xor_is_learned():
    x, t = xor_data()
    net = Network.initialise([2, 3, 1], "sigmoid", np.random.default_rng(0), scheme="xavier")
    train(net, x, t, eta=2.0, epochs=2000)
    np.testing.assert_array_equal(np.round(net.predict(x)), t)


def test_error_threshold_stops_training():
    x, t = xor_data()
    net = Network.initialise([2, 3, 1], "sigmoid", np.random.default_rng(0), scheme="xavier")
    history = train(net, x, t, eta=2.0, epochs=5000, error_threshold=0.05)
    assert history.stopped_because == "error_threshold"
    assert history.loss[-1] < 0.05 <= min(history.loss[:-1])
    assert history.epochs < 5000


def test_validation_patience_stops_and_remembers_the_best_epoch():
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, (12, 1))
    t = np.sin(3 * x) + rng.normal(0, 0.3, x.shape)  # noisy: the network will overfit
    xv = rng.uniform(-1, 1, (50, 1))
    tv = np.sin(3 * xv)
    net = Network.initialise([1, 30, 1], ["tanh", "linear"], rng, scheme="xavier")
    history = train(net, x, t, eta=0.05, epochs=5000, validation=(xv, tv), patience=50)
    assert history.stopped_because == "patience"
    assert len(history.validation_loss) == history.epochs
    best = history.best_epoch
    assert history.validation_loss[best - 1] == min(history.validation_loss)
    assert history.epochs == best + 50


def test_fixed_epochs_is_the_default_stop():
    x, t = xor_data()
    net = Network.initialise([2, 2, 1], "sigmoid", np.random.default_rng(0))
    history = train(net, x, t, eta=0.1, epochs=7)
    assert history.stopped_because == "epochs" and history.epochs == 7


def test_momentum_accelerates_a_slow_run():
    x, t = xor_data()
    plain = Network.initialise([2, 3, 1], "sigmoid", np.random.default_rng(5), scheme="xavier")
    heavy = plain.copy()
    slow = train(plain, x, t, eta=0.2, epochs=400)
    fast = train(heavy, x, t, eta=0.2, epochs=400, momentum=0.9)
    assert fast.loss[-1] < slow.loss[-1] / 2


def test_momentum_zero_velocity_first_step_equals_plain_step():
    x, t = xor_data()
    a = Network.initialise([2, 3, 1], "sigmoid", np.random.default_rng(5))
    b = a.copy()
    train(a, x[:1], t[:1], eta=0.2, epochs=1, momentum=0.5)
    b.train_step(x[0], t[0], 0.2)
    for wa, wb in zip(a.weights, b.weights):
        np.testing.assert_allclose(wa, wb, rtol=1e-14)


def test_progress_bar_is_off_by_default(capsys):
    x, t = xor_data()
    net = Network.initialise([2, 2, 1], "sigmoid", np.random.default_rng(0))
    train(net, x, t, eta=0.1, epochs=3)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_progress_bar_when_asked(capsys):
    x, t = xor_data()
    net = Network.initialise([2, 2, 1], "sigmoid", np.random.default_rng(0))
    train(net, x, t, eta=0.1, epochs=3, progress=True)
    assert "3/3" in capsys.readouterr().err


@pytest.mark.parametrize("scheme", ["lecture", "xavier", "he"])
def test_initialisation_schemes(scheme):
    rng = np.random.default_rng(0)
    net = Network.initialise([64, 32, 10], "sigmoid", rng, scheme=scheme)
    w = net.weights[0]
    if scheme == "lecture":
        assert np.abs(w).max() <= 0.05 and np.abs(net.biases[0]).max() <= 0.05
    elif scheme == "xavier":
        assert np.abs(w).max() <= np.sqrt(6 / 96) and not net.biases[0].any()
    else:
        assert w.std() == pytest.approx(np.sqrt(2 / 64), rel=0.05)
    again = Network.initialise([64, 32, 10], "sigmoid", np.random.default_rng(0), scheme=scheme)
    np.testing.assert_array_equal(again.weights[0], w)
