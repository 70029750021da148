"""The course's HDF5 files: ``train_catvnoncat.h5`` and ``test_catvnoncat.h5``, or files like them.

- :func:`load_h5_dataset`: from two paths, with h5py when it is installed, else with the
  course's own reader;
- :func:`load_h5_bytes`: from the files' bytes, with the course's own reader (the dashboard of
  lesson 13 uses it in the browser, where h5py does not exist);
- :func:`read_h5`: every dataset of an HDF5 file's root group that the course's reader can
  decode (:class:`nndl.data.h5file.H5File`).

Both loaders pass what they read through the same checks, with the same messages: the datasets
must be there, pictures ``(m, 64, 64, 3)`` of whole numbers 0–255, ``m`` labels 0 or 1. A file
that fails raises :class:`H5Error`, a ValueError whose message says what is wrong. The class
names ``list_classes`` are optional: when a file lacks them, or they cannot be decoded, the
course's ``[b"non-cat", b"cat"]`` are used.
"""

import numpy as np

from .h5file import H5Error, H5File
from .images import NUM_PX

__all__ = ["H5Error", "read_h5", "load_h5_bytes", "load_h5_dataset", "COURSE_CLASSES"]

COURSE_CLASSES = np.array([b"non-cat", b"cat"])
"""The class names of the course's files: ``classes[label]`` names a label."""

_ROLES = {"train_set": ("training", "train_catvnoncat.h5"), "test_set": ("test", "test_catvnoncat.h5")}


def read_h5(raw, name="the file"):
    """The datasets of the root group of an HDF5 file (its bytes), as ``{name: array}``.

    Datasets the reader cannot decode (variable-length strings, say) are left out;
    ``H5File(raw, name).read(key)`` says why. Raises :class:`H5Error` if the file is not HDF5 or
    its root group cannot be read.
    """
    f = H5File(raw, name)
    arrays = {}
    for key in f.keys():
        try:
            arrays[key] = f.read(key)
        except H5Error:
            continue
    return arrays


def load_h5_bytes(train, test, train_name="the training file", test_name="the test file"):
    """The course's files from their bytes: ``(train_x, train_y, test_x, test_y, classes)``, as
    :func:`load_h5_dataset` returns them; read by the course's reader, which needs no h5py."""
    train_file, test_file = H5File(train, train_name), H5File(test, test_name)
    return _course(_Reader(train_file), _Reader(test_file))


def load_h5_dataset(train_path, test_path):
    """The course's own cat / non-cat files, if you have them: the same 5-tuple as
    :func:`nndl.data.load_sample_images`.

    train_path: an HDF5 file with the datasets ``train_set_x`` (m_train, 64, 64, 3) and
    ``train_set_y`` (m_train,); test_path: one with ``test_set_x`` and ``test_set_y``; either may
    hold ``list_classes`` (for example ``train_catvnoncat.h5`` and ``test_catvnoncat.h5``).

    Returns ``(train_x, train_y, test_x, test_y, classes)``: pictures as uint8 arrays
    ``(m, 64, 64, 3)``, labels as integer rows ``(1, m)``, classes as bytes.

    With h5py installed (``pip install h5py``) it reads any HDF5 file; without it (on the
    course's web pages) the course's own reader reads the files h5py writes, in most settings,
    and says so when it cannot.
    """
    try:
        import h5py
    except ImportError:
        h5py = None
    sources = []
    for path in (train_path, test_path):
        with open(path, "rb") as fh:  # a missing file: FileNotFoundError, as for any file
            raw = fh.read() if h5py is None else b""
        if h5py is None:
            sources.append(_Reader(H5File(raw, str(path))))
        elif not h5py.is_hdf5(path):
            raise H5Error(f"{path} is not an HDF5 file: it does not start with HDF5's signature.")
        else:
            sources.append(_H5pyReader(h5py, path))
    try:
        return _course(*sources)
    finally:
        for source in sources:
            source.close()


# ---- One set of checks for both readers ----


class _Reader:
    """A file read by the course's reader: ``name``, ``keys()``, ``read(key)``, ``close()``."""

    def __init__(self, f):
        self.name, self.read, self._keys = f.name, f.read, f.keys()

    def keys(self):
        return self._keys

    def close(self):
        pass


