r"""Datasets of the course, and helpers that turn pictures into the models' input.

- :func:`load_sample_images`: the cat / non-cat pictures of the image lessons, 64×64 RGB, split
  like the course's (209 training, 50 test). They are **generated** by this module — see that
  function for how and why — and are the same bytes on every machine.
- :func:`load_h5_dataset`: the course's own HDF5 files, for learners who have them (needs h5py).
- :func:`load_planar_dataset` (the "flower") and :func:`load_xor_dataset`: points in the plane
  for the shallow-network lesson, where logistic regression fails and one hidden layer succeeds.
- :func:`flatten_images`: ``(m, 64, 64, 3)`` pixels → ``X`` of shape ``(12288, m)``, over 255.
- :func:`image_to_input`: any picture (RGB, RGBA or grey, any size) → the ``(12288, 1)`` column
  that a model trained on the sample images accepts.

Examples are columns, as everywhere in the course: ``X`` is ``(n_x, m)`` and ``Y`` is ``(1, m)``.
"""

import math

import numpy as np

__all__ = [
    "NUM_PX",
    "N_X",
    "load_sample_images",
    "load_h5_dataset",
    "load_planar_dataset",
    "load_xor_dataset",
    "flatten_images",
    "image_to_input",
]

NUM_PX = 64
"""Height and width of the course's pictures, in pixels."""

N_X = NUM_PX * NUM_PX * 3
"""Features per picture once flattened: n_x = 64 · 64 · 3 = 12288."""

# The course's split: 209 training pictures (72 cats) and 50 test pictures (33 cats).
_TRAIN_SIZE, _TRAIN_CATS = 209, 72
_TEST_SIZE, _TEST_CATS = 50, 33
_SEED = 1

# --------------------------------------------------------------------------------------------------
# Drawing on a 64×64 canvas with exactly reproducible arithmetic.
#
# Every pixel value is computed with +, −, ×, ÷, square roots, floor, min/max and comparisons,
# which IEEE 754 rounds the same way on every machine, so CPython on a laptop and Pyodide in a
# browser produce identical bytes. Randomness comes only from Generator.integers, .random and
# .permutation, whose outputs are exact (unlike .normal, which goes through log and exp); no
# sin, cos, exp or log feeds a pixel (their last bit may differ between maths libraries), and
# no NumPy sum or matrix product either (their order of additions depends on the build).
# Rotations use the rational parametrisation cos θ = (1 − t²)/(1 + t²), sin θ = 2t/(1 + t²).
# Pictures are drawn channel-first, (3, 64, 64), and turned into (64, 64, 3) at the end.
# --------------------------------------------------------------------------------------------------

_PIXEL = 2.0 / NUM_PX  # the canvas spans [-1, 1] in both directions; y points down
_COORD = (np.arange(NUM_PX, dtype=np.float64) + 0.5) * _PIXEL - 1.0
_GX = np.broadcast_to(_COORD[np.newaxis, :], (NUM_PX, NUM_PX))
_GY = np.broadcast_to(_COORD[:, np.newaxis], (NUM_PX, NUM_PX))


def _turn(t):
    """(cos θ, sin θ) of the rotation with tan(θ/2) = t, from the rational parametrisation."""
    d = 1.0 + t * t
    return (1.0 - t * t) / d, 2.0 * t / d


def _clip01(x):
    """x clipped to [0, 1], like np.clip but without its Python-level overhead (it counts in
    WebAssembly)."""
    return np.minimum(np.maximum(x, 0.0), 1.0)


def _ramp(d):
    """Coverage of a pixel whose centre lies d pixels inside an edge: 0 → 1 over one pixel."""
    return _clip01(d + 0.5)


def _on_canvas(index):
    """A row or column index clamped to the canvas, 0 … 64 (for slicing)."""
    return min(max(index, 0), NUM_PX)


def _rgb(r, g, b):
    """A colour, shaped (3, 1, 1) to broadcast over a channel-first picture."""
    return np.array((r, g, b), dtype=np.float64).reshape(3, 1, 1)


class _Frame:
    """Local coordinates (u, v) of every pixel, for a figure centred at (cx, cy) on the canvas,
    ``size`` canvas units per local unit, turned by the angle θ with tan(θ/2) = t.

    Each shape method returns the coverage of every pixel, a (64, 64) array of values in [0, 1]
    with edges smoothed over one pixel.
    """

    def __init__(self, cx, cy, size, t=0.0):
        self.cx, self.cy, self.size = cx, cy, size
        self.c, self.s = _turn(t)
        dx = _GX - cx
        dy = _GY - cy
        self.u = (dx * self.c + dy * self.s) / size
        self.v = (dy * self.c - dx * self.s) / size
        self.px = _PIXEL / size  # one pixel, in local units
        self.window = (slice(None), slice(None))

    def part(self, x, y, r):
        """This frame over the square of pixels around the disc of radius r at (x, y) only:
        small shapes are drawn on that window rather than the whole canvas."""
        col = (self.cx + (x * self.c - y * self.s) * self.size + 1.0) / _PIXEL - 0.5
        row = (self.cy + (x * self.s + y * self.c) * self.size + 1.0) / _PIXEL - 0.5
        reach = r * self.size / _PIXEL + 1.0
        rows = slice(_on_canvas(math.floor(row - reach)), _on_canvas(math.ceil(row + reach) + 1))
        cols = slice(_on_canvas(math.floor(col - reach)), _on_canvas(math.ceil(col + reach) + 1))
        sub = object.__new__(_Frame)
        sub.cx, sub.cy, sub.size, sub.c, sub.s = self.cx, self.cy, self.size, self.c, self.s
        sub.px = self.px
        sub.u = self.u[rows, cols]
        sub.v = self.v[rows, cols]
        sub.window = (rows, cols)
        return sub

    def ellipse(self, x, y, rx, ry, t=0.0):
        du = self.u - x
        dv = self.v - y
        if t:
            c, s = _turn(t)
            du, dv = du * c + dv * s, dv * c - du * s
        du = du / rx
        dv = dv / ry
        q = du * du + dv * dv  # 1 on the outline; near it, (1 − q)·r/2 ≈ the depth inside
        return _ramp((1.0 - q) * (0.5 * min(rx, ry) / self.px))

    def polygon(self, points):
        """A convex polygon; its vertices in either order."""
        edges = list(zip(points, points[1:] + points[:1]))
        area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in edges)
        inside = None
        for (x0, y0), (x1, y1) in edges:
            ex, ey = x1 - x0, y1 - y0
            scale = math.copysign(1.0, area) / (math.sqrt(ex * ex + ey * ey) * self.px)
            depth = ((self.v - y0) * ex - (self.u - x0) * ey) * scale
            inside = depth if inside is None else np.minimum(inside, depth)
        return _ramp(inside)

    def segment(self, x0, y0, x1, y1, width):
        ex, ey = x1 - x0, y1 - y0
        du = self.u - x0
        dv = self.v - y0
        h = _clip01((du * ex + dv * ey) / (ex * ex + ey * ey))
        qx = du - h * ex
        qy = dv - h * ey
        return _ramp((0.5 * width - np.sqrt(qx * qx + qy * qy)) / self.px)

    def stripes(self, period, t=0.0, duty=0.5):
        """Parallel bands (a fraction ``duty`` of each period), across the u axis turned by t."""
        c, s = _turn(t)
        w = (self.u * c + self.v * s) / period
        distance = np.abs(w - np.floor(w) - 0.5)  # from the middle of the band, in periods
        return _ramp((0.5 * duty - distance) * (period / self.px))


