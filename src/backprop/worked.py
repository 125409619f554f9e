"""The worked-solution writer: one training step as step-by-step arithmetic.

Chapter 7 (the complete 3-2-1 example) and chapter 10 (several outputs) print
every line with it, and the answer keys of the exercises are written by it, so
no number of a worked solution is ever typed by hand.

Each line plugs the numbers into the formula in the lecture's style, e.g.
``net_4 = (1)(0.2) + (0)(0.4) + (1)(-0.5) + (-0.4) = -0.7``. Every value shown is
the engine's exact value rounded for display; intermediate values are never
rounded before reuse (the lecture's hand rounding is why it prints
:math:`\\delta_6 = 0.1311` where the exact value is 0.13117).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from backprop.network import Network

__all__ = ["WorkedSolution", "format_number", "worked_solution"]


def format_number(value: float, decimals: int) -> str:
    """``value`` rounded to ``decimals`` places, trailing zeros dropped (0.20 -> 0.2, -0 -> 0)."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass
class WorkedSolution:
    """The Markdown+LaTeX of one step, by section, and every value it shows.

    Attributes
    ----------
    sections : dict of str to str
        ``"forward"``, ``"error"``, ``"backward"``, ``"update"``, ``"after"``:
        Markdown with display math, in that order.
    values : dict of str to float
        Exact values by symbol: ``net_4``, ``o_4``, ``E``, ``delta_6``,
        ``dw_6,4`` (the change :math:`\\eta\\delta_j x_{ji}`), ``w_6,4`` and ``b_6``
        (new values), ``E_after``, ``o_after_6``.
    decimals : int
    """

    sections: dict[str, str]
    values: dict[str, float] = field(default_factory=dict)
    decimals: int = 4

    @property
    def markdown(self) -> str:
        return "\n\n".join(self.sections.values())

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        # Names, not numbers: the values' last binary digits vary with the CPU's BLAS
        # kernel, and a glued solution's plain-text repr is committed with the notebook.
        return (f"WorkedSolution(sections={list(self.sections)}, values={len(self.values)}, "
                f"decimals={self.decimals})")


def _aligned(lines: list[str]) -> str:
    return "$$\n\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}\n$$"


