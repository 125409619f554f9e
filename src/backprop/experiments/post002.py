"""Post 002's 2-2-2-1 network: chapter 12, deeper networks (``12_deeper_networks.ipynb``).

Every function here is a pure function of its arguments (randomness only from
``numpy.random.default_rng(seed)`` generators made inside), and a run that blows up is
reported as data (``diverged_at_epoch``), not as a traceback.

- :func:`train_post002`, :class:`Post002Training` - the 2-2-2-1 network learning
  :math:`f(x_1, x_2) = 2x_1 + 3x_2 + 10` (:class:`Post002Run`); the chapter's explorer
  uses the second.
- :func:`post002_printed_rule_gradients` - the update rules exactly as post 002 prints
  them, as gradients in the engine's layout.
- :func:`post002_rule_comparison`, :func:`post002_delta_comparison` - the printed rules
  against the engine and a numerical gradient, weight by weight.
- :func:`post002_eta_sweep`, :func:`train_post002_to_convergence`, :func:`plane_fit` -
  both rules trained until their error stops falling, and what each run learned.

The chapter's figures and tables are drawn by :mod:`backprop.experiments.post002_figures`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from backprop.gradcheck import numerical_gradients, relative_errors
from backprop.lecture import post002_network, post002_target
from backprop.network import Gradients, Network
from backprop.training import History, TrainingDiverged, train

__all__ = [
    "POST002_DISAGREE",
    "ConvergedRun",
    "Post002Run",
    "Post002Training",
    "RuleComparison",
    "plane_fit",
    "post002_delta_comparison",
    "post002_eta_sweep",
    "post002_printed_rule_gradients",
    "post002_rule_comparison",
    "sweep_tail_epochs",
    "train_post002",
    "train_post002_to_convergence",
]


# ---------------------------------------------------------------- chapter 12: post 002
@dataclass(frozen=True)
class Post002Run:
    """Result of :func:`train_post002`.

    Attributes
    ----------
    network, initial_network : Network
        The trained network and a copy of its starting weights.
    history : History
        Per-epoch training error (sum of the per-example errors of the epoch).
    x_train, t_train : ndarray, shapes (n_train, 2) and (n_train, 1)
    x_test, t_test : ndarray, shapes (n_test, 2) and (n_test, 1)
        A fresh sample from the same domain, never used for training.
    test_mse : float
        Held-out mean squared error :math:`\\frac1n\\sum (o - t)^2` (no factor 1/2);
        NaN if the run diverged.
    diverged_at_epoch : int or None
    """

    network: Network
    initial_network: Network
    history: History
    x_train: np.ndarray
    t_train: np.ndarray
    x_test: np.ndarray
    t_test: np.ndarray
    test_mse: float
    diverged_at_epoch: int | None
    eta: float


def train_post002(
    eta: float = 0.05,
    epochs: int = 200,
    seed: int = 0,
    activation: str = "sigmoid",
    n_train: int = 50,
    n_test: int = 500,
    domain: tuple[float, float] = (0.0, 1.0),
    rule: str = "engine",
) -> Post002Run:
    """Train post 002's 2-2-2-1 network on :math:`f(x_1, x_2) = 2x_1 + 3x_2 + 10`.

    Chapter 12. The network is :func:`backprop.lecture.post002_network` (hidden
    activation ``activation``, linear output, Xavier initialisation, the lecture's
    :math:`E = \\tfrac12\\sum(t - o)^2`), trained one example at a time as post 002
    does (stochastic updates, examples shuffled every epoch). Inputs are uniform on
    ``domain`` squared and are not normalised; targets are not scaled either (they lie
    in [10, 15] on the unit square; the linear output unit's bias learns the offset).

    The generator ``default_rng(seed)`` draws, in order, the initial weights, the
    training inputs, the test inputs and then the shuffling order, so the two rules
    below see the same data in the same order.

    Parameters
    ----------
    eta : float
        Learning rate (> 0; large values are reported as ``diverged_at_epoch``).
    epochs, seed, n_train, n_test : int
    activation : str
        Activation of both hidden layers.
    domain : (float, float)
        Interval from which both input coordinates are drawn.
    rule : {"engine", "printed"}
        ``"engine"``: :func:`backprop.train` (correct backpropagation).
        ``"printed"``: the same loop with post 002's printed update rules,
        :func:`post002_printed_rule_gradients` and ``Network.apply_gradients``.

    Returns
    -------
    Post002Run
        With ``history.loss[e]`` the sum over the epoch of each example's error
        before its update.
    """
    if rule not in ("engine", "printed"):
        raise ValueError(f"rule must be 'engine' or 'printed', got {rule!r}")
    if rule == "engine":
        return Post002Training(eta, seed, activation, n_train, n_test, domain).run(epochs)
    rng = np.random.default_rng(seed)
    net = post002_network(rng, activation)
    initial = net.copy()
    x_train = rng.uniform(*domain, size=(n_train, 2))
    x_test = rng.uniform(*domain, size=(n_test, 2))
    t_train, t_test = post002_target(x_train), post002_target(x_test)
    diverged = None
    with np.errstate(over="ignore", invalid="ignore"):
        try:
            history = _train_printed(net, x_train, t_train, eta, epochs, rng)
            test_mse = _test_mse(net, x_test, t_test)
        except TrainingDiverged as error:
            diverged = error.epoch
            history = error.history
            test_mse = float("nan")
            net = initial.copy()
    return Post002Run(net, initial, history, x_train, t_train, x_test, t_test, test_mse,
                      diverged, float(eta))


def _test_mse(net: Network, x_test: np.ndarray, t_test: np.ndarray) -> float:
    """Held-out mean squared error, NaN when it is not finite."""
    test_mse = float(np.mean((net.predict(x_test) - t_test) ** 2))
    return test_mse if np.isfinite(test_mse) else float("nan")


class Post002Training:
    """Post 002's engine run for one (eta, seed), trained on demand, kept epoch by epoch.

    Chapter 12's explorer: ``run(epochs)`` gives what ``train_post002(eta, epochs,
    seed)`` gives (that function calls it), but a second call trains only the epochs
    not trained yet, and any number of epochs already trained is a look-up. This
    works because the run's only random draws after the data are each epoch's
    shuffle, taken in order from the same generator; the network's parameters are
    kept after every epoch (15 numbers each).

    Parameters
    ----------
    eta : float
    seed : int
    activation, n_train, n_test, domain
        As in :func:`train_post002`.
    """

    def __init__(self, eta: float, seed: int = 0, activation: str = "sigmoid",
                 n_train: int = 50, n_test: int = 500,
                 domain: tuple[float, float] = (0.0, 1.0)) -> None:
        self.eta = float(eta)
        self._rng = np.random.default_rng(seed)
        self._network = post002_network(self._rng, activation)
        self.initial_network = self._network.copy()
        self.x_train = self._rng.uniform(*domain, size=(n_train, 2))
        self.x_test = self._rng.uniform(*domain, size=(n_test, 2))
        self.t_train, self.t_test = post002_target(self.x_train), post002_target(self.x_test)
        self._loss: list[float] = []
        self._snapshots = [self._parameters()]  # after 0, 1, 2, ... epochs
        self.diverged_at_epoch: int | None = None

    @property
    def epochs_trained(self) -> int:
        return len(self._loss)

    def _parameters(self) -> tuple[list, list]:
        return ([w.copy() for w in self._network.weights],
                [b.copy() for b in self._network.biases])

    def run(self, epochs: int) -> Post002Run:
        """The run after ``epochs`` epochs (training the missing ones first)."""
        epochs = int(epochs)
        if epochs < 1:
            raise ValueError(f"epochs must be a positive integer, got {epochs}")
        with np.errstate(over="ignore", invalid="ignore"):
            while self.epochs_trained < epochs and self.diverged_at_epoch is None:
                try:
                    history = train(self._network, self.x_train, self.t_train, self.eta, 1,
                                    method="stochastic", rng=self._rng)
                except TrainingDiverged:
                    self.diverged_at_epoch = self.epochs_trained + 1
                    break
                self._loss.append(history.loss[0])
                self._snapshots.append(self._parameters())
            initial = self.initial_network.copy()  # the caller's own, like the rest
            if self.diverged_at_epoch is not None and epochs >= self.diverged_at_epoch:
                history = History(loss=list(self._loss), stopped_because="diverged")
                return Post002Run(initial.copy(), initial, history, self.x_train,
                                  self.t_train, self.x_test, self.t_test, float("nan"),
                                  self.diverged_at_epoch, self.eta)
            weights, biases = self._snapshots[epochs]
            net = Network(weights, biases, initial.activations, initial.loss_function)
            history = History(loss=self._loss[:epochs])
            return Post002Run(net, initial, history, self.x_train, self.t_train, self.x_test,
                              self.t_test, _test_mse(net, self.x_test, self.t_test), None,
                              self.eta)


def _train_printed(net, x, t, eta, epochs, rng) -> History:
    """Stochastic training with post 002's printed rules (same shuffling as ``train``).

    Post 002's sigmoid-sigmoid-linear network with the squared error runs the rules on
    plain floats (:func:`_printed_epoch_on_floats`, some ten times faster than the
    arrays below at this size: chapter 12 trains eight such runs to convergence); any
    other network takes the array path, :func:`_printed_rule`, which the float path is
    tested against.
    """
    if ([a.name for a in net.activations] == ["sigmoid", "sigmoid", "linear"]
            and net.loss_function.name == "squared"):
        return _train_printed_on_floats(net, x, t, eta, epochs, rng)
    history = History()
    for epoch in range(1, epochs + 1):
        order = rng.permutation(len(x))
        error = 0.0
        for x_row, t_row in zip(x[order], t[order], strict=True):
            trace = net.forward(x_row)
            error += net.loss_function.value(trace.outputs[-1], t_row)
            for param, grad in zip(net.weights + net.biases,
                                   (g := _printed_rule(net, trace, t_row)).weights + g.biases,
                                   strict=True):
                param -= eta * grad
        if not np.isfinite(error):
            history.stopped_because = "diverged"
            raise TrainingDiverged(f"training diverged at epoch {epoch}", epoch, history)
        history.loss.append(float(error))
    return history


def _train_printed_on_floats(net, x, t, eta, epochs, rng) -> History:
    """:func:`_train_printed` for post 002's own network, on floats (same draws, same steps)."""
    weights = [w.tolist() for w in net.weights]
    biases = [b.tolist() for b in net.biases]
    xs, ts = x.tolist(), t[:, 0].tolist()
    history = History()
    try:
        for epoch in range(1, epochs + 1):
            order = rng.permutation(len(xs)).tolist()
            error = 0.0
            for k in order:
                error += _printed_step_on_floats(weights, biases, xs[k], ts[k], eta)
            if not math.isfinite(error):
                history.stopped_because = "diverged"
                raise TrainingDiverged(f"training diverged at epoch {epoch}", epoch, history)
            history.loss.append(float(error))
    finally:  # the network holds the weights reached, diverged or not
        for layer, (w, b) in enumerate(zip(weights, biases, strict=True)):
            net.weights[layer][...] = w
            net.biases[layer][...] = b
    return history


