// Trunk post-build hook, on the staged index.html:
// 1. replaces 'unsafe-inline' in the page's script-src with the hash of the one inline script
//    Trunk writes (the loader of the app), so that no other inline script can run;
// 2. writes the hash of the worker's files into <meta name="ltv-worker-version">: the app loads
//    the worker with it in the URL (src/worker/client.rs), so that after a deploy the browser
//    never runs a cached old worker with the new page.
// One script, because hooks of a stage may run at the same time and both rewrite index.html.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run this as a Trunk hook');
const file = join(dir, 'index.html');
let html = readFileSync(file, 'utf8');
const scripts = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
if (scripts.length === 0) throw new Error('no inline module script found in index.html');
const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
const marker = "script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'";
if (!html.includes(marker)) throw new Error(`index.html has no "${marker}" to tighten`);
html = html.replace(marker, `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`);

const worker = createHash('sha256');
for (const name of ['worker-loader.js', 'ltv-worker.js', 'ltv-worker_bg.wasm']) {
  worker.update(readFileSync(join(dir, name)));
}
const version = worker.digest('hex').slice(0, 16);
const meta = `<meta name="ltv-worker-version" content="${version}" />`;
if (!html.includes('</head>')) throw new Error('index.html has no </head>');
html = html.replace('</head>', `  ${meta}\n</head>`);
writeFileSync(file, html);
