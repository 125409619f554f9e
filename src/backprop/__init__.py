"""backprop: the numeric engine of the backpropagation course book.

Every number, figure and answer of the book is computed here. The chapters
import it; nothing runs on import.

Glossary of the main names (the chapter that explains each is in its docstring):

- :class:`Network` - a fully connected network; ``forward``, ``backward``, ``train_step``.
- :class:`Trace` - the forward pass's net inputs and outputs, per layer.
- :class:`Gradients` - the backward pass's deltas (lecture sign) and dE/dW, dE/db.
- :func:`train` - the training loop with the lecture's stopping criteria.
- :func:`gradient_check` - backprop against fourth-order central differences.
- :func:`worked_solution` - one step as Markdown+LaTeX arithmetic.
- :mod:`backprop.lecture` - the lecture's and the posts' example networks.
"""

from backprop.activations import ACTIVATIONS, sigmoid, softmax
from backprop.gradcheck import gradient_check, numerical_gradients, relative_errors
from backprop.losses import LOSSES
from backprop.network import Gradients, Network, Trace
from backprop.training import History, TrainingDiverged, train
from backprop.worked import WorkedSolution, format_number, worked_solution

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "Gradients",
    "History",
    "Network",
    "Trace",
    "TrainingDiverged",
    "WorkedSolution",
    "format_number",
    "gradient_check",
    "numerical_gradients",
    "relative_errors",
    "sigmoid",
    "softmax",
    "train",
    "worked_solution",
]
