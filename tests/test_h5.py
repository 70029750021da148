"""Tests for nndl.data's HDF5 readers: files written by the real h5py in each of its writer
settings, read exactly or refused with a reason, by both readers through the same checks; and
thousands of damaged files, each refused with H5Error (or read) in bounded time.

On CPython every file is written afresh by h5py (requirements/engine.txt pins it) and checked to
be the copy kept in tests/h5_files/, and load_h5_dataset reads it with h5py. Inside Pyodide,
where h5py does not exist, the same tests read the kept copies, and load_h5_dataset uses the
course's own reader: each platform tests the reader it really has."""

import random
import sys
import time

import numpy as np
import pytest
from h5_writer import SETTINGS, expected, kept, write
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_dashboard import (
    CHUNKED_H5,
    COMPRESSED_H5,
    LATEST_H5,
    TEST_H5,
    TRAIN_H5,
    VARIED_H5,
    course_pictures,
    h5_file,
)

from nndl import data
from nndl.data import H5Error
from nndl.data.h5file import H5File

try:
    import h5py
except ImportError:  # inside Pyodide
    h5py = None

UNSUPPORTED = "which the course's HDF5 reader does not read. Load the files with h5py instead"

#: setting -> None when the course's reader reads the file exactly, else the start of its refusal
#: (after the file's name).
COURSE_READER = {
    "default": None,
    "earliest": None,
    "latest": None,
    "chunked": None,
    "gzip": None,
    "shuffle": None,
    "fletcher32": None,
    "track_order": None,
    "latest_chunked_gzip": None,
    "small_chunks": None,  # chunks at the edges hang over; the chunk B-tree has two levels
    "latest_small_chunks": None,
    "latest_early_chunks": None,  # chunks allocated at once: the "implicit" index
    "latest_paged_chunks": None,  # 2304 chunks: a fixed-array index in pages
    "latest_resizable": " uses a chunk index of type 4, for a dataset that can grow (dataset "
                        "'train_set_x'), " + UNSUPPORTED,
    "latest_many_members": " uses a group of many members stored in a fractal heap, " + UNSUPPORTED,
    "soft_links": None,
    "latest_soft_links": None,
    "extra_groups": None,
    "vlen_classes": None,
    "uint16_pixels": None,
    "float_pixels": ": train_set_x holds fractional numbers (from 0 to 0.980392); pixels must be "
                    "whole numbers 0–255 (uint8), as in the course's files. They look like values "
                    "0–1: multiply by 255 and round to store pixels.",
    "pixels_above_255": ": train_set_x holds values from 0 to 750; pixels must be whole numbers "
                        "0–255 (uint8).",
    "lzf": " uses the LZF filter (dataset 'train_set_x'), " + UNSUPPORTED,
    "pictures_are_a_group": ": 'train_set_x' is not a dataset (a group?).",
    "labels_with_a_2": ": train_set_y must hold labels 0 and 1 (it also holds 2).",
    "train_only": " has no dataset test_set_x or test_set_y (it has: list_classes, train_set_x, "
                  "train_set_y). The course's test file is test_catvnoncat.h5.",
    "no_list_classes": None,  # the course's class names do
}

#: What h5py itself reads that the course's reader refuses.
H5PY_READS = {"lzf", "latest_resizable", "latest_many_members"}


def h5py_file(setting, tmp_path):
    """The bytes of ``setting``'s file: written now by h5py on CPython, the kept copy in Pyodide."""
    if h5py is None:
        return kept(setting)
    path = tmp_path / f"{setting}.h5"
    write(setting, path)
    raw = path.read_bytes()
    assert raw == kept(setting), f"tests/h5_files/{setting}.h5.gz is stale: run tests/h5_writer.py"
    return raw


def assert_course_arrays(arrays):
    for got, want in zip(arrays, expected(), strict=True):
        assert got.dtype == want.dtype or (got.dtype.kind == want.dtype.kind == "i")
        np.testing.assert_array_equal(got, want)


