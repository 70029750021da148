"""Write the constants the browser's scripts take from the engine, as JSON that esbuild bundles.

    python scripts/js_constants.py --output build/js-constants.json

The engine is their one source: the colours of the course's plots (nndl.display.PALETTE, which
the dashboard's cost chart draws its runs in), the dashboard's models with the course's defaults
(nndl.dashboard.MODELS, shown before Python has started) and where nndl.matmul looks for its
matrix-product kernel (nndl.matmul.GEMM_PATH, where the worker writes it). The Makefile aliases
the import name "nndl-constants" to the file written here.
"""

import argparse
import json
from pathlib import Path

from nndl import dashboard, display, matmul


def constants():
    return {
        "palette": list(display.PALETTE),
        "models": dashboard.Dashboard().state()["models"],  # as the page gets them from Python
        "kernelPath": matmul.GEMM_PATH,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(constants(), indent=2, ensure_ascii=False) + "\n"
    if not args.output.exists() or args.output.read_text(encoding="utf-8") != text:
        args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
