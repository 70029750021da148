"""Tests of nndl.dashboard: training in time slices, exactly as one call of the engine trains."""

import base64
import itertools
import json
import re
import zlib

import numpy as np
import pytest

from nndl import dashboard, data, deep, logistic, shallow, training
from nndl.dashboard import Dashboard, Run
from nndl.data.h5file import H5File

M_TRAIN, M_TEST = 16, 6  # a small subset of the sample images keeps the networks fast
SAMPLE = data.load_sample_images()


def small_images():
    train_x, train_y, test_x, test_y, classes = SAMPLE
    return train_x[:M_TRAIN], train_y[:, :M_TRAIN], test_x[:M_TEST], test_y[:, :M_TEST], classes


def small_data():
    train_x, train_y, test_x, test_y, _ = small_images()
    return data.flatten_images(train_x), train_y, data.flatten_images(test_x), test_y


def ticking_clock(step=1.0):
    """A clock that moves on by ``step`` each time it is read: a slice of ``seconds`` then runs
    a fixed number of iterations, whatever the machine's speed."""
    ticks = itertools.count()
    return lambda: next(ticks) * step


def train_in_slices(run, iterations_per_slice):
    """Advance ``run`` until it ends, each slice running ``iterations_per_slice`` iterations."""
    clock = ticking_clock()
    slices = []
    while run.active:
        slices.append(len(run.advance(iterations_per_slice - 0.5, clock)))
    return slices


def one_call(model, X, Y, num_iterations, learning_rate=None, layer_dims=None, seed=1):
    """The cell's way: one call of the engine's training function -> (parameters, history)."""
    m = dashboard.MODELS[model]
    alpha = m.learning_rate if learning_rate is None else learning_rate
    if model == "logistic":
        w, b = logistic.initialize_with_zeros(X.shape[0])
        params, _, history = logistic.optimize(w, b, X, Y, num_iterations, alpha)
        return params, history
    dims = list(layer_dims or m.layer_dims)
    if model == "two_layer":  # the course's two_layer_model: weights × 0.01
        return deep.train(X, Y, dims, alpha, num_iterations, init="small", seed=seed)
    return deep.train(X, Y, dims, alpha, num_iterations, seed=seed)


def equal_parameters(a, b):
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])


def reply(name, board, **arguments):
    """Call the dashboard's method ``name`` as the page's call does (the cell runner's
    "dashboard.<name>", tested in test_cell_runner.py) and read its data back as strict JSON;
    the engine's ValueError as {"error": its message}."""
    try:
        out = getattr(board, name)(**json.loads(json.dumps(arguments)))
    except ValueError as error:
        return {"error": str(error)}
    if isinstance(out, Run):
        out = {"run": out.summary()}
    return json.loads(json.dumps(out, allow_nan=False))


# ---- Slices train exactly as one call ------------------------------------------------------------


@pytest.mark.parametrize("model", ["logistic", "two_layer", "deep"])
def test_a_run_trained_in_slices_has_exactly_the_costs_of_one_call(model):
    X, Y, _, _ = small_data()
    run = Run(1, model, X, Y, num_iterations=9)
    assert train_in_slices(run, 2) == [2, 2, 2, 2, 1]
    parameters, history = one_call(model, X, Y, 9)
    assert run.costs == history.costs  # equal, not close: the same arithmetic in the same order
    equal_parameters(run.parameters, parameters)
    assert run.status == "done" and run.iteration == 9
    assert run.costs[-1] < run.costs[0]


def test_the_dashboard_path_and_the_cell_path_give_identical_costs_through_json():
    board = Dashboard(small_images(), clock=ticking_clock())
    started = reply("start", board, model="deep", num_iterations=7)
    assert started["run"]["layer_dims"] == [12288, 20, 7, 5, 1]
    costs = []
    while True:
        progress = reply("advance", board, seconds=2.5)  # 3 iterations per slice
        assert progress["start"] == len(costs)
        costs += progress["costs"]
        if progress["status"] != "training":
            break
    X, Y, _, _ = small_data()
    _, history = one_call("deep", X, Y, 7)
    assert costs == history.costs
    assert progress["status"] == "done" and progress["iteration"] == 7


def test_a_slice_trains_until_its_time_is_used_up_and_at_least_one_iteration():
    X, Y, _, _ = small_data()
    run = Run(1, "logistic", X, Y, num_iterations=20)
    clock = ticking_clock(0.1)
    assert len(run.advance(0.35, clock)) == 4  # the clock is read after each iteration
    assert run.elapsed == pytest.approx(0.5)  # …and once more at the end of the slice
    assert len(run.advance(1e-9)) == 1  # the real clock; at least one iteration
    assert len(run.advance(1000.0)) == 15  # never more than the iterations left
    assert run.status == "done" and run.advance(1.0) == []


