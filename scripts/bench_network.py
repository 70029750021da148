"""The benchmark's network workload, in Chromium: the demo page's cold first result served
gzip-compressed under Chromium's network emulation, and a browser saving data."""

from bench_browsers import first_result_ms, stages_of, transferred_bytes
from bench_common import FIRST_PAGE, Series
from bench_site import gzip_server

# ---- A real network: gzip as GitHub Pages serves, Chromium's network emulation ---------------

#: The network of a cold visit on a good mobile or home connection: 25 Mbit/s down and up, 40 ms
#: round trip (Chromium's emulation: each request waits the round trip, all share the bandwidth).
NETWORK = {"mbps": 25, "rtt_ms": 40}


def emulate_network(tab):
    """Chromium's network emulation on the tab's page (and its workers' requests)."""
    session = tab.context.new_cdp_session(tab.page)
    session.send("Network.enable")
    rate = NETWORK["mbps"] * 1e6 / 8  # bytes per second
    session.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": NETWORK["rtt_ms"], "downloadThroughput": rate,
        "uploadThroughput": rate})
    return session


SAVE_DATA_SCRIPT = ("Object.defineProperty(Navigator.prototype, 'connection', { configurable: true,"
                    " get: () => ({ saveData: true, effectiveType: '4g' }) });")


def bench_network(browsers, runs, results):
    """Chromium, a fresh profile each: the demo page's cold first result served gzip-compressed
    under NETWORK's emulation; and a browser saving data (Python starts at the first Run), from
    the Run to the result, on this machine's network and under the emulation."""
    server = gzip_server(browsers.server.httpd.RequestHandlerClass.root)
    figures = ("network_cold_first_result", "network_cold_bytes", "network_stage_download",
               "savedata_cold_run_to_result", "savedata_network_cold_run_to_result")
    for figure in figures:
        results[figure] = Series()
    try:
        for run in range(runs):
            line = []
            for figure, save_data, emulated in (
                ("network_cold_first_result", False, True),
                ("savedata_cold_run_to_result", True, False),
                ("savedata_network_cold_run_to_result", True, True),
            ):
                tab = browsers.fresh_profile("chromium")
                if save_data:
                    tab.context.add_init_script(SAVE_DATA_SCRIPT)
                if emulated:
                    emulate_network(tab)
                loaded = []

                def count(request):
                    try:
                        loaded.append((request.url, transferred_bytes(request)))
                    except Exception:  # noqa: BLE001  (a request still finishing as the tab closes)
                        pass

                tab.context.on("requestfinished", count)
                first = first_result_ms(tab, server.url + FIRST_PAGE)
                tab.context.remove_listener("requestfinished", count)
                if save_data:
                    seconds = (first - tab.js("window.__runPressed")) / 1000
                else:
                    seconds = first / 1000
                    results["network_cold_bytes"].add(sum(size for _, size in loaded))
                    largest = sorted(loaded, key=lambda item: -item[1])[:6]
                    print("    largest transfers: " + ", ".join(
                        f"{url.rsplit('/', 1)[-1]} {size / 1e6:.2f} MB" for url, size in largest), flush=True)
                    download = stages_of(tab, first)["download"]
                    if download is not None:
                        results["network_stage_download"].add(download)
                results[figure].add(seconds)
                line.append(f"{figure} {seconds:.2f} s")
                browsers.close_tab(tab)
            print(f"  network run {run + 1}: " + ", ".join(line)
                  + f"; {results['network_cold_bytes'].values[-1] / 1e6:.1f} MB transferred", flush=True)
    finally:
        server.close()
