"""The worked-solution writer: one training step as step-by-step arithmetic.

Chapter 7 (the complete 3-2-1 example) and chapter 10 (several outputs) print
every line with it, and the answer keys of the exercises are written by it, so
no number of a worked solution is ever typed by hand.

Each line plugs the numbers into the formula in the lecture's style, e.g.
``net_4 = (1)(0.2) + (0)(0.4) + (1)(-0.5) + (-0.4) = -0.7000``. Every result shown is
the engine's exact value rounded to a fixed number of places, trailing zeros kept
(:func:`format_number`); given numbers (inputs, targets, the learning rate, the
weights before the step) are written as given (:func:`format_given`). Intermediate
values are never rounded before reuse (the lecture's hand rounding is why it prints
:math:`\\delta_6 = 0.1311` where the exact value is 0.13117), and yet every line checks
by hand from the numbers it shows: where the rounded factors would not give the
shown result to its last place, the factors carry more places
(``(0.9)(-0.008725)(1) = -0.0079``, not ``(0.9)(-0.0087)(1)``, which is -0.0078).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from backprop.network import Network

__all__ = [
    "WorkedSolution", "checked_product", "format_given", "format_number", "worked_solution",
]


def format_number(value: float, decimals: int) -> str:
    """``value`` with exactly ``decimals`` places, trailing zeros kept.

    The book's one rule for a computed number: fixed decimals, so that a reader can
    tell the precision (0.4700, not 0.47). ``-0`` is written without its sign
    (``format_number(-0.00001, 4) == "0.0000"``). Rounds as Python's format spec does
    (to the nearest, exact binary ties to even); ``js/format.js`` ``formatNumber`` gives
    the same strings in the explorers.
    """
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and text.strip("-0.") == "":
        text = text[1:]
    return text


def format_given(value: float, decimals: int) -> str:
    """A *given* number (an input, a target, a learning rate, a weight before the step).

    Written as given (0.2, 1, -0.5) when it has at most ``decimals`` places, because
    it is exact and not a rounded result; otherwise as :func:`format_number`. Chapter 7
    and every worked solution: ``(1)(0.2) + (0)(0.4) + (1)(-0.5) + (-0.4) = -0.7000``.
    """
    text = format_number(value, decimals)
    # "exact" up to float noise: a slider moved from 0.55 by 0.01 four times sends
    # 0.5900000000000001, which is the given 0.59
    if "." in text and abs(float(text) - value) <= 1e-12 * max(1.0, abs(value)):
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


#: How many more places than ``decimals`` a factor may carry so that its line checks.
EXTRA_DECIMALS = 8


def checked_product(factors, result: float, decimals: int) -> str:
    """``a \\times b = r`` in LaTeX, true of the numbers it shows.

    The result is written with ``decimals`` places; the factors too, unless their rounded
    values would not give that result, in which case they carry the fewest more places
    that do (the rule of every worked solution). Chapter 4's sigmoid slopes:
    ``checked_product([0.0691, 0.9309], 0.0643, 4)``.
    """
    shown = format_number(result, decimals)
    for extra in range(EXTRA_DECIMALS + 1):
        texts = [format_number(float(f), decimals + extra) for f in factors]
        product = 1.0
        for text in texts:
            product *= float(text)
        if format_number(product, decimals) == shown:
            return " \\times ".join(texts) + f" = {shown}"
    raise ValueError(f"no rounding of {list(factors)} gives {shown}: is {result} their product?")
#: A displayed result may be off the displayed expression by half a unit of its last
#: place, and by this fraction of it more (floating-point noise of the check itself).
_SLACK = 1e-7
#: No factor is shown with more significant digits than a double holds.
_DIGITS = 15


# The computed quantities a line may carry with extra places, and their symbols.
_CARRIED = re.compile(r"(minus_net|net|o_after|o|delta)_([^,]+)")
_SYMBOLS = {"net": "\\mathrm{{net}}_{{{unit}}}", "o": "o_{{{unit}}}",
            "o_after": "o_{{{unit}}}^{{\\text{{new}}}}", "delta": "\\delta_{{{unit}}}"}


_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
          8: "eight", 9: "nine"}


def _places(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _close(value: float, text: str, strict: bool = False) -> bool:
    """Whether ``text`` is ``value`` rounded to its places (ties either way unless ``strict``)."""
    half = 0.5 / 10.0 ** _places(text)  # the same double as the page's
    gap = abs(value - float(text))
    return gap < half * (1 - _SLACK) if strict else gap <= half * (1 + _SLACK)


def _sigma(exponent: float) -> float:
    """1 / (1 + e^exponent), as the page computes it (0 where e^exponent overflows)."""
    return 0.0 if exponent > 709 else 1.0 / (1.0 + math.exp(exponent))


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
        Places of every result shown.
    texts : dict of str to str
        Every factor as a line shows it, by ``"<line>:<factor>"`` (``"w_4,1:delta_4"``:
        :math:`\\delta_4` in the update line of :math:`w_{4,1}`), and ``"eta"``. A factor
        carries more places than ``decimals`` only where the line would not check by
        hand otherwise (chapter 7, part 3).
    carried : dict of str to dict of str to str
        By section, the factors its lines carry with more places (``{"update":
        {"delta_4": "-0.008725", ...}}``), which the section's last sentence names.
    """

    sections: dict[str, str]
    values: dict[str, float] = field(default_factory=dict)
    decimals: int = 4
    texts: dict[str, str] = field(default_factory=dict)
    carried: dict[str, dict[str, str]] = field(default_factory=dict)

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
    """Writes the lines; every line checks by hand from the numbers it displays.

    A line's results (right of its last ``=``) are the engine's exact values rounded
    to ``decimals`` places, as everywhere else in the book. Its factors are shown with
    ``decimals`` places too, unless the line would then not check: then they carry one
    more place, two, ... (at most :data:`EXTRA_DECIMALS`), each still rounding to what
    the rest of the solution shows. ``texts`` records every factor's text by
    ``"<line>:<factor>"`` (line ``"net_4"``, ``"o_4"``, ``"E"``, ``"delta_6"``,
    ``"w_6,4"``, ``"b_6"``, ``"E_after"``; factor ``"o_4"``, ``"w_6,4"``, ``"eta"``, ...),
    the names the worked-example explorer's view (``explorers/worked.js``) gives its
    spans.
    """

    def __init__(self, net: Network, labels: list[list[str]], decimals: int) -> None:
        self.net, self.labels, self.decimals = net, labels, decimals
        self.values: dict[str, float] = {}
        self.texts: dict[str, str] = {}
        self._consistent = True
        self._strict = True
        self.carried: dict[str, str] = {}  # the current section's factors with extra places
        # (section, factor name) -> the places every line of the section shows it with
        self.floors: dict[tuple[str, str], int] = {}
        self.section = ""

    def close(self, value: float, text: str) -> bool:
        return _close(value, text, self._strict)

    def num(self, value: float) -> str:
        return format_number(float(value), self.decimals)

    def show(self, value: float, places: int, given: bool = False, name: str = "") -> str:
        """A factor with ``places`` places (a given one as given, if it is exact).

        A quantity ``name`` that another line of the same section carries with more places
        is shown with those places here too (``floors``): one quantity, one precision
        within a section."""
        value = float(value)
        if given:
            text = format_given(value, self.decimals)
            if _places(text) < self.decimals or float(text) == value:
                return text
        places = max(places, self.floors.get((self.section, name), 0))
        text = format_number(value, places)
        if len(text.replace("-", "").replace(".", "").lstrip("0")) > _DIGITS:
            self._consistent = False  # beyond a double's digits: the places mean nothing
        if places > self.decimals:
            # the longer text must round to the text shown elsewhere (no 0.00875 for 0.0087)
            short = float(format_number(value, self.decimals))
            if not abs(float(text) - short) < 0.5 / 10.0 ** self.decimals * (1 - _SLACK):
                self._consistent = False
        return text

    def fit(self, line: str, build) -> dict[str, str]:
        """The factors' texts of ``line``: ``build(places)`` gives them and whether they check."""
        # a tie (0.00585 shown as 0.0059) reads two ways: more places first, a tie only
        # where more places cannot help (all factors given and exact)
        attempts = [(strict, places) for strict in (True, False)
                    for places in range(self.decimals, self.decimals + EXTRA_DECIMALS + 1)]
        for strict, places in attempts:
            self._consistent, self._strict = True, strict
            texts, checks = build(places)
            if checks and self._consistent:
                break
        else:  # only where a double has too few digits (values of 1e5 and more)
            self._strict = False
            texts, _ = build(self.decimals)
        for name, text in texts.items():
            self.texts[f"{line}:{name}"] = text
            if (_CARRIED.fullmatch(name) and _places(text) > self.decimals
                    and _places(text) > _places(self.carried.get(name, ""))):
                self.carried[name] = text
        return texts

    def take_carried(self) -> dict[str, str]:
        """The quantities the section's lines show with more places than their own lines
        give (``{"delta_4": "-0.008725"}`` beside its line's -0.0087), by factor name in
        the order the lines first show them; the next section starts afresh."""
        carried, self.carried = self.carried, {}
        return carried

    def source_symbol(self, layer: int, i: int) -> str:
        """x_i for an input unit, o_i for a unit of an earlier layer; an input unit named by
        a letter (chapter 8's chain labels its input "x") is that letter, not x_{x}."""
        label = self.labels[layer][i]
        if layer == 0 and label.isalpha():
            return label
        return ("x" if layer == 0 else "o") + f"_{{{label}}}"

    def source_key(self, layer: int, i: int) -> str:
        return ("x" if layer == 0 else "o") + f"_{self.labels[layer][i]}"

    def forward(self, trace, layer_inputs) -> str:
        self.section = "forward"
        blocks = ["**Forward pass.**"]
        for layer, (w, b, act) in enumerate(
            zip(self.net.weights, self.net.biases, self.net.activations, strict=True)
        ):
            signal = layer_inputs[layer]
            sources = [self.source_key(layer, i) for i in range(w.shape[1])]
            lines = []
            for j in range(w.shape[0]):
                unit = self.labels[layer + 1][j]
                net_j, o_j = float(trace.nets[layer][j]), float(trace.outputs[layer][j])
                result = self.num(net_j)
                weights = [f"w_{unit},{self.labels[layer][i]}" for i in range(w.shape[1])]

                def build(places, j=j, weights=weights, result=result, unit=unit, layer=layer,
                          signal=signal, sources=sources, w=w, b=b):
                    texts = {}
                    total = 0.0
                    for i, (source, weight) in enumerate(zip(sources, weights, strict=True)):
                        texts[source] = self.show(signal[i], places, given=layer == 0, name=source)
                        texts[weight] = self.show(w[j, i], places, given=True)
                        total += float(texts[source]) * float(texts[weight])
                    texts[f"b_{unit}"] = self.show(b[j], places, given=True)
                    total += float(texts[f"b_{unit}"])
                    return texts, self.close(total, result)

                texts = self.fit(f"net_{unit}", build)
                symbolic = " + ".join(
                    f"{self.source_symbol(layer, i)} w_{{{unit},{self.labels[layer][i]}}}"
                    for i in range(w.shape[1])
                )
                plugged = " + ".join(f"({texts[s]})({texts[v]})"
                                     for s, v in zip(sources, weights, strict=True))
                lines.append(
                    f"\\mathrm{{net}}_{{{unit}}} &= {symbolic} + b_{{{unit}}} \\\\\n"
                    f"&= {plugged} + ({texts[f'b_{unit}']}) = {result}"
                )
                rule = self.activation_line(act.name, unit, j, trace, layer)
                lines.append(f"o_{{{unit}}} &= {rule} = {self.num(o_j)}")
                self.values[f"net_{unit}"] = net_j
                self.values[f"o_{unit}"] = o_j
            blocks.append(_aligned(lines))
        return "\n\n".join(blocks)

    def activation_line(self, name: str, unit: str, j: int, trace, layer: int) -> str:
        net_j = float(trace.nets[layer][j])
        result = self.num(trace.outputs[layer][j])
        line = f"o_{unit}"
        if name == "sigmoid":
            texts = self.fit(line, lambda p: (
                {f"minus_net_{unit}": (e := self.show(-net_j, p, name=f"minus_net_{unit}"))},
                self.close(_sigma(float(e)), result)))
            exponent = texts[f"minus_net_{unit}"]
            return f"\\sigma(\\mathrm{{net}}_{{{unit}}}) = \\frac{{1}}{{1 + e^{{{exponent}}}}}"
        if name == "tanh":
            texts = self.fit(line, lambda p: (
                {f"net_{unit}": (n := self.show(net_j, p, name=f"net_{unit}"))},
                self.close(math.tanh(float(n)), result)))
            return f"\\tanh(\\mathrm{{net}}_{{{unit}}}) = \\tanh({texts[f'net_{unit}']})"
        if name == "relu":
            texts = self.fit(line, lambda p: (
                {f"net_{unit}": (n := self.show(net_j, p, name=f"net_{unit}"))},
                self.close(max(0.0, float(n)), result)))
            return f"\\max(0, \\mathrm{{net}}_{{{unit}}}) = \\max(0, {texts[f'net_{unit}']})"
        if name == "linear":
            return f"\\mathrm{{net}}_{{{unit}}}"
        units = self.labels[layer + 1]
        nets = [float(v) for v in trace.nets[layer]]

        def build(places):
            texts = {f"net_{u}": self.show(v, places, name=f"net_{u}")
                     for u, v in zip(units, nets, strict=True)}
            shown = [float(texts[f"net_{u}"]) for u in units]
            top = max(shown)
            weights = [math.exp(v - top) for v in shown]
            return texts, self.close(weights[j] / sum(weights), result)

        texts = self.fit(line, build)
        denominator = " + ".join(f"e^{{{texts[f'net_{u}']}}}" for u in units)
        return (f"\\frac{{e^{{\\mathrm{{net}}_{{{unit}}}}}}}{{\\sum_k e^{{\\mathrm{{net}}_k}}}}"
                f" = \\frac{{e^{{{texts[f'net_{unit}']}}}}}{{{denominator}}}")

    def error(self, outputs, target, key: str = "E", symbol: str = "E") -> str:
        self.section = "after" if key == "E_after" else "error"
        units = self.labels[-1]
        value = self.net.loss_function.value(outputs, target)
        self.values[key] = value
        result = self.num(value)
        output = "o_after_" if key == "E_after" else "o_"
        entropy = self.net.loss_function.name == "cross_entropy"

        def build(places):
            texts = {}
            total = 0.0
            for u, t_k, o_k in zip(units, target, outputs, strict=True):
                t_text = texts[f"t_{u}"] = self.show(t_k, places, given=True)
                o_places = places
                if entropy and t_k != 0 and 0 < o_k < 1:
                    # log o needs o's leading digits, not its places: an output of 5e-9
                    # is 0.00 at two places and log 0 is no number
                    o_places += max(0, -math.floor(math.log10(o_k)))
                o_text = texts[f"{output}{u}"] = self.show(o_k, o_places, name=f"{output}{u}")
                if entropy:
                    if float(t_text) != 0:  # 0 log o is 0; log 0 (o shown as 0) needs places
                        shown = float(o_text)
                        total += float(t_text) * (math.log(shown) if shown > 0 else -math.inf)
                else:
                    diff = float(t_text) - float(o_text)
                    total += diff * diff
            return texts, self.close(-total if entropy else 0.5 * total, result)

        texts = self.fit(key, build)
        pairs = [(texts[f"t_{u}"], texts[f"{output}{u}"]) for u in units]
        if entropy:
            terms = " + ".join(f"({t})\\log ({o})" for t, o in pairs)
            return f"$${symbol} = -\\sum_k t_k \\log o_k = -[{terms}] = {result}$$"
        squares = " + ".join(f"({t} - {o})^2" for t, o in pairs)
        symbolic = " + ".join(f"(t_{{{u}}} - o_{{{u}}})^2" for u in units)
        return f"$${symbol} = \\tfrac12[{symbolic}] = \\tfrac12[{squares}] = {result}$$"

    def output_delta_line(self, k: int, unit: str, net_k, o_k, t_k, delta) -> str:
        name = self.net.activations[-1].name
        result = self.num(delta)
        residual = f"(t_{{{unit}}} - o_{{{unit}}})"
        if self.net.loss_function.name == "cross_entropy":
            texts = self.fit(f"delta_{unit}", lambda p: (
                (tx := {f"t_{unit}": self.show(t_k, p, given=True),
                        f"o_{unit}": self.show(o_k, p, name=f"o_{unit}")}),
                self.close(float(tx[f"t_{unit}"]) - float(tx[f"o_{unit}"]), result)))
            return (f"\\delta_{{{unit}}} &= t_{{{unit}}} - o_{{{unit}}} = {texts[f't_{unit}']} - "
                    f"{texts[f'o_{unit}']} = {result}")

        def build(places):
            o_text = self.show(o_k, places, name=f"o_{unit}")
            t_text = self.show(t_k, places, given=True)
            # derived from the shown o: exactly 1 - o and t - o, so they check too
            # (with o's places, which a floor may have raised above ``places``)
            r_text = format_number(float(t_text) - float(o_text),
                                   max(_places(o_text), _places(t_text)))
            texts = {f"residual_{unit}": r_text}
            if name == "sigmoid":
                texts[f"o_{unit}"] = o_text
                texts[f"one_minus_o_{unit}"] = format_number(1 - float(o_text), _places(o_text))
                value = float(o_text) * float(texts[f"one_minus_o_{unit}"]) * float(r_text)
            elif name == "tanh":
                # the slope itself rounded, not 1 - (o as shown)^2: the line does not show
                # the o it would come from, and the prose quotes the slope
                texts[f"one_minus_o_sq_{unit}"] = format_number(1 - float(o_k) * float(o_k), places)
                value = float(texts[f"one_minus_o_sq_{unit}"]) * float(r_text)
            elif name == "relu":
                texts[f"indicator_{unit}"] = str(int(net_k > 0))
                value = float(texts[f"indicator_{unit}"]) * float(r_text)
            else:  # a linear output: delta is t - o itself, written from t and o
                texts = {f"t_{unit}": t_text, f"o_{unit}": o_text}
                value = float(r_text)
            return texts, self.close(value, result)

        texts = self.fit(f"delta_{unit}", build)
        r = texts.get(f"residual_{unit}")
        if name == "sigmoid":
            symbolic = f"o_{{{unit}}}(1 - o_{{{unit}}}){residual}"
            plugged = (f"{texts[f'o_{unit}']} \\times {texts[f'one_minus_o_{unit}']} "
                       f"\\times ({r})")
        elif name == "tanh":
            symbolic = f"(1 - o_{{{unit}}}^2){residual}"
            plugged = f"{texts[f'one_minus_o_sq_{unit}']} \\times ({r})"
        elif name == "relu":
            symbolic = f"\\mathbb{{1}}[\\mathrm{{net}}_{{{unit}}} > 0]{residual}"
            plugged = f"{texts[f'indicator_{unit}']} \\times ({r})"
        else:
            symbolic = f"t_{{{unit}}} - o_{{{unit}}}"
            plugged = f"{texts[f't_{unit}']} - ({texts[f'o_{unit}']})"
        return f"\\delta_{{{unit}}} &= {symbolic} = {plugged} = {result}"

    def hidden_delta_line(self, layer: int, h: int, deltas) -> str:
        unit = self.labels[layer + 1][h]
        name = self.net.activations[layer].name
        downstream = self.labels[layer + 2]
        w_next = self.net.weights[layer + 1]
        o_h = float(self.outputs[layer][h])
        net_h = float(self.nets[layer][h])
        result = self.num(deltas[layer][h])

        def build(places):
            texts = {}
            total = 0.0
            for k, down in enumerate(downstream):
                w_text = texts[f"w_{down},{unit}"] = self.show(w_next[k, h], places, given=True)
                d_text = texts[f"delta_{down}"] = self.show(deltas[layer + 1][k], places,
                                                            name=f"delta_{down}")
                total += float(w_text) * float(d_text)
            if name == "sigmoid":
                o_text = texts[f"o_{unit}"] = self.show(o_h, places, name=f"o_{unit}")
                texts[f"one_minus_o_{unit}"] = format_number(1 - float(o_text), _places(o_text))
                value = float(o_text) * float(texts[f"one_minus_o_{unit}"]) * total
            elif name == "tanh":  # the slope itself rounded, as in output_delta_line
                texts[f"one_minus_o_sq_{unit}"] = format_number(1 - o_h * o_h, places)
                value = float(texts[f"one_minus_o_sq_{unit}"]) * total
            elif name == "relu":
                texts[f"indicator_{unit}"] = str(int(net_h > 0))
                value = float(texts[f"indicator_{unit}"]) * total
            else:
                value = total
            return texts, self.close(value, result)

        texts = self.fit(f"delta_{unit}", build)
        total = " + ".join(f"({texts[f'w_{k},{unit}']})({texts[f'delta_{k}']})"
                           for k in downstream)
        symbolic_sum = " + ".join(f"w_{{{k},{unit}}}\\delta_{{{k}}}" for k in downstream)
        if name == "sigmoid":
            local = f"o_{{{unit}}}(1 - o_{{{unit}}})"
            local_num = f"{texts[f'o_{unit}']} \\times {texts[f'one_minus_o_{unit}']}"
        elif name == "tanh":
            local = f"(1 - o_{{{unit}}}^2)"
            local_num = texts[f"one_minus_o_sq_{unit}"]
        elif name == "relu":
            local = f"\\mathbb{{1}}[\\mathrm{{net}}_{{{unit}}} > 0]"
            local_num = texts[f"indicator_{unit}"]
        else:
            local, local_num = "", "1"
        return (f"\\delta_{{{unit}}} &= {local}[{symbolic_sum}] = {local_num} \\times [{total}]"
                f" = {result}")

    def update_line(self, key: str, symbol: str, old: float, eta: float, delta: float,
                    delta_key: str, source: tuple[str, float, bool] | None) -> str:
        """``symbol^new = old + (eta)(delta)(source) = old + (change) = new``."""
        old, eta, delta = float(old), float(eta), float(delta)
        x = 1.0 if source is None else float(source[1])
        change = eta * delta * x
        new = old + change
        # a weight the step leaves exactly as it was is still the given number (0.4)
        result = format_given(new, self.decimals) if new == old else self.num(new)
        change_key = ("dw_" if source else "db_") + key[2:]

        def build(places):
            texts = {key: self.show(old, places, given=True),
                     "eta": self.show(eta, places, given=True),
                     delta_key: self.show(delta, places, name=delta_key)}
            product = float(texts["eta"]) * float(texts[delta_key])
            if source is not None:
                texts[source[0]] = self.show(x, places, given=source[2], name=source[0])
                product *= float(texts[source[0]])
            # the change is a result of the product and a term of the sum
            # an exact zero change (an input of 0) is written exactly, as a given: 0.4 + (0)
            texts[change_key] = ("0" if change == 0 else
                                 self.show(change, max(self.decimals, places - 2)))
            return texts, (self.close(product, texts[change_key])
                           and self.close(float(texts[key]) + float(texts[change_key]), result))

        texts = self.fit(key, build)
        factor = "(1)" if source is None else f"({texts[source[0]]})"
        self.values[change_key] = float(change)
        self.values[key] = float(new)
        return (f"{symbol}^{{\\text{{new}}}} &= {texts[key]} + ({texts['eta']})"
                f"({texts[delta_key]}){factor} = {texts[key]} + ({texts[change_key]})"
                f" = {result}")

    def backward(self, trace, target, deltas) -> str:
        self.section = "backward"
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
        self.section = "update"
        rule = r"$w_{ji} \leftarrow w_{ji} + \eta\,\delta_j x_{ji}$"
        self.texts["eta"] = eta_text = format_given(eta, self.decimals)
        blocks = [f"**Weight updates** with {rule} and $\\eta = {eta_text}$."]
        for layer in range(len(old_w) - 1, -1, -1):
            lines = []
            for j, unit in enumerate(self.labels[layer + 1]):
                delta = deltas[layer][j]
                for i, source in enumerate(self.labels[layer]):
                    lines.append(self.update_line(
                        f"w_{unit},{source}", f"w_{{{unit},{source}}}", old_w[layer][j, i], eta,
                        delta, f"delta_{unit}",
                        (self.source_key(layer, i), layer_inputs[layer][i], layer == 0)))
                lines.append(self.update_line(f"b_{unit}", f"b_{{{unit}}}", old_b[layer][j], eta,
                                              delta, f"delta_{unit}", None))
            blocks.append(_aligned(lines))
        return "\n\n".join(blocks)


