// Trunk post-build hook, on the staged index.html, in this order:
// 1. writes the 診断, rendered as a first visit sees it, into the page's #app (the `prerender`
//    binary, built natively by cargo: src/prerender.rs), so that a phone shows the form and its
//    figures before the app's wasm has arrived;
// 2. replaces 'unsafe-inline' in the page's script-src with the hashes of its inline scripts
//    (the loader of the app Trunk writes, and the page's own check of its address), so that no
//    other inline script can run;
// 3. writes the hash of the worker's files into <meta name="ltv-worker-version">: the app loads
//    the worker with it in the URL (src/worker/client.rs), so that after a deploy the browser
//    never runs a cached old worker with the new page.
// One script, because hooks of a stage may run at the same time and each rewrites index.html.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run this as a Trunk hook');
const file = join(dir, 'index.html');

execFileSync('cargo', ['run', '--quiet', '--bin', 'prerender', '--', file], { stdio: 'inherit' });
let html = readFileSync(file, 'utf8');
const app = html.match(/<div id="app" data-prerendered="">([\s\S]*)<\/div>\s*<noscript>/);
if (!app) throw new Error('index.html has no pre-rendered #app');
if (/<script/i.test(app[1])) throw new Error('the pre-rendered #app holds a script: the CSP would allow it');

const scripts = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
if (scripts.length === 0) throw new Error('no inline script found in index.html');
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