def _sigmoid(z: float) -> float:
    try:
        return 1.0 / (1.0 + math.exp(-z))
    except OverflowError:
        return 0.0


def _printed_step_on_floats(weights, biases, x, t: float, eta: float) -> float:
    """One stochastic step of post 002's printed rules on its 2-2-2-1 network; returns E.

    The arithmetic of :func:`_printed_rule` unit by unit: the output error term is right,
    and each hidden error term takes one downstream term only (``w_{11}`` and ``w_{21}``
    both get :math:`\\delta_1 a_1`).
    """
    (w1, w2, w3), (b1, b2, b3) = weights, biases
    a1 = [_sigmoid(row[0] * x[0] + row[1] * x[1] + b) for row, b in zip(w1, b1, strict=True)]
    a2 = [_sigmoid(row[0] * a1[0] + row[1] * a1[1] + b) for row, b in zip(w2, b2, strict=True)]
    out = w3[0][0] * a2[0] + w3[0][1] * a2[1] + b3[0]
    residual = t - out
    d3 = -residual  # dL/dz of the linear output
    d2 = (d3 * w3[0][0] * (a2[0] * (1.0 - a2[0])), d3 * w3[0][1] * (a2[1] * (1.0 - a2[1])))
    d1 = (d2[0] * w2[0][0] * (a1[0] * (1.0 - a1[0])), d2[1] * w2[0][1] * (a1[1] * (1.0 - a1[1])))
    w3[0][0] -= eta * (d3 * a2[0])
    w3[0][1] -= eta * (d3 * a2[1])
    b3[0] -= eta * d3
    for row in w2:  # both rows get the same (printed) update
        row[0] -= eta * (d2[0] * a1[0])
        row[1] -= eta * (d2[1] * a1[1])
    b2[0] -= eta * d2[0]
    b2[1] -= eta * d2[1]
    for row in w1:
        row[0] -= eta * (d1[0] * x[0])
        row[1] -= eta * (d1[1] * x[1])
    b1[0] -= eta * d1[0]
    b1[1] -= eta * d1[1]
    return 0.5 * residual * residual