_CANVAS = _Frame(0.0, 0.0, 1.0)

_FUR = (
    _rgb(0.09, 0.08, 0.08),  # black
    _rgb(0.26, 0.25, 0.25),  # charcoal
    _rgb(0.50, 0.50, 0.52),  # grey
    _rgb(0.46, 0.31, 0.18),  # brown
    _rgb(0.30, 0.19, 0.11),  # chocolate
    _rgb(0.74, 0.73, 0.75),  # silver
    _rgb(0.94, 0.92, 0.88),  # white
    _rgb(0.93, 0.84, 0.66),  # cream
    _rgb(0.86, 0.52, 0.22),  # ginger
    _rgb(0.76, 0.61, 0.42),  # tan
)
_DARK_FUR, _LIGHT_FUR = _FUR[:5], _FUR[5:]
_CAT_EYES = (  # green, yellow, amber, blue
    _rgb(0.45, 0.72, 0.25), _rgb(0.85, 0.75, 0.2), _rgb(0.88, 0.55, 0.15), _rgb(0.35, 0.6, 0.85)
)
_PINK = _rgb(0.9, 0.58, 0.62)
_BLACK = _rgb(0.03, 0.03, 0.03)
_WHITE = _rgb(0.97, 0.97, 0.97)
_CREAM = _rgb(0.95, 0.93, 0.9)
_GLASS = _rgb(0.6, 0.78, 0.92)
_TONE_SHARE = 0.85  # pictures whose subject and background contrast in brightness


class _Picture:
    """One picture being drawn: its random generator, its tone, and its pixels (3, 64, 64).

    tone: +1 a light subject on a dark background, -1 a dark subject on a light background,
    0 colours chosen freely. Cats and non-cats get the same mix of tones.
    """

    def __init__(self, rng):
        self.rng = rng
        self.tone = (1 if rng.integers(2) else -1) if rng.random() < _TONE_SHARE else 0
        self.img = _background(self)

    def uniform(self, lo, hi):
        return lo + (hi - lo) * self.rng.random()

    def pick(self, items):
        return items[int(self.rng.integers(len(items)))]

    def chance(self, p):
        return self.rng.random() < p

    def jitter(self, colour, amount):
        return _clip01(colour + amount * (2.0 * self.rng.random((3, 1, 1)) - 1.0))

    def colour(self):
        """Any colour, for details: often a fur colour, so that no colour means "cat"."""
        if self.chance(0.4):
            return self.jitter(self.pick(_FUR), 0.08)
        return self.rng.random((3, 1, 1))

    def _toned(self, light):
        """A random colour, light (every channel ≥ 0.65) or dark (every channel ≤ 0.35)."""
        if light:
            return 0.65 + 0.35 * self.rng.random((3, 1, 1))
        return 0.35 * self.rng.random((3, 1, 1))

    def subject_fur(self):
        if self.tone == 0:
            return self.pick(_FUR)
        return self.pick(_LIGHT_FUR if self.tone > 0 else _DARK_FUR)

    def subject_colour(self):
        if self.tone == 0:
            return self.colour()
        if self.chance(0.4):
            return self.jitter(self.subject_fur(), 0.08)
        return self._toned(self.tone > 0)

    def background_colour(self):
        if self.tone == 0:
            return self.colour()
        return self._toned(self.tone < 0)

    def fur(self, frame, base):
        """A (3, 64, 64) fur colour field: lit from one side, sometimes with tabby stripes."""
        base = self.jitter(base, 0.05)
        shade = 1.0 + self.uniform(-0.25, 0.25) * frame.u + self.uniform(-0.25, 0.25) * frame.v
        if self.chance(0.35):
            bands = frame.stripes(self.uniform(0.18, 0.3), self.uniform(-0.3, 0.3), 0.35)
            shade = shade * (1.0 - 0.45 * bands)
        return _clip01(shade * base)

    def paint(self, cover, colour, part=None):
        """Blend ``colour`` in, in proportion to ``cover``: a (3, 1, 1) colour or a (3, 64, 64)
        field over the canvas, or a (3, 1, 1) colour over a ``part`` (see _Frame.part)."""
        if part is None:
            self.img += cover * (colour - self.img)
        else:
            img = self.img[(slice(None),) + part.window]
            img += cover * (colour - img)

    def placement(self, size_lo, size_hi, tilt=0.2):
        """Centre, size and tilt of the subject: near the middle, as photographers frame it."""
        return (self.uniform(-0.08, 0.08), self.uniform(-0.05, 0.08),
                self.uniform(size_lo, size_hi), self.uniform(-tilt, tilt))

    def finish(self):
        """Expose (photos are rarely at full brightness), add sensor noise, round to uint8 pixels,
        (64, 64, 3)."""
        self.img *= self.uniform(0.65, 0.95)
        self.img += self.uniform(0.02, 0.08) * (self.rng.random((3, NUM_PX, NUM_PX)) - 0.5)
        pixels = np.minimum(np.maximum(np.floor(self.img * 255.0 + 0.5), 0.0), 255.0)
        return pixels.astype(np.uint8).transpose(1, 2, 0)


