"""Tests of backprop.experiments: the computations behind chapters 9 and 12."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

import backprop
from backprop import experiments as ex
from backprop.lecture import post002_network, post002_target

# ------------------------------------------------------------------ section 9.2 table


def test_learning_rate_step_table_matches_lecture():
    rows = ex.learning_rate_step_table(0.5, 0.2, 0.8, (0.01, 0.1, 1.0))
    assert [r.eta for r in rows] == [0.01, 0.1, 1.0]
    np.testing.assert_allclose([r.delta_w for r in rows], [0.0016, 0.016, 0.16], rtol=1e-12)
    np.testing.assert_allclose([r.w_new for r in rows], [0.5016, 0.516, 0.66], rtol=1e-12)


# ----------------------------------------------------------- learning-rate curves


def test_learning_rate_curves_small_slow_large_diverges():
    small, medium, oscillating, large = ex.learning_rate_curves((0.05, 0.5, 1.5, 3.0))
    assert small.diverged_at_epoch is None and medium.diverged_at_epoch is None
    assert small.final_loss > medium.final_loss  # too small learns more slowly
    assert small.n_increases == 0 and medium.n_increases == 0
    assert oscillating.diverged_at_epoch is None and oscillating.n_increases > 0
    assert large.diverged and large.diverged_at_epoch < 20
    assert len(large.loss) == large.diverged_at_epoch
    for curve in (small, medium, oscillating, large):
        assert np.all(np.isfinite(curve.loss))


@pytest.mark.parametrize("eta", [5.0, 10.0, 50.0])
def test_learning_rate_curves_extreme_eta_is_data_not_traceback(eta):
    (curve,) = ex.learning_rate_curves((eta,), epochs=300)
    assert curve.diverged
    assert np.all(np.isfinite(curve.loss))


def test_training_diverged_is_caught_and_replayed():
    # divergence_factor=inf leaves only the engine's TrainingDiverged to flag the run.
    (curve,) = ex.learning_rate_curves((10.0,), epochs=300, divergence_factor=math.inf)
    assert curve.diverged_at_epoch is not None and curve.diverged_at_epoch > 1
    assert len(curve.loss) == curve.diverged_at_epoch - 1
    assert np.all(np.isfinite(curve.loss))


def test_learning_rate_curves_are_deterministic_and_share_the_start():
    a = ex.learning_rate_curves((0.1, 0.2), epochs=20, seed=3)
    b = ex.learning_rate_curves((0.1, 0.2), epochs=20, seed=3)
    for ca, cb in zip(a, b, strict=True):
        np.testing.assert_array_equal(ca.loss, cb.loss)
    assert a[0].loss[0] == a[1].loss[0]  # the same starting network and data


def test_momentum_speeds_up_training():
    plain, heavy = ex.momentum_curves((0.0, 0.9), eta=0.1, epochs=200)
    assert plain.momentum == 0.0 and heavy.momentum == 0.9
    assert not plain.diverged and not heavy.diverged
    assert heavy.final_loss < plain.final_loss


# ------------------------------------------------------------ stopping criteria


def test_each_stopping_criterion_stops_its_run():
    runs = ex.stopping_criteria_runs(max_epochs=1000, error_threshold=0.02, patience=100)
    fixed, validation, threshold, patience = runs
    assert [r.criterion for r in runs] == [
        "fixed epochs", "validation error", "error threshold", "patience"]
    assert fixed.history.stopped_because == "epochs" and fixed.history.epochs == 1000
    assert validation.history.stopped_because == "patience"
    assert validation.history.epochs == validation.history.best_epoch + 1
    assert threshold.history.stopped_because == "error_threshold"
    assert threshold.history.loss[-1] < 0.02 <= threshold.history.loss[-2]
    assert patience.history.stopped_because == "patience"
    assert patience.history.epochs == patience.history.best_epoch + 100
    # Overfitting: after the best epoch the validation error rises while training falls.
    h = fixed.history
    assert h.validation_loss[-1] > min(h.validation_loss)
    assert h.loss[-1] < h.loss[h.best_epoch - 1]
    # The runs share their start: identical first epochs.
    assert len({r.history.loss[0] for r in runs}) == 1


# --------------------------------------------------------- symmetric initialisation


def test_symmetric_hidden_units_stay_identical_random_ones_do_not():
    symmetric, random = ex.symmetric_initialisation_demo(epochs=300)
    assert symmetric.spread.shape == (301,) and symmetric.loss.shape == (300,)
    assert np.max(symmetric.spread) <= 1e-12
    assert random.spread[-1] > 0.5
    # One effective hidden unit cannot fit XOR; three different ones can.
    assert random.loss[-1] < 0.05 < symmetric.loss[-1]


@pytest.mark.parametrize("weight", [-50.0, 50.0, 0.0])
def test_symmetric_demo_extreme_weights_are_finite(weight):
    symmetric, random = ex.symmetric_initialisation_demo(
        epochs=50, eta=10.0, initial_weight=weight)
    for run in (symmetric, random):
        assert np.all(np.isfinite(run.loss)) and np.all(np.isfinite(run.spread))
    assert np.max(symmetric.spread) <= 1e-12


# --------------------------------------------------------------- vanishing gradients


@pytest.mark.parametrize("seed", range(5))
def test_sigmoid_gradients_vanish_relu_gradients_do_not(seed):
    depth = 10
    sig = ex.gradient_norms_by_layer(depth, "sigmoid", width=16, seed=seed)
    relu = ex.gradient_norms_by_layer(depth, "relu", width=16, seed=seed)
    assert sig.norms.shape == (depth + 1,) and sig.scheme == "xavier" and relu.scheme == "he"
    # First hidden layer against the last hidden layer.
    assert sig.norms[0] / sig.norms[depth - 1] < 1e-3
    assert 0.1 < relu.norms[0] / relu.norms[depth - 1] < 10.0
    np.testing.assert_array_equal(sig.layers, np.arange(1, depth + 2))


def test_gradient_norms_agree_with_numerical_gradients():
    # The engine's backward pass is what the norms report; check a shallow case.
    result = ex.gradient_norms_by_layer(2, "tanh", width=3, seed=0, batch_size=4)
    rng = np.random.default_rng(0)
    net = backprop.Network.initialise([3, 3, 3, 1], ["tanh", "tanh", "linear"], rng,
                                      scheme="xavier", loss="mean_squared")
    x, t = rng.normal(size=(4, 3)), rng.normal(size=(4, 1))
    numeric_w, _ = backprop.numerical_gradients(net, x, t)
    np.testing.assert_allclose(result.norms, [np.linalg.norm(g) for g in numeric_w],
                               rtol=1e-8)


# ------------------------------------------------------------------------- post 002


def test_post002_training_reaches_target_quickly():
    start = time.perf_counter()
    run = ex.train_post002()
    assert time.perf_counter() - start < 10.0
    assert run.diverged_at_epoch is None
    assert run.test_mse < 0.05
    assert run.history.loss[-1] < run.history.loss[0] / 100
    np.testing.assert_allclose(run.t_test, post002_target(run.x_test))
    assert np.all((run.x_test >= 0) & (run.x_test <= 1))
    # Independent held-out error from the engine's prediction.
    mse = np.mean((run.network.predict(run.x_test) - run.t_test) ** 2)
    assert run.test_mse == pytest.approx(mse)


def test_post002_large_eta_reports_divergence():
    run = ex.train_post002(eta=10.0, epochs=20)
    assert run.diverged_at_epoch is not None and math.isnan(run.test_mse)


def test_post002_too_large_eta_fails_but_stays_finite():
    run = ex.train_post002(eta=2.0, epochs=20)
    assert run.diverged_at_epoch is None
    assert math.isfinite(run.test_mse) and run.test_mse > 0.05


AGREE = {"w_{11}^{(3)}", "w_{12}^{(3)}", "b_1^{(3)}",
         "w_{11}^{(2)}", "w_{22}^{(2)}", "b_1^{(2)}", "b_2^{(2)}"}


def _random_case(seed, batch):
    rng = np.random.default_rng(seed)
    net = post002_network(rng)
    for w in net.weights:  # larger weights so every fault shows clearly
        w *= 2.0
    x = rng.uniform(-1, 1, size=(batch, 2) if batch else 2)
    t = post002_target(x) if batch else post002_target(x[np.newaxis])[0]
    return net, x, t


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("batch", [0, 5])
def test_post002_printed_rules_wrong_exactly_where_readme_says(seed, batch):
    net, x, t = _random_case(seed, batch)
    rows = ex.post002_rule_comparison(net, x, t)
    assert len(rows) == net.n_parameters == 15
    wrong = {r.name for r in rows if r.verdict == "wrong"}
    right = {r.name for r in rows if r.verdict == "correct"}
    assert wrong == ex.POST002_DISAGREE
    assert right == AGREE
    for r in rows:
        assert r.engine_relative_error < 1e-7  # the engine agrees with the numbers
        if r.name in AGREE:
            assert r.relative_error < 1e-7
            assert r.printed == pytest.approx(r.correct, rel=1e-12, abs=1e-14)
        else:
            assert r.relative_error > 1e-3


def test_post002_printed_rules_formulas():
    net, x, t = _random_case(7, 0)
    g = ex.post002_printed_rule_gradients(net, x, t)
    correct = net.backward(net.forward(x), t)
    d1, d2 = g.deltas[0], g.deltas[1]
    # Layer-2 deltas are right; the pairing of w_12 and w_21 is swapped.
    np.testing.assert_allclose(d2, correct.deltas[1], rtol=1e-12)
    a1 = net.forward(x).outputs[0]
    assert g.weights[1][0, 1] == pytest.approx(-d2[1] * a1[1])  # w_12 <- delta_2 a_2
    assert g.weights[1][1, 0] == pytest.approx(-d2[0] * a1[0])  # w_21 <- delta_1 a_1
    # Layer-1 deltas keep one downstream term.
    f1 = a1 * (1 - a1)
    w2 = net.weights[1]
    assert d1[0] == pytest.approx(d2[0] * w2[0, 0] * f1[0])
    assert d1[1] == pytest.approx(d2[1] * w2[0, 1] * f1[1])
    full = (d2 @ w2) * f1
    np.testing.assert_allclose(full, correct.deltas[0], rtol=1e-12)
    assert not np.allclose(d1, full)
    # Shapes follow the engine's layout.
    for mine, theirs in zip(g.weights + g.biases, correct.weights + correct.biases,
                            strict=True):
        assert mine.shape == theirs.shape


def test_post002_delta_comparison_signs_and_faults():
    net, x, t = _random_case(1, 0)
    rows = ex.post002_delta_comparison(net, x, t)
    names = [r[0] for r in rows]
    assert names == ["\\delta_1^{(3)}", "\\delta_1^{(2)}", "\\delta_2^{(2)}",
                     "\\delta_1^{(1)}", "\\delta_2^{(1)}"]
    correct = net.backward(net.forward(x), t)
    assert rows[0][2] == pytest.approx(-correct.deltas[2][0])  # post sign: dL/dz
    for name, printed, right in rows[:3]:
        assert printed == pytest.approx(right, rel=1e-12), name
    for name, printed, right in rows[3:]:
        assert abs(printed - right) > 1e-6 * abs(right), name


@pytest.mark.parametrize("scale", [50.0, -50.0])
def test_post002_comparison_extreme_weights_finite(scale):
    net = backprop.Network.from_weights(
        [np.full((2, 2), scale), np.full((2, 2), -scale), np.full((1, 2), scale)],
        [np.zeros(2), np.zeros(2), np.zeros(1)], ["sigmoid", "sigmoid", "linear"])
    rows = ex.post002_rule_comparison(net, np.array([0.5, 0.5]), np.array([12.5]))
    for r in rows:
        assert all(math.isfinite(v) for v in (r.printed, r.correct, r.numerical,
                                               r.relative_error))


def test_post002_functions_reject_other_shapes():
    net = backprop.Network.initialise([2, 3, 1], "sigmoid", np.random.default_rng(0))
    with pytest.raises(ValueError, match="2-2-2-1"):
        ex.post002_printed_rule_gradients(net, [0.1, 0.2], [1.0])


def test_post002_printed_rules_keep_row_differences_fixed():
    run = ex.train_post002(epochs=20, rule="printed")
    assert run.diverged_at_epoch is None and math.isfinite(run.test_mse)
    assert run.history.loss[-1] < run.history.loss[0]
    for layer in (0, 1):  # both rows of W^(1) and W^(2) receive the same printed update
        before = run.initial_network.weights[layer]
        after = run.network.weights[layer]
        np.testing.assert_allclose(after[0] - after[1], before[0] - before[1], atol=1e-12)
        assert not np.allclose(after, before)
    assert ex.train_post002(eta=10.0, epochs=20, rule="printed").diverged_at_epoch is not None


def _post002_in_one_call(eta, epochs, seed):
    """Post 002's run as one call of train(), the reference for Post002Training."""
    from backprop.training import TrainingDiverged, train

    rng = np.random.default_rng(seed)
    net = post002_network(rng, "sigmoid")
    x_train = rng.uniform(0.0, 1.0, size=(50, 2))
    rng.uniform(0.0, 1.0, size=(500, 2))  # the test inputs are drawn before the shuffles
    try:
        history = train(net, x_train, post002_target(x_train), eta, epochs,
                        method="stochastic", rng=rng)
    except TrainingDiverged as error:
        return None, error.history.loss, error.epoch
    return net, history.loss, None


def test_post002_training_extends_and_looks_up_epochs_like_one_call():
    from backprop.experiments import Post002Training

    training = Post002Training(0.05, seed=4)
    for epochs in (7, 3, 12, 12, 1):  # extend, look up, extend, repeat, look up
        run = training.run(epochs)
        net, loss, _ = _post002_in_one_call(0.05, epochs, 4)
        assert run.history.loss == loss
        for got, want in zip(run.network.weights + run.network.biases,
                             net.weights + net.biases):
            np.testing.assert_array_equal(got, want)
    assert training.epochs_trained == 12


def test_post002_training_reports_the_same_divergence_as_one_call():
    from backprop.experiments import Post002Training

    _, loss, epoch = _post002_in_one_call(3.0, 30, 0)
    assert epoch is not None  # eta = 3 diverges
    training = Post002Training(3.0, seed=0)
    run = training.run(30)
    assert run.diverged_at_epoch == epoch and run.history.loss == loss
    assert np.isnan(run.test_mse) and run.history.stopped_because == "diverged"
    if epoch > 1:  # the epochs before the divergence are still there
        assert training.run(epoch - 1).diverged_at_epoch is None
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        training.run(0)
