"""Interactive explorers (ipywidgets) for the chapters where a reader tries things.

Each public function builds one explorer and returns its top widget (an
``ipywidgets.VBox``) for a chapter cell to end with; the widget's ``.explorer``
attribute is the explorer object, whose attributes hold the sliders and output
widgets (tests set slider values and read the outputs through it):

- :func:`worked_example_explorer` - chapters 6, 7 and 10: every weight, bias,
  input, target and eta of a worked example on a slider; one step of
  backpropagation on the network diagram and as formulas with the numbers
  plugged in (:func:`backprop.worked_solution`), E before and after the step.
- :func:`learning_rate_explorer` - chapter 9: eta and epochs; loss curve and fit.
- :func:`sigmoid_explorer` - chapter 4: a point moving on sigma and sigma'.
- :func:`vanishing_gradient_explorer` - chapter 9: depth and activation; the
  gradient norm of every layer.
- :func:`post002_explorer` - chapter 12: eta, epochs and seed; the fitted surface
  against :math:`2x_1 + 3x_2 + 10`.

The computations are the pure functions of :mod:`backprop.explorers`; this module
only draws. Design choices, so that the explorers work the same in JupyterLab,
Notebook 7, Colab and the static HTML book (no ipympl, no custom JavaScript):

- Every figure is a :class:`matplotlib.figure.Figure` on an Agg canvas, never a
  pyplot figure (so the inline backend does not show it a second time), drawn
  into PNG bytes held by an ``ipywidgets.Image`` (:class:`FigureImage`). The
  figure, its axes and its artists are created once; an event only updates the
  artists and re-renders (curves that merely move are redrawn over a cached
  background). Because the initial PNG and the initial formulas live in widgets,
  the book's HTML shows every explorer's initial state from the embedded widget
  state.
- Formulas are shown in ``ipywidgets.HTMLMath`` (MathJax in every frontend).
- Sliders whose event trains a network or rewrites many formulas use
  ``continuous_update=False`` (one event when the slider is released).
- ``import ipywidgets`` happens inside the functions: importing this module works
  without ipywidgets installed.
"""

from __future__ import annotations

import html
import io
import re
import textwrap

import numpy as np

from backprop.experiments import Post002Training
from backprop.explorers import (
    ACTIVATION_CHOICES,
    LearningRateRun,
    Post002State,
    SigmoidPoint,
    VanishingGradientState,
    learning_rate_run,
    post002_surface,
    sigmoid_curves,
    sigmoid_point,
    vanishing_gradient_state,
    worked_example_state,
    worked_parameters,
)
from backprop.worked import format_number, worked_solution

__all__ = [
    "FigureImage",
    "LearningRateExplorer",
    "Post002Explorer",
    "SigmoidExplorer",
    "VanishingGradientExplorer",
    "WorkedExampleExplorer",
    "learning_rate_explorer",
    "markdown_math_to_html",
    "post002_explorer",
    "sigmoid_explorer",
    "vanishing_gradient_explorer",
    "worked_example_explorer",
]

#: Resolution of every explorer image (pixels per inch of the figure).
DPI = 100

_BLUE = "#2b6cb0"
_ORANGE = "#dd6b20"
_GREEN = "#2f855a"
_RED = "#c53030"
_GREY = "#a0aec0"
_INK = "#1f2933"
_COLORS = (_BLUE, _ORANGE, _GREEN, "#6b46c1", _RED)


def _ipywidgets():
    """The ipywidgets module, or an ImportError that says how to install it."""
    try:
        import ipywidgets
    except ImportError as error:  # pragma: no cover - ipywidgets is installed in the venv
        raise ImportError(
            "the interactive explorers need ipywidgets: pip install 'backprop-course[widgets]'"
        ) from error
    return ipywidgets


def _figure(width: float, height: float):
    """A figure on its own Agg canvas (not registered with pyplot, never auto-shown)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


class FigureImage:
    """A matplotlib figure shown as PNG bytes in an ``ipywidgets.Image``.

    Redrawing only what changed: the figure is split into *animated* artists (the
    curves and points an event moves) and everything else (axes, ticks, labels,
    legends, static curves). Everything else is rendered once per set of axis
    limits and kept as a pixel buffer; an event restores the buffer and draws only
    the animated artists over it. Explorers snap their axis limits (to decades,
    to steps of the slider) so that most events reuse a buffer. Without animated
    artists every refresh draws the whole figure.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        On an Agg canvas (see :func:`_figure`).
    animated : sequence of Artist
        Artists that change on events; they are drawn on top of everything else.
    compress_level : int
        zlib level of the PNG encoder (1: fast; the images stay small).
    cache_size : int
        Number of backgrounds (sets of axis limits) kept.

    Attributes
    ----------
    fig : Figure
    image : ipywidgets.Image
        Its ``value`` is the PNG of the last :meth:`refresh`.
    renders, full_renders : int
        Number of refreshes so far, and how many of them drew the whole figure.
    """

    def __init__(self, fig, animated=(), compress_level: int = 1, cache_size: int = 8) -> None:
        widgets = _ipywidgets()
        self.fig = fig
        self.animated = list(animated)
        for artist in self.animated:
            artist.set_animated(True)
        self.compress_level = compress_level
        self.cache_size = cache_size
        self._backgrounds: dict = {}
        self.renders = 0
        self.full_renders = 0
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.refresh(full=True)

    def _limits(self) -> tuple:
        return tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.fig.axes)

    def render(self, full: bool = False) -> bytes:
        """Draw the figure and return it as PNG bytes.

        ``full=True`` (or no animated artists, or axis limits not seen before) draws
        everything; otherwise a cached background is restored and only the
        animated artists are drawn.
        """
        from PIL import Image

        canvas = self.fig.canvas
        key = self._limits()
        background = None if (full or not self.animated) else self._backgrounds.get(key)
        if background is None:
            canvas.draw()  # skips animated artists
            self.full_renders += 1
            if self.animated:
                if len(self._backgrounds) >= self.cache_size:
                    self._backgrounds.pop(next(iter(self._backgrounds)))
                self._backgrounds[key] = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(background)
        for artist in self.animated:
            self.fig.draw_artist(artist)
        width, height = canvas.get_width_height()
        picture = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw",
                                   "RGBA", 0, 1)
        buffer = io.BytesIO()
        picture.convert("RGB").save(buffer, format="png", compress_level=self.compress_level)
        return buffer.getvalue()

    def refresh(self, full: bool = False) -> None:
        """Re-render into the Image widget."""
        self.image.value = self.render(full)
        self.renders += 1


def _no_ticks():
    """A ``NullLocator``: log axes without minor ticks draw much faster."""
    from matplotlib.ticker import NullLocator

    return NullLocator()


def _decades(values, pad_low: float = 1.0, pad_high: float = 1.0) -> tuple[float, float]:
    """Log-axis limits snapped to whole decades around the finite positive ``values``."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values) & (values > 0)]
    if not values.size:
        return 0.1, 10.0
    low = max(float(np.floor(np.log10(values.min()) - np.log10(pad_low))), -250.0)
    high = min(float(np.ceil(np.log10(values.max()) + np.log10(pad_high))), 250.0)
    if high <= low:
        high = low + 1
    return float(10.0**low), float(10.0**high)