def carried_quantities(carried: dict[str, str]) -> list[tuple[str, str, str]]:
    """(kind, unit, text) of each carried factor: kind ``net``, ``o``, ``o_after`` or
    ``delta``; a sigmoid line's exponent -net is given as net with its sign turned."""
    quantities = []
    for name, text in carried.items():
        kind, unit = _CARRIED.fullmatch(name).groups()
        if kind == "minus_net":
            kind, text = "net", text[1:] if text.startswith("-") else "-" + text
        quantities.append((kind, unit, text))
    return quantities


def carried_note(carried: dict[str, str], decimals: int) -> str:
    """The sentence under a section that shows its rounding (chapter 7, part 3): which
    quantities its lines carry with more places, so that a reader who finds
    delta_4 = -0.0087 in its own line and -0.008725 in an update line knows why; "" if
    the section carries none. The explorer's view writes the same sentence
    (``carriedNote`` in explorers/worked.js)."""
    shown = [f"${_SYMBOLS[kind].format(unit=unit)} = {text}$"
             for kind, unit, text in carried_quantities(carried)]
    if not shown:
        return ""
    one = len(shown) == 1
    return (f"*More places where a line needs them:* {', '.join(shown)}, rounded to "
            f"{_WORDS.get(decimals, str(decimals))} places in {'its' if one else 'their'} own "
            f"line{'' if one else 's'}; each line above checks by hand from the numbers it shows.")


