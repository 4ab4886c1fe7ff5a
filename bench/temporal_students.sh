#!/usr/bin/env bash
# Issue 14, part 3: the same udnie `mobile` student distilled with and without the temporal term, then each
# one's warping error on held-out frames (seconds 10-14 of fox.mp4, never seen by the term) and its PSNR
# against the teacher. docs/STABLE-VIDEO.md. Usage: bench/temporal_students.sh DATA_FOLDER [STEPS] [WEIGHT]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${LIVESTYLE_SHARED:-$here/../shared}"
export LIVESTYLE_MODEL_MIRROR="${LIVESTYLE_MODEL_MIRROR:-file://$shared/models}"
data="$1"; steps="${2:-2000}"; weight="${3:-1}"
work="${WORK:-$(mktemp -d)}"
echo "temporal_students: working in $work (models and frames are kept there)" >&2
mkdir -p "$work/heldout" "$work/stills"
ffmpeg -v error -y -t 10 -i "$shared/video/fox.mp4" -an -c:v ffv1 "$work/train.mkv"
ffmpeg -v error -y -ss 10 -i "$shared/video/fox.mp4" -vf scale=480:480:flags=area "$work/heldout/f_%03d.png"
ffmpeg -v error -y -ss 10 -i "$shared/video/fox.mp4" -vf fps=2,scale=480:480:flags=area "$work/stills/s_%02d.png"
common=(distill --teacher udnie --arch mobile --data "$data" --crop 160 --batch 4 --steps "$steps" --lr 2e-3 --force)
[[ -f "$work/plain.safetensors" ]] || "$here/livestyle" "${common[@]}" -o "$work/plain.safetensors"
[[ -f "$work/temporal.safetensors" ]] || "$here/livestyle" "${common[@]}" --temporal-data "$work/train.mkv" --temporal-weight "$weight" -o "$work/temporal.safetensors"
echo "model warping_error psnr_vs_teacher_db"
for model in udnie "$work/plain.safetensors" "$work/temporal.safetensors"; do
  name="$(basename "$model" .safetensors)"
  mkdir -p "$work/out-$name"
  "$here/livestyle" convert -m "$model" -i "$work/heldout/f_%03d.png" -o "$work/out-$name/f_%03d.png" --force >/dev/null 2>&1
  error="$("$here/livestyle" metrics flicker -i "$work/heldout/f_%03d.png" -s "$work/out-$name/f_%03d.png" 2>/dev/null | cut -f1 | awk '{print $3}')"
  psnr="-"
  [[ $model != udnie ]] && psnr="$("$here/livestyle" models compare --reference udnie -m "$model" -i "$work/stills" 2>/dev/null | tail -1 | awk '{print $3}')"
  echo "$name $error $psnr"
done