class _Writer:
    def __init__(self, net: Network, labels: list[list[str]], decimals: int) -> None:
        self.net, self.labels, self.decimals = net, labels, decimals
        self.values: dict[str, float] = {}

    def num(self, value: float) -> str:
        return format_number(float(value), self.decimals)

    def par(self, value: float) -> str:
        """A number in parentheses, the lecture's way of writing factors: (-0.5)."""
        return f"({self.num(value)})"

    def source_symbol(self, layer: int, i: int) -> str:
        """x_i for an input unit, o_i for a unit of an earlier layer."""
        return ("x" if layer == 0 else "o") + f"_{{{self.labels[layer][i]}}}"

    def forward(self, trace, layer_inputs) -> str:
        blocks = ["**Forward pass.**"]
        for layer, (w, b, act) in enumerate(
            zip(self.net.weights, self.net.biases, self.net.activations, strict=True)
        ):
            signal = layer_inputs[layer]
            lines = []
            for j in range(w.shape[0]):
                unit = self.labels[layer + 1][j]
                net_j = trace.nets[layer][j]
                o_j = trace.outputs[layer][j]
                symbolic = " + ".join(
                    f"{self.source_symbol(layer, i)} w_{{{unit},{self.labels[layer][i]}}}"
                    for i in range(w.shape[1])
                )
                plugged = " + ".join(
                    f"{self.par(signal[i])}{self.par(w[j, i])}" for i in range(w.shape[1])
                )
                lines.append(
                    f"\\mathrm{{net}}_{{{unit}}} &= {symbolic} + b_{{{unit}}} \\\\\n"
                    f"&= {plugged} + {self.par(b[j])} = {self.num(net_j)}"
                )
                rule = self.activation_line(act.name, unit, net_j, trace, layer)
                lines.append(f"o_{{{unit}}} &= {rule} = {self.num(o_j)}")
                self.values[f"net_{unit}"] = float(net_j)
                self.values[f"o_{unit}"] = float(o_j)
            blocks.append(_aligned(lines))
        return "\n\n".join(blocks)

    def activation_line(self, name: str, unit: str, net_j: float, trace, layer: int) -> str:
        if name == "sigmoid":
            exponent = self.num(-net_j)
            return f"\\sigma(\\mathrm{{net}}_{{{unit}}}) = \\frac{{1}}{{1 + e^{{{exponent}}}}}"
        if name == "tanh":
            return f"\\tanh(\\mathrm{{net}}_{{{unit}}}) = \\tanh({self.num(net_j)})"
        if name == "relu":
            return f"\\max(0, \\mathrm{{net}}_{{{unit}}}) = \\max(0, {self.num(net_j)})"
        if name == "linear":
            return f"\\mathrm{{net}}_{{{unit}}}"
        units = self.labels[layer + 1]
        denominator = " + ".join(f"e^{{{self.num(v)}}}" for v in trace.nets[layer])
        return (f"\\frac{{e^{{\\mathrm{{net}}_{{{unit}}}}}}}{{\\sum_k e^{{\\mathrm{{net}}_k}}}}"
                f" = \\frac{{e^{{{self.num(net_j)}}}}}{{{denominator}}}" if len(units) else "")

    def error(self, outputs, target, key: str = "E", symbol: str = "E") -> str:
        units = self.labels[-1]
        value = self.net.loss_function.value(outputs, target)
        self.values[key] = value
        if self.net.loss_function.name == "cross_entropy":
            terms = " + ".join(
                f"{self.par(t)}\\log {self.par(o)}" for t, o in zip(target, outputs, strict=True)
            )
            return f"$${symbol} = -\\sum_k t_k \\log o_k = -[{terms}] = {self.num(value)}$$"
        squares = " + ".join(
            f"({self.num(t)} - {self.num(o)})^2" for t, o in zip(target, outputs, strict=True)
        )
        symbolic = " + ".join(f"(t_{{{u}}} - o_{{{u}}})^2" for u in units)
        return f"$${symbol} = \\tfrac12[{symbolic}] = \\tfrac12[{squares}] = {self.num(value)}$$"

    def output_delta_line(self, k: int, unit: str, net_k, o_k, t_k, delta) -> str:
        name = self.net.activations[-1].name
        residual = f"(t_{{{unit}}} - o_{{{unit}}})"
        if self.net.loss_function.name == "cross_entropy":
            return (f"\\delta_{{{unit}}} &= t_{{{unit}}} - o_{{{unit}}} = {self.num(t_k)} - "
                    f"{self.num(o_k)} = {self.num(delta)}")
        if name == "sigmoid":
            symbolic = f"o_{{{unit}}}(1 - o_{{{unit}}}){residual}"
            plugged = (f"{self.num(o_k)} \\times {self.num(1 - o_k)} \\times "
                       f"{self.par(t_k - o_k)}")
        elif name == "tanh":
            symbolic = f"(1 - o_{{{unit}}}^2){residual}"
            plugged = f"{self.num(1 - o_k * o_k)} \\times {self.par(t_k - o_k)}"
        elif name == "relu":
            symbolic = f"\\mathbb{{1}}[\\mathrm{{net}}_{{{unit}}} > 0]{residual}"
            plugged = f"{int(net_k > 0)} \\times {self.par(t_k - o_k)}"
        else:
            symbolic = residual
            plugged = self.par(t_k - o_k)
        return f"\\delta_{{{unit}}} &= {symbolic} = {plugged} = {self.num(delta)}"

    def hidden_delta_line(self, layer: int, h: int, deltas) -> str:
        unit = self.labels[layer + 1][h]
        name = self.net.activations[layer].name
        downstream = self.labels[layer + 2]
        w_next = self.net.weights[layer + 1]
        total = " + ".join(
            f"{self.par(w_next[k, h])}{self.par(deltas[layer + 1][k])}"
            for k in range(w_next.shape[0])
        )
        symbolic_sum = " + ".join(
            f"w_{{{k},{unit}}}\\delta_{{{k}}}" for k in downstream
        )
        o_h = self.outputs[layer][h]
        net_h = self.nets[layer][h]
        if name == "sigmoid":
            local = f"o_{{{unit}}}(1 - o_{{{unit}}})"
            local_num = f"{self.num(o_h)} \\times {self.num(1 - o_h)}"
        elif name == "tanh":
            local = f"(1 - o_{{{unit}}}^2)"
            local_num = self.num(1 - o_h * o_h)
        elif name == "relu":
            local = f"\\mathbb{{1}}[\\mathrm{{net}}_{{{unit}}} > 0]"
            local_num = str(int(net_h > 0))
        else:
            local, local_num = "", "1"
        return (f"\\delta_{{{unit}}} &= {local}[{symbolic_sum}] = {local_num} \\times [{total}]"
                f" = {self.num(deltas[layer][h])}")

    def backward(self, trace, target, deltas) -> str:
        self.nets, self.outputs = trace.nets, trace.outputs
        last = len(self.net.weights) - 1
        lines = []
        for k, unit in enumerate(self.labels[-1]):
            lines.append(self.output_delta_line(
                k, unit, trace.nets[last][k], trace.outputs[last][k], target[k], deltas[last][k]
            ))
            self.values[f"delta_{unit}"] = float(deltas[last][k])
        blocks = ["**Backward pass: output error terms.**", _aligned(lines)]
        for layer in range(last - 1, -1, -1):
            lines = []
            for h, unit in enumerate(self.labels[layer + 1]):
                lines.append(self.hidden_delta_line(layer, h, deltas))
                self.values[f"delta_{unit}"] = float(deltas[layer][h])
            blocks += ["**Backward pass: hidden error terms.**", _aligned(lines)]
        return "\n\n".join(blocks)

    def update(self, old_w, old_b, deltas, layer_inputs, eta) -> str:
        rule = r"$w_{ji} \leftarrow w_{ji} + \eta\,\delta_j x_{ji}$"
        blocks = [f"**Weight updates** with {rule} and $\\eta = {self.num(eta)}$."]
        for layer in range(len(old_w) - 1, -1, -1):
            lines = []
            for j, unit in enumerate(self.labels[layer + 1]):
                delta = deltas[layer][j]
                for i, source in enumerate(self.labels[layer]):
                    x_ji = layer_inputs[layer][i]
                    change = eta * delta * x_ji
                    new = old_w[layer][j, i] + change
                    lines.append(
                        f"w_{{{unit},{source}}}^{{\\text{{new}}}} &= {self.num(old_w[layer][j, i])}"
                        f" + {self.par(eta)}{self.par(delta)}{self.par(x_ji)}"
                        f" = {self.num(old_w[layer][j, i])} + {self.par(change)}"
                        f" = {self.num(new)}"
                    )
                    self.values[f"dw_{unit},{source}"] = float(change)
                    self.values[f"w_{unit},{source}"] = float(new)
                change = eta * delta
                new = old_b[layer][j] + change
                lines.append(
                    f"b_{{{unit}}}^{{\\text{{new}}}} &= {self.num(old_b[layer][j])}"
                    f" + {self.par(eta)}{self.par(delta)}(1) = {self.num(old_b[layer][j])}"
                    f" + {self.par(change)} = {self.num(new)}"
                )
                self.values[f"db_{unit}"] = float(change)
                self.values[f"b_{unit}"] = float(new)
            blocks.append(_aligned(lines))
        return "\n\n".join(blocks)


