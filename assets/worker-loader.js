// Starts the analysis worker: loads its wasm, and holds messages that arrive before it is ready.
const early = [];
self.onmessage = (event) => early.push(event);
importScripts('./ltv-worker.js');
wasm_bindgen('./ltv-worker_bg.wasm').then(() => {
  // The worker's main() has set its own onmessage by now.
  for (const event of early) self.onmessage(event);
});