# ---------------------------------------------------------------------------------- backgrounds


def _value_noise(rng, cells):
    """Random colours on a (cells+1)² grid, interpolated bilinearly over the canvas."""
    grid = rng.random((3, cells + 1, cells + 1))
    pos = (_COORD + 1.0) * (0.5 * cells)
    i = np.minimum(np.floor(pos).astype(np.intp), cells - 1)
    f = pos - i
    rows = grid[:, i, :] * (1.0 - f)[:, np.newaxis] + grid[:, i + 1, :] * f[:, np.newaxis]
    return rows[:, :, i] * (1.0 - f) + rows[:, :, i + 1] * f


def _background(pic):
    rng = pic.rng
    kind = int(rng.integers(6))
    c1, c2 = pic.background_colour(), pic.background_colour()
    if kind == 0:  # gradient
        c, s = _turn(pic.uniform(-1.0, 1.0))
        w = _clip01(0.5 + 0.5 * (_GX * c + _GY * s))
        img = c1 + w * (c2 - c1)
    elif kind == 1:  # blurry blobs
        img = np.broadcast_to(c1, (3, NUM_PX, NUM_PX)).copy()
        for _ in range(int(rng.integers(3, 8))):
            x, y, r = pic.uniform(-1.1, 1.1), pic.uniform(-1.1, 1.1), pic.uniform(0.15, 0.6)
            q = ((_GX - x) * (_GX - x) + (_GY - y) * (_GY - y)) / (r * r)
            blob = _clip01(1.5 - q)
            img += blob * (pic.background_colour() - img)
    elif kind == 2:  # stripes
        period, t, duty = pic.uniform(0.12, 0.6), pic.uniform(-1.0, 1.0), pic.uniform(0.3, 0.7)
        bands = _CANVAS.stripes(period, t, duty)
        img = c1 + bands * (c2 - c1)
    elif kind == 3:  # mottled texture
        img = c1 + (_value_noise(rng, int(rng.integers(3, 9))) - 0.5) * (c2 - c1 + 0.4)
    elif kind == 4:  # a room: wall, floor, perhaps a window
        img = c1 + _ramp((_GY - pic.uniform(0.0, 0.7)) / _PIXEL) * (c2 - c1)
        if pic.chance(0.6):
            x0, y0 = pic.uniform(-1.0, 0.5), pic.uniform(-1.0, -0.2)
            box = _CANVAS.polygon([(x0, y0), (x0 + 0.5, y0), (x0 + 0.5, y0 + 0.6), (x0, y0 + 0.6)])
            img += box * (pic.jitter(_GLASS, 0.1) - img)
    else:  # plain, lit from one side
        img = (1.0 + 0.3 * (pic.uniform(-1.0, 1.0) * _GX + pic.uniform(-1.0, 1.0) * _GY)) * c1
    return _clip01(img)


# --------------------------------------------------------------------------------------- cats


def _cat(pic):
    cx, cy, size, t = pic.placement(0.38, 0.62)
    f = _Frame(cx, cy, size, t)
    fur = pic.fur(f, pic.subject_fur())
    if pic.chance(0.5):  # shoulders below the head
        pic.paint(f.ellipse(0.0, 1.4, 1.3, 0.8), fur)
    spread = pic.uniform(0.0, 0.15)
    height = pic.uniform(1.25, 1.55)
    head = f.ellipse(0.0, 0.0, pic.uniform(0.95, 1.12), pic.uniform(0.82, 0.95))
    for side in (-1.0, 1.0):  # pointed ears
        tip = (side * (0.7 + spread), -height)
        ear = f.polygon([(side * 0.15, -0.8), (side * (0.95 + spread), -0.35), tip])
        head = np.maximum(head, ear)
    pic.paint(head, fur)
    pink = pic.jitter(_PINK, 0.08)
    for side in (-1.0, 1.0):
        e = f.part(side * 0.65, -0.8, 0.6)
        pic.paint(e.polygon([(side * 0.35, -0.72), (side * (0.82 + spread), -0.42),
                             (side * (0.68 + spread), 0.25 - height)]), pink, e)
    # the muzzle and whiskers contrast with the fur: white on a dark cat, darker on a light one
    light = pic.tone > 0 or (pic.tone == 0 and pic.chance(0.3))
    if pic.chance(0.5):
        muzzle = 0.5 * pic.jitter(pic.subject_fur(), 0.05) if light else pic.jitter(_CREAM, 0.05)
        m = f.part(0.0, 0.42, 0.5)
        pic.paint(m.ellipse(0.0, 0.42, 0.5, 0.36), muzzle, m)
    iris = pic.jitter(pic.pick(_CAT_EYES), 0.08)
    slit = pic.uniform(0.04, 0.12)  # the pupil: a vertical slit, narrow in bright light
    for side in (-1.0, 1.0):
        x = side * 0.38
        e = f.part(x, -0.12, 0.2)
        pic.paint(e.ellipse(x, -0.12, 0.2, 0.15), iris, e)
        pic.paint(e.ellipse(x, -0.12, slit, 0.14), _BLACK, e)
        pic.paint(e.ellipse(x + 0.06, -0.17, 0.04, 0.04), _WHITE, e)
    n = f.part(0.0, 0.3, 0.2)
    pic.paint(n.polygon([(-0.11, 0.17), (0.11, 0.17), (0.0, 0.3)]), pic.jitter(_PINK, 0.1), n)
    mouth = np.maximum(n.segment(0.0, 0.3, -0.12, 0.42, 0.05),
                       n.segment(0.0, 0.3, 0.12, 0.42, 0.05))
    pic.paint(mouth, _rgb(0.15, 0.1, 0.1), n)
    whisker = _rgb(0.1, 0.1, 0.1) if light else _CREAM
    for side in (-1.0, 1.0):
        w = f.part(side * 0.8, 0.3, 0.65)
        ends = np.array((0.09, 0.25, 0.41)).reshape(3, 1, 1)  # three whiskers at once
        pic.paint(w.segment(side * 0.25, 0.3, side * 1.35, ends, 0.045).max(axis=0), whisker, w)


