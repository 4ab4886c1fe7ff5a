#!/usr/bin/env bash
# Issue 31: does refining a painting's style vector (stylize --refine-style) look better? For each painting, one photo
# is stylized plainly and refined; the refinement prints its losses before and after and its time, and the pictures are
# kept side by side for looking at. Usage: bench/refine_style.sh [STEPS] [SIZE]   (WORK=folder to keep it)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${LIVESTYLE_SHARED:-$here/../shared}"
export LIVESTYLE_MODEL_MIRROR="${LIVESTYLE_MODEL_MIRROR:-file://$shared/models}"
steps="${1:-60}"
size="${2:-384}"
work="${WORK:-$(mktemp -d)}"
mkdir -p "$work"
echo "refine_style: working in $work (pictures kept there)" >&2
photo="$shared/images/content/tubingen.jpg"
for painting in starry_night the_scream composition_vii; do
  "$here/livestyle" stylize -m "$shared/images/styles/$painting.jpg" -i "$photo" -o "$work/$painting-plain.png" --max-size "$size" --force >/dev/null
  echo "$painting: $("$here/livestyle" stylize -m "$shared/images/styles/$painting.jpg" -i "$photo" -o "$work/$painting-refined.png" \
    --max-size "$size" --refine-style "$steps" --force 2>&1 >/dev/null | grep refined)"
done
