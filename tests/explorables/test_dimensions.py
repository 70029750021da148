"""Tests of the "dimension-calculator" explorable: the shapes of every array, checked (syllabus §11)."""

import xml.etree.ElementTree as ET

import pytest

from nndl import deep, explorables
from nndl.explorables import dimensions
from nndl.explorables.dimensions import parse_layer_sizes


def table_rows(html):
    """The table's body rows as lists of cell texts (the markup must parse as XML)."""
    root = ET.fromstring(html)
    table = root.find("table")
    assert table is not None and table.find("caption").text
    assert not [el for el in root.iter() if "style" in el.attrib or el.tag == "script"]
    text = lambda cell: "".join(cell.itertext()).replace("\u00a0", " ")  # noqa: E731
    return [[text(cell) for cell in tr] for tr in table.find("tbody")]


def test_the_worked_example_of_the_syllabus():
    view = explorables.render("dimension-calculator")
    data = view.data
    assert data["layer_dims"] == [2, 3, 5, 4, 2, 1] and data["L"] == 5 and data["m"] == 10
    assert [row["W"] for row in data["rows"]] == [(3, 2), (5, 3), (4, 5), (2, 4), (1, 2)]
    assert [row["b"] for row in data["rows"]] == [(3, 1), (5, 1), (4, 1), (2, 1), (1, 1)]
    assert all(row["dW"] == row["W"] and row["db"] == row["b"] for row in data["rows"])
    assert all(row["Z"] == row["A"] == (row["n"], 10) for row in data["rows"])
    assert data["all_agree"] and all(row["agrees"] for row in data["rows"])
    rows = table_rows(view.html)
    assert len(rows) == 6  # l = 0 (X) and the five layers
    assert rows[0][5] == "(2, 10) = X"
    assert [r[2] for r in rows[1:]] == ["(3, 2)", "(5, 3)", "(4, 5)", "(2, 4)", "(1, 2)"]
    assert [r[-1] for r in rows] == ["✓"] * 6
    assert "W[1] (3, 2), W[2] (5, 3), W[3] (4, 5), W[4] (2, 4), W[5] (1, 2)" in view.summary


def test_m_changes_only_the_columns_of_Z_and_A():
    view = explorables.render("dimension-calculator", {"layer_sizes": "4, 6, 6, 3, 1", "m": "32"})
    rows = view.data["rows"]
    assert [r["W"] for r in rows] == [(6, 4), (6, 6), (3, 6), (1, 3)]
    assert [r["Z"] for r in rows] == [(6, 32), (6, 32), (3, 32), (1, 32)]
    assert view.data["X"] == (4, 32) and view.data["all_agree"]


def test_the_check_compares_with_the_engines_arrays(monkeypatch):
    """A table that disagrees with the arrays gets a ✗ on that row, naming the array."""
    honest = deep.layer_shapes

    def wrong(layer_dims, m):
        shapes = honest(layer_dims, m)
        shapes[2]["W"] = shapes[2]["W"][::-1]  # W[2] transposed in the table
        return shapes

    monkeypatch.setattr(deep, "layer_shapes", wrong)
    view = explorables.render("dimension-calculator")
    assert not view.data["all_agree"]
    assert [row["agrees"] for row in view.data["rows"]] == [True, False, True, True, True]
    marks = [r[-1] for r in table_rows(view.html)]
    assert marks[2] == "✗ the engine made W (5, 3)" and marks.count("✓") == 5
    assert "✗" in view.summary


@pytest.mark.parametrize(
    "text",
    ["2, 3, 5, 4, 2, 1", "2,3, 5,4,2,1", "[2, 3, 5, 4, 2, 1]", "2 3 5 4 2 1", "n = (2, 3, 5, 4, 2, 1)",
     "2; 3; 5; 4; 2; 1", " 2, 3, 5, 4, 2, 1, ", "2.0, 3, 5, 4, 2, 1"],
)
def test_layer_sizes_are_read_forgivingly(text):
    assert parse_layer_sizes(text) == [2, 3, 5, 4, 2, 1]


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "Enter the layer sizes"),
        ("2, three, 1", "'three' is not a number"),
        ("2, 2.5, 1", r"n\[1\] = 2.5 is not a whole number"),
        ("2, 0, 1", r"n\[1\] = 0, but every layer needs at least one unit"),
        ("-3, 1", r"n\[0\] = -3"),
        ("4", "Only one size"),
        ("2, 3, 5", r"n\[L\] = n\[2\] = 5, but n\[L\] must be 1 for binary classification"),
        (", ".join(["2"] * 25 + ["1"]), "L = 25 layers; this calculator shows at most 20"),
    ],
)
def test_mistakes_in_the_sizes_are_explained(text, words):
    with pytest.raises(ValueError, match=words):
        explorables.render("dimension-calculator", {"layer_sizes": text})


def test_sizes_too_large_for_a_browser_are_refused():
    with pytest.raises(ValueError, match=r"W\[1\] would be \(300, 12288\): 3 686 400 numbers"):
        explorables.render("dimension-calculator", {"layer_sizes": "12288, 300, 1"})
    with pytest.raises(ValueError, match=r"X = A\[0\] would be \(1000, 5000\).*or a smaller m"):
        explorables.render("dimension-calculator", {"layer_sizes": "1000, 10, 1", "m": 5000})
    with pytest.raises(ValueError, match="multiplications, too many"):
        explorables.render("dimension-calculator", {"layer_sizes": "1000, 1000, 1", "m": 1000})
    with pytest.raises(ValueError, match="whole number, not 2.5"):
        explorables.render("dimension-calculator", {"m": "2.5"})
    # the course's own image network fits with a small batch
    view = explorables.render("dimension-calculator", {"layer_sizes": "12288, 20, 7, 5, 1", "m": 8})
    assert view.data["rows"][0]["W"] == (20, 12288) and view.data["all_agree"]
    assert dimensions.MAX_ARRAY == 1_000_000
