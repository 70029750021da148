"""Tests for nndl.display: PNG pictures, SVG line plots, display() and MIME bundles."""

import base64
import struct
import sys
import types
import xml.etree.ElementTree as ET
import zlib

import numpy as np
import pytest

from nndl import _svg as svg
from nndl import display as nd
from nndl import plots
from nndl.display import display, image, line_plot, mime_bundle, set_publisher

SVG = "{http://www.w3.org/2000/svg}"


def decode_png(data):
    """A minimal PNG reader for what the encoder writes: (width, height, color type, pixels)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        tag, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(tag + body), f"bad CRC in {tag!r}"
        chunks.append((tag, body))
        pos += 12 + length
    assert [t for t, _ in chunks][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, color, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", chunks[0][1]
    )
    assert (depth, compression, filtering, interlace) == (8, 0, 0, 0)
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    raw = zlib.decompress(b"".join(body for tag, body in chunks if tag == b"IDAT"))
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(height, 1 + width * channels)
    assert np.all(rows[:, 0] == 0), "every row uses filter 0"
    return width, height, color, rows[:, 1:].reshape(height, width, channels)


# ---- image(): shapes, dtypes, scaling ----


@pytest.mark.parametrize(
    "shape, color, channels",
    [((5, 7), 0, 1), ((5, 7, 1), 0, 1), ((5, 7, 3), 2, 3), ((5, 7, 4), 6, 4)],
)
def test_png_round_trip_uint8(rng, shape, color, channels):
    pixels = rng.integers(0, 256, size=shape, dtype=np.uint8)
    width, height, got_color, decoded = decode_png(image(pixels, scale=1)._repr_png_())
    assert (width, height, got_color) == (7, 5, color)
    np.testing.assert_array_equal(decoded, pixels.reshape(5, 7, channels))


def test_floats_in_0_1_are_scaled_to_0_255():
    pixels = np.array([[0.0, 0.5, 1.0]])
    *_, decoded = decode_png(image(pixels, scale=1)._repr_png_())
    np.testing.assert_array_equal(decoded[:, :, 0], [[0, 128, 255]])


def test_booleans_and_wide_integers_are_accepted():
    *_, from_bool = decode_png(image(np.array([[True, False]]), scale=1)._repr_png_())
    np.testing.assert_array_equal(from_bool[:, :, 0], [[255, 0]])
    *_, from_int = decode_png(image(np.array([[0, 17, 255]], dtype=np.int64), scale=1)._repr_png_())
    np.testing.assert_array_equal(from_int[:, :, 0], [[0, 17, 255]])


@pytest.mark.parametrize("shape", [(12288, 1), (12288,)])
def test_flattened_course_picture_is_folded_back_to_64x64x3(rng, shape):
    picture = rng.integers(0, 256, size=(64, 64, 3), dtype=np.uint8)
    flat = picture.reshape(-1).reshape(shape)  # the course's flattening, one column per picture
    width, height, color, decoded = decode_png(image(flat / 255.0, scale=1)._repr_png_())
    assert (width, height, color) == (64, 64, 2)
    np.testing.assert_array_equal(decoded, picture)


def test_scale_repeats_each_pixel_into_a_block():
    pixels = np.array([[0, 255]], dtype=np.uint8)
    width, height, _, decoded = decode_png(image(pixels, scale=3)._repr_png_())
    assert (width, height) == (6, 3)
    np.testing.assert_array_equal(decoded[:, :, 0], [[0, 0, 0, 255, 255, 255]] * 3)


@pytest.mark.parametrize("size, scale", [(64, 3), (28, 6), (500, 1), (192, 1)])
def test_default_scale_enlarges_small_pictures(size, scale):
    assert image(np.zeros((size, size // 2 + 1))).scale == scale


def test_description_names_size_mode_and_title():
    plain = image(np.zeros((4, 6, 3)))
    titled = image(np.zeros((4, 6)), title="A cat")
    assert repr(plain) == "<Image, 6×4 pixels, RGB>"
    assert titled.describe() == "A cat (6×4 pixels, grey)"
    assert (titled.width, titled.height) == (6, 4)


@pytest.mark.parametrize(
    "array, error, words",
    [
        (np.zeros((2, 3, 64, 64)), ValueError, "2 pictures"),
        (np.zeros((3, 64, 64)), ValueError, "channels come last"),
        (np.zeros((4, 4, 2)), ValueError, "got shape (4, 4, 2)"),
        (np.zeros((0, 4)), ValueError, "empty"),
        (np.zeros(100), ValueError, "3·s·s values"),
        (np.zeros((100, 1)), ValueError, "got 100"),
        (np.full((2, 2), 200.0), ValueError, "divide by 255"),
        (np.full((2, 2), -1.0), ValueError, "from -1 to -1"),
        (np.array([[0.5, np.nan]]), ValueError, "NaN"),
        (np.array([[0, 256]]), ValueError, "0…255"),
        (np.array([["a", "b"]]), TypeError, "numbers"),
        (np.array([[1j, 0]]), TypeError, "complex"),
    ],
)
def test_bad_pixels_are_explained(array, error, words):
    with pytest.raises(error, match=None) as caught:
        image(array)
    assert words in str(caught.value)


@pytest.mark.parametrize("scale", [0, -1, 1.5, True, "2"])
def test_bad_scale_is_explained(scale):
    with pytest.raises(ValueError, match="scale must be a whole number"):
        image(np.zeros((2, 2)), scale=scale)


def test_huge_result_is_refused():
    with pytest.raises(ValueError, match="choose a smaller scale"):
        image(np.zeros((1000, 1000), dtype=np.uint8), scale=5)


# ---- line_plot(): SVG that parses, with what was asked for ----


def parse(plot):
    root = ET.fromstring(plot._repr_svg_())
    assert root.tag == f"{SVG}svg"
    return root


def texts(root):
    return [el.text for el in root.iter(f"{SVG}text")]


def series_paths(root):
    """{series index: list of (x, y) vertices, with None between pieces}"""
    paths = {}
    for group in root.iter(f"{SVG}g"):
        cls = group.get("class", "")
        path = group.find(f"{SVG}path")
        if cls.startswith("nndl-series-") and path is not None:
            points = []
            for piece in path.get("d").replace("L", " ").split("M")[1:]:
                points.extend(tuple(map(float, p.split(","))) for p in piece.split())
                points.append(None)
            paths[int(cls.rsplit("-", 1)[1])] = points[:-1]
    return paths


def test_single_series_has_title_labels_ticks_and_one_line():
    costs = [0.69, 0.5, 0.4, 0.35, 0.3]
    root = parse(line_plot(costs, title="Cost", xlabel="iteration", ylabel="cost J"))
    words = texts(root)
    assert {"Cost", "iteration", "cost J"} <= set(words)
    assert {"0", "1", "2", "3", "4"} <= set(words)  # x ticks at whole iterations
    assert {"0.3", "0.4", "0.5", "0.6", "0.7"} <= set(words)  # nice y ticks
    paths = series_paths(root)
    assert list(paths) == [0] and len(paths[0]) == 5
    ys = [y for _, y in paths[0]]
    assert ys == sorted(ys), "decreasing cost is drawn going down the screen (y grows)"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    desc = root.find(f"{SVG}desc")
    assert desc.get("id") == desc_id and "from 0.69 to 0.3" in desc.text


def test_x_values_place_the_points_and_label_the_axis():
    root = parse(line_plot([0.9, 0.5, 0.2], x=[0, 1000, 2000]))
    assert {"0", "1000", "2000"} <= set(texts(root))
    xs = [x for x, _ in series_paths(root)[0]]
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1])


def test_several_series_get_a_legend_and_a_colour_each():
    plot = line_plot({"α = 0.01": [3, 2, 1], "α = 0.1": [3, 1, 0.5], "<b>": [1, 1, 1]})
    root = parse(plot)
    assert {"α = 0.01", "α = 0.1", "<b>"} <= set(texts(root))  # escaped, then read back
    assert sorted(series_paths(root)) == [0, 1, 2]
    colours = {g.get("stroke") for g in root.iter(f"{SVG}g") if g.get("class", "").startswith(
        "nndl-series-") and g.get("stroke")}
    assert len(colours) == 3


def test_legend_wraps_to_the_width():
    labels = {f"a rather long series label {i}": [1, 2] for i in range(6)}
    plot = line_plot(labels, width=400)
    rows = plots._legend_layout(plot, 40, 400)
    assert len(rows) > 2 and all(x + 24 < 400 for row in rows for x, _, _ in row)
    parse(plot)


def test_non_finite_values_leave_a_gap():
    root = parse(line_plot([1.0, 0.8, np.inf, np.nan, 0.6, 0.5]))
    points = series_paths(root)[0]
    assert points.count(None) == 1 and len(points) == 5


def test_log_scale_uses_decades_and_needs_positive_values():
    root = parse(line_plot([1e-4, 1e-2, 1.0, 100.0], logy=True, ylabel="cost"))
    assert {"1e-4", "0.01", "1", "100"} <= set(texts(root))
    few = texts(parse(line_plot([0.13, 0.5, 1.09], logy=True)))
    assert {"0.1", "0.2", "0.5", "1", "2"} <= set(few)
    assert "1e-06" not in texts(parse(line_plot([1e-6, 1e-3], logy=True)))
    with pytest.raises(ValueError, match="logy=True needs values above 0"):
        line_plot([1.0, 0.0], logy=True)


@pytest.mark.parametrize("value, ticks", [(1.0, ["0.5", "1", "2"]), (0.2, ["0.1", "0.2", "0.5"])])
def test_a_constant_series_on_a_log_axis_gets_a_range_around_it(value, ticks):
    words = texts(parse(line_plot([value, value], logy=True)))
    assert [w for w in words if w in {"0.1", "0.2", "0.5", "1", "2", "5"}][:3] == ticks
    low, high, _ = svg.log_ticks(value, value)
    assert 10**low < value < 10**high


def test_log_tick_labels():
    assert [svg.format_log_tick(v) for v in (1e-5, 2e-5, 0.01, 5.0, 1e6)] == [
        "1e-5", "2e-5", "0.01", "5", "1e6"
    ]


def test_tick_labels_have_the_decimals_the_step_needs():
    assert svg.format_tick(7.5, 2.5) == "7.5"
    assert svg.format_tick(0.25, 0.25) == "0.25"
    assert svg.format_tick(1500.0, 500.0) == "1500"
    assert svg.format_tick(1e-17, 0.1) == "0"
    assert svg.format_tick(3e-5, 1e-5) == "3e-05"


def test_nice_ticks_cover_the_data():
    lo, hi, ticks, step = svg.nice_ticks(0.137, 0.693)
    assert (lo, hi, step) == pytest.approx((0.1, 0.7, 0.1))
    assert len(ticks) == 7
    assert svg.nice_ticks(0, 3, integer=True)[3] == 1.0
    assert svg.nice_ticks(0, 11, target=5, integer=True)[3] == 2.0  # not 2.5 on a whole axis
    lo, hi, ticks, _ = svg.nice_ticks(5.0, 5.0)  # a flat series still gets a range
    assert lo < 5.0 < hi


def test_a_constant_series_and_a_single_point_draw():
    assert len(series_paths(parse(line_plot([0.5, 0.5, 0.5])))[0]) == 3
    assert len(series_paths(parse(line_plot([0.0])))[0]) == 1


def test_columns_and_rows_of_costs_are_accepted():
    assert line_plot(np.ones((1, 4))).series[None][1].shape == (4,)
    assert line_plot(np.ones((4, 1))).series[None][1].shape == (4,)


def test_long_series_are_thinned_but_keep_their_extremes_and_gaps():
    y = np.sin(np.arange(100_000) / 500.0)
    y[50_000] = 5.0  # one spike must survive
    y[70_000] = np.nan
    kept = plots._decimate(np.arange(100_000.0), y, 500.0)
    assert len(kept) <= 2 * 500 + 4
    assert {0, 50_000, 70_000, 99_999} <= set(kept.tolist())
    np.testing.assert_array_equal(plots._decimate(np.arange(10.0), y[:10], 500.0), np.arange(10))
    svg = line_plot(y)._repr_svg_()
    points = series_paths(ET.fromstring(svg))[0]
    assert len(svg) < 120_000 and None in points


@pytest.mark.parametrize(
    "args, kwargs, error, words",
    [
        (([],), {}, ValueError, "empty"),
        (({},), {}, ValueError, "dictionary of series is empty"),
        ((np.ones((3, 3)),), {}, ValueError, "one-dimensional"),
        (([1, 2, 3],), {"x": [0, 1]}, ValueError, "has 3 values but x has 2"),
        (({"a": [1, 2], "b": [1]},), {"x": [0, 1]}, ValueError, "series 'b' has 1 values"),
        (([np.nan, np.inf],), {}, ValueError, "no finite value"),
        ((["a", "b"],), {}, TypeError, "must be numbers"),
        (([1, 2],), {"x": [0, np.nan]}, ValueError, "x contains NaN"),
        (([1, 2],), {"width": 50}, ValueError, "width must be a number of at least 160"),
        (([1, 2],), {"height": True}, ValueError, "height must be"),
    ],
)
def test_bad_series_are_explained(args, kwargs, error, words):
    with pytest.raises(error) as caught:
        line_plot(*args, **kwargs)
    assert words in str(caught.value)


def test_too_small_for_its_labels():
    with pytest.raises(ValueError, match="too small"):
        line_plot({f"series number {i}": [1, 2] for i in range(5)}, width=160, height=160)._repr_svg_()


def test_each_plot_has_its_own_ids():
    a, b = line_plot([1, 2])._repr_svg_(), line_plot([1, 2])._repr_svg_()
    ids = lambda svg: {el.get("id") for el in ET.fromstring(svg).iter() if el.get("id")}  # noqa: E731
    assert ids(a) and not ids(a) & ids(b)


def test_the_opening_of_other_drawings_is_accessible_and_escaped():
    root = ET.fromstring(svg.svg_open("u1", "nndl-x", 320, 200.5, "J < 3 & more", "a \"desc\"") + "</svg>")
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("class") == "nndl-x"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("320", "200.5", "0 0 320 200.5")
    assert root.get("aria-labelledby") == "u1-title u1-desc" and root.get("fill") == "currentColor"
    assert root.find(f"{SVG}title").text == "J < 3 & more"
    assert root.find(f"{SVG}desc").text == 'a "desc"'


def test_plot_description():
    plot = line_plot({"train": [0.7, 0.2], "bad": [1.0, np.nan]}, title="J", ylabel="cost", logy=True)
    assert repr(plot) == (
        "<J; y: cost (log scale); train: 2 points, from 0.7 to 0.2; bad: 2 points, from 1 to 1>"
    )
    plot.series["bad"] = (np.arange(2.0), np.array([np.nan, np.nan]))
    assert "bad: 2 points, none finite" in plot.describe()
    assert line_plot([1, 2], xlabel="t").describe() == "Line plot; x: t; values: 2 points, from 1 to 2"


# ---- mime_bundle(), display() and the publisher ----


def test_bundle_of_an_image_and_a_plot():
    picture = image(np.zeros((2, 2)), scale=1)
    bundle = mime_bundle(picture)
    assert base64.b64decode(bundle["image/png"]) == picture._repr_png_()
    assert bundle["text/plain"] == repr(picture)
    plot_bundle = mime_bundle(line_plot([1, 2]))
    assert plot_bundle["image/svg+xml"].startswith("<svg")


def test_bundle_of_plain_values_is_their_repr():
    assert mime_bundle(42) == {"text/plain": "42"}
    assert mime_bundle(np.arange(3)) == {"text/plain": "array([0, 1, 2])"}
    long = mime_bundle("x" * 200_000)["text/plain"]
    assert len(long) < 100_100 and long.endswith("more characters)")


def test_bundle_follows_the_display_protocol():
    class Rich:
        def _repr_mimebundle_(self, include=None, exclude=None):
            return {"text/html": "<b>hi</b>", "image/png": b"\x89PNG"}, {}

        def _repr_html_(self):
            raise AssertionError("the mimebundle's HTML wins")

        def _repr_markdown_(self):
            return ("*hi*", {"meta": 1})

        def _repr_latex_(self):
            return None

        def _repr_svg_(self):
            return b"<svg/>"

    bundle = mime_bundle(Rich())
    assert bundle["text/html"] == "<b>hi</b>"
    assert bundle["image/png"] == base64.b64encode(b"\x89PNG").decode()
    assert bundle["text/markdown"] == "*hi*"
    assert bundle["image/svg+xml"] == "<svg/>"
    assert "text/latex" not in bundle and bundle["text/plain"].startswith("<")


def test_bundle_ignores_classes_and_catch_all_objects():
    class Anything:
        def __getattr__(self, name):
            return lambda *a, **k: "<b>surprise</b>"

        def __repr__(self):
            return "Anything()"

    class Broken:
        @property
        def _ipython_canary_method_should_not_exist_(self):
            raise RuntimeError("no")

        @property
        def _repr_html_(self):
            raise RuntimeError("no")

    assert mime_bundle(Anything()) == {"text/plain": "Anything()"}
    assert set(mime_bundle(nd.Image)) == {"text/plain"}
    assert set(mime_bundle(Broken())) == {"text/plain"}
    assert nd._real_method(Broken(), "_repr_html_") is None
    plain_text = type("P", (), {"_repr_mimebundle_": lambda self, **k: {"text/plain": "mine"}})
    assert mime_bundle(plain_text()) == {"text/plain": "mine"}


@pytest.fixture
def no_publisher():
    previous = set_publisher(None)
    yield
    set_publisher(previous)


def test_display_sends_each_object_to_the_publisher(no_publisher):
    shown = []
    assert set_publisher(shown.append) is None
    display(1, "two")
    assert shown == [1, "two"]
    assert set_publisher(None) == shown.append


def test_display_without_a_front_end_prints_a_description(no_publisher, capsys):
    display(image(np.zeros((3, 5))), 7)
    assert capsys.readouterr().out == "<Image, 5×3 pixels, grey>\n7\n"


def test_display_uses_ipython_when_a_kernel_runs(no_publisher, monkeypatch):
    shown = []
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: object()
    ipython_display = types.ModuleType("IPython.display")
    ipython_display.display = shown.append
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", ipython_display)
    display("hi")
    assert shown == ["hi"]
    ipython.get_ipython = lambda: None  # IPython installed but no kernel: plain printing
    assert nd._ipython_display() is None


def test_set_publisher_refuses_what_it_cannot_call(no_publisher):
    with pytest.raises(TypeError, match="expected a function or None"):
        set_publisher("print")


# ---- Pictures with their words: titles, labels, legends ----


def embedded_pngs(root):
    """The PNGs an SVG drawing shows, decoded."""
    pngs = []
    for element in root.iter(f"{SVG}image"):
        href = element.get("href")
        assert href.startswith("data:image/png;base64,")
        pngs.append(decode_png(base64.b64decode(href.split(",", 1)[1])))
    return pngs


def texts(root):
    return [t.text for t in root.iter(f"{SVG}text")]


def test_an_image_with_a_title_shows_it_above_the_picture():
    pixels = np.zeros((4, 6, 3))
    pixels[0, 0] = 1.0
    picture = image(pixels, scale=2, title="Two classes & a <point>")
    bundle = mime_bundle(picture)
    assert set(bundle) == {"image/png", "image/svg+xml", "text/plain"}
    root = ET.fromstring(bundle["image/svg+xml"])
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Two classes & a <point>"
    assert texts(root) == ["Two classes & a <point>"]
    [(width, height, _, decoded)] = embedded_pngs(root)
    assert (width, height) == (12, 8) and decoded[0, 0].tolist() == [255, 255, 255]
    title_y = float(root.find(f"{SVG}text").get("y"))
    assert title_y < float(root.find(f"{SVG}image").get("y"))


def test_an_image_without_words_stays_a_png():
    assert set(mime_bundle(image(np.zeros((2, 2))))) == {"image/png", "text/plain"}


def test_a_legend_names_each_colour():
    picture = image(np.zeros((3, 3)), title="Flower",
                    legend={"class 0": (0.85, 0.37, 0.0), "class 1": "#3B78C2"})
    root = ET.fromstring(picture._repr_svg_())
    swatches = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert swatches == ["#d95e00", "#3b78c2"]
    assert texts(root) == ["Flower", "class 0", "class 1"]
    assert picture.describe().endswith("; legend: class 0, class 1")
    assert picture.legend == [("class 0", "#d95e00"), ("class 1", "#3b78c2")]


@pytest.mark.parametrize(
    "legend, error",
    [(["class 0"], TypeError), ({"a": (1, 2, 3)}, ValueError), ({"a": "red"}, ValueError),
     ({"a": (0.1, 0.2)}, ValueError)],
)
def test_a_bad_legend_is_refused_clearly(legend, error):
    with pytest.raises(error, match="legend"):
        image(np.zeros((2, 2)), legend=legend)


def test_images_shows_panels_side_by_side_each_with_its_label():
    a, b = np.zeros((5, 5)), np.ones((5, 5, 3))
    grid = nd.images([a, b], ["1 unit: 70 %", "3 units: 92 %"], title="Boundaries", scale=3)
    root = ET.fromstring(mime_bundle(grid)["image/svg+xml"])
    assert texts(root) == ["Boundaries", "1 unit: 70 %", "3 units: 92 %"]
    panels = list(root.iter(f"{SVG}image"))
    assert [float(p.get("x")) < float(q.get("x")) for p, q in zip(panels, panels[1:])] == [True]
    first, second = embedded_pngs(root)
    assert first[3][0, 0].tolist() == [0] and second[3][0, 0].tolist() == [255, 255, 255]
    assert grid.describe() == "Boundaries: 2 panels (1 unit: 70 %; 3 units: 92 %)"
    # Without SVG: the pictures side by side in one PNG, with a gap between them.
    width, height, _, strip = decode_png(grid._repr_png_())
    assert (width, height) == (15 + 8 + 15, 15)


def test_images_checks_its_arguments():
    with pytest.raises(ValueError, match="at least one picture"):
        nd.images([])
    with pytest.raises(ValueError, match="2 pictures but 1 labels"):
        nd.images([np.zeros((2, 2))] * 2, ["one"])
