"""The pictures the training dashboard trains on, numbered, and what the page shows of them.

Each set of pictures the reader chooses (the sample images, the course's HDF5 files) gets the
next number; the earlier sets are kept, so that the grid of test pictures of an earlier run can
still be drawn. :mod:`nndl.dashboard` keeps one :class:`Pictures`.
"""

import base64

import numpy as np

from . import data, display
from .dashboard_input import DashboardError

__all__ = ["SAMPLE_SOURCE", "Pictures", "png_base64", "class_name"]

SAMPLE_SOURCE = "the sample images"


def png_base64(array, scale):
    """An image (pixels, or one flattened column) as the base64 of its PNG, for the page."""
    return base64.b64encode(display.image(array, scale=scale)._repr_png_()).decode("ascii")


def class_name(value):
    """A class name as text (the course's files store them as bytes)."""
    return value.decode() if isinstance(value, bytes) else str(value)


class Pictures:
    """The numbered sets of pictures; the current one is the last.

    A set is ``(train_x, train_y, test_x, test_y, classes)`` as
    :func:`nndl.data.load_sample_images` returns them (None: the sample images, loaded on first
    use); ``source`` names the current one, for the page.
    """

    def __init__(self, images=None, source=SAMPLE_SOURCE):
        self.number = 0
        self._sets = {}  # number → a set of pictures
        self.use(images, source)

    def use(self, images, source):
        """Make ``images`` the current set, under the next number."""
        self.number += 1
        self.source = source
        self._arrays = None
        if images is not None:
            self._sets[self.number] = images

    def get(self, number=None):
        """The set numbered ``number`` (the current one when None)."""
        number = self.number if number is None else number
        if number == self.number and number not in self._sets:
            self._sets[number] = data.load_sample_images()
        if number not in self._sets:
            raise DashboardError(f"There are no pictures numbered {number!r}.")
        return self._sets[number]

    def arrays(self):
        """(X_train, Y_train, X_test, Y_test) of the current set, as the models take them."""
        if self._arrays is None:
            train_x, train_y, test_x, test_y, _ = self.get()
            self._arrays = (
                data.flatten_images(train_x), train_y,
                data.flatten_images(test_x), test_y,
            )
        return self._arrays

    def info(self):
        """The current set, in numbers, for the page."""
        X, train_y, _, test_y = self.arrays()
        return {
            "id": self.number,
            "source": self.source,
            "train": int(train_y.shape[1]),
            "train_cats": int(np.sum(train_y)),
            "test": int(test_y.shape[1]),
            "test_cats": int(np.sum(test_y)),
            "n_x": int(X.shape[0]),
        }

    def test_grid(self, number=None):
        """The test pictures of set ``number`` (the current one when None), for the page's
        grid: PNGs (base64), labels, class names."""
        self.get()
        _, _, test_x, test_y, classes = self.get(number)
        return {
            "dataset": self.info() if number in (None, self.number) else {"id": number},
            "images": [png_base64(picture, 1) for picture in test_x],
            "labels": [int(y) for y in np.asarray(test_y).reshape(-1)],
            "classes": [class_name(c) for c in classes],
        }
