"""The cat / non-cat sample pictures of the image lessons: :func:`load_sample_images`."""

import numpy as np

from .images import NUM_PX
from .painting import (
    BLACK,
    CANVAS,
    CAT_EYES,
    CREAM,
    FUR,
    Frame,
    GLASS,
    GY,
    PINK,
    PIXEL,
    Picture,
    WHITE,
    ramp,
    rgb,
    turn,
)

__all__ = ["load_sample_images"]

# The course's split: 209 training pictures (72 cats) and 50 test pictures (33 cats).
_TRAIN_SIZE, _TRAIN_CATS = 209, 72
_TEST_SIZE, _TEST_CATS = 50, 33
_SEED = 1


# --------------------------------------------------------------------------------------- cats


def _cat(pic):
    cx, cy, size, t = pic.placement(0.38, 0.62)
    f = Frame(cx, cy, size, t)
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
    pink = pic.jitter(PINK, 0.08)
    for side in (-1.0, 1.0):
        e = f.part(side * 0.65, -0.8, 0.6)
        pic.paint(e.polygon([(side * 0.35, -0.72), (side * (0.82 + spread), -0.42),
                             (side * (0.68 + spread), 0.25 - height)]), pink, e)
    # the muzzle and whiskers contrast with the fur: white on a dark cat, darker on a light one
    light = pic.tone > 0 or (pic.tone == 0 and pic.chance(0.3))
    if pic.chance(0.5):
        muzzle = 0.5 * pic.jitter(pic.subject_fur(), 0.05) if light else pic.jitter(CREAM, 0.05)
        m = f.part(0.0, 0.42, 0.5)
        pic.paint(m.ellipse(0.0, 0.42, 0.5, 0.36), muzzle, m)
    iris = pic.jitter(pic.pick(CAT_EYES), 0.08)
    slit = pic.uniform(0.04, 0.12)  # the pupil: a vertical slit, narrow in bright light
    for side in (-1.0, 1.0):
        x = side * 0.38
        e = f.part(x, -0.12, 0.2)
        pic.paint(e.ellipse(x, -0.12, 0.2, 0.15), iris, e)
        pic.paint(e.ellipse(x, -0.12, slit, 0.14), BLACK, e)
        pic.paint(e.ellipse(x + 0.06, -0.17, 0.04, 0.04), WHITE, e)
    n = f.part(0.0, 0.3, 0.2)
    pic.paint(n.polygon([(-0.11, 0.17), (0.11, 0.17), (0.0, 0.3)]), pic.jitter(PINK, 0.1), n)
    mouth = np.maximum(n.segment(0.0, 0.3, -0.12, 0.42, 0.05),
                       n.segment(0.0, 0.3, 0.12, 0.42, 0.05))
    pic.paint(mouth, rgb(0.15, 0.1, 0.1), n)
    whisker = rgb(0.1, 0.1, 0.1) if light else CREAM
    for side in (-1.0, 1.0):
        w = f.part(side * 0.8, 0.3, 0.65)
        ends = np.array((0.09, 0.25, 0.41)).reshape(3, 1, 1)  # three whiskers at once
        pic.paint(w.segment(side * 0.25, 0.3, side * 1.35, ends, 0.045).max(axis=0), whisker, w)


# ---------------------------------------------------------------------------------- non-cats


def _dog(pic):
    cx, cy, size, t = pic.placement(0.38, 0.6)
    f = Frame(cx, cy, size, t)
    fur = pic.fur(f, pic.subject_fur())
    if pic.chance(0.5):
        pic.paint(f.ellipse(0.0, 1.4, 1.3, 0.8), fur)
    pic.paint(f.ellipse(0.0, 0.0, pic.uniform(0.82, 0.98), pic.uniform(0.92, 1.08)), fur)
    ear_colour = fur if pic.chance(0.5) else pic.fur(f, pic.pick(FUR))
    droop = pic.uniform(0.1, 0.5)  # floppy ears, hanging on both sides
    ears = np.maximum(f.ellipse(-0.88, -0.05, 0.26, 0.62, droop),
                      f.ellipse(0.88, -0.05, 0.26, 0.62, -droop))
    pic.paint(ears, ear_colour)
    m = f.part(0.0, 0.42, 0.5)
    pic.paint(m.ellipse(0.0, 0.42, 0.48, 0.38), pic.jitter(pic.pick(FUR), 0.05), m)
    for side in (-1.0, 1.0):
        e = f.part(side * 0.36, -0.2, 0.12)
        pic.paint(e.ellipse(side * 0.36, -0.2, 0.12, 0.12), rgb(0.12, 0.07, 0.04), e)
        pic.paint(e.ellipse(side * 0.36 + 0.04, -0.24, 0.035, 0.035), WHITE, e)
    pic.paint(m.ellipse(0.0, 0.24, 0.2, 0.13), rgb(0.05, 0.05, 0.05), m)
    if pic.chance(0.4):
        pic.paint(m.ellipse(0.0, 0.66, 0.12, 0.14), rgb(0.85, 0.35, 0.4), m)


