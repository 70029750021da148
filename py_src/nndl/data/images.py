"""Pictures → the models' input: :func:`flatten_images` and :func:`image_to_input`."""

import numpy as np

__all__ = ["NUM_PX", "N_X", "flatten_images", "image_to_input"]

NUM_PX = 64
"""Height and width of the course's pictures, in pixels."""

N_X = NUM_PX * NUM_PX * 3
"""Features per picture once flattened: n_x = 64 · 64 · 3 = 12288."""


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
