"""Tests for nndl.exercises: the feedback the lessons' check cells give the reader."""

import numpy as np
import pytest
from nndl.activations import sigmoid
from nndl.exercises import Feedback, check_function, check_value
from nndl.logistic import propagate

GRAD_SHAPES = {"dw": ("n_x", "1")}


@pytest.fixture
def problem(rng):
    """A small logistic-regression problem: n_x = 3 features, m = 4 examples."""
    X = rng.standard_normal((3, 4))
    Y = np.array([[1.0, 0.0, 1.0, 0.0]])
    w = 0.1 * rng.standard_normal((3, 1))
    return w, 0.2, X, Y


def check_propagate(learner, problem):
    return check_function(
        "propagate", learner, propagate, *problem, returns=("grads", "cost"), shapes=GRAD_SHAPES
    )


def learner_propagate(change=None):
    """A correct vectorized propagate, with ``change(dw, db, cost)`` applied before returning."""

    def propagate_vectorized(w, b, X, Y):
        m = X.shape[1]
        A = 1 / (1 + np.exp(-(w.T @ X + b)))
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        dZ = A - Y
        dw = X @ dZ.T / m
        db = np.sum(dZ) / m
        if change is not None:
            return change(dw, db, cost)
        return {"dw": dw, "db": db}, cost

    return propagate_vectorized


# ---- Success ----


def test_success_names_every_checked_value_and_the_tolerance(problem):
    result = check_propagate(learner_propagate(), problem)
    assert result.passed and bool(result)
    assert str(result) == "Correct: dw, db and cost match the engine to 1e-7."
    assert repr(result) == str(result)


def test_success_of_a_single_function_on_several_inputs():
    cases = [(np.array([[-2.0, 0.0, 3.0]]),), (np.linspace(-5, 5, 11).reshape(11, 1),)]
    result = check_function("sigmoid", lambda z: 1 / (1 + np.exp(-z)), sigmoid, cases=cases)
    assert result.passed
    assert result.message == "Correct: sigmoid(...) matches the engine to 1e-7 on 2 test inputs."


def test_values_within_the_tolerance_pass_and_the_tolerance_is_shown():
    expected = np.array([[1.0, 2.0]])
    assert check_value("A", expected * (1 + 1e-9), expected).passed
    result = check_value("A", expected * (1 + 1e-6), expected, rtol=1e-5)
    assert result.message == "Correct: A matches the expected value to 1e-5."
    assert not check_value("A", expected * (1 + 1e-6), expected).passed


def test_feedback_is_false_when_not_passed():
    result = Feedback(False, "Not yet: x")
    assert not result and repr(result) == "Not yet: x"


# ---- The reader's function fails to run or returns nothing ----


def test_an_exception_is_reported_with_its_type_message_and_plain_words(problem):
    def propagate_vectorized(w, b, X, Y):
        return w + X.T  # (3, 1) + (4, 3): cannot broadcast

    result = check_propagate(propagate_vectorized, problem)
    assert not result.passed
    assert result.message.startswith(
        "Not yet: propagate(array of shape (3, 1), 0.2, array of shape (3, 4), array of shape "
        "(1, 4)) raised ValueError: operands could not be broadcast together"
    )
    assert "In plain words: two arrays have shapes that cannot be combined" in result.message
    assert "return w + X.T" in result.message  # the reader's line


def test_a_name_error_says_what_usually_causes_it():
    def flatten(images):
        return imagez.reshape(images.shape[0], -1).T  # noqa: F821 - the typo under test

    result = check_function("flatten", flatten, lambda images: images, np.zeros((2, 2)))
    assert "raised NameError: name 'imagez' is not defined" in result.message
    assert "a typo, or a cell above that has not been run yet?" in result.message