# ---------------------------------------------------------------------------------- non-cats


def _dog(pic):
    cx, cy, size, t = pic.placement(0.38, 0.6)
    f = _Frame(cx, cy, size, t)
    fur = pic.fur(f, pic.subject_fur())
    if pic.chance(0.5):
        pic.paint(f.ellipse(0.0, 1.4, 1.3, 0.8), fur)
    pic.paint(f.ellipse(0.0, 0.0, pic.uniform(0.82, 0.98), pic.uniform(0.92, 1.08)), fur)
    ear_colour = fur if pic.chance(0.5) else pic.fur(f, pic.pick(_FUR))
    droop = pic.uniform(0.1, 0.5)  # floppy ears, hanging on both sides
    ears = np.maximum(f.ellipse(-0.88, -0.05, 0.26, 0.62, droop),
                      f.ellipse(0.88, -0.05, 0.26, 0.62, -droop))
    pic.paint(ears, ear_colour)
    m = f.part(0.0, 0.42, 0.5)
    pic.paint(m.ellipse(0.0, 0.42, 0.48, 0.38), pic.jitter(pic.pick(_FUR), 0.05), m)
    for side in (-1.0, 1.0):
        e = f.part(side * 0.36, -0.2, 0.12)
        pic.paint(e.ellipse(side * 0.36, -0.2, 0.12, 0.12), _rgb(0.12, 0.07, 0.04), e)
        pic.paint(e.ellipse(side * 0.36 + 0.04, -0.24, 0.035, 0.035), _WHITE, e)
    pic.paint(m.ellipse(0.0, 0.24, 0.2, 0.13), _rgb(0.05, 0.05, 0.05), m)
    if pic.chance(0.4):
        pic.paint(m.ellipse(0.0, 0.66, 0.12, 0.14), _rgb(0.85, 0.35, 0.4), m)


def _bear(pic):
    cx, cy, size, t = pic.placement(0.38, 0.6)
    f = _Frame(cx, cy, size, t)
    fur = pic.fur(f, pic.subject_fur())
    r = pic.uniform(0.25, 0.45)  # round ears: small for a bear, large for a mouse
    ears = np.maximum(f.ellipse(-0.72, -0.78, r, r), f.ellipse(0.72, -0.78, r, r))
    pic.paint(np.maximum(ears, f.ellipse(0.0, 0.0, 1.0, 0.9)), fur)
    pink = pic.jitter(_PINK, 0.1)
    for side in (-1.0, 1.0):
        e = f.part(side * 0.72, -0.78, 0.55 * r)
        pic.paint(e.ellipse(side * 0.72, -0.78, 0.55 * r, 0.55 * r), pink, e)
    m = f.part(0.0, 0.2, 0.65)
    pic.paint(m.ellipse(0.0, 0.35, 0.4, 0.3), pic.jitter(pic.pick(_FUR), 0.05), m)
    eyes = np.maximum(m.ellipse(-0.36, -0.15, 0.1, 0.1), m.ellipse(0.36, -0.15, 0.1, 0.1))
    pic.paint(eyes, _BLACK, m)
    pic.paint(m.ellipse(0.0, 0.22, 0.14, 0.1), _rgb(0.08, 0.06, 0.06), m)


def _owl(pic):
    cx, cy, size, t = pic.placement(0.4, 0.6)
    f = _Frame(cx, cy, size, t)
    body = f.ellipse(0.0, 0.3, 0.9, 1.2)
    if pic.chance(0.5):  # ear tufts
        for side in (-1.0, 1.0):
            tuft = f.polygon([(side * 0.3, -0.6), (side * 0.8, -0.5), (side * 0.85, -1.15)])
            body = np.maximum(body, tuft)
    pic.paint(body, pic.fur(f, pic.subject_fur()))
    ring, iris = pic.jitter(_CREAM, 0.08), pic.jitter(_rgb(0.95, 0.7, 0.1), 0.1)
    for side in (-1.0, 1.0):
        e = f.part(side * 0.38, -0.2, 0.34)
        pic.paint(e.ellipse(side * 0.38, -0.2, 0.34, 0.34), ring, e)
        pic.paint(e.ellipse(side * 0.38, -0.2, 0.2, 0.2), iris, e)
        pic.paint(e.ellipse(side * 0.38, -0.2, 0.1, 0.1), _BLACK, e)
    b = f.part(0.0, 0.15, 0.2)
    pic.paint(b.polygon([(-0.1, 0.02), (0.1, 0.02), (0.0, 0.3)]), _rgb(0.85, 0.65, 0.2), b)
    chest = f.stripes(0.25, 0.0, 0.3) * f.ellipse(0.0, 0.75, 0.55, 0.45)
    pic.paint(chest, pic.jitter(_rgb(0.3, 0.2, 0.1), 0.1))


def _bird(pic):
    cx, cy, size, t = pic.placement(0.35, 0.55)
    f = _Frame(cx, cy, size, t)
    d = 1.0 if pic.chance(0.5) else -1.0  # facing right or left
    body = np.maximum(f.ellipse(0.0, 0.2, 1.0, 0.6), f.ellipse(d * 0.8, -0.45, 0.42, 0.42))
    body = np.maximum(body, f.polygon([(-d * 0.8, 0.1), (-d * 1.6, -0.2), (-d * 1.5, 0.45)]))
    pic.paint(body, pic.fur(f, pic.subject_colour()))
    pic.paint(f.ellipse(-d * 0.1, 0.15, 0.6, 0.32, d * 0.2), pic.jitter(pic.colour(), 0.1))
    h = f.part(d * 1.2, -0.45, 0.45)
    beak = h.polygon([(d * 1.15, -0.55), (d * 1.15, -0.35), (d * 1.55, -0.45)])
    pic.paint(beak, _rgb(0.9, 0.7, 0.15), h)
    pic.paint(h.ellipse(d * 0.9, -0.55, 0.08, 0.08), _BLACK, h)