def _bear(pic):
    cx, cy, size, t = pic.placement(0.38, 0.6)
    f = Frame(cx, cy, size, t)
    fur = pic.fur(f, pic.subject_fur())
    r = pic.uniform(0.25, 0.45)  # round ears: small for a bear, large for a mouse
    ears = np.maximum(f.ellipse(-0.72, -0.78, r, r), f.ellipse(0.72, -0.78, r, r))
    pic.paint(np.maximum(ears, f.ellipse(0.0, 0.0, 1.0, 0.9)), fur)
    pink = pic.jitter(PINK, 0.1)
    for side in (-1.0, 1.0):
        e = f.part(side * 0.72, -0.78, 0.55 * r)
        pic.paint(e.ellipse(side * 0.72, -0.78, 0.55 * r, 0.55 * r), pink, e)
    m = f.part(0.0, 0.2, 0.65)
    pic.paint(m.ellipse(0.0, 0.35, 0.4, 0.3), pic.jitter(pic.pick(FUR), 0.05), m)
    eyes = np.maximum(m.ellipse(-0.36, -0.15, 0.1, 0.1), m.ellipse(0.36, -0.15, 0.1, 0.1))
    pic.paint(eyes, BLACK, m)
    pic.paint(m.ellipse(0.0, 0.22, 0.14, 0.1), rgb(0.08, 0.06, 0.06), m)


def _owl(pic):
    cx, cy, size, t = pic.placement(0.4, 0.6)
    f = Frame(cx, cy, size, t)
    body = f.ellipse(0.0, 0.3, 0.9, 1.2)
    if pic.chance(0.5):  # ear tufts
        for side in (-1.0, 1.0):
            tuft = f.polygon([(side * 0.3, -0.6), (side * 0.8, -0.5), (side * 0.85, -1.15)])
            body = np.maximum(body, tuft)
    pic.paint(body, pic.fur(f, pic.subject_fur()))
    ring, iris = pic.jitter(CREAM, 0.08), pic.jitter(rgb(0.95, 0.7, 0.1), 0.1)
    for side in (-1.0, 1.0):
        e = f.part(side * 0.38, -0.2, 0.34)
        pic.paint(e.ellipse(side * 0.38, -0.2, 0.34, 0.34), ring, e)
        pic.paint(e.ellipse(side * 0.38, -0.2, 0.2, 0.2), iris, e)
        pic.paint(e.ellipse(side * 0.38, -0.2, 0.1, 0.1), BLACK, e)
    b = f.part(0.0, 0.15, 0.2)
    pic.paint(b.polygon([(-0.1, 0.02), (0.1, 0.02), (0.0, 0.3)]), rgb(0.85, 0.65, 0.2), b)
    chest = f.stripes(0.25, 0.0, 0.3) * f.ellipse(0.0, 0.75, 0.55, 0.45)
    pic.paint(chest, pic.jitter(rgb(0.3, 0.2, 0.1), 0.1))


def _bird(pic):
    cx, cy, size, t = pic.placement(0.35, 0.55)
    f = Frame(cx, cy, size, t)
    d = 1.0 if pic.chance(0.5) else -1.0  # facing right or left
    body = np.maximum(f.ellipse(0.0, 0.2, 1.0, 0.6), f.ellipse(d * 0.8, -0.45, 0.42, 0.42))
    body = np.maximum(body, f.polygon([(-d * 0.8, 0.1), (-d * 1.6, -0.2), (-d * 1.5, 0.45)]))
    pic.paint(body, pic.fur(f, pic.subject_colour()))
    pic.paint(f.ellipse(-d * 0.1, 0.15, 0.6, 0.32, d * 0.2), pic.jitter(pic.colour(), 0.1))
    h = f.part(d * 1.2, -0.45, 0.45)
    beak = h.polygon([(d * 1.15, -0.55), (d * 1.15, -0.35), (d * 1.55, -0.45)])
    pic.paint(beak, rgb(0.9, 0.7, 0.15), h)
    pic.paint(h.ellipse(d * 0.9, -0.55, 0.08, 0.08), BLACK, h)