@pytest.mark.parametrize(
    "error, words",
    [
        (AttributeError("'list' object has no attribute 'T'"), "does not have the attribute"),
        (TypeError("unsupported operand type(s) for -: 'NoneType' and 'float'"), "a None took"),
        (TypeError("bad operand"), "wrong kind"),
        (IndexError("index 3 is out of bounds"), "Python counts from 0"),
        (KeyError("db"), "no entry with that key"),
        (ZeroDivisionError("division by zero"), "a division by zero"),
        (FloatingPointError("overflow encountered in exp"), "an overflow"),
        (ValueError("matmul: Input operand 1 has a mismatch"), "number of columns of A"),
        (RecursionError("maximum recursion depth exceeded"), "calls itself"),
    ],
)
def test_plain_words_for_common_exceptions(error, words):
    def broken(x):
        raise error

    result = check_function("f", broken, lambda x: x, 1.0)
    assert f"raised {type(error).__name__}" in result.message
    assert words in result.message


def test_an_unusual_exception_is_reported_without_plain_words():
    def broken(x):
        raise LookupError("nothing here")

    result = check_function("f", broken, lambda x: x, 1.0)
    assert "raised LookupError: nothing here" in result.message
    assert "In plain words" not in result.message


def test_a_function_returning_none_is_asked_about_return(problem):
    result = check_propagate(lambda w, b, X, Y: None, problem)
    assert result.message.startswith(
        "Not yet: your function propagate returned None. Did you forget `return`"
    )


def test_a_none_placeholder_inside_the_result_is_named(problem):
    result = check_propagate(learner_propagate(lambda dw, db, c: ({"dw": dw, "db": None}, c)),
                             problem)
    assert result.message == (
        "Not yet: db is None. Replace the placeholder None with your computation (and check "
        "that every function involved ends with a return)."
    )


def test_something_that_is_not_a_function():
    assert check_function("sigmoid", None, sigmoid, 0.0).message == (
        "Not yet: sigmoid is None; define it with def sigmoid(...):"
    )
    result = check_function("sigmoid", np.zeros(3), sigmoid, 0.0)
    assert result.message == (
        "Not yet: sigmoid should be a function, but it is a NumPy array of shape (3,)."
    )


# ---- Wrong types and wrong structures ----


def test_a_list_instead_of_an_array():
    result = check_value("X", [[1.0, 2.0]], np.array([[1.0, 2.0]]), shapes={"X": ("n_x", "m")})
    assert result.message == (
        "Not yet: X is a list of 1 values but should be a NumPy array of shape (n_x, m) = (1, 2); "
        "np.array(...) turns a list into an array."
    )


def test_a_number_instead_of_an_array_and_other_types():
    assert "X is a single number (3.0) but should be a NumPy array of shape (2, 1)." in str(
        check_value("X", 3.0, np.zeros((2, 1)))
    )
    assert "should be a NumPy array of shape (2, 1), but it is a str" in str(
        check_value("X", "pixels", np.zeros((2, 1)))
    )
    assert "holds values of type object (a None inside?)" in str(
        check_value("X", np.array([[1.0], [None]]), np.zeros((2, 1)))
    )
    assert "holds complex numbers" in str(check_value("X", np.zeros((2, 1)) + 1j, np.zeros((2, 1))))


def test_a_tuple_with_the_wrong_number_of_values(problem):
    result = check_propagate(learner_propagate(lambda dw, db, c: ({"dw": dw, "db": db},)), problem)
    assert result.message == (
        "Not yet: propagate(...) should be 2 values, (grads, cost), but it has 1."
    )
    result = check_propagate(learner_propagate(lambda dw, db, c: {"dw": dw, "db": db}), problem)
    assert result.message == (
        "Not yet: propagate(...) should be 2 values, (grads, cost), but it is a dictionary."
    )


def test_a_dictionary_without_db(problem):
    result = check_propagate(learner_propagate(lambda dw, db, c: ({"dw": dw}, c)), problem)
    assert result.message == (
        "Not yet: grads has no key 'db' (it has 'dw'). "
        "The engine's grads has exactly 'dw' and 'db'."
    )


