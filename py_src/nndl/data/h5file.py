"""HDF5 files read without h5py (which the browser lacks): :class:`H5File` and :class:`H5Error`.

The reader follows the "HDF5 File Format Specification Version 3.0" as far as files written by
h5py need it: superblocks of versions 0 to 3, object headers of versions 1 and 2, groups stored
with a symbol table (h5py's default) or with link messages (``libver="latest"``,
``track_order=True``), hard and soft links, datasets stored compact, contiguous or in chunks
(indexed by a version 1 B-tree, a single chunk, an implicit index or a fixed array), with the
filters deflate (gzip), shuffle and fletcher32, holding integers, floats or fixed-length
strings. Anything else raises :class:`H5Error` with a message that says what and suggests h5py.

Every read is checked against the file's size, every loop and every recursion is bounded, and
no array larger than :data:`MAX_BYTES` is made, so a damaged file raises :class:`H5Error`,
never another exception, and never runs for long. Reading is all it does.
"""

import numpy as np

from .h5chunks import MAX_BYTES, read_chunked

__all__ = ["H5Error", "H5File", "MAX_BYTES", "SIGNATURE"]

SIGNATURE = b"\x89HDF\r\n\x1a\n"

_MAX_DEPTH = 16  # B-tree levels, nested groups and links followed in one path
_MAX_RANK = 32
_FILTERS = {1: "deflate", 2: "shuffle", 3: "fletcher32", 4: "szip", 5: "nbit",
            6: "scale-offset", 32000: "LZF", 32001: "BLOSC", 32004: "LZ4", 32015: "Zstandard"}


class H5Error(ValueError):
    """The file is not HDF5, is damaged, or uses what the reader does not read; says which."""