# ---- Divergence is judged for the whole run ------------------------------------------------------


def test_divergence_across_slices_is_judged_against_the_runs_first_cost():
    X, Y, _, _ = small_data()
    run = Run(1, "logistic", X, Y, learning_rate=0.08, num_iterations=50)
    slices = train_in_slices(run, 1)  # every slice starts with a cost far below the last one
    with pytest.warns(training.TrainingDivergedWarning):
        _, history = one_call("logistic", X, Y, 50, learning_rate=0.08)
    assert history.diverged and run.status == "diverged"
    assert run.costs == history.costs and len(slices) == history.iterations
    assert run.message == history.message
    assert "Try a smaller learning rate" in run.message
    assert run.result["train_accuracy"] >= 0  # evaluated all the same, for the record


@pytest.mark.parametrize("per_slice", [3, 5, 7, 8, 11])
def test_a_cost_that_only_jumps_within_a_slice_does_not_end_the_run(per_slice):
    # With α = 0.02 on 30 pictures the cost bounces: from 0.48 at iteration 8 to 4.5 at 15,
    # which is over 10 times the cost a slice may start with, but not 10 times the run's first
    # cost (0.69). The engine's own check, within a slice's call, stops that call early; the
    # run must go on exactly as one uninterrupted call does.
    train_x, train_y, _, _, _ = SAMPLE
    X, Y = data.flatten_images(train_x[:30]), train_y[:, :30]
    _, history = one_call("logistic", X, Y, 40, learning_rate=0.02)
    assert not history.diverged
    costs = history.costs
    starts = range(0, 40, per_slice)
    jumps = [
        (s, i) for s in starts for i in range(s, min(s + per_slice, 40))
        if training.has_diverged(costs[i], costs[s])
    ]
    run = Run(1, "logistic", X, Y, learning_rate=0.02, num_iterations=40)
    train_in_slices(run, per_slice)
    assert run.costs == costs and run.status == "done"
    if per_slice in (8, 11):
        assert jumps  # these slicings really meet such a jump
    for start, i in jumps:  # the engine's call ended at i, the run went on
        assert training.has_diverged(costs[i], costs[start])


# ---- Stop and results ----------------------------------------------------------------------------


def test_stop_keeps_the_parameters_and_the_accuracy_is_their_evaluation():
    X, Y, X_test, Y_test = small_data()
    run = Run(1, "two_layer", X, Y, num_iterations=50, X_test=X_test, Y_test=Y_test)
    run.advance(2.5, ticking_clock())
    run.stop()
    assert run.status == "stopped" and run.iteration == 3
    parameters, _ = one_call("two_layer", X, Y, 3)
    equal_parameters(run.parameters, parameters)
    predictions = deep.predict(X_test, parameters)
    assert run.result["test_accuracy"] == np.mean(predictions == Y_test) * 100
    assert run.result["predictions"] == [int(p) for p in predictions[0]]
    probabilities = deep.predict_proba(X_test, parameters)[0]
    assert run.result["probabilities"] == list(probabilities)
    assert run.result["train_accuracy"] == run.accuracy(X, Y)
    run.stop()  # stopping again changes nothing
    assert run.status == "stopped" and run.advance(1.0) == []


def test_the_2_layer_network_is_the_shallow_network_of_lesson_6():
    # The dashboard trains it with deep.train (L = 2); nndl.shallow spells out the same formulas.
    X, Y, _, _ = small_data()
    run = Run(1, "two_layer", X, Y, num_iterations=6)
    train_in_slices(run, 4)
    _, history = shallow.train(X, Y, n_h=7, learning_rate=0.0075, num_iterations=6,
                               activation="relu", init="small", seed=1)
    assert run.costs == history.costs


def test_the_course_defaults():
    assert {key: (m.learning_rate, m.num_iterations, m.layer_dims) for key, m in
            dashboard.MODELS.items()} == {
        "logistic": (0.005, 2000, None),
        "two_layer": (0.0075, 2500, (12288, 7, 1)),
        "deep": (0.0075, 2500, (12288, 20, 7, 5, 1)),
    }
    X, Y, _, _ = small_data()
    assert Run(1, "deep", X, Y).describe() == "L-layer network [12288, 20, 7, 5, 1], α = 0.0075"
    assert Run(2, "logistic", X, Y).describe() == "Logistic regression, α = 0.005"
    parameters = Run(3, "two_layer", X, Y, seed=4).parameters
    equal_parameters(parameters, shallow.initialize_parameters(12288, 7, 1, "small", seed=4))