def test_every_setting_is_in_the_table():
    assert set(COURSE_READER) == set(SETTINGS)


@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_the_course_reader_reads_each_h5py_setting_exactly_or_says_why_not(setting, tmp_path):
    raw = h5py_file(setting, tmp_path)
    refusal = COURSE_READER[setting]
    if refusal is None:
        assert_course_arrays(data.load_h5_bytes(raw, raw, "a.h5", "a.h5"))
    else:
        with pytest.raises(H5Error) as error:
            data.load_h5_bytes(raw, raw, "a.h5", "a.h5")
        assert str(error.value).startswith("a.h5" + refusal), str(error.value)


@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_load_h5_dataset_reads_each_h5py_setting_with_the_same_checks(setting, tmp_path):
    path = tmp_path / "course.h5"
    path.write_bytes(h5py_file(setting, tmp_path))
    refusal = COURSE_READER[setting]
    if refusal is None or (h5py is not None and setting in H5PY_READS):
        assert_course_arrays(data.load_h5_dataset(path, path))
    else:
        with pytest.raises(H5Error) as error:
            data.load_h5_dataset(path, path)
        assert str(error.value).startswith(f"{path}{refusal}"), str(error.value)


def test_read_h5_gives_every_dataset_it_can_decode(tmp_path):
    arrays = data.read_h5(h5py_file("extra_groups", tmp_path))
    assert sorted(arrays) == ["list_classes", "test_set_x", "test_set_y", "train_set_x",
                              "train_set_y", "weights"]  # not the groups "notes"
    np.testing.assert_array_equal(arrays["weights"], np.linspace(0, 1, 10))
    f = H5File(h5py_file("extra_groups", tmp_path), "x.h5")
    with pytest.raises(H5Error, match=r"^x.h5 uses variable-length data \(such as h5py's str\)"):
        f.read("notes/comment")
    with pytest.raises(H5Error, match=r"^x.h5: 'notes' is not a dataset \(a group\?\)\.$"):
        f.read("notes")
    with pytest.raises(H5Error, match=r"^x.h5 has nothing at 'notes/absent'\.$"):
        f.read("notes/absent")
    assert data.read_h5(h5py_file("vlen_classes", tmp_path)).keys() == {
        "train_set_x", "train_set_y", "test_set_x", "test_set_y"}  # list_classes left out


def test_what_is_not_an_hdf5_file_is_explained(tmp_path):
    text, course = tmp_path / "notes.h5", tmp_path / "course.h5"
    text.write_bytes(b"just text")
    course.write_bytes(h5py_file("default", tmp_path))
    with pytest.raises(H5Error) as error:
        data.load_h5_dataset(text, course)
    assert str(error.value) == f"{text} is not an HDF5 file: it does not start with HDF5's signature."
    with pytest.raises(FileNotFoundError):
        data.load_h5_dataset(tmp_path / "absent.h5", course)


def test_without_h5py_load_h5_dataset_uses_the_course_reader(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "h5py", None)  # makes `import h5py` fail, installed or not
    path, lzf = tmp_path / "course.h5", tmp_path / "lzf.h5"
    path.write_bytes(kept("gzip"))
    lzf.write_bytes(kept("lzf"))
    assert_course_arrays(data.load_h5_dataset(path, path))
    with pytest.raises(H5Error) as error:
        data.load_h5_dataset(path, lzf)
    assert str(error.value).startswith(f"{lzf} uses the LZF filter (dataset 'test_set_x'), "
                                       + UNSUPPORTED)