class _H5pyReader:
    """The same, read by h5py; its errors become :class:`H5Error`."""

    def __init__(self, h5py, path):
        self.name, self._h5py = str(path), h5py
        try:
            self._file = h5py.File(path, "r")
        except OSError as error:
            raise H5Error(f"{self.name}: h5py cannot open it ({error}); is the file damaged?") from None

    def keys(self):
        return sorted(self._file.keys())

    def read(self, key):
        try:
            item = self._file.get(key)
            if not isinstance(item, self._h5py.Dataset):
                raise H5Error(f"{self.name}: {key!r} is not a dataset (a group?).")
            array = np.asarray(item[()])
        except (OSError, KeyError, RuntimeError, TypeError) as error:
            raise H5Error(f"{self.name}: h5py cannot read {key!r} ({error}).") from None
        if array.dtype.kind in "OU" and array.ndim == 1:  # variable-length strings
            array = np.array([s.encode() if isinstance(s, str) else s for s in array], dtype="S")
        return array

    def close(self):
        self._file.close()


def _course(train, test):
    train_x, train_y = _split(train, "train_set")
    test_x, test_y = _split(test, "test_set")
    classes = _classes(test)
    if classes is None:
        classes = _classes(train)
    return train_x, train_y, test_x, test_y, COURSE_CLASSES.copy() if classes is None else classes


def _split(source, prefix):
    """(pictures, labels) of one of the course's files, checked."""
    x_key, y_key = f"{prefix}_x", f"{prefix}_y"
    keys = source.keys()
    missing = [key for key in (x_key, y_key) if key not in keys]
    if missing:
        role, course_file = _ROLES[prefix]
        raise H5Error(
            f"{source.name} has no dataset {' or '.join(missing)} (it has: "
            f"{', '.join(keys) or 'none'}). The course's {role} file is {course_file}."
        )
    x = pictures(source.read(x_key), source.name, x_key)
    return x, labels(source.read(y_key), source.name, y_key, x.shape[0], x_key)


def pictures(x, name, key):
    """``x`` as the course's pictures, (m, 64, 64, 3) uint8, or :class:`H5Error` saying why not."""
    if x.ndim != 4 or x.shape[3] != 3:
        raise H5Error(f"{name}: {key} has shape {x.shape}, but pictures must be "
                      f"(m, {NUM_PX}, {NUM_PX}, 3).")
    if x.shape[1:3] != (NUM_PX, NUM_PX):
        raise H5Error(f"{name}: {key} holds pictures of {x.shape[1]}×{x.shape[2]} pixels; the "
                      f"models here take {NUM_PX}×{NUM_PX}.")
    if x.shape[0] == 0:
        raise H5Error(f"{name}: {key} holds no pictures.")
    if x.dtype.kind == "f":
        low, high = float(x.min()), float(x.max())
        hint = (" They look like values 0–1: multiply by 255 and round to store pixels."
                if 0 <= low and high <= 1 else "")
        raise H5Error(f"{name}: {key} holds fractional numbers (from {low:g} to {high:g}); "
                      f"pixels must be whole numbers 0–255 (uint8), as in the course's files."
                      + hint)
    if x.dtype.kind not in "iu":
        raise H5Error(f"{name}: {key} holds {x.dtype} values; pixels must be whole numbers "
                      f"0–255 (uint8).")
    low, high = int(x.min()), int(x.max())
    if low < 0 or high > 255:
        raise H5Error(f"{name}: {key} holds values from {low} to {high}; pixels must be whole "
                      f"numbers 0–255 (uint8).")
    return x.astype(np.uint8)


def labels(y, name, key, m, x_key):
    """``y`` as a row (1, m) of labels 0 and 1, or :class:`H5Error` saying why not."""
    if y.dtype.kind not in "iubf":
        raise H5Error(f"{name}: {key} holds {y.dtype} values; labels must be 0 and 1.")
    if y.size != m or y.ndim > 2 or (y.ndim == 2 and 1 not in y.shape):
        raise H5Error(f"{name}: {key} holds {y.size} labels of shape {y.shape} for the {m} "
                      f"pictures of {x_key}; it must be ({m},).")
    if not np.all((y == 0) | (y == 1)):
        others = np.unique(y[(y != 0) & (y != 1)])[:3]
        raise H5Error(f"{name}: {key} must hold labels 0 and 1 (it also holds "
                      f"{', '.join(f'{v:g}' for v in others.astype(np.float64))}).")
    return y.reshape(1, m).astype(np.int64)


def _classes(source):
    """The file's two class names (bytes), or None without usable ones."""
    if "list_classes" not in source.keys():
        return None
    try:
        classes = source.read("list_classes")
    except H5Error:
        return None  # present but not decodable: the course's names do
    if classes.shape != (2,) or classes.dtype.kind != "S":
        return None
    return classes
