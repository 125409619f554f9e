"""Textbook diagrams for the backpropagation course, drawn with matplotlib only.

Importing this package has no side effects: :mod:`matplotlib.pyplot` is imported
inside the functions that need a new figure, and nothing ever calls ``plt.show``.

One module per job, each naming the chapters that use it:

- :mod:`backprop.diagrams.network` - :class:`NetworkDiagram` and :func:`draw_network`:
  a network with every weight, bias and (optionally) input, output ``o_j`` and error
  term ``delta_j`` printed on it (chapters 2, 7, 8, 10, 11, 12).
- :mod:`backprop.diagrams.layout` - where the units and texts of a network diagram go:
  pure geometry, no matplotlib.
- :mod:`backprop.diagrams.schematics` - :func:`draw_two_phase_flow`, the forward and
  backward flow (chapter 2, Figure 1), and :func:`draw_training_cycle`, the four-step
  training cycle (chapter 6, Figure 2).
- :mod:`backprop.diagrams.sigmoid_plots` - the sigmoid, tanh and ReLU and their
  derivatives (chapter 4).
- :mod:`backprop.diagrams.algorithm_plots` - training errors of the XOR runs and of the
  three update rules (chapter 5).
- :mod:`backprop.diagrams.graph_drawing` - :func:`draw_graph`, a computational graph
  with every value and gradient (chapter 13).
- :mod:`backprop.diagrams.style` - the Okabe-Ito colours, font sizes and line widths,
  and the book's plot style (:func:`book_style`, :func:`line_style`) that every figure
  function of the package draws in.
- :mod:`backprop.diagrams.colour_vision` - deuteranopia simulation and CIEDE2000, which
  chose the plot style's colours and check them.

Convention (used throughout the course)
---------------------------------------
``w_ji`` is the weight from unit ``i`` *into* unit ``j``.  Layer ``l`` therefore
has a weight matrix of shape ``(n_out, n_in)`` where ``W[j, i]`` connects input
unit ``i`` of that layer to unit ``j``, and a bias vector of shape ``(n_out,)``.
Units are numbered like the lecture: consecutively across the layers starting
at 1, so a 3-2-1 network has input units 1, 2, 3, hidden units 4, 5 and output
unit 6.  Layers are numbered from 1 in messages (``weights[0]`` is layer 1).
"""

from backprop.diagrams.network import NetworkDiagram, draw_network
from backprop.diagrams.schematics import draw_training_cycle, draw_two_phase_flow

__all__ = [
    "NetworkDiagram",
    "draw_network",
    "draw_two_phase_flow",
    "draw_training_cycle",
]
