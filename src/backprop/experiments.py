"""Experiments behind chapter 9 (practical considerations) and chapter 12 (deeper networks).

Every function here is a pure function of its arguments: randomness comes only from
``numpy.random.default_rng(seed)`` generators created inside the function, nothing
runs on import, and no global state is touched. The functions are small enough to be
called again and again by interactive slider widgets, and they never raise for
extreme but legal inputs (learning rates up to 10, weights up to +-50): a run that
blows up is reported as data (``diverged_at_epoch``), not as a traceback.

Chapter 9 (practical considerations, lecture section 9):

- :func:`learning_rate_step_table` - the lecture's table of one update for three eta.
- :func:`learning_rate_curves`, :func:`momentum_curves` - loss curves of one seeded
  network trained with several learning rates or momenta (:class:`Curve`).
- :func:`stopping_criteria_runs` - one run stopping for each of the lecture's four
  stopping criteria (:class:`StoppingRun`).
- :func:`symmetric_initialisation_demo` - hidden units that start equal stay equal
  (:class:`SymmetryRun`).
- :func:`gradient_norms_by_layer` - the vanishing gradient of deep sigmoid networks
  (:class:`LayerGradientNorms`).

Chapter 12 (deeper networks, post 002):

- :func:`train_post002` - the 2-2-2-1 network learning
  :math:`f(x_1, x_2) = 2x_1 + 3x_2 + 10` (:class:`Post002Run`).
- :func:`post002_printed_rule_gradients` - the update rules exactly as post 002 prints
  them, as gradients in the engine's layout.
- :func:`post002_rule_comparison`, :func:`post002_delta_comparison` - the printed rules
  against the engine and a numerical gradient, weight by weight.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backprop.gradcheck import numerical_gradients, relative_errors
from backprop.lecture import post001_network, post002_network, post002_target
from backprop.network import Gradients, Network
from backprop.training import History, TrainingDiverged, train

__all__ = [
    "POST002_DISAGREE",
    "Curve",
    "LayerGradientNorms",
    "Post002Run",
    "Post002Training",
    "RuleComparison",
    "StepRow",
    "StoppingRun",
    "SymmetryRun",
    "gradient_norms_by_layer",
    "learning_rate_curves",
    "learning_rate_step_table",
    "momentum_curves",
    "post002_delta_comparison",
    "post002_printed_rule_gradients",
    "post002_rule_comparison",
    "regression_data",
    "stopping_criteria_runs",
    "symmetric_initialisation_demo",
    "train_post002",
    "xor_data",
]


# ----------------------------------------------------------------------------- data sets
def xor_data() -> tuple[np.ndarray, np.ndarray]:
    """The four XOR examples (chapter 9's symmetry demo).

    Returns
    -------
    x : ndarray, shape (4, 2)
    t : ndarray, shape (4, 1)
    """
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    t = np.array([[0.0], [1.0], [1.0], [0.0]])
    return x, t


def regression_data(seed: int = 0, m: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """A seeded smooth 2-D regression set (chapter 9's learning-rate and momentum curves).

    Inputs uniform in :math:`[-1, 1]^2`, target :math:`t = \\tfrac12\\sin(\\pi x_1) + x_2^2`.

    Returns
    -------
    x : ndarray, shape (m, 2)
    t : ndarray, shape (m, 1)
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(m, 2))
    t = (0.5 * np.sin(np.pi * x[:, 0]) + x[:, 1] ** 2)[:, np.newaxis]
    return x, t


def _noisy_sine(rng: np.random.Generator, m: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-1.0, 1.0, size=(m, 1))
    return x, np.sin(np.pi * x) + noise * rng.normal(size=(m, 1))


# ----------------------------------------------------------------- section 9.2: the table
@dataclass(frozen=True)
class StepRow:
    """One row of the lecture's section 9.2 table: :math:`\\Delta w = \\eta\\delta x`."""

    eta: float
    delta_w: float
    w_new: float


def learning_rate_step_table(
    w: float = 0.5, delta: float = 0.2, x: float = 0.8, etas=(0.01, 0.1, 1.0)
) -> list[StepRow]:
    """One weight update :math:`w \\leftarrow w + \\eta\\delta x` for each learning rate.

    Chapter 9 (lecture section 9.2, "Comparison Table").

    Parameters
    ----------
    w, delta, x : float
        The weight, the error term of the receiving unit and the input on the edge.
    etas : sequence of float
        Learning rates.

    Returns
    -------
    list of StepRow
        One row ``(eta, delta_w, w_new)`` per learning rate, in the given order.
    """
    rows = []
    for eta in etas:
        delta_w = float(eta) * float(delta) * float(x)
        rows.append(StepRow(float(eta), delta_w, float(w) + delta_w))
    return rows


# ----------------------------------------------------- section 9.2: learning-rate curves
@dataclass(frozen=True)
class Curve:
    """The training history of one run of :func:`learning_rate_curves` or :func:`momentum_curves`.

    Attributes
    ----------
    eta, momentum : float
    loss : ndarray, shape (n_epochs,)
        Training error of each epoch that ran (finite; a diverged run is cut at the
        epoch where it was flagged, that epoch included when its error is finite).
    diverged_at_epoch : int or None
        First (1-based) epoch whose error was not finite (the engine raised
        :class:`~backprop.TrainingDiverged`) or exceeded ``divergence_factor`` times the
        first epoch's error; None if the run did not diverge.
    n_increases : int
        Number of epochs whose error was higher than the epoch before: a measure of
        oscillation.
    """

    eta: float
    momentum: float
    loss: np.ndarray
    diverged_at_epoch: int | None
    n_increases: int

    @property
    def diverged(self) -> bool:
        return self.diverged_at_epoch is not None

    @property
    def final_loss(self) -> float:
        """The last recorded (finite) error; NaN if no epoch completed."""
        return float(self.loss[-1]) if self.loss.size else float("nan")


def _run(
    make_net, x, t, eta: float, epochs: int, momentum: float, divergence_factor: float
) -> tuple[Curve, Network]:
    """Train a fresh network with full-batch updates; divergence becomes data.

    Returns the curve and the network as training left it.
    """
    net = make_net()
    try:
        history = train(net, x, t, eta, epochs, method="batch", momentum=momentum)
        loss = np.asarray(history.loss, dtype=float)
        diverged = None
    except TrainingDiverged as error:
        diverged = error.epoch
        loss = np.asarray(error.history.loss, dtype=float)  # the finite epochs before it
    if loss.size:
        blown = np.flatnonzero(loss > divergence_factor * loss[0])
        if blown.size and (diverged is None or blown[0] + 1 < diverged):
            diverged = int(blown[0]) + 1
            loss = loss[:diverged]
    n_increases = int(np.count_nonzero(np.diff(loss) > 0)) if loss.size > 1 else 0
    return Curve(float(eta), float(momentum), loss, diverged, n_increases), net


def learning_rate_curves(
    etas=(0.05, 0.5, 1.5, 3.0),
    epochs: int = 200,
    seed: int = 0,
    momentum: float = 0.0,
    divergence_factor: float = 100.0,
) -> list[Curve]:
    """Train the same seeded network with each learning rate and return the loss curves.

    Chapter 9 (lecture section 9.2: too small is slow, too large oscillates or diverges).

    The network is post 001's 2-3-1 network (sigmoid hidden layer, linear output,
    :math:`E = \\tfrac{1}{2m}\\sum (o - t)^2`, Xavier initialisation from
    ``default_rng(seed)``), trained with full-batch gradient descent on
    :func:`regression_data` ``(seed, 20)``. Every run starts from identical weights.

    Parameters
    ----------
    etas : sequence of float
        Learning rates (> 0; values up to 10 and beyond are fine).
    epochs : int
    seed : int
        Seeds the data and the initial weights.
    momentum : float in [0, 1)
    divergence_factor : float
        A run counts as diverged once its error exceeds this multiple of its first
        epoch's error (or becomes infinite).

    Returns
    -------
    list of Curve
        One per learning rate, in the given order.
    """
    x, t = regression_data(seed)

    def make_net() -> Network:
        return post001_network(np.random.default_rng(seed))

    return [_run(make_net, x, t, eta, epochs, momentum, divergence_factor)[0] for eta in etas]


def learning_rate_run(
    eta: float, epochs: int = 200, seed: int = 0, divergence_factor: float = 100.0
) -> tuple[Curve, Network]:
    """One run of :func:`learning_rate_curves`: its curve and the network it trained.

    Chapter 9 (the learning-rate explorer shows the fit of the trained network).
    """
    x, t = regression_data(seed)
    return _run(lambda: post001_network(np.random.default_rng(seed)), x, t, eta, epochs, 0.0,
                divergence_factor)


def momentum_curves(
    momenta=(0.0, 0.9),
    eta: float = 0.1,
    epochs: int = 200,
    seed: int = 0,
    divergence_factor: float = 100.0,
) -> list[Curve]:
    """Loss curves of the network of :func:`learning_rate_curves` with several momenta.

    Chapter 9 (momentum, lecture Table 3: "slow convergence - use momentum").
    The update is :math:`v \\leftarrow \\mu v + \\eta\\,\\delta x`, :math:`w \\leftarrow w + v`.

    Returns
    -------
    list of Curve
        One per momentum, in the given order, all with the same ``eta``.
    """
    x, t = regression_data(seed)

    def make_net() -> Network:
        return post001_network(np.random.default_rng(seed))

    return [_run(make_net, x, t, eta, epochs, mu, divergence_factor)[0] for mu in momenta]


# ------------------------------------------------------- section 9.1: stopping criteria
@dataclass(frozen=True)
class StoppingRun:
    """One training run of :func:`stopping_criteria_runs`.

    Attributes
    ----------
    criterion : str
        Which of the lecture's four criteria the run used: ``"fixed epochs"``,
        ``"validation error"``, ``"error threshold"`` or ``"patience"``.
    history : History
        ``loss`` and ``validation_loss`` per epoch, ``stopped_because``, ``best_epoch``.
    settings : dict
        The stopping arguments passed to :func:`backprop.train`.
    """

    criterion: str
    history: History
    settings: dict


def stopping_criteria_runs(
    seed: int = 1,
    max_epochs: int = 1000,
    error_threshold: float = 0.02,
    patience: int = 100,
    eta: float = 0.5,
    momentum: float = 0.9,
    n_train: int = 12,
    n_validation: int = 100,
    noise: float = 0.25,
) -> list[StoppingRun]:
    """The same seeded training run stopped by each of the lecture's four criteria.

    Chapter 9 (lecture section 9.1). A 1-8-1 network (sigmoid hidden, linear output,
    :math:`E = \\tfrac{1}{2m}\\sum(o - t)^2`, Xavier initialisation) fits ``n_train``
    noisy samples of :math:`\\sin(\\pi x)` with full-batch gradient descent and
    momentum; ``n_validation`` further noisy samples are held out. So few examples
    and so many weights overfit: the validation error has a minimum, then rises.

    The four runs stop by (1) ``max_epochs``, (2) the validation error rising once
    (``patience=1``), (3) the training error falling below ``error_threshold`` and
    (4) ``patience`` epochs without a new best validation error. All four record the
    validation error, so their curves can be drawn together.

    Returns
    -------
    list of StoppingRun
        In the order (1)-(4) above.
    """
    rng = np.random.default_rng(seed)
    x_train, t_train = _noisy_sine(rng, n_train, noise)
    x_val, t_val = _noisy_sine(rng, n_validation, noise)
    initial = Network.initialise([1, 8, 1], ["sigmoid", "linear"], rng, scheme="xavier",
                                 loss="mean_squared")
    settings = [
        ("fixed epochs", {}),
        ("validation error", {"patience": 1}),
        ("error threshold", {"error_threshold": error_threshold}),
        ("patience", {"patience": patience}),
    ]
    runs = []
    for criterion, extra in settings:
        net = initial.copy()
        try:
            history = train(net, x_train, t_train, eta, max_epochs, method="batch",
                            momentum=momentum, validation=(x_val, t_val), **extra)
        except TrainingDiverged:
            history = History(stopped_because="diverged")
        runs.append(StoppingRun(criterion, history, extra))
    return runs


# ------------------------------------------------- section 9.3: symmetric initialisation
@dataclass(frozen=True)
class SymmetryRun:
    """One network of :func:`symmetric_initialisation_demo`.

    Attributes
    ----------
    label : str
        ``"symmetric"`` or ``"random"``.
    loss : ndarray, shape (epochs,)
        Training error before each epoch's update.
    spread : ndarray, shape (epochs + 1,)
        Before training and after every epoch, the largest difference between two hidden
        units: :math:`\\max_{a,b}\\max|p_a - p_b|`, where :math:`p_a` lists unit a's
        incoming weights, its bias and its outgoing weight. Zero means the hidden units
        are identical copies of each other.
    network : Network
        The trained network.
    """

    label: str
    loss: np.ndarray
    spread: np.ndarray
    network: Network


def _hidden_spread(net: Network) -> float:
    # One row per hidden unit: incoming weights, bias, outgoing weights.
    units = np.column_stack([net.weights[0], net.biases[0], net.weights[1].T])
    return float(np.max(np.abs(units[:, np.newaxis, :] - units[np.newaxis, :, :])))


def symmetric_initialisation_demo(
    epochs: int = 500,
    eta: float = 2.0,
    seed: int = 0,
    n_hidden: int = 3,
    initial_weight: float = 0.3,
) -> tuple[SymmetryRun, SymmetryRun]:
    """Train a 2-h-1 sigmoid network on XOR from symmetric and from random weights.

    Chapter 9 (lecture section 9.3, "symmetry breaking"). The symmetric network starts
    with every weight equal to ``initial_weight`` and every bias 0; the random one is
    Xavier-initialised from ``default_rng(seed)``. Both take ``epochs`` full-batch
    steps (:meth:`Network.train_step` on all four examples) with the lecture's
    :math:`E = \\tfrac12\\sum(t - o)^2`. Because identical hidden units receive identical
    deltas, the symmetric network's hidden units stay identical for ever and it
    behaves like a network with a single hidden unit, which cannot represent XOR.

    Parameters
    ----------
    epochs : int
    eta : float
        Learning rate (> 0).
    seed : int
        Seeds the random network.
    n_hidden : int
        Number of hidden units (>= 2).
    initial_weight : float
        The common starting weight of the symmetric network (e.g. -50 to 50).

    Returns
    -------
    (SymmetryRun, SymmetryRun)
        The symmetric run and the random run.
    """
    if n_hidden < 2:
        raise ValueError(f"n_hidden must be at least 2 to compare hidden units, got {n_hidden}")
    x, t = xor_data()
    c = float(initial_weight)
    symmetric = Network.from_weights(
        [np.full((n_hidden, 2), c), np.full((1, n_hidden), c)],
        [np.zeros(n_hidden), np.zeros(1)],
        ["sigmoid", "sigmoid"],
    )
    random = Network.initialise([2, n_hidden, 1], "sigmoid", np.random.default_rng(seed),
                                scheme="xavier")
    runs = []
    for label, net in (("symmetric", symmetric), ("random", random)):
        loss = np.empty(epochs)
        spread = np.empty(epochs + 1)
        spread[0] = _hidden_spread(net)
        with np.errstate(over="ignore"):
            for epoch in range(epochs):
                loss[epoch] = net.train_step(x, t, eta)
                spread[epoch + 1] = _hidden_spread(net)
        runs.append(SymmetryRun(label, loss, spread, net))
    return runs[0], runs[1]


# ------------------------------------------------------ section 9.4: vanishing gradients
@dataclass(frozen=True)
class LayerGradientNorms:
    """Result of :func:`gradient_norms_by_layer`.

    Attributes
    ----------
    activation, scheme : str
        Hidden activation and initialisation scheme used.
    norms : ndarray, shape (depth + 1,)
        Frobenius norm of :math:`\\partial E/\\partial W` for layers 1 (next to the
        inputs) to depth + 1 (the linear output layer).
    """

    activation: str
    scheme: str
    norms: np.ndarray

    @property
    def layers(self) -> np.ndarray:
        """Layer numbers 1 .. depth + 1."""
        return np.arange(1, self.norms.size + 1)


def gradient_norms_by_layer(
    depth: int = 10,
    activation: str = "sigmoid",
    width: int = 16,
    seed: int = 0,
    batch_size: int = 64,
    scheme: str | None = None,
) -> LayerGradientNorms:
    """Norm of the weight gradient of every layer after one backward pass of a deep net.

    Chapter 9 (lecture Table 3, "vanishing gradients"). The network has ``depth``
    hidden layers of ``width`` units with the given activation and one linear output
    unit, loss :math:`\\tfrac{1}{2m}\\sum (o - t)^2`. The batch (inputs and targets
    standard normal, shapes (batch_size, width) and (batch_size, 1)) and the weights
    come from ``default_rng(seed)``.

    Parameters
    ----------
    depth : int
        Number of hidden layers (>= 1).
    activation : {"sigmoid", "tanh", "relu"}
    width, seed, batch_size : int
    scheme : {"lecture", "xavier", "he"} or None
        None picks Xavier for sigmoid and tanh and He for ReLU.

    Returns
    -------
    LayerGradientNorms
    """
    if scheme is None:
        scheme = "he" if activation == "relu" else "xavier"
    rng = np.random.default_rng(seed)
    net = Network.initialise(
        [width] * (depth + 1) + [1], [activation] * depth + ["linear"], rng, scheme=scheme,
        loss="mean_squared",
    )
    x = rng.normal(size=(batch_size, width))
    t = rng.normal(size=(batch_size, 1))
    grads = net.backward(net.forward(x), t)
    norms = np.array([np.linalg.norm(g) for g in grads.weights])
    return LayerGradientNorms(activation, scheme, norms)


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
    """Stochastic training with post 002's printed rules (same shuffling as ``train``)."""
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