def test_a_dictionary_with_a_misspelt_key_and_an_extra_key(problem):
    result = check_propagate(
        learner_propagate(lambda dw, db, c: ({"dW": dw, "db": db, "dz": 0}, c)), problem
    )
    assert result.message == (
        "Not yet: grads has the key 'dW' where 'dw' is expected (keys are case-sensitive); "
        "grads has the extra key 'dz'. The engine's grads has exactly 'dw' and 'db'."
    )


def test_an_empty_dictionary_and_not_a_dictionary():
    assert "grads has no key 'dw' (it is empty)" in str(check_value("grads", {}, {"dw": 1.0}))
    assert str(check_value("grads", (1.0,), {"dw": 1.0})) == (
        "Not yet: grads should be a dictionary with the keys 'dw', but it is a tuple of 1 values."
    )


# ---- Wrong shapes ----


def test_a_rank_1_gradient_is_explained_in_course_notation(problem):
    result = check_propagate(
        learner_propagate(lambda dw, db, c: ({"dw": dw.ravel(), "db": db}, c)), problem
    )
    assert result.message.startswith(
        "Not yet: dw has shape (3,) but should be (n_x, 1) = (3, 1). dw is a rank-1 array: "
        "shape (3,) is neither a column nor a row"
    )
    assert "dw.reshape(3, 1)" in result.message


def test_a_transposed_array():
    result = check_value("X", np.zeros((5, 2)), np.zeros((2, 5)), shapes={"X": ("n_x", "m")})
    assert result.message == (
        "Not yet: X has shape (5, 2) but should be (n_x, m) = (2, 5). Rows and columns are "
        "swapped: a transpose (.T) too many or too few?"
    )


def test_a_square_matrix_made_by_broadcasting_a_rank_1_array():
    A = np.zeros((1, 4))
    Y_rank_1 = np.zeros(4)
    dZ = A.T - Y_rank_1  # (4, 1) - (4,) broadcasts to (4, 4)
    result = check_value("dZ", dZ, np.zeros((1, 4)), shapes={"dZ": ("1", "m")})
    assert result.message.startswith("Not yet: dZ has shape (4, 4) but should be (1, m) = (1, 4).")
    assert "rank-1 (4,) array" in result.message


def test_right_number_of_entries_in_the_wrong_arrangement_and_a_plain_wrong_shape():
    result = check_value("X", np.zeros((3, 4)), np.zeros((2, 6)))
    assert result.message == (
        "Not yet: X has shape (3, 4) but should be (2, 6). It has the right number of entries, "
        "12, in the wrong arrangement."
    )
    assert check_value("X", np.zeros((3, 5)), np.zeros((2, 6))).message == (
        "Not yet: X has shape (3, 5) but should be (2, 6)."
    )


def test_a_number_that_is_an_array(problem):
    result = check_propagate(
        learner_propagate(lambda dw, db, c: ({"dw": dw, "db": np.array([[db]])}, c)), problem
    )
    assert result.message.startswith(
        "Not yet: db should be a single number, but it is an array of shape (1, 1)."
    )
    result = check_value("cost", np.ones((1, 4)), 0.5)
    assert result.message == (
        "Not yet: cost should be a single number, but it is an array of shape (1, 4): a sum (or a "
        "mean) over the examples missing?"
    )


# ---- Wrong values ----


def test_a_value_that_differs_names_the_entry_and_the_errors():
    expected = np.array([[0.25], [0.5], [-1.0]])
    got = expected.copy()
    got[2, 0] = -1.5
    result = check_value("dw", got, expected, against="the engine")
    assert result.message == (
        "Not yet: dw has the right shape (3, 1), but 1 of its 3 entries differs from the engine. "
        "The largest difference is at dw[2, 0]: yours is -1.5, it should be -1 (off by 0.5, "
        "relative error 0.5)."
    )


def test_the_largest_of_several_differences_is_shown_with_enough_digits():
    expected = np.array([[1.0, 2.0, 3.0]])
    got = expected + np.array([[1e-6, 0.0, 3e-6]])
    result = check_value("A", got, expected)
    assert "2 of its 3 entries differ" in result.message
    assert "at A[0, 2]: yours is 3.000003, it should be 3 (off by 3e-06, relative error 1e-06)" in (
        result.message
    )