# ---- What the reader may get wrong ---------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"model": "svm"}, "Unknown model 'svm': choose one of 'logistic', 'two_layer', 'deep'."),
        ({"model": "deep", "learning_rate": 0}, "The learning rate α must be more than 0, got 0."),
        ({"model": "deep", "learning_rate": "fast"}, "The learning rate α must be a number"),
        ({"model": "deep", "num_iterations": 0}, "The number of iterations must be a whole number"),
        ({"model": "deep", "num_iterations": 2.5}, "The number of iterations must be a whole"),
        ({"model": "deep", "seed": -1}, "The seed must be a whole number of 0 or more"),
        ({"model": "deep", "layer_dims": "12288, 1"}, "The layer sizes must be a list"),
        ({"model": "deep", "layer_dims": [12288, 0, 1]}, "The layer sizes must be whole numbers"),
        ({"model": "deep", "layer_dims": [12288]}, "The layer sizes need at least the input"),
        ({"model": "deep", "layer_dims": [100, 5, 1]}, "The first size is n[0], the number of "
                                                       "inputs: each picture has 12288 numbers"),
        ({"model": "deep", "layer_dims": [12288, 5, 2]}, "The last size is n[L], the output"),
        ({"model": "two_layer", "layer_dims": [12288, 5, 5, 1]}, "A 2-layer network has one "
                                                                 "hidden layer"),
        ({"model": "deep", "layer_dims": [12288, 1000, 1]}, "The network [12288, 1000, 1] has "
                                                            "12,289,000 weights"),
    ],
)
def test_bad_settings_get_a_message_and_change_nothing(arguments, message):
    board = Dashboard(small_images())
    answer = reply("start", board, **arguments)
    assert answer["error"].startswith(message), answer["error"]
    assert board.runs == []


def test_commands_that_cannot_be_done_say_why():
    board = Dashboard(small_images(), clock=ticking_clock())
    assert reply("advance", board)["error"] == "No run is training: start one first."
    assert reply("stop", board)["error"] == "No run is training."
    reply("start", board, model="logistic", num_iterations=5)
    answer = reply("start", board, model="deep")
    assert answer["error"] == "Run 1 is still training: stop it before starting another."
    assert reply("advance", board, seconds=0)["error"].startswith("A time slice lasts more than 0")
    assert len(board.runs) == 1
    assert set(reply("advance", board, seconds=1.5)) == {
        "costs", "elapsed", "iteration", "message", "num_iterations", "result", "run", "start",
        "status"}


def test_runs_are_kept_side_by_side_and_the_state_has_them_all():
    board = Dashboard(small_images(), clock=ticking_clock())
    for model, alpha in (("logistic", 0.005), ("logistic", 0.001), ("two_layer", None)):
        reply("start", board, model=model, learning_rate=alpha, num_iterations=4)
        while reply("advance", board, seconds=1.5)["status"] == "training":
            pass
    reply("start", board, model="deep", num_iterations=4)
    reply("advance", board, seconds=1.5)
    state = reply("state", board)
    assert state["source"] == "the sample images"
    assert [r["number"] for r in state["runs"]] == [1, 2, 3, 4]
    assert [r["status"] for r in state["runs"]] == ["done", "done", "done", "training"]
    assert [r["learning_rate"] for r in state["runs"]] == [0.005, 0.001, 0.0075, 0.0075]
    assert [len(r["costs"]) for r in state["runs"]] == [4, 4, 4, 2]
    assert state["runs"][0]["costs"] == board.runs[0].costs
    assert state["runs"][3]["result"] is None
    assert state["models"]["deep"] == {"name": "L-layer network", "learning_rate": 0.0075,
                                       "num_iterations": 2500,
                                       "layer_dims": [12288, 20, 7, 5, 1]}
    for run in state["runs"][:3]:
        assert len(run["result"]["probabilities"]) == M_TEST
        assert 0 <= run["result"]["test_accuracy"] <= 100
    cleared = reply("clear", board)  # forgets the runs that ended, keeps the one training
    assert [r["number"] for r in cleared["runs"]] == [4]
    reply("stop", board)
    reply("start", board, model="logistic", num_iterations=1)
    assert board.runs[-1].number == 5  # numbers are never reused


