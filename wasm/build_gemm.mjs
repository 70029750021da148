// Compile wasm/gemm.wat (the matrix products of nndl.matmul) to WebAssembly.
//
//   node wasm/build_gemm.mjs [--source wasm/gemm.wat] [--output build/wasm/gemm.wasm]
//
// The text is compiled by wabt (its WebAssembly build, from npm) with only the SIMD feature on;
// no names or debug information are written, so the same text always gives the same bytes.
// The module is then marked as an Emscripten side module: a `dylink.0` custom section, which must
// come first, saying it needs no memory and no table of its own. Pyodide's dynamic loader (behind
// ctypes.CDLL) then instantiates it with Python's own memory as its "env" "memory" import.

import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import initWabt from "wabt";

/** `dylink.0` with one WASM_DYLINK_MEM_INFO subsection: memory size, memory alignment, table
 *  size and table alignment, all 0 (LEB128 zeros are single bytes). */
function dylinkSection() {
  const name = new TextEncoder().encode("dylink.0");
  const memInfo = [1, 4, 0, 0, 0, 0]; // subsection id, its size, then the four zeros
  const payload = [name.length, ...name, ...memInfo];
  return Uint8Array.from([0, payload.length, ...payload]); // id 0: a custom section
}

/** The .wasm bytes for the .wat text: the compiled module with the dylink section first. */
export async function buildGemm(text, filename = "gemm.wat") {
  const wabt = await initWabt();
  const module = wabt.parseWat(filename, text, { simd: true });
  try {
    module.resolveNames();
    module.validate();
    const { buffer } = module.toBinary({ log: false, write_debug_names: false });
    const header = buffer.subarray(0, 8); // magic number and version
    const section = dylinkSection();
    const out = new Uint8Array(buffer.length + section.length);
    out.set(header, 0);
    out.set(section, 8);
    out.set(buffer.subarray(8), 8 + section.length);
    return out;
  } finally {
    module.destroy();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      source: { type: "string", default: "wasm/gemm.wat" },
      output: { type: "string", default: "build/wasm/gemm.wasm" },
    },
  });
  const bytes = await buildGemm(await readFile(values.source, "utf8"), path.basename(values.source));
  new WebAssembly.Module(bytes); // the engine accepts it
  await mkdir(path.dirname(values.output), { recursive: true });
  await writeFile(values.output, bytes);
  console.log(`${values.output}: ${bytes.length} bytes`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`build_gemm: error: ${error.message ?? error}`);
    process.exit(1);
  });
}
