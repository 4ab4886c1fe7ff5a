#!/usr/bin/env bash
# ONNX Runtime against PyTorch eager on one network at one size, robust to this machine's drift (docs/BENCHMARKS.md):
# each round is one `livestyle bench --engine onnx --pytorch` (both timed within seconds of each other), and the
# ratio is taken per round before the median over rounds, so a slow minute slows both sides of its own ratio.
#   bench/engine_ratio.sh [--model starry_night.jpg] [--size 640x480] [--rounds 7] [--repeats 10] [--cli ./livestyle]
# A model is anything -m takes (a painting is a style); --cli times another build (its launcher or livestyle.dll).
# Prints one line per round and the medians.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${LIVESTYLE_SHARED:-$here/../shared}"
model="$shared/images/styles/starry_night.jpg" size=640x480 rounds=7 repeats=10 cli="$here/livestyle"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --cli) cli="$(realpath "$2")"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "engine_ratio.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "round  onnx network / median ms  pytorch eager network / median ms  ratio network / median"
for round in $(seq "$rounds"); do
  if [[ $cli == *.dll ]]; then run=(dotnet "$cli"); else run=("$cli"); fi
  "${run[@]}" bench -m "$model" --sizes "$size" --engine onnx --pytorch --repeats "$repeats" --json 2>/dev/null > "$work/$round.json"
  python3 - "$work/$round.json" "$round" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))[0]
net, med = r["network_ms"] / r["pytorch_network_ms"], r["median_ms"] / r["pytorch_median_ms"]
print(f"{sys.argv[2]:>5}  {r['network_ms']:7.1f} / {r['median_ms']:5.1f}            {r['pytorch_network_ms']:7.1f} / {r['pytorch_median_ms']:5.1f}                     {net:.3f} / {med:.3f}")
EOF
done | tee "$work/rounds.txt"
python3 - "$work/rounds.txt" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
col = lambda i: statistics.median(float(r[i]) for r in rows)
print(f"median {col(1):7.1f} / {col(3):5.1f}            {col(4):7.1f} / {col(6):5.1f}                     {col(7):.3f} / {col(9):.3f}")
EOF
