"""The worked examples of the lecture and the two posts, built once for every chapter.

Each function returns a fresh :class:`Example`, so a chapter or test can train
its network without changing anyone else's.

Unit numbering follows the lecture's 3-2-1 example: units are numbered
consecutively from the inputs, and the weight from unit i into unit j is
:math:`w_{j,i}` (the lecture's section 3.3 convention). Where a source numbers or
orders subscripts differently, the docstring says how it reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from backprop.network import Network

__all__ = [
    "Example",
    "chain_two_node",
    "multi_output_2_2_2",
    "post001_network",
    "post002_network",
    "post002_target",
    "worked_3_2_1",
]


@dataclass
class Example:
    """A network with the input, target and learning rate of one worked example.

    Attributes
    ----------
    network : Network
    x : ndarray, shape (n_in,)
    t : ndarray, shape (n_out,)
    eta : float
    unit_labels : list of list of str
        Unit numbers per layer, input layer first (``[["1", "2", "3"], ["4", "5"], ["6"]]``).
    source : str
        Where the example comes from.
    """

    network: Network
    x: np.ndarray
    t: np.ndarray
    eta: float
    unit_labels: list[list[str]]
    source: str = ""
    notes: dict[str, str] = field(default_factory=dict)


def _numbered(sizes: list[int]) -> list[list[str]]:
    labels, start = [], 1
    for size in sizes:
        labels.append([str(n) for n in range(start, start + size)])
        start += size
    return labels


def worked_3_2_1() -> Example:
    """Lecture section 7: inputs 1-3, hidden units 4 and 5, output 6, eta = 0.9.

    The lecture's section 7 writes the weight from input 1 into unit 4 as
    :math:`w_{1,4}` (and :math:`w_{46}` from 4 into 6), i-to-j order; in the
    course's convention they are :math:`w_{4,1}` and :math:`w_{6,4}`.
    """
    network = Network.from_weights(
        weights=[[[0.2, 0.4, -0.5], [-0.3, 0.1, 0.2]], [[-0.3, -0.2]]],
        biases=[[-0.4, 0.2], [0.1]],
        activations=["sigmoid", "sigmoid"],
    )
    return Example(
        network, np.array([1.0, 0.0, 1.0]), np.array([1.0]), 0.9, _numbered([3, 2, 1]),
        source="lecture section 7",
        notes={"lecture_order": "the lecture writes w_{1,4} for the weight from 1 into 4"},
    )


def multi_output_2_2_2() -> Example:
    """Lecture section 10: 2 inputs, 2 hidden, 2 outputs, zero biases, eta = 0.5.

    The lecture names the hidden units 1, 2 (outputs h_1, h_2) and the output units
    3, 4 (outputs o_1, o_2), and writes :math:`w_{12}` for the weight from input 1
    into hidden unit 2 and :math:`w_{13}` for hidden 1 into output 3 (i-to-j order).
    Here the units are numbered 1-6 from the inputs: lecture hidden 1, 2 are units 3,
    4 and lecture outputs 3, 4 are units 5, 6; lecture :math:`w_{ij}` reads
    :math:`w_{j,i}`.
    """
    network = Network.from_weights(
        weights=[[[0.15, 0.25], [0.20, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
        biases=[[0.0, 0.0], [0.0, 0.0]],
        activations=["sigmoid", "sigmoid"],
    )
    return Example(
        network, np.array([0.5, 0.8]), np.array([1.0, 0.0]), 0.5, _numbered([2, 2, 2]),
        source="lecture section 10",
        notes={"lecture_units": "lecture hidden 1, 2 = units 3, 4; lecture outputs 3, 4 = "
               "units 5, 6"},
    )


def chain_two_node() -> Example:
    """Lecture section 8: x -> h -> o, w_xh = 0.5, w_ho = 0.8, zero biases, t = 1, eta = 0.9."""
    network = Network.from_weights(
        weights=[[[0.5]], [[0.8]]], biases=[[0.0], [0.0]], activations=["sigmoid", "sigmoid"]
    )
    return Example(
        network, np.array([1.0]), np.array([1.0]), 0.9, [["x"], ["h"], ["o"]],
        source="lecture section 8.4",
    )


def post001_network(rng: np.random.Generator) -> Network:
    """Post 001's 2-3-1 network: sigmoid hidden layer, linear output, L = 1/(2m)||A - y||^2.

    Post 001 stores :math:`W_1` with shape (2, 3) (inputs by units) and computes
    :math:`X W_1`; the course stores its transpose, shape (3, 2), and computes
    :math:`X W^\\top` (chapter 11 explains the transpose).
    """
    return Network.initialise(
        [2, 3, 1], ["sigmoid", "linear"], rng, scheme="xavier", loss="mean_squared"
    )


def post002_target(x) -> np.ndarray:
    """Post 002's function :math:`f(x_1, x_2) = 2x_1 + 3x_2 + 10`; x of shape (m, 2) -> (m, 1)."""
    x = np.asarray(x, dtype=np.float64)
    return (2.0 * x[..., 0] + 3.0 * x[..., 1] + 10.0)[..., np.newaxis]


def post002_network(rng: np.random.Generator, activation: str = "sigmoid") -> Network:
    """Post 002's 2-2-2-1 network: two hidden layers of two units and a linear output.

    Post 002 writes :math:`w^{(l)}_{ji}` for the weight from unit i into unit j of
    layer l, as the course does, so its matrices read the same way here.
    """
    return Network.initialise(
        [2, 2, 2, 1], [activation, activation, "linear"], rng, scheme="xavier"
    )
