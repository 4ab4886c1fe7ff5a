#!/usr/bin/env bash
# A folder of stills (docs/BENCHMARKS.md): the fixed cost of a `livestyle stylize` process and the time per photo,
# for 8 photos at 640x480, beside the network's own time at that size, all in one run. Each CLI given (a built
# livestyle.dll; default: this checkout's) is timed on 1 photo and on 8, alternating, after one untimed start:
#   per photo = (T8 - T1) / 7, fixed cost = T1 - per photo (medians over the repeats).
#   bench/stills.sh [--model candy] [--repeats 5] [livestyle.dll ...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model=candy repeats=5 clis=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) clis+=("$(realpath "$1")"); shift ;;
  esac
done
shared="${LIVESTYLE_SHARED:-$here/../shared}"
"$here/livestyle" --help >/dev/null # builds the checkout's CLI when sources changed
[[ ${#clis[@]} -gt 0 ]] || clis=("$here/build/cli/livestyle.dll")

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/one" "$work/eight"
photos=("$shared"/images/content/*.jpg)
for i in $(seq 0 7); do
  ffmpeg -v error -y -i "${photos[i % ${#photos[@]}]}" -vf scale=640:480 -q:v 2 "$work/eight/$i.jpg"
done
cp "$work/eight/0.jpg" "$work/one/"

seconds() { local t0 t1; t0=$(date +%s.%N); dotnet "$@" >/dev/null; t1=$(date +%s.%N); awk "BEGIN { print $t1 - $t0 }"; }
for cli in "${clis[@]}"; do dotnet "$cli" stylize -m "$model" -i "$work/one" -o "$work/out" --force >/dev/null; done # first starts

results="$work/results.tsv"
for r in $(seq "$repeats"); do
  for c in "${!clis[@]}"; do
    for n in one eight; do
      printf "%s\t%s\t%s\n" "$c" "$n" "$(seconds "${clis[c]}" stylize -m "$model" -i "$work/$n" -o "$work/out_$n" --force)" >>"$results"
    done
  done
done
network="$(dotnet "${clis[0]}" bench -m "$model" --sizes 640x480 --warmup 2 --repeats 7 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["network_ms"])')"

python3 - "$results" "$network" "${clis[@]}" <<'EOF'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().split("\n") if l]
network = float(sys.argv[2]) / 1000
print(f"network alone at 640x480 (bench, median of 7): {network * 1000:.0f} ms")
for c, cli in enumerate(sys.argv[3:]):
    one = statistics.median(float(t) for i, n, t in rows if int(i) == c and n == "one")
    eight = statistics.median(float(t) for i, n, t in rows if int(i) == c and n == "eight")
    per = (eight - one) / 7
    print(f"{cli}: 1 photo {one:.2f} s, 8 photos {eight:.2f} s; per photo {per * 1000:.0f} ms "
          f"({per / network:.2f}x the network), fixed cost {one - per:.2f} s")
EOF
