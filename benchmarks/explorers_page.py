"""Speed of the explorers in the page: the time of one slider event in headless Chromium.

    python benchmarks/explorers_page.py [--events N]

Each explorer's view is opened in Chromium as tests/explorers/harness.py opens it (its
bundled ES module and the widget's data, no Jupyter), and one of its controls is swept
across its range, one value per event. An event is what a slider move costs the reader:
the model's value is set (the view's change handler recomputes and redraws the numbers,
the diagram and the charts) and the page's layout is forced (reading offsetHeight), all
timed inside the page with performance.now(). Printed per explorer: median and 95th
percentile of the event, against the issue's targets (16 ms median, 50 ms at the 95th
percentile), and the bytes the explorer adds to a page (its bundled module and its data,
as they sit in the page's widget state). Timings depend on the machine and its load;
the targets leave room for a slower machine than this one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "explorers"))  # the harness the tests use

from harness import open_explorer  # noqa: E402

import backprop.explorers as explorers  # noqa: E402
from backprop.lecture import multi_output_2_2_2  # noqa: E402

MEDIAN_TARGET_MS = 16.0
P95_TARGET_MS = 50.0

# (label, the explorer as a chapter builds it, the control swept)
EXPLORERS = [
    ("sigmoid (ch. 4)", explorers.sigmoid_explorer, "net"),
    ("worked 3-2-1 (ch. 6, 7)", explorers.worked_example_explorer, "w_4_1"),
    ("worked 2-2-2 (ch. 10)",
     lambda: explorers.worked_example_explorer(multi_output_2_2_2()), "w_5_3"),
    ("learning rate (ch. 9)", explorers.learning_rate_explorer, "epochs"),
    ("learning rate (ch. 9)", explorers.learning_rate_explorer, "eta"),
    ("vanishing gradient (ch. 9)", explorers.vanishing_gradient_explorer, "depth"),
    # 50 stochastic steps per epoch retrained from the start at each event: up to 25,000
    ("post 002 (ch. 12)", explorers.post002_explorer, "epochs"),
    # every eta retrains from the first epoch: 200 epochs of 50 stochastic steps
    ("post 002 (ch. 12)", explorers.post002_explorer, "eta"),
]


def sweep(control, events: int) -> list:
    """``events`` values of a slider, back and forth across its range on its grid (a log
    slider's min, max and step are exponents of its base)."""
    low, high, step = control.min, control.max, control.step
    positions = max(1, round((high - low) / step))
    values = []
    for k in range(events):
        cycle = k % (2 * positions)
        position = cycle if cycle <= positions else 2 * positions - cycle
        value = round(low + position * step, 10)
        values.append(control.base ** value if hasattr(control, "base") else value)
    return values


_TIME_EVENTS = """([name, values]) => {
    const el = document.getElementById("explorer");
    const times = [];
    for (const value of values) {
        const start = performance.now();
        window.explorer.model.set(name, value);
        void el.offsetHeight;  // force the layout of what the handler changed
        times.push(performance.now() - start);
    }
    return times;
}"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200, help="events per explorer")
    options = parser.parse_args(arguments)
    from playwright.sync_api import sync_playwright

    print(f"explorer events in headless Chromium, {options.events} per explorer "
          f"(targets: median <= {MEDIAN_TARGET_MS:.0f} ms, p95 <= {P95_TARGET_MS:.0f} ms)")
    print(f"{'explorer':<28}{'control':<10}{'median ms':>10}{'p95 ms':>9}{'max ms':>9}"
          f"{'module kB':>11}{'data kB':>9}  verdict")
    missed = False
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        for label, build, name in EXPLORERS:
            box = build()
            view = box.view
            # the view's values, and the control linked to each (the links say which)
            controls = {link.target[1]: link.source[0] for link in box.links}
            values = {trait: getattr(view, trait) for trait in controls}
            page = open_explorer(browser, view.view_file, view.data, values)
            for _warm in range(3):
                page.page.evaluate(_TIME_EVENTS, [name, sweep(controls[name], 20)])
            times = page.page.evaluate(_TIME_EVENTS, [name, sweep(controls[name],
                                                                  options.events)])
            page.check_clean()
            page.page.close()
            median, p95 = statistics.median(times), percentile(times, 0.95)
            ok = median <= MEDIAN_TARGET_MS and p95 <= P95_TARGET_MS
            missed |= not ok
            module_kb = len(view._esm.encode()) / 1000
            data_kb = len(json.dumps(view.data).encode()) / 1000
            print(f"{label:<28}{name:<10}{median:>10.2f}{p95:>9.2f}{max(times):>9.2f}"
                  f"{module_kb:>11.1f}{data_kb:>9.1f}  {'ok' if ok else 'MISSED'}")
        browser.close()
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
