#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser that reads strangers' bytes (docs/FUZZING.md): builds the harness
# (tests/LiveStyle.Fuzz), instruments LiveStyle's own assemblies with SharpFuzz, makes each target's seeds and runs
# afl-fuzz on it. Findings land in build/fuzz/<target>/findings; build/fuzz/summary.tsv gets one line per target.
#   scripts/fuzz.sh [--minutes N] [--jobs J] [target...]    default: every target, 10 minutes each, 2 at a time
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
all=(pth safetensors ml5 onnx tflite image http)
minutes=10 jobs=2 targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")
command -v afl-fuzz >/dev/null || { echo "fuzz.sh: afl-fuzz is missing: apt-get install afl++ (scripts/setup.sh does)" >&2; exit 1; }
sharpfuzz="$(command -v sharpfuzz || echo "$HOME/.dotnet/tools/sharpfuzz")"
[[ -x "$sharpfuzz" ]] || { echo "fuzz.sh: sharpfuzz is missing: dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0" >&2; exit 1; }

out="$here/build/fuzz"
plain="$out/plain" bin="$out/instrumented"
rm -rf "$plain" "$bin"
dotnet publish "$here/tests/LiveStyle.Fuzz" -c Release -o "$plain" -nologo -v quiet
# Instrumented code writes to afl-fuzz's shared memory, so only `run` uses this copy; seeds and replays use the plain one.
cp -r "$plain" "$bin"
# LiveStyle's own code only: the runtime, OpenCV's wrapper and ONNX Runtime's are not what is under test.
for dll in LiveStyle.Files LiveStyle.Media LiveStyle.Models LiveStyle.Capture LiveStyle.Render; do "$sharpfuzz" "$bin/$dll.dll" >/dev/null; done

fuzz_one() {
  local target="$1" dir="$out/$1"
  rm -rf "$dir" && mkdir -p "$dir"
  dotnet "$plain/livestyle-fuzz.dll" seeds "$target" "$dir/seeds"
  # -t: a parse that takes 5 s is a hang; -m none: .NET reserves far more address space than it uses, so the
  # harness's own limits (the CLI's) bound memory instead, and an OutOfMemoryException is reported as a crash.
  LIVESTYLE_FUZZ_LOG="$dir/exceptions.log" AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    afl-fuzz -i "$dir/seeds" -o "$dir/findings" -t 5000 -m none -V $((minutes * 60)) \
    -- dotnet "$bin/livestyle-fuzz.dll" run "$target" >"$dir/afl.log" 2>&1 || true
  local stats="$dir/findings/default/fuzzer_stats"
  [[ -f "$stats" ]] || { echo "fuzz.sh: afl-fuzz did not start for $target; see $dir/afl.log" >&2; return 1; }
  awk -v t="$target" -F' *: *' '{ s[$1] = $2 } END { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t, s["run_time"], s["execs_done"], s["execs_per_sec"], s["corpus_count"], s["saved_crashes"], s["saved_hangs"] }' "$stats" >"$dir/summary.tsv"
  # Each crash replayed once: the exception (an OutOfMemoryException is the out-of-memory case) goes in the log.
  for crash in "$dir"/findings/default/crashes/id*; do
    [[ -e "$crash" ]] && dotnet "$plain/livestyle-fuzz.dll" replay "$target" "$crash" >>"$dir/crashes.txt" 2>&1 || true
  done
}

pids=()
for t in "${targets[@]}"; do
  fuzz_one "$t" &
  pids+=($!)
  while [[ $(jobs -rp | wc -l) -ge $jobs ]]; do sleep 5; done
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
# Every target's latest run, so a campaign can be run in pieces (fuzz.sh pth onnx, then fuzz.sh image ...).
{
  printf "target\tseconds\texecutions\texec/s\tpaths\tcrashes\thangs\n"
  for t in "${all[@]}"; do cat "$out/$t/summary.tsv" 2>/dev/null || printf "%s\tnot run\n" "$t"; done
} >"$out/summary.tsv"
column -t -s $'\t' "$out/summary.tsv"
exit $status
