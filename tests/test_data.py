"""Tests for nndl.data: the generated cat / non-cat images, the planar datasets and the helpers
that turn pictures into model inputs (the HDF5 readers: test_h5.py)."""

import hashlib

import numpy as np
import pytest

from nndl import data, deep, logistic, shallow
from nndl.data import sample_images

# sha256 of train_x, train_y, test_x, test_y's bytes, in that order. The same test runs inside
# Pyodide: equal hashes mean the browser draws exactly the pictures CPython draws.
SAMPLE_IMAGES_SHA256 = "6a4c5543ff511da1f46bda2565adf596af504aab8db02aee133b39bfa3ef9575"


@pytest.fixture(scope="module")
def sample():
    return data.load_sample_images()


# ------------------------------------------------------------------------------ sample images


def test_sample_images_have_the_course_shapes_and_types(sample):
    train_x, train_y, test_x, test_y, classes = sample
    assert train_x.shape == (209, 64, 64, 3) and train_x.dtype == np.uint8
    assert test_x.shape == (50, 64, 64, 3) and test_x.dtype == np.uint8
    assert train_y.shape == (1, 209) and test_y.shape == (1, 50)
    assert np.issubdtype(train_y.dtype, np.integer) and np.issubdtype(test_y.dtype, np.integer)
    assert classes.tolist() == [b"non-cat", b"cat"]
    assert classes[train_y[0, np.argmax(train_y)]] == b"cat"


def test_sample_images_keep_the_course_class_balance(sample):
    train_x, train_y, test_x, test_y, _ = sample
    assert set(np.unique(train_y)) == {0, 1} and set(np.unique(test_y)) == {0, 1}
    assert int(train_y.sum()) == 72  # 72 cats, 137 non-cats
    assert int(test_y.sum()) == 33  # 33 cats, 17 non-cats
    # shuffled, not sorted by class
    assert 0 < train_y[0, :72].sum() < 72 and np.count_nonzero(np.diff(train_y[0])) > 40


def test_sample_images_are_pinned_to_the_same_bytes_everywhere(sample, monkeypatch):
    monkeypatch.setattr(sample_images, "_SAMPLE_IMAGES", None)  # draw them again, from scratch
    again = data.load_sample_images()
    for first, second in zip(sample, again):
        np.testing.assert_array_equal(first, second)
    digest = hashlib.sha256()
    for array in again[:4]:
        digest.update(np.ascontiguousarray(array).tobytes())
    assert digest.hexdigest() == SAMPLE_IMAGES_SHA256


def test_sample_images_are_copies_the_caller_may_change():
    train_x, train_y, *_ = data.load_sample_images()
    train_x[...] = 0
    train_y[...] = 7
    fresh_x, fresh_y, *_ = data.load_sample_images()
    assert fresh_x.max() > 0 and set(np.unique(fresh_y)) == {0, 1}


def test_sample_images_are_varied_pictures(sample):
    train_x, train_y, test_x, _, _ = sample
    images = np.concatenate([train_x, test_x]).astype(np.int64)
    flat = images.reshape(len(images), -1)
    assert len(np.unique(flat, axis=0)) == len(images)  # no two pictures alike
    assert flat.std(axis=1).min() > 15  # none is a flat colour
    # plenty of colour and brightness in each class, and sizeable differences between pictures
    for label in (0, 1):
        group = train_x[train_y[0] == label].astype(float)
        assert group.reshape(len(group), -1).mean(axis=1).std() > 25
        assert np.abs(group[1:] - group[:-1]).mean() > 40
    # a picture is not just noise: neighbouring pixels are alike far more often than not
    assert np.abs(np.diff(images, axis=2)).mean() < 0.25 * np.abs(images[1:] - images[:-1]).mean()


def test_no_colour_gives_the_cats_away(sample):
    train_x, train_y, *_ = sample
    cats = train_x[train_y[0] == 1].astype(float)
    others = train_x[train_y[0] == 0].astype(float)
    # the average colour of cat and non-cat pictures is nearly the same in every channel
    assert np.abs(cats.mean(axis=(0, 1, 2)) - others.mean(axis=(0, 1, 2))).max() < 12


