"""The benchmark's report: its tables as Markdown (Chromium against native CPython, the engines
side by side, the stages of start-up, Lighthouse's scores), read back from bench.json as well,
and bench.json itself."""

import json

from bench_browsers import STAGE_LABELS, STAGES
from bench_common import ENGINE_LABELS, WARM, Series, engines, key
from bench_lighthouse import LIGHTHOUSE_CATEGORIES, LIGHTHOUSE_GOALS
from bench_network import NETWORK

# ---- Report -----------------------------------------------------------------------------------

GOALS = {
    "cold_first_result": ("≤ 2.0 s", lambda v: v <= 2.0),
    "warm_first_result": ("≤ 1.0 s", lambda v: v <= 1.0),
    "next_page_first_result": ("≤ 0.3 s", lambda v: v <= 0.3),
    "network_cold_first_result": ("≤ 4.0 s", lambda v: v <= 4.0),
}



def markdown_table(rows):
    """The lines of a Markdown table whose first row is the header, and an empty line after it
    (for the note that follows each table)."""
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * len(rows[0]))
    return [*lines, ""]

def spread(series, unit="", scale=1.0, digits=2):
    if series is None or not series.values:
        return "–"
    m, lo, hi = (x * scale for x in (series.median, min(series.values), max(series.values)))
    return f"{m:.{digits}f}{unit} [{lo:.{digits}f}–{hi:.{digits}f}] (n={len(series.values)})"


def reference_of(bare, ours, unit, scale=1.0, digits=2):
    """(reference text, ratio) for a start-up figure: the bare Pyodide page's, when measured."""
    if bare is None or not bare.values:
        return "–", "–"
    return f"bare Pyodide page {spread(bare, unit, scale, digits)}", f"{ours.median / bare.median:.2f}×"


def table(results, info):
    """The table as Markdown rows: figure, browser, native reference, ratio, goal."""
    rows = [("Figure", "Browser (median [min–max])", "Reference", "Ratio", "Goal")]
    r = results.get
    for key, label in (
        ("cold_first_result", "First result, cold"),
        ("warm_first_result", "First result, warm (second visit)"),
        ("next_page_first_result", "First result, next lesson (same visit)"),
    ):
        if r(key):
            goal, met = GOALS[key]
            reference, ratio = reference_of(r(f"bare_{key}"), r(key), " s")
            rows.append((label, spread(r(key), " s"), reference, ratio,
                         f"{goal}: {'met' if met(r(key).median) else 'not met'}"))
    if r("cold_bytes"):
        reference, ratio = reference_of(r("bare_cold_bytes"), r("cold_bytes"), " MB", 1e-6, 1)
        rows.append(("Bytes transferred, cold", spread(r("cold_bytes"), " MB", 1e-6, 1),
                     reference, ratio, "–"))
    network = f"{NETWORK['mbps']} Mbit/s, {NETWORK['rtt_ms']} ms round trip, gzip"
    if r("network_cold_first_result"):
        goal, met = GOALS["network_cold_first_result"]
        rows.append((f"First result, cold, at {network}",
                     spread(r("network_cold_first_result"), " s"),
                     f"the runtime's downloads in at {spread(r('network_stage_download'), ' s')}", "–",
                     f"{goal}: {'met' if met(r('network_cold_first_result').median) else 'not met'}"))
        rows.append((f"Bytes transferred, cold, gzip", spread(r("network_cold_bytes"), " MB", 1e-6, 1),
                     "–", "–", "–"))
    for figure, label in (("savedata_cold_run_to_result", "Saving data: from the first Run to its result, cold"),
                          ("savedata_network_cold_run_to_result",
                           f"Saving data: from the first Run to its result, cold, at {network}")):
        if r(figure):
            rows.append((label, spread(r(figure), " s"), "Python starts at the Run, not as the page loads",
                         "–", "–"))
    for name, label in (("lr", "Logistic regression, 2000 it."),
                        ("deep", "L-layer [12288, 20, 7, 5, 1], 2500 it.")):
        if r(f"{name}_browser"):
            ratio = r(f"{name}_browser").median / r(f"{name}_native").median
            rows.append((f"{label}: time", spread(r(f"{name}_browser"), " s"),
                         "native " + spread(r(f"{name}_native"), " s"), f"{ratio:.1f}×",
                         f"≤ 3×: {'met' if ratio <= 3 else 'not met'}"))
            b_acc, n_acc = r(f"{name}_test_acc_browser").median, r(f"{name}_test_acc_native").median
            rows.append((f"{label}: train / test accuracy",
                         f"{r(f'{name}_train_acc_browser').median:.0f} % / {b_acc:.0f} %",
                         f"native {r(f'{name}_train_acc_native').median:.0f} % / {n_acc:.0f} %",
                         "–", f"within 1 point: {'met' if abs(b_acc - n_acc) <= 1 else 'not met'}"))
    if r("dot_loop_ratio_browser"):
        rows.append(("Loop ÷ np.dot, 10⁶ elements", spread(r("dot_loop_ratio_browser"), "×", digits=0),
                     "native " + spread(r("dot_loop_ratio_native"), "×", digits=0), "–", "–"))
        rows.append(("  the loop / one np.dot", f"{r('dot_loop_browser').median * 1e3:.0f} ms / "
                     f"{r('dot_np_browser').median * 1e3:.2f} ms",
                     f"native {r('dot_loop_native').median * 1e3:.0f} ms / "
                     f"{r('dot_np_native').median * 1e3:.2f} ms",
                     f"{r('dot_loop_browser').median / r('dot_loop_native').median:.1f}× / "
                     f"{r('dot_np_browser').median / r('dot_np_native').median:.1f}×", "–"))
    lines = markdown_table(rows)
    lines.append(
        f"Median [min–max] of n runs; {info['cpu']}, {info['cores']} cores, 1-minute load average "
        f"{info['load_at_start'][0]:.1f} at the start (each run's load is in bench.json); {info['chromium']}; native CPython "
        f"{info['python']}, NumPy {info['numpy']}, OpenBLAS threads: {info['native_threads'] or 'default'}; "
        f"{info['date']}."
    )
    return "\n".join(lines)


