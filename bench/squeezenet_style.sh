#!/usr/bin/env bash
# Issue 12: a real style trained with SqueezeNet's perceptual loss on this CPU, then measured on held-out
# images with the training's own losses (docs/TRAINING.md). Training data: 28 even-numbered frames of
# fox.mp4 at 4 fps, golden_gate.jpg, amber.jpg and the 16 paintings; held out: the odd-numbered frames,
# tubingen.jpg and hoovertowernight.jpg. Usage: bench/squeezenet_style.sh [STEPS]   (WORK=folder to keep it)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${LIVESTYLE_SHARED:-$here/../shared}"
export LIVESTYLE_MODEL_MIRROR="${LIVESTYLE_MODEL_MIRROR:-file://$shared/models}"
steps="${1:-1100}"
work="${WORK:-$(mktemp -d)}"
echo "squeezenet_style: working in $work (data, model and stylized images are kept there)" >&2
mkdir -p "$work/frames" "$work/train" "$work/heldout"
ffmpeg -v error -y -i "$shared/video/fox.mp4" -vf fps=4 "$work/frames/fox_%03d.jpg"
for f in "$work"/frames/fox_*.jpg; do
  n=$((10#$(basename "$f" .jpg | cut -d_ -f2)))
  if (( n % 2 == 0 )); then cp "$f" "$work/train/"; else cp "$f" "$work/heldout/"; fi
done
cp "$shared"/images/content/{golden_gate,amber}.jpg "$shared"/images/styles/*.jpg "$work/train/"
cp "$shared"/images/content/{tubingen,hoovertowernight}.jpg "$work/heldout/"
[[ -f "$work/starry-sq.safetensors" ]] || "$here/livestyle" train --style "$shared/images/styles/starry_night.jpg" --loss-net squeezenet \
  --arch slim --data "$work/train" --steps "$steps" --lr 1e-3 --lr-schedule cosine --checkpoint-every 50 \
  --preview "$shared/images/content/tubingen.jpg" --preview-every 100 -o "$work/starry-sq.safetensors"
"$here/livestyle" stylize -m "$work/starry-sq.safetensors" -i "$work/heldout" -o "$work/stylized" --force
"$here/livestyle" metrics style --style "$shared/images/styles/starry_night.jpg" -i "$work/heldout" -s "$work/stylized" --loss-net squeezenet
