#!/usr/bin/env bash
# Warping error of seconds 2-6 of fox.mp4 at 320x320 (lossless PNG frames), per frame and with --stabilize
# at several strengths, for wave, udnie (ml5) and candy (jcjohnson's, via Windows ML). docs/STABLE-VIDEO.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${LIVESTYLE_SHARED:-$here/../shared}"
export LIVESTYLE_MODEL_MIRROR="${LIVESTYLE_MODEL_MIRROR:-file://$shared/models}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
ffmpeg -v error -ss 2 -to 6 -i "$shared/video/fox.mp4" -vf scale=320:320:flags=area "$work/in/f_%03d.png"
echo "style strength warping_error"
for style in wave udnie candy; do
  model=$style
  [[ $style == candy ]] && model="$shared/models/windows-ml/candy.onnx"
  for strength in 0 0.5 0.8 1; do
    out="$work/$style-$strength"
    mkdir -p "$out"
    stabilize=()
    [[ $strength != 0 ]] && stabilize=(--stabilize "$strength")
    "$here/livestyle" convert -m "$model" -i "$work/in/f_%03d.png" -o "$out/f_%03d.png" "${stabilize[@]}" >/dev/null 2>&1
    error="$("$here/livestyle" metrics flicker -i "$work/in/f_%03d.png" -s "$out/f_%03d.png" 2>/dev/null | cut -f1 | awk '{print $3}')"
    echo "$style $strength $error"
  done
done
