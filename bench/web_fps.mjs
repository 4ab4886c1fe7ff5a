// In-page frames/s of `livestyle web` in headless Chromium (WebAssembly, SIMD, 2 threads) with a fake camera.
// Usage: node bench/web_fps.mjs URL CAMERA.y4m SECONDS STYLE:SIZE... [--screenshot FILE STYLE:SIZE]
// Prints one JSON line per style and size. Driven through playwright-core (web/node_modules) and Debian's Chromium.
import { createRequire } from 'node:module';
const require = createRequire(new URL('../web/', import.meta.url));
const { chromium } = require('playwright-core');

const [url, camera, seconds, ...rest] = process.argv.slice(2);
const shotAt = rest.indexOf('--screenshot');
const runs = shotAt < 0 ? rest : rest.slice(0, shotAt);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${camera}`, '--use-fake-ui-for-media-stream'],
});
const page = await browser.newPage({ viewport: { width: 1100, height: 620 } });

async function run(style, size) {
  await page.goto(`${url}?style=${encodeURIComponent(style)}&size=${size}&backend=wasm&threads=2`);
  await page.waitForFunction(() => window.livestyle?.painted >= 3 || window.livestyle?.error, null, { timeout: 120000 });
  const start = await page.evaluate(() => ({ frames: window.livestyle.frames, t: performance.now(), error: window.livestyle.error }));
  if (start.error) throw new Error(`${style}: ${start.error}`);
  await page.waitForTimeout(seconds * 1000);
  return page.evaluate(s => ({
    style: window.livestyle.style, size: window.livestyle.size, backend: window.livestyle.backend, threads: window.livestyle.threads,
    fps: (window.livestyle.frames - s.frames) / ((performance.now() - s.t) / 1000), latency_ms: window.livestyle.latencyMs,
  }), start);
}

for (const spec of runs) {
  const [style, size] = spec.split(':');
  console.log(JSON.stringify(await run(style, size)));
}
if (shotAt >= 0) {
  const [file, spec] = rest.slice(shotAt + 1);
  const [style, size] = spec.split(':');
  await run(style, size);
  await page.screenshot({ path: file });
}
await browser.close();
