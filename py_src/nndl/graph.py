r"""A computation graph of scalars, and backpropagation through it.

The course computes ``J(a, b, c) = 3(a + b·c)`` in small steps, ``u = b·c``, ``v = a + u``,
``J = 3v``, then goes back from right to left with the chain rule. :class:`Value` does exactly
that, for any formula written with ``+ - * / **``, ``exp``, ``log``, ``tanh``, ``sigmoid`` and
``relu``::

    >>> a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    >>> J = 3 * (a + b * c)
    >>> J.backward()
    >>> J.data, a.grad, b.grad, c.grad
    (33.0, 3.0, 6.0, 9.0)

Every operation builds its output node ``out`` and gives it a tiny function, ``_backward``, that
applies the **local** chain rule. It receives ``dout`` = dJ/dout (the course's ``dvar`` naming)
and adds to each input x its share, ``dJ/dx = dJ/dout · (local derivative of out with respect to
x)``. The shares are always *added* (``+=``): an input used twice, as in ``a * a`` or ``a + a``,
receives one contribution per use, which is what the chain rule says.

:meth:`Value.backward` visits the nodes from the output back to the inputs, in reverse
topological order, so that a node's ``grad`` is complete before it is passed on to its parents.
The order is built with an explicit stack (no recursion), so long chains of operations work.
"""

import math
from numbers import Real

__all__ = ["Value"]


def _as_value(x):
    """A number becomes a constant node; a Value is used as it is."""
    return x if isinstance(x, Value) else Value(x)


def _input_backward(dout):
    """An input (a leaf of the graph) has nothing to pass back."""