def worked_solution(
    net: Network,
    x,
    t,
    eta: float,
    *,
    decimals: int = 4,
    unit_labels: list[list[str]] | None = None,
) -> WorkedSolution:
    """Write out one forward pass, backward pass and update of ``net`` on (x, t).

    The network itself is not changed: the update is applied to a copy, which is
    then used for the "after" section (the error with the new weights).

    Parameters
    ----------
    net : Network
        Any depth; element-wise activations, or softmax with cross-entropy.
    x : array-like, shape (n_in,)
        One example (the lecture's stochastic rule).
    t : array-like, shape (n_out,)
    eta : float
    decimals : int
        Decimal places of every computed number shown.
    unit_labels : list of list of str, optional
        Unit names per layer, input layer first; default numbers the units 1, 2, ...
        from the inputs as the lecture does.

    Returns
    -------
    WorkedSolution
        Its ``markdown`` renders in a notebook; ``values`` holds every exact value.
    """
    if not isinstance(decimals, int) or not 1 <= decimals <= 12:
        raise ValueError(f"decimals must be an integer from 1 to 12, got {decimals!r}")
    trace = net.forward(x)
    if trace.inputs.ndim != 1:
        raise ValueError(
            f"worked_solution writes out one example; x has shape {trace.inputs.shape}, "
            f"expected ({net.n_inputs},)"
        )
    gradients = net.backward(trace, t)
    target = np.asarray(t, dtype=np.float64)
    sizes = net.layer_sizes
    if unit_labels is None:
        start, unit_labels = 1, []
        for size in sizes:
            unit_labels.append([str(n) for n in range(start, start + size)])
            start += size
    if [len(layer) for layer in unit_labels] != sizes:
        raise ValueError(
            f"unit_labels has layer sizes {[len(layer) for layer in unit_labels]}; the network's "
            f"are {sizes} (input layer first)"
        )
    after = net.copy()
    after.train_step(x, t, eta)
    trace_after = after.forward(x)

    writer = _Writer(net, unit_labels, decimals)
    sections = {
        "forward": writer.forward(trace, trace.layer_inputs),
        "error": "**Error before the update.**\n\n"
        + writer.error(trace.outputs[-1], target),
        "backward": writer.backward(trace, target, gradients.deltas),
        "update": writer.update(net.weights, net.biases, gradients.deltas,
                                trace.layer_inputs, float(eta)),
    }
    for unit, value in zip(unit_labels[-1], trace_after.outputs[-1], strict=True):
        writer.values[f"o_after_{unit}"] = float(value)
    outputs_line = ", ".join(
        f"o_{{{u}}}: {writer.num(o)} \\to {writer.num(o2)}"
        for u, o, o2 in zip(unit_labels[-1], trace.outputs[-1], trace_after.outputs[-1],
                            strict=True)
    )
    sections["after"] = (
        "**After the update**, the same input gives\n\n"
        f"$$ {outputs_line} $$\n\n"
        + writer.error(
            trace_after.outputs[-1], target, key="E_after", symbol="E^{\\text{new}}"
        )
    )
    return WorkedSolution(sections, writer.values, decimals)