@pytest.fixture(scope="module")
def course_models(sample):
    """Both models of the course, trained once with the course's hyperparameters."""
    train_x, train_y, test_x, test_y, _ = sample
    X_train, X_test = data.flatten_images(train_x), data.flatten_images(test_x)
    d = logistic.model(X_train, train_y, X_test, test_y, num_iterations=2000, learning_rate=0.005)
    parameters, history = deep.train(
        X_train, train_y, [12288, 20, 7, 5, 1], learning_rate=0.0075, num_iterations=2500,
        hidden_activation="relu", init="scaled", seed=1,
    )
    deep_train = 100 * float(np.mean(deep.predict(X_train, parameters) == train_y))
    deep_test = 100 * float(np.mean(deep.predict(X_test, parameters) == test_y))
    return d, history, deep_train, deep_test


@pytest.mark.slow
def test_the_deep_network_beats_logistic_regression_on_the_test_set(course_models):
    d, history, deep_train, deep_test = course_models
    # logistic regression learns the training set by heart but generalizes poorly
    assert d["train_accuracy"] >= 95
    assert d["test_accuracy"] < 100
    # the 4-layer network does clearly better on pictures it has never seen
    assert deep_train >= 95
    assert deep_test >= d["test_accuracy"] + 6
    # and its training behaves: the cost falls steadily, without diverging
    costs = np.array(history.costs)
    assert not history.diverged and len(costs) == 2500
    assert costs[-1] < 0.1 * costs[0]
    assert np.all(np.diff(costs[::100]) < 0)


# --------------------------------------------------------------------------- planar datasets


def _linear_accuracy(X, Y):
    """Training accuracy of logistic regression, the best a straight boundary does here."""
    d = logistic.model(X, Y, X, Y, num_iterations=3000, learning_rate=0.5)
    return d["train_accuracy"]


def _shallow_accuracy(X, Y, num_iterations):
    parameters, history = shallow.train(
        X, Y, n_h=4, learning_rate=1.2, num_iterations=num_iterations, activation="tanh"
    )
    assert not history.diverged
    return 100 * float(np.mean(shallow.predict(X, parameters) == Y))


def test_planar_flower_has_two_balanced_classes():
    X, Y = data.load_planar_dataset()
    assert X.shape == (2, 400) and Y.shape == (1, 400)
    assert X.dtype == np.float64 and np.issubdtype(Y.dtype, np.integer)
    assert int(Y.sum()) == 200 and set(np.unique(Y)) == {0, 1}
    assert 3.0 < np.abs(X).max() < 5.5  # petals of length about 4
    X_odd, Y_odd = data.load_planar_dataset(m=401, seed=1)
    assert X_odd.shape == (2, 401) and int(Y_odd.sum()) == 201


def test_planar_flower_is_seeded_without_global_state():
    np.random.seed(0)
    before = np.random.random()
    X1, Y1 = data.load_planar_dataset(seed=1)
    np.random.seed(0)
    assert np.random.random() == before  # the global generator was left alone
    X2, Y2 = data.load_planar_dataset(seed=1)
    X3, _ = data.load_planar_dataset(seed=2)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)
    assert not np.allclose(X1, X3)


@pytest.mark.slow
def test_planar_flower_defeats_a_line_but_not_one_hidden_layer():
    X, Y = data.load_planar_dataset()
    assert _linear_accuracy(X, Y) < 60
    assert _shallow_accuracy(X, Y, 3000) > 85


def test_xor_dataset_labels_opposite_quadrants():
    X, Y = data.load_xor_dataset(m=300, noise=0.0, seed=4)
    assert X.shape == (2, 300) and Y.shape == (1, 300)
    np.testing.assert_array_equal(Y[0], (X[0] * X[1] < 0).astype(int))
    assert np.abs(X).max() <= 1.0
    noisy, Y_noisy = data.load_xor_dataset(m=300, noise=0.1, seed=4)
    np.testing.assert_array_equal(Y_noisy, Y)  # same points and labels, then blurred
    assert 0 < np.abs(noisy - X).max() < 1.0