def engines_table(results, info):
    """Start-up and the logistic regression in each engine measured, as Markdown: each figure
    next to the bare Pyodide page's in the same engine and to Chromium's, all from the same run."""
    names = [e for e in engines.ENGINES if results.get(key(e, "cold_first_result"))
             or results.get(key(e, "lr_browser"))]
    if not names:
        return ""
    versions = info.get("engines", {})
    rows = [("Engine", "Figure", "Median [min–max]", "Bare Pyodide page", "Lesson ÷ bare",
             "÷ Chromium")]
    r = results.get

    def to_chromium(engine, figure):
        ours, theirs = r(key(engine, figure)), r(figure)
        if not theirs or not theirs.values:
            return "–"
        return f"{ours.median / theirs.median:.2f}×"

    for engine in names:
        label = ENGINE_LABELS[engine]
        for figure, text, bare in (
            ("cold_first_result", "First result, cold", "bare_cold_first_result"),
            ("warm_first_result", "First result, warm (second visit)", "bare_warm_first_result"),
            ("next_page_first_result", "First result, next lesson (same visit)", None),
        ):
            if not r(key(engine, figure)):
                continue
            bare_series = r(key(engine, bare)) if bare else None
            if bare_series and bare_series.values:
                bare_text = spread(bare_series, " s")
                ratio = f"{r(key(engine, figure)).median / bare_series.median:.2f}×"
            else:
                bare_text = ratio = "–"
            rows.append((label, text, spread(r(key(engine, figure)), " s"), bare_text, ratio,
                         to_chromium(engine, figure)))
            label = ""
        if r(key(engine, "lr_browser")):
            rows.append((label, "Logistic regression, 2000 it.: time (train / test accuracy)",
                         f"{spread(r(key(engine, 'lr_browser')), ' s')} "
                         f"({r(key(engine, 'lr_train_acc_browser')).median:.0f} % / "
                         f"{r(key(engine, 'lr_test_acc_browser')).median:.0f} %)",
                         "–", "–", to_chromium(engine, "lr_browser")))
    lines = markdown_table(rows)
    lines.append(
        "Median [min–max] of n runs, every engine measured in turn within each run (so the "
        "ratios compare engines under the same load); engines: "
        + "; ".join(f"{versions.get(e, ENGINE_LABELS[e])}" for e in names) + ". "
        "Cold: a fresh profile's first visit. Warm, a second visit: "
        + "; ".join(f"{ENGINE_LABELS[e]}: {WARM[e]}" for e in names) + ". "
        "Next lesson: the site's link to lesson 3, followed in the same tab (instant navigation). "
        "In every engine the page presses Run on its first cell once it is mounted and records "
        "the result's moment with performance.now(), from the start of navigation. The bare page "
        "loads Pyodide 0.27.7 and NumPy as published, in a fresh profile of its own, and is "
        "visited twice the same way."
        + (" WebKit runs under Xvfb, with no GPU, so it draws pages without accelerated "
           "compositing (which would emulate OpenGL on the processor; engines.py, WEBKIT_ENV)."
           if "webkit" in names else "")
    )
    return "\n".join(lines)


