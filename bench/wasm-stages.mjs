// Runs bench/wasm-stages (built for wasm32-wasip1) in Node's WebAssembly (V8, as Chromium's
// workers run the app's), on FILE for ROUNDS rounds after one not counted (V8 compiles the
// hot code with its optimising tier during the first), and prints the medians as JSON.
// Usage: node --no-warnings bench/wasm-stages.mjs WASM FILE [ROUNDS]
import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, basename, resolve } from 'node:path';
import { median } from './median.mjs';

const [wasmPath, file, rounds = '5'] = process.argv.slice(2);
const path = resolve(file);
// The program writes its lines to stdout: it runs in a child process of this script, which
// reads them back.
if (process.env.WASM_STAGES_CHILD) {
  const wasi = new WASI({
    version: 'preview1',
    args: ['wasm-stages', `/data/${basename(path)}`, String(Number(rounds) + 1)],
    preopens: { '/data': dirname(path) },
    returnOnExit: true,
  });
  const module = await WebAssembly.compile(readFileSync(wasmPath));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  wasi.start(instance);
  process.exit(0);
} else {
  // Node 20's WASI has been seen to crash on leaving, after the program's last line (on the
  // larger files, one run in two): the rounds are taken as written when the program got to
  // its end line, whatever its exit status; a run that did not get there is an error.
  let out;
  try {
    out = execFileSync(process.execPath, ['--no-warnings', new URL(import.meta.url).pathname, ...process.argv.slice(2)], {
      env: { ...process.env, WASM_STAGES_CHILD: '1' },
      maxBuffer: 1 << 24,
      // Its crash on leaving (above) writes a stack dump that says nothing of the figures.
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
  } catch (e) {
    out = e.stdout?.toString() ?? '';
  }
  const lines = out.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
  if (!lines.at(-1)?.done) {
    console.error(`wasm-stages did not finish on ${file}`);
    process.exit(1);
  }
  lines.pop();
  const counted = lines.slice(1);
  const stages = Object.keys(counted[0] ?? {}).filter((k) => k !== 'model');
  console.log(JSON.stringify({
    file: basename(path),
    rounds: counted.length,
    node: process.version,
    model: counted[0]?.model ?? null,
    median_ms: Object.fromEntries(stages.map((k) => [k, Math.round(median(counted.map((l) => l[k])) * 10) / 10])),
  }, null, 1));
}
