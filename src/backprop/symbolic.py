"""The chain rule carried out by SymPy: the derivations of chapter 8.

Chapter 8 (where the formulas come from) does not write the error terms down; it
has SymPy differentiate the error and then shows that the result *is* the
lecture's formula. Every function here

1. builds the error :math:`E` as an explicit expression of the net inputs,
2. differentiates it (``sympy.diff``: the chain rule is applied by the machine),
3. rewrites the result in the lecture's symbols (outputs :math:`o`, targets
   :math:`t`, downstream error terms :math:`\\delta_k`), and
4. proves that the derivative equals the textbook form: their difference
   simplifies to 0.

Each result also comes *lambdified* (turned into a NumPy function), so chapter 8
and ``tests/test_symbolic.py`` evaluate it on numbers and compare it with the
engine's ``net.backward`` error terms.

Sign convention (the lecture's): :math:`\\delta_j = -\\partial E/\\partial
\\mathrm{net}_j`.

Nothing is computed on import; each derivation is cached after its first call.

Public API
----------
Derivation
    One derivation: its steps, the derivative, the target form, the proof.
output_delta(activation)
    :math:`\\delta_k` of an output unit under the squared error (sigmoid, tanh,
    relu, linear).
hidden_delta(activation, n_downstream)
    :math:`\\delta_h` of a hidden unit feeding ``n_downstream`` sigmoid outputs.
softmax_cross_entropy_delta(n_classes)
    :math:`\\delta_j = t_j - o_j` for softmax with cross-entropy.
weight_gradient_split(n_inputs)
    :math:`\\partial E/\\partial w_{ji} = \\partial E/\\partial\\mathrm{net}_j \\cdot x_{ji}`.
update_rule_equivalence()
    :math:`w + \\eta\\delta x` is :math:`w - \\eta\\,\\partial E/\\partial w`.
chain_two_node(weight)
    The lecture's x -> h -> o chain: :math:`\\partial E/\\partial w` as a product of
    local derivatives.
hidden_delta_arguments(network, trace, t, h)
    The numbers to feed :meth:`Derivation.function` of :func:`hidden_delta` for
    hidden unit ``h`` of an engine network.
is_identity(expr)
    True if ``expr`` is identically 0 (the proof step).
to_latex(expr)
    LaTeX with :math:`\\mathrm{net}` set upright, terms in the lecture's order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import sympy as sp

__all__ = [
    "ACTIVATIONS",
    "Derivation",
    "chain_two_node",
    "hidden_delta",
    "hidden_delta_arguments",
    "is_identity",
    "output_delta",
    "softmax_cross_entropy_delta",
    "to_latex",
    "update_rule_equivalence",
    "weight_gradient_split",
]

#: Activations whose error terms are derived here (softmax has its own function).
ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")


# --------------------------------------------------------------------------- helpers
def to_latex(expr) -> str:
    """LaTeX of a SymPy expression in the lecture's typography.

    Symbols named ``net``, ``net_h``, ``net_1`` print as :math:`\\mathrm{net}`,
    :math:`\\mathrm{net}_h`, :math:`\\mathrm{net}_1`; terms keep the order in which
    they were written (``t - o`` rather than SymPy's ``-o + t``).
    """
    expr = sp.sympify(expr)
    names = {}
    for symbol in expr.free_symbols:
        name = symbol.name
        if name == "net":
            names[symbol] = r"\mathrm{net}"
        elif name.startswith("net_"):
            names[symbol] = r"\mathrm{net}_{" + name[4:] + "}"
    text = sp.latex(expr, symbol_names=names, order="none")
    # Heaviside(x, 0), the ReLU slope, as the engine's indicator 1[x > 0].
    return re.sub(r"\\theta\\left\(([^()]*?), 0\\right\)", r"\\mathbb{1}[\1 > 0]", text)


def is_identity(expr) -> bool:
    """True if ``expr`` is identically zero: the proof that two forms are equal.

    Every ``exp``, ``tanh``, ``Max`` and ``Heaviside`` sub-expression is first
    replaced by a fresh symbol (outermost first), which turns the difference into
    a rational function; if that cancels to 0, it is 0 whatever values the
    replaced pieces take, so the identity holds. This is much faster than
    ``sympy.simplify`` on the nested expressions of a hidden unit; when it does
    not settle the question, ``sympy.simplify(expr) == 0`` decides.
    """
    expr = sp.sympify(expr)
    if isinstance(expr, sp.MatrixBase):
        return all(is_identity(entry) for entry in expr)
    atoms = expr.atoms(sp.exp, sp.tanh, sp.Max, sp.Heaviside)
    rational = expr.xreplace({atom: sp.Dummy() for atom in atoms})
    if sp.cancel(sp.together(rational)) == 0:
        return True
    return sp.simplify(expr) == 0


def _product(*factors):
    """The product in the order written (for display), dropping factors equal to 1."""
    kept = [f for f in factors if f != 1]
    if not kept:
        return sp.Integer(1)
    return kept[0] if len(kept) == 1 else sp.Mul(*kept, evaluate=False)


def _sigmoid(z):
    return 1 / (1 + sp.exp(-z))


def _activation(name: str, z):
    """The activation applied to the SymPy expression ``z``."""
    if name == "sigmoid":
        return _sigmoid(z)
    if name == "tanh":
        return sp.tanh(z)
    if name == "relu":
        return sp.Max(0, z)
    if name == "linear":
        return z
    raise ValueError(f"unknown activation {name!r}; known: {', '.join(ACTIVATIONS)}")


def _local_derivative(name: str, o, net):
    """The lecture's form of f'(net): in the output o where it can be (sigmoid, tanh)."""
    return {
        "sigmoid": o * (1 - o),
        "tanh": 1 - o**2,
        "relu": sp.Heaviside(net, 0),
        "linear": sp.Integer(1),
    }[name]


def _engine_heaviside(expr):
    """Heaviside(x) -> Heaviside(x, 0): the kink of ReLU takes slope 0, as in the engine.

    SymPy's default Heaviside(0) is 1/2; the two only differ at net = 0 exactly.
    """
    return expr.replace(
        lambda e: isinstance(e, sp.Heaviside) and e.args[-1] != 0,
        lambda e: sp.Heaviside(e.args[0], 0),
    )


def _is_output_symbol(symbol) -> bool:
    return symbol.name == "o" or symbol.name.startswith("o_")


def _tidy(expr):
    """Write the factors of a product the lecture's way round: 1 - o, t - o (not o - 1).

    SymPy's ``factor`` returns e.g. ``-o(o - 1)(o - t)``; a factor whose output
    terms (o, o_h, ...) are all positive and which has a negative term is negated,
    and the overall sign is fixed, giving ``o(1 - o)(t - o)``. The value is unchanged.
    """
    factors = sp.Mul.make_args(sp.factor(expr))
    sign, kept = 1, []
    for factor in factors:
        if factor == -1:
            sign = -sign
            continue
        if isinstance(factor, sp.Add):
            output_terms = [term for term in factor.args
                            if any(_is_output_symbol(s) for s in term.free_symbols)]
            other_terms = [term for term in factor.args if term not in output_terms]
            if (output_terms and all(term.could_extract_minus_sign() is False
                                     for term in output_terms)
                    and any(term.could_extract_minus_sign() for term in other_terms)):
                factor, sign = -factor, -sign
        kept.append(factor)
    if sign == -1:
        kept.insert(0, sp.Integer(-1))
    return sp.Mul(*kept)


def _to_outputs(expr, name: str, net, o):
    """Rewrite f(net) in terms of o = f(net): exp(-net) = (1 - o)/o, tanh(net) = o, ..."""
    if name == "sigmoid":
        return expr.subs(sp.exp(-net), (1 - o) / o)
    if name == "tanh":
        return expr.subs(sp.tanh(net), o)
    if name == "relu":
        return expr.subs(sp.Max(0, net), o)
    return expr.subs(net, o)


# ------------------------------------------------------------------------ Derivation
@dataclass(frozen=True)
class Derivation:
    """One symbolic derivation of chapter 8, proved and ready to evaluate.

    Attributes
    ----------
    title : str
        What is derived, e.g. ``"output unit, sigmoid"``.
    steps : tuple of (str, sympy.Expr)
        The displayed chain: a LaTeX left-hand side and the expression SymPy
        computed for it, in order (error, derivative, rewritten form, ...).
    derived : sympy.Expr or sympy.Matrix
        The derivative exactly as ``sympy.diff`` returned it (sign already applied
        for a delta), in the primitive variables ``variables``.
    in_outputs : sympy.Expr or sympy.Matrix
        ``derived`` rewritten in the lecture's symbols (``o``, ``t``, ...) by
        substituting e.g. :math:`e^{-\\mathrm{net}} = (1 - o)/o` and factoring.
    target : sympy.Expr or sympy.Matrix
        The textbook form in the lecture's symbols, e.g. :math:`o(1-o)(t-o)`.
    substitutions : dict
        Lecture symbol -> expression in the primitive variables (``o -> sigma(net)``).
    variables : tuple of sympy.Symbol
        The arguments of :attr:`function`, in order.
    equal : bool
        The proof: ``derived - target.subs(substitutions)`` is identically 0
        (:func:`is_identity`).
    in_outputs_equal : bool
        ``in_outputs - target`` is identically 0 (the rewriting reached the target).
    function : callable
        ``derived`` lambdified over ``variables`` with NumPy; returns a float (or a
        1-D array for a Matrix).
    """

    title: str
    steps: tuple
    derived: object
    in_outputs: object
    target: object
    substitutions: dict
    variables: tuple
    equal: bool
    in_outputs_equal: bool
    function: Callable = field(repr=False)

    def __repr__(self) -> str:
        return f"Derivation({self.title!r}, equal={self.equal})"

    def evaluate(self, *values) -> float | np.ndarray:
        """``function(*values)`` as a float (or a 1-D float array for several outputs)."""
        result = np.asarray(self.function(*values), dtype=np.float64)
        return float(result) if result.ndim == 0 else result.reshape(-1)

    def latex(self) -> str:
        """The steps as one display-math ``aligned`` block (Markdown with ``$$``)."""
        lines = []
        for lhs, expr in self.steps:
            line = f"{lhs} &= {to_latex(expr)}"
            if not lines or line != lines[-1]:  # a rewrite that changed nothing is not shown
                lines.append(line)
        return "$$\n\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}\n$$"

    def _repr_markdown_(self) -> str:
        return self.latex()


def _lambdify(variables, expr) -> Callable:
    body = list(expr) if isinstance(expr, sp.MatrixBase) else expr
    return sp.lambdify(variables, body, modules="numpy")


def _derivation(title, steps, derived, in_outputs, target, substitutions, variables,
                in_outputs_target=None):
    if in_outputs_target is None:
        in_outputs_target = target
    return Derivation(
        title=title,
        steps=tuple(steps),
        derived=derived,
        in_outputs=in_outputs,
        target=target,
        substitutions=dict(substitutions),
        variables=tuple(variables),
        equal=is_identity(derived - target.subs(substitutions)),
        in_outputs_equal=is_identity(in_outputs - in_outputs_target),
        function=_lambdify(variables, derived),
    )


# ------------------------------------------------------------------- output units
@cache
def output_delta(activation: str = "sigmoid") -> Derivation:
    """Derive :math:`\\delta_k = -\\partial E/\\partial \\mathrm{net}_k` of an output unit.

    Chapter 8, "output units": with :math:`o = f(\\mathrm{net})` and
    :math:`E = \\tfrac12 (t - o)^2`, SymPy differentiates :math:`-E` with respect to
    :math:`\\mathrm{net}` and the result is rewritten in :math:`o`:

    ========= ============================== ==========================
    f         SymPy's derivative, rewritten  target form
    ========= ============================== ==========================
    sigmoid   substitute e^{-net} = (1-o)/o  o(1 - o)(t - o)
    tanh      substitute tanh(net) = o       (1 - o^2)(t - o)
    relu      substitute max(0, net) = o     H(net)(t - o)
    linear    o = net                        t - o
    ========= ============================== ==========================

    (H is the Heaviside step, taken as 0 at net = 0 like the engine.)

    Parameters
    ----------
    activation : {"sigmoid", "tanh", "relu", "linear"}

    Returns
    -------
    Derivation
        ``variables = (net, t)``; ``function(net, t)`` is the output delta.
    """
    net, t, o = sp.symbols("net t o")
    out = _activation(activation, net)
    error = (t - out) ** 2 / 2
    derived = _engine_heaviside(-sp.diff(error, net))
    in_outputs = _tidy(sp.simplify(_to_outputs(derived, activation, net, o)))
    target = _local_derivative(activation, o, net) * (t - o)
    steps = [
        ("o", out),
        ("E", (t - o) ** 2 / 2),
        ("E", error),
        (r"\delta = -\frac{\partial E}{\partial \mathrm{net}}", derived),
        (r"\delta", in_outputs),
        (r"\delta", target),
    ]
    return _derivation(
        f"output unit, {activation}", steps, derived, in_outputs, target, {o: out}, (net, t)
    )


# ------------------------------------------------------------------- hidden units
@cache
def hidden_delta(activation: str = "sigmoid", n_downstream: int = 2) -> Derivation:
    """Derive :math:`\\delta_h` of a hidden unit h feeding K sigmoid output units.

    Chapter 8, "hidden units". The hidden unit's output
    :math:`o_h = f(\\mathrm{net}_h)` enters every downstream net input
    :math:`\\mathrm{net}_k = \\sum_i w_{ki} o_i = w_{kh} o_h + r_k`, where
    :math:`r_k` collects the terms of the other units and the bias (they do not
    depend on :math:`\\mathrm{net}_h`). The error
    :math:`E = \\tfrac12\\sum_k (t_k - \\sigma(\\mathrm{net}_k))^2` is thus an
    explicit function of :math:`\\mathrm{net}_h`; SymPy differentiates it, and the
    result is shown to equal :math:`f'(\\mathrm{net}_h)\\sum_k w_{kh}\\delta_k` with
    :math:`\\delta_k = o_k(1 - o_k)(t_k - o_k)`.

    Parameters
    ----------
    activation : {"sigmoid", "tanh", "relu", "linear"}
        The hidden unit's activation f (the outputs are sigmoid, as in the lecture).
    n_downstream : int
        K, the number of output units h feeds (1 to 6).

    Returns
    -------
    Derivation
        ``variables = (net_h, w_1h..w_Kh, r_1..r_K, t_1..t_K)``. ``in_outputs`` is
        the derivative rewritten with :math:`o_h, o_k` (after substituting
        :math:`r_k = \\mathrm{net}_k - w_{kh} o_h`); ``target`` is
        :math:`f'(o_h)\\sum_k w_{kh}\\delta_k` with the :math:`\\delta_k` as symbols and
        ``substitutions`` gives every :math:`\\delta_k` and :math:`o_h` in the
        primitive variables. :func:`hidden_delta_arguments` collects the arguments
        from an engine network.
    """
    if not isinstance(n_downstream, int) or not 1 <= n_downstream <= 6:
        raise ValueError(f"n_downstream must be an integer from 1 to 6, got {n_downstream!r}")
    ks = range(1, n_downstream + 1)
    net_h, o_h = sp.symbols("net_h o_h")
    w = [sp.Symbol(f"w_{k}h") for k in ks]
    r = [sp.Symbol(f"r_{k}") for k in ks]
    t = [sp.Symbol(f"t_{k}") for k in ks]
    delta = [sp.Symbol(f"delta_{k}") for k in ks]
    net_k = [sp.Symbol(f"net_{k}") for k in ks]
    o_k = [sp.Symbol(f"o_{k}") for k in ks]

    hidden_out = _activation(activation, net_h)
    nets = [w_k * hidden_out + r_k for w_k, r_k in zip(w, r, strict=True)]
    error = sum((t_k - _sigmoid(n)) ** 2 for t_k, n in zip(t, nets, strict=True)) / 2
    derived = _engine_heaviside(-sp.diff(error, net_h))

    # Rewrite: r_k = net_k - w_kh o_h collapses each exponent to -net_k, then the
    # sigmoids are replaced by their outputs o_k and the hidden activation by o_h.
    collapsed = derived.subs({r_k: n - w_k * hidden_out for r_k, n, w_k in zip(r, net_k, w,
                                                                                 strict=True)})
    collapsed = collapsed.subs({sp.exp(-n): (1 - o) / o for n, o in zip(net_k, o_k, strict=True)})
    factored = sp.factor(sp.cancel(_to_outputs(collapsed, activation, net_h, o_h)))
    # Split the product: factors without any w_kh are f'(net_h); the rest is a sum
    # over the downstream units, collected by w_kh and each coefficient factored.
    local_part = sp.Mul(*(f for f in sp.Mul.make_args(factored) if not f.free_symbols & set(w)))
    weighted = sp.expand(sp.cancel(factored / local_part))
    coefficients = sp.collect(weighted, w, evaluate=False)
    in_outputs = _product(_tidy(local_part), sp.Add(
        *(sp.Mul(w_k, _tidy(coefficients.get(w_k, 0)), evaluate=False) for w_k in w),
        evaluate=False,
    ))

    downstream = [o * (1 - o) * (t_k - o) for o, t_k in zip(o_k, t, strict=True)]
    local = _local_derivative(activation, o_h, net_h)
    target = _product(local, sp.Add(*(sp.Mul(w_k, d, evaluate=False)
                                       for w_k, d in zip(w, delta, strict=True)), evaluate=False))
    substitutions = {d: value for d, value in zip(delta, downstream, strict=True)}
    in_outputs_target = target.subs(substitutions)

    primitive = {o: _sigmoid(n) for o, n in zip(o_k, nets, strict=True)}
    primitive[o_h] = hidden_out
    delta_primitive = {d: value.subs(primitive) for d, value in substitutions.items()}
    delta_primitive[o_h] = hidden_out

    steps = [
        (r"o_h", hidden_out),
        *((rf"\mathrm{{net}}_{k}", n) for k, n in zip(ks, nets, strict=True)),
        ("E", error),
        (r"\delta_h = -\frac{\partial E}{\partial \mathrm{net}_h}", derived),
        (r"\delta_h", in_outputs),
        (r"\delta_h", target),
    ]
    # in_outputs is written with o_k, not delta_k: it is compared with the target
    # after substituting delta_k = o_k(1 - o_k)(t_k - o_k).
    return _derivation(
        f"hidden unit, {activation}, {n_downstream} downstream units",
        steps, derived, in_outputs, target, delta_primitive,
        (net_h, *w, *r, *t), in_outputs_target=in_outputs_target,
    )


def hidden_delta_arguments(network, trace, t, h: int) -> tuple[float, ...]:
    """Arguments of ``hidden_delta(...).function`` for hidden unit ``h`` of an engine network.

    Used by chapter 8 and the tests to compare the derived formula with
    ``network.backward``. The network must have one hidden layer (its first) and
    sigmoid outputs under the squared error; ``trace`` is ``network.forward(x)`` for
    one example x and ``t`` the target.

    Returns
    -------
    tuple of float
        ``(net_h, w_1h..w_Kh, r_1..r_K, t_1..t_K)`` with
        :math:`r_k = \\mathrm{net}_k - w_{kh} o_h`, the part of each downstream net
        input that does not come from h.
    """
    if len(network.weights) != 2:
        raise ValueError("hidden_delta_arguments needs a network with exactly one hidden layer")
    w_col = network.weights[1][:, h]
    o_h = trace.outputs[0][h]
    rest = trace.nets[1] - w_col * o_h
    target = np.asarray(t, dtype=np.float64)
    return (float(trace.nets[0][h]), *map(float, w_col), *map(float, rest), *map(float, target))


# ------------------------------------------------------------ softmax + cross-entropy
@cache
def softmax_cross_entropy_delta(n_classes: int = 3) -> Derivation:
    """Derive :math:`\\delta_j = t_j - o_j` for a softmax output with cross-entropy.

    Chapter 8. With :math:`o_j = e^{z_j}/\\sum_k e^{z_k}` (here :math:`z_j` is
    :math:`\\mathrm{net}_j`) and :math:`E = -\\sum_k t_k \\log o_k`, SymPy
    differentiates :math:`-E` with respect to every :math:`z_j`. Substituting
    :math:`e^{z_j} = o_j S` (S the sum of the exponentials) gives
    :math:`t_j - o_j\\sum_k t_k`, which is :math:`t_j - o_j` once the targets sum
    to 1 (a one-hot or probability target): the last target is replaced by
    :math:`1 - \\sum_{k<n} t_k`.

    Parameters
    ----------
    n_classes : int
        Number of output units (2 to 6).

    Returns
    -------
    Derivation
        ``derived``, ``in_outputs`` and ``target`` are column matrices (one row per
        class); ``target`` is :math:`t_j - o_j` and the proof ``equal`` uses
        :math:`\\sum_k t_k = 1`. ``variables = (z_1..z_n, t_1..t_n)``; ``function``
        returns all n deltas (the engine's :math:`t_j - o_j\\sum_k t_k`, valid for any
        target).
    """
    if not isinstance(n_classes, int) or not 2 <= n_classes <= 6:
        raise ValueError(f"n_classes must be an integer from 2 to 6, got {n_classes!r}")
    js = range(1, n_classes + 1)
    z = [sp.Symbol(f"net_{j}") for j in js]
    t = [sp.Symbol(f"t_{j}") for j in js]
    o = [sp.Symbol(f"o_{j}") for j in js]
    s = sp.Symbol("S", positive=True)
    total = sum(sp.exp(zj) for zj in z)
    outputs = [sp.exp(zj) / total for zj in z]
    error = -sum(tk * sp.log(ok) for tk, ok in zip(t, outputs, strict=True))
    derived = sp.Matrix([-sp.diff(error, zj) for zj in z])

    # Name the sum of exponentials S, then write each e^{z_j} = o_j S.
    exp_to_o = {sp.exp(zj): oj * s for zj, oj in zip(z, o, strict=True)}
    general = []
    for entry, oj in zip(derived, o, strict=True):
        rewritten = sp.expand(sp.cancel(entry.subs(total, s).subs(exp_to_o)))
        # Display as t_j - o_j (t_1 + ... + t_n).
        weight = -rewritten.coeff(oj)
        general.append(sp.Add(sp.expand(rewritten + weight * oj),
                              sp.Mul(-1, oj, weight, evaluate=False), evaluate=False))
    general = sp.Matrix(general)
    sum_one = {t[-1]: 1 - sum(t[:-1])}
    # With sum_k t_k = 1 the bracket t_1 + ... + t_n is 1.
    in_outputs = general.subs(sum(t), 1)
    target = sp.Matrix([tj - oj for tj, oj in zip(t, o, strict=True)])

    softmax_of_z = {oj: out for oj, out in zip(o, outputs, strict=True)}
    steps = [
        ("o_1", outputs[0]),
        ("E", -sum(tk * sp.log(ok) for tk, ok in zip(t, o, strict=True))),
        (r"\delta_1 = -\frac{\partial E}{\partial \mathrm{net}_1}", derived[0]),
        (r"\delta_1", general[0]),
        (r"\delta_1 \text{ (with } \textstyle\sum_k t_k = 1)", in_outputs[0]),
    ]
    return Derivation(
        title=f"softmax output with cross-entropy, {n_classes} classes",
        steps=tuple(steps),
        derived=derived,
        in_outputs=in_outputs,
        target=target,
        substitutions=softmax_of_z,
        variables=(*z, *t),
        equal=is_identity((derived - target.subs(softmax_of_z)).subs(sum_one)),
        in_outputs_equal=is_identity(in_outputs - target),
        function=_lambdify((*z, *t), derived),
    )


# ------------------------------------------------------------ the gradient framework
@cache
def weight_gradient_split(n_inputs: int = 3) -> Derivation:
    """Derive the split :math:`E_{w_{ji}} = E_{\\mathrm{net}_j}\\, x_{ji}` (subscripts: partials).

    Chapter 8, "using the chain rule". The error is left an *unknown* function
    :math:`E(\\mathrm{net}_j)` of the unit's net input
    :math:`\\mathrm{net}_j = \\sum_i w_{ji} x_{ji} + b_j`: whatever comes after the unit,
    the weight reaches E only through :math:`\\mathrm{net}_j`. SymPy differentiates
    :math:`E(\\mathrm{net}_j)` with respect to :math:`w_{j1}`.

    Returns
    -------
    Derivation
        ``derived`` = :math:`x_{j1}\\, E'(\\mathrm{net}_j)` as SymPy writes it (a
        derivative evaluated at the net input); ``target`` is
        :math:`\\frac{d E}{d\\mathrm{net}_j} x_{j1}`; ``function`` is not numeric
        (E is unknown) and returns the symbolic derivative.
    """
    if not isinstance(n_inputs, int) or not 1 <= n_inputs <= 6:
        raise ValueError(f"n_inputs must be an integer from 1 to 6, got {n_inputs!r}")
    big_e = sp.Function("E")
    w = [sp.Symbol(f"w_j{i}") for i in range(1, n_inputs + 1)]
    x = [sp.Symbol(f"x_j{i}") for i in range(1, n_inputs + 1)]
    b, net_j = sp.symbols("b_j net_j")
    net_expr = sum(wi * xi for wi, xi in zip(w, x, strict=True)) + b
    raw = sp.diff(big_e(net_expr), w[0])
    derived = raw.subs(net_expr, net_j).doit()
    target = sp.Derivative(big_e(net_j), net_j) * x[0]
    steps = [
        (r"\mathrm{net}_j", net_expr),
        (r"\frac{\partial E}{\partial w_{j1}}", derived),
    ]
    return Derivation(
        title="the weight gradient splits at the net input",
        steps=tuple(steps), derived=derived, in_outputs=derived, target=target,
        substitutions={}, variables=(net_j, *w, *x, b),
        equal=sp.simplify(derived - target) == 0,
        in_outputs_equal=sp.simplify(derived - target) == 0,
        function=lambda *values: derived,
    )


@cache
def update_rule_equivalence() -> Derivation:
    """Show that Mitchell's rule is gradient descent: :math:`w + \\eta\\delta x = w - \\eta E_w`.

    Chapter 8 (and the fault list of the sources: the lecture writes the first,
    post 002 the second). With :math:`\\mathrm{net} = w x + r` and E an unknown
    function of net, SymPy computes both updates, with
    :math:`\\delta = -\\partial E/\\partial\\mathrm{net}`, and their difference is 0.

    Returns
    -------
    Derivation
        ``derived`` is the gradient step :math:`w - \\eta\\,\\partial E/\\partial w`
        (differentiated by SymPy); ``target`` is :math:`w + \\eta\\delta x` with
        :math:`\\delta` as a symbol, and ``substitutions`` maps :math:`\\delta` to
        :math:`-\\partial E/\\partial\\mathrm{net}`. ``variables = (w, eta, x, r)`` and
        ``function`` is the quadratic-error example :math:`E = \\tfrac12(1 - \\mathrm{net})^2`.
    """
    w, eta, x, r, delta, net = sp.symbols("w eta x r delta net")
    big_e = sp.Function("E")
    net_expr = w * x + r
    gradient_step = w - eta * sp.diff(big_e(net_expr), w).subs(net_expr, net).doit()
    delta_value = -sp.diff(big_e(net), net)
    mitchell = sp.Add(w, sp.Mul(eta, delta, x, evaluate=False), evaluate=False)
    steps = [
        (r"w - \eta\,\frac{\partial E}{\partial w}", gradient_step),
        (r"\delta", delta_value),
        (r"w + \eta\,\delta\,x", mitchell),
        (r"w + \eta\,\delta\,x", mitchell.subs(delta, delta_value)),
    ]
    example = gradient_step.subs(big_e(net), (1 - net) ** 2 / 2).doit().subs(net, net_expr)
    return Derivation(
        title="Mitchell's rule is gradient descent",
        steps=tuple(steps), derived=gradient_step, in_outputs=mitchell.subs(delta, delta_value),
        target=mitchell, substitutions={delta: delta_value}, variables=(w, eta, x, r),
        equal=sp.simplify(gradient_step - mitchell.subs(delta, delta_value)) == 0,
        in_outputs_equal=sp.simplify(gradient_step - mitchell.subs(delta, delta_value)) == 0,
        function=sp.lambdify((w, eta, x, r), sp.simplify(example), modules="numpy"),
    )


# ------------------------------------------------------------ the 2-node chain (8.4)
@cache
def chain_two_node(weight: str = "xh") -> Derivation:
    """The lecture's chain x -> h -> o (section 8.4): dE/dw as a product of local derivatives.

    Chapter 8, the numerical example. Both units are sigmoid with zero bias:
    :math:`\\mathrm{net}_h = w_{xh} x`, :math:`o_h = \\sigma(\\mathrm{net}_h)`,
    :math:`\\mathrm{net}_o = w_{ho} o_h`, :math:`o_o = \\sigma(\\mathrm{net}_o)`,
    :math:`E = \\tfrac12(t - o_o)^2`. SymPy differentiates E with respect to the
    weight directly, and separately computes each local derivative of the chain;
    the proof is that the direct derivative equals their product.

    Parameters
    ----------
    weight : {"xh", "ho"}
        ``"xh"``: :math:`\\partial E/\\partial w_{xh}`, five local factors;
        ``"ho"``: :math:`\\partial E/\\partial w_{ho}`, three.

    Returns
    -------
    Derivation
        ``steps`` lists the local derivatives, in the lecture's symbols
        (:math:`o_o, o_h, x, w_{ho}, t`); ``target`` is their product, equal to
        :math:`-\\delta_h x` (or :math:`-\\delta_o o_h`); ``derived`` is SymPy's
        direct derivative; ``variables = (x, w_xh, w_ho, t)``.
    """
    if weight not in ("xh", "ho"):
        raise ValueError(f"weight must be 'xh' or 'ho', got {weight!r}")
    x, w_xh, w_ho, t = sp.symbols("x w_xh w_ho t")
    net_h_s, o_h_s, net_o_s, o_o_s = sp.symbols("net_h o_h net_o o_o")

    net_h = w_xh * x
    o_h = _sigmoid(net_h)
    net_o = w_ho * o_h
    o_o = _sigmoid(net_o)
    error = (t - o_o) ** 2 / 2
    variable = w_xh if weight == "xh" else w_ho
    derived = sp.diff(error, variable)

    # Each local derivative: differentiate one link with its input as a symbol, then
    # write it in the lecture's symbols (o = sigma(net) gives sigma' = o(1 - o)).
    def sigmoid_link(net_symbol, out_symbol):
        raw = sp.diff(_sigmoid(net_symbol), net_symbol)
        return _tidy(sp.simplify(raw.subs(sp.exp(-net_symbol), (1 - out_symbol) / out_symbol)))

    local = [
        (r"\frac{\partial E}{\partial o_o}", sp.diff((t - o_o_s) ** 2 / 2, o_o_s)),
        (r"\frac{\partial o_o}{\partial \mathrm{net}_o}", sigmoid_link(net_o_s, o_o_s)),
    ]
    if weight == "ho":
        local.append((r"\frac{\partial \mathrm{net}_o}{\partial w_{ho}}",
                      sp.diff(w_ho * o_h_s, w_ho)))
    else:
        local += [
            (r"\frac{\partial \mathrm{net}_o}{\partial o_h}", sp.diff(w_ho * o_h_s, o_h_s)),
            (r"\frac{\partial o_h}{\partial \mathrm{net}_h}", sigmoid_link(net_h_s, o_h_s)),
            (r"\frac{\partial \mathrm{net}_h}{\partial w_{xh}}", sp.diff(w_xh * x, w_xh)),
        ]
    product = _product(*(expr for _, expr in local))
    label = r"\frac{\partial E}{\partial w_{" + weight + "}}"
    steps = [*local, (label, product)]
    return _derivation(
        f"the chain x -> h -> o, dE/dw_{weight}", steps, derived, product, product,
        {o_o_s: o_o, o_h_s: o_h}, (x, w_xh, w_ho, t),
    )