def test_a_missing_factor_1_over_m(problem):
    m = problem[2].shape[1]
    result = check_propagate(
        learner_propagate(lambda dw, db, c: ({"dw": dw * m, "db": db}, c)), problem
    )
    assert "Every entry is 4 times the expected one: a factor missing or extra (1/m?)." in (
        result.message
    )


def test_a_wrong_sign(problem):
    result = check_propagate(learner_propagate(lambda dw, db, c: ({"dw": dw, "db": db}, -c)),
                             problem)
    assert result.message.startswith("Not yet: cost is -0.")
    assert result.message.endswith("It has the opposite sign: check the minus signs.")


def test_a_placeholder_left_in_place(problem):
    result = check_propagate(
        learner_propagate(lambda dw, db, c: ({"dw": np.zeros_like(dw), "db": db}, c)), problem
    )
    assert result.message.endswith("Yours is all zeros: is a placeholder still there?")
    result = check_propagate(learner_propagate(lambda dw, db, c: ({"dw": dw, "db": db}, 0.0)),
                             problem)
    assert result.message.startswith("Not yet: cost is 0 but should be 0.")
    assert "relative error 1)" in result.message
    assert result.message.endswith("Is a placeholder 0 still there?")


def test_nan_and_infinity_are_reported():
    result = check_value("A", np.array([[0.5, np.nan]]), np.array([[0.5, 0.7]]))
    assert result.message.startswith("Not yet: A[0, 1] is NaN (not a number) but should be 0.7")
    assert "a log(0), a division by 0 or an overflow" in result.message
    result = check_value("cost", float("inf"), 0.7)
    assert result.message.startswith("Not yet: cost is inf but should be 0.7")


def test_numbers_booleans_and_other_values():
    assert str(check_value("db", "0.1", 0.1)) == "Not yet: db should be a number, but it is a str."
    assert "should be a number, but it is the truth value True" in str(check_value("db", True, 1.0))
    assert "complex number" in str(check_value("db", 1j, 1.0))
    assert check_value("db", np.float64(0.1), 0.1).passed
    assert check_value("db", np.array(0.1), 0.1).passed
    assert str(check_value("ok", False, True)) == (
        "Not yet: ok is the truth value False but should be True."
    )
    assert check_value("ok", np.True_, True).passed
    assert str(check_value("label", "dog", "cat")) == "Not yet: label is 'dog' but should be 'cat'."
    assert str(check_value("cache", 3, None)) == (
        "Not yet: cache should be None, but it is the number 3."
    )
    assert check_value("cache", None, None).passed


def test_the_value_of_a_number_that_differs():
    result = check_value("dJ/db", 9.0, 6.0)
    assert result.message == "Not yet: dJ/db is 9 but should be 6 (off by 3, relative error 0.5)."
    result = check_value("db", 0.5, 0.0)
    assert result.message == "Not yet: db is 0.5 but should be 0 (off by 0.5)."


def test_a_flattening_exercise_named_by_what_it_returns():
    images = np.arange(2 * 4 * 4 * 3).reshape(2, 4, 4, 3)

    def reference(images):
        return images.reshape(images.shape[0], -1).T / 255

    def flatten_without_transpose(images):
        return images.reshape(images.shape[0], -1) / 255

    def flatten_scrambled(images):
        return images.reshape(-1, images.shape[0]) / 255

    shapes = {"X": ("n_x", "m")}
    result = check_function("flatten", flatten_without_transpose, reference, images, returns="X",
                            shapes=shapes)
    assert result.message.startswith(
        "Not yet: X has shape (2, 48) but should be (n_x, m) = (48, 2)."
    )
    result = check_function("flatten", flatten_scrambled, reference, images, returns="X",
                            shapes=shapes)
    assert "but 94 of its 96 entries differ from the engine" in result.message
    assert check_function("flatten", reference, reference, images, returns="X").message == (
        "Correct: X matches the engine to 1e-7."
    )