def test_damaged_files_are_refused_by_both_readers(tmp_path):
    cut = tmp_path / "cut.h5"
    cut.write_bytes(kept("default")[:2000])
    with pytest.raises(H5Error, match=f"^{cut}"):
        data.load_h5_dataset(cut, cut)
    raw = bytearray(kept("gzip"))
    f = H5File(bytes(raw))
    layout = f.messages(f.find("train_set_x"))[0x8][0][0]
    chunk = next(iter(read_chunk_positions(f, layout)))
    raw[chunk + 10:chunk + 40] = bytes(30)  # inside the first compressed chunk
    damaged = tmp_path / "damaged.h5"
    damaged.write_bytes(bytes(raw))
    with pytest.raises(H5Error, match=f"^{damaged}"):
        data.load_h5_dataset(damaged, damaged)
    with pytest.raises(H5Error, match="^f.h5: a compressed chunk of 'train_set_x' does not decompress"):
        data.load_h5_bytes(bytes(raw), bytes(raw), "f.h5")


def read_chunk_positions(f, layout):
    """Where the chunks of a dataset indexed by a version 1 B-tree (layout version 3) are."""
    node = f.position(f.address(layout + 3))
    assert f.take(node, 4) == b"TREE" and f.u(node + 5, 1) == 0
    rank = f.u(layout + 2, 1)
    for k in range(f.u(node + 6, 2)):
        yield f.position(f.address(node + 8 + 2 * f.o + (k + 1) * (8 + 8 * rank) + k * f.o))


# ---- Damaged files: only H5Error, or a read, and never for long ----

FUZZED = ("default", "latest", "chunked", "shuffle", "fletcher32", "latest_chunked_gzip",
          "soft_links", "track_order")
SECONDS_PER_READ = 2.0  # a read takes milliseconds; this bounds a loop that would not end


def outcome(raw):
    """"refused", "read as written" or "read, other values" for a possibly damaged file."""
    start = time.perf_counter()
    try:
        arrays = data.load_h5_bytes(raw, raw, "f.h5", "f.h5")
    except H5Error as error:
        assert str(error).startswith("f.h5"), str(error)
        result = "refused"
    else:
        for array, shape in zip(arrays, ((3, 64, 64, 3), (1, 3), (2, 64, 64, 3), (1, 2), (2,))):
            assert array.shape == shape
        same = all(np.array_equal(a, b) for a, b in zip(arrays, expected()))
        result = "read as written" if same else "read, other values"
    assert time.perf_counter() - start < SECONDS_PER_READ
    return result


def corrupt(raw, rng):
    """One random damage: flipped bits, overwritten bytes, or a truncation."""
    kind = rng.choice(("bits", "bytes", "truncate"))
    if kind == "truncate":
        return raw[:rng.randrange(len(raw))], kind
    damaged = bytearray(raw)
    for _ in range(rng.randint(1, 8)):
        # Half the time in the first or last 2 KiB, where h5py puts most of the structure.
        at = rng.randrange(len(raw)) if rng.random() < 0.5 else rng.randrange(-2048, 2048) % len(raw)
        if kind == "bits":
            damaged[at] ^= 1 << rng.randrange(8)
        else:
            damaged[at:at + 8] = bytes(rng.randrange(256) for _ in range(8))[:len(raw) - at]
    return bytes(damaged), kind


def test_thousands_of_damaged_files_are_refused_or_read(capsys):
    rng = random.Random(20240611)
    counts = {}
    files = {setting: kept(setting) for setting in FUZZED}
    for i in range(3000):
        setting = FUZZED[i % len(FUZZED)]
        raw, kind = corrupt(files[setting], rng)
        key = (kind, outcome(raw))
        counts[key] = counts.get(key, 0) + 1
    with capsys.disabled():
        print("\nHDF5 fuzz, 3000 damaged files:",
              ", ".join(f"{kind} {result}: {n}" for (kind, result), n in sorted(counts.items())))
    assert sum(counts.values()) == 3000
    assert sum(n for (_, result), n in counts.items() if result == "refused") > 1000


def test_a_file_of_only_the_signature_is_refused():
    with pytest.raises(H5Error, match="^f.h5: the file ends too early; is it complete\\?$"):
        data.load_h5_bytes(b"\x89HDF\r\n\x1a\n", b"", "f.h5")