def _fish(pic):
    cx, cy, size, t = pic.placement(0.35, 0.55)
    f = Frame(cx, cy, size, t)
    d = 1.0 if pic.chance(0.5) else -1.0
    tail = f.polygon([(-d * 0.9, 0.0), (-d * 1.6, -0.6), (-d * 1.6, 0.6)])
    body = np.maximum(f.ellipse(0.0, 0.0, 1.1, 0.6), tail)
    body = np.maximum(body, f.polygon([(-0.3, -0.45), (0.3, -0.5), (-0.1, -0.95)]))
    pic.paint(body, pic.fur(f, pic.subject_colour()))
    bands = f.stripes(0.45, 0.0, 0.3) * f.ellipse(0.0, 0.0, 1.0, 0.55)
    pic.paint(bands, pic.jitter(pic.colour(), 0.1))
    e = f.part(d * 0.65, -0.12, 0.15)
    pic.paint(e.ellipse(d * 0.65, -0.12, 0.13, 0.13), WHITE, e)
    pic.paint(e.ellipse(d * 0.67, -0.12, 0.07, 0.07), BLACK, e)


def _cup(pic):
    cx, cy, size, t = pic.placement(0.4, 0.6, tilt=0.06)
    f = Frame(cx, cy, size, t)
    handle = f.ellipse(0.75, 0.0, 0.42, 0.45) * (1.0 - f.ellipse(0.75, 0.0, 0.24, 0.28))
    mug = f.polygon([(-0.75, -0.8), (0.75, -0.8), (0.6, 0.9), (-0.6, 0.9)])
    pic.paint(np.maximum(handle, mug), pic.fur(f, pic.subject_colour()))
    pic.paint(f.ellipse(0.0, -0.8, 0.75, 0.16), pic.jitter(rgb(0.35, 0.2, 0.1), 0.15))
    if pic.chance(0.5):
        band = f.polygon([(-0.7, -0.5), (0.7, -0.5), (0.6, 0.7), (-0.6, 0.7)])
        pic.paint(f.stripes(0.4, 1.0, 0.25) * band, pic.colour())


def _ball(pic):
    cx, cy, size, t = pic.placement(0.35, 0.65)
    f = Frame(cx, cy, size, t)
    disc = f.ellipse(0.0, 0.0, 1.0, 1.0)
    pic.paint(disc, pic.fur(f, pic.subject_colour()))
    pic.paint(disc * f.stripes(pic.uniform(0.4, 0.9), pic.uniform(-1.0, 1.0), 0.4), pic.colour())
    h = f.part(-0.35, -0.4, 0.2)
    pic.paint(h.ellipse(-0.35, -0.4, 0.2, 0.14, -0.5), WHITE, h)


def _house(pic):
    cx, cy, size, _ = pic.placement(0.45, 0.62)
    f = Frame(cx, cy, size)
    walls = f.polygon([(-0.9, -0.2), (0.9, -0.2), (0.9, 1.0), (-0.9, 1.0)])
    pic.paint(walls, pic.fur(f, pic.subject_colour()))
    roof = f.polygon([(-1.15, -0.15), (1.15, -0.15), (0.0, pic.uniform(-1.3, -0.8))])
    pic.paint(roof, pic.jitter(pic.colour(), 0.05))
    glass = pic.jitter(GLASS, 0.15)
    for x in (-0.55, 0.55):
        w = f.part(x, 0.22, 0.3)
        window = w.polygon([(x - 0.2, 0.05), (x + 0.2, 0.05), (x + 0.2, 0.4), (x - 0.2, 0.4)])
        pic.paint(window, glass, w)
    d = f.part(0.0, 0.72, 0.35)
    pic.paint(d.polygon([(-0.18, 0.45), (0.18, 0.45), (0.18, 1.0), (-0.18, 1.0)]), pic.colour(), d)