def _snap(low: float, high: float, step: float) -> tuple[float, float]:
    """Linear-axis limits rounded outwards to multiples of ``step``."""
    return float(np.floor(low / step) * step), float(np.ceil(high / step) * step)


_INLINE_MATH = re.compile(r"(?<!\$)\$(?!\$)(.+?)(?<!\$)\$(?!\$)")


def markdown_math_to_html(markdown: str) -> str:
    """The Markdown+LaTeX of :func:`backprop.worked_solution` as HTML for ``HTMLMath``.

    Paragraphs become ``<p>``, ``**bold**`` becomes ``<b>``, display math
    (``$$ ... $$``) is kept and inline math ``$ ... $`` becomes ``\\( ... \\)``: the
    book's MathJax 3 (like Sphinx's default) reads only that inline form, JupyterLab
    both. ``&``, ``<`` and ``>`` are escaped (MathJax reads the text back unescaped).
    """
    parts = []
    for block in markdown.strip().split("\n\n"):
        text = html.escape(block.strip(), quote=False)
        if text.startswith("$$"):
            parts.append(f'<div class="bp-math">{text}</div>')
        elif text:
            text = _INLINE_MATH.sub(r"\\(\1\\)", text)
            parts.append("<p>" + re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text) + "</p>")
    return "\n".join(parts)


def _num(value: float, decimals: int = 4) -> str:
    """A number for prose: ``format_number`` with a typographic minus."""
    return format_number(float(value), decimals).replace("-", "\N{MINUS SIGN}")


def _message_html(text: str) -> str:
    return f'<span style="color:{_RED};font-weight:bold">{html.escape(text)}</span>'


def _attach(box, explorer):
    box.explorer = explorer
    return box


# ======================================================================== worked example
def _slider_html(key: str) -> str:
    """``w_4,1`` -> ``w<sub>4,1</sub>``, ``eta`` -> ``η``."""
    if key == "eta":
        return "\u03b7 (eta)"
    symbol, sub = key.split("_", 1)
    return f"{symbol}<sub>{html.escape(sub)}</sub>"