# derandomize: the same 300 overwrites on every run, on CPython and in Pyodide, so that a run of
# make test is reproducible; a new seed is a deliberate change of this line.
@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(setting=st.sampled_from(FUZZED), at=st.integers(0, 10**6), new=st.binary(min_size=1, max_size=16))
# Found by this test inside Pyodide: a shuffle filter whose element size is 2**31 bytes.
@example(setting="shuffle", at=69406, new=b"\x00\x00\x00\x00\x80")
def test_any_overwrite_of_any_file_is_refused_or_read(setting, at, new):
    raw = kept(setting)
    at %= len(raw)
    outcome(raw[:at] + new + raw[at + len(new):])


# ---- The reader, on files h5py wrote (kept in test_dashboard.py) and on precise damage ----


def test_read_h5_reads_what_h5py_wrote():
    arrays = data.read_h5(h5_file(VARIED_H5))
    wanted = {
        "floats": np.linspace(-1, 1, 20).reshape(4, 5),
        "f4be": np.linspace(0, 5, 6).astype(">f4"),  # big-endian, as stored
        "i2be": np.arange(-3, 3, dtype=">i2"),
        "scalar": np.array(3.5),
        "compact": np.array([7, 8, 9, 10], dtype=np.int32),  # stored inside its header
        **{f"many_{i:02}": np.arange(i + 1, dtype=np.int32) for i in range(20)},
    }
    assert arrays.keys() == wanted.keys()  # the group "group" is not a dataset
    for name, value in wanted.items():
        assert arrays[name].dtype == value.dtype and arrays[name].shape == value.shape, name
        np.testing.assert_array_equal(arrays[name], value)
    course = data.read_h5(h5_file(TRAIN_H5))
    np.testing.assert_array_equal(course["train_set_x"], course_pictures(4, 0))
    np.testing.assert_array_equal(course["train_set_y"], [1, 0, 0, 1])
    assert course["list_classes"].tolist() == [b"non-cat", b"cat"]
    for packed, shape in ((COMPRESSED_H5, (2, 4)), (CHUNKED_H5, (2, 4)), (LATEST_H5, (3,))):
        np.testing.assert_array_equal(data.read_h5(h5_file(packed))["train_set_x"], np.zeros(shape))


def patched(raw, at, new):
    """``raw`` with the bytes at ``at`` replaced by ``new``."""
    return raw[:at] + new + raw[at + len(new):]


# Where h5py put things in TRAIN_H5: the root group's B-tree, and train_set_x's object header
# with its dataspace, datatype and layout messages (checked by the first test below).
BTREE, X_HEADER, X_SPACE, X_LAYOUT, Y_TYPE = 136, 800, 824, 944, 50608
TRAIN = h5_file(TRAIN_H5)
X_TYPE, Y_SPACE = 904, 50576


