r"""The computation graph of J = 3(a + bc), drawn with its forward values and backward derivatives.

The graph is built with :class:`nndl.graph.Value`, exactly as in the lesson: ``u = b·c``,
``v = a + u``, ``J = 3v``, then ``J.backward()``. The drawing puts the inputs on the left and J on
the right, one column per step; each node shows its value (the forward pass, in blue) and, under
it, dJ/d(node) (the backward pass, in orange), with orange arrows going back along the edges.

:func:`draw_graph` draws any small graph built with ``Value`` in the same way, so a reader can
draw their own formula in a cell::

    >>> x, w = Value(2.0, label="x"), Value(-1.5, label="w")
    >>> y = (w * x).tanh()
    >>> y.label = "y"
    >>> y.backward()
    >>> draw_graph(y)                                                       # doctest: +SKIP
"""

import uuid

from .._svg import COLORS, escape, svg_open
from ..graph import Value
from ._base import Slider, View, explorable

__all__ = ["draw_graph", "computation_graph", "MAX_NODES"]

MAX_NODES = 40
"""The largest graph :func:`draw_graph` draws; a bigger one would not be readable."""

VALUE_COLOR = COLORS[0]  # blue: values, forward pass
GRAD_COLOR = COLORS[1]  # orange: derivatives, backward pass

_FONT_SIZE = 13
_CHAR = 7.4  # approximate width of one character at 13 px, for layout
_BOX_H = 44  # height of a node's box
_ROW = 82  # vertical distance between two nodes of a column: box, derivative, gap
_GAP_X = 40  # horizontal gap between two columns
_PAD = 14
_TOP = 40  # room for the legend above the graph

# How each operation of Value is written inside a node, from the names of its inputs.
_BINARY = {"+": "{} + {}", "-": "{} − {}", "*": "{}·{}", "/": "{}/{}"}
_UNARY = {
    "neg": "−{}",
    "exp": "exp({})",
    "log": "log({})",
    "tanh": "tanh({})",
    "sigmoid": "σ({})",
    "relu": "relu({})",
}
_SYMBOL = {"+": "+", "-": "−", "*": "×", "/": "÷", "neg": "−", "sigmoid": "σ"}
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_MAX_HEADING = 20  # longer formulas in a node are replaced by the operation's symbol


# ==================================================================================================
# Drawing any graph of Values
# ==================================================================================================


def draw_graph(output, title=None):
    """Draw the computation graph that ends at ``output`` (a :class:`~nndl.graph.Value`).

    Inputs are on the left, ``output`` on the right, each node one column after its inputs. Each
    node shows its name or operation and its value; after ``output.backward()``, also
    d(output)/d(node), with arrows going backward along the edges. Numbers that are not named
    (the 3 of ``3 * v``) are drawn as small constant nodes. Graphs of more than
    :data:`MAX_NODES` nodes are refused (ValueError): they would not be readable.

    Returns a :class:`~nndl.explorables.View`, which a cell shows as the drawing.
    """
    return _draw_graph(output, title)


def _draw_graph(output, title=None, summary=None):
    """:func:`draw_graph`, with the option of a summary written for a particular graph."""
    if not isinstance(output, Value):
        raise TypeError(
            f"draw_graph draws a formula built with Value, not a {type(output).__name__}: "
            "for example draw_graph(J) after J = 3 * (a + b * c)"
        )
    size = _count_nodes(output, MAX_NODES + 1)
    if size > MAX_NODES:
        raise ValueError(
            f"this graph has more than {MAX_NODES} nodes, too many to draw readably; "
            "draw a smaller formula (a few operations)"
        )
    nodes = output.topological_order()
    out = output.label or "out"  # d(out)/d(node) when the output has no name
    # backward() sets d(output)/d(output) = 1; without it the grads are not this output's.
    backward = output.grad == 1.0

    layout = _layout(nodes)
    what = title or f"The computation graph of {out}"
    summary = summary or _describe(nodes, out, backward)
    html = _render(nodes, layout, out, backward, what, summary)

    graph = output.graph()
    named = [n for n in nodes if n.label]
    data = {
        "nodes": graph["nodes"],
        "edges": graph["edges"],
        "backward": backward,
        "values": {n.label: n.data for n in named},
    }
    if backward:
        data["grads"] = {n.label: n.grad for n in named}
    return View(html, summary, data)