class WorkedExampleExplorer:
    """One training step of a worked example, live (chapters 6, 7 and 10).

    Built by :func:`worked_example_explorer`; see there. Every slider event runs
    :func:`backprop.explorers.worked_example_state` (forward pass, deltas, update,
    E after), updates the :class:`~backprop.diagrams.NetworkDiagram` in place and
    re-renders it, and rewrites the formulas with :func:`backprop.worked_solution`.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The top widget (``widget.explorer is self``).
    example : Example
    parameters : list of Parameter
    sliders : dict of str to ipywidgets.FloatSlider
        By parameter key: ``"w_4,1"``, ``"b_4"``, ``"x_1"``, ``"t_6"``, ``"eta"``.
    view : ipywidgets.ToggleButtons
        ``"before"``: current weights, outputs and deltas; ``"after"``: the updated
        weights and the outputs they give (with the deltas of the step).
    diagram : NetworkDiagram
        Updated in place; ``diagram.fig`` is the one figure of the explorer.
    figure : FigureImage
        ``figure.image`` shows the diagram.
    summary, formulas : ipywidgets.HTMLMath
        E before and after, the outputs; the worked solution.
    step_button, reset_button : ipywidgets.Button
        Take the step (the sliders move to the updated values); back to the example.
    state : WorkedStep
        The last computation.
    solution : WorkedSolution or None
        The last worked solution (None when the step overflowed).
    error : str
        ``""``, or the message shown when an event could not be shown.
    """

    def __init__(self, example=None, decimals: int = 4) -> None:
        from backprop.diagrams import NetworkDiagram
        from backprop.lecture import worked_3_2_1

        widgets = _ipywidgets()
        self.example = worked_3_2_1() if example is None else example
        self.decimals = int(decimals)
        self.parameters = worked_parameters(self.example)
        self._hold = False
        self.error = ""
        net = self.example.network
        self._sigmoid_output = net.activations[-1].name in ("sigmoid", "softmax")

        self.sliders = {p.key: self._slider(widgets, p) for p in self.parameters}
        self.state = worked_example_state(self.example, self.values(), self.parameters)

        fig = _figure(6.0, 4.0)
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        self.diagram = NetworkDiagram.from_network(
            net, inputs=self.state.x, outputs=self.state.outputs, deltas=self.state.deltas,
            unit_labels=self.example.unit_labels, decimals=self.decimals, ax=ax,
        )
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        scale = 0.62  # inches per data unit
        fig.set_size_inches((x1 - x0) * scale, (y1 - y0) * scale)
        self.figure = FigureImage(fig)

        self.view = widgets.ToggleButtons(
            options=[("before the step", "before"), ("after the step", "after")],
            value="before", description="diagram:",
            style={"button_width": "120px"},
        )
        self.caption = widgets.HTML()
        self.summary = widgets.HTMLMath()
        self.formulas = widgets.HTMLMath(layout=widgets.Layout(width="100%"))
        self.step_button = widgets.Button(
            description="take the step", icon="forward",
            tooltip="move the sliders to the updated weights and biases",
        )
        self.reset_button = widgets.Button(description="reset", icon="undo",
                                           tooltip="back to the example's values")

        groups = self._groups(widgets)
        controls = widgets.HBox([self.view, self.step_button, self.reset_button],
                                layout=widgets.Layout(flex_flow="row wrap",
                                                      align_items="center"))
        self.widget = widgets.VBox([
            self.summary,
            controls,
            self.caption,
            self.figure.image,
            widgets.HTML("<b>Move a slider</b> (or type a value into its box): "
                         "weights and biases from \u221250 to 50, \u03b7 up to 10."),
            groups,
            self.formulas,
        ])
        _attach(self.widget, self)

        for slider in self.sliders.values():
            slider.observe(self._on_change, names="value")
        self.view.observe(self._on_view, names="value")
        self.step_button.on_click(lambda _: self.take_step())
        self.reset_button.on_click(lambda _: self.reset())
        self.update()

    # --------------------------------------------------------------- construction
    def _slider(self, widgets, p):
        if p.kind in ("weight", "bias"):
            low, high, step = -50.0, 50.0, 0.01
        elif p.kind == "input":
            low, high, step = -10.0, 10.0, 0.01
        elif p.kind == "target":
            low, high, step = (0.0, 1.0, 0.01) if self._sigmoid_output else (-10.0, 10.0, 0.01)
        else:
            low, high, step = 0.01, 10.0, 0.01
        return widgets.FloatSlider(
            value=min(max(p.value, low), high), min=low, max=high, step=step,
            description=_slider_html(p.key), description_allow_html=True,
            continuous_update=False, readout_format=f".{self.decimals}f",
            style={"description_width": "48px"},
            layout=widgets.Layout(width="300px"),
        )

    def _groups(self, widgets):
        """Sliders grouped: the example's data, then one box per receiving unit."""
        boxes = {"data": []}
        titles = {"data": "Input, target and learning rate"}
        for p in self.parameters:
            if p.kind in ("input", "target", "eta"):
                boxes["data"].append(self.sliders[p.key])
            else:
                boxes.setdefault(p.unit, []).append(self.sliders[p.key])
                titles[p.unit] = f"Into unit {p.unit}"
        children = [
            widgets.VBox([widgets.HTML(f"<b>{html.escape(titles[k])}</b>"), *items])
            for k, items in boxes.items()
        ]
        return widgets.GridBox(children, layout=widgets.Layout(
            grid_template_columns="repeat(auto-fill, minmax(310px, 1fr))", grid_gap="4px 16px",
        ))

    # -------------------------------------------------------------------- events
    def values(self) -> dict:
        """The slider values by parameter key."""
        return {key: float(slider.value) for key, slider in self.sliders.items()}

    def set_values(self, **values: float) -> None:
        """Set several sliders at once (keys like ``w_4_1``, ``b_4``, ``x_1``, ``eta``,
        with ``_`` for the comma), then update once."""
        self.set_slider_values({self._key(k): v for k, v in values.items()})

    def set_slider_values(self, values: dict) -> None:
        """Set several sliders (keys like ``"w_4,1"``) with a single update."""
        self._hold = True
        try:
            for key, value in values.items():
                self.sliders[key].value = float(value)
        finally:
            self._hold = False
        self.update()

    def _key(self, name: str) -> str:
        if name in self.sliders:
            return name
        kind, _, rest = name.partition("_")
        return f"{kind}_{rest.replace('_', ',')}"

    def _on_change(self, change) -> None:
        if not self._hold:
            self.update()

    def _on_view(self, change) -> None:
        self._show_diagram()

    def take_step(self) -> None:
        """Move every weight and bias slider to its updated value, then update."""
        if not self.state.finite:
            return
        new = {}
        for p in self.parameters:
            if p.kind == "weight":
                new[p.key] = self.state.new_weights[p.layer][p.index]
            elif p.kind == "bias":
                new[p.key] = self.state.new_biases[p.layer][p.index]
        self.set_slider_values(new)

    def reset(self) -> None:
        """Back to the example's values."""
        self.set_slider_values({p.key: p.value for p in self.parameters})

    def update(self) -> None:
        """Recompute the step and refresh the diagram, the summary and the formulas."""
        try:
            self.state = worked_example_state(self.example, self.values(), self.parameters)
            self._show_diagram()
            self._show_text()
            self.error = ""
        except Exception as error:  # an explorer shows a message, never a traceback
            self.error = f"could not show this step: {error}"
            self.summary.value = _message_html(self.error)

    def _show_diagram(self) -> None:
        s = self.state
        if not s.finite:
            self.caption.value = _message_html(s.message)
            return
        if self.view.value == "before":
            self.diagram.update(weights=s.weights, biases=s.biases, inputs=s.x,
                                outputs=s.outputs, deltas=s.deltas)
            self.caption.value = (
                "<i>Before the step:</i> the current weights and biases, the outputs "
                "o<sub>j</sub> of the forward pass (in the nodes) and the error terms "
                "\u03b4<sub>j</sub> of the backward pass (under the nodes).")
        else:
            self.diagram.update(weights=s.new_weights, biases=s.new_biases, inputs=s.x,
                                outputs=s.outputs_after, deltas=s.deltas)
            self.caption.value = (
                "<i>After the step:</i> the updated weights and biases "
                "w + \u03b7\u03b4x, and the outputs they give for the same input; "
                "the \u03b4<sub>j</sub> are those that made the step.")
        self.figure.refresh()

    def _show_text(self) -> None:
        s = self.state
        d = self.decimals
        if not s.finite:
            self.summary.value = _message_html(s.message)
            self.formulas.value = ""
            self.solution = None
            return
        outputs = ", ".join(
            f"\\(o_{{{u}}}\\): {_num(a, d)} \u2192 {_num(b, d)}"
            for u, a, b in zip(self.example.unit_labels[-1], s.outputs[-1], s.outputs_after[-1],
                               strict=True)
        )
        change = s.error_change
        verdict = "down" if change < 0 else ("up" if change > 0 else "unchanged")
        self.summary.value = (
            f"<b>E before the step</b> = {_num(s.error, d)}, "
            f"<b>E after the step</b> = {_num(s.error_after, d)} "
            f"(change {_num(change, d)}, {verdict}). Outputs: {outputs}."
        )
        from backprop.network import Network

        net = self.example.network
        stepped = Network(s.weights, s.biases, net.activations, net.loss_function)
        with np.errstate(all="ignore"):
            self.solution = worked_solution(stepped, s.x, s.t, s.eta, decimals=d,
                                            unit_labels=self.example.unit_labels)
        self.formulas.value = markdown_math_to_html(self.solution.markdown)