def _fish(pic):
    cx, cy, size, t = pic.placement(0.35, 0.55)
    f = _Frame(cx, cy, size, t)
    d = 1.0 if pic.chance(0.5) else -1.0
    tail = f.polygon([(-d * 0.9, 0.0), (-d * 1.6, -0.6), (-d * 1.6, 0.6)])
    body = np.maximum(f.ellipse(0.0, 0.0, 1.1, 0.6), tail)
    body = np.maximum(body, f.polygon([(-0.3, -0.45), (0.3, -0.5), (-0.1, -0.95)]))
    pic.paint(body, pic.fur(f, pic.subject_colour()))
    bands = f.stripes(0.45, 0.0, 0.3) * f.ellipse(0.0, 0.0, 1.0, 0.55)
    pic.paint(bands, pic.jitter(pic.colour(), 0.1))
    e = f.part(d * 0.65, -0.12, 0.15)
    pic.paint(e.ellipse(d * 0.65, -0.12, 0.13, 0.13), _WHITE, e)
    pic.paint(e.ellipse(d * 0.67, -0.12, 0.07, 0.07), _BLACK, e)


def _cup(pic):
    cx, cy, size, t = pic.placement(0.4, 0.6, tilt=0.06)
    f = _Frame(cx, cy, size, t)
    handle = f.ellipse(0.75, 0.0, 0.42, 0.45) * (1.0 - f.ellipse(0.75, 0.0, 0.24, 0.28))
    mug = f.polygon([(-0.75, -0.8), (0.75, -0.8), (0.6, 0.9), (-0.6, 0.9)])
    pic.paint(np.maximum(handle, mug), pic.fur(f, pic.subject_colour()))
    pic.paint(f.ellipse(0.0, -0.8, 0.75, 0.16), pic.jitter(_rgb(0.35, 0.2, 0.1), 0.15))
    if pic.chance(0.5):
        band = f.polygon([(-0.7, -0.5), (0.7, -0.5), (0.6, 0.7), (-0.6, 0.7)])
        pic.paint(f.stripes(0.4, 1.0, 0.25) * band, pic.colour())


def _ball(pic):
    cx, cy, size, t = pic.placement(0.35, 0.65)
    f = _Frame(cx, cy, size, t)
    disc = f.ellipse(0.0, 0.0, 1.0, 1.0)
    pic.paint(disc, pic.fur(f, pic.subject_colour()))
    pic.paint(disc * f.stripes(pic.uniform(0.4, 0.9), pic.uniform(-1.0, 1.0), 0.4), pic.colour())
    h = f.part(-0.35, -0.4, 0.2)
    pic.paint(h.ellipse(-0.35, -0.4, 0.2, 0.14, -0.5), _WHITE, h)


def _house(pic):
    cx, cy, size, _ = pic.placement(0.45, 0.62)
    f = _Frame(cx, cy, size)
    walls = f.polygon([(-0.9, -0.2), (0.9, -0.2), (0.9, 1.0), (-0.9, 1.0)])
    pic.paint(walls, pic.fur(f, pic.subject_colour()))
    roof = f.polygon([(-1.15, -0.15), (1.15, -0.15), (0.0, pic.uniform(-1.3, -0.8))])
    pic.paint(roof, pic.jitter(pic.colour(), 0.05))
    glass = pic.jitter(_GLASS, 0.15)
    for x in (-0.55, 0.55):
        w = f.part(x, 0.22, 0.3)
        window = w.polygon([(x - 0.2, 0.05), (x + 0.2, 0.05), (x + 0.2, 0.4), (x - 0.2, 0.4)])
        pic.paint(window, glass, w)
    d = f.part(0.0, 0.72, 0.35)
    pic.paint(d.polygon([(-0.18, 0.45), (0.18, 0.45), (0.18, 1.0), (-0.18, 1.0)]), pic.colour(), d)


def _car(pic):
    cx, cy, size, t = pic.placement(0.45, 0.62, tilt=0.05)
    f = _Frame(cx, cy, size, t)
    body = np.maximum(f.polygon([(-1.4, -0.1), (1.4, -0.1), (1.4, 0.45), (-1.4, 0.45)]),
                      f.polygon([(-0.8, -0.1), (-0.5, -0.6), (0.5, -0.6), (0.85, -0.1)]))
    pic.paint(body, pic.fur(f, pic.subject_colour()))
    glass = pic.jitter(_GLASS, 0.15)
    pic.paint(f.polygon([(-0.65, -0.15), (-0.45, -0.5), (-0.05, -0.5), (-0.05, -0.15)]), glass)
    pic.paint(f.polygon([(0.05, -0.15), (0.05, -0.5), (0.45, -0.5), (0.68, -0.15)]), glass)
    for x in (-0.85, 0.85):
        w = f.part(x, 0.45, 0.3)
        pic.paint(w.ellipse(x, 0.45, 0.3, 0.3), _rgb(0.08, 0.08, 0.08), w)
        pic.paint(w.ellipse(x, 0.45, 0.13, 0.13), _rgb(0.7, 0.7, 0.72), w)


def _landscape(pic):
    horizon = pic.uniform(-0.3, 0.5)
    pic.paint(0.9 * _ramp((horizon - _GY) / _PIXEL), pic.jitter(_rgb(0.5, 0.7, 0.95), 0.2))
    if pic.chance(0.7):  # the sun
        x, y, r = pic.uniform(-0.8, 0.8), pic.uniform(-0.9, horizon - 0.2), pic.uniform(0.1, 0.25)
        pic.paint(_CANVAS.ellipse(x, y, r, r), pic.jitter(_rgb(0.98, 0.85, 0.3), 0.1))
    for _ in range(int(pic.rng.integers(1, 4))):  # mountains
        x, w, h = pic.uniform(-1.0, 1.0), pic.uniform(0.4, 1.0), pic.uniform(0.4, 1.1)
        foot = horizon + 0.02
        mountain = _CANVAS.polygon([(x - w, foot), (x + w, foot), (x, horizon - h)])
        pic.paint(mountain, pic.jitter(pic.colour(), 0.05))
    pic.paint(_ramp((_GY - horizon) / _PIXEL), pic.jitter(pic.colour(), 0.05))
    for _ in range(int(pic.rng.integers(0, 4))):  # fir trees
        x, y, h = pic.uniform(-0.9, 0.9), pic.uniform(horizon, 0.9), pic.uniform(0.2, 0.5)
        top = y - 0.15
        trunk = _CANVAS.polygon([(x - 0.02, y), (x + 0.02, y), (x + 0.02, top), (x - 0.02, top)])
        pic.paint(trunk, _rgb(0.3, 0.2, 0.1))
        base = y - 0.12
        crown = _CANVAS.polygon([(x - 0.3 * h, base), (x + 0.3 * h, base), (x, base - h)])
        pic.paint(crown, pic.jitter(_rgb(0.15, 0.45, 0.15), 0.1))


