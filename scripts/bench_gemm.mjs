// Time the course's heavy matrix products in Pyodide under Node.js, by each route of nndl.matmul.
//
//   node scripts/bench_gemm.mjs [--runtime build/runtime] [--wasm build/wasm/gemm.wasm] [--reps 10]
//                               [--train 20]
//
// Boots Pyodide from the runtime folder, loads NumPy and OpenBLAS, puts the SIMD kernel where the
// cells' runner puts it, and imports nndl from py_src/ (this checkout, not the runtime's wheel).
// For each product, in the memory orders training uses, prints the median time of --reps runs and
// the rate in GMAC/s (10⁹ multiply-adds per second) of NumPy's own @, the OpenBLAS route and the
// kernel; checks np.allclose(kernel, @, rtol=1e-12, atol=0) (and the same for OpenBLAS), and
// prints the kernel's largest error relative to the sum of the terms' sizes, |A| @ |B|. Then
// times --train iterations of nndl.deep's training on random data of the course's shapes, by
// OpenBLAS and by the kernel.
// One thread, a few seconds in all: a measurement, not a test.

import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    runtime: { type: "string", default: "build/runtime" },
    wasm: { type: "string", default: "build/wasm/gemm.wasm" },
    reps: { type: "string", default: "10" },
    train: { type: "string", default: "20" },
  },
});

async function copyTree(pyodide, hostDir, pyodideDir) {
  pyodide.FS.mkdirTree(pyodideDir);
  for (const entry of await readdir(hostDir, { withFileTypes: true })) {
    if (entry.name === "__pycache__") continue;
    const from = path.join(hostDir, entry.name);
    if (entry.isDirectory()) await copyTree(pyodide, from, `${pyodideDir}/${entry.name}`);
    else pyodide.FS.writeFile(`${pyodideDir}/${entry.name}`, await readFile(from));
  }
}

const indexURL = path.resolve(values.runtime) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL });
await pyodide.loadPackage(["numpy", "openblas"], { messageCallback: () => {} });
await copyTree(pyodide, "py_src/nndl", "/home/pyodide/bench/nndl");
const wasm = await readFile(values.wasm);
pyodide.FS.mkdirTree("/usr/lib");
pyodide.FS.writeFile("/usr/lib/nndl-gemm.wasm", wasm); // matmul.GEMM_PATH, checked below
pyodide.globals.set("REPS", Number(values.reps));
pyodide.globals.set("TRAIN", Number(values.train));
pyodide.setStdout({ batched: (text) => console.log(text) });

pyodide.runPython(`
import sys, time
sys.path.insert(0, "/home/pyodide/bench")
import numpy as np
from nndl import matmul, deep, data

assert matmul.GEMM_PATH == "/usr/lib/nndl-gemm.wasm"

def timed(f, reps):
    f()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return float(np.median(times))

def route(name):
    """Make nndl.matmul take one route: 'openblas' or 'simd'."""
    matmul._kernel = None
    matmul._find_blas()
    if name == "simd":
        matmul._find_kernel()
    else:
        matmul._kernel = False  # falsy and not None: not looked up again
    assert matmul.backend() == name, matmul.backend()

rng = np.random.default_rng(0)
m = 209
images = rng.integers(0, 256, size=(m, 64, 64, 3), dtype=np.uint8)
X = data.flatten_images(images)                       # (12288, 209), Fortran-ordered
W1 = rng.standard_normal((20, 12288)) * 0.01
dZ1 = rng.standard_normal((20, m))
w = rng.standard_normal((12288, 1)) * 0.01
dZ = rng.standard_normal((1, m))
products = [
    ("W1 @ X     (20x12288 C @ 12288x209 F)", W1, X),
    ("dZ1 @ X.T  (20x209 C @ 209x12288 C)", dZ1, X.T),
    ("w.T @ X    (1x12288 @ 12288x209 F)", w.T, X),
    ("X @ dZ.T   (12288x209 F @ 209x1)", X, dZ.T),
]
print(f"X: C-contiguous {X.flags.c_contiguous}, F-contiguous {X.flags.f_contiguous}; reps {REPS}")
print(f"{'product':40s} {'numpy @':>16s} {'openblas':>16s} {'simd':>16s}  simd/openblas  allclose: simd openblas  max|C-@|/(|A|@|B|)")
for name, A, B in products:
    macs = A.shape[0] * A.shape[1] * B.shape[1]
    cells = []
    reference = A @ B
    t_np = timed(lambda: A @ B, max(2, REPS // 5))
    route("openblas")
    t_blas = timed(lambda: matmul.matmul(A, B), REPS)
    route("simd")
    t_simd = timed(lambda: matmul.matmul(A, B), REPS)
    scale = np.abs(A) @ np.abs(B)  # the sum of the terms' sizes: what rounding is relative to
    C = matmul.matmul(A, B)
    ok = np.allclose(C, reference, rtol=1e-12, atol=0)
    error = float(np.max(np.abs(C - reference) / scale))
    route("openblas")
    ok_blas = np.allclose(matmul.matmul(A, B), reference, rtol=1e-12, atol=0)
    cell = lambda t: f"{t * 1e3:7.2f} ms {macs / t / 1e9:5.2f}"
    print(f"{name:40s} {cell(t_np):>16s} {cell(t_blas):>16s} {cell(t_simd):>16s}  "
          f"{t_blas / t_simd:12.2f}x  {str(ok):5s} {str(ok_blas):5s}  {error:.1e}")

if TRAIN:
    Y = (rng.random((1, m)) > 0.5).astype(float)
    times = {}
    for name in ("openblas", "simd"):
        route(name)
        deep.train(X, Y, [12288, 20, 7, 5, 1], num_iterations=2)
        t = time.perf_counter()
        deep.train(X, Y, [12288, 20, 7, 5, 1], num_iterations=TRAIN)
        times[name] = (time.perf_counter() - t) / TRAIN
    print(f"deep.train [12288, 20, 7, 5, 1], m={m}: per iteration openblas {times['openblas'] * 1e3:.1f} ms, "
          f"simd {times['simd'] * 1e3:.1f} ms ({times['openblas'] / times['simd']:.2f}x)")
`);