def worked_example_explorer(example=None, decimals: int = 4):
    """Sliders for every number of a worked example; one backprop step, live.

    Chapters 6, 7 and 10. Sliders: every input, target, eta, and every weight and
    bias (from -50 to 50). Each move recomputes the forward pass, the deltas, the
    updated weights and E before and after the step
    (:func:`backprop.explorers.worked_example_state`), shows them on the network
    diagram (updated in place; a toggle shows the network before or after the step)
    and as formulas with the numbers plugged in (:func:`backprop.worked_solution`).
    "take the step" moves the sliders to the updated values, so repeated clicks
    train the network one step at a time.

    Parameters
    ----------
    example : Example, optional
        Default :func:`backprop.lecture.worked_3_2_1`; e.g.
        :func:`~backprop.lecture.multi_output_2_2_2` for chapter 10.
    decimals : int
        Decimal places of the diagram, the formulas and the sliders' readouts.

    Returns
    -------
    ipywidgets.VBox
        Its ``.explorer`` is the :class:`WorkedExampleExplorer`.
    """
    return WorkedExampleExplorer(example, decimals).widget


# ========================================================================= learning rate
class LearningRateExplorer:
    """Chapter 9's learning-rate experiment for a chosen eta and number of epochs.

    Attributes
    ----------
    widget : ipywidgets.VBox
    eta : ipywidgets.FloatLogSlider
        From 0.001 to 10.
    epochs : ipywidgets.IntSlider
        From 10 to 1000.
    figure : FigureImage
        Left: the loss curve (log scale) with the chapter's reference learning rates
        in grey; right: the trained network's outputs against the targets.
    summary : ipywidgets.HTML
    run : LearningRateRun
        The last computation.
    loss_line, fit_points : Line2D
        The artists an event changes.
    """

    REFERENCE_ETAS = (0.05, 0.5, 1.5, 3.0)
    MAX_EPOCHS = 1000

    def __init__(self, eta: float = 0.5, epochs: int = 200, seed: int = 0) -> None:
        from backprop.experiments import learning_rate_curves, regression_data

        widgets = _ipywidgets()
        self.seed = seed
        self.error = ""
        self.eta = widgets.FloatLogSlider(
            value=eta, base=10, min=-3, max=1, step=0.01, description="\u03b7 (eta)",
            continuous_update=False, readout_format=".3g",
            layout=widgets.Layout(width="420px"),
        )
        self.epochs = widgets.IntSlider(
            value=epochs, min=10, max=self.MAX_EPOCHS, step=10, description="epochs",
            continuous_update=False, layout=widgets.Layout(width="420px"),
        )
        self.summary = widgets.HTML()

        fig = _figure(9.0, 3.8)
        self.ax_loss, self.ax_fit = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1]})
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.13, top=0.83, wspace=0.28)
        self.references = learning_rate_curves(self.REFERENCE_ETAS, self.MAX_EPOCHS, seed)
        styles = (":", "--", "-.", (0, (1, 1)))
        self.reference_lines = [
            self.ax_loss.plot([], [], color="#718096", lw=1.1, ls=style,
                              label=f"\u03b7 = {ref.eta:g}" + (" (diverges)" if ref.diverged
                                                              else ""))[0]
            for ref, style in zip(self.references, styles, strict=False)
        ]
        (self.loss_line,) = self.ax_loss.plot([], [], color=_BLUE, lw=2.4, label="your \u03b7")
        self.ax_loss.set_yscale("log")
        self.ax_loss.yaxis.set_minor_locator(_no_ticks())
        self.ax_loss.set_xlabel("epoch")
        self.ax_loss.set_ylabel("training error E")
        # Outside the axes, so that the curves (drawn last) never cover it.
        self.legend = self.ax_loss.legend(
            handles=[self.loss_line, *self.reference_lines], fontsize=8, ncol=3,
            loc="lower left", bbox_to_anchor=(0.0, 1.0), frameon=False)
        self.ax_fit.plot([-10, 10], [-10, 10], color=_GREY, lw=1.0, ls="--")
        (self.fit_points,) = self.ax_fit.plot([], [], "o", color=_BLUE, ms=5)
        self.ax_fit.set_xlabel("target t")
        self.ax_fit.set_ylabel("network output o")
        self.ax_fit.set_title("Fit after training\n(on the diagonal = perfect)", fontsize=10)
        targets = regression_data(seed)[1]
        self.ax_fit.set_xlim(*_snap(targets.min() - 0.1, targets.max() + 0.1, 0.5))
        self.ax_fit.set_ylim(*self.ax_fit.get_xlim())
        self.fit_message = self.ax_fit.text(0.5, 0.5, "", transform=self.ax_fit.transAxes,
                                            ha="center", va="center", color=_RED, fontsize=10,
                                            wrap=True)
        self.figure = FigureImage(fig, animated=[*self.reference_lines, self.loss_line,
                                                 self.fit_points, self.fit_message])
        self.widget = widgets.VBox([widgets.HBox([self.eta, self.epochs],
                                                 layout=widgets.Layout(flex_flow="row wrap")),
                                    self.summary, self.figure.image])
        _attach(self.widget, self)
        self.eta.observe(self._on_change, names="value")
        self.epochs.observe(self._on_change, names="value")
        self.update()

    def _on_change(self, change) -> None:
        self.update()

    def update(self) -> None:
        """Train with the slider values and redraw the curves and the fit."""
        try:
            self.run = learning_rate_run(self.eta.value, self.epochs.value, self.seed)
            self._draw(self.run)
            self.error = ""
        except Exception as error:  # an explorer shows a message, never a traceback
            self.error = f"could not run this setting: {error}"
            self.summary.value = _message_html(self.error)

    def _draw(self, run: LearningRateRun) -> None:
        epochs = int(self.epochs.value)
        curve = run.curve
        visible = [curve.loss]
        for ref, line in zip(self.references, self.reference_lines, strict=True):
            loss = ref.loss[:epochs]
            line.set_data(np.arange(1, loss.size + 1), loss)
            if not ref.diverged:  # a diverging curve may leave the plot at the top
                visible.append(loss)
        self.loss_line.set_data(np.arange(1, curve.loss.size + 1), curve.loss)
        self.ax_loss.set_ylim(*_decades(np.concatenate(visible), 1.2, 1.2))
        self.ax_loss.set_xlim(0, epochs * 1.02)
        if run.predictions is None:
            self.fit_points.set_data([], [])
            self.fit_message.set_text(textwrap.fill(run.message, 26))
        else:
            self.fit_points.set_data(run.t[:, 0], run.predictions[:, 0])
            self.fit_message.set_text("")
            values = np.concatenate([run.t[:, 0], run.predictions[:, 0]])
            limits = _snap(max(values.min(), -9.0) - 0.1, min(values.max(), 9.0) + 0.1, 0.5)
            self.ax_fit.set_xlim(*limits)
            self.ax_fit.set_ylim(*limits)
        eta = self.eta.value
        if run.diverged:
            self.summary.value = _message_html(f"\u03b7 = {eta:.3g}: {run.message}")
        else:
            self.summary.value = (
                f"\u03b7 = {eta:.3g}: error after {curve.loss.size} epochs "
                f"<b>{_num(curve.final_loss, 5)}</b> (first epoch {_num(curve.loss[0], 5)}); "
                f"the error went up in {curve.n_increases} of the epochs"
                + (" (oscillation)." if curve.n_increases else ".")
            )
        self.figure.refresh()


