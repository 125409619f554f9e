"""Speed of the interactive explorers: the median time of one slider event.

    python benchmarks/explorers.py [--repeats N] [--check]

An event is what a reader's slider move costs in the kernel: the explorer's
callback runs its pure computation (backprop.explorers), updates the figure's
artists in place, re-renders the figure to PNG for its ipywidgets.Image, and
rewrites its text widgets. It is timed end to end by setting the slider's value,
exactly as the frontend does (ipywidgets needs no browser for this). The parts of
the worked-example event are timed separately as well: the 3-2-1 computation alone
(forward pass, deltas, update and E after: ``worked_step``), the same from slider
values (``worked_example_state``), the formulas (``worked_solution`` plus the
HTML for HTMLMath) and the diagram (update in place plus PNG). The engine's own
``train_step`` on a copy is printed for comparison (no target).

Targets (issue: explorers): one event <= 50 ms; the 3-2-1 computation <= 20 us.
``--check`` exits 1 if a target is missed. Timings depend on the machine and its
load. A post 002 eta event trains the network from scratch (200 epochs of 50
stochastic steps) and is dominated by the engine's per-example step; the explorer
keeps its runs, so returning to an eta is a look-up and an epochs event trains only
the new epochs.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"  # one thread, set before NumPy loads its BLAS

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import matplotlib  # noqa: E402

matplotlib.use("Agg")

from backprop import widgets  # noqa: E402
from backprop.explorers import worked_arrays, worked_example_state, worked_step  # noqa: E402
from backprop.lecture import multi_output_2_2_2, worked_3_2_1  # noqa: E402

EVENT_TARGET_MS = 50.0
COMPUTE_TARGET_US = 20.0


def median_seconds(action: Callable[[int], object], repeats: int, inner: int = 1) -> float:
    """Median over ``repeats`` of the mean time of ``inner`` calls of ``action(k)``."""
    times = []
    for k in range(repeats):
        start = time.perf_counter()
        for j in range(inner):
            action(k * inner + j)
        times.append((time.perf_counter() - start) / inner)
    return statistics.median(times)


def alternate(values):
    """An action cycling through ``values`` so that every event changes the value."""
    return lambda k: values[k % len(values)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    n = args.repeats
    rows = []  # (name, seconds, target seconds or None, unit)

    # ---------------------------------------------------------- worked example, parts
    example = worked_3_2_1()
    weights, biases, x, t, eta = worked_arrays(example)
    net = example.network
    rows.append(("3-2-1 compute: worked_step", median_seconds(
        lambda k: worked_step(net, weights, biases, x, t, eta), n, inner=2000),
        COMPUTE_TARGET_US * 1e-6, "us"))
    explorer = widgets.WorkedExampleExplorer(example)
    values, params = explorer.values(), explorer.parameters
    rows.append(("3-2-1 compute from sliders", median_seconds(
        lambda k: worked_example_state(example, values, params), n, inner=2000), None, "us"))

    def engine_step(k):
        copy = net.copy()
        copy.train_step(x, t, eta)
        copy.error(x, t)

    rows.append(("  (engine copy+train_step+error)", median_seconds(engine_step, n, inner=2000),
                 None, "us"))
    rows.append(("3-2-1 formulas (worked_solution+HTML)",
                 median_seconds(lambda k: explorer._show_text(), n, inner=5), None, "ms"))

    def diagram(k):
        explorer.state = worked_example_state(example, {"w_4,1": 0.2 + 0.001 * (k + 1)}, params)
        explorer._show_diagram()

    rows.append(("3-2-1 diagram update + PNG", median_seconds(diagram, n), None, "ms"))

    # ------------------------------------------------------------ events, end to end
    def slider_event(slider, values_):
        cycle = alternate(values_)
        return lambda k: setattr(slider, "value", cycle(k))

    rows.append(("worked 3-2-1: slider event", median_seconds(
        slider_event(explorer.sliders["w_4,1"], [0.2 + 0.01 * i for i in range(1, 40)]), n),
        EVENT_TARGET_MS * 1e-3, "ms"))
    two = widgets.WorkedExampleExplorer(multi_output_2_2_2())
    rows.append(("worked 2-2-2: slider event", median_seconds(
        slider_event(two.sliders["w_3,1"], [0.15 + 0.01 * i for i in range(1, 40)]), n),
        EVENT_TARGET_MS * 1e-3, "ms"))

    lr = widgets.LearningRateExplorer()
    rows.append(("learning rate: eta event (200 ep.)", median_seconds(
        slider_event(lr.eta, [0.3, 0.5, 0.7, 0.9, 1.1, 1.3]), n), EVENT_TARGET_MS * 1e-3, "ms"))

    sig = widgets.SigmoidExplorer()
    rows.append(("sigmoid: net event", median_seconds(
        slider_event(sig.net, [-4 + 0.05 * i for i in range(160)]), n),
        EVENT_TARGET_MS * 1e-3, "ms"))

    vg = widgets.VanishingGradientExplorer()
    rows.append(("vanishing gradient: depth event", median_seconds(
        slider_event(vg.depth, [9, 10, 11, 12]), n), EVENT_TARGET_MS * 1e-3, "ms"))

    post = widgets.Post002Explorer()
    etas = [0.05 + 0.001 * i for i in range(1, 100)]  # all different: no cache hit
    rows.append(("post 002: eta event (200 ep.)", median_seconds(
        slider_event(post.eta, etas), max(3, n // 3)), EVENT_TARGET_MS * 1e-3, "ms"))
    rows.append(("post 002: back to a kept eta", median_seconds(
        slider_event(post.eta, [etas[0], etas[1]]), n), EVENT_TARGET_MS * 1e-3, "ms"))
    later = [210 + 10 * i for i in range(n)]  # each event trains 10 more epochs
    rows.append(("post 002: epochs event (+10 ep.)", median_seconds(
        slider_event(post.epochs, later), n), EVENT_TARGET_MS * 1e-3, "ms"))

    # --------------------------------------------------------------------- the table
    print("backprop explorers: median time of one slider event (recompute + redraw); "
          f"{n} repeats, matplotlib {matplotlib.__version__}, Agg, {widgets.DPI} dpi PNG")
    print(f"{'case':<40}{'median':>12}{'target':>12}  result")
    missed = []
    for name, seconds, target, unit in rows:
        scale = 1e6 if unit == "us" else 1e3
        shown = f"{seconds * scale:.2f}{unit}"
        if target is None:
            print(f"{name:<40}{shown:>12}{'-':>12}")
            continue
        ok = seconds <= target
        print(f"{name:<40}{shown:>12}{'<=' + f'{target * scale:g}{unit}':>12}  "
              f"{'PASS' if ok else 'MISSED'}")
        if not ok:
            missed.append(name)
    if missed:
        print("targets missed: " + ", ".join(missed))
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
