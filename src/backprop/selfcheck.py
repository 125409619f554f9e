"""Self-checks for the coding exercises: run a student's function, name the first wrong array.

Chapter 15 (the self-test), "Write it in code", asks for four functions of a two-layer
sigmoid network in NumPy, with the book's conventions (rows are examples, ``W`` has shape
(n_out, n_in), :math:`\\delta = -\\partial E/\\partial \\mathrm{net}`,
:math:`E = \\tfrac12\\sum_d\\sum_k (t_{kd} - o_{kd})^2`):

- :func:`check_forward` - ``forward(X, W1, b1, W2, b2) -> (O1, O2)``;
- :func:`check_deltas` - ``deltas(O1, O2, T, W2) -> (D1, D2)``;
- :func:`check_backward` - ``backward(X, T, W1, b1, W2, b2) -> (dW1, db1, dW2, db2)``,
  the gradient of E, summed over the batch;
- :func:`check_numerical_gradient` - ``numerical_gradient(f, w, h) -> array``, central
  differences of a scalar function of an array.

Each check runs the function on seeded random cases (``numpy.random.default_rng(seed)``:
batches of 1 to 6 examples, 1 to 4 units per layer) and compares what it returns with the
engine (:class:`backprop.Network`), which stays the reference. The report names the first
problem: the case, which returned array, its expected and actual shape, or the first wrong
entry with the expected and the actual value; never the expected code. A function that
raises, returns the wrong number of arrays or not arrays at all gets a sentence, not a
traceback, and a function still raising ``NotImplementedError`` is "not written yet".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from backprop.network import Network

__all__ = [
    "CheckReport",
    "check_backward",
    "check_deltas",
    "check_forward",
    "check_numerical_gradient",
]

CASES = 20
#: Relative and absolute tolerance of a right entry (float64 sums in another order differ
#: by about 1e-16; a finite-difference gradient by about 1e-9).
RTOL, ATOL = 1e-7, 1e-9


@dataclass(frozen=True)
class CheckReport:
    """What a check found: ``passed``, and one sentence for the student.

    Attributes
    ----------
    name : str
        The function checked, e.g. ``"forward"``.
    passed : bool
    message : str
        ``"forward: right on all 20 cases."`` or the first problem found.
    """

    name: str
    passed: bool
    message: str

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return self.message

    def _repr_markdown_(self) -> str:
        mark = "\N{CHECK MARK}" if self.passed else "\N{BALLOT X}"
        return f"{mark} {self.message}"


def _network_case(rng: np.random.Generator):
    n, d, h, k = (int(v) for v in rng.integers(1, [7, 5, 5, 5]))
    W1, b1 = rng.normal(0, 1, (h, d)), rng.normal(0, 1, h)
    W2, b2 = rng.normal(0, 1, (k, h)), rng.normal(0, 1, k)
    X, T = rng.normal(0, 1, (n, d)), rng.uniform(0, 1, (n, k))
    net = Network.from_weights([W1, W2], [b1, b2], ["sigmoid", "sigmoid"])
    return X, T, W1, b1, W2, b2, net


def _call(name: str, function: Callable, arguments: tuple, case: int, count: int):
    """The function's result as a tuple of ``count`` arrays, or a CheckReport saying why not."""
    if not callable(function):
        return CheckReport(name, False, f"{name}: expected a function, got "
                                        f"{type(function).__name__}.")
    try:
        result = function(*arguments)
    except NotImplementedError:
        return CheckReport(name, False, f"{name}: not written yet (it raises "
                                        "NotImplementedError).")
    except Exception as error:  # the student's code: a sentence, never a traceback
        shapes = ", ".join(str(np.shape(a)) for a in arguments if isinstance(a, np.ndarray))
        return CheckReport(name, False, f"{name}: case {case} raised {type(error).__name__}: "
                                        f"{error} (arguments of shapes {shapes}).")
    parts = result if count > 1 else (result,)
    if count > 1 and (not isinstance(result, (tuple, list)) or len(result) != count):
        got = (f"{len(result)} values" if isinstance(result, (tuple, list))
               else type(result).__name__)
        return CheckReport(name, False, f"{name}: should return {count} arrays (a tuple); "
                                        f"case {case} returned {got}.")
    arrays = []
    for part in parts:
        try:
            arrays.append(np.asarray(part, dtype=float))
        except (TypeError, ValueError):
            return CheckReport(name, False, f"{name}: case {case} returned "
                                            f"{type(part).__name__}, not an array of numbers.")
    return tuple(arrays)