def _check_2221(net: Network) -> None:
    if not isinstance(net, Network) or net.layer_sizes != [2, 2, 2, 1]:
        raise ValueError(
            "post 002's printed rules are written for its 2-2-2-1 network; got "
            f"{net!r}"
        )


def post002_printed_rule_gradients(net: Network, x, t) -> Gradients:
    """The gradients that post 002's printed update rules use, in the engine's layout.

    Chapter 12. Post 002 writes :math:`\\theta \\leftarrow \\theta - \\alpha\\,g_\\theta`
    and prints, for each parameter, the factor :math:`g_\\theta` that should be
    :math:`\\partial L/\\partial\\theta`. Its deltas are
    :math:`\\delta = \\partial L/\\partial z` (the opposite sign of the lecture's). This
    function implements its rules exactly as printed, including the faults:

    * hidden deltas keep one downstream term:
      :math:`\\delta^{(2)}_j = \\delta^{(3)}_1 w^{(3)}_{1j} f'(z^{(2)}_j)` (right: the output
      layer has one unit), but :math:`\\delta^{(1)}_1 = \\delta^{(2)}_1 w^{(2)}_{11}
      f'(z^{(1)}_1)` and :math:`\\delta^{(1)}_2 = \\delta^{(2)}_2 w^{(2)}_{12} f'(z^{(1)}_2)`;
    * the weight rules pair :math:`w_{11}` with :math:`\\delta_1 a_1`, :math:`w_{12}` with
      :math:`\\delta_2 a_2`, :math:`w_{21}` with :math:`\\delta_1 a_1` and :math:`w_{22}`
      with :math:`\\delta_2 a_2` in both hidden layers (the correct factor of
      :math:`w_{ji}` is :math:`\\delta_j a_i`); the output layer's rules are right.

    Post 002's :math:`w^{(l)}_{ji}` is the weight from unit i into unit j, as in the
    course, so ``weights[l][j-1, i-1]`` holds the factor of :math:`w^{(l+1)}_{ji}`.
    The output delta is the loss's own (post 002: :math:`-(y - \\hat y) f'(z^{(3)})`).

    Parameters
    ----------
    net : Network
        A 2-2-2-1 network (any element-wise activations).
    x : array-like, shape (2,) or (m, 2)
    t : array-like, shape (1,) or (m, 1)

    Returns
    -------
    Gradients
        ``weights[l]`` of shape (n_out, n_in) and ``biases[l]`` of shape (n_out,), summed
        over a batch, comparable element by element with ``net.backward(...)`` and
        :func:`backprop.numerical_gradients`. ``deltas`` are the printed deltas in the
        lecture's sign (:math:`-\\partial L/\\partial z`, like the engine's), shape
        (n_l,) or (m, n_l).
    """
    _check_2221(net)
    trace = net.forward(x)
    return _printed_rule(net, trace, net._check_target(t, trace))