@pytest.mark.slow
def test_xor_dataset_defeats_a_line_but_not_one_hidden_layer():
    X, Y = data.load_xor_dataset()
    assert _linear_accuracy(X, Y) < 65
    assert _shallow_accuracy(X, Y, 3000) > 90


@pytest.mark.parametrize("load", [data.load_planar_dataset, data.load_xor_dataset])
@pytest.mark.parametrize("m", [1, 0, 2.5, "400", True])
def test_planar_datasets_refuse_a_bad_number_of_examples(load, m):
    with pytest.raises(ValueError, match="m, the number of examples"):
        load(m=m)


def test_xor_dataset_refuses_negative_noise():
    with pytest.raises(ValueError, match="noise must be 0 or more"):
        data.load_xor_dataset(noise=-0.1)


# ---------------------------------------------------------------------------- flatten_images


def test_flatten_images_is_the_course_reshape_over_255():
    images = np.random.default_rng(5).integers(0, 256, (7, 64, 64, 3), dtype=np.uint8)
    X = data.flatten_images(images)
    assert X.shape == (12288, 7) and X.dtype == np.float64
    np.testing.assert_allclose(X, images.reshape(7, -1).T / 255)
    np.testing.assert_allclose(X[:, 3], images[3].reshape(-1) / 255)
    assert data.flatten_images(images[:, :8, :8]).shape == (192, 7)  # any num_px


@pytest.mark.parametrize(
    "shape, hint",
    [
        ((64, 64, 3), r"one image; pass images\[np.newaxis\]"),
        ((5, 64, 64, 4), "4 channels, the models expect 3"),
        ((5, 64, 64, 1), "1 channels, the models expect 3"),
        ((12288, 5), "already 2-D"),
        ((0, 64, 64, 3), r"needs \(m, num_px, num_px, 3\)"),
        ((5, 64, 64), r"needs \(m, num_px, num_px, 3\)"),
    ],
)
def test_flatten_images_explains_wrong_shapes(shape, hint):
    with pytest.raises(ValueError, match=r"images has shape .* " + hint):
        data.flatten_images(np.zeros(shape, dtype=np.uint8))


def test_flatten_images_refuses_non_numbers():
    with pytest.raises(ValueError, match="pixel values must be numbers"):
        data.flatten_images(np.full((2, 4, 4, 3), "x"))


# ---------------------------------------------------------------------------- image_to_input


def test_image_to_input_of_a_course_image_is_its_column(sample):
    train_x = sample[0]
    x = data.image_to_input(train_x[5])
    assert x.shape == (12288, 1) and x.dtype == np.float64
    np.testing.assert_allclose(x, data.flatten_images(train_x[5:6]), rtol=0, atol=1e-12)
    np.testing.assert_allclose(data.image_to_input(train_x[5] / 255.0), x, rtol=0, atol=1e-12)


def test_image_to_input_composites_alpha_on_white():
    rgba = np.zeros((64, 64, 4), dtype=np.uint8)
    rgba[..., 0] = 255  # red
    rgba[:32, :, 3] = 255  # top half opaque, bottom half transparent
    picture = data.image_to_input(rgba).reshape(64, 64, 3)
    np.testing.assert_allclose(picture[:32], np.broadcast_to([1.0, 0.0, 0.0], (32, 64, 3)))
    np.testing.assert_allclose(picture[32:], 1.0)  # transparent shows white
    half = rgba.copy()
    half[..., 3] = 51  # 20 % opaque red on white
    np.testing.assert_allclose(data.image_to_input(half).reshape(64, 64, 3)[0, 0], [1.0, 0.8, 0.8])


