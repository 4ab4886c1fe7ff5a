#!/usr/bin/env bash
# Issue 32: in-page frames/s of `livestyle web` (headless Chromium, WebAssembly with SIMD and 2 threads, a fake camera)
# for a mobile student, a folded painting and fst at 320x240 and 640x480, beside the native CLI's figures for the same
# networks and sizes in the same run; and a screenshot of the page. Usage: bench/web_fps.sh [SECONDS]   (WORK=folder)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${LIVESTYLE_SHARED:-$here/../shared}"
export LIVESTYLE_MODEL_MIRROR="${LIVESTYLE_MODEL_MIRROR:-file://$shared/models}"
seconds="${1:-15}"
work="${WORK:-$(mktemp -d)}"
mkdir -p "$work"
echo "web_fps: working in $work" >&2
# A mobile student of wave (a short distillation: its speed is its architecture's, whatever it learned).
[[ -f "$work/mobile.safetensors" ]] || "$here/livestyle" distill --teacher wave --arch mobile --data "$shared/images/content" --steps 20 --batch 2 --crop 128 \
  -o "$work/mobile.safetensors" >/dev/null
painting="$shared/images/styles/starry_night.jpg"
# The camera: 640x480 frames of fox.mp4 as the fake device plays them.
ffmpeg -v error -y -ss 2 -i "$shared/video/fox.mp4" -t 2 -vf scale=640:480 -pix_fmt yuv420p "$work/camera.y4m"
port=$((20000 + RANDOM % 20000))
"$here/livestyle" web -m "wave,$work/mobile.safetensors,$painting" --port "$port" >"$work/web.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/styles.json" >/dev/null && break; sleep 1; done
ids=$(curl -sf "http://127.0.0.1:$port/styles.json" | python3 -c 'import json,sys; print(" ".join(s["id"] for s in json.load(sys.stdin)["styles"]))')
runs=()
for id in $ids; do for size in 320x240 640x480; do runs+=("$id:$size"); done; done
echo "in the page (WebAssembly, 2 threads):"
node "$here/bench/web_fps.mjs" "http://127.0.0.1:$port/" "$work/camera.y4m" "$seconds" "${runs[@]}"
# The screenshot for docs/WEB.md shows a camera of FFmpeg's own (a Mandelbrot zoom), nothing from the shared data.
ffmpeg -v error -y -f lavfi -i mandelbrot=size=640x480:rate=30 -t 3 -pix_fmt yuv420p "$work/mandelbrot.y4m"
node "$here/bench/web_fps.mjs" "http://127.0.0.1:$port/" "$work/mandelbrot.y4m" 3 --screenshot "$work/web-page.png" "$(echo "$ids" | awk '{print $3}'):640x480" >/dev/null
echo "screenshot: $work/web-page.png"
echo "native (livestyle bench, ONNX Runtime, 2 threads):"
for model in wave "$work/mobile.safetensors" "$painting"; do
  "$here/livestyle" bench -m "$model" --sizes 320x240,640x480 --threads 2 --json 2>/dev/null |
    python3 -c 'import json,sys; [print(json.dumps({"model": r["model"], "arch": r["arch"], "size": r["size"], "engine": r["engine"], "median_ms": round(r["median_ms"], 1), "fps": round(1000 / r["median_ms"], 1)})) for r in json.load(sys.stdin)]'
done