def _printed_rule(net: Network, trace, target: np.ndarray) -> Gradients:
    """Post 002's printed rules on a checked forward pass (see the public function)."""
    single = trace.inputs.ndim == 1
    x0 = np.atleast_2d(trace.inputs)
    z1, z2 = (np.atleast_2d(z) for z in trace.nets[:2])
    a1, a2 = (np.atleast_2d(a) for a in trace.outputs[:2])
    f1 = net.activations[0].derivative(z1, a1)
    f2 = net.activations[1].derivative(z2, a2)
    w2, w3 = net.weights[1], net.weights[2]
    last = net.activations[2]
    # Output layer (printed correctly): delta^(3) = dL/dz^(3).
    d3 = -np.atleast_2d(net.loss_function.output_delta(last, trace.nets[2], trace.outputs[2],
                                                       target))[:, 0]
    # Second hidden layer, as printed (right here: one downstream unit).
    d2_1 = d3 * w3[0, 0] * f2[:, 0]
    d2_2 = d3 * w3[0, 1] * f2[:, 1]
    # First hidden layer, as printed: one downstream term each.
    d1_1 = d2_1 * w2[0, 0] * f1[:, 0]
    d1_2 = d2_2 * w2[0, 1] * f1[:, 1]

    g3 = np.array([[np.sum(d3 * a2[:, 0]), np.sum(d3 * a2[:, 1])]])
    g2 = np.array([
        [np.sum(d2_1 * a1[:, 0]), np.sum(d2_2 * a1[:, 1])],  # w_11: d1 a1 ; w_12: d2 a2
        [np.sum(d2_1 * a1[:, 0]), np.sum(d2_2 * a1[:, 1])],  # w_21: d1 a1 ; w_22: d2 a2
    ])
    g1 = np.array([
        [np.sum(d1_1 * x0[:, 0]), np.sum(d1_2 * x0[:, 1])],  # w_11: d1 x1 ; w_12: d2 x2
        [np.sum(d1_1 * x0[:, 0]), np.sum(d1_2 * x0[:, 1])],  # w_21: d1 x1 ; w_22: d2 x2
    ])
    biases = [np.array([d1_1.sum(), d1_2.sum()]), np.array([d2_1.sum(), d2_2.sum()]),
              np.array([d3.sum()])]
    deltas = [-np.column_stack([d1_1, d1_2]), -np.column_stack([d2_1, d2_2]), -d3[:, None]]
    if single:
        deltas = [d[0] for d in deltas]
    return Gradients(deltas, [g1, g2, g3], biases)