class Value:
    """One scalar node of a computation graph.

    data:   the number computed in the forward pass (a Python float).
    grad:   dJ/d(this node) for the output J on which :meth:`backward` was last called.
    parents: the nodes this one was computed from, in order (``(a, a)`` for ``a * a``).
    op:     the operation that produced it ("+", "*", "exp", …), "" for an input.
    label:  an optional name for display, e.g. "a" or "J".
    """

    __slots__ = ("data", "grad", "parents", "op", "label", "_backward")

    def __init__(self, data, label="", _parents=(), _op=""):
        if type(data) is not float and not isinstance(data, Real):
            raise TypeError(f"Value(...) takes a number, not {type(data).__name__}")
        self.data = float(data)
        self.grad = 0.0
        self.parents = _parents
        self.op = _op
        self.label = label
        self._backward = _input_backward  # each operation replaces it with its chain rule

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # ---- Operations. Each one: forward value, then the local chain rule in _backward. ----

    def __add__(self, other):
        other = _as_value(other)
        out = Value(self.data + other.data, _parents=(self, other), _op="+")

        def _backward(dout):  # d(x + y)/dx = 1, d(x + y)/dy = 1
            self.grad += dout
            other.grad += dout

        out._backward = _backward
        return out

    def __sub__(self, other):
        other = _as_value(other)
        out = Value(self.data - other.data, _parents=(self, other), _op="-")

        def _backward(dout):  # d(x − y)/dx = 1, d(x − y)/dy = −1
            self.grad += dout
            other.grad += -dout

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = _as_value(other)
        out = Value(self.data * other.data, _parents=(self, other), _op="*")

        def _backward(dout):  # d(x·y)/dx = y, d(x·y)/dy = x
            self.grad += other.data * dout
            other.grad += self.data * dout

        out._backward = _backward
        return out

    def __truediv__(self, other):
        other = _as_value(other)
        if other.data == 0:
            raise ZeroDivisionError(f"division by zero: {self.data!r} / 0")
        out = Value(self.data / other.data, _parents=(self, other), _op="/")

        def _backward(dout):  # d(x/y)/dx = 1/y, d(x/y)/dy = −x/y²
            self.grad += dout / other.data
            other.grad += -self.data / other.data**2 * dout

        out._backward = _backward
        return out

    def __pow__(self, k):
        if not isinstance(k, Real):
            raise TypeError("only a number exponent is supported: x ** 2, x ** -1, x ** 0.5")
        x = self.data
        if x < 0 and k != int(k):
            raise ValueError(
                f"{x!r} ** {k!r} is not a real number (negative base, fractional power)"
            )
        if x == 0 and k < 0:
            raise ZeroDivisionError(f"0 ** {k!r} is infinite")
        out = Value(x**k, _parents=(self,), _op=f"**{k:g}")

        def _backward(dout):  # d(x^k)/dx = k·x^(k−1)
            if k == 0:
                slope = 0.0
            elif x == 0 and k < 1:
                raise ZeroDivisionError(f"the slope of x ** {k:g} is infinite at x = 0")
            else:
                slope = k * x ** (k - 1)
            self.grad += slope * dout

        out._backward = _backward
        return out

    def __neg__(self):
        out = Value(-self.data, _parents=(self,), _op="neg")

        def _backward(dout):  # d(−x)/dx = −1
            self.grad += -dout

        out._backward = _backward
        return out

    # A number on the left: 2 + a, 2 - a, 2 * a, 2 / a.
    def __radd__(self, other):
        return _as_value(other) + self

    def __rsub__(self, other):
        return _as_value(other) - self

    def __rmul__(self, other):
        return _as_value(other) * self

    def __rtruediv__(self, other):
        return _as_value(other) / self

    def exp(self):
        """e^x."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp({self.data!r}) is too large for a float") from None
        out = Value(e, _parents=(self,), _op="exp")

        def _backward(dout):  # d(e^x)/dx = e^x
            self.grad += e * dout

        out._backward = _backward
        return out

    def log(self):
        """Natural logarithm, for x > 0 (ValueError otherwise)."""
        x = self.data
        if x <= 0:
            raise ValueError(f"log is only defined for positive numbers, but this value is {x!r}")
        out = Value(math.log(x), _parents=(self,), _op="log")

        def _backward(dout):  # d(log x)/dx = 1/x
            self.grad += dout / x

        out._backward = _backward
        return out

    def tanh(self):
        """Hyperbolic tangent."""
        t = math.tanh(self.data)
        out = Value(t, _parents=(self,), _op="tanh")

        def _backward(dout):  # d(tanh x)/dx = 1 − tanh(x)²
            self.grad += (1 - t**2) * dout

        out._backward = _backward
        return out

    def sigmoid(self):
        """σ(x) = 1 / (1 + e^(−x))."""
        x = self.data
        # σ(x) = 1 / (1 + e^(−x)), written with e^(−|x|) so that it never overflows.
        e = math.exp(-abs(x))
        s = 1 / (1 + e) if x >= 0 else e / (1 + e)
        out = Value(s, _parents=(self,), _op="sigmoid")

        def _backward(dout):  # dσ/dx = σ(x)(1 − σ(x))
            self.grad += s * (1 - s) * dout

        out._backward = _backward
        return out

    def relu(self):
        """max(0, x); its slope at the kink x = 0 is taken as 0, as in :mod:`nndl.activations`."""
        x = self.data
        out = Value(max(0.0, x), _parents=(self,), _op="relu")

        def _backward(dout):  # slope 1 for x > 0, 0 for x < 0, and 0 at the kink x = 0
            self.grad += (1.0 if x > 0 else 0.0) * dout

        out._backward = _backward
        return out

    # ---- Backpropagation ----

    def topological_order(self):
        """Every node this one depends on, each once, parents before children, ``self`` last.

        Depth-first search with an explicit stack: a node is written down only after all of
        its parents have been.
        """
        order, visited = [], set()
        stack = [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
                continue
            if node in visited:
                continue
            visited.add(node)
            stack.append((node, True))  # popped again once the parents pushed on top are done
            for parent in reversed(node.parents):
                if parent not in visited:
                    stack.append((parent, False))
        return order

    def backward(self):
        """Backpropagation: fill ``grad`` = dJ/dnode for this output J and every node before it.

        Gradients from an earlier call are cleared first, so calling it twice gives the same
        result. Then dJ/dJ = 1, and each node, from J back to the inputs, passes its gradient
        to its parents with the chain rule.
        """
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward(node.grad)

    def graph(self):
        """The graph as plain data for drawing (JSON-serialisable), in topological order.

        Returns ``{"nodes": [...], "edges": [...]}``. Each node is
        ``{"id", "label", "op", "data", "grad"}``; ids are 0, 1, 2, … in topological order, so
        the same formula always gets the same ids. Each edge ``{"from", "to"}`` goes from an input
        of an operation to its output; an input used twice (``a * a``) gives two edges.
        """
        order = self.topological_order()
        ids = {node: i for i, node in enumerate(order)}
        nodes = [
            {"id": ids[n], "label": n.label, "op": n.op, "data": n.data, "grad": n.grad}
            for n in order
        ]
        edges = [{"from": ids[p], "to": ids[n]} for n in order for p in n.parents]
        return {"nodes": nodes, "edges": edges}