# Petal k of n points at the angle 2πk/n, given as t = tan(πk/n) to stay rational (None: θ = π).
_PETAL_TANS = {
    5: (0.0, 0.7265425, 3.0776835, -3.0776835, -0.7265425),
    6: (0.0, 0.5773503, 1.7320508, None, -1.7320508, -0.5773503),
    7: (0.0, 0.4815746, 1.2539603, 4.3812863, -4.3812863, -1.2539603, -0.4815746),
    8: (0.0, 0.4142136, 1.0, 2.4142136, None, -2.4142136, -1.0, -0.4142136),
}


def _flower(pic):
    cx, cy, size, t = pic.placement(0.35, 0.6)
    f = _Frame(cx, cy, size, t)
    pic.paint(f.segment(0.0, 0.0, 0.0, 2.0, 0.12), _rgb(0.2, 0.5, 0.2))
    petals = None
    for tan in _PETAL_TANS[int(pic.rng.integers(5, 9))]:
        c, s = (-1.0, 0.0) if tan is None else _turn(tan)
        petal = f.ellipse(0.6 * c, 0.6 * s, 0.55, 0.25, tan or 0.0)
        petals = petal if petals is None else np.maximum(petals, petal)
    pic.paint(petals, pic.fur(f, pic.subject_colour()))
    c = f.part(0.0, 0.0, 0.3)
    pic.paint(c.ellipse(0.0, 0.0, 0.3, 0.3), pic.jitter(_rgb(0.95, 0.8, 0.2), 0.1), c)


def _patches(pic):
    for _ in range(int(pic.rng.integers(2, 6))):
        cx, cy, size = pic.uniform(-0.8, 0.8), pic.uniform(-0.8, 0.8), pic.uniform(0.2, 0.5)
        f = _Frame(cx, cy, size, pic.uniform(-1.0, 1.0))
        if pic.chance(0.5):
            cover = f.ellipse(0.0, 0.0, pic.uniform(0.5, 1.5), pic.uniform(0.5, 1.5))
        else:
            cover = f.polygon([(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)])
        pic.paint(cover, pic.fur(f, pic.subject_colour()))


# What the non-cat pictures show, with integer weights (how often, out of their sum).
_NON_CATS = (
    (_dog, 24),
    (_bear, 10),
    (_owl, 6),
    (_bird, 8),
    (_fish, 8),
    (_cup, 8),
    (_ball, 8),
    (_house, 8),
    (_car, 8),
    (_landscape, 10),
    (_flower, 6),
    (_patches, 8),
)
_NON_CAT_DRAWS = tuple(draw for draw, weight in _NON_CATS for _ in range(weight))


def _draw(seed, is_cat):
    """One picture, (64, 64, 3) uint8, from its own seed (so each picture is independent)."""
    pic = _Picture(np.random.default_rng(seed))
    if is_cat:
        _cat(pic)
    else:
        _NON_CAT_DRAWS[int(pic.rng.integers(len(_NON_CAT_DRAWS)))](pic)
    return pic.finish()


def _make_split(seed, split, size, cats):
    """``size`` pictures, ``cats`` of them cats, in a shuffled order: (images, labels (1, size))."""
    labels = (np.random.default_rng((seed, split)).permutation(size) < cats).astype(np.int64)
    images = np.empty((size, NUM_PX, NUM_PX, 3), dtype=np.uint8)
    for i in range(size):
        images[i] = _draw((seed, split, i), bool(labels[i]))
    return images, labels.reshape(1, size)


def _generate(seed=_SEED):
    train_x, train_y = _make_split(seed, 0, _TRAIN_SIZE, _TRAIN_CATS)
    test_x, test_y = _make_split(seed, 1, _TEST_SIZE, _TEST_CATS)
    return train_x, train_y, test_x, test_y, np.array([b"non-cat", b"cat"])


_SAMPLE_IMAGES = None


def load_sample_images():
    r"""The cat / non-cat pictures: ``(train_x, train_y, test_x, test_y, classes)``.

    - ``train_x``: (209, 64, 64, 3) uint8 pixels; ``train_y``: (1, 209) labels, 1 = cat,
      0 = non-cat — 72 cats and 137 non-cats, the course's balance;
    - ``test_x``: (50, 64, 64, 3) uint8; ``test_y``: (1, 50) — 33 cats and 17 non-cats;
    - ``classes``: ``np.array([b"non-cat", b"cat"])``, so ``classes[y]`` names a label (bytes,
      as in the course's HDF5 files: ``classes[y].decode()`` gives a str).

    Flatten and standardize with :func:`flatten_images` to get ``X`` of shape (12288, m).

    **These pictures are drawn by this function, not photographed.** The course's own files may
    not be redistributed, and no freely licensed set of cat photos was at hand, so NumPy paints a
    stand-in that poses the same problem:

    - every picture has a cluttered background (a gradient, blurry blobs, stripes, a mottled
      texture, a room with a window, or a plain wall lit from one side) and sensor noise;
    - a cat is a round head with two pointed ears (pink inside), eyes with slit pupils, a nose, a
      mouth and whiskers, sometimes shoulders; its fur is one of ten colours, sometimes striped;
      its size, position and tilt vary;
    - a non-cat is a dog (floppy ears), a bear or a mouse (round ears), an owl, a bird, a fish, a
      cup, a ball, a house, a car, a landscape, a flower or patches of colour, drawn in the same
      colours on the same backgrounds, so that no colour alone gives a cat away;
    - in most pictures the subject is light on a dark background or dark on a light one (a black
      cat on a white sofa, a white cat on a dark carpet), either way round for cats and non-cats
      alike. One linear template cannot match both: a pixel that is bright in one kind of cat
      picture is dark in the other.

    So logistic regression behaves as on the course's photos: with the course's α = 0.005 and 2000
    iterations it learns the training set by heart (99 %) yet scores 70 % on the test set, while
    the 4-layer network ``[12288, 20, 7, 5, 1]`` (ReLU, "scaled" initialization with seed 1,
    α = 0.0075, 2500 iterations) reaches 100 % and 80 % — the course's very figures.
    On 400 more pictures drawn the same way the two models score about 66 % and 80 %: the gap
    belongs to the pictures, not to a lucky test set.

    The pictures are the same bytes on every machine, CPython or Pyodide: they come from a seeded
    generator and arithmetic that rounds identically everywhere (see the notes in this module's
    source). They are drawn on the first call (a fraction of a second; about a second in a
    browser), then kept: every call returns fresh copies, which the caller may change.
    """
    global _SAMPLE_IMAGES
    if _SAMPLE_IMAGES is None:
        _SAMPLE_IMAGES = _generate()
    return tuple(array.copy() for array in _SAMPLE_IMAGES)


