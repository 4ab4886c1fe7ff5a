#!/usr/bin/env bash
# Converts INPUT in N parts on a Slurm cluster and joins them into OUTPUT:
#   deploy/slurm/submit.sh MODEL INPUT OUTPUT N [convert options...]
# INPUT, OUTPUT, the parts folder (OUTPUT.parts/) and the model cache (LIVESTYLE_CACHE) must be on storage every node
# sees. The model is pulled into that cache once, here, before any task starts; `livestyle` must be on every node's PATH.
# Prints the array job's id and the join job's id. Run it again after a failure: complete parts are skipped.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if (( $# < 4 )); then echo "usage: $0 MODEL INPUT OUTPUT N [convert options...]" >&2; exit 2; fi
model=$1 input=$2 output=$3 n=$4
shift 4
parts="${PARTS_DIR:-$output.parts}"
mkdir -p "$parts"
# Resolving the model once fills the shared cache (a catalog style, or Magenta's networks for a painting).
livestyle models info "$model" >/dev/null
array=$(sbatch --parsable --array="1-$n" --chdir="$parts" ${SBATCH_OPTIONS:-} "$here/convert-parts.sbatch" "$model" "$input" "$parts" "$n" "$@")
join=$(sbatch --parsable --dependency="afterok:${array%%;*}" --chdir="$parts" ${SBATCH_OPTIONS:-} "$here/join.sbatch" "$parts" "$output" --force)
echo "parts: job ${array%%;*} (array 1-$n); join: job ${join%%;*} (after every part succeeded)"
