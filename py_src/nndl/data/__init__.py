r"""Datasets of the course, and helpers that turn pictures into the models' input.

- :func:`load_sample_images`: the cat / non-cat pictures of the image lessons, 64×64 RGB, split
  like the course's (209 training, 50 test). They are **generated** (:mod:`.sample_images`, drawn
  with :mod:`.painting`) and are the same bytes on every machine.
- :func:`load_h5_dataset`: the course's own HDF5 files, for learners who have them; with h5py
  when it is installed, else with the course's own reader, :func:`read_h5` (:mod:`.h5`), which
  also works in the browser.
- :func:`load_planar_dataset` (the "flower") and :func:`load_xor_dataset`: points in the plane
  for the shallow-network lesson, where logistic regression fails and one hidden layer succeeds
  (:mod:`.planar`).
- :func:`flatten_images`: ``(m, 64, 64, 3)`` pixels → ``X`` of shape ``(12288, m)``, over 255.
- :func:`image_to_input`: any picture (RGB, RGBA or grey, any size) → the ``(12288, 1)`` column
  that a model trained on the sample images accepts (:mod:`.images`).

Examples are columns, as everywhere in the course: ``X`` is ``(n_x, m)`` and ``Y`` is ``(1, m)``.
"""

from .h5 import H5Error, load_h5_bytes, load_h5_dataset, read_h5
from .images import N_X, NUM_PX, flatten_images, image_to_input
from .planar import load_planar_dataset, load_xor_dataset
from .sample_images import load_sample_images

__all__ = [
    "NUM_PX",
    "N_X",
    "H5Error",
    "load_sample_images",
    "load_h5_dataset",
    "load_h5_bytes",
    "read_h5",
    "load_planar_dataset",
    "load_xor_dataset",
    "flatten_images",
    "image_to_input",
]
