#!/usr/bin/env bash
# Sets up a Debian 12 / Ubuntu 22.04+ machine for LiveStyle and builds it. Safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

sudo=""
[[ "$(id -u)" -eq 0 ]] || sudo="sudo"

# libtorch (CPU, oneDNN) is bound through the shim in native/; OpenCV comes from NuGet (OpenCvSharp4's
# official runtime, which links GTK 3 for its highgui module); GLFW and Mesa show the live window (Xvfb
# runs it in tests); ffmpeg decodes and encodes video; python3-torch is the benchmark's PyTorch eager
# comparison and makes the .pth test fixtures (python3-pil reads images for bench/texture_ceiling.py and bench/pytorch_paint.py, the paint tests' reference;
# python3-onnx's checker validates exported models in tests);
# chromium checks the browser source and page in tests; GNU time measures the tests' peak memory; slurm-wlm and munge run
# the one-node cluster the scale-out test submits conversions to (deploy/slurm); afl++ drives scripts/fuzz.sh.
packages=(build-essential cmake pkg-config time libtorch-dev libgtk-3-0 libglfw3-dev libgl1-mesa-dri xvfb xauth ffmpeg python3-torch python3-pil python3-onnx chromium slurm-wlm munge afl++)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: installing the .NET 10 SDK" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq dotnet-sdk-10.0 >/dev/null || {
    echo "setup: the .NET 10 SDK is not in this machine's package sources; install it (https://dot.net) and run this again" >&2
    exit 1
  }
fi

# Front-end packages (ONNX Runtime Web for the browser page; Google's TFLite runtime, the reference the
# arbitrary-style tests compare against) come from the npm registry, pinned by web/package-lock.json.
if ! command -v npm >/dev/null 2>&1; then
  echo "setup: installing nodejs and npm" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if [[ ! -d web/node_modules ]] || [[ web/package-lock.json -nt web/node_modules ]]; then
  echo "setup: installing the web page's packages (npm ci)" >&2
  (cd web && npm ci --no-audit --no-fund --loglevel=error) && touch web/node_modules
fi

# SharpFuzz's instrumenter for scripts/fuzz.sh (docs/FUZZING.md), a .NET tool from NuGet.
if [[ ! -x "$HOME/.dotnet/tools/sharpfuzz" ]] && ! command -v sharpfuzz >/dev/null 2>&1; then
  echo "setup: installing SharpFuzz.CommandLine" >&2
  dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null \
    || echo "setup: could not install SharpFuzz.CommandLine; only scripts/fuzz.sh needs it" >&2
fi

echo "setup: building native shims and .NET projects" >&2
dotnet build LiveStyle.sln -c Release -nologo -v quiet >/dev/null || dotnet build LiveStyle.sln -c Release -nologo -v minimal
./livestyle --help >/dev/null
echo "setup: done" >&2
