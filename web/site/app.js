// LiveStyle's page: the visitor's own camera, stylized on the visitor's own device by ONNX Runtime Web.
// Nothing is sent anywhere: the server (or any static host) only serves this page, ONNX Runtime Web and the styles.
// window.livestyle is a read-only view of what the page does, for the tests and benchmarks that drive it.

const $ = id => document.getElementById(id);
const params = new URLSearchParams(location.search);
const token = params.get('token');
const withToken = path => token ? `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : path;
const SIZES = [[160, 120], [320, 240], [480, 360], [640, 480]];

const state = window.livestyle = {
  backend: '', threads: 1, size: null, auto: true, style: null, strength: 1, split: false,
  fps: 0, latencyMs: 0, frames: 0, error: null, painted: 0,
  lastInput: null, lastOutput: null,
};

const video = $('camera'), output = $('output');
const input = document.createElement('canvas');
const inputContext = input.getContext('2d', { willReadFrequently: true });
const outputContext = output.getContext('2d');
let session = null, sessionInputs = null, styleVector = null, catalog = null, switching = Promise.resolve();

function say(text) { $('message').textContent = text; }

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src; s.onload = resolve; s.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.appendChild(s);
  });
}

// WebGPU where the browser has it, else WebAssembly with SIMD and as many threads as cross-origin isolation allows.
async function startRuntime() {
  let webgpu = false;
  if (params.get('backend') !== 'wasm' && navigator.gpu) {
    try { webgpu = !!(await navigator.gpu.requestAdapter()); } catch { webgpu = false; }
  }
  await loadScript(withToken(webgpu ? 'ort/ort.webgpu.min.js' : 'ort/ort.wasm.min.js'));
  ort.env.wasm.wasmPaths = new URL('ort/', location.href).href;
  state.threads = self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 2) : 1;
  if (params.get('threads')) state.threads = Math.max(1, Math.min(state.threads, +params.get('threads')));
  ort.env.wasm.numThreads = state.threads;
  state.backend = webgpu ? 'webgpu' : 'wasm';
}

async function open(url) {
  return ort.InferenceSession.create(withToken(url), { executionProviders: [state.backend], graphOptimizationLevel: 'all' });
}

async function useStyle(style) {
  const next = await open(style.model);
  session = next;
  sessionInputs = next.inputNames;
  styleVector = null;
  state.style = style.name;
  state.painted = 0;
  for (const b of $('styles').children) b.setAttribute('aria-selected', b.dataset.id === style.id ? 'true' : 'false');
  $('licence').textContent = '';
}

// A painting: the predictor (in this page) makes its style vector; the conditional transformer takes it as an input.
let predictor = null, conditional = null;
async function usePainting(file) {
  if (!catalog.paintings) { say('this server offers no arbitrary-style networks'); return; }
  const bitmap = await createImageBitmap(file);
  const size = catalog.paintings.size;
  const shorter = Math.min(bitmap.width, bitmap.height);
  if (shorter < 32) { say(`${file.name} is too small to be a style (${bitmap.width}x${bitmap.height})`); return; }
  const scale = size / shorter, w = Math.max(size, Math.round(bitmap.width * scale)), h = Math.max(size, Math.round(bitmap.height * scale));
  const seen = document.createElement('canvas');
  seen.width = seen.height = size;
  const c = seen.getContext('2d', { willReadFrequently: true });
  c.imageSmoothingQuality = 'high';
  c.drawImage(bitmap, (size - w) / 2, (size - h) / 2, w, h);
  predictor ??= await open(catalog.paintings.predictor);
  conditional ??= await open(catalog.paintings.transformer);
  const result = await predictor.run({ [predictor.inputNames[0]]: new ort.Tensor('float32', planar(c.getImageData(0, 0, size, size).data, size, size), [1, 3, size, size]) });
  const vector = result[predictor.outputNames[0]].data;
  session = conditional;
  sessionInputs = conditional.inputNames;
  styleVector = new ort.Tensor('float32', Float32Array.from(vector), [1, vector.length]);
  state.style = file.name.replace(/\.[^.]*$/, '');
  state.painted = 0;
  for (const b of $('styles').children) b.setAttribute('aria-selected', 'false');
  say('');
}

function planar(rgba, w, h) {
  const plane = w * h, data = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    data[i] = rgba[4 * i]; data[plane + i] = rgba[4 * i + 1]; data[2 * plane + i] = rgba[4 * i + 2];
  }
  return data;
}

// LiveStyle's blend rule: the styled value clamped to 0..255 first, mixed with the original by strength, then rounded.
function paint(styled, original, w, h, strength, split) {
  const plane = w * h, image = outputContext.createImageData(w, h), px = image.data;
  const cut = split ? Math.floor(w / 2) : -1;
  for (let i = 0; i < plane; i++) {
    const keep = split && (i % w) < cut;
    for (let c = 0; c < 3; c++) {
      const o = original[4 * i + c];
      const s = Math.min(255, Math.max(0, styled[c * plane + i]));
      px[4 * i + c] = keep ? o : Math.round(s * strength + o * (1 - strength));
    }
    px[4 * i + 3] = 255;
  }
  return image;
}

function processingSize() {
  const vw = video.videoWidth || 640, vh = video.videoHeight || 480;
  const choice = $('size').value;
  if (choice === 'camera') return [vw, vh];
  if (choice !== 'auto') return choice.split('x').map(Number);
  const [w] = SIZES[state.autoIndex ?? 1];
  return [w, Math.max(2, Math.round(w * vh / vw / 2) * 2)];
}

// Auto size: smaller when under 12 frames/s, larger when over 24, judged every two seconds.
let judged = performance.now();
function adjust() {
  if ($('size').value !== 'auto' || performance.now() - judged < 2000 || state.frames < 5) return;
  judged = performance.now();
  const i = state.autoIndex ?? 1;
  if (state.fps < 12 && i > 0) state.autoIndex = i - 1;
  else if (state.fps > 24 && i < SIZES.length - 1) state.autoIndex = i + 1;
}

async function loop() {
  let last = performance.now();
  for (;;) {
    if (!session || video.readyState < 2) { await new Promise(r => setTimeout(r, 50)); continue; }
    const [w, h] = processingSize();
    if (input.width !== w || input.height !== h) { input.width = output.width = w; input.height = output.height = h; }
    inputContext.drawImage(video, 0, 0, w, h);
    const original = inputContext.getImageData(0, 0, w, h);
    const started = performance.now();
    const feeds = { [sessionInputs[0]]: new ort.Tensor('float32', planar(original.data, w, h), [1, 3, h, w]) };
    if (styleVector && sessionInputs.length > 1) feeds[sessionInputs[1]] = styleVector;
    const running = session;
    const result = await running.run(feeds);
    if (running !== session) continue; // the style changed while this frame ran
    const image = paint(result[running.outputNames[0]].data, original.data, w, h, state.strength, state.split);
    outputContext.putImageData(image, 0, 0);
    const now = performance.now();
    state.latencyMs = now - started;
    state.fps = state.frames ? 0.8 * state.fps + 0.2 * (1000 / (now - last)) : 1000 / (now - last);
    last = now;
    state.frames++;
    state.painted++;
    state.size = `${w}x${h}`;
    state.lastInput = original;
    state.lastOutput = image;
    $('stats').textContent = `${state.style} · ${state.fps.toFixed(1)} frames/s · ${state.latencyMs.toFixed(0)} ms per frame`;
    $('backend').textContent = `${state.backend === 'webgpu' ? 'WebGPU' : `WebAssembly (SIMD, ${state.threads} thread${state.threads > 1 ? 's' : ''})`} at ${w}x${h}`;
    adjust();
    // Let the page breathe between frames: WebAssembly without threads runs on this thread, and a loop that only
    // awaits resolved promises would starve input, drawing and everything else the page has to do.
    await new Promise(r => setTimeout(r, 0));
  }
}

async function startCamera() {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new Error('this browser gives no camera to this page (open it over https, or on this machine as localhost)');
  }
  let stream;
  try { stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false }); }
  catch (e) {
    if (e.name === 'NotAllowedError') throw new Error('the camera was refused: allow it for this page and reload to see yourself stylized');
    if (e.name === 'NotFoundError' || e.name === 'OverconstrainedError') throw new Error('no camera was found: connect one and reload');
    throw new Error(`the camera could not start (${e.name}: ${e.message})`);
  }
  video.srcObject = stream;
  await video.play();
}

function wire() {
  $('strength').oninput = e => { state.strength = +e.target.value; };
  $('split').onchange = e => { state.split = e.target.checked; };
  $('snapshot').onclick = () => output.toBlob(blob => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `livestyle-${state.style}.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }, 'image/png');
  $('painting').onchange = e => e.target.files[0] && (switching = switching.then(() => usePainting(e.target.files[0])).catch(err => say(err.message)));
  const drop = $('drop');
  document.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  document.addEventListener('dragleave', () => drop.classList.remove('over'));
  document.addEventListener('drop', e => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer.files[0];
    if (file) switching = switching.then(() => usePainting(file)).catch(err => say(err.message));
  });
}

function listStyles() {
  const list = $('styles');
  for (const style of catalog.styles) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.id = style.id;
    b.setAttribute('role', 'option');
    const img = document.createElement('img');
    img.src = withToken(style.thumbnail);
    img.alt = '';
    b.append(img, style.name);
    b.onclick = () => { switching = switching.then(() => useStyle(style)).catch(err => say(err.message)); };
    list.appendChild(b);
  }
  if (!catalog.paintings) $('drop').hidden = true;
}

async function main() {
  wire();
  try {
    await startRuntime();
    catalog = await (await fetch(withToken('styles.json'))).json();
    listStyles();
    const wanted = catalog.styles.find(s => s.id === params.get('style')) ?? catalog.styles[0];
    if (params.get('size')) $('size').value = params.get('size');
    if (wanted) await useStyle(wanted);
  } catch (e) {
    state.error = e.message;
    say(`LiveStyle could not start: ${e.message}`);
    return;
  }
  try { await startCamera(); }
  catch (e) {
    state.error = e.message;
    say(e.message);
    $('stats').textContent = 'no camera';
    return;
  }
  loop().catch(e => { state.error = e.message; say(`stylizing stopped: ${e.message}`); });
}

main();
