"""Chunked HDF5 datasets, for :class:`nndl.data.h5file.H5File`: where the chunks are (a version 1
B-tree, a single chunk, an implicit index or a fixed array) and how they were filtered
(deflate, shuffle, fletcher32). Every size is checked before anything is allocated."""

import zlib

import numpy as np

__all__ = ["MAX_BYTES", "read_chunked"]

MAX_BYTES = 1 << 28
"""The largest dataset or chunk read, in bytes (256 MiB): the browser's memory is limited."""


def read_chunked(f, at, version, shape, dtype, filters, key):
    """The dataset ``key`` of the file ``f`` whose data layout message (version 3 or 4, class
    chunked) is at ``at``: an array of ``shape`` and ``dtype``, unwritten chunks left 0."""
    if version == 3:
        ndims = f.u(at + 2, 1)
        dims = [f.u(at + 3 + f.o + 4 * i, 4) for i in range(ndims)]
        index, flags, p = 0, 0, at + 3
    else:
        flags, ndims, width = f.u(at + 2, 1), f.u(at + 3, 1), f.u(at + 4, 1)
        if not 1 <= width <= 8:
            f.damaged(f"the chunks of {key!r} are unreadable")
        dims = [f.u(at + 5 + width * i, width) for i in range(ndims)]
        p = at + 5 + width * ndims
        index, p = f.u(p, 1), p + 1
    if ndims != len(shape) + 1 or 0 in dims[:-1]:
        f.damaged(f"the chunks of {key!r} do not match its shape")
    chunk = tuple(dims[:-1])
    chunk_bytes = dtype.itemsize
    for n in chunk:
        chunk_bytes *= n
    grid = tuple(-(-s // c) for s, c in zip(shape, chunk))
    n_chunks = 1
    for n in grid:
        n_chunks *= n
    if chunk_bytes > MAX_BYTES or n_chunks > len(f.raw) + 1:
        f.damaged(f"the chunks of {key!r} are far larger than the file")
    if index == 0:
        chunks = _btree(f, f.address(p), ndims)
    elif index == 1:
        chunks = _single(f, p, flags, chunk_bytes, len(shape))
    elif index == 2:
        if filters:
            f.damaged(f"the chunks of {key!r} are filtered but indexed as if they were not")
        start = f.position(f.address(p))
        chunks = ((_corner(i, grid, chunk), start + i * chunk_bytes, chunk_bytes, 0)
                  for i in range(n_chunks))
    elif index == 3:
        chunks = _fixed_array(f, f.address(p + 1), n_chunks, grid, chunk, chunk_bytes, key)
    else:
        f.unsupported(f"a chunk index of type {index}, for a dataset that can grow "
                      f"(dataset {key!r})")
    out = np.zeros(shape, dtype)
    for corner, position, size, mask in chunks:
        f.step()
        if any(o % c or o >= s for o, c, s in zip(corner, chunk, shape)):
            f.damaged(f"a chunk of {key!r} lies outside the dataset")
        raw = _decode(f, f.take(position, size), filters, mask, chunk_bytes, dtype.itemsize, key)
        piece = np.frombuffer(raw, dtype).reshape(chunk)
        inside = tuple(slice(0, min(c, s - o)) for o, c, s in zip(corner, chunk, shape))
        out[tuple(slice(o, o + c) for o, c in zip(corner, chunk))] = piece[inside]
    return out


def _corner(i, grid, chunk):
    """The offsets of the i-th chunk, in row-major order."""
    corner = []
    for g, c in zip(reversed(grid), reversed(chunk)):
        i, r = divmod(i, g)
        corner.append(r * c)
    return tuple(reversed(corner))


def _btree(f, address, ndims):
    """(corner, position, stored size, filter mask) of the chunks under a B-tree node."""
    for key, child in f.btree(address, 1, 8 + 8 * ndims):
        size, mask = f.u(key, 4), f.u(key + 4, 4)
        corner = tuple(f.u(key + 8 + 8 * i, 8) for i in range(ndims - 1))
        yield corner, f.position(child), size, mask


def _single(f, p, flags, chunk_bytes, rank):
    size, mask = chunk_bytes, 0
    if flags & 0x02:  # a filtered single chunk: its stored size and filter mask
        size, mask, p = f.length(p), f.u(p + f.l, 4), p + f.l + 4
    yield (0,) * rank, f.position(f.address(p)), size, mask


def _fixed_array(f, address, n_chunks, grid, chunk, chunk_bytes, key):
    at = f.position(address)
    f.signature(at, b"FAHD")
    client, size, page_bits = f.u(at + 5, 1), f.u(at + 6, 1), f.u(at + 7, 1)
    count, block = f.length(at + 8), f.position(f.address(at + 8 + f.l))
    if count != n_chunks or client not in (0, 1) or size < f.o + (5 if client else 0) \
            or size > f.o + 12:
        f.damaged(f"the chunk index of {key!r} does not match its shape")
    f.signature(block, b"FADB")
    page, first = 1 << page_bits, block + 6 + f.o
    if count > page:  # paged: a bitmap of the pages written, then pages with their checksums
        pages = -(-count // page)
        bitmap, first = f.take(first, -(-pages // 8)), first + -(-pages // 8) + 4
    for i in range(count):
        f.step()
        e = first + i * size
        if count > page:
            if not bitmap[i // page // 8] & (0x80 >> (i // page % 8)):
                continue  # a page never written
            e += (i // page) * 4  # the checksums of the pages before
        chunk_address = f.address(e)
        if chunk_address == f.undefined:
            continue  # never written: left 0, h5py's fill value
        stored, mask = chunk_bytes, 0
        if client == 1:
            stored, mask = f.u(e + f.o, size - f.o - 4), f.u(e + size - 4, 4)
        yield _corner(i, grid, chunk), f.position(chunk_address), stored, mask


def _decode(f, data, filters, mask, chunk_bytes, itemsize, key):
    """A chunk's bytes as stored -> its bytes as written, undoing the filters in reverse order."""
    for i in reversed(range(len(filters))):
        if mask >> i & 1:  # this filter was skipped for this chunk
            continue
        ident, values = filters[i]
        if ident == 3:
            data = _fletcher32(f, data, key)
        elif ident == 1:
            try:
                data = zlib.decompressobj().decompress(data, chunk_bytes + 1)
            except zlib.error:
                f.damaged(f"a compressed chunk of {key!r} does not decompress")
        else:
            size = values[0] if values and values[0] > 0 else itemsize
            if size > chunk_bytes:
                f.damaged(f"the shuffle filter of {key!r} has elements larger than its chunks")
            n = len(data) // size
            body = np.frombuffer(data, np.uint8, n * size).reshape(size, n).T.tobytes()
            data = body + data[n * size:]
    if len(data) != chunk_bytes:
        f.damaged(f"a chunk of {key!r} has {len(data)} bytes instead of {chunk_bytes}")
    return data


def _fletcher32(f, data, key):
    """The chunk without its checksum, once the checksum is checked (HDF5's Fletcher-32)."""
    if len(data) < 4:
        f.damaged(f"a chunk of {key!r} is too short for its checksum")
    body, stored = data[:-4], data[-4:]
    words = np.frombuffer(body + b"\0" * (len(body) % 2), ">u2").astype(np.int64)
    sum1 = sum2 = 0
    for start in range(0, len(words), 1 << 16):
        block = words[start:start + (1 << 16)]
        weights = np.arange(len(block), 0, -1, dtype=np.int64)
        sum2 = (sum2 + sum1 * len(block) + int((block * weights).sum())) % 65535
        sum1 = (sum1 + int(block.sum())) % 65535
    for value in (int.from_bytes(stored, "little"), int.from_bytes(stored, "big")):
        if (value & 0xFFFF) % 65535 == sum1 and (value >> 16) % 65535 == sum2:
            return body
    f.damaged(f"a chunk of {key!r} fails its checksum")
