"""HDF5 files shaped like the course's, written by h5py in each of its writer settings.

The engine's tests read them with :func:`nndl.data.read_h5` and :func:`nndl.data.load_h5_dataset`.
Inside Pyodide, where h5py does not exist, the tests read the copies kept in tests/h5_files/
(gzip-compressed), which this module writes when run with the pinned h5py:

    .venv/bin/python tests/h5_writer.py

On CPython the tests write every file afresh with h5py and check that it is the kept copy.
"""

import gzip
import sys
from pathlib import Path

import numpy as np

FOLDER = Path(__file__).resolve().parent / "h5_files"
M_TRAIN, M_TEST = 3, 2


def pictures(m, seed):
    """m pictures (m, 64, 64, 3) of uint8 values that differ between pictures and channels."""
    i = np.arange(m * 64 * 64 * 3, dtype=np.int64)
    return ((i * (7 + seed)) % 251).astype(np.uint8).reshape(m, 64, 64, 3)


def expected():
    """The arrays every file holds: (train_x, train_y, test_x, test_y, classes)."""
    return (pictures(M_TRAIN, 0), np.array([[1, 0, 1]]), pictures(M_TEST, 1), np.array([[0, 1]]),
            np.array([b"non-cat", b"cat"]))


def _course(f, dataset_options=None, x_type=None, transform=None, x_chunks=None):
    """The course's datasets in the h5py group or file f."""
    options = dataset_options or {}
    train_x, train_y, test_x, test_y, classes = expected()
    for prefix, x, y in (("train_set", train_x, train_y), ("test_set", test_x, test_y)):
        if transform is not None:
            x = transform(x)
        x_options = {**options, "chunks": x_chunks} if x_chunks else options
        f.create_dataset(f"{prefix}_x", data=x.astype(x_type) if x_type else x, **x_options)
        f.create_dataset(f"{prefix}_y", data=y.ravel(), **options)
    f.create_dataset("list_classes", data=classes, **options)


def _soft_links(f):
    """The datasets in a group, linked from the root: absolute links, and relative ones."""
    group = f.create_group("stored")
    _course(group)
    import h5py

    for name in ("train_set_x", "train_set_y", "list_classes"):
        f[name] = h5py.SoftLink(f"/stored/{name}")
    for name in ("test_set_x", "test_set_y"):
        f[name] = h5py.SoftLink(f"stored/{name}")


def _early_chunks(f):
    """train_set_x in chunks allocated when it is created: the "implicit" chunk index."""
    import h5py

    _course(f)
    x = expected()[0]
    del f["train_set_x"]
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_chunk((1, 32, 32, 3))
    dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
    dcpl.set_obj_track_times(False)  # no time stamps: the same bytes on every run
    space = h5py.h5s.create_simple(x.shape)
    dataset = h5py.h5d.create(f.id, b"train_set_x", h5py.h5t.NATIVE_UINT8, space, dcpl=dcpl)
    dataset.write(h5py.h5s.ALL, h5py.h5s.ALL, x)


def _labels_with_a_2(f):
    _course(f)
    f["train_set_y"][1] = 2


def _train_only(f):
    _course(f)
    del f["test_set_x"], f["test_set_y"]


def _no_list_classes(f):
    _course(f)
    del f["list_classes"]


def _many_members(f):
    """More than 8 members: a group of the newer format keeps its links in a fractal heap."""
    _course(f)
    for i in range(10):
        f.create_dataset(f"extra_{i}", data=np.arange(3))


def _resizable(f):
    """train_set_x can grow: its chunks are indexed by an extensible array."""
    _course(f)
    del f["train_set_x"]
    f.create_dataset("train_set_x", data=expected()[0], maxshape=(None, 64, 64, 3))


def _a_group_for_pictures(f):
    _course(f)
    del f["train_set_x"]
    f.create_group("train_set_x")


def _extra_groups(f):
    _course(f)
    import h5py

    notes = f.create_group("notes")
    notes.create_dataset("comment", data=np.array(["a variable-length string"], dtype=object),
                         dtype=h5py.string_dtype())
    notes.create_group("empty").attrs["about"] = "nothing"
    f.create_dataset("weights", data=np.linspace(0, 1, 10))


def _vlen_classes(f):
    import h5py

    train_x, train_y, test_x, test_y, _ = expected()
    for prefix, x, y in (("train_set", train_x, train_y), ("test_set", test_x, test_y)):
        f.create_dataset(f"{prefix}_x", data=x)
        f.create_dataset(f"{prefix}_y", data=y.ravel())
    f.create_dataset("list_classes", data=np.array(["non-cat", "cat"], dtype=object),
                     dtype=h5py.string_dtype())


#: setting -> (h5py.File options, what to write)
SETTINGS = {
    "default": ({}, _course),
    "earliest": ({"libver": "earliest"}, _course),
    "latest": ({"libver": "latest"}, _course),
    "chunked": ({}, lambda f: _course(f, {"chunks": True})),
    "gzip": ({}, lambda f: _course(f, {"compression": "gzip"})),
    "shuffle": ({}, lambda f: _course(f, {"shuffle": True, "compression": "gzip"})),
    "fletcher32": ({}, lambda f: _course(f, {"fletcher32": True})),
    "track_order": ({"track_order": True}, _course),
    "latest_chunked_gzip": ({"libver": "latest"}, lambda f: _course(f, {"compression": "gzip"})),
    "small_chunks": ({}, lambda f: _course(f, x_chunks=(1, 24, 24, 1))),
    "latest_small_chunks": ({"libver": "latest"}, lambda f: _course(f, x_chunks=(2, 24, 24, 1))),
    "latest_early_chunks": ({"libver": "latest"}, _early_chunks),
    "latest_paged_chunks": ({"libver": "latest"}, lambda f: _course(f, x_chunks=(1, 4, 4, 1))),
    "latest_resizable": ({"libver": "latest"}, _resizable),
    "latest_many_members": ({"libver": "latest"}, _many_members),
    "soft_links": ({}, _soft_links),
    "latest_soft_links": ({"libver": "latest"}, _soft_links),
    "extra_groups": ({}, _extra_groups),
    "vlen_classes": ({}, _vlen_classes),
    "uint16_pixels": ({}, lambda f: _course(f, x_type=np.uint16)),
    "float_pixels": ({}, lambda f: _course(f, transform=lambda x: x / 255.0)),
    "pixels_above_255": ({}, lambda f: _course(f, transform=lambda x: x.astype(np.uint16) * 3)),
    "lzf": ({}, lambda f: _course(f, {"compression": "lzf"})),
    "pictures_are_a_group": ({}, _a_group_for_pictures),
    "labels_with_a_2": ({}, _labels_with_a_2),
    "train_only": ({}, _train_only),
    "no_list_classes": ({}, _no_list_classes),
}


def write(setting, path):
    """Write the file of ``setting`` at ``path`` with h5py."""
    import h5py

    options, fill = SETTINGS[setting]
    with h5py.File(path, "w", **options) as f:
        fill(f)


def kept(setting):
    """The bytes of the kept copy of ``setting``'s file."""
    return gzip.decompress((FOLDER / f"{setting}.h5.gz").read_bytes())


def main():
    FOLDER.mkdir(exist_ok=True)
    for setting in SETTINGS:
        path = FOLDER / f"{setting}.h5"
        write(setting, path)
        raw = path.read_bytes()
        path.unlink()
        (FOLDER / f"{setting}.h5.gz").write_bytes(gzip.compress(raw, mtime=0))
        print(f"{setting}: {len(raw)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