@pytest.mark.parametrize("shape", [(64, 64), (64, 64, 1)])
def test_image_to_input_copies_grey_into_three_channels(shape):
    grey = np.random.default_rng(6).integers(0, 256, shape, dtype=np.uint8)
    picture = data.image_to_input(grey).reshape(64, 64, 3)
    for channel in range(3):
        np.testing.assert_allclose(picture[..., channel], grey.reshape(64, 64) / 255)


def test_image_to_input_shrinks_by_averaging_areas():
    blocks = np.random.default_rng(7).random((64, 64, 3))
    big = blocks.repeat(3, axis=0).repeat(3, axis=1)  # 192 × 192, each pixel a 3 × 3 block
    np.testing.assert_allclose(data.image_to_input(big), blocks.reshape(-1, 1), atol=1e-12)
    fine = np.random.default_rng(8).random((128, 128, 3))
    means = fine.reshape(64, 2, 64, 2, 3).mean(axis=(1, 3))
    np.testing.assert_allclose(data.image_to_input(fine), means.reshape(-1, 1), atol=1e-12)
    # sizes that do not divide 64: each output pixel is still an average, so flat stays flat
    flat = np.full((100, 150, 3), 0.3)
    np.testing.assert_allclose(data.image_to_input(flat), 0.3)


def test_image_to_input_enlarges_smoothly():
    ramp = np.tile(np.linspace(0.0, 1.0, 16), (16, 1))  # grey, dark on the left, light on the right
    picture = data.image_to_input(ramp).reshape(64, 64, 3)[..., 0]
    assert np.all(np.diff(picture, axis=1) >= 0) and np.all(np.diff(picture, axis=1) < 0.03)
    np.testing.assert_allclose(picture, np.broadcast_to(picture[0], (64, 64)))  # rows alike
    assert picture[0, 0] == 0.0 and picture[0, -1] == 1.0
    dot = data.image_to_input(np.array([[[255, 128, 0]]], dtype=np.uint8)).reshape(64, 64, 3)
    np.testing.assert_allclose(dot, np.broadcast_to([1.0, 128 / 255, 0.0], (64, 64, 3)))


def test_image_to_input_accepts_other_integer_and_boolean_images():
    rng = np.random.default_rng(9)
    as_int = rng.integers(0, 256, (32, 48, 3))  # int64, as from some image libraries
    np.testing.assert_allclose(
        data.image_to_input(as_int), data.image_to_input(as_int.astype(np.uint8)), atol=1e-12
    )
    mask = np.zeros((64, 64), dtype=bool)
    mask[:, 32:] = True
    picture = data.image_to_input(mask).reshape(64, 64, 3)
    assert picture[:, :32].max() == 0.0 and picture[:, 32:].min() == 1.0


@pytest.mark.parametrize(
    "image, message",
    [
        (np.zeros(12288), r"image has shape \(12288,\); an image is \(height, width\)"),
        (np.zeros((2, 64, 64, 3)), "for a batch of images use flatten_images"),
        (np.zeros((64, 64, 2)), "2 channels, but an image has 1 .grey., 3 .RGB. or 4 .RGBA."),
        (np.zeros((64, 64, 5)), "5 channels"),
        (np.zeros((3, 64, 64)), r"channels-first\? try np.moveaxis"),
        (np.zeros((0, 64, 3)), "it has no pixels"),
        (np.full((8, 8, 3), np.nan), "NaN or infinite"),
        (np.full((8, 8, 3), np.inf), "NaN or infinite"),
        (np.full((8, 8, 3), 200.0), r"values in \[0, 1\].*from 200 to 200 .it looks like 0–255"),
        (np.full((8, 8, 3), -0.5), r"values in \[0, 1\], but this one ranges from -0.5 to -0.5$"),
        (np.full((8, 8, 3), 300), "integer image must hold values 0–255.*from 300 to 300"),
        (np.full((8, 8, 3), "red"), "an image is an array of numbers"),
        (np.array([[None]]), "an image is an array of numbers"),
    ],
)
def test_image_to_input_refuses_what_is_not_an_image(image, message):
    with pytest.raises(ValueError, match=message):
        data.image_to_input(image)
