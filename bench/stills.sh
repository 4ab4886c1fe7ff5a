#!/usr/bin/env bash
# A folder of stills (docs/BENCHMARKS.md): the fixed cost of a `livestyle stylize` process and the time per photo,
# for 8 photos at 640x480, beside the network's own time at that size, all in one run. Each CLI given (a built
# livestyle.dll; default: this checkout's) is timed on 1 photo and on 8, alternating, after one untimed start, and
# each round ends with the network alone at 640x480 (`bench`, first CLI), so every round has its own comparison:
#   per photo = (T8 - T1) / 7, fixed cost = T1 - per photo, ratio = per photo / that round's network (medians over rounds).
# A CLI may carry runtime settings for its processes only, as VAR=VALUE[,VAR=VALUE]@livestyle.dll
# (e.g. DOTNET_TieredCompilation=0@build/cli/livestyle.dll); the network is always timed without them.
#   bench/stills.sh [--model candy] [--repeats 5] [[VAR=VALUE,...@]livestyle.dll ...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model=candy repeats=5 clis=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *@*) clis+=("${1%%@*}@$(realpath "${1#*@}")"); shift ;;
    *) clis+=("@$(realpath "$1")"); shift ;;
  esac
done
shared="${LIVESTYLE_SHARED:-$here/../shared}"
"$here/livestyle" --help >/dev/null # builds the checkout's CLI when sources changed
[[ ${#clis[@]} -gt 0 ]] || clis=("@$here/build/cli/livestyle.dll")

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/one" "$work/eight"
photos=("$shared"/images/content/*.jpg)
for i in $(seq 0 7); do
  ffmpeg -v error -y -i "${photos[i % ${#photos[@]}]}" -vf scale=640:480 -q:v 2 "$work/eight/$i.jpg"
done
cp "$work/eight/0.jpg" "$work/one/"

# "VARS@dll" → runs the dll with those variables set (none when VARS is empty)
livestyle() { local cli="$1" vars; shift; vars="${cli%%@*}"; env ${vars//,/ } dotnet "${cli#*@}" "$@"; }
seconds() { local t0 t1; t0=$(date +%s.%N); livestyle "$@" >/dev/null; t1=$(date +%s.%N); awk "BEGIN { print $t1 - $t0 }"; }
for cli in "${clis[@]}"; do livestyle "$cli" stylize -m "$model" -i "$work/one" -o "$work/out" --force >/dev/null; done # first starts

results="$work/results.tsv"
for r in $(seq "$repeats"); do
  for c in "${!clis[@]}"; do
    for n in one eight; do
      printf "%s\t%s\t%s\t%s\n" "$r" "$c" "$n" "$(seconds "${clis[c]}" stylize -m "$model" -i "$work/$n" -o "$work/out_$n" --force)" >>"$results"
    done
  done
  network="$(dotnet "${clis[0]#*@}" bench -m "$model" --sizes 640x480 --warmup 1 --repeats 5 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["network_ms"])')"
  printf "%s\tnetwork\t-\t%s\n" "$r" "$(awk "BEGIN { print $network / 1000 }")" >>"$results"
done

python3 - "$results" "${clis[@]}" <<'EOF'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().split("\n") if l]
rounds = sorted({int(r) for r, *_ in rows})
network = {int(r): float(t) for r, c, n, t in rows if c == "network"}
print(f"network alone at 640x480 (bench, median of 5 per round): median {statistics.median(network.values()) * 1000:.0f} ms, "
      f"range {min(network.values()) * 1000:.0f}-{max(network.values()) * 1000:.0f} ms over {len(rounds)} rounds")
for c, cli in enumerate(sys.argv[2:]):
    time = {(int(r), n): float(t) for r, i, n, t in rows if i == str(c)}
    per = {r: (time[r, "eight"] - time[r, "one"]) / 7 for r in rounds}
    ratio = statistics.median(per[r] / network[r] for r in rounds)
    one, eight = statistics.median(time[r, "one"] for r in rounds), statistics.median(time[r, "eight"] for r in rounds)
    fixed = statistics.median(time[r, "one"] - per[r] for r in rounds)
    print(f"{cli}: 1 photo {one:.2f} s, 8 photos {eight:.2f} s; per photo {statistics.median(per.values()) * 1000:.0f} ms, "
          f"{ratio:.3f}x its round's network (median of rounds); fixed cost {fixed:.2f} s")
EOF