def test_the_test_pictures_for_the_grid():
    board = Dashboard(small_images())
    answer = reply("test_images", board)
    assert answer["labels"] == [int(y) for y in SAMPLE[3][0, :M_TEST]]
    assert answer["classes"] == ["non-cat", "cat"]
    assert answer["dataset"] == {"id": 1, "source": "the sample images", "train": M_TRAIN,
                                 "train_cats": int(SAMPLE[1][0, :M_TRAIN].sum()),
                                 "test": M_TEST, "test_cats": int(SAMPLE[3][0, :M_TEST].sum()),
                                 "n_x": 12288}
    png = base64.b64decode(answer["images"][0])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[16:24] == bytes([0, 0, 0, 64, 0, 0, 0, 64])
    assert len(answer["images"]) == M_TEST


def test_the_full_sample_set_is_used_by_default():
    board = Dashboard()
    X, Y, X_test, Y_test = board.pictures.arrays()
    assert X.shape == (12288, 209) and X_test.shape == (12288, 50)
    assert dashboard.session() is dashboard.session()
    assert isinstance(dashboard.session(), Dashboard)


# ---- The reader's picture ------------------------------------------------------------------------


def rgba(picture):
    """A (h, w, 3) uint8 picture as the page sends it: base64 of RGBA bytes, row by row."""
    h, w, _ = picture.shape
    alpha = np.full((h, w, 1), 255, dtype=np.uint8)
    return base64.b64encode(np.concatenate([picture, alpha], axis=2).tobytes()).decode("ascii")


def test_classify_before_any_training_says_so():
    board = Dashboard(small_images())
    answer = reply("classify", board, pixels=rgba(SAMPLE[2][0]), width=64, height=64)
    assert answer["error"].startswith("No model has been trained yet")


def test_the_readers_picture_is_classified_by_the_run_and_shown_as_the_model_sees_it():
    board = Dashboard(small_images(), clock=ticking_clock())
    reply("start", board, model="logistic", num_iterations=3)
    assert reply("classify", board, pixels=rgba(SAMPLE[2][0]), width=64, height=64,
                 run=1)["error"] == "Run 1 has not trained yet."
    assert reply("classify", board, pixels=rgba(SAMPLE[2][0]), width=64,
                 height=64)["error"].startswith("The run has not finished an iteration yet")
    while reply("advance", board, seconds=1.5)["status"] == "training":
        pass
    reply("start", board, model="two_layer", num_iterations=2)
    reply("advance", board, seconds=0.5)
    # A test picture, enlarged to 128 × 96 (the page sends what its canvas drew).
    picture = np.repeat(np.repeat(SAMPLE[2][0], 2, axis=0), 2, axis=1)[:96]
    answer = reply("classify", board, pixels=rgba(picture), width=128, height=96, run=1)
    run = board.runs[0]
    X = data.image_to_input(np.concatenate(
        [picture, np.full((96, 128, 1), 255, dtype=np.uint8)], axis=2))
    expected = float(1 / (1 + np.exp(-(run.parameters["w"].T @ X + run.parameters["b"])))[0, 0])
    assert answer["probability"] == pytest.approx(expected, rel=1e-12)
    assert answer["label"] == int(expected > 0.5)
    assert answer["class_name"] == ["non-cat", "cat"][answer["label"]]
    assert answer["run"] == 1 and answer["iteration"] == 3
    assert answer["description"] == "Logistic regression, α = 0.005"
    png = base64.b64decode(answer["input_png"])
    assert png[16:24] == bytes([0, 0, 0, 128, 0, 0, 0, 128])  # 64 × 64, shown twice as large
    latest = reply("classify", board, pixels=rgba(picture), width=128, height=96)
    assert latest["run"] == 2 and latest["iteration"] == 1  # the latest run, mid-training


@pytest.mark.parametrize(
    "pixels, width, height, message",
    [
        ("AAAA", 0, 1, "The picture's width must be a whole number of pixels"),
        ("AAAA", 1, 1.5, "The picture's height must be a whole number of pixels"),
        ("AAAA", 2000, 2000, "The page sends pictures of at most 1,048,576 pixels"),
        ("not base64!", 1, 1, "The picture's pixels are not valid base64."),
        ("AAAA", 2, 1, "A 2 × 1 picture has 8 bytes of RGBA pixels, got 3."),
    ],
)
def test_a_broken_picture_gets_a_message(pixels, width, height, message):
    board = Dashboard(small_images(), clock=ticking_clock())
    reply("start", board, model="logistic", num_iterations=1)
    reply("advance", board, seconds=1.0)
    answer = reply("classify", board, pixels=pixels, width=width, height=height)
    assert answer["error"].startswith(message), answer["error"]
    assert reply("classify", board, pixels=rgba(SAMPLE[2][0]), width=64, height=64,
                 run=9)["error"] == "There is no run 9."


