#!/usr/bin/env bash
# Byte-identical outputs between an earlier revision and this checkout, for refactors that must not change results:
# a still (candy, --max-size 640), a folder of four photos (wave, --max-size 480), convert at strength 1 and with
# --stabilize 0.8 (wave, 3 s of fox.mp4 at 160x160), live screenshots at strength 1 and 0.6 (a 96x64 test clip,
# --no-window --max-frames 6). Prints each output's SHA-256 prefix; exits 1 when any differs.
#   scripts/compare-outputs.sh <revision>      (built in a git worktree under build/compare/)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ $# -eq 1 && $1 != -h && $1 != --help ]] || { sed -n '2,6p' "$0"; exit 2; }
rev="$(git -C "$here" rev-parse --short "$1")" || exit 2
shared="${LIVESTYLE_SHARED:-$here/../shared}"
export LIVESTYLE_MODEL_MIRROR="${LIVESTYLE_MODEL_MIRROR:-file://$(realpath "$shared")/models}"
before="$here/build/compare/$rev"
[[ -d $before ]] || git -C "$here" worktree add --detach "$before" "$rev" >/dev/null
"$before/livestyle" --help >/dev/null && "$here/livestyle" --help >/dev/null || exit 1

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in" "$work/clip"
ls "$shared"/images/content/*.jpg | head -4 | xargs -I{} cp {} "$work/in/"
ffmpeg -loglevel error -y -i "$shared/video/fox.mp4" -t 3 -c copy "$work/clip/fox3.mp4"
ffmpeg -loglevel error -y -f lavfi -i testsrc=size=96x64:rate=5 -t 2 -pix_fmt yuv420p "$work/clip/pattern.mp4"
for side in before after; do
  if [[ $side == before ]]; then cli="$before/livestyle"; else cli="$here/livestyle"; fi
  o="$work/$side"; mkdir -p "$o/folder"
  run() { "$cli" "$@" >/dev/null 2>"$o/err" || { echo "$side: livestyle $*: $(tail -1 "$o/err")"; }; }
  run stylize -m candy -i "$shared/images/content/tubingen.jpg" -o "$o/tubingen.png" --max-size 640
  run stylize -m wave -i "$work/in" -o "$o/folder" --max-size 480
  run convert -m wave -i "$work/clip/fox3.mp4" -o "$o/fox.mp4" --size 160x160
  run convert -m wave -i "$work/clip/fox3.mp4" -o "$o/fox-stable.mp4" --size 160x160 --stabilize 0.8
  run live -m wave -i "$work/clip/pattern.mp4" --no-window --max-frames 6 --screenshot "$o/shot.png"
  run live -m wave -i "$work/clip/pattern.mp4" --no-window --max-frames 6 --strength 0.6 --screenshot "$o/shot-half.png"
done
status=0
cd "$work/before"
for f in $(find . -type f ! -name err | sort); do
  a="$(sha256sum "$f" | cut -c1-16)"; b="$(sha256sum "../after/$f" 2>/dev/null | cut -c1-16)"
  if [[ $a == "$b" ]]; then echo "same  $a  ${f#./}"; else echo "DIFF  $a ${b:-missing}  ${f#./}"; status=1; fi
done
exit $status