def stages_table(results):
    """Where start-up goes: each stage's end, cold and warm, the lesson's page and the bare
    Pyodide page, in every engine measured (medians, seconds from navigation)."""
    r = results.get
    rows = [("Engine", "Visit", "Page") + tuple(STAGE_LABELS[stage] for stage in STAGES)]
    for engine in engines.ENGINES:
        for visit in ("cold", "warm"):
            for prefix, page in (("", "lesson"), ("bare_", "bare Pyodide")):
                series = [r(key(engine, f"{prefix}stage_{visit}_{stage}")) for stage in STAGES]
                if not any(s and s.values for s in series):
                    continue
                rows.append((ENGINE_LABELS[engine], visit, page)
                            + tuple(f"{s.median:.2f} s" if s and s.values else "–" for s in series))
    if len(rows) == 1:
        return ""
    lines = markdown_table(rows)
    lines.append(
        "Medians, seconds from the start of navigation to the end of each stage: the last byte of "
        "the runtime's downloads in (Resource Timing); the interpreter started (CPython and its "
        "standard library, Pyodide's loadPyodide returned); NumPy (and nndl) imported; Python "
        "ready for the cells (the lesson's runner; the bare page has none); the first result. The "
        "stages overlap: downloads go on while the interpreter starts.")
    return "\n".join(lines)


def lighthouse_table(results):
    """Lighthouse's scores per page, with the goals."""
    pages = sorted(name[len("lighthouse_"):-len("_tbt_ms")] for name in results
                   if name.startswith("lighthouse_") and name.endswith("_tbt_ms"))
    if not pages:
        return ""
    r = results.get
    rows = [("Page", "Performance", "Accessibility", "Best practices", "SEO", "Total blocking time",
             "Goals (Performance ≥ 90, Accessibility 100, TBT ≤ 200 ms)")]
    for page in pages:
        figure = lambda name: r(f"lighthouse_{page}_{name}")  # noqa: E731
        values = {name: figure(name).median for name in (*LIGHTHOUSE_CATEGORIES, "tbt_ms") if figure(name)}
        missed = [text for text, ok in (
            ("Performance", values.get("performance", 0) >= LIGHTHOUSE_GOALS["performance"]),
            ("Accessibility", values.get("accessibility", 0) >= LIGHTHOUSE_GOALS["accessibility"]),
            ("TBT", values.get("tbt_ms", 1e9) <= LIGHTHOUSE_GOALS["tbt_ms"])) if not ok]
        rows.append((page or "(home)",
                     *(f"{values[name]:.0f}" if name in values else "–" for name in LIGHTHOUSE_CATEGORIES),
                     f"{values['tbt_ms']:.0f} ms", "met" if not missed else "not met: " + ", ".join(missed)))
    lines = markdown_table(rows)
    lines.append("Lighthouse 12 (npm, package-lock.json) with Debian's Chromium, default mobile settings "
                 "(simulated slow 4G, 4× CPU slowdown), the site served gzip-compressed as GitHub "
                 "Pages serves it; one run per page unless n is given; no host but this machine "
                 "reachable.")
    return "\n".join(lines)


def table_from_json(paths):
    results, info = {}, None
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        for name, summary in data["details"].items():
            if summary:
                series = results[name] = Series()
                series.values, series.loads = summary["runs"], summary["load_1min"]
        info = info or data["machine"]
    return report(results, info)


def report(results, info):
    """Chromium's table against native CPython, then the engines side by side."""
    main = table(results, info)
    parts = [main] if main.count("\n|") > 1 else []  # a table with rows
    for extra in (engines_table(results, info), stages_table(results), lighthouse_table(results)):
        if extra:
            parts.append(extra)
    return "\n\n".join(parts)


def write_json(results, info, path):
    data = {}
    keys = {  # the figures' own keys: medians
        "cold_first_result_s": "cold_first_result",
        "warm_first_result_s": "warm_first_result",
        "next_page_first_result_s": "next_page_first_result",
        "cold_bytes": "cold_bytes",
        "lr_browser_s": "lr_browser",
        "lr_native_s": "lr_native",
        "deep_browser_s": "deep_browser",
        "deep_native_s": "deep_native",
        "lr_test_acc_browser": "lr_test_acc_browser",
        "deep_test_acc_browser": "deep_test_acc_browser",
        "dot_loop_ratio_browser": "dot_loop_ratio_browser",
        "bare_cold_first_result_s": "bare_cold_first_result",
        "bare_warm_first_result_s": "bare_warm_first_result",
        "bare_cold_bytes": "bare_cold_bytes",
    }
    for engine in ("firefox", "webkit"):
        for figure in ("cold_first_result", "warm_first_result", "next_page_first_result",
                       "bare_cold_first_result", "bare_warm_first_result", "lr_browser"):
            keys[f"{engine}_{figure}_s"] = f"{engine}_{figure}"
        keys[f"{engine}_lr_test_acc_browser"] = f"{engine}_lr_test_acc_browser"
    for json_key, name in keys.items():
        data[json_key] = results[name].median if name in results else None
    data["details"] = {name: series.summary() for name, series in results.items()}
    data["machine"] = info
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