class H5File:
    """An HDF5 file, from its bytes: ``keys()`` of its root group and ``read(key)`` of a dataset."""

    def __init__(self, raw, name="the file"):
        self.raw = bytes(raw)
        self.name = name
        self._work = 0
        self._limit = 10_000 + len(self.raw)  # steps of reading: a sound file needs far fewer
        start = self._find_superblock()
        version = self.u(start + 8, 1)
        if version in (0, 1):
            self.o, self.l = self.u(start + 13, 1), self.u(start + 14, 1)
            at = start + 24 + (4 if version == 1 else 0)
            sizes_at = at
        elif version in (2, 3):
            self.o, self.l = self.u(start + 9, 1), self.u(start + 10, 1)
            at = sizes_at = start + 12
        else:
            self.unsupported(f"superblock version {version}")
        if self.o not in (2, 4, 8) or self.l not in (2, 4, 8):
            raise H5Error(f"{name}: its HDF5 superblock is damaged.")
        self.undefined = (1 << (8 * self.o)) - 1
        self.base = self.address(sizes_at)
        # The end-of-file address: a file shorter than that was cut short, not otherwise damaged.
        self.complete = self.base + self.address(sizes_at + 2 * self.o) <= len(self.raw)
        if version in (0, 1):  # the root group's symbol table entry
            self.root = self.address(at + 4 * self.o + self.l)
        else:
            self.root = self.address(at + 3 * self.o)

    # ---- Bytes, bounds and messages ----

    def u(self, at, size):
        if at < 0 or at + size > len(self.raw):
            raise H5Error(f"{self.name}: the file ends too early; is it complete?")
        return int.from_bytes(self.raw[at:at + size], "little")

    def take(self, at, size):
        if at < 0 or size < 0 or at + size > len(self.raw):
            raise H5Error(f"{self.name}: the file ends too early; is it complete?")
        return self.raw[at:at + size]

    def address(self, at):
        return self.u(at, self.o)

    def length(self, at):
        return self.u(at, self.l)

    def position(self, address):
        """The position in the file of an address, checked to lie in the file."""
        if address == self.undefined or self.base + address >= len(self.raw):
            if not self.complete:
                raise H5Error(f"{self.name}: the file ends too early; is it complete?")
            self.damaged(f"an address ({address}) points outside the file")
        return self.base + address

    def step(self, count=1):
        self._work += count
        if self._work > self._limit:
            self.damaged("its structure loops or is far larger than the file")

    def signature(self, at, expected):
        if self.take(at, 4) != expected:
            raise H5Error(f"{self.name}: the HDF5 structure at byte {at} is damaged.")

    def damaged(self, what):
        raise H5Error(f"{self.name}: {what}; is the file damaged?")

    def unsupported(self, what):
        raise H5Error(
            f"{self.name} uses {what}, which the course's HDF5 reader does not read. Load the "
            f"files with h5py instead: nndl.data.load_h5_dataset(train_path, test_path) in "
            f"Jupyter or a local Python with h5py installed."
        )

    def _find_superblock(self):
        at = 0
        while at + 8 <= len(self.raw):  # at 0, 512, 1024, 2048, …
            if self.raw[at:at + 8] == SIGNATURE:
                return at
            at = 512 if at == 0 else 2 * at
        raise H5Error(f"{self.name} is not an HDF5 file: it does not start with HDF5's signature.")

    def messages(self, address):
        """{type: [(position, size), …]} of the object header at ``address`` (version 1 or 2)."""
        at = self.position(address)
        if self.take(at, 4) == b"OHDR":
            return self._messages_v2(at)
        if self.u(at, 1) != 1:
            raise H5Error(f"{self.name}: an object header at byte {at} is damaged.")
        count = self.u(at + 2, 2)
        blocks, seen, messages = [(at + 16, self.u(at + 8, 4))], {at + 16}, {}
        while blocks:
            start, size = blocks.pop(0)
            cursor, end = start, min(start + size, len(self.raw))
            while cursor + 8 <= end and count > 0:
                self.step()
                count -= 1
                kind, length, flags = self.u(cursor, 2), self.u(cursor + 2, 2), self.u(cursor + 4, 1)
                self._message(kind, cursor + 8, length, flags, blocks, seen, messages, None)
                cursor += 8 + length
        return messages

    def _messages_v2(self, at):
        if self.u(at + 4, 1) != 2:
            raise H5Error(f"{self.name}: an object header at byte {at} is damaged.")
        flags = self.u(at + 5, 1)
        cursor = at + 6 + (16 if flags & 0x20 else 0) + (4 if flags & 0x10 else 0)
        size_bytes = 1 << (flags & 3)
        first = (cursor + size_bytes, self.u(cursor, size_bytes))
        header = 6 if flags & 0x04 else 4  # type, size, flags, and the creation order if tracked
        blocks, seen, messages = [first], {first[0]}, {}
        while blocks:
            start, size = blocks.pop(0)
            cursor, end = start, min(start + size, len(self.raw))
            while cursor + header <= end:
                self.step()
                kind, length, mflags = self.u(cursor, 1), self.u(cursor + 1, 2), self.u(cursor + 3, 1)
                self._message(kind, cursor + header, length, mflags, blocks, seen, messages, b"OCHK")
                cursor += header + length
        return messages

    def _message(self, kind, data, length, flags, blocks, seen, messages, chunk_signature):
        if kind == 0x10:  # continuation: more messages elsewhere
            start, size = self.position(self.address(data)), self.length(data + self.o)
            if chunk_signature is not None:
                self.signature(start, chunk_signature)
                start, size = start + 4, size - 8  # after the signature, before the checksum
            if start not in seen:  # a continuation that points back would loop
                seen.add(start)
                blocks.append((start, size))
        elif flags & 0x02:  # a shared message: stored elsewhere in the file
            messages.setdefault(kind, []).append(None)
        else:
            messages.setdefault(kind, []).append((data, length))

    # ---- Groups and links ----

    def members(self, address):
        """{name: ("hard", address) or ("soft", path)} of the group at ``address``; None when the
        object there is not a group."""
        messages = self.messages(address)
        if 0x11 in messages and messages[0x11][0] is not None:
            at = messages[0x11][0][0]
            return self._symbol_table(self.address(at), self.address(at + self.o))
        if 0x02 not in messages and 0x06 not in messages:
            return None
        for info in messages.get(0x02, []):
            if info is not None:
                flags = self.u(info[0] + 1, 1)
                heap = self.address(info[0] + 2 + (8 if flags & 1 else 0))
                if heap != self.undefined:
                    self.unsupported("a group of many members stored in a fractal heap")
        links = {}
        for message in messages.get(0x06, []):
            if message is not None:
                name, link = self._link(*message)
                if link is not None:
                    links[name] = link
        return links

    def _link(self, at, size):
        """(name, link) of a link message; link None for a kind the reader ignores."""
        if self.u(at, 1) != 1:
            self.damaged(f"a link message at byte {at} has an unknown version")
        flags, p = self.u(at + 1, 1), at + 2
        kind = 0
        if flags & 0x08:
            kind, p = self.u(p, 1), p + 1
        p += (8 if flags & 0x04 else 0) + (1 if flags & 0x10 else 0)
        width = 1 << (flags & 3)
        length = self.u(p, width)
        name = self.take(p + width, length).decode("utf-8", "replace")
        p += width + length
        if kind == 0:
            return name, ("hard", self.address(p))
        if kind == 1:
            return name, ("soft", self.take(p + 2, self.u(p, 2)).decode("utf-8", "replace"))
        return name, None  # an external link, or another kind: not followed

    def _symbol_table(self, btree, heap):
        heap_at = self.position(heap)
        self.signature(heap_at, b"HEAP")
        heap_size = self.length(heap_at + 8)
        heap_data = self.position(self.address(heap_at + 8 + 2 * self.l))
        members = {}
        for _, node in self.btree(btree, 0, self.l):
            at = self.position(node)
            self.signature(at, b"SNOD")
            entry_size = 2 * self.o + 24
            for k in range(self.u(at + 6, 2)):
                self.step()
                entry = at + 8 + k * entry_size
                name = self._heap_string(heap_data, heap_size, self.length(entry))
                cache = self.u(entry + 2 * self.o, 4)
                if cache == 2:  # a soft link: its path is in the heap
                    offset = self.u(entry + 2 * self.o + 8, 4)
                    members[name] = ("soft", self._heap_string(heap_data, heap_size, offset))
                else:
                    members[name] = ("hard", self.address(entry + self.o))
        return members

    def _heap_string(self, start, size, offset):
        if offset >= size:
            self.damaged("a name lies outside its group's heap")
        text = self.take(start + offset, min(size - offset, len(self.raw) - start - offset))
        return text.split(b"\0")[0].decode("utf-8", "replace")

    def btree(self, address, node_type, key_size, depth=0, seen=None):
        """(key position, child address) of each entry of the leaves of the version 1 B-tree
        under the node at ``address``, in order: a group's (``node_type`` 0, whose children are
        symbol table nodes) or a chunked dataset's (1, whose children are chunks). Each key is
        ``key_size`` bytes."""
        seen = set() if seen is None else seen
        at = self.position(address)
        if depth > _MAX_DEPTH or at in seen:
            self.damaged(f"its {('group', 'chunk')[node_type]} B-tree loops")
        seen.add(at)
        self.signature(at, b"TREE")
        if self.u(at + 4, 1) != node_type:
            if node_type == 0:
                raise H5Error(f"{self.name}: a group B-tree node has the wrong type.")
            self.damaged("a chunk B-tree node has the wrong type")
        level, used = self.u(at + 5, 1), self.u(at + 6, 2)
        key = at + 8 + 2 * self.o  # after the node's siblings: key 0, child 0, key 1, …
        for _ in range(used):
            self.step()
            child = self.address(key + key_size)
            if level == 0:
                yield key, child
            else:
                yield from self.btree(child, node_type, key_size, depth + 1, seen)
            key += key_size + self.o

    def keys(self):
        """The names in the root group, in order."""
        members = self.members(self.root)
        if members is None:
            self.damaged("its root group cannot be found")
        return sorted(members)

    def find(self, path):
        """The object header address of ``path`` (names from the root, "/" between them),
        following soft links; H5Error if there is nothing there."""
        names, group, followed = [n for n in path.split("/") if n], self.root, 0
        while names:
            self.step()
            members = self.members(group)
            if members is None:
                self.damaged(f"{path!r} goes through something that is not a group")
            name = names.pop(0)
            if name not in members:
                raise H5Error(f"{self.name} has nothing at {path!r}.")
            kind, target = members[name]
            if kind == "hard":
                group = target
                continue
            followed += 1
            if followed > _MAX_DEPTH:
                self.damaged(f"its links around {path!r} go round in circles")
            names = [n for n in target.split("/") if n] + names
            if target.startswith("/"):  # else relative to the group that holds the link
                group = self.root
        return group

    # ---- Datasets ----

    def read(self, key):
        """The dataset at ``key`` (a name in the root group, or a path) as a NumPy array."""
        messages = self.messages(self.find(key))
        if not {0x1, 0x3, 0x8} <= messages.keys():
            raise H5Error(f"{self.name}: {key!r} is not a dataset (a group?).")
        if None in messages[0x1] + messages[0x3] + messages[0x8]:
            self.unsupported(f"a shared datatype or dataspace (dataset {key!r})")
        shape = self._dataspace(messages[0x1][0][0], key)
        dtype = self._datatype(messages[0x3][0][0], key)
        count = 1
        for n in shape:
            count *= n
        if count * dtype.itemsize > MAX_BYTES:
            self.damaged(f"the dataset {key!r} would take {count * dtype.itemsize:,} bytes")
        filters = self._filters(messages[0xB][0], key) if 0xB in messages else []
        if 0xB in messages and messages[0xB][0] is None:
            self.unsupported(f"a shared filter pipeline (dataset {key!r})")
        at = messages[0x8][0][0]
        version, layout = self.u(at, 1), self.u(at + 1, 1)
        if version not in (3, 4, 5):  # 5 (HDF5 2.0) is encoded as 4
            self.unsupported(f"data layout version {version} (dataset {key!r})")
        if layout == 2:
            return read_chunked(self, at, version, shape, dtype, filters, key)
        if layout == 0:  # compact: the data sit in the header
            start, stored = at + 4, self.u(at + 2, 2)
        elif layout == 1:  # contiguous
            address, stored = self.address(at + 2), self.length(at + 2 + self.o)
            if address == self.undefined:
                raise H5Error(f"{self.name}: the dataset {key!r} has no data written.")
            start = self.base + address
        else:
            self.unsupported(f"data layout class {layout} (dataset {key!r})")
        size = count * dtype.itemsize
        if stored < size or start + size > len(self.raw):
            raise H5Error(f"{self.name}: the data of {key!r} are cut short; is the file complete?")
        return np.frombuffer(self.raw, dtype, count, start).reshape(shape).copy()

    def _dataspace(self, at, key):
        version, rank = self.u(at, 1), self.u(at + 1, 1)
        if version == 1:
            dims = at + 8
        elif version == 2:
            kind, dims = self.u(at + 3, 1), at + 4
            if kind == 0:
                return ()
            if kind != 1:
                self.unsupported(f"an empty (null) dataspace (dataset {key!r})")
        else:
            self.unsupported(f"dataspace version {version}")
        if rank > _MAX_RANK:
            self.damaged(f"the dataset {key!r} has {rank} dimensions")
        return tuple(self.length(dims + i * self.l) for i in range(rank))

    def _datatype(self, at, key):
        kind, bits, size = self.u(at, 1) & 0x0F, self.u(at + 1, 1), self.u(at + 4, 4)
        order = ">" if bits & 1 else "<"
        if kind == 0 and size in (1, 2, 4, 8):  # integers
            return np.dtype(f"{order}{'i' if bits & 0x08 else 'u'}{size}")
        if kind == 1 and size in (2, 4, 8):  # floats (IEEE)
            return np.dtype(f"{order}f{size}")
        if kind == 3 and 0 < size <= 1 << 16:  # fixed-length strings
            return np.dtype(f"S{size}")
        what = {3: "long strings", 6: "compound records", 8: "an enumeration",
                9: "variable-length data (such as h5py's str)"}.get(kind, "a kind of number")
        self.unsupported(f"{what} this reader does not know (dataset {key!r})")

    def _filters(self, message, key):
        """[(filter id, [values])] of a filter pipeline message, checked to be ones we read."""
        if message is None:
            return []
        at = message[0]
        version, count = self.u(at, 1), self.u(at + 1, 1)
        if version not in (1, 2) or count > 32:
            self.damaged(f"the filters of {key!r} are unreadable")
        p, filters = at + (8 if version == 1 else 2), []
        for _ in range(count):
            ident = self.u(p, 2)
            named = version == 1 or ident >= 256
            name_length = self.u(p + 2, 2) if named else 0
            p += 4 if named else 2
            values = self.u(p + 2, 2)
            p += 4 + name_length
            filters.append((ident, [self.u(p + 4 * i, 4) for i in range(values)]))
            p += 4 * values + (4 if version == 1 and values % 2 else 0)
            if ident not in (1, 2, 3):
                what = _FILTERS.get(ident, f"number {ident}")
                self.unsupported(f"the {what} filter (dataset {key!r})")
        return filters