#: The parameters whose printed rule is wrong (course notation, layer in the superscript).
POST002_DISAGREE = frozenset({
    "w_{11}^{(1)}", "w_{12}^{(1)}", "w_{21}^{(1)}", "w_{22}^{(1)}", "b_1^{(1)}", "b_2^{(1)}",
    "w_{12}^{(2)}", "w_{21}^{(2)}",
})


@dataclass(frozen=True)
class RuleComparison:
    """One parameter of post 002's network in :func:`post002_rule_comparison`.

    Attributes
    ----------
    name : str
        LaTeX name in post 002's (and the course's) notation, e.g. ``"w_{12}^{(2)}"``.
    layer : int
        1, 2 or 3.
    index : tuple of int
        Position in ``net.weights[layer - 1]`` or ``net.biases[layer - 1]``.
    printed, correct, numerical : float
        :math:`\\partial L/\\partial\\theta` by post 002's printed rule, by the engine's
        backward pass, and by fourth-order central differences.
    relative_error : float
        :func:`backprop.relative_errors` of printed against numerical.
    engine_relative_error : float
        The same for the engine's gradient (should be ~1e-10).
    verdict : str
        ``"correct"`` if ``relative_error < tolerance``, else ``"wrong"``.
    """

    name: str
    layer: int
    index: tuple
    printed: float
    correct: float
    numerical: float
    relative_error: float
    engine_relative_error: float
    verdict: str