def test_replies_are_strict_json_even_when_the_cost_diverges():
    board = Dashboard(small_images(), clock=ticking_clock())
    reply("start", board, model="deep", learning_rate=1e6, num_iterations=5)
    while (progress := reply("advance", board, seconds=0.5))["status"] == "training":
        pass
    assert progress["status"] == "diverged"
    assert re.match(r"Training diverged at iteration \d+: ", progress["message"])
    text = json.dumps(board.state(), allow_nan=False)  # raises on NaN or ±inf
    json.loads(text)


# ---- The course's HDF5 files, read without h5py --------------------------------------------------
#
# Files written by h5py 3.16 (HDF5 2.0) with its default settings, as the course's were, kept here
# zlib-compressed and base64-encoded. TRAIN and TEST are shaped like train_catvnoncat.h5 and
# test_catvnoncat.h5 (4 and 2 pictures of course_pictures below); VARIED holds the datasets of
# test_h5.py's test_read_h5_reads_what_h5py_wrote; COMPRESSED (gzip), CHUNKED and LATEST
# (libver="latest") hold a small train_set_x. The readers themselves are tested in test_h5.py.

TRAIN_H5 = (
    "eNrt02dQE2EQgOG7S6IRRYMVsWGvKHbsqICxgQr2AoioKIKSqNi7gr2LvSv23hsqzd577713/2iSuziSGfGfw4zvTn"
    "Kb/W5zX569S7Tew8vezslOMIdWK6gFnfB7/FAiMSllbT0foGRRyVFKjpWs66LlnKOy7qBc37bPr4Wnp7n7h01Y93GN"
    "l7OjQPyPofes28yc2yi1m5KTpZR9xojAkDB/Q7DRP9KmHmCpQ0MMRv+g0ECDIdjw+3Pr/Id9RUEj94jWWi9ntbygVv"
    "rcbbJKyX87rzL9H8xX0v3aQms5akzZXEuSJMqr8pOvEl2tl4xL+UsD/s2NSJ85R97Cpcq71fFq6te+c0jv/kPHTJwx"
    "b2nspp0H4k+cv3b3yetPojZLznxFSleo5t7Au2WHoB59IoeNnTRz/rI1m3cdTDh54fq9p28+Sxl0ufIXLVOxel29T6"
    "uOXXpGDBg+bvKsBcvXbtl9KPHUxRv3n739orJzcCxQzKVSjXoNm7XuFBxqGDgiasrshSvWbd0Tl3T60s0Hz999VWfM"
    "mtu5eNnKNes3at7Gv2sv46CR0VPnLFq5ftvew8lnLt96+OL9N02mbE4FS5SrUsujcYu2Ad3C+g4eNX5azOJVG7bvO3"
    "Ls7JXbj15++J7OPnueQiVdq9b2bOLbLrB7eL8hoydMn7tk9cYd+48eP3f1zuNXH6FDhw4dOnTo0KFDhw4dOnTo0KFD"
    "hw4dOnTo0KFDhw4dOnTo0KFDhw4dOnTo0KFDhw4dOnTo0KFDhw4dOnTo0KFDhw4dOnTo0KFDhw4dOnTo0KFDhw4dOn"
    "To0KFDhw4dOnTo0KFDhw4dOnTo0KFDhw4dOnTo0KFDhw4dOnTo0KFDhw4dOnTo0KFDhw4dOnTo0KFDhw4dOnTo0KFD"
    "hw4dOnTo0KFDhw4dOnTo0KFDhw4dOnTo0KFDhw4dOnTo0KFDhw4dOnTo0KFDhw4dOnTo0KFDhw4dehqi+3r7eIiCSi"
    "ghyBGbKKQaWiU7q1Lvc1RyZILwX4QoaExvywellicgivKCWumzZpWgs7TqtNaZuluOGlNlXpckSZTnLV9HJUYpd8bZ"
    "ZuepaXQeqa//bV6S0if9mpc8l2ymQ/pU57Q7Sf5GZpudY9L08xMWHuYSFGg0vczVT4b3DD0="
)
TEST_H5 = (
    "eNrt3XdQ03AUB/AkbaVWwSKOigs3DrRu3EVbrAsQUHGWWgqiFdRULe5tceKue2vdG/deuPfee+/tP9iQxKNR6Z2nd9"
    "zxfdfLu/fL7/K7z2vy90vUqgPdZd4yggmplBATciJ9pHKRHONc8/cjuUxy2cplO8Wvk2n3FNy6J/d84b7wUI2G2Z0q"
    "CP4cZRSbFQQiK4ZWExDC5Aiu9udyCuW8z2ykzTraaNZZBHUCW5tiHbXBpKdpI53+vfX5w7kkIWH3kHytZbOYXeCPVw"
    "myiMuu7osc3wPzJPnPI6RpV4kjMzVFUSS7yr75IlIpFnx6vy//V0jlCh9fpb9KGxIR2aWHZYg1ybbAvn7bvpSzV+8+"
    "fftV4p63cCm/6vU0LVp1NHbvPXDk+Glzl67ZsvvwqUu3Hr36RMlyexcvV6V2w6ah7Tp37dVv2JjJsxat3LjjwPHz1+"
    "8/f//dLVf+omUq1WzQOLiNLia+7+DRE2fMX75u696jZ67cefLmizhnnkIlK1Srq24e3iHKZB4wYtzUOUtWb9516OTF"
    "mw9ffiSzexYoVrZyrYAmLdvqY3smDE2cNHPhig3b9x87d+3es3ffsnnkK1K6Yo36gUGtO0XH9Rk0asL0ecvWJu85cv"
    "ry7cevP4tyeBUsUb5qnUbNwtobutH9h4+dMnvxqk07D564cOPBiw+ggw466KCDDjrooIMOOuiggw466KCDDjrooIMO"
    "Ouiggw466KCDDjrooIMOOuiggw466KCDDjrooIMOOuiggw466KCDDjrooIMOOuiggw466KCDDjrooIMOOuiggw466K"
    "CDDjrooIMOOuiggw466KCDDjrooIP+z+hhQcFqkhARvtw4AFu0i3EB/HwFUcb7+LkeFmPWmGfx61wJtgMk6TxXghLO"
    "iZDyPVW5mBNh5f4ZueDkpEzel7/tD9sHL8fFLcO+2LlJNh6Ck22Zui9x8XF+Br3Z8WOqH3miJlQ="
)
VARIED_H5 = (
    "eNrtmk1oG0cUgGckWVpLK1uS3Vhxmlhp2kSladl1ZMeGwKrELjqYRGl7yCGkUY37QxTbOAo4JVAfSkmgBx96yNG9hR"
    "Kojz0YtoceQsnBh0J6MD0UXCjkEHrqpXVWmvc2u2NlvNqUrHa9C/bTjp7ejj69mXnvzdypTL2XTg4nSfOSJBIjGWK9"
    "duDaKtvv8f0rICnI2yDvRbCdtt7LQ3sW7PN6H74/PU1Ij2mff85mjMki3K/3M1nB+1eY/Azunxyy92fzGJMFEl5+vC"
    "rT71Zb/gaO9hu0v3pU7Gcn34SGfnfPpYZPUouDU/BAGmEN4JaGFml7HzV61NTMFjQitVrKpJQipZ0o6kmt9yMRZlCC"
    "bxClCpha43q03AW/xhP90C9Xiz9891gf//ZR9fLZv/QLl8/eTG9v63WjdePrP/S+7THjnd/1KaPVeKV/0RKb+pWm2t"
    "jPutJU+/t7vcCkBu3aMtPTyuxzmszsaGBXq7LnaCX2XG2Y9UODfmkfnDs/RUmcbEJPN94WfxOc7fJxsZ4EshAV6z1A"
    "GbHPi7wfop+WE2J7ON81el/uL7zb71mPKWUNiCvO+/nRERgDBTIkkaEvyV5+XkzYiRBuJemeS1tpjl7jz/hXbr5ec8"
    "Mp01LNGL9nxOKBz+dTBdeTud6sduU8vfPvzn+tVZuSyG42km1MuJ8b6732UYnXXR+sZHKZkpzQZygXU5k+IxFzbIn5"
    "fJW0r0Y41zFf23oHGnLds6bsNY5gOjVl50zuptr7zGrXegp1wCVq8nDLZV320/yCKCIO2MS4mKxzNg/T9ijBP2yiDv"
    "j07IpVO+XzuI99ctCXfGKWvOIiFw8WuHzh8/n5uSXLnFzxqP8svo0RBaOkpFh/AuRaSqxXxnhZ3iMPA7mV9nc+6Tpu"
    "czw2pFz7uNY/Y6PHASdMXxKuOSkDkMn7mlPcASuJyyU7Z3VpsH0Vy3+sEg54Ycrb65rXN1AVfD0QvCTL/F8F/X8yYn"
    "u4rhVyYj2s484MiPWwvnprMNjzPy6rSffzf95ewfG/7/U64IZhRso1t/JBqJgFilvSATsMvWTX7G4Ns08qgWOXcsAP"
    "Q9K0a34bsGtUCiQ/2bJ+LOL6cUBsHytDSl6stwKyflCsh1Xd+8PBXj8gMTZl575YOWLP4ILni2kHHDEN73fNcXWEff"
    "JMoDn2OWCZ4WocnbPcKtirBcFlaS3/fFJfqDWuG7L08VyrFjTK5PXZWr22RMi12vzNjxQFpApyFOQpkCWQYyDHQZ4G"
    "OQFykkkV7KlgTwV7KthTwZ4K9lSwp4I9Feypk+TTpYUbzfl+duHaYm22seusRrfOoVnQy7rP/+DUx9S+8NeMub5L5j"
    "ecOCx+Hu6YrRwR662BfDgi1ruH+eFrYr11kPk3xHo/glw8Ltb7Cft3QqyHlZNL0ov5JqbTOde+WTzevpIcXN/MOuCK"
    "5YcB11xXwANm9hXXnAO2WLIZdL/+QzGjuu/YNv2RnVGkzz2j2Dhpr++G1/66XmSvXrLE1YL6P3iYf/aULDjMsxssRq"
    "HmOJl5K/Qdd1zjzH/+r/MPlPM3Q5+fJ1nM8+wc169/Jq52q//JZJkiJ9n4TvMLjTmlzXhDXlipL+7hv1GOK56fwL1i"
    "3AtF/8b9K+SX4uq8aa5W1M/l6Vku1hzg1nHY5CJYyhsi9lkCS3JYcoMip7njiikCpgAjXKwMR6wJhvSQVJm7ahjCY4"
    "h+QsBfDfl7yn805O8p/1Mhf0/5l0L+nvIfC/l7yn885O8p/9Mhf0/5T4T8PeU/GfL3gH/iWf6lhPw95a+G/F8W/6ea"
    "uYvN"
)
COMPRESSED_H5 = (
    "eNrr9HBx4+WS4mIAAQ4OBhYGAQZk8B8KjvGj8mHyCVCaEUp3QOkVTDBxRrCcBFRcEGo+urqQIFdXkOr/aABmjwELhO"
    "ZgGAUjEXi4OgaA6AgoH5aeTjChqispSszMiy9OLYmvQEmXDmTay8jABjGDEcbXgNBMEAGY9dDkicFnBroUpFJQwR6a"
    "dh0YTLgZTP4zQ+RZgaIgeSZmiIHcDApgPiPcPg5wDkpJTctJLEmFm8sBDQFmJuYKVkQWZEFkkQCaxEOwn78LI9hVEK"
    "DAPJo2yQGg8o4RmFrQyztuAvo2QMthbrRyFx3s5kdPx6jpcrQcHQWjYBSMglEwCkbBKBgaoCIuOeEAsG0H7CUgMQEm"
    "SU4P"
)
CHUNKED_H5 = (
    "eNrr9HBx4+WS4mIAAQ4OBhYGAQZk8B8KPvCj8mHyCVCaEUp3QOkVTDBxRrCcBFRcEGo+urqQIFdXkOr/aABmjwELhO"
    "ZgGAUjEXi4OgaA6AgoH5aeTjChqispSszMiy9OLYmvQEmXDmTay8jACjGDEcbXgNBMEAGY9dDkicFnBroUpFJQwR6a"
    "dh0YTLgZTP4zQ+RZgaIgeSZmiIEcUJ8xMzFXsCKyFgsi6VcMaDwE+/m7gHI0LB8qMI+mTXIAqLxjBKYW9PJOgYC+Dd"
    "ByWAGt3EUHF/jR0zFquhwtR0fBKBgFo2AUjIJRMApGBgAASBtGew=="
)
LATEST_H5 = (
    "eNrr9HBx4+WS4mLm4GCAgf9QcJ0RwjeAireby5/293AJYmKoYBJCVggDXEwMQC1sYgxAirukKDEzL744tSS+YjPMZD"
    "sGCkFD/aQbYCcwMjAyijAwMDEyMjJD5eC0CAOjoII9A8RDDgwm3Awm/4GSrEDXMXNxAF3OzLgf6jUJmMEbGIYcCPJa"
    "3IZLDgD1yS1C"
)