def learning_rate_explorer(eta: float = 0.5, epochs: int = 200, seed: int = 0):
    """Chapter 9: train one network with a chosen learning rate; loss curve and fit.

    Sliders: eta (0.001 to 10, logarithmic) and the number of full-batch epochs
    (10 to 1000). The computation is :func:`backprop.explorers.learning_rate_run`
    (the network and data of :func:`backprop.experiments.learning_rate_curves`,
    whose curves for eta = 0.05, 0.5, 1.5, 3 are drawn in grey for comparison).
    A diverging run shows where it diverged instead of a fit.

    Returns
    -------
    ipywidgets.VBox
        Its ``.explorer`` is the :class:`LearningRateExplorer`.
    """
    return LearningRateExplorer(eta, epochs, seed).widget


# =============================================================================== sigmoid
class SigmoidExplorer:
    """Chapter 4: a point moving along sigma and sigma' as the net input changes.

    Attributes
    ----------
    widget : ipywidgets.VBox
    net : ipywidgets.FloatSlider
        From -10 to 10 (continuous updates: an event is cheap).
    figure : FigureImage
        Top: sigma with the point and its tangent; bottom: sigma' with the point.
        The curves are drawn once; an event redraws only the moving artists.
    values : ipywidgets.HTMLMath
        The numbers at the point.
    point : SigmoidPoint
        The last computation.
    """

    def __init__(self, net: float = 0.0) -> None:
        widgets = _ipywidgets()
        self.error = ""
        self.net = widgets.FloatSlider(
            value=net, min=-10.0, max=10.0, step=0.05, description="net",
            continuous_update=True, readout_format=".2f", layout=widgets.Layout(width="520px"),
        )
        self.values = widgets.HTMLMath()
        fig = _figure(7.0, 4.4)
        self.ax_s, self.ax_d = fig.subplots(2, 1, sharex=True)
        fig.subplots_adjust(left=0.1, right=0.97, bottom=0.11, top=0.95, hspace=0.12)
        z, o, d = sigmoid_curves(-10.0, 10.0, 401)
        self.ax_s.plot(z, o, color=_BLUE, lw=2)
        self.ax_d.plot(z, d, color=_ORANGE, lw=2)
        self.ax_s.set_ylabel(r"$\sigma(\mathrm{net})$")
        self.ax_d.set_ylabel(r"$\sigma'(\mathrm{net})$")
        self.ax_d.set_xlabel("net input")
        self.ax_s.set_ylim(-0.05, 1.05)
        self.ax_d.set_ylim(-0.01, 0.27)
        self.ax_s.set_xlim(-10, 10)
        for ax in (self.ax_s, self.ax_d):
            ax.grid(True, color="#e2e8f0", lw=0.8)
        self.ax_d.axhline(0.25, color=_GREY, ls=":", lw=1)
        self.ax_d.text(-9.8, 0.252, "maximum 1/4 at net = 0", fontsize=8, color="#718096",
                       va="bottom")
        (self.tangent,) = self.ax_s.plot([], [], color=_ORANGE, lw=1.2, ls="--")
        (self.dot_s,) = self.ax_s.plot([], [], "o", color=_BLUE, ms=9, mec="white", mew=1.5)
        (self.dot_d,) = self.ax_d.plot([], [], "o", color=_ORANGE, ms=9, mec="white", mew=1.5)
        self.guide_s = self.ax_s.axvline(0, color=_INK, lw=0.8, alpha=0.5)
        self.guide_d = self.ax_d.axvline(0, color=_INK, lw=0.8, alpha=0.5)
        self._set_artists(sigmoid_point(net))
        self.figure = FigureImage(
            fig, animated=[self.guide_s, self.guide_d, self.tangent, self.dot_s, self.dot_d])
        self.widget = widgets.VBox([self.net, self.values, self.figure.image])
        _attach(self.widget, self)
        self.net.observe(self._on_change, names="value")
        self.update()

    def _on_change(self, change) -> None:
        self.update()

    def _set_artists(self, p: SigmoidPoint) -> None:
        self.dot_s.set_data([p.net], [p.value])
        self.dot_d.set_data([p.net], [p.derivative])
        self.guide_s.set_xdata([p.net, p.net])
        self.guide_d.set_xdata([p.net, p.net])
        half = 1.5  # tangent drawn over net +- half
        self.tangent.set_data([p.net - half, p.net + half],
                              [p.value - half * p.derivative, p.value + half * p.derivative])

    def update(self) -> None:
        """Move the points to the slider's net input and show the values."""
        try:
            self.point = p = sigmoid_point(self.net.value)
            self._set_artists(p)
            self.figure.refresh()
            o = _num(p.value)
            self.values.value = (
                f"\\(\\mathrm{{net}} = {_num(p.net, 2)}\\): "
                f"\\(\\sigma(\\mathrm{{net}}) = \\frac{{1}}{{1 + e^{{{_num(-p.net, 2)}}}}}"
                f" = {o}\\), slope \\(\\sigma'(\\mathrm{{net}}) = \\sigma(1 - \\sigma) = "
                f"{o} \\times {_num(1 - p.value)} = {_num(p.derivative)}\\) "
                f"({100 * p.fraction_of_max_slope:.1f}% of the largest slope, 1/4)."
            ).replace("\N{MINUS SIGN}", "-")
            self.error = ""
        except Exception as error:  # an explorer shows a message, never a traceback
            self.error = f"could not show this point: {error}"
            self.values.value = _message_html(self.error)


