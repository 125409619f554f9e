"""The experiments of the book's chapters, one module per chapter.

- :mod:`backprop.experiments.practical` - chapter 9, practical considerations: stopping
  criteria, learning-rate and momentum curves, symmetric initialisation, gradient norms
  by layer; its figures and tables in :mod:`backprop.experiments.practical_figures`.
- :mod:`backprop.experiments.post002` - chapter 12, deeper networks: post 002's 2-2-2-1
  network, its printed update rules and their gradient check; its figures and tables in
  :mod:`backprop.experiments.post002_figures`.

Every public name of those modules is importable from here too
(``from backprop.experiments import learning_rate_curves``).
"""

from backprop.experiments.post002 import (
    POST002_DISAGREE,
    ConvergedRun,
    Post002Run,
    Post002Training,
    RuleComparison,
    plane_fit,
    post002_delta_comparison,
    post002_eta_sweep,
    post002_printed_rule_gradients,
    post002_rule_comparison,
    sweep_tail_epochs,
    train_post002,
    train_post002_to_convergence,
)
from backprop.experiments.practical import (
    Curve,
    LayerGradientNorms,
    StepRow,
    StoppingRun,
    SymmetryRun,
    gradient_norms_by_layer,
    learning_rate_curves,
    learning_rate_run,
    learning_rate_step_table,
    momentum_curves,
    regression_data,
    stopping_criteria_runs,
    symmetric_initialisation_demo,
    xor_data,
)

__all__ = [
    "POST002_DISAGREE",
    "ConvergedRun",
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
    "learning_rate_run",
    "learning_rate_step_table",
    "momentum_curves",
    "plane_fit",
    "post002_delta_comparison",
    "post002_eta_sweep",
    "post002_printed_rule_gradients",
    "post002_rule_comparison",
    "sweep_tail_epochs",
    "regression_data",
    "stopping_criteria_runs",
    "symmetric_initialisation_demo",
    "train_post002",
    "train_post002_to_convergence",
    "xor_data",
]