def _count_nodes(output, limit):
    """How many nodes the graph has, counting no further than ``limit``."""
    seen, stack = {output}, [output]
    while stack and len(seen) < limit:
        for parent in stack.pop().parents:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return len(seen)


def _is_constant(node):
    """A number with no name, like the 3 of ``3 * v``: drawn next to the step that uses it."""
    return not node.parents and not node.label


def _num(x):
    """A value as the drawing shows it: whole numbers as they are, others with 4 digits."""
    if x == 0:
        return "0"  # also -0.0
    text = str(int(x)) if float(x).is_integer() and abs(x) < 1e7 else f"{x:.4g}"
    return text.replace("-", "−")


def _formula(node, depth=0):
    """How ``node`` is computed, from its inputs' names: "b·c", "a + u", "tanh(w·x)"."""
    if node.label and depth > 0:
        return node.label
    if not node.parents:
        return node.label or _num(node.data)
    if depth > 2:
        return "…"
    inner = [_formula(p, depth + 1) for p in node.parents]
    # A sum or difference inside a product, a power, …: (y − 1)², 3·(a + u); not inside a sum
    # or a function's own parentheses.
    if node.op not in ("+", *_UNARY) or node.op == "neg":
        inner = [f"({t})" if " " in t else t for t in inner]
    if node.op in _BINARY:
        return _BINARY[node.op].format(*inner)
    if node.op.startswith("**"):
        power = node.op[2:]
        if power.lstrip("-").isdigit():
            return f"{inner[0]}{power.translate(_SUPERSCRIPT)}"
        return f"{inner[0]}^{power}"
    return _UNARY.get(node.op, node.op + "({})").format(inner[0])


def _heading(node):
    """The first line of a node's box: "a", "u = b·c", "constant", or the operation."""
    if _is_constant(node):
        return "constant"
    if not node.parents:
        return node.label
    formula = _formula(node)
    symbol = _SYMBOL.get(node.op, node.op)
    if node.label:
        text = f"{node.label} = {formula}"
        return text if len(text) <= _MAX_HEADING else f"{node.label} ({symbol})"
    return formula if len(formula) <= _MAX_HEADING else symbol


def _grad_text(node, out):
    name = node.label
    return f"d{out}/d{name} = {_num(node.grad)}" if name else f"grad = {_num(node.grad)}"


def _layout(nodes):
    """Column and row of each node: inputs in column 0, every step one column after its last
    input, constants just before the step that uses them; rows follow the inputs' rows."""
    column = {}
    for node in nodes:  # topological order: the inputs of a node come before it
        if _is_constant(node):
            continue
        inputs = [column[p] for p in node.parents if not _is_constant(p)]
        column[node] = 1 + max(inputs) if inputs else (1 if node.parents else 0)
    children = {}
    for node in nodes:
        for parent in node.parents:
            children.setdefault(parent, []).append(node)
    for node in nodes:
        if _is_constant(node):  # (a graph that is a single number has it in column 0)
            column[node] = min((column[c] for c in children.get(node, [])), default=1) - 1
    shift = -min(column.values(), default=0)
    column = {node: col + shift for node, col in column.items()}

    # Rows: each step at the mean row of its (non-constant) inputs, pushed down to make room.
    row = {}
    by_column = {}
    for node in nodes:
        by_column.setdefault(column[node], []).append(node)
    for col in sorted(by_column):
        wanted = []
        for node in by_column[col]:
            if _is_constant(node):
                continue
            inputs = [row[p] for p in node.parents if not _is_constant(p) and p in row]
            wanted.append((sum(inputs) / len(inputs) if inputs else 0.0, node))
        wanted.sort(key=lambda pair: pair[0])
        previous = None
        for target, node in wanted:
            row[node] = target if previous is None else max(target, previous + 1)
            previous = row[node]
    # Constants: next to the step that uses them, in the first free place of their column.
    for node in nodes:
        if _is_constant(node):
            child = min(children.get(node, []), key=lambda c: column[c], default=None)
            target = row.get(child, 0.0)
            taken = [row[n] for n in by_column[column[node]] if n in row]
            for offset in (0, 1, -1, 2, -2, 3, -3):
                if all(abs(target + offset - r) >= 1 - 1e-9 for r in taken):
                    break
            else:
                offset = max(taken) + 1 - target
            row[node] = target + offset
    top = min(row.values())
    return {node: (column[node], row[node] - top) for node in nodes}


