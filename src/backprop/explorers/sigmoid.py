"""Chapter 4's sigmoid explorer: the sigmoid and its slope at one net input.

:func:`sigmoid_explorer` is the explorer: a net-input slider and the view
``sigmoid.js``, which computes and draws in the page. :func:`sigmoid_point` is the
engine's answer for one point, which the parity test (``tests/explorers/test_sigmoid.py``)
compares with every number the view shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backprop.activations import ACTIVATIONS, sigmoid

#: Places of the net input the explorer writes (as given within them); its slider's step is 0.05.
NET_PLACES = 2


# ====================================================================== sigmoid (ch. 4)
@dataclass(frozen=True)
class SigmoidPoint:
    """The sigmoid and its slope at one net input.

    Attributes
    ----------
    net : float
    value : float
        :math:`\\sigma(\\mathrm{net})`.
    derivative : float
        :math:`\\sigma'(\\mathrm{net}) = \\sigma(1 - \\sigma)`, at most 1/4 (at 0).
    """

    net: float
    value: float
    derivative: float

    @property
    def fraction_of_max_slope(self) -> float:
        """``derivative / 0.25``: how much of the largest slope is left."""
        return self.derivative / 0.25


def sigmoid_point(net: float) -> SigmoidPoint:
    """:math:`\\sigma` and :math:`\\sigma'` at ``net`` (chapter 4's sigmoid explorer).

    Uses the engine's overflow-free :func:`backprop.sigmoid` and the derivative
    :math:`o(1 - o)` of its activation table; any finite ``net`` is fine
    (``sigmoid_point(-1000)`` is ``(0, 0)`` with no warning).
    """
    z = np.array([float(net)])
    o = sigmoid(z)
    d = ACTIVATIONS["sigmoid"].derivative(z, o)
    return SigmoidPoint(float(net), float(o[0]), float(d[0]))


def sigmoid_curves(low: float = -10.0, high: float = 10.0, n: int = 401):
    """The curves :math:`\\sigma` and :math:`\\sigma'` on a grid (chapter 4).

    Returns
    -------
    net, value, derivative : ndarray, shape (n,)
    """
    z = np.linspace(low, high, n)
    o = sigmoid(z)
    return z, o, ACTIVATIONS["sigmoid"].derivative(z, o)




def sigmoid_explorer(net: float = 0.0):
    """Chapter 4: a net-input slider and the point it picks on sigma and sigma'.

    The view shows :math:`\\sigma(\\mathrm{net})`, its slope
    :math:`\\sigma(1 - \\sigma)` and what fraction of the largest slope (1/4) is left,
    and draws the point on both curves with the tangent of sigma there. It computes in
    the page, so the slider works in the static HTML book too.

    Parameters
    ----------
    net : float
        The starting net input, in [-10, 10].

    Returns
    -------
    ipywidgets.VBox
        The slider and the view; ``.view`` is the widget, ``.controls`` the slider by name.
    """
    import ipywidgets

    from backprop.explorers.widget import (
        explorer_widget,
        given_readout,
        link_controls,
        link_readouts,
    )

    net = float(net)
    if not -10.0 <= net <= 10.0:
        raise ValueError(f"net must be between -10 and 10, got {net}")
    # the readout writes net as the view does, as given (2, not 2.00): the view sets it
    readout = given_readout(net, NET_PLACES)
    view = explorer_widget("sigmoid.js", data={}, net=net, readout_net=readout)
    slider = ipywidgets.FloatSlider(
        value=net, min=-10.0, max=10.0, step=0.05, description="net input",
        readout_format=readout, continuous_update=True,
        style={"description_width": "initial"}, layout=ipywidgets.Layout(width="min(100%, 520px)"),
    )
    controls = {"net": slider}
    box = ipywidgets.VBox([slider, view])
    box.view, box.controls = view, controls
    box.links = link_controls(view, controls) + link_readouts(view, controls)
    return box
