"""Scalar nodes with reverse-mode differentiation: the chapter "The computational graph".

Every arithmetic operation on a :class:`Value` makes a new node that remembers its parents
and its *local backward rule*: how a gradient arriving at the node is passed on to each
parent, multiplied by the local derivative of that one operation. The rule is written
right beside the forward computation, so each operation reads as "value, then local
derivative". :meth:`Value.backward` runs the rules from the output back to the inputs,
and every node's ``grad`` ends up holding the derivative of the output with respect to
that node. The design follows Andrej Karpathy's micrograd and CS231n's "circuit" view of
backpropagation; the chapter builds the lecture's 3-2-1 network from these nodes and
shows its gradients equal the engine's (:meth:`backprop.Network.backward`).

Examples
--------
>>> a, b = Value(2.0), Value(-3.0)
>>> f = a * b + a            # a feeds two operations: its gradient adds the two paths
>>> f.backward()
>>> a.grad, b.grad           # df/da = b + 1, df/db = a
(-2.0, 2.0)
"""

from __future__ import annotations

import math
import numbers

__all__ = ["Value"]


def _number(value, what: str) -> float:
    """``value`` as a float, or a TypeError naming what was wrong with it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a real number (int or float), "
                        f"got {type(value).__name__} {value!r}")
    return float(value)


class Value:
    """One scalar node of a computational graph.

    Parameters
    ----------
    data : int or float
        The node's value, computed by the forward pass.
    label : str, optional
        A name for tables and figures (``"w_{4,1}"``); operations leave it empty.

    Attributes
    ----------
    data : float
        The node's value.
    grad : float
        :math:`\\partial f/\\partial(\\text{this node})` for the node ``f`` that
        :meth:`backward` was last called on; 0 before.
    parents : tuple of Value
        The nodes this one was computed from (none for an input or a parameter). A node
        used twice by one operation (``a * a``) appears twice.
    op : str
        The operation that made the node (``"+"``, ``"*"``, ``"sigmoid"``, ...); ``""``
        for a leaf.

    Raises
    ------
    TypeError
        If ``data``, or the other operand of an operation, is not a real number or a
        Value (a string, a list, a NumPy array, a complex number, a bool).
    """

    def __init__(self, data, label: str = "", *, parents: tuple = (), op: str = "") -> None:
        self.data = _number(data, "Value data")
        self.grad = 0.0
        self.parents = tuple(parents)
        self.op = op
        self.label = label
        self._backward = lambda: None  # a leaf passes nothing on

    def __repr__(self) -> str:
        name = f"{self.label}, " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    @staticmethod
    def _lift(other) -> Value:
        return other if isinstance(other, Value) else Value(_number(other, "an operand"))

    # Each operation: the forward value, then the local backward rule beside it.
    # ``+=``, never ``=``: a node that feeds several operations collects one term per path.
    # (``-a`` and the reflected forms, ``2 * a`` or ``1 - a``, come at the end.)

    def __add__(self, other) -> Value:
        other = Value._lift(other)
        out = Value(self.data + other.data, parents=(self, other), op="+")

        def rule():  # d(a + b)/da = 1, d(a + b)/db = 1
            self.grad += out.grad
            other.grad += out.grad
        out._backward = rule
        return out

    def __mul__(self, other) -> Value:
        other = Value._lift(other)
        out = Value(self.data * other.data, parents=(self, other), op="*")

        def rule():  # d(ab)/da = b, d(ab)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = rule
        return out

    def __sub__(self, other) -> Value:
        other = Value._lift(other)
        out = Value(self.data - other.data, parents=(self, other), op="-")

        def rule():  # d(a - b)/da = 1, d(a - b)/db = -1
            self.grad += out.grad
            other.grad -= out.grad
        out._backward = rule
        return out

    def __truediv__(self, other) -> Value:
        other = Value._lift(other)
        out = Value(self.data / other.data, parents=(self, other), op="/")

        def rule():  # d(a/b)/da = 1/b, d(a/b)/db = -a/b^2
            self.grad += out.grad / other.data
            other.grad -= self.data / other.data ** 2 * out.grad
        out._backward = rule
        return out

    def __pow__(self, exponent) -> Value:
        k = _number(exponent, "the exponent (a constant number)")
        out = Value(self.data ** k, parents=(self,), op=f"**{k:g}")

        def rule():  # d(a^k)/da = k a^(k-1)
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = rule
        return out

    def exp(self) -> Value:
        """:math:`e^a`; local derivative :math:`e^a`, the output itself."""
        out = Value(math.exp(self.data), parents=(self,), op="exp")

        def rule():
            self.grad += out.data * out.grad
        out._backward = rule
        return out

    def sigmoid(self) -> Value:
        """:math:`\\sigma(a) = 1/(1 + e^{-a})`; local derivative :math:`o(1 - o)`."""
        a = self.data  # the two branches never overflow exp
        o = 1.0 / (1.0 + math.exp(-a)) if a >= 0 else math.exp(a) / (1.0 + math.exp(a))
        out = Value(o, parents=(self,), op="sigmoid")

        def rule():
            self.grad += out.data * (1.0 - out.data) * out.grad
        out._backward = rule
        return out

    def tanh(self) -> Value:
        """:math:`\\tanh a`; local derivative :math:`1 - o^2`."""
        out = Value(math.tanh(self.data), parents=(self,), op="tanh")

        def rule():
            self.grad += (1.0 - out.data ** 2) * out.grad
        out._backward = rule
        return out

    def relu(self) -> Value:
        """:math:`\\max(0, a)`; local derivative 1 for :math:`a > 0`, else 0 (as the engine)."""
        out = Value(max(0.0, self.data), parents=(self,), op="relu")

        def rule():
            self.grad += (1.0 if self.data > 0 else 0.0) * out.grad
        out._backward = rule
        return out

    def __neg__(self) -> Value:
        return self * -1

    def __radd__(self, other) -> Value:
        return Value._lift(other) + self

    def __rmul__(self, other) -> Value:
        return Value._lift(other) * self

    def __rsub__(self, other) -> Value:
        return Value._lift(other) - self

    def __rtruediv__(self, other) -> Value:
        return Value._lift(other) / self

    def propagate(self) -> None:
        """Pass this node's ``grad`` on to its parents: its local backward rule, once."""
        self._backward()

    def topological_order(self) -> list[Value]:
        """Every node this one depends on, each after all of its parents, this one last."""
        order, seen = [], set()
        stack = [(self, False)]
        while stack:  # depth-first, without recursion (deep graphs stay within limits)
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in reversed(node.parents) if id(p) not in seen)
        return order

    def backward(self) -> None:
        """Fill ``grad`` of every node this one depends on with d(this node)/d(that node).

        The local rules run in **reverse topological order**: this node first, and every
        other node only after every node computed from it. A node's ``grad`` is the sum
        of one term per operation that used it (one per path to the output, gathered
        edge by edge), so it is complete only when all those operations have passed
        their terms back. Reverse topological order guarantees exactly that, so each
        node passes on its finished gradient, and each rule runs once: the sweep visits
        every edge of the graph once, as the forward pass did.

        Every ``grad`` in the graph is reset to 0 first, so calling ``backward`` again
        gives the same result instead of adding to the last one.
        """
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0  # d(self)/d(self)
        for node in reversed(order):
            node.propagate()