def post002_rule_comparison(net: Network, x, t, tolerance: float = 1e-6) -> list[RuleComparison]:
    """Every parameter's printed-rule gradient against the engine and a numerical gradient.

    Chapter 12 (the gradient check that exposes post 002's faults).

    Parameters
    ----------
    net : Network
        A 2-2-2-1 network; it is left unchanged.
    x : array-like, shape (2,) or (m, 2)
    t : array-like, shape (1,) or (m, 1)
    tolerance : float
        Relative error below which a printed rule counts as correct.

    Returns
    -------
    list of RuleComparison
        Output layer first, then layer 2, then layer 1; within a layer the weights in
        row-major order (:math:`w_{11}, w_{12}, w_{21}, w_{22}`), then the biases.
    """
    _check_2221(net)
    printed = post002_printed_rule_gradients(net, x, t)
    correct = net.backward(net.forward(x), t)
    num_w, num_b = numerical_gradients(net, x, t)
    rows = []
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in (3, 2, 1):
            k = layer - 1
            groups = (
                ("w", printed.weights[k], correct.weights[k], num_w[k]),
                ("b", printed.biases[k], correct.biases[k], num_b[k]),
            )
            for kind, p, c, n in groups:
                for index in np.ndindex(p.shape):
                    if kind == "w":
                        name = f"w_{{{index[0] + 1}{index[1] + 1}}}^{{({layer})}}"
                    else:
                        name = f"b_{index[0] + 1}^{{({layer})}}"
                    rel = float(relative_errors(p[index], n[index]))
                    rel_engine = float(relative_errors(c[index], n[index]))
                    rows.append(RuleComparison(
                        name, layer, tuple(int(i) for i in index), float(p[index]),
                        float(c[index]), float(n[index]), rel, rel_engine,
                        "correct" if rel < tolerance else "wrong",
                    ))
    return rows


def post002_delta_comparison(net: Network, x, t) -> list[tuple[str, float, float]]:
    """Post 002's printed hidden deltas against the correct ones, for one example or a batch.

    Chapter 12. Both in post 002's sign, :math:`\\delta = \\partial L/\\partial z` (the
    negative of the lecture's delta), summed over a batch.

    Returns
    -------
    list of (name, printed, correct)
        For :math:`\\delta^{(3)}_1, \\delta^{(2)}_1, \\delta^{(2)}_2, \\delta^{(1)}_1,
        \\delta^{(1)}_2`.
    """
    _check_2221(net)
    printed = post002_printed_rule_gradients(net, x, t).deltas
    correct = net.backward(net.forward(x), t).deltas
    rows = []
    for layer in (3, 2, 1):
        p = np.atleast_2d(printed[layer - 1]).sum(axis=0)
        c = np.atleast_2d(correct[layer - 1]).sum(axis=0)
        for j in range(p.size):
            rows.append((f"\\delta_{j + 1}^{{({layer})}}", float(-p[j]), float(-c[j])))
    return rows


# ------------------------------------------------- does the mistake matter? (to convergence)
@dataclass(frozen=True)
class ConvergedRun:
    """One run of :func:`train_post002_to_convergence`.

    Attributes
    ----------
    rule : str
        ``"engine"`` (correct backpropagation) or ``"printed"`` (post 002's rules).
    seed, epochs : int
        The seed, and the number of epochs trained when the run stopped.
    converged : bool
        True if the run stopped because its training error stopped falling, False if it
        reached ``max_epochs`` first (or diverged).
    run : Post002Run
        The network after ``epochs`` epochs, its history and held-out error.
    plane : ndarray, shape (3,)
        The least-squares plane :math:`a_1 x_1 + a_2 x_2 + c` through the network's output
        on a 101 x 101 grid over the unit square, as ``(a_1, a_2, c)``; the target is
        ``(2, 3, 10)``.
    plane_rms : float
        Root-mean-square distance of the network's output from the plane
        :math:`2x_1 + 3x_2 + 10` on the same grid.
    """

    rule: str
    seed: int
    epochs: int
    converged: bool
    run: Post002Run
    plane: np.ndarray
    plane_rms: float


def _unit_square_grid(n: int = 101) -> np.ndarray:
    g = np.linspace(0.0, 1.0, n)
    x1, x2 = np.meshgrid(g, g)
    return np.column_stack([x1.ravel(), x2.ravel()])


def plane_fit(net: Network) -> tuple[np.ndarray, float]:
    """The plane that best fits a network's output on the unit square, and its distance.

    Chapter 12. Returns the least-squares coefficients ``(a_1, a_2, c)`` of
    :math:`a_1 x_1 + a_2 x_2 + c` through the output on a 101 x 101 grid, and the
    root-mean-square difference between the output and :math:`2x_1 + 3x_2 + 10` there.
    """
    grid = _unit_square_grid()
    with np.errstate(over="ignore", invalid="ignore"):
        out = net.predict(grid)[:, 0]
    design = np.column_stack([grid, np.ones(len(grid))])
    coefficients = np.linalg.lstsq(design, out, rcond=None)[0]
    rms = float(np.sqrt(np.mean((out - post002_target(grid)[:, 0]) ** 2)))
    return coefficients, rms


