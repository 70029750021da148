"""Tests of the "symmetry" explorable: zero versus small random initialization of W1."""

import json

import numpy as np
import pytest

from nndl import explorables, shallow
from nndl.explorables import symmetry

from .svg_rules import check_svgs


def test_from_zeros_every_unit_stays_a_copy_of_the_first_at_every_iteration():
    run = symmetry.trajectory("sigmoid", "zeros")
    assert len(run) == symmetry.MAX_ITERATIONS + 1
    for snapshot in run:
        units = snapshot.units()  # (n_h, 4): row j = W1[j], b1[j], W2[0, j]
        assert units.shape == (symmetry.N_H, 4)
        assert symmetry.units_equal(units)
    # …and yet they learn: with sigmoid the weights really move, all together.
    final = run[-1].parameters
    assert np.abs(final["W1"]).min() > 0.5
    assert run[-1].cost < run[0].cost - 0.05


def test_from_small_random_weights_the_units_differ_and_learn_better():
    zeros = symmetry.trajectory("sigmoid", "zeros")
    small = symmetry.trajectory("sigmoid", "small")
    assert not any(symmetry.units_equal(s.units()) for s in small)
    assert small[-1].accuracy > 0.85 > 0.75 > zeros[-1].accuracy


def test_with_tanh_from_zeros_only_b2_moves():
    final = symmetry.trajectory("tanh", "zeros")[-1].parameters
    for name in ("W1", "b1", "W2"):
        assert not np.any(final[name]), name
    assert final["b2"][0, 0] != 0  # 199 points of class 0, 200 of class 1: b2 learns the balance
    assert symmetry.trajectory("tanh", "small")[-1].accuracy > 0.85


def test_units_equal_tells_equal_rows_from_different_ones():
    assert symmetry.units_equal(np.tile([[0.5, -0.3, 0.1, 2.0]], (4, 1)))
    assert not symmetry.units_equal(np.array([[0.5, -0.3], [0.5, -0.31]]))


def test_the_view_says_which_units_are_equal():
    view = explorables.render("symmetry")  # the default view, the one the site's build draws
    assert view.data["iteration"] == symmetry.MAX_ITERATIONS
    assert view.data["zeros"]["units_equal"] and not view.data["small"]["units_equal"]
    assert "From zeros, all 4 units are equal" in view.summary
    assert "from small random weights, the 4 units differ" in view.summary
    W1 = np.array(view.data["zeros"]["W1"])
    np.testing.assert_array_equal(W1, symmetry.trajectory("sigmoid", "zeros")[-1].parameters["W1"])
    svgs = check_svgs(view.html)
    assert len(svgs) == 2
    assert "all 4 rows equal" in view.html and "the 4 rows differ" in view.html
    json.dumps(json.loads(view.json()))  # JSON-ready data


def test_the_view_at_the_start_and_with_tanh():
    start = explorables.render("symmetry", {"iteration": 0})
    assert "W1 is still all zeros" in start.summary
    assert start.data["small"]["cost"] == pytest.approx(np.log(2), abs=1e-3)
    tanh = explorables.render("symmetry", {"activation": "tanh", "iteration": 300})
    assert "From zeros only b2 has moved: b2 = 0.0050." in tanh.summary
    assert tanh.data["zeros"]["still_zero"] == ["W1", "b1", "W2"]
    check_svgs(tanh.html)


def test_scrubbing_reuses_the_training(monkeypatch):
    calls = []
    original = shallow.backward_propagation

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(shallow, "backward_propagation", counting)
    symmetry.trajectory.cache_clear()
    explorables.render("symmetry", {"iteration": 250})
    trained = len(calls)
    assert trained == 2 * symmetry.MAX_ITERATIONS  # both starts, trained once
    for iteration in (0, 10, 490, 500, 250):
        explorables.render("symmetry", {"iteration": iteration})
    assert len(calls) == trained


@pytest.mark.parametrize(
    "params, message",
    [
        ({"iteration": 510}, "Iteration must be between 0 and 500"),
        ({"iteration": "ten"}, "Iteration must be a number"),
        ({"activation": "relu"}, "Hidden activation g[1] must be one of 'sigmoid', 'tanh'"),
    ],
)
def test_bad_inputs_are_explained(params, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        explorables.render("symmetry", params)


def test_direct_calls_check_their_arguments():
    with pytest.raises(ValueError, match="must be 'sigmoid' or 'tanh'"):
        symmetry.symmetry(activation="relu")
    with pytest.raises(ValueError, match="whole number"):
        symmetry.symmetry(iteration=2.5)
    with pytest.raises(ValueError, match="between 0 and 500"):
        symmetry.symmetry(iteration=-10)


def test_it_is_registered_as_a_live_explorable():
    ex = explorables.get("symmetry")
    assert ex.action is None
    assert [c["name"] for c in ex.spec()["controls"]] == ["activation", "iteration"]
