// Trunk post-build hook: replaces 'unsafe-inline' in the page's script-src with the hash of the
// one inline script Trunk writes (the loader of the app), so that no other inline script can run.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run this as a Trunk hook');
const file = join(dir, 'index.html');
const html = readFileSync(file, 'utf8');
const scripts = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
if (scripts.length === 0) throw new Error('no inline module script found in index.html');
const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
const marker = "script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'";
if (!html.includes(marker)) throw new Error(`index.html has no "${marker}" to tighten`);
writeFileSync(file, html.replace(marker, `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`));