def sigmoid_explorer(net: float = 0.0):
    """Chapter 4: a net-input slider and the point it picks on sigma and sigma'.

    The dashed line is the tangent of sigma at the point: its slope is sigma',
    the value on the lower curve. Computation: :func:`backprop.explorers.sigmoid_point`.

    Returns
    -------
    ipywidgets.VBox
        Its ``.explorer`` is the :class:`SigmoidExplorer`.
    """
    return SigmoidExplorer(net).widget


# ==================================================================== vanishing gradient
class VanishingGradientExplorer:
    """Chapter 9: the gradient norm of every layer of a deep network.

    Attributes
    ----------
    widget : ipywidgets.VBox
    depth : ipywidgets.IntSlider
        Hidden layers, 1 to 50.
    activation : ipywidgets.ToggleButtons
        ``"sigmoid"``, ``"tanh"`` or ``"relu"``.
    scheme : ipywidgets.Dropdown
        ``"auto"`` (Xavier for sigmoid and tanh, He for ReLU), ``"lecture"``,
        ``"xavier"`` or ``"he"``.
    figure : FigureImage
    summary : ipywidgets.HTML
    state : VanishingGradientState
    lines : dict of str to Line2D
        One per activation; the selected one is drawn bold.
    """

    FLOOR = 1e-300  # zero norms are drawn here on the log scale

    def __init__(self, depth: int = 10, activation: str = "sigmoid", scheme: str = "auto",
                 seed: int = 0) -> None:
        widgets = _ipywidgets()
        self.seed = seed
        self.error = ""
        self.depth = widgets.IntSlider(value=depth, min=1, max=50, description="depth",
                                       continuous_update=True,
                                       layout=widgets.Layout(width="420px"))
        self.activation = widgets.ToggleButtons(options=list(ACTIVATION_CHOICES),
                                                value=activation, description="activation",
                                                style={"button_width": "80px"})
        self.scheme = widgets.Dropdown(options=["auto", "lecture", "xavier", "he"], value=scheme,
                                       description="initialisation",
                                       style={"description_width": "initial"},
                                       layout=widgets.Layout(width="220px"))
        self.summary = widgets.HTML()
        fig = _figure(8.0, 3.6)
        self.ax = fig.add_subplot()
        fig.subplots_adjust(left=0.1, right=0.98, bottom=0.14, top=0.9)
        self.lines = {}
        for name, color in zip(ACTIVATION_CHOICES, _COLORS, strict=False):
            (self.lines[name],) = self.ax.plot([], [], "o-", color=color, label=name)
        self.ax.set_yscale("log")
        self.ax.yaxis.set_minor_locator(_no_ticks())
        self.ax.set_xlabel("layer (1 = next to the inputs; last = linear output layer)")
        self.ax.set_ylabel(r"$\|\partial E/\partial W\|$")
        self.ax.grid(True, color="#e2e8f0", lw=0.8)
        # Outside the axes, so that the lines (drawn last) never cover it.
        self.legend = self.ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3,
                                     fontsize=9, frameon=False)
        self.figure = FigureImage(fig, animated=list(self.lines.values()))
        self.widget = widgets.VBox([
            widgets.HBox([self.depth, self.scheme], layout=widgets.Layout(flex_flow="row wrap")),
            self.activation, self.summary, self.figure.image,
        ])
        _attach(self.widget, self)
        for control in (self.depth, self.activation, self.scheme):
            control.observe(self._on_change, names="value")
        self.update()

    def _on_change(self, change) -> None:
        self.update()

    def update(self) -> None:
        """Recompute the gradient norms and redraw."""
        try:
            self.state = vanishing_gradient_state(self.depth.value, self.activation.value,
                                                  self.scheme.value, seed=self.seed)
            self._draw(self.state)
            self.error = ""
        except Exception as error:  # an explorer shows a message, never a traceback
            self.error = f"could not compute this network: {error}"
            self.summary.value = _message_html(self.error)

    def _draw(self, state: VanishingGradientState) -> None:
        shown = []
        for name, line in self.lines.items():
            result = state.comparison[name]
            norms = np.where(np.isfinite(result.norms), result.norms, np.nan)
            norms = np.where(norms > 0, norms, self.FLOOR)
            line.set_data(result.layers, norms)
            chosen = name == self.activation.value
            line.set_linewidth(2.4 if chosen else 1.0)
            line.set_markersize(6 if chosen else 3)
            line.set_alpha(1.0 if chosen else 0.45)
            line.set_zorder(3 if chosen else 2)
            shown.append(norms[np.isfinite(norms)])
        self.ax.set_ylim(*_decades(np.concatenate(shown), 1.5, 1.5))
        self.ax.set_xlim(0.5, 10 * np.ceil((state.depth + 1) / 10) + 0.5)
        ratio = state.first_to_last
        setting = (f"{state.selected.activation} ({state.selected.scheme} initialisation), "
                   f"{state.depth} hidden layers of 16 units, one backward pass")
        if state.message:
            self.summary.value = setting + ": " + _message_html(state.message)
        else:
            self.summary.value = (
                f"{setting}: layer 1's gradient is "
                f"<b>{ratio:.3g}</b> times the output layer's"
                + (" (it vanishes)." if ratio < 1e-2 else
                   " (it explodes)." if ratio > 1e2 else ".")
            )
        self.figure.refresh()


