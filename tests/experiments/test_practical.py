"""Tests of backprop.experiments.practical: the computations behind chapter 9."""

from __future__ import annotations

import math

import numpy as np
import pytest

import backprop
from backprop.experiments import practical as ex

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
