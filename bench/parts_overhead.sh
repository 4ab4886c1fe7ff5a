#!/usr/bin/env bash
# Issue 33: what splitting a conversion into parts costs. The CPU time (user + system, GNU time) of one `convert`
# against 4 `convert --part K/4` runs plus the `join`, on the same input, model and settings, one after another on this
# machine. Usage: bench/parts_overhead.sh [MODEL] [SIZE]   (WORK=folder to keep the files)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${LIVESTYLE_SHARED:-$here/../shared}"
export LIVESTYLE_MODEL_MIRROR="${LIVESTYLE_MODEL_MIRROR:-file://$shared/models}"
model="${1:-$shared/images/styles/starry_night.jpg}"
size="${2:-320x240}"
work="${WORK:-$(mktemp -d)}"
mkdir -p "$work"
echo "parts_overhead: working in $work" >&2
# 60 s at 30 frames/s, variable frame rate, with sound, a keyframe every 1.5 s (as the scale-out test's clip).
ffmpeg -v error -y -f lavfi -i "testsrc2=size=640x480:rate=30:duration=60" -f lavfi -i "sine=duration=60" \
  -vf "setpts='(N+0.5*floor(N/7))/30/TB'" -fps_mode vfr -c:v libx264 -g 45 -pix_fmt yuv420p -c:a aac -shortest "$work/clip.mp4"
"$here/livestyle" models info "$model" >/dev/null
cpu() { /usr/bin/time -f "%U %S %e" -o "$work/time.txt" "$@" >/dev/null 2>&1; awk '{printf "%.2f %.2f\n", $1 + $2, $3}' "$work/time.txt"; }
read -r one one_wall < <(cpu "$here/livestyle" convert -m "$model" -i "$work/clip.mp4" -o "$work/single.mp4" --size "$size" --force)
total=0 wall=0
rm -rf "$work/parts"
for k in 1 2 3 4; do
  read -r c w < <(cpu "$here/livestyle" convert -m "$model" -i "$work/clip.mp4" -o "$work/parts" --part "$k/4" --size "$size")
  echo "part $k: ${c} s CPU, ${w} s wall"
  total=$(echo "$total + $c" | bc); wall=$(echo "$wall + $w" | bc)
done
read -r j jw < <(cpu "$here/livestyle" join "$work/parts" -o "$work/joined.mp4" --force)
echo "join: ${j} s CPU, ${jw} s wall"
total=$(echo "$total + $j" | bc)
echo "one process: ${one} s CPU (${one_wall} s wall); 4 parts + join: ${total} s CPU; overhead $(echo "scale=1; 100 * ($total - $one) / $one" | bc) %"
