#!/usr/bin/env bash
# Runs every test against real libtorch, OpenCV, PyTorch (fixtures) and loopback HTTP.
# Shared data comes from LIVESTYLE_SHARED (default: ../shared beside the repository).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export LIVESTYLE_SHARED="${LIVESTYLE_SHARED:-$(cd .. && pwd)/shared}"
if [[ ! -d "$LIVESTYLE_SHARED/models/ml5" ]]; then
  echo "test: shared data not found at $LIVESTYLE_SHARED (set LIVESTYLE_SHARED)" >&2
  exit 1
fi
mkdir -p build
set +e
dotnet test LiveStyle.sln -c Release -nologo 2>&1 | tee build/test.log
status=${PIPESTATUS[0]}
set -e
# One closing line in the plain 'N passed, N failed, N skipped' form.
summary=$(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' build/test.log | tail -1 || true)
if [[ "$summary" =~ Failed:\ +([0-9]+),\ Passed:\ +([0-9]+),\ Skipped:\ +([0-9]+) ]]; then
  echo "tests: ${BASH_REMATCH[2]} passed, ${BASH_REMATCH[1]} failed, ${BASH_REMATCH[3]} skipped"
fi
exit "$status"
