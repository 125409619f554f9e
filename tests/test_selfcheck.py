"""backprop.selfcheck: right functions pass, and each kind of mistake gets its own sentence."""

from __future__ import annotations

import numpy as np

from backprop.selfcheck import (
    CASES,
    check_backward,
    check_deltas,
    check_forward,
    check_numerical_gradient,
)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def forward(X, W1, b1, W2, b2):
    O1 = sigmoid(X @ W1.T + b1)
    return O1, sigmoid(O1 @ W2.T + b2)


def deltas(O1, O2, T, W2):
    D2 = O2 * (1 - O2) * (T - O2)
    return O1 * (1 - O1) * (D2 @ W2), D2


def backward(X, T, W1, b1, W2, b2):
    O1, O2 = forward(X, W1, b1, W2, b2)
    D1, D2 = deltas(O1, O2, T, W2)
    return -D1.T @ X, -D1.sum(axis=0), -D2.T @ O1, -D2.sum(axis=0)


def numerical_gradient(f, w, h=1e-5):
    gradient = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        keep = w[index]
        w[index] = keep + h
        up = f(w)
        w[index] = keep - h
        down = f(w)
        w[index] = keep
        gradient[index] = (up - down) / (2 * h)
    return gradient


def test_right_functions_pass_every_case():
    for report in (check_forward(forward), check_deltas(deltas), check_backward(backward),
                   check_numerical_gradient(numerical_gradient)):
        assert report.passed, report.message
        assert report.message.endswith(f"right on all {CASES} cases.")
        assert report._repr_markdown_().startswith("\N{CHECK MARK}")


def test_a_wrong_entry_is_named_with_the_expected_and_the_actual_value():
    def no_bias(X, W1, b1, W2, b2):
        return forward(X, W1, 0 * b1, W2, b2)

    report = check_forward(no_bias)
    assert not report.passed
    assert report.message.startswith("forward: case 1, O1 (hidden outputs), entry [0, ")
    assert "expected" in report.message and ", got " in report.message


def test_a_transposed_array_is_named_by_its_shapes():
    def transposed(X, T, W1, b1, W2, b2):
        dW1, db1, dW2, db2 = backward(X, T, W1, b1, W2, b2)
        return dW1.T, db1, dW2, db2

    rng_cases = [check_backward(transposed, seed=s) for s in range(3)]
    assert any("dW1: shape (" in r.message and "expected, got" in r.message for r in rng_cases)


def test_the_sign_of_the_gradient_is_checked():
    def ascent(X, T, W1, b1, W2, b2):
        return tuple(-g for g in backward(X, T, W1, b1, W2, b2))

    report = check_backward(ascent)
    assert not report.passed and "dW1" in report.message


def test_unwritten_raising_and_malformed_functions_get_a_sentence():
    def unwritten(*args):
        raise NotImplementedError

    def crashes(O1, O2, T, W2):
        return O1 @ O2  # shapes do not match

    assert check_deltas(unwritten).message == ("deltas: not written yet (it raises "
                                               "NotImplementedError).")
    crash = check_deltas(crashes).message
    assert crash.startswith("deltas: case 1 raised ValueError:") and "shapes" in crash
    assert "should return 2 arrays" in check_forward(lambda *a: a[0]).message
    assert "not an array of numbers" in check_forward(lambda *a: ("x", {1: 2})).message
    assert check_forward(42).message == "forward: expected a function, got int."
    assert check_numerical_gradient(None).message.startswith("numerical_gradient: expected")


def test_a_gradient_check_that_changes_w_is_told_so():
    def forgets_to_restore(f, w, h=1e-5):
        gradient = np.zeros_like(w)
        for index in np.ndindex(w.shape):
            w[index] += h
            up = f(w)
            w[index] -= 2 * h
            gradient[index] = (up - f(w)) / (2 * h)
        return gradient

    report = check_numerical_gradient(forgets_to_restore)
    assert not report.passed and "it changed w" in report.message


def test_the_cases_are_seeded():
    """The same seed gives the same cases (the same first wrong entry, to its value), another
    seed other cases: a student who reruns a check sees the same message."""
    def no_bias(X, W1, b1, W2, b2):
        return forward(X, W1, 0 * b1, W2, b2)

    messages = {seed: check_forward(no_bias, seed).message for seed in (0, 1, 2)}
    assert all(check_forward(no_bias, seed).message == message
               for seed, message in messages.items())
    assert len(set(messages.values())) == 3, messages
    assert all(check_forward(forward, seed).passed for seed in messages)
