"""The gradient norm of every layer of a deep network: chapter 9's explorer.

:func:`vanishing_gradient_explorer` is the explorer: depth, activation and initialisation
controls and the view ``vanishing_gradient.js``, which rebuilds the engine's networks from
the seeded draws of :func:`vanishing_gradient_draws` and computes in the page.
:func:`vanishing_gradient_state` is the engine's answer, which the parity test
(``tests/explorers/test_vanishing_gradient.py``) compares with every number the view shows.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import numpy as np

from backprop.experiments import LayerGradientNorms, gradient_norms_by_layer
from backprop.explorers.post002 import generator_state

# ============================================================ vanishing gradient (ch. 9)
#: Hidden activations offered by the vanishing-gradient explorer.
ACTIVATION_CHOICES = ("sigmoid", "tanh", "relu")


@dataclass(frozen=True)
class VanishingGradientState:
    """Gradient norm per layer for one activation, and for the others to compare.

    Attributes
    ----------
    depth : int
        Number of hidden layers.
    selected : LayerGradientNorms
        For the chosen activation.
    comparison : dict of str to LayerGradientNorms
        Every activation of :data:`ACTIVATION_CHOICES` (the chosen one included), each
        with its own default initialisation unless ``scheme`` was given.
    """

    depth: int
    selected: LayerGradientNorms
    comparison: dict

    @property
    def first_to_last(self) -> float:
        """Norm of layer 1 (next to the inputs) over the norm of the output layer."""
        norms = self.selected.norms
        if norms[-1] == 0:
            return float("nan")
        return float(norms[0] / norms[-1])

    @property
    def finite(self) -> bool:
        return bool(np.isfinite(self.selected.norms).all())

    @property
    def message(self) -> str:
        """``""`` or a note on overflow or on gradients that vanished to exactly 0."""
        norms = self.selected.norms
        if not self.finite:
            return "diverged: a gradient overflowed to infinity or NaN"
        if np.any(norms == 0):
            return "some layers' gradients are exactly 0 (underflow or dead ReLUs)"
        return ""


def vanishing_gradient_state(
    depth: int,
    activation: str = "sigmoid",
    scheme: str | None = None,
    width: int = 16,
    seed: int = 0,
) -> VanishingGradientState:
    """Gradient norm of every layer of a deep network after one backward pass.

    Chapter 9 (the vanishing-gradient explorer), through
    :func:`backprop.experiments.gradient_norms_by_layer` for each activation of
    :data:`ACTIVATION_CHOICES`.

    Parameters
    ----------
    depth : int
        Number of hidden layers (>= 1).
    activation : {"sigmoid", "tanh", "relu"}
    scheme : {"lecture", "xavier", "he"} or None
        Initialisation of every network; None (or ``"auto"``) picks Xavier for
        sigmoid and tanh and He for ReLU.
    width, seed : int

    Returns
    -------
    VanishingGradientState
    """
    if activation not in ACTIVATION_CHOICES:
        raise ValueError(f"activation must be one of {ACTIVATION_CHOICES}, got {activation!r}")
    scheme = None if scheme == "auto" else scheme
    comparison = {}
    with np.errstate(all="ignore"):
        for name in ACTIVATION_CHOICES:
            comparison[name] = gradient_norms_by_layer(int(depth), name, width=width, seed=seed,
                                                       scheme=scheme)
    return VanishingGradientState(int(depth), comparison[activation], comparison)




# ================================================================= the explorer's page data
#: The depth slider's range (hidden layers) and the initialisation dropdown's options.
MAX_DEPTH = 50
SCHEME_CHOICES = ("auto", "lecture", "xavier", "he")
_WIDTH, _BATCH = 16, 64
# PCG64's multiplier (numpy's PCG64 is the 128-bit LCG state -> XSL-RR output): stepping
# the state tells how many 64-bit words one normal draw took.
_PCG64_MULTIPLIER = 47026247687942121848144207491837523525
_MASK_128 = (1 << 128) - 1


def _normal_chain(seed: int, starts: list[tuple[int, int]]) -> tuple[dict, int]:
    """Every standard normal the networks draw, by the stream position it starts at.

    ``starts`` lists ``(position, count)``: ``count`` normals drawn one after another from
    stream position ``position`` of ``default_rng(seed)``. A normal (numpy's ziggurat)
    takes one 64-bit word, rarely more; runs from different starts meet within a few
    draws, so the union of all of them is about one stream long.

    Returns
    -------
    chain : dict of int to (float, int)
        Start position -> (the normal, how many words it took).
    end : int
        One past the last word any run took.
    """
    chain: dict[int, tuple[float, int]] = {}
    at = {"rng": None, "position": -1}

    def draw(position: int) -> tuple[float, int]:
        if at["position"] != position:
            rng = np.random.default_rng(seed)
            rng.bit_generator.advance(position)
            at["rng"] = rng
        rng = at["rng"]
        before = rng.bit_generator.state["state"]
        value = float(rng.standard_normal())
        after, state, used = rng.bit_generator.state["state"]["state"], before["state"], 0
        while state != after:
            state, used = (state * _PCG64_MULTIPLIER + before["inc"]) & _MASK_128, used + 1
        at["position"] = position + used
        return value, used

    end = 0
    for position, count in starts:
        for _ in range(count):
            if position not in chain:
                chain[position] = draw(position)
            position += chain[position][1]
        end = max(end, position)
    return chain, end


def _fast_path_parts(words: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ziggurat's one-word reading of each word: layer, sign bit and 52-bit magnitude."""
    words = words.astype(np.uint64)
    layer = (words & np.uint64(0xFF)).astype(np.intp)
    sign = ((words >> np.uint64(8)) & np.uint64(1)).astype(bool)
    magnitude = ((words >> np.uint64(9)) & np.uint64(0x000FFFFFFFFFFFFF)).astype(np.float64)
    return layer, sign, magnitude


def _neighbours(value: float, count: int) -> list[float]:
    """``value`` and the ``count`` doubles on each side of it, nearest first."""
    found, low, high = [value], value, value
    for _ in range(count):
        low, high = float(np.nextafter(low, -np.inf)), float(np.nextafter(high, np.inf))
        found += [low, high]
    return found


def vanishing_gradient_draws(seed: int = 0, max_depth: int = MAX_DEPTH) -> dict:
    """The seeded draws of every network the explorer can show, as few bytes as possible.

    :func:`~backprop.experiments.gradient_norms_by_layer` draws, for depth d, the weights
    layer by layer and then the batch (normals) from a fresh ``default_rng(seed)``: the
    weights of depth d are a prefix of those of depth 50, but its batch starts d layers
    into the stream. Every number of every (depth, initialisation) is therefore a function
    of one stream of 64-bit words (about 14,700 for depth 50): a uniform is its top 53 bits
    times 2**-53, a normal its ziggurat reading. The page gets the generator's state and
    makes that stream itself (PCG64 in ``js/pcg64.js``; the words, random, would take
    118 kB gzipped), and gets the ziggurat's 256 layer widths (found from numpy's own draws)
    and the few normals that take the ziggurat's slow path (about 1.4%: they need ``exp``
    and ``log``, which JavaScript need not round as numpy does), so it rebuilds each
    network exactly; this is checked here for every normal used.

    Returns
    -------
    dict
        ``rng`` (``default_rng(seed)``'s PCG64 state,
        :func:`~backprop.explorers.post002.generator_state`), ``words`` (how many 64-bit
        words of it the page makes), ``widths`` (base64 of 256 float64), ``slow``
        (``positions``, ``used`` and base64 ``values`` of the normals the one-word rule does
        not give), ``width``, ``batch``, ``max_depth``.
    """
    per_batch = _BATCH * _WIDTH + _BATCH
    square = _WIDTH * _WIDTH
    starts = [(0, square * max_depth + _WIDTH + per_batch)]  # he: normals only
    starts += [(square * d + _WIDTH, per_batch) for d in range(1, max_depth + 1)]  # xavier
    starts += [((square + _WIDTH) * d + _WIDTH + 1, per_batch)  # lecture: biases too
               for d in range(1, max_depth + 1)]
    chain, end = _normal_chain(seed, starts)
    words = np.random.default_rng(seed).bit_generator.random_raw(end).astype("<u8")
    positions = np.array(sorted(chain))
    values = np.array([chain[p][0] for p in positions])
    used = np.array([chain[p][1] for p in positions])
    layer, sign, magnitude = _fast_path_parts(words[positions])
    fast = used == 1
    # Each layer's width w: fl(magnitude * w) is |normal| for all its one-word draws.
    widths = np.zeros(256)
    for k in range(256):
        mine = fast & (layer == k) & (magnitude > 0)
        if mine.any():
            guess = float(np.abs(values[mine][0]) / magnitude[mine][0])
            for w in _neighbours(guess, 4):
                if np.array_equal(magnitude[mine] * w, np.abs(values[mine])):
                    widths[k] = w
                    break
    rebuilt = magnitude * widths[layer]
    rebuilt = np.where(sign, -rebuilt, rebuilt)
    # the slow path, and any one-word draw the rule would not give to the bit
    listed = ~fast | (rebuilt != values) | (np.signbit(rebuilt) != np.signbit(values))
    return {
        "rng": generator_state(np.random.default_rng(seed)),
        "words": int(end),
        "widths": base64.b64encode(widths.astype("<f8").tobytes()).decode("ascii"),
        "slow": {
            "positions": positions[listed].tolist(),
            "used": used[listed].tolist(),
            "values": base64.b64encode(values[listed].astype("<f8").tobytes()).decode("ascii"),
        },
        "width": _WIDTH,
        "batch": _BATCH,
        "max_depth": int(max_depth),
    }


def vanishing_gradient_explorer(depth: int = 10, activation: str = "sigmoid",
                                scheme: str = "auto", seed: int = 0):
    """Chapter 9: depth, activation and initialisation; the gradient norm of every layer.

    A depth slider (1 to 50 hidden layers of 16 units), the activation (sigmoid, tanh,
    ReLU) and the initialisation (``"auto"``: Xavier for sigmoid and tanh, He for ReLU;
    ``"lecture"``, ``"xavier"``, ``"he"``). The view draws the norm of
    :math:`\\partial E/\\partial W` per layer for all three activations (the chosen one
    bold), says how layer 1's compares with the output layer's, and lists the numbers in a
    table. It computes in the page, so the controls work in the static HTML book too.

    Parameters
    ----------
    depth : int
        Hidden layers, 1 to 50.
    activation : {"sigmoid", "tanh", "relu"}
    scheme : {"auto", "lecture", "xavier", "he"}
    seed : int
        Seeds every network and batch, as in :func:`vanishing_gradient_state`.

    Returns
    -------
    ipywidgets.VBox
        The controls and the view; ``.view`` is the widget, ``.controls`` the controls by
        value name (``depth``, ``activation``, ``scheme``; the last two are linked by their
        ``index``, the selection widgets' value in the front end).
    """
    import ipywidgets

    from backprop.explorers.widget import explorer_widget, link_controls

    if not (isinstance(depth, (int, np.integer)) and 1 <= depth <= MAX_DEPTH):
        raise ValueError(f"depth must be an integer from 1 to {MAX_DEPTH}, got {depth!r}")
    if activation not in ACTIVATION_CHOICES:
        raise ValueError(f"activation must be one of {ACTIVATION_CHOICES}, got {activation!r}")
    if scheme not in SCHEME_CHOICES:
        raise ValueError(f"scheme must be one of {SCHEME_CHOICES}, got {scheme!r}")
    view = explorer_widget(
        "vanishing_gradient.js", data=vanishing_gradient_draws(seed), depth=int(depth),
        activation=ACTIVATION_CHOICES.index(activation), scheme=SCHEME_CHOICES.index(scheme),
    )
    depth_slider = ipywidgets.IntSlider(
        value=int(depth), min=1, max=MAX_DEPTH, description="depth", continuous_update=True,
        layout=ipywidgets.Layout(width="min(100%, 420px)"),
    )
    activations = ipywidgets.ToggleButtons(
        options=list(ACTIVATION_CHOICES), value=activation, description="activation",
        style={"button_width": "80px"},
    )
    schemes = ipywidgets.Dropdown(
        options=list(SCHEME_CHOICES), value=scheme, description="initialisation",
        style={"description_width": "initial"}, layout=ipywidgets.Layout(width="220px"),
    )
    links = link_controls(view, {"depth": depth_slider})
    # A selection widget's front end holds its index, not its value: link the index.
    links += [ipywidgets.jslink((activations, "index"), (view, "activation")),
              ipywidgets.jslink((schemes, "index"), (view, "scheme"))]
    box = ipywidgets.VBox([
        ipywidgets.HBox([depth_slider, schemes], layout=ipywidgets.Layout(flex_flow="row wrap")),
        activations, view,
    ])
    box.view, box.links = view, links
    box.controls = {"depth": depth_slider, "activation": activations, "scheme": schemes}
    return box
