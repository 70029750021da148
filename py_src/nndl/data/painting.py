"""Painting on a 64×64 canvas with exactly reproducible arithmetic: the tools with which
:mod:`nndl.data.sample_images` draws its pictures (frames, shapes, colours, backgrounds)."""

import math

import numpy as np

from .images import NUM_PX


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

PIXEL = 2.0 / NUM_PX  # the canvas spans [-1, 1] in both directions; y points down
COORD = (np.arange(NUM_PX, dtype=np.float64) + 0.5) * PIXEL - 1.0
GX = np.broadcast_to(COORD[np.newaxis, :], (NUM_PX, NUM_PX))
GY = np.broadcast_to(COORD[:, np.newaxis], (NUM_PX, NUM_PX))


def turn(t):
    """(cos θ, sin θ) of the rotation with tan(θ/2) = t, from the rational parametrisation."""
    d = 1.0 + t * t
    return (1.0 - t * t) / d, 2.0 * t / d


def clip01(x):
    """x clipped to [0, 1], like np.clip but without its Python-level overhead (it counts in
    WebAssembly)."""
    return np.minimum(np.maximum(x, 0.0), 1.0)


def ramp(d):
    """Coverage of a pixel whose centre lies d pixels inside an edge: 0 → 1 over one pixel."""
    return clip01(d + 0.5)


def on_canvas(index):
    """A row or column index clamped to the canvas, 0 … 64 (for slicing)."""
    return min(max(index, 0), NUM_PX)


def rgb(r, g, b):
    """A colour, shaped (3, 1, 1) to broadcast over a channel-first picture."""
    return np.array((r, g, b), dtype=np.float64).reshape(3, 1, 1)


class Frame:
    """Local coordinates (u, v) of every pixel, for a figure centred at (cx, cy) on the canvas,
    ``size`` canvas units per local unit, turned by the angle θ with tan(θ/2) = t.

    Each shape method returns the coverage of every pixel, a (64, 64) array of values in [0, 1]
    with edges smoothed over one pixel.
    """

    def __init__(self, cx, cy, size, t=0.0):
        self.cx, self.cy, self.size = cx, cy, size
        self.c, self.s = turn(t)
        dx = GX - cx
        dy = GY - cy
        self.u = (dx * self.c + dy * self.s) / size
        self.v = (dy * self.c - dx * self.s) / size
        self.px = PIXEL / size  # one pixel, in local units
        self.window = (slice(None), slice(None))

    def part(self, x, y, r):
        """This frame over the square of pixels around the disc of radius r at (x, y) only:
        small shapes are drawn on that window rather than the whole canvas."""
        col = (self.cx + (x * self.c - y * self.s) * self.size + 1.0) / PIXEL - 0.5
        row = (self.cy + (x * self.s + y * self.c) * self.size + 1.0) / PIXEL - 0.5
        reach = r * self.size / PIXEL + 1.0
        rows = slice(on_canvas(math.floor(row - reach)), on_canvas(math.ceil(row + reach) + 1))
        cols = slice(on_canvas(math.floor(col - reach)), on_canvas(math.ceil(col + reach) + 1))
        sub = object.__new__(Frame)
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
            c, s = turn(t)
            du, dv = du * c + dv * s, dv * c - du * s
        du = du / rx
        dv = dv / ry
        q = du * du + dv * dv  # 1 on the outline; near it, (1 − q)·r/2 ≈ the depth inside
        return ramp((1.0 - q) * (0.5 * min(rx, ry) / self.px))

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
        return ramp(inside)

    def segment(self, x0, y0, x1, y1, width):
        ex, ey = x1 - x0, y1 - y0
        du = self.u - x0
        dv = self.v - y0
        h = clip01((du * ex + dv * ey) / (ex * ex + ey * ey))
        qx = du - h * ex
        qy = dv - h * ey
        return ramp((0.5 * width - np.sqrt(qx * qx + qy * qy)) / self.px)

    def stripes(self, period, t=0.0, duty=0.5):
        """Parallel bands (a fraction ``duty`` of each period), across the u axis turned by t."""
        c, s = turn(t)
        w = (self.u * c + self.v * s) / period
        distance = np.abs(w - np.floor(w) - 0.5)  # from the middle of the band, in periods
        return ramp((0.5 * duty - distance) * (period / self.px))


CANVAS = Frame(0.0, 0.0, 1.0)

FUR = (
    rgb(0.09, 0.08, 0.08),  # black
    rgb(0.26, 0.25, 0.25),  # charcoal
    rgb(0.50, 0.50, 0.52),  # grey
    rgb(0.46, 0.31, 0.18),  # brown
    rgb(0.30, 0.19, 0.11),  # chocolate
    rgb(0.74, 0.73, 0.75),  # silver
    rgb(0.94, 0.92, 0.88),  # white
    rgb(0.93, 0.84, 0.66),  # cream
    rgb(0.86, 0.52, 0.22),  # ginger
    rgb(0.76, 0.61, 0.42),  # tan
)
DARK_FUR, LIGHT_FUR = FUR[:5], FUR[5:]
CAT_EYES = (  # green, yellow, amber, blue
    rgb(0.45, 0.72, 0.25), rgb(0.85, 0.75, 0.2), rgb(0.88, 0.55, 0.15), rgb(0.35, 0.6, 0.85)
)
PINK = rgb(0.9, 0.58, 0.62)
BLACK = rgb(0.03, 0.03, 0.03)
WHITE = rgb(0.97, 0.97, 0.97)
CREAM = rgb(0.95, 0.93, 0.9)
GLASS = rgb(0.6, 0.78, 0.92)
TONE_SHARE = 0.85  # pictures whose subject and background contrast in brightness


