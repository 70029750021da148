"""Tests for nndl.shapes: shape errors explained in the course's notation (syllabus §5, §11)."""

import numpy as np
import pytest
from nndl.shapes import as_matrix, check_shape

RANK_1 = (
    "is a rank-1 array: shape ({n},) is neither a column nor a row, and NumPy broadcasts it in "
    "surprising ways. Give it an explicit 2-D shape, e.g. {name}.reshape{target}"
)


def message_of(call):
    with pytest.raises(ValueError) as error:
        call()
    return str(error.value)


def test_the_example_of_the_docstring():
    W2 = np.zeros((1, 5))
    message = message_of(lambda: check_shape("W2", W2, (1, 4), ("n[2]", "n[1]"), "layer 2"))
    assert message == "W2 has shape (1, 5) but layer 2 needs (n[2], n[1]) = (1, 4)"


@pytest.mark.parametrize(
    "shape, expected",
    [
        ((4, 3), (4, 3)),
        ((4, 1), (4, 1)),
        ((1, 7), (1, None)),
        ((3, 9), (None, None)),
        ((2, 3, 4), (2, 3, 4)),
    ],
)
def test_matching_shapes_pass(shape, expected):
    symbols = tuple(f"s{i}" for i in range(len(expected)))
    assert check_shape("A", np.zeros(shape), expected, symbols, "somewhere") is None


def test_the_worked_example_of_dimensions():
    """Syllabus §11: n = [2, 3, 5, 4, 2, 1] and W[l] is (n[l], n[l−1]): every W passes, a
    swapped one fails."""
    n = [2, 3, 5, 4, 2, 1]
    for l in range(1, 6):
        W = np.zeros((n[l], n[l - 1]))
        check_shape(f"W{l}", W, (n[l], n[l - 1]), (f"n[{l}]", f"n[{l - 1}]"), f"layer {l}")
    message = message_of(
        lambda: check_shape("W3", np.zeros((5, 4)), (4, 5), ("n[3]", "n[2]"), "layer 3")
    )
    assert message == "W3 has shape (5, 4) but layer 3 needs (n[3], n[2]) = (4, 5)"


def test_free_sizes_are_shown_by_their_symbol():
    message = message_of(
        lambda: check_shape("X", np.zeros((2, 7)), (3, None), ("n[0]", "m"), "the network")
    )
    assert message == "X has shape (2, 7) but the network needs (n[0], m) = (3, m)"


def test_a_purely_symbolic_shape_is_not_repeated():
    message = message_of(
        lambda: check_shape("A", np.zeros((2, 7, 1)), (None, None), ("n", "m"), "this block")
    )
    assert message == "A has shape (2, 7, 1) but this block needs (n, m)"


@pytest.mark.parametrize(
    "name, n, expected, symbols, target",
    [
        ("b1", 4, (4, 1), ("n[1]", "1"), "(4, 1)"),  # a column
        ("w", 3, (3, 1), ("n_x", "1"), "(3, 1)"),
        ("Y", 5, (1, None), ("1", "m"), "(1, 5)"),  # a row
        ("W2", 4, (1, 4), ("n[2]", "n[1]"), "(1, 4)"),  # the output layer's weights: a row
        ("X", 6, (6, None), ("n_x", "m"), "(6, 1)"),  # one example: a column
    ],
)
def test_rank_1_explanation(name, n, expected, symbols, target):
    message = message_of(lambda: check_shape(name, np.zeros(n), expected, symbols, "the model"))
    assert message.startswith(f"{name} has shape ({n},) but the model needs (")
    assert message.endswith(". " + name + " " + RANK_1.format(n=n, name=name, target=target))


def test_a_rank_1_array_of_the_wrong_length_gets_no_reshape_that_would_fail_again():
    message = message_of(lambda: check_shape("w", np.zeros(4), (3, 1), ("n_x", "1"), "the model"))
    assert message == (
        "w has shape (4,) but the model needs (n_x, 1) = (3, 1). w is a rank-1 array: shape (4,) "
        "is neither a column nor a row, and NumPy broadcasts it in surprising ways. Give it an "
        "explicit 2-D shape; its 4 entries do not fit either way, so check where it was computed"
    )


def test_no_rank_1_explanation_for_a_full_matrix_or_a_3d_array():
    message = message_of(
        lambda: check_shape("W1", np.zeros(12), (4, 3), ("n[1]", "n[0]"), "layer 1")
    )
    assert message == "W1 has shape (12,) but layer 1 needs (n[1], n[0]) = (4, 3)"
    message = message_of(
        lambda: check_shape("b1", np.zeros((4, 1, 1)), (4, 1), ("n[1]", "1"), "layer 1")
    )
    assert "rank-1" not in message


def test_something_that_is_not_an_array():
    message = message_of(
        lambda: check_shape("W1", [[1.0, 2.0]], (1, 2), ("n[1]", "n[0]"), "layer 1")
    )
    assert message == (
        "W1 should be a NumPy array of shape (n[1], n[0]) = (1, 2), but it is a list; "
        "build it with np.array(...)"
    )


# ---- as_matrix ----


def test_as_matrix_returns_a_float_matrix():
    A = as_matrix("X", [[1, 2], [3, 4]], "the model")
    assert isinstance(A, np.ndarray) and A.dtype == np.float64 and A.shape == (2, 2)
    np.testing.assert_array_equal(A, [[1.0, 2.0], [3.0, 4.0]])


def test_as_matrix_keeps_a_float_matrix_as_it_is():
    X = np.ones((3, 2))
    assert as_matrix("X", X, "the model") is X


def test_as_matrix_explains_a_rank_1_array():
    message = message_of(lambda: as_matrix("X", np.zeros(5), "the model"))
    assert message == (
        "X has shape (5,) but the model needs a 2-D array. X is a rank-1 array: shape (5,) is "
        "neither a column nor a row. Reshape it explicitly, e.g. X.reshape(5, 1) for a column or "
        "X.reshape(1, 5) for a row"
    )


@pytest.mark.parametrize("shape", [(), (2, 3, 4)])
def test_as_matrix_refuses_other_ranks(shape):
    message = message_of(lambda: as_matrix("X", np.zeros(shape), "the model"))
    assert message == f"X has shape {shape} but the model needs a 2-D array (rows, columns)"