def _render(nodes, layout, out, backward, title, summary):
    uid = "nndl-graph-" + uuid.uuid4().hex[:10]
    # What each node shows: its heading and value in the box, its derivative under it.
    lines = {n: [_heading(n), _num(n.data)] for n in nodes}
    if backward:
        for n in nodes:
            lines[n].append(_grad_text(n, out))
    columns = max(col for col, _ in layout.values()) + 1
    widths = [70.0] * columns
    for node, (col, _) in layout.items():
        widths[col] = max(widths[col], max(len(t) for t in lines[node]) * _CHAR + 16)
    lefts = [_PAD + sum(widths[:k]) + _GAP_X * k for k in range(columns)]
    rows = max(r for _, r in layout.values()) + 1

    legend = [("values → (forward pass)", VALUE_COLOR)]
    if backward:
        legend.append((f"← d{out}/d(node) (backward pass)", GRAD_COLOR))
    legend_width = sum(len(t) * _CHAR + 24 for t, _ in legend)
    note = "" if backward else f"Derivatives not computed yet: call {_call(out)} first."
    width = max(
        lefts[-1] + widths[-1] + _PAD, legend_width + 2 * _PAD, len(note) * _CHAR + 2 * _PAD
    )
    height = _TOP + rows * _ROW - (_ROW - _BOX_H - 30) + (24 if note else 0)

    def box(node):
        col, r = layout[node]
        w = len(max(lines[node][:2], key=len)) * _CHAR + 16
        w = max(w, 56.0)
        cx = lefts[col] + widths[col] / 2
        top = _TOP + r * _ROW
        return cx - w / 2, top, w

    parts = [
        svg_open(uid, "nndl-graph", width, height, title, summary, _FONT_SIZE),
        "<defs>"
        + _marker(uid + "-fwd", "currentColor", 0.55)
        + _marker(uid + "-bwd", GRAD_COLOR, 1)
        + "</defs>",
    ]
    x = _PAD
    for text, color in legend:
        parts.append(
            f'<text x="{x:.1f}" y="20" fill="{color}" font-weight="600">{escape(text)}</text>'
        )
        x += len(text) * _CHAR + 24

    # Edges: forward (grey, towards the step) and, once computed, backward (orange, towards the
    # input). Each edge leaves its input's box and enters its step's box at a "port" of its own,
    # spread along the box's side in the order of the rows at the other end, so that edges do not
    # meet.
    edges = [(parent, node, k) for node in nodes for k, parent in enumerate(node.parents)]
    spread = 12

    def ports(key, other):
        groups = {}
        for edge in edges:
            groups.setdefault(key(edge), []).append(edge)
        port = {}
        for group in groups.values():
            group.sort(key=lambda e: (layout[other(e)][1], e[2]))
            for i, edge in enumerate(group):
                port[edge] = (i - (len(group) - 1) / 2) * spread
        return port

    out_port = ports(lambda e: e[0], lambda e: e[1])  # at the input, ordered by the steps' rows
    in_port = ports(lambda e: e[1], lambda e: e[0])  # at the step, ordered by the inputs' rows
    forward, back = [], []
    for edge in edges:
        parent, node, _ = edge
        px, ptop, pw = box(parent)
        cx, ctop, _ = box(node)
        x1, y1 = px + pw, ptop + _BOX_H / 2 + out_port[edge]
        x2, y2 = cx, ctop + _BOX_H / 2 + in_port[edge]
        forward.append(f'<path d="{_curve(x1, y1 - 2.5, x2 - 2, y2 - 2.5)}"/>')
        if backward:
            back.append(f'<path d="{_curve(x2, y2 + 2.5, x1 + 2, y1 + 2.5)}"/>')
    parts.append(
        f'<g class="nndl-graph-forward" fill="none" stroke="currentColor" stroke-opacity="0.55" '
        f'stroke-width="1.5" marker-end="url(#{uid}-fwd)">' + "".join(forward) + "</g>"
    )
    if back:
        parts.append(
            f'<g class="nndl-graph-backward" fill="none" stroke="{GRAD_COLOR}" stroke-width="1.5" '
            f'stroke-dasharray="5 3" marker-end="url(#{uid}-bwd)">' + "".join(back) + "</g>"
        )

    # Nodes: a box with the name or step and the value; the derivative under the box.
    for node in nodes:
        left, top, w = box(node)
        cx = left + w / 2
        heading, value = lines[node][:2]
        is_input = not node.parents and node.label
        stroke = VALUE_COLOR if is_input else "currentColor"
        dash = ' stroke-dasharray="3 2"' if _is_constant(node) else ""
        parts.append(
            f'<g class="nndl-graph-node">'
            f'<rect x="{left:.1f}" y="{top:.1f}" width="{w:.1f}" height="{_BOX_H}" rx="7" '
            f'fill="{stroke}" fill-opacity="0.07" stroke="{stroke}" stroke-opacity="0.8" '
            f'stroke-width="1.5"{dash}/>'
            f'<text x="{cx:.1f}" y="{top + 18:.1f}" text-anchor="middle">{escape(heading)}</text>'
            f'<text x="{cx:.1f}" y="{top + 36:.1f}" text-anchor="middle" fill="{VALUE_COLOR}" '
            f'font-weight="700">{escape(value)}</text>'
        )
        if backward:
            parts.append(
                f'<text x="{cx:.1f}" y="{top + _BOX_H + 18:.1f}" text-anchor="middle" '
                f'fill="{GRAD_COLOR}" font-weight="600">{escape(lines[node][2])}</text>'
            )
        parts.append("</g>")
    if note:
        parts.append(f'<text x="{_PAD}" y="{height - 10:.1f}">{escape(note)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _marker(ident, color, opacity):
    """An arrowhead for the end of a path, in ``color``."""
    return (
        f'<marker id="{ident}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,1L10,5L0,9Z" fill="{color}" '
        f'fill-opacity="{opacity}" stroke="none"/></marker>'
    )


def _curve(x1, y1, x2, y2):
    """A smooth S-shaped path from (x1, y1) to (x2, y2), leaving and arriving horizontally."""
    dx = (x2 - x1) / 2
    return f"M{x1:.1f},{y1:.1f}C{x1 + dx:.1f},{y1:.1f} {x2 - dx:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"


def _describe(nodes, out, backward):
    """One or two sentences for screen readers: the values, then the derivatives, by name."""
    output = nodes[-1]
    named = [n for n in nodes if n.label or n is output]
    inputs = sum(1 for n in nodes if not n.parents and n.label)
    text = (
        f"A computation graph of {len(nodes)} node{'s' if len(nodes) != 1 else ''}: {inputs} "
        f"named input{'s' if inputs != 1 else ''} on the left, "
        f"{'the output' if out == 'out' else out} on the right."
    )
    text += " Values: " + ", ".join(f"{n.label or out} = {_num(n.data)}" for n in named) + "."
    if backward:
        text += " Derivatives: " + ", ".join(
            f"d{out}/d{n.label or out} = {_num(n.grad)}" for n in reversed(named)
        ) + "."
    elif not backward:
        text += f" The derivatives are not computed yet: call {_call(out)} first."
    return text


def _call(out):
    return f"{out}.backward()" if out != "out" else ".backward() on the output"


# ==================================================================================================
# The explorable: J = 3(a + bc)
# ==================================================================================================


def _slider(name, default):
    return Slider(name, name, default, -10, 10, 0.5)


@explorable(
    "computation-graph",
    "The computation graph of J = 3(a + bc)",
    controls=[_slider("a", 5), _slider("b", 3), _slider("c", 2)],
)
def computation_graph(a, b, c):
    """J = 3(a + bc) as u = b·c, v = a + u, J = 3v, with the values forward and dJ/d(node) back."""
    a, b, c = Value(a, label="a"), Value(b, label="b"), Value(c, label="c")
    u = b * c
    v = a + u
    J = 3 * v
    u.label, v.label, J.label = "u", "v", "J"
    J.backward()

    n = _num
    title = (
        f"The computation graph of J = 3(a + bc) for a = {n(a.data)}, b = {n(b.data)}, "
        f"c = {n(c.data)}"
    )
    summary = (
        f"Forward pass: u = b·c = {n(u.data)}, v = a + u = {n(v.data)}, J = 3v = {n(J.data)}. "
        f"Backward pass: dJ/dv = {n(v.grad)}, dJ/du = {n(u.grad)}, dJ/da = {n(a.grad)}, "
        f"dJ/db = 3·c = {n(b.grad)}, dJ/dc = 3·b = {n(c.grad)}."
    )
    return _draw_graph(J, title, summary)