# ------------------------------------------------------------------------ the course's HDF5 files


def load_h5_dataset(train_path, test_path):
    """The course's own cat / non-cat files, if you have them: the same 5-tuple as
    :func:`load_sample_images`.

    train_path: an HDF5 file with the datasets ``train_set_x`` (m_train, 64, 64, 3) and
    ``train_set_y`` (m_train,); test_path: one with ``test_set_x``, ``test_set_y`` and
    ``list_classes`` (for example ``train_catvnoncat.h5`` and ``test_catvnoncat.h5``).

    Returns ``(train_x, train_y, test_x, test_y, classes)``: images as uint8 arrays
    ``(m, 64, 64, 3)``, labels as integer rows ``(1, m)``, classes as stored (bytes).

    Reading HDF5 needs the optional package h5py (``pip install h5py``). The course's web pages
    do not have it; there, :func:`nndl.dashboard.read_h5` reads the course's simple files from
    their bytes (and lesson 13's dashboard trains on them).
    """
    try:
        import h5py
    except ImportError as error:
        raise ImportError(
            "load_h5_dataset needs the h5py package to read HDF5 files, and it is not installed. "
            "Install it with `pip install h5py` (or `pip install nndl[h5]`). On the course's web "
            "pages, where h5py is not available, nndl.dashboard.read_h5(bytes) reads the "
            "course's files, and lesson 13's dashboard can train on them. "
            "Without the files, load_sample_images() gives a ready-made set of the same shape."
        ) from error
    with h5py.File(train_path, "r") as f:
        train_x = np.array(f["train_set_x"][:])
        train_y = np.array(f["train_set_y"][:])
    with h5py.File(test_path, "r") as f:
        test_x = np.array(f["test_set_x"][:])
        test_y = np.array(f["test_set_y"][:])
        classes = np.array(f["list_classes"][:])
    train_x, train_y = _checked_split(train_x, train_y, train_path, "train_set")
    test_x, test_y = _checked_split(test_x, test_y, test_path, "test_set")
    return train_x, train_y, test_x, test_y, classes


def _checked_split(x, y, path, prefix):
    if x.ndim != 4 or x.shape[3] != 3:
        raise ValueError(
            f"{prefix}_x in {path} has shape {x.shape}, but images must be (m, num_px, num_px, 3)"
        )
    y = y.reshape(1, -1)
    if y.shape[1] != x.shape[0]:
        raise ValueError(
            f"{prefix}_y in {path} holds {y.shape[1]} labels for {x.shape[0]} images in {prefix}_x"
        )
    return x.astype(np.uint8, copy=False), y.astype(np.int64)


# ------------------------------------------------------------------------------ planar datasets


