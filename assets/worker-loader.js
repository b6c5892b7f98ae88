// Starts the analysis worker: loads its wasm, and holds messages that arrive before it is ready.
// The page loads this script as `worker-loader.js?v=<version>`; the same query goes on the
// worker's script and wasm, so that after a deploy no cached file of an older worker is used.
const version = self.location.search;
const early = [];
self.onmessage = (event) => early.push(event);
importScripts('./ltv-worker.js' + version);
wasm_bindgen({ module_or_path: './ltv-worker_bg.wasm' + version }).then(() => {
  // The worker's main() has set its own onmessage by now.
  for (const event of early) self.onmessage(event);
});