def _write(net, unit_labels, decimals, floors, trace, trace_after, gradients, target, eta):
    """One writing of every section: (writer, sections, carried) for ``worked_solution``."""
    writer = _Writer(net, unit_labels, decimals)
    writer.floors = floors
    carried: dict[str, dict[str, str]] = {}

    def noted(name: str, section: str) -> str:  # the section, then its note on carried places
        carried[name] = writer.take_carried()
        return "\n\n".join(filter(None, [section, carried_note(carried[name], decimals)]))

    sections = {
        "forward": noted("forward", writer.forward(trace, trace.layer_inputs)),
        "error": noted("error", "**Error before the update.**\n\n"
                       + writer.error(trace.outputs[-1], target)),
        "backward": noted("backward", writer.backward(trace, target, gradients.deltas)),
        "update": noted("update", writer.update(net.weights, net.biases, gradients.deltas,
                                                trace.layer_inputs, eta)),
    }
    for unit, value in zip(unit_labels[-1], trace_after.outputs[-1], strict=True):
        writer.values[f"o_after_{unit}"] = float(value)
    outputs_line = ", ".join(
        f"o_{{{u}}}: {writer.num(o)} \\to {writer.num(o2)}"
        for u, o, o2 in zip(unit_labels[-1], trace.outputs[-1], trace_after.outputs[-1],
                            strict=True)
    )
    sections["after"] = noted(
        "after", "**After the update**, the same input gives\n\n"
        f"$$ {outputs_line} $$\n\n"
        + writer.error(
            trace_after.outputs[-1], target, key="E_after", symbol="E^{\\text{new}}"
        )
    )
    return writer, sections, carried


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

    Notes
    -----
    Every displayed line checks by hand from the digits it shows (factors carry more
    places where a line needs them) while the numbers stay below about :math:`10^5`.
    Beyond that, as after a diverging step, a result at ``decimals`` places would need
    more significant digits than a double holds: such a line is written with the
    fixed places, and its last ones are not exact.
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

    # A quantity one line of a section needs with more places is shown with them in every
    # line of that section: written again with those places as floors until no line needs
    # more (a second pass nearly always settles it; each pass only adds places)
    floors: dict[tuple[str, str], int] = {}
    for _ in range(EXTRA_DECIMALS + 1):
        writer, sections, carried = _write(net, unit_labels, decimals, floors, trace,
                                           trace_after, gradients, target, float(eta))
        needed = {(section, name): _places(text) for section, names in carried.items()
                  for name, text in names.items()}
        if needed.items() <= floors.items():
            break
        floors = {**floors, **needed}
    return WorkedSolution(sections, writer.values, decimals, writer.texts, carried)