def test_where_the_damage_goes():
    f = H5File(TRAIN)
    members = f.members(f.root)
    assert members["train_set_x"] == ("hard", X_HEADER)
    assert f.address(f.messages(f.root)[0x11][0][0]) == BTREE
    messages = f.messages(X_HEADER)
    assert (messages[0x1][0][0], messages[0x8][0][0]) == (X_SPACE, X_LAYOUT)
    assert messages[0x3][0][0] == X_TYPE
    y_messages = f.messages(members["train_set_y"][1])
    assert (y_messages[0x1][0][0], y_messages[0x3][0][0]) == (Y_SPACE, Y_TYPE)


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"just text", "notes.h5 is not an HDF5 file: it does not start with HDF5's signature."),
        (b"", "notes.h5 is not an HDF5 file: it does not start with HDF5's signature."),
        (TRAIN[:3000], "notes.h5: the file ends too early; is it complete?"),
        (TRAIN[:700], "notes.h5: the file ends too early; is it complete?"),
        (patched(TRAIN, 136, b"EERT"), "notes.h5: the HDF5 structure at byte 136 is damaged."),
        (patched(TRAIN, 13, b"\x03"), "notes.h5: its HDF5 superblock is damaged."),
        (patched(TRAIN, 8, b"\x04"), "notes.h5 uses superblock version 4, " + UNSUPPORTED),
        (patched(TRAIN, BTREE + 4, b"\x01"), "notes.h5: a group B-tree node has the wrong type."),
        (patched(TRAIN, X_HEADER, b"\x02"), "notes.h5: an object header at byte 800 is damaged."),
        (patched(TRAIN, X_HEADER, b"OHDR\x01"), "notes.h5: an object header at byte 800 is damaged."),
        (patched(TRAIN, X_SPACE, b"\x03"), "notes.h5 uses dataspace version 3, " + UNSUPPORTED),
        (patched(TRAIN, X_LAYOUT, b"\x02"),
         "notes.h5 uses data layout version 2 (dataset 'train_set_x'), " + UNSUPPORTED),
        (patched(TRAIN, X_LAYOUT + 2, b"\xff" * 8),
         "notes.h5: the dataset 'train_set_x' has no data written."),
        (patched(TRAIN, X_LAYOUT + 10, (10).to_bytes(8, "little")),
         "notes.h5: the data of 'train_set_x' are cut short; is the file complete?"),
        (patched(TRAIN, X_SPACE + 1, b"\x40"),
         "notes.h5: the dataset 'train_set_x' has 64 dimensions; is the file damaged?"),
        (patched(TRAIN, X_SPACE + 8, (10**6).to_bytes(8, "little")),
         "notes.h5: the dataset 'train_set_x' would take 12,288,000,000 bytes; is the file damaged?"),
        (patched(TRAIN, Y_TYPE, bytes([TRAIN[Y_TYPE] & 0xF0 | 6])),
         "notes.h5 uses compound records this reader does not know (dataset 'train_set_y'), "
         + UNSUPPORTED),
        (patched(TRAIN, X_SPACE + 8, (0).to_bytes(8, "little")),
         "notes.h5: train_set_x holds no pictures."),
        (patched(TRAIN, X_TYPE, bytes([TRAIN[X_TYPE] & 0xF0 | 3])),
         "notes.h5: train_set_x holds |S1 values; pixels must be whole numbers 0–255 (uint8)."),
        (patched(TRAIN, Y_TYPE, bytes([TRAIN[Y_TYPE] & 0xF0 | 3])),
         "notes.h5: train_set_y holds |S8 values; labels must be 0 and 1."),
        (patched(TRAIN, Y_SPACE + 8, (3).to_bytes(8, "little")),
         "notes.h5: train_set_y holds 3 labels of shape (3,) for the 4 pictures of train_set_x; "
         "it must be (4,)."),
        # The root group's header without its symbol table message.
        (patched(TRAIN, 112, b"\x00\x00"),
         "notes.h5: its root group cannot be found; is the file damaged?"),
    ],
)
def test_the_reader_explains_damage(raw, message):
    with pytest.raises(H5Error) as error:
        data.load_h5_bytes(raw, h5_file(TEST_H5), "notes.h5")
    assert str(error.value).startswith(message), str(error.value)


def test_the_reader_does_not_need_the_cached_tables_of_the_root_group():
    arrays = data.read_h5(patched(TRAIN, 72, b"\x00"))  # the root's entry, without its cache
    np.testing.assert_array_equal(arrays["train_set_x"], course_pictures(4, 0))


def test_a_loop_of_soft_links_is_refused(tmp_path):
    raw = h5py_file("soft_links", tmp_path)
    looped = raw.replace(b"/stored/train_set_x", b"/train_set_x\0\0\0\0\0\0\0")
    with pytest.raises(H5Error, match="^f.h5: its links around 'train_set_x' go round in circles"):
        data.load_h5_bytes(looped, looped, "f.h5")
