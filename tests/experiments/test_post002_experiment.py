"""Tests of backprop.experiments.post002: the computations behind chapter 12."""

from __future__ import annotations

import math

import numpy as np
import pytest

import backprop
from backprop.experiments import post002 as ex
from backprop.lecture import post002_network, post002_target

# ------------------------------------------------------------------------- post 002


def test_post002_training_reaches_the_target():
    run = ex.train_post002()
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


# ------------------------------------------------------- does the mistake matter? (ch. 12)


@pytest.mark.parametrize("rule", ["engine", "printed"])
def test_training_to_convergence_is_train_post002_run_longer(rule):
    converged = ex.train_post002_to_convergence(0.2, seed=1, rule=rule, block=10,
                                                tolerance=0.0, max_epochs=30)
    reference = ex.train_post002(eta=0.2, epochs=converged.epochs, seed=1, rule=rule)
    assert converged.run.history.loss == reference.history.loss
    for got, want in zip(converged.run.network.weights + converged.run.network.biases,
                         reference.network.weights + reference.network.biases, strict=True):
        np.testing.assert_array_equal(got, want)
    assert converged.run.test_mse == reference.test_mse


def test_training_stops_after_the_first_block_that_does_not_improve_enough():
    c = ex.train_post002_to_convergence(0.2, seed=0, block=50, tolerance=0.05, max_epochs=3000)
    assert c.converged and c.epochs % 50 == 0 and c.epochs < 3000
    means = np.asarray(c.run.history.loss).reshape(-1, 50).mean(axis=1)
    assert means[-1] > 0.95 * means[-2]                 # the last block did not improve enough
    assert np.all(means[1:-1] <= 0.95 * means[:-2])     # every block before it did
    capped = ex.train_post002_to_convergence(0.2, seed=0, block=50, max_epochs=100)
    assert not capped.converged and capped.epochs == 100


def test_correct_backprop_beats_the_printed_rules_at_convergence():
    # Chapter 12's claim, on its worst seed for the printed rules.
    correct = ex.train_post002_to_convergence(0.2, seed=3, rule="engine")
    printed = ex.train_post002_to_convergence(0.2, seed=3, rule="printed")
    assert correct.converged and printed.converged
    assert printed.run.test_mse > 100 * correct.run.test_mse
    np.testing.assert_allclose(correct.plane, [2.0, 3.0, 10.0], atol=0.05)
    assert printed.plane_rms > 10 * correct.plane_rms


def test_plane_fit_of_an_exact_plane():
    # A linear 2-1 network computing 2 x1 + 3 x2 + 10 exactly.
    net = backprop.Network.from_weights([np.array([[2.0, 3.0]])], [np.array([10.0])],
                                        ["linear"])
    plane, rms = ex.plane_fit(net)
    np.testing.assert_allclose(plane, [2.0, 3.0, 10.0], atol=1e-12)
    assert rms < 1e-12
    shifted = backprop.Network.from_weights([np.array([[2.0, 3.0]])], [np.array([10.5])],
                                            ["linear"])
    assert ex.plane_fit(shifted)[1] == pytest.approx(0.5)


def test_eta_sweep_reports_divergence_as_nan_and_prefers_a_middle_rate():
    rows = ex.post002_eta_sweep((0.05, 0.2, 10.0), epochs=300, seed=0)  # as chapter 12
    assert [eta for eta, _ in rows] == [0.05, 0.2, 10.0]
    assert math.isnan(rows[2][1])
    assert rows[1][1] < rows[0][1]
    with pytest.raises(ValueError, match="rule must be"):
        ex.train_post002_to_convergence(0.2, rule="other")


def test_the_printed_rules_on_floats_are_the_array_rules():
    """Post 002's network trains with the printed rules on floats (fast); the arrays of
    _printed_rule are the reference, and both give the same losses and weights."""
    def start():
        rng = np.random.default_rng(3)
        net = post002_network(rng, "sigmoid")
        x = rng.uniform(0.0, 1.0, (50, 2))
        return net, x, post002_target(x), rng

    net, x, t, rng = start()
    floats = ex._train_printed(net, x, t, 0.2, 20, rng)
    reference, x, t, rng = start()
    losses = []
    for _ in range(20):
        order = rng.permutation(len(x))
        error = 0.0
        for x_row, t_row in zip(x[order], t[order]):
            trace = reference.forward(x_row)
            error += reference.loss_function.value(trace.outputs[-1], t_row)
            grads = ex._printed_rule(reference, trace, t_row)
            for param, grad in zip(reference.weights + reference.biases,
                                   grads.weights + grads.biases):
                param -= 0.2 * grad
        losses.append(error)
    np.testing.assert_allclose(floats.loss, losses, rtol=1e-12)
    for ours, theirs in zip(net.weights + net.biases, reference.weights + reference.biases):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14)


# ------------------------------------------------------- chapter 12's tables (post002_figures)
def test_eta_sweep_table_writes_the_rates_as_given_and_names_the_averaged_epochs():
    from backprop.experiments import post002_figures

    sweep = [(0.05, 0.0025), (0.1, 0.0027), (0.5, 0.003), (1.0, 1.137)]
    rows = post002_figures.eta_sweep_table(sweep, 300).splitlines()
    assert [row.split(" | ")[0] for row in rows[2:]] == ["| 0.05", "| 0.1", "| 0.5", "| 1"]
    assert [row.split(" | ")[1] for row in rows[2:]] == [
        "0.002500 |", "0.002700 |", "0.003000 |", "1.137000 |"]   # errors: six places
    # the header names the epochs the sweep averages: its last tenth, at least one
    assert "last 30 of 300 epochs" in rows[0] and ex.sweep_tail_epochs(300) == 30
    assert "last 1 of 5 epochs" in post002_figures.eta_sweep_table(sweep, 5)


def test_sweep_averages_the_epochs_its_table_names():
    run = ex.train_post002(eta=0.2, epochs=20, seed=1)
    ((_, error),) = ex.post002_eta_sweep((0.2,), epochs=20, seed=1)
    tail = ex.sweep_tail_epochs(20)
    assert tail == 2
    assert error == pytest.approx(np.mean(run.history.loss[-tail:]) / len(run.x_train), rel=1e-12)


def test_parameter_table_writes_the_start_as_given():
    from backprop.experiments import post002_figures

    start = post002_network(np.random.default_rng(0), "sigmoid")
    trained = start.copy()
    trained.biases[0][...] = [0.25, -1.0]
    table = post002_figures.parameter_table(start, trained)
    assert "| $b^{(1)}_{1}$ | 0 | 0.2500 |" in table       # a zero start bias reads 0
    assert "| $b^{(1)}_{2}$ | 0 | -1.0000 |" in table      # a trained value keeps its places
    w = start.weights[0][0, 0]
    assert f"| $w^{{(1)}}_{{11}}$ | {w:.4f} |" in table     # a drawn weight: four places


def test_seed_table_one_row_per_seed_at_five_places():
    from backprop.experiments import post002_figures

    held_out = {(0, "engine"): 0.0064507, (0, "printed"): 0.00189,
                (3, "engine"): 0.00427, (3, "printed"): 0.365449}
    rows = post002_figures.seed_table(held_out, (0, 3)).splitlines()
    assert rows[2:] == ["| 0 | 0.00645 | 0.00189 |", "| 3 | 0.00427 | 0.36545 |"]
