"""Experiments behind chapter 9, practical considerations (``chapters/09_practical.ipynb``).

Every function here is a pure function of its arguments: randomness comes only from
``numpy.random.default_rng(seed)`` generators created inside the function, nothing
runs on import, and no global state is touched. The functions are small enough to be
called again and again by interactive slider widgets, and they never raise for
extreme but legal inputs (learning rates up to 10, weights up to +-50): a run that
blows up is reported as data (``diverged_at_epoch``), not as a traceback.

Chapter 9 follows lecture section 9:

- :func:`stopping_criteria_runs` - one run stopping for each of the lecture's four
  stopping criteria (:class:`StoppingRun`), section 9.1.
- :func:`learning_rate_step_table` - the lecture's table of one update for three eta;
  :func:`learning_rate_curves`, :func:`learning_rate_run`, :func:`momentum_curves` -
  loss curves of one seeded network trained with several learning rates or momenta
  (:class:`Curve`), section 9.2.
- :func:`symmetric_initialisation_demo` - hidden units that start equal stay equal
  (:class:`SymmetryRun`), section 9.3.
- :func:`gradient_norms_by_layer` - the vanishing gradient of deep sigmoid networks
  (:class:`LayerGradientNorms`), section 9.4.

The chapter's figures and tables are drawn by :mod:`backprop.experiments.practical_figures`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backprop.lecture import post001_network
from backprop.network import Network
from backprop.training import History, TrainingDiverged, train

__all__ = [
    "Curve",
    "LayerGradientNorms",
    "StepRow",
    "StoppingRun",
    "SymmetryRun",
    "gradient_norms_by_layer",
    "learning_rate_curves",
    "learning_rate_run",
    "learning_rate_step_table",
    "momentum_curves",
    "regression_data",
    "stopping_criteria_runs",
    "symmetric_initialisation_demo",
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
    n_hidden: int = 8,
) -> list[StoppingRun]:
    """The same seeded training run stopped by each of the lecture's four criteria.

    Chapter 9 (lecture section 9.1). A 1-``n_hidden``-1 network (sigmoid hidden, linear output,
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
    initial = Network.initialise([1, n_hidden, 1], ["sigmoid", "linear"], rng, scheme="xavier",
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
