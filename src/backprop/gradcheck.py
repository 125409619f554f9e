"""Gradient checking: the backward pass against an independent numerical derivative.

Chapter 12 (deeper networks) uses it to expose the faulty update rules of
post 002; the test suite uses it on random networks of every shape.

The numerical derivative perturbs one parameter at a time and differentiates the
loss by the fourth-order central difference

.. math::
    \\frac{\\partial E}{\\partial w} \\approx
    \\frac{-E(w + 2h) + 8E(w + h) - 8E(w - h) + E(w - 2h)}{12h},

whose truncation error is O(h^4), so a step of h = 1e-3 leaves an error near 1e-13,
far below the two-point formula's 1e-7 at its best step.
"""

from __future__ import annotations

import numpy as np

from backprop.network import Network

__all__ = ["gradient_check", "numerical_gradients", "relative_errors"]


def numerical_gradients(net: Network, x, t, step: float = 1e-3):
    """dE/dW and dE/db by central differences of ``net.error(x, t)``.

    Parameters
    ----------
    net : Network
        Left unchanged (each perturbed parameter is restored exactly).
    x : array-like, shape (n_in,) or (m, n_in)
    t : array-like, shape (n_out,) or (m, n_out)
    step : float
        The perturbation h.

    Returns
    -------
    (list of ndarray, list of ndarray)
        Gradients with the shapes of ``net.weights`` and ``net.biases``.
    """
    if not (isinstance(step, float) and 0.0 < step < 1.0):
        raise ValueError(f"step must be a float in (0, 1), got {step!r}")
    net.forward(x)  # validates x once, with a clear message
    grads = []
    for params in (net.weights, net.biases):
        layer_grads = []
        for array in params:
            grad = np.empty_like(array)
            for index in np.ndindex(array.shape):
                original = array[index]
                values = []
                for offset in (2.0, 1.0, -1.0, -2.0):
                    array[index] = original + offset * step
                    values.append(net.error(x, t))
                array[index] = original
                far_up, up, down, far_down = values
                grad[index] = (-far_up + 8.0 * up - 8.0 * down + far_down) / (12.0 * step)
            layer_grads.append(grad)
        grads.append(layer_grads)
    return grads[0], grads[1]


def relative_errors(analytic: np.ndarray, numeric: np.ndarray, floor: float = 1e-5) -> np.ndarray:
    """Element-wise :math:`|a - n| / \\max(|a| + |n|, \\text{floor})`.

    The floor keeps parameters whose gradient is (nearly) zero, such as the weights
    of a dead ReLU unit, from dividing rounding noise by zero: the numerical
    derivative carries about 1e-13 of rounding noise, so below 1e-5 a relative error
    means nothing and the error is measured on the scale of ``floor`` instead.
    """
    analytic, numeric = np.asarray(analytic), np.asarray(numeric)
    return np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), floor)


def gradient_check(net: Network, x, t, step: float = 1e-3, floor: float = 1e-5) -> float:
    """Maximum relative error between backprop's gradients and numerical ones.

    Values below about 1e-7 mean the backward pass is right; a wrong rule (a
    missing downstream term, a weight paired with the wrong delta) gives errors
    of order 1e-2 to 1.

    Parameters
    ----------
    net : Network
    x : array-like, shape (n_in,) or (m, n_in)
    t : array-like, shape (n_out,) or (m, n_out)
    step, floor : float
        See :func:`numerical_gradients` and :func:`relative_errors`.

    Returns
    -------
    float
        The largest relative error over every weight and bias.
    """
    analytic = net.backward(net.forward(x), t)
    numeric_w, numeric_b = numerical_gradients(net, x, t, step)
    pairs = zip(
        analytic.weights + analytic.biases, numeric_w + numeric_b, strict=True
    )
    return max(float(relative_errors(a, n, floor).max()) for a, n in pairs)