def h5_file(packed):
    return zlib.decompress(base64.b64decode("".join(packed)))


def course_pictures(m, seed):
    i = np.arange(m * 64 * 64 * 3, dtype=np.int64)
    return ((i * (7 + seed)) % 251).astype(np.uint8).reshape(m, 64, 64, 3)


def patched(raw, at, new):
    """``raw`` with the bytes at ``at`` replaced by ``new``."""
    return raw[:at] + new + raw[at + len(new):]


TRAIN = h5_file(TRAIN_H5)
X_SPACE = 824  # train_set_x's dataspace message in TRAIN (see test_h5.py)


def test_the_course_files_must_hold_64_by_64_pictures_labelled_0_or_1():
    board = Dashboard(small_images())
    test = encoded(h5_file(TEST_H5))
    dims = b"".join(n.to_bytes(8, "little") for n in (4, 32, 128, 3))
    wide = patched(TRAIN, X_SPACE + 8, dims)
    answer = reply("load_h5", board, train=encoded(wide), test=test, train_name="t.h5")
    assert answer["error"] == ("t.h5: train_set_x holds pictures of 32×128 pixels; the models "
                               "here take 64×64.")
    f = H5File(TRAIN)
    y_data = f.address(f.messages(f.find("train_set_y"))[0x8][0][0] + 2)
    five = patched(TRAIN, y_data, (5).to_bytes(8, "little"))
    answer = reply("load_h5", board, train=encoded(five), test=test, train_name="t.h5")
    assert answer["error"] == "t.h5: train_set_y must hold labels 0 and 1 (it also holds 5)."
    # Without list_classes (renamed in both files), the classes are the course's.
    renamed = [raw.replace(b"list_classes", b"list_glasses") for raw in (TRAIN, h5_file(TEST_H5))]
    answer = reply("load_h5", board, train=encoded(renamed[0]), test=encoded(renamed[1]))
    assert answer["dataset"]["test"] == 2
    assert reply("test_images", board)["classes"] == ["non-cat", "cat"]


