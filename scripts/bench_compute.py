"""The benchmark's computing workloads, in the browser and natively on CPython: the course's two
trainings (lr, deep) and the vectorization lesson's loop against np.dot (dot)."""

import json
import os
import re
import subprocess
import sys

from bench_browsers import run_cell
from bench_common import DOT_PAGE, ROOT, TRAINING_PAGE, Series, key

# The trainings, as one program: the same text runs in a cell and in `python -c`. It prints one
# line "BENCH {json}" with the training's wall time (around the training alone, not the loading
# of the pictures) and the accuracies it reaches.
TRAINING_CODE = {
    "lr": """
import json, time
import numpy as np
from nndl import data, logistic

train_x_orig, train_y, test_x_orig, test_y, classes = data.load_sample_images()
train_x, test_x = data.flatten_images(train_x_orig), data.flatten_images(test_x_orig)
start = time.perf_counter()
w, b = logistic.initialize_with_zeros(train_x.shape[0])
params, grads, history = logistic.optimize(w, b, train_x, train_y, num_iterations=2000,
                                           learning_rate=0.005)
seconds = time.perf_counter() - start
w, b = params["w"], params["b"]
train_acc = 100 * np.mean(logistic.predict(w, b, train_x) == train_y)
test_acc = 100 * np.mean(logistic.predict(w, b, test_x) == test_y)
print("BENCH " + json.dumps({"seconds": seconds, "train_acc": float(train_acc),
                             "test_acc": float(test_acc), "cost": history.costs[-1]}))
""",
    "deep": """
import json, time
import numpy as np
from nndl import data, deep

train_x_orig, train_y, test_x_orig, test_y, classes = data.load_sample_images()
train_x, test_x = data.flatten_images(train_x_orig), data.flatten_images(test_x_orig)
start = time.perf_counter()
parameters, history = deep.train(train_x, train_y, [12288, 20, 7, 5, 1], learning_rate=0.0075,
                                 num_iterations=2500)
seconds = time.perf_counter() - start
train_acc = 100 * np.mean(deep.predict(train_x, parameters) == train_y)
test_acc = 100 * np.mean(deep.predict(test_x, parameters) == test_y)
print("BENCH " + json.dumps({"seconds": seconds, "train_acc": float(train_acc),
                             "test_acc": float(test_acc), "cost": history.costs[-1]}))
""",
}


# ---- Native runs ------------------------------------------------------------------------------


def native(code, threads):
    """Run code with the project's CPython; returns the dict its BENCH line printed (or the text of
    its output, when the code prints no such line)."""
    env = dict(os.environ)
    if threads:
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = str(threads)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, cwd=ROOT, check=True)
    return parse_bench(result.stdout)


def parse_bench(text):
    for line in text.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[len("BENCH "):])
    return text


def bench_training(browsers, name, engine_names, runs, threads, results):
    """The training in each engine (one page each, kept open), and natively, in turn. Results:
    lr_browser, lr_native, lr_test_acc_browser, ..., firefox_lr_browser, ..."""
    code = TRAINING_CODE[name]
    figures = ("browser", "test_acc_browser", "train_acc_browser")
    native_figures = ("native", "test_acc_native", "train_acc_native")
    for figure in native_figures:
        results[f"{name}_{figure}"] = Series()
    readers = {}
    for engine in engine_names:
        for figure in figures:
            results[key(engine, f"{name}_{figure}")] = Series()
        readers[engine] = browsers.reader(engine, TRAINING_PAGE)
    for run in range(runs):
        out = native(code, threads)
        for figure, field in zip(native_figures, ("seconds", "test_acc", "train_acc")):
            results[f"{name}_{figure}"].add(out[field])
        line = [f"native {out['seconds']:.2f} s ({out['train_acc']:.0f} % / {out['test_acc']:.0f} %)"]
        for engine, reader in readers.items():
            out = parse_bench(run_cell(reader, code))
            for figure, field in zip(figures, ("seconds", "test_acc", "train_acc")):
                results[key(engine, f"{name}_{figure}")].add(out[field])
            line.append(f"{engine} {out['seconds']:.2f} s ({out['train_acc']:.0f} % / "
                        f"{out['test_acc']:.0f} %)")
        print(f"  {name} run {run + 1}: " + ", ".join(line), flush=True)
    for reader in readers.values():
        browsers.close_tab(reader.tab)


def dot_cell_code():
    text = (ROOT / "docs" / DOT_PAGE.rstrip("/")).with_suffix(".md").read_text(encoding="utf-8")
    return re.search(r"```pycell\n(.*?)```", text, re.S).group(1)


def parse_dot(text):
    loop = float(re.search(r"loop:.*in\s+([\d.]+) ms", text).group(1))
    dot = float(re.search(r"np\.dot:.*in\s+([\d.]+) ms", text).group(1))
    return loop, dot


def bench_dot(browsers, runs, threads, results):
    b_ratio, n_ratio, b_loop, b_dot, n_loop, n_dot = (Series() for _ in range(6))
    code = dot_cell_code()
    reader = browsers.reader("chromium", DOT_PAGE)
    for run in range(runs):
        loop, dot = parse_dot(run_cell(reader))
        b_loop.add(loop / 1000)
        b_dot.add(dot / 1000)
        b_ratio.add(loop / dot)
        loop, dot = parse_dot(native(code, threads))
        n_loop.add(loop / 1000)
        n_dot.add(dot / 1000)
        n_ratio.add(loop / dot)
        print(f"  dot run {run + 1}: browser loop/np.dot = {b_ratio.values[-1]:.0f}, "
              f"native {n_ratio.values[-1]:.0f}", flush=True)
    browsers.close_tab(reader.tab)
    results.update(dot_loop_ratio_browser=b_ratio, dot_loop_ratio_native=n_ratio,
                   dot_loop_browser=b_loop, dot_np_browser=b_dot, dot_loop_native=n_loop,
                   dot_np_native=n_dot)
