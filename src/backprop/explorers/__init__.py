"""The book's interactive explorers: each computes in the reader's page, against the engine.

Each explorer is one module here with its view beside it (``sigmoid.py`` and
``sigmoid.js``, ...; :mod:`backprop.explorers.widget` says how they fit together): the
builder a chapter calls (``sigmoid_explorer()``) returns ipywidgets sliders linked in the
front end to an anywidget whose ES module recomputes and redraws on every slider event,
so the explorers move in the static HTML book too. Each module also holds the engine's
pure computation for its explorer, which the parity tests (``tests/explorers/``)
compare with every number the view shows: the function takes the slider values and
returns a frozen dataclass with everything the explorer shows (numbers, curves,
messages). Importing this package imports neither ipywidgets nor anywidget, nothing runs
on import, and every random draw comes from ``numpy.random.default_rng(seed)`` created
inside a function, so the same slider values always give the same result. Extreme but
legal slider values (weights up to +-50, learning rates up to 10) never raise: a run that
blows up comes back with a ``diverged``/``finite`` flag and a ``message``.

- :func:`worked_parameters`, :func:`worked_arrays`, :func:`worked_step`,
  :func:`worked_example_state` - one training step of a worked example (the
  lecture's 3-2-1 of chapters 6 and 7, the 2-2-2 of chapter 10), for
  :func:`~backprop.explorers.worked.worked_example_explorer`.
- :func:`learning_rate_run` - chapter 9's learning-rate experiment for one eta,
  with the trained network's fit, for
  :func:`~backprop.explorers.learning_rate.learning_rate_explorer`.
- :func:`sigmoid_point`, :func:`sigmoid_curves` - chapter 4's sigmoid and its
  derivative, for :func:`~backprop.explorers.sigmoid.sigmoid_explorer`.
- :func:`vanishing_gradient_state` - chapter 9's gradient norm per layer, for
  :func:`~backprop.explorers.vanishing_gradient.vanishing_gradient_explorer`.
- :func:`post002_state` - chapter 12's 2-2-2-1 network fitting
  :math:`2x_1 + 3x_2 + 10`, for :func:`~backprop.explorers.post002.post002_explorer`.

The learning-rate, vanishing-gradient and post 002 computations reuse
:mod:`backprop.experiments` (:func:`~backprop.experiments.regression_data`,
:func:`~backprop.experiments.gradient_norms_by_layer`,
:func:`~backprop.experiments.train_post002`); :func:`learning_rate_run` trains the
network itself because :func:`~backprop.experiments.learning_rate_curves` returns
only the loss curves, not the trained network the explorer draws the fit of (a
test checks that both give the same curve).
"""

from backprop.explorers.learning_rate import (
    LearningRateRun,
    learning_rate_explorer,
    learning_rate_run,
)
from backprop.explorers.post002 import (
    Post002State,
    post002_explorer,
    post002_state,
    post002_surface,
)
from backprop.explorers.sigmoid import (
    SigmoidPoint,
    sigmoid_curves,
    sigmoid_explorer,
    sigmoid_point,
)
from backprop.explorers.vanishing_gradient import (
    ACTIVATION_CHOICES,
    VanishingGradientState,
    vanishing_gradient_explorer,
    vanishing_gradient_state,
)
from backprop.explorers.worked import (
    Parameter,
    WorkedStep,
    worked_arrays,
    worked_example_explorer,
    worked_example_state,
    worked_parameters,
    worked_step,
)

__all__ = [
    "ACTIVATION_CHOICES",
    "LearningRateRun",
    "Parameter",
    "Post002State",
    "SigmoidPoint",
    "VanishingGradientState",
    "WorkedStep",
    "learning_rate_explorer",
    "learning_rate_run",
    "post002_explorer",
    "post002_state",
    "post002_surface",
    "sigmoid_curves",
    "sigmoid_explorer",
    "sigmoid_point",
    "vanishing_gradient_explorer",
    "vanishing_gradient_state",
    "worked_arrays",
    "worked_example_explorer",
    "worked_example_state",
    "worked_parameters",
    "worked_step",
]
