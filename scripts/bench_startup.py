"""The start-up workload of the benchmark: the demo page cold and warm, the next lesson in the
same visit, and the bare Pyodide page the same way, in every engine asked for."""

from bench_browsers import STAGES, first_result_ms, next_page_result_ms, stages_of, transferred_bytes
from bench_common import BARE_PAGE, FIRST_PAGE, NEXT_PAGE, Series, key


def two_visits(browsers, engine, path, stages=None):
    """A fresh browser profile opens path, then a new tab of the same browser opens it again.
    Returns the first result's seconds and (Chromium only) the bytes transferred of the first
    visit, the seconds of the second, and the tab, still open. With a dict `stages`, puts the
    stages of each visit there, under "cold" and "warm"."""
    tab = browsers.fresh_profile(engine)
    loaded = []
    if engine == "chromium":  # Playwright sees every request's size; the others: not measured

        def count(request):
            loaded.append(transferred_bytes(request))

        tab.context.on("requestfinished", count)
    cold = first_result_ms(tab, browsers.url(path)) / 1000
    if stages is not None:
        stages["cold"] = stages_of(tab, cold * 1000)
    if engine == "chromium":
        tab.context.remove_listener("requestfinished", count)
    # A second visit: this tab closed, a new tab of the same browser (its HTTP and code caches).
    tab.new_tab()
    warm = first_result_ms(tab, browsers.url(path)) / 1000
    if stages is not None:
        stages["warm"] = stages_of(tab, warm * 1000)
    return cold, (sum(loaded) if loaded else None), warm, tab


STARTUP_FIGURES = ("cold_first_result", "cold_bytes", "warm_first_result",
                   "next_page_first_result", "bare_cold_first_result", "bare_cold_bytes",
                   "bare_warm_first_result")


def bench_startup(browsers, engine_names, runs, results):
    """Each run measures every engine in turn, so that the ratios compare engines under the same
    load."""
    for engine in engine_names:
        for figure in STARTUP_FIGURES:
            if engine == "chromium" or "bytes" not in figure:
                results[key(engine, figure)] = Series()
        for figure in stage_figures():
            results[key(engine, figure)] = Series()
    for run in range(runs):
        for engine in engine_names:
            r = lambda figure: results[key(engine, figure)]  # noqa: E731
            ours, bare = {}, {}
            cold, loaded, warm, tab = two_visits(browsers, engine, FIRST_PAGE, ours)
            r("cold_first_result").add(cold)
            r("warm_first_result").add(warm)
            r("next_page_first_result").add(next_page_result_ms(tab, NEXT_PAGE) / 1000)
            browsers.close_tab(tab)
            # The reference, in a fresh profile of its own: the same two visits of the bare page.
            bare_cold, bare_loaded, bare_warm, tab = two_visits(browsers, engine, BARE_PAGE, bare)
            browsers.close_tab(tab)
            for prefix, visits in (("", ours), ("bare_", bare)):
                for visit, found in visits.items():
                    for stage, seconds in found.items():
                        if seconds is not None:
                            r(f"{prefix}stage_{visit}_{stage}").add(seconds)
            r("bare_cold_first_result").add(bare_cold)
            r("bare_warm_first_result").add(bare_warm)
            bytes_text = bare_bytes_text = ""
            if engine == "chromium":
                r("cold_bytes").add(loaded)
                r("bare_cold_bytes").add(bare_loaded)
                bytes_text, bare_bytes_text = f", {loaded / 1e6:.1f} MB", f", {bare_loaded / 1e6:.1f} MB"
            print(f"  startup run {run + 1}, {engine}: cold {cold:.2f} s, warm {warm:.2f} s,"
                  f" next page {r('next_page_first_result').values[-1]:.2f} s{bytes_text};"
                  f" bare Pyodide page: cold {bare_cold:.2f} s, warm {bare_warm:.2f} s"
                  f"{bare_bytes_text}", flush=True)


def stage_figures():
    return [f"{prefix}stage_{visit}_{stage}" for prefix in ("", "bare_") for visit in ("cold", "warm")
            for stage in STAGES]