def train_post002_to_convergence(
    eta: float,
    seed: int = 0,
    rule: str = "engine",
    block: int = 100,
    tolerance: float = 0.05,
    max_epochs: int = 3000,
) -> ConvergedRun:
    """Train post 002's network, with either rule, until its training error stops falling.

    Chapter 12 ("Does the mistake matter?"). The set-up (initial weights, data, shuffles)
    is that of :func:`train_post002` with the same ``seed``, so after ``N`` epochs the
    network is the one ``train_post002(eta, N, seed, rule=rule)`` returns. Training runs
    in blocks of ``block`` epochs and stops after the first block whose mean training
    error is not at least ``tolerance`` (a fraction) below the previous block's, or after
    ``max_epochs``. A rule whose error rises again is thus stopped near its best.

    Returns
    -------
    ConvergedRun
    """
    if rule not in ("engine", "printed"):
        raise ValueError(f"rule must be 'engine' or 'printed', got {rule!r}")
    rng = np.random.default_rng(seed)
    net = post002_network(rng, "sigmoid")
    initial = net.copy()
    x_train = rng.uniform(0.0, 1.0, size=(50, 2))
    x_test = rng.uniform(0.0, 1.0, size=(500, 2))
    t_train, t_test = post002_target(x_train), post002_target(x_test)
    loss: list[float] = []
    previous, converged, diverged = float("inf"), False, None
    with np.errstate(over="ignore", invalid="ignore"):
        while len(loss) < max_epochs:
            try:
                if rule == "engine":
                    history = train(net, x_train, t_train, eta, block, method="stochastic",
                                    rng=rng)
                else:
                    history = _train_printed(net, x_train, t_train, eta, block, rng)
            except TrainingDiverged as error:
                diverged = len(loss) + error.epoch
                loss += error.history.loss
                break
            loss += history.loss
            mean = float(np.mean(history.loss))
            if mean > (1.0 - tolerance) * previous:
                converged = True
                break
            previous = mean
    if diverged is not None:
        run = Post002Run(initial.copy(), initial, History(loss=loss, stopped_because="diverged"),
                         x_train, t_train, x_test, t_test, float("nan"), diverged, float(eta))
        return ConvergedRun(rule, int(seed), len(loss), False, run,
                            np.full(3, np.nan), float("nan"))
    run = Post002Run(net, initial, History(loss=loss), x_train, t_train, x_test, t_test,
                     _test_mse(net, x_test, t_test), None, float(eta))
    plane, rms = plane_fit(net)
    return ConvergedRun(rule, int(seed), len(loss), converged, run, plane, rms)


def post002_eta_sweep(
    etas=(0.05, 0.1, 0.2, 0.5, 1.0), epochs: int = 300, seed: int = 0
) -> list[tuple[float, float]]:
    """The correct rule's mean training error after ``epochs`` epochs, for each eta.

    Chapter 12: the engine picks the learning rate of the convergence comparison as the
    one that gets furthest in a fixed budget (too small is slow; too large leaves the
    stochastic updates jumping around the minimum).

    Returns
    -------
    list of (eta, error)
        ``error`` is the mean per-example training error :math:`\\frac12(y - \\hat y)^2`
        over the last 10 % of the epochs (NaN if the run diverged).
    """
    rows = []
    for eta in etas:
        run = train_post002(eta=eta, epochs=epochs, seed=seed)
        if run.diverged_at_epoch is not None:
            rows.append((float(eta), float("nan")))
            continue
        tail = np.asarray(run.history.loss[-sweep_tail_epochs(epochs):]) / len(run.x_train)
        rows.append((float(eta), float(tail.mean())))
    return rows


def sweep_tail_epochs(epochs: int) -> int:
    """How many of a sweep's last epochs :func:`post002_eta_sweep` averages: the last
    tenth, at least one (30 of 300). Chapter 12's table names it from here."""
    return max(1, int(epochs) // 10)