def vanishing_gradient_explorer(depth: int = 10, activation: str = "sigmoid",
                                scheme: str = "auto", seed: int = 0):
    """Chapter 9: depth, activation and initialisation; the gradient norm per layer.

    One backward pass of a network with ``depth`` hidden layers
    (:func:`backprop.explorers.vanishing_gradient_state`, i.e.
    :func:`backprop.experiments.gradient_norms_by_layer`); the chosen activation is
    drawn bold, the other two faint for comparison.

    Returns
    -------
    ipywidgets.VBox
        Its ``.explorer`` is the :class:`VanishingGradientExplorer`.
    """
    return VanishingGradientExplorer(depth, activation, scheme, seed).widget


# ============================================================================== post 002
class Post002Explorer:
    """Chapter 12: post 002's 2-2-2-1 network fitting :math:`2x_1 + 3x_2 + 10`.

    Attributes
    ----------
    widget : ipywidgets.VBox
    eta : ipywidgets.FloatLogSlider
        0.001 to 10.
    epochs : ipywidgets.IntSlider
        1 to 500.
    seed : ipywidgets.IntSlider
        0 to 20.
    figure : FigureImage
        Left: cuts of the surface at three values of x2 (solid: network, dashed:
        target); right: the error per epoch.
    summary : ipywidgets.HTMLMath
    state : Post002State
    fit_lines, target_lines : list of Line2D
    loss_line : Line2D

    The explorer keeps the runs of the last ``RUNS_KEPT`` (eta, seed) settings
    (:class:`backprop.experiments.Post002Training`): moving the epochs slider only
    trains the epochs not trained yet, or looks the network up, and going back to
    a setting costs no training.
    """

    RUNS_KEPT = 16

    def __init__(self, eta: float = 0.05, epochs: int = 200, seed: int = 0) -> None:
        widgets = _ipywidgets()
        self.error = ""
        self._runs: dict[tuple[float, int], Post002Training] = {}  # oldest first
        self.eta = widgets.FloatLogSlider(value=eta, base=10, min=-3, max=1, step=0.01,
                                          description="\u03b7 (eta)", continuous_update=False,
                                          readout_format=".3g",
                                          layout=widgets.Layout(width="360px"))
        self.epochs = widgets.IntSlider(value=epochs, min=1, max=500, description="epochs",
                                        continuous_update=False,
                                        layout=widgets.Layout(width="360px"))
        self.seed = widgets.IntSlider(value=seed, min=0, max=20, description="seed",
                                      continuous_update=False,
                                      layout=widgets.Layout(width="260px"))
        self.summary = widgets.HTMLMath()
        fig = _figure(9.0, 3.6)
        self.ax_fit, self.ax_loss = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.3, 1]})
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.25)
        self.fit_lines, self.target_lines = [], []
        for color in _COLORS[:3]:
            (target,) = self.ax_fit.plot([], [], color=color, ls="--", lw=1.2)
            (fit,) = self.ax_fit.plot([], [], color=color, lw=2.2)
            self.target_lines.append(target)
            self.fit_lines.append(fit)
        self.ax_fit.set_xlim(0, 1)
        self.ax_fit.set_ylim(9, 16)
        self.ax_fit.set_xlabel("$x_1$")
        self.ax_fit.set_ylabel("output")
        self.ax_fit.set_title("solid: network, dashed: $2x_1 + 3x_2 + 10$", fontsize=10)
        self.slice_texts = [self.ax_fit.text(1.0, 0, "", fontsize=8, ha="right", va="bottom",
                                             color=c) for c in _COLORS[:3]]
        (self.loss_line,) = self.ax_loss.plot([], [], color=_BLUE, lw=1.8)
        self.ax_loss.set_yscale("log")
        self.ax_loss.yaxis.set_minor_locator(_no_ticks())
        self.ax_loss.set_xlabel("epoch")
        self.ax_loss.set_ylabel("error summed over the epoch")
        self.ax_loss.set_title("Training error", fontsize=10)
        self.message = self.ax_fit.text(0.5, 0.5, "", transform=self.ax_fit.transAxes,
                                        ha="center", va="center", color=_RED, fontsize=10)
        self.figure = FigureImage(fig, animated=[*self.fit_lines, self.loss_line, self.message])
        self.widget = widgets.VBox([
            widgets.HBox([self.eta, self.epochs, self.seed],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.summary, self.figure.image,
        ])
        _attach(self.widget, self)
        for control in (self.eta, self.epochs, self.seed):
            control.observe(self._on_change, names="value")
        self.update()

    def _on_change(self, change) -> None:
        self.update()

    def _training(self, eta: float, seed: int) -> Post002Training:
        """The kept run of (eta, seed), made the most recent; a new one if there is none."""
        training = self._runs.pop((eta, seed), None) or Post002Training(eta, seed)
        self._runs[(eta, seed)] = training
        while len(self._runs) > self.RUNS_KEPT:
            del self._runs[next(iter(self._runs))]
        return training

    def update(self) -> None:
        """Train with the slider values (only what is not trained yet) and redraw."""
        try:
            training = self._training(float(self.eta.value), int(self.seed.value))
            self.state = post002_surface(training.run(int(self.epochs.value)))
            self._draw(self.state)
            self.error = ""
        except Exception as error:  # an explorer shows a message, never a traceback
            self.error = f"could not train this setting: {error}"
            self.summary.value = _message_html(self.error)

    def _draw(self, s: Post002State) -> None:
        for k, c in enumerate(s.x2_slices):
            self.target_lines[k].set_data(s.x1, s.target[k])
            self.slice_texts[k].set_position((0.99, s.target[k][-1] + 0.1))
            self.slice_texts[k].set_text(f"$x_2 = {c:g}$")
            if s.diverged:
                self.fit_lines[k].set_data([], [])
            else:
                self.fit_lines[k].set_data(s.x1, s.fitted[k])
        fitted = s.fitted[np.isfinite(s.fitted)]
        lo = min(9.0, float(fitted.min()) - 0.2) if fitted.size else 9.0
        hi = max(16.0, float(fitted.max()) + 0.2) if fitted.size else 16.0
        self.ax_fit.set_ylim(*_snap(max(lo, -100.0), min(hi, 100.0), 1.0))
        loss = np.asarray(s.run.history.loss, dtype=float)
        loss = loss[np.isfinite(loss) & (loss > 0)]
        self.loss_line.set_data(np.arange(1, loss.size + 1), loss)
        # Snapped to blocks of 10 or 50 epochs: moving the epochs slider within a block
        # keeps the axes, so the figure reuses its rendered background.
        epochs = max(int(self.epochs.value), 2)
        self.ax_loss.set_xlim(*_snap(0, epochs, 10 if epochs <= 50 else 50))
        self.ax_loss.set_ylim(*_decades(loss, 1.2, 1.2))
        if s.diverged:
            self.message.set_text(textwrap.fill(s.message, 30))
            self.summary.value = _message_html(f"\u03b7 = {self.eta.value:.3g}: {s.message}")
        else:
            self.message.set_text("")
            a, b, c = s.plane
            self.summary.value = (
                f"\u03b7 = {self.eta.value:.3g}, {self.epochs.value} epochs, seed "
                f"{self.seed.value}: the closest plane to the network's surface is "
                f"$${a:.3f}\\,x_1 + {b:.3f}\\,x_2 + {c:.3f}$$ (target $2x_1 + 3x_2 + 10$); "
                f"held-out mean squared error <b>{s.run.test_mse:.4g}</b>."
            ).replace("+ -", "- ")
        self.figure.refresh()


def post002_explorer(eta: float = 0.05, epochs: int = 200, seed: int = 0):
    """Chapter 12: train post 002's 2-2-2-1 network; the fitted surface against the target.

    Sliders: eta (0.001 to 10, logarithmic), epochs (1 to 500) and the seed. The
    computation is :func:`backprop.explorers.post002_state`
    (:func:`backprop.experiments.train_post002`). Training 500 epochs from scratch
    takes about half a second here, so the sliders update when released; runs are
    kept per (eta, seed), so the epochs slider trains only what is new.

    Returns
    -------
    ipywidgets.VBox
        Its ``.explorer`` is the :class:`Post002Explorer`.
    """
    return Post002Explorer(eta, epochs, seed).widget
