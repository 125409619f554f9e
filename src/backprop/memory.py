"""What the backward pass stores and what it costs (chapter 11, "Memory and cost").

Chapter 11 (vectorized backpropagation) measures two things with the engine (chapters 1, 6
and 14 quote its count of the cost):

* **memory**: the backward pass needs every layer's activations, which the forward pass
  keeps in a :class:`~backprop.network.Trace`. :func:`trace_bytes` counts the bytes a
  trace holds, :func:`activation_bytes` the part the backward pass cannot do without,
  and :func:`memory_rows` measures both for a range of depths and batch sizes;
* **the batch size memory allows**: a training step keeps a fixed part (the weights and
  their gradients) and a part for every example (its activations in every layer);
  :func:`training_memory` and :func:`prediction_memory` split the bytes so
  (:class:`BatchMemory`), and :meth:`BatchMemory.largest_batch` finds the largest batch
  that fits a budget;
* **cost**: :func:`multiply_adds` counts the multiply-adds of the forward pass and of the
  two halves of the backward pass (the error terms and the weight gradients), which is
  where "the backward pass costs one to two forward passes, the whole gradient two to
  three" comes from: two per weight above the first layer, one per first-layer weight.

:func:`plot_memory` draws the chapter's figure in the book's plot style (Okabe-Ito colours
that stay apart under deuteranopia, one marker per line: :mod:`backprop.diagrams.style`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from backprop.diagrams import style
from backprop.network import Network, Trace

__all__ = [
    "OKABE_ITO",
    "BatchMemory",
    "MemoryRow",
    "activation_bytes",
    "memory_rows",
    "multiply_adds",
    "parameter_bytes",
    "plot_memory",
    "prediction_memory",
    "stacked_network",
    "trace_bytes",
    "training_memory",
]

OKABE_ITO = style.OKABE_ITO
"""The Okabe-Ito palette, safe for the common forms of colour blindness (from the style)."""


def trace_bytes(trace: Trace) -> int:
    """Bytes held by a forward pass's trace: the input, every net input and every output.

    Parameters
    ----------
    trace : Trace
        From :meth:`Network.forward`.

    Returns
    -------
    int
        The sum of ``nbytes`` over ``trace.inputs``, ``trace.nets`` and ``trace.outputs``.
    """
    arrays = [trace.inputs, *trace.nets, *trace.outputs]
    return int(sum(a.nbytes for a in arrays))


def activation_bytes(trace: Trace) -> int:
    """Bytes of what the backward pass cannot do without: every layer's activations.

    The weight gradient of layer l needs the activations ``a^{l-1}`` it received, and the
    derivative ``f'(net)`` of the sigmoid, tanh, ReLU and linear units can be read off the
    unit's output, so the input and the outputs of every layer suffice; the net inputs
    that the engine's trace also keeps are a convenience.

    Parameters
    ----------
    trace : Trace
        From :meth:`Network.forward`.

    Returns
    -------
    int
        ``nbytes`` of ``trace.inputs`` plus those of every ``trace.outputs[l]``.
    """
    return int(trace.inputs.nbytes + sum(a.nbytes for a in trace.outputs))


def parameter_bytes(network: Network) -> int:
    """Bytes of a network's weights and biases (the same for any batch size)."""
    return int(sum(w.nbytes + b.nbytes for w, b in zip(network.weights, network.biases,
                                                         strict=True)))


def stacked_network(depth: int, width: int, n_in: int, n_out: int,
                    rng: np.random.Generator) -> Network:
    """A network of ``depth`` sigmoid hidden layers of ``width`` units and a linear output.

    Parameters
    ----------
    depth : int
        Number of hidden layers (at least 1).
    width, n_in, n_out : int
        Units per hidden layer, inputs, outputs.
    rng : numpy.random.Generator
        Seeded generator for the Xavier initialisation.
    """
    if depth < 1:
        raise ValueError(f"depth must be at least 1, got {depth}")
    sizes = [n_in, *([width] * depth), n_out]
    return Network.initialise(sizes, ["sigmoid"] * depth + ["linear"], rng, scheme="xavier")


@dataclass(frozen=True)
class MemoryRow:
    """One measurement of :func:`memory_rows`.

    Attributes
    ----------
    depth, batch : int
        Hidden layers and examples in the batch.
    trace : int
        Bytes of the whole trace (:func:`trace_bytes`).
    activations : int
        Bytes the backward pass needs (:func:`activation_bytes`).
    parameters : int
        Bytes of the weights and biases (:func:`parameter_bytes`).
    """

    depth: int
    batch: int
    trace: int
    activations: int
    parameters: int