def _compare(name: str, case: int, labels: tuple, got: tuple, expected: tuple):
    for label, actual, want in zip(labels, got, expected, strict=True):
        if actual.shape != want.shape:
            return CheckReport(name, False, f"{name}: case {case}, {label}: shape {want.shape} "
                                            f"expected, got {actual.shape}.")
        wrong = ~np.isclose(actual, want, rtol=RTOL, atol=ATOL)
        if wrong.any():
            where = tuple(int(i) for i in np.argwhere(wrong)[0])
            return CheckReport(name, False, (
                f"{name}: case {case}, {label}, entry {list(where)}: expected "
                f"{want[where]:.6g}, got {actual[where]:.6g}."))
    return None


def _run(name: str, function: Callable, seed: int, labels: tuple, make_case) -> CheckReport:
    rng = np.random.default_rng(seed)
    for case in range(1, CASES + 1):
        arguments, expected = make_case(rng)
        got = _call(name, function, arguments, case, len(labels))
        if isinstance(got, CheckReport):
            return got
        problem = _compare(name, case, labels, got, expected)
        if problem is not None:
            return problem
    return CheckReport(name, True, f"{name}: right on all {CASES} cases.")


def check_forward(forward: Callable, seed: int = 0) -> CheckReport:
    """Check ``forward(X, W1, b1, W2, b2) -> (O1, O2)``.

    Shapes: X (n, d), W1 (h, d), b1 (h,), W2 (k, h), b2 (k,); O1 (n, h) the hidden
    outputs, O2 (n, k) the network's outputs, :math:`O = \\sigma(X W^T + b)` per layer.
    """
    def case(rng):
        X, _, W1, b1, W2, b2, net = _network_case(rng)
        return (X, W1, b1, W2, b2), tuple(net.forward(X).outputs)

    return _run("forward", forward, seed, ("O1 (hidden outputs)", "O2 (outputs)"), case)


def check_deltas(deltas: Callable, seed: int = 0) -> CheckReport:
    """Check ``deltas(O1, O2, T, W2) -> (D1, D2)``.

    :math:`D_2 = O_2(1 - O_2)(T - O_2)` (n, k) and :math:`D_1 = O_1(1 - O_1)(D_2 W_2)` (n, h),
    element-wise products, the lecture's sign.
    """
    def case(rng):
        X, T, _, _, W2, _, net = _network_case(rng)
        trace = net.forward(X)
        grads = net.backward(trace, T)
        O1, O2 = trace.outputs
        return (O1, O2, T, W2), tuple(grads.deltas)

    return _run("deltas", deltas, seed, ("D1 (hidden deltas)", "D2 (output deltas)"), case)


def check_backward(backward: Callable, seed: int = 0) -> CheckReport:
    """Check ``backward(X, T, W1, b1, W2, b2) -> (dW1, db1, dW2, db2)``.

    The gradient of :math:`E` summed over the batch: :math:`\\partial E/\\partial W_l =
    -D_l^T A_{l-1}` with :math:`A_0 = X`, :math:`\\partial E/\\partial b_l` the column sums
    of :math:`-D_l`; shapes those of W1, b1, W2, b2.
    """
    def case(rng):
        X, T, W1, b1, W2, b2, net = _network_case(rng)
        grads = net.backward(net.forward(X), T)
        return (X, T, W1, b1, W2, b2), (grads.weights[0], grads.biases[0],
                                        grads.weights[1], grads.biases[1])

    return _run("backward", backward, seed, ("dW1", "db1", "dW2", "db2"), case)


def check_numerical_gradient(numerical_gradient: Callable, seed: int = 0) -> CheckReport:
    """Check ``numerical_gradient(f, w, h) -> array`` (central differences).

    ``f`` maps an array shaped like ``w`` to a number; the result has ``w``'s shape and
    entry i is :math:`(f(w + h e_i) - f(w - h e_i)) / 2h`. It must leave ``w`` as it was.
    The reference is the exact gradient of the network's error with respect to W1.
    """
    def case(rng):
        X, T, W1, b1, W2, b2, net = _network_case(rng)

        def error(w):
            trial = Network.from_weights([w, W2], [b1, b2], ["sigmoid", "sigmoid"])
            return float(0.5 * np.sum((T - trial.forward(X).outputs[-1]) ** 2))

        exact = net.backward(net.forward(X), T).weights[0]
        return (error, W1.copy(), 1e-5), (exact,)

    def leaves_w_alone(f, w, h):
        before = w.copy()
        result = numerical_gradient(f, w, h)
        if not np.array_equal(w, before):
            raise ValueError("it changed w; put each entry back after nudging it")
        return result

    if not callable(numerical_gradient):
        return _call("numerical_gradient", numerical_gradient, (), 1, 1)
    # a central difference with h = 1e-5 is exact to about h^2 f''' ~ 1e-10 here
    return _run("numerical_gradient", leaves_w_alone, seed, ("the gradient",), case)