def load_planar_dataset(m=400, seed=1):
    r"""The "flower": 2-D points in petals, as in the course's shallow-network lesson.

    Two classes of m/2 points each (one more in class 1 if m is odd); each class fills four petals
    of the curve r = 4 sin 4t, t the angle, with Gaussian noise on t and on r. No straight line
    separates them (a diagonal gets about 72 %: two pairs of adjacent petals share a class);
    logistic regression settles near 51 %, one hidden layer of 4 tanh units above 90 %.

    Returns X: (2, m) coordinates and Y: (1, m) labels 0 / 1 (int64). The same seed gives the
    same points; no global random state is touched.
    """
    m = _check_count(m)
    rng = np.random.default_rng(seed)
    X = np.zeros((2, m))
    Y = np.zeros((1, m), dtype=np.int64)
    a = 4.0  # the petals' length
    start = 0
    for j, n in enumerate((m // 2, m - m // 2)):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + rng.normal(0.0, 0.2, n)  # angle
        r = a * np.sin(4.0 * t) + rng.normal(0.0, 0.2, n)  # radius
        X[0, start : start + n] = r * np.sin(t)
        X[1, start : start + n] = r * np.cos(t)
        Y[0, start : start + n] = j
        start += n
    return X, Y


def load_xor_dataset(m=400, noise=0.1, seed=1):
    r"""The XOR problem: points in the square [-1, 1]², label 1 where x₁ and x₂ differ in sign.

    The two classes sit in opposite quadrants, so no single line separates them (logistic
    regression is stuck near 50 %) while a hidden layer of a few units solves it.
    ``noise`` is the standard deviation of Gaussian noise added to the points after labelling,
    which blurs the boundary near the axes (``noise=0`` gives a clean boundary).

    Returns X: (2, m) and Y: (1, m) labels 0 / 1 (int64).
    """
    m = _check_count(m)
    if not noise >= 0:
        raise ValueError(f"noise must be 0 or more, got {noise}")
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, (2, m))
    Y = ((X[0:1] > 0) != (X[1:2] > 0)).astype(np.int64)
    if noise:
        X = X + rng.normal(0.0, noise, (2, m))
    return X, Y


def _check_count(m):
    if isinstance(m, (bool, np.bool_)) or not isinstance(m, (int, np.integer)) or m < 2:
        raise ValueError(f"m, the number of examples, must be an integer of at least 2, got {m!r}")
    return int(m)


# ---------------------------------------------------------------------------- images → X columns


def flatten_images(images):
    """The course's pre-processing step: ``images.reshape(m, -1).T / 255``.

    images: (m, num_px, num_px, 3) pixel values 0–255 (uint8, as loaded)
    -> X: (num_px·num_px·3, m) float64 in [0, 1], one flattened image per column; for the
    course's 64×64 pictures, X is (12288, m).
    """
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[3] != 3 or 0 in images.shape:
        shape = images.shape
        message = f"images has shape {shape} but flatten_images needs (m, num_px, num_px, 3)"
        if images.ndim == 3 and shape[2] == 3:
            message += (
                f": it looks like one image; pass images[np.newaxis] for a batch of one, "
                f"or use image_to_input(image)"
            )
        elif images.ndim == 4 and shape[3] in (1, 4) and shape[0] > 0:
            message += f": images have {shape[3]} channels, the models expect 3 (RGB)"
        elif images.ndim == 2:
            message += ": it is already 2-D (flattened?); X should be (n_x, m) = (12288, m)"
        raise ValueError(message)
    if not (np.issubdtype(images.dtype, np.integer) or np.issubdtype(images.dtype, np.floating)):
        raise ValueError(f"images has dtype {images.dtype}; pixel values must be numbers 0–255")
    return images.reshape(images.shape[0], -1).T / 255.0


def image_to_input(image):
    r"""Any picture → the ``(12288, 1)`` column that a model trained on the sample images accepts.

    image: a NumPy array of shape (H, W) (grey), (H, W, 1) (grey), (H, W, 3) (RGB) or (H, W, 4)
    (RGBA), of any size. Integer pixels are 0–255 (uint8, as image files load); float pixels
    are 0–1. An alpha channel is composited on white (transparent pixels become white); grey is
    copied into the three channels. The picture is then resized to 64×64 without regard to its
    proportions (crop it square first to avoid squashing): an area average when shrinking,
    bilinear interpolation when enlarging.

    Returns X: (12288, 1) float64 in [0, 1], flattened in the same order as
    :func:`flatten_images` (so a 64×64 RGB uint8 image gives exactly its column there).
    """
    img = np.asarray(image)
    if img.dtype == object or not (
        np.issubdtype(img.dtype, np.integer)
        or np.issubdtype(img.dtype, np.floating)
        or img.dtype == np.bool_
    ):
        raise ValueError(f"image has dtype {img.dtype}; an image is an array of numbers")
    if img.ndim not in (2, 3):
        raise ValueError(
            f"image has shape {img.shape}; an image is (height, width) for grey or "
            f"(height, width, channels) with 1, 3 (RGB) or 4 (RGBA) channels"
            + (" — for a batch of images use flatten_images" if img.ndim == 4 else "")
        )
    if img.ndim == 3 and img.shape[2] not in (1, 3, 4):
        channels_first = img.shape[0] in (1, 3, 4)
        raise ValueError(
            f"image has shape {img.shape}: {img.shape[2]} channels, but an image has 1 (grey), "
            f"3 (RGB) or 4 (RGBA)"
            + (" — is it channels-first? try np.moveaxis(image, 0, -1)" if channels_first else "")
        )
    if img.shape[0] == 0 or img.shape[1] == 0:
        raise ValueError(f"image has shape {img.shape}: it has no pixels")
    if np.issubdtype(img.dtype, np.floating):
        if not np.all(np.isfinite(img)):
            raise ValueError("image contains NaN or infinite values")
        low, high = float(img.min()), float(img.max())
        if low < 0.0 or high > 1.0:
            looks_255 = 0 <= low and high <= 255
            hint = " (it looks like 0–255: divide by 255, or use uint8)" if looks_255 else ""
            raise ValueError(
                f"a float image must hold values in [0, 1], but this one ranges from {low:g} to "
                f"{high:g}{hint}"
            )
        pixels = img.astype(np.float64)
    elif img.dtype == np.bool_:
        pixels = img.astype(np.float64)
    else:
        low, high = int(img.min()), int(img.max())
        if low < 0 or high > 255:
            raise ValueError(
                f"an integer image must hold values 0–255, but this one ranges from {low} to "
                f"{high}"
            )
        pixels = img.astype(np.float64) / 255.0
    if pixels.ndim == 2:
        pixels = pixels[:, :, np.newaxis]
    if pixels.shape[2] == 4:  # composite on white
        alpha = pixels[:, :, 3:4]
        pixels = pixels[:, :, :3] * alpha + (1.0 - alpha)
    elif pixels.shape[2] == 1:
        pixels = np.repeat(pixels, 3, axis=2)
    rows = _resize_matrix(pixels.shape[0], NUM_PX)
    cols = _resize_matrix(pixels.shape[1], NUM_PX)
    resized = np.einsum("ih,hwc,jw->ijc", rows, pixels, cols, optimize=True)
    return np.clip(resized, 0.0, 1.0).reshape(N_X, 1)


def _resize_matrix(n_in, n_out):
    """(n_out, n_in) weights: row i averages the input pixels under output pixel i (area
    resampling) when shrinking, or interpolates the two nearest ones (bilinear) when enlarging."""
    if n_in >= n_out:
        # output pixel i covers the input interval [i·s, (i+1)·s), s = n_in / n_out
        edges = np.arange(n_out + 1) * (n_in / n_out)
        k = np.arange(n_in)
        overlap = np.minimum(edges[1:, np.newaxis], k + 1) - np.maximum(edges[:-1, np.newaxis], k)
        R = np.maximum(overlap, 0.0)
        return R / R.sum(axis=1, keepdims=True)
    # pixel centres line up: output centre i sits at input coordinate (i + 0.5)·n_in/n_out − 0.5
    pos = np.clip((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0.0, n_in - 1)
    lo = np.floor(pos).astype(np.intp)
    hi = np.minimum(lo + 1, n_in - 1)
    frac = pos - lo
    R = np.zeros((n_out, n_in))
    R[np.arange(n_out), lo] += 1.0 - frac
    R[np.arange(n_out), hi] += frac
    return R