def _car(pic):
    cx, cy, size, t = pic.placement(0.45, 0.62, tilt=0.05)
    f = Frame(cx, cy, size, t)
    body = np.maximum(f.polygon([(-1.4, -0.1), (1.4, -0.1), (1.4, 0.45), (-1.4, 0.45)]),
                      f.polygon([(-0.8, -0.1), (-0.5, -0.6), (0.5, -0.6), (0.85, -0.1)]))
    pic.paint(body, pic.fur(f, pic.subject_colour()))
    glass = pic.jitter(GLASS, 0.15)
    pic.paint(f.polygon([(-0.65, -0.15), (-0.45, -0.5), (-0.05, -0.5), (-0.05, -0.15)]), glass)
    pic.paint(f.polygon([(0.05, -0.15), (0.05, -0.5), (0.45, -0.5), (0.68, -0.15)]), glass)
    for x in (-0.85, 0.85):
        w = f.part(x, 0.45, 0.3)
        pic.paint(w.ellipse(x, 0.45, 0.3, 0.3), rgb(0.08, 0.08, 0.08), w)
        pic.paint(w.ellipse(x, 0.45, 0.13, 0.13), rgb(0.7, 0.7, 0.72), w)


def _landscape(pic):
    horizon = pic.uniform(-0.3, 0.5)
    pic.paint(0.9 * ramp((horizon - GY) / PIXEL), pic.jitter(rgb(0.5, 0.7, 0.95), 0.2))
    if pic.chance(0.7):  # the sun
        x, y, r = pic.uniform(-0.8, 0.8), pic.uniform(-0.9, horizon - 0.2), pic.uniform(0.1, 0.25)
        pic.paint(CANVAS.ellipse(x, y, r, r), pic.jitter(rgb(0.98, 0.85, 0.3), 0.1))
    for _ in range(int(pic.rng.integers(1, 4))):  # mountains
        x, w, h = pic.uniform(-1.0, 1.0), pic.uniform(0.4, 1.0), pic.uniform(0.4, 1.1)
        foot = horizon + 0.02
        mountain = CANVAS.polygon([(x - w, foot), (x + w, foot), (x, horizon - h)])
        pic.paint(mountain, pic.jitter(pic.colour(), 0.05))
    pic.paint(ramp((GY - horizon) / PIXEL), pic.jitter(pic.colour(), 0.05))
    for _ in range(int(pic.rng.integers(0, 4))):  # fir trees
        x, y, h = pic.uniform(-0.9, 0.9), pic.uniform(horizon, 0.9), pic.uniform(0.2, 0.5)
        top = y - 0.15
        trunk = CANVAS.polygon([(x - 0.02, y), (x + 0.02, y), (x + 0.02, top), (x - 0.02, top)])
        pic.paint(trunk, rgb(0.3, 0.2, 0.1))
        base = y - 0.12
        crown = CANVAS.polygon([(x - 0.3 * h, base), (x + 0.3 * h, base), (x, base - h)])
        pic.paint(crown, pic.jitter(rgb(0.15, 0.45, 0.15), 0.1))


# Petal k of n points at the angle 2πk/n, given as t = tan(πk/n) to stay rational (None: θ = π).
_PETAL_TANS = {
    5: (0.0, 0.7265425, 3.0776835, -3.0776835, -0.7265425),
    6: (0.0, 0.5773503, 1.7320508, None, -1.7320508, -0.5773503),
    7: (0.0, 0.4815746, 1.2539603, 4.3812863, -4.3812863, -1.2539603, -0.4815746),
    8: (0.0, 0.4142136, 1.0, 2.4142136, None, -2.4142136, -1.0, -0.4142136),
}


def _flower(pic):
    cx, cy, size, t = pic.placement(0.35, 0.6)
    f = Frame(cx, cy, size, t)
    pic.paint(f.segment(0.0, 0.0, 0.0, 2.0, 0.12), rgb(0.2, 0.5, 0.2))
    petals = None
    for tan in _PETAL_TANS[int(pic.rng.integers(5, 9))]:
        c, s = (-1.0, 0.0) if tan is None else turn(tan)
        petal = f.ellipse(0.6 * c, 0.6 * s, 0.55, 0.25, tan or 0.0)
        petals = petal if petals is None else np.maximum(petals, petal)
    pic.paint(petals, pic.fur(f, pic.subject_colour()))
    c = f.part(0.0, 0.0, 0.3)
    pic.paint(c.ellipse(0.0, 0.0, 0.3, 0.3), pic.jitter(rgb(0.95, 0.8, 0.2), 0.1), c)


def _patches(pic):
    for _ in range(int(pic.rng.integers(2, 6))):
        cx, cy, size = pic.uniform(-0.8, 0.8), pic.uniform(-0.8, 0.8), pic.uniform(0.2, 0.5)
        f = Frame(cx, cy, size, pic.uniform(-1.0, 1.0))
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
    pic = Picture(np.random.default_rng(seed))
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