def encoded(raw):
    return base64.b64encode(raw).decode("ascii")


def test_the_course_files_can_be_loaded_and_trained_on():
    board = Dashboard(small_images(), clock=ticking_clock())
    reply("start", board, model="logistic", num_iterations=2)
    train, test = encoded(h5_file(TRAIN_H5)), encoded(h5_file(TEST_H5))
    answer = reply("load_h5", board, train=train, test=test)
    assert answer["error"] == "Stop the run in progress before loading other pictures."
    reply("stop", board)
    answer = reply("load_h5", board, train=train, test=test,
                   train_name="train_catvnoncat.h5", test_name="test_catvnoncat.h5")
    source = "the course's files (train_catvnoncat.h5, test_catvnoncat.h5)"
    assert answer["source"] == source
    assert answer["dataset"] == {"id": 2, "source": source, "train": 4, "train_cats": 2,
                                 "test": 2, "test_cats": 1, "n_x": 12288}
    reply("start", board, model="deep", num_iterations=2)
    while reply("advance", board, seconds=0.5)["status"] == "training":
        pass
    run = board.runs[-1]
    assert run.describe() == f"L-layer network [12288, 20, 7, 5, 1], α = 0.0075, on {source}"
    assert run.X.shape == (12288, 4) and len(run.result["predictions"]) == 2
    np.testing.assert_array_equal(run.X, data.flatten_images(course_pictures(4, 0)))
    pictures = reply("test_images", board)
    assert pictures["labels"] == [0, 1] and len(pictures["images"]) == 2
    earlier = reply("test_images", board, dataset=1)  # the first run's grid is still there
    assert earlier["dataset"] == {"id": 1} and len(earlier["images"]) == M_TEST
    assert reply("test_images", board, dataset=7)["error"] == "There are no pictures numbered 7."
    assert reply("classify", board, pixels=rgba(course_pictures(1, 5)[0]), width=64, height=64,
                 run=2)["class_name"] in ("cat", "non-cat")
    back = reply("sample", board)
    assert back["source"] == "the sample images" and back["dataset"]["train"] == 209
    assert [r["dataset"] for r in reply("state", board)["runs"]] == [1, 2]


def test_files_that_are_not_the_course_files_are_explained():
    board = Dashboard(small_images())
    train, test = encoded(h5_file(TRAIN_H5)), encoded(h5_file(TEST_H5))
    swapped = reply("load_h5", board, train=test, test=train, train_name="a.h5", test_name="b.h5")
    assert swapped["error"] == (
        "a.h5 has no dataset train_set_x or train_set_y (it has: list_classes, test_set_x, "
        "test_set_y). The course's training file is train_catvnoncat.h5.")
    varied = reply("load_h5", board, train=train, test=encoded(h5_file(VARIED_H5)))
    assert varied["error"].startswith("the test file has no dataset test_set_x or test_set_y")
    text = reply("load_h5", board, train="not base64!", test=test)
    assert text["error"] == "the training file did not arrive whole (not valid base64)."
    assert reply("load_h5", board, train=encoded(b"plain text"), test=test)["error"] == (
        "the training file is not an HDF5 file: it does not start with HDF5's signature.")
    assert reply("state", board)["source"] == "the sample images"
    reply("start", board, model="logistic", num_iterations=1)
    assert reply("sample", board)["error"].startswith("Stop the run in progress")