def memory_rows(depths: Sequence[int], batches: Sequence[int], width: int = 64, n_in: int = 16,
                n_out: int = 1, seed: int = 0) -> list[MemoryRow]:
    """Run the engine's forward pass for every depth and batch size and count the bytes.

    Parameters
    ----------
    depths, batches : sequence of int
        Hidden-layer counts and batch sizes; every pair is measured.
    width, n_in, n_out : int
        Layer sizes, as in :func:`stacked_network`.
    seed : int
        Seed of the generator for the weights and the random inputs.

    Returns
    -------
    list of MemoryRow
        Depth-major order: all batch sizes of the first depth, then the next depth.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for depth in depths:
        net = stacked_network(depth, width, n_in, n_out, rng)
        for m in batches:
            trace = net.forward(rng.uniform(-1.0, 1.0, size=(m, n_in)))
            rows.append(MemoryRow(depth, m, trace_bytes(trace), activation_bytes(trace),
                                  parameter_bytes(net)))
    return rows


@dataclass(frozen=True)
class BatchMemory:
    """Bytes that do not grow with the batch and bytes per example: ``fixed + m * per_example``.

    Attributes
    ----------
    fixed : int
        Bytes kept whatever the batch size (the parameters, and for training their gradients).
    per_example : int
        Bytes added by every example of the batch (one row of each activation matrix kept).
    """

    fixed: int
    per_example: int

    def bytes(self, m: int) -> int:
        """Bytes for a batch of ``m`` examples."""
        return self.fixed + m * self.per_example

    def largest_batch(self, budget: int) -> int:
        """The largest batch whose bytes do not exceed ``budget`` (0 if not even one fits)."""
        return max(0, (budget - self.fixed) // self.per_example)

    def crossover(self) -> int:
        """The smallest batch whose per-example bytes exceed the fixed ones."""
        return self.fixed // self.per_example + 1


def _n_parameters(sizes: Sequence[int]) -> int:
    return sum(n_out * n_in + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))


def training_memory(layer_sizes: Sequence[int], itemsize: int = 8) -> BatchMemory:
    """What a training step keeps, in the matrix form of chapter 11.

    Fixed: the weights and biases and their gradients (two numbers per parameter). Per
    example: one row of every activation matrix :math:`A^0 = X, A^1, \\dots, A^L`, which
    the backward pass reads in reverse order (BP4 needs :math:`A^{l-1}`, the slopes need
    :math:`A^l`), so all of them are kept until it is done. Not counted: the net inputs (the
    sigmoid's slope is read off its output) and the error terms (the backward pass needs
    those of two layers at a time).

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_0, n_1, ..., n_L]``, as :attr:`Network.layer_sizes`.
    itemsize : int, default 8
        Bytes per number (float64).
    """
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError("layer_sizes needs at least two entries")
    return BatchMemory(2 * itemsize * _n_parameters(sizes), itemsize * sum(sizes))


def prediction_memory(layer_sizes: Sequence[int], itemsize: int = 8) -> BatchMemory:
    """What prediction alone keeps: the parameters, and two adjacent layers at a time.

    Fixed: the weights and biases (no gradients). Per example: while layer l is computed,
    one row of :math:`A^{l-1}` and of :math:`A^l`; :math:`A^{l-1}` can be dropped as soon
    as :math:`A^l` is done, so the most it holds is :math:`\\max_l (n_{l-1} + n_l)`.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_0, n_1, ..., n_L]``.
    itemsize : int, default 8
        Bytes per number (float64).
    """
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError("layer_sizes needs at least two entries")
    widest = max(n_in + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))
    return BatchMemory(itemsize * _n_parameters(sizes), itemsize * widest)


def multiply_adds(layer_sizes: Sequence[int], m: int = 1) -> dict[str, int]:
    """Multiply-adds of one forward and one backward pass on a batch of ``m`` examples.

    Layer l with ``n_l`` units fed by ``n_{l-1}`` costs ``m n_l n_{l-1}`` multiply-adds in
    each of three matrix products: the forward pass's ``A W^T``; the backward pass's
    ``Delta^l W^l``, which passes the error terms down to layer l - 1 (not needed below
    the first layer: the inputs have no error terms); and its ``Delta^T A``, the weight
    gradient. The element-wise work (activations, their slopes, biases) is of the order of
    the number of units, not of the weights, and is not counted.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_in, n_1, ..., n_out]``, as :attr:`Network.layer_sizes`.
    m : int, default 1
        Examples in the batch.

    Returns
    -------
    dict
        ``forward``, ``deltas``, ``weight_gradients``, ``backward`` (the last two added)
        and ``gradient`` (forward plus backward: the whole gradient; a training step adds
        the update, one multiply-add per parameter, not counted).
    """
    sizes = list(layer_sizes)
    if len(sizes) < 2 or m < 1:
        raise ValueError("layer_sizes needs at least two entries and m must be positive")
    products = [n_out * n_in for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
    forward = m * sum(products)
    deltas = m * sum(products[1:])
    weight_gradients = m * sum(products)
    return {"forward": forward, "deltas": deltas, "weight_gradients": weight_gradients,
            "backward": deltas + weight_gradients,
            "gradient": forward + deltas + weight_gradients}


def plot_memory(rows: Sequence[MemoryRow], ax) -> None:
    """Chapter 11's figure: trace bytes against depth, one line per batch size.

    Each batch size has its own colour, line style and marker (:func:`~backprop.diagrams.
    style.line_style`), at most four; the parameters' bytes, the same for every batch size,
    are drawn as a dashed black line without markers for comparison.

    Parameters
    ----------
    rows : sequence of MemoryRow
        From :func:`memory_rows`.
    ax : matplotlib.axes.Axes
        Where to draw.
    """
    batches = sorted({r.batch for r in rows})
    if len(batches) > 4:  # the fifth entry of the line cycle would be black, the weights' colour
        raise ValueError(f"plot_memory draws at most 4 batch sizes, got {len(batches)}")
    for k, m in enumerate(batches):
        mine = sorted((r for r in rows if r.batch == m), key=lambda r: r.depth)
        ax.plot([r.depth for r in mine], [r.trace / 1024 for r in mine],
                **style.line_style(k, marker=True), lw=1.8, label=f"trace, batch of {m}")
    params = sorted({(r.depth, r.parameters) for r in rows})
    ax.plot([d for d, _ in params], [p / 1024 for _, p in params], color=style.BLACK,
            ls="--", lw=1.4, label="weights and biases")
    ax.set_yscale("log")
    ax.set_xlabel("hidden layers")
    ax.set_ylabel("KiB (log scale)")
    ax.set_xticks(sorted({r.depth for r in rows}))
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