class Picture:
    """One picture being drawn: its random generator, its tone, and its pixels (3, 64, 64).

    tone: +1 a light subject on a dark background, -1 a dark subject on a light background,
    0 colours chosen freely. Cats and non-cats get the same mix of tones.
    """

    def __init__(self, rng):
        self.rng = rng
        self.tone = (1 if rng.integers(2) else -1) if rng.random() < TONE_SHARE else 0
        self.img = background(self)

    def uniform(self, lo, hi):
        return lo + (hi - lo) * self.rng.random()

    def pick(self, items):
        return items[int(self.rng.integers(len(items)))]

    def chance(self, p):
        return self.rng.random() < p

    def jitter(self, colour, amount):
        return clip01(colour + amount * (2.0 * self.rng.random((3, 1, 1)) - 1.0))

    def colour(self):
        """Any colour, for details: often a fur colour, so that no colour means "cat"."""
        if self.chance(0.4):
            return self.jitter(self.pick(FUR), 0.08)
        return self.rng.random((3, 1, 1))

    def _toned(self, light):
        """A random colour, light (every channel ≥ 0.65) or dark (every channel ≤ 0.35)."""
        if light:
            return 0.65 + 0.35 * self.rng.random((3, 1, 1))
        return 0.35 * self.rng.random((3, 1, 1))

    def subject_fur(self):
        if self.tone == 0:
            return self.pick(FUR)
        return self.pick(LIGHT_FUR if self.tone > 0 else DARK_FUR)

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
        return clip01(shade * base)

    def paint(self, cover, colour, part=None):
        """Blend ``colour`` in, in proportion to ``cover``: a (3, 1, 1) colour or a (3, 64, 64)
        field over the canvas, or a (3, 1, 1) colour over a ``part`` (see Frame.part)."""
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


def value_noise(rng, cells):
    """Random colours on a (cells+1)² grid, interpolated bilinearly over the canvas."""
    grid = rng.random((3, cells + 1, cells + 1))
    pos = (COORD + 1.0) * (0.5 * cells)
    i = np.minimum(np.floor(pos).astype(np.intp), cells - 1)
    f = pos - i
    rows = grid[:, i, :] * (1.0 - f)[:, np.newaxis] + grid[:, i + 1, :] * f[:, np.newaxis]
    return rows[:, :, i] * (1.0 - f) + rows[:, :, i + 1] * f


def background(pic):
    rng = pic.rng
    kind = int(rng.integers(6))
    c1, c2 = pic.background_colour(), pic.background_colour()
    if kind == 0:  # gradient
        c, s = turn(pic.uniform(-1.0, 1.0))
        w = clip01(0.5 + 0.5 * (GX * c + GY * s))
        img = c1 + w * (c2 - c1)
    elif kind == 1:  # blurry blobs
        img = np.broadcast_to(c1, (3, NUM_PX, NUM_PX)).copy()
        for _ in range(int(rng.integers(3, 8))):
            x, y, r = pic.uniform(-1.1, 1.1), pic.uniform(-1.1, 1.1), pic.uniform(0.15, 0.6)
            q = ((GX - x) * (GX - x) + (GY - y) * (GY - y)) / (r * r)
            blob = clip01(1.5 - q)
            img += blob * (pic.background_colour() - img)
    elif kind == 2:  # stripes
        period, t, duty = pic.uniform(0.12, 0.6), pic.uniform(-1.0, 1.0), pic.uniform(0.3, 0.7)
        bands = CANVAS.stripes(period, t, duty)
        img = c1 + bands * (c2 - c1)
    elif kind == 3:  # mottled texture
        img = c1 + (value_noise(rng, int(rng.integers(3, 9))) - 0.5) * (c2 - c1 + 0.4)
    elif kind == 4:  # a room: wall, floor, perhaps a window
        img = c1 + ramp((GY - pic.uniform(0.0, 0.7)) / PIXEL) * (c2 - c1)
        if pic.chance(0.6):
            x0, y0 = pic.uniform(-1.0, 0.5), pic.uniform(-1.0, -0.2)
            box = CANVAS.polygon([(x0, y0), (x0 + 0.5, y0), (x0 + 0.5, y0 + 0.6), (x0, y0 + 0.6)])
            img += box * (pic.jitter(GLASS, 0.1) - img)
    else:  # plain, lit from one side
        img = (1.0 + 0.3 * (pic.uniform(-1.0, 1.0) * GX + pic.uniform(-1.0, 1.0) * GY)) * c1
    return clip01(img)