def test_other_keys_functions_and_tolerances_in_messages():
    result = check_value("params", {"W 1": np.zeros(2)}, {"W 1": np.zeros((2, 1))})
    assert result.message.startswith("Not yet: params['W 1'] has shape (2,)")
    result = check_value("A", len, np.zeros((2, 1)))
    assert result.message.endswith("but it is a function.")
    assert check_value("A", 1.0, 1.0, rtol=2e-7).message == (
        "Correct: A matches the expected value to 2e-07."
    )


# ---- Several inputs; the inputs are never shared ----


def test_several_inputs_name_the_one_that_fails():
    def sigmoid_positive_only(z):
        return np.where(z > 0, 1 / (1 + np.exp(-np.abs(z))), 0.5)

    cases = [(np.array([[1.0, 2.0]]),), (np.array([[-1.0, 2.0]]),)]
    result = check_function("sigmoid", sigmoid_positive_only, sigmoid, cases=cases)
    assert result.message.startswith(
        "Not yet (test input 2 of 2: sigmoid(array of shape (1, 2))): "
        "sigmoid(...) has the right shape"
    )


def test_each_function_gets_its_own_copy_of_the_inputs():
    X = np.ones((2, 2))
    seen = []

    def learner(X):
        X *= 10  # changes its own copy in place
        return X

    def reference(X):
        seen.append(X.copy())
        return X * 10

    result = check_function("scale", learner, reference, X)
    assert result.passed
    assert np.all(X == 1) and all(np.all(s == 1) for s in seen)


def test_a_number_input_is_described_by_its_value():
    result = check_function("f", lambda x, y: None, lambda x, y: x, np.array(2.0), "name")
    assert result.message.startswith("Not yet: your function f returned None")
    result = check_function("f", lambda x, y: 1 / 0, lambda x, y: x, np.array(2.0), [1])
    assert result.message.startswith("Not yet: f(2.0, list) raised ZeroDivisionError")


def test_the_lesson_author_is_told_about_misuse():
    with pytest.raises(TypeError, match="not both"):
        check_function("f", abs, abs, 1.0, cases=[(1.0,)])
    with pytest.raises(ValueError, match="at least one case"):
        check_function("f", abs, abs, cases=[])
    with pytest.raises(ValueError, match="rtol and atol"):
        check_value("x", 1.0, 1.0, rtol=-1)
    with pytest.raises(ZeroDivisionError):  # a broken reference is the lesson's bug: it raises
        check_function("f", abs, lambda x: 1 / 0, 1.0)


def test_a_verdict_travels_in_the_display_bundle_with_its_kind_and_message():
    import json

    from nndl.display import mime_bundle
    from nndl.exercises import VERDICT_MIME

    failed = check_value("X", np.zeros((2, 1)), np.ones((2, 1)))
    bundle = mime_bundle(failed)
    assert json.loads(bundle[VERDICT_MIME]) == {"verdict": "fail", "message": failed.message}
    assert bundle["text/plain"] == failed.message
    assert 'class="nndl-verdict" data-verdict="fail"' in bundle["text/html"]

    passed = check_value("X", np.ones((2, 1)), np.ones((2, 1)))
    assert json.loads(mime_bundle(passed)[VERDICT_MIME])["verdict"] == "pass"
    assert passed.verdict == "pass"

    # Jupyter asks for every type it can show (include=None): no verdict type, which JupyterLab
    # would rank above the HTML; the HTML and the text are there.
    assert set(failed._repr_mimebundle_()) == {"text/html", "text/plain"}
    assert VERDICT_MIME in failed._repr_mimebundle_(include=[VERDICT_MIME])

    # Inline code in backticks becomes <code> in the HTML, escaped.
    html = mime_bundle(Feedback(False, "Not yet: did you forget `return`? a < b"))["text/html"]
    assert "<code>return</code>" in html and "a &lt; b" in html and "`" not in html
