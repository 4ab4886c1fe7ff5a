#!/usr/bin/env bash
# LiveStyle on a machine with an NVIDIA GPU and PyTorch but no .NET (the device machine in docs/BENCHMARKS.md).
#   here:  scripts/gpu-run.sh publish [--with-ffmpeg DIR]
#            self-contained CLI (framework trimmed, our assemblies whole) and its bench scripts in build/gpu/cli,
#            the wave model and fox.mp4 from LIVESTYLE_SHARED in build/gpu/data; with --with-ffmpeg, DIR's static
#            ffmpeg and ffprobe packed as build/gpu/ffmpeg.tar.xz (for machines that have none). Carry build/gpu.
#   there: scripts/gpu-run.sh shim       builds native/torch against the PyTorch install's own (CUDA) libtorch
#          scripts/gpu-run.sh cli ARGS   runs the CLI with that shim and that PyTorch (for bench --pytorch)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
gpu=build/gpu
python=${LIVESTYLE_PYTHON:-$(command -v python3)}

case "${1:-}" in
  publish)
    rm -rf "$gpu/cli"
    dotnet publish src/Cli/LiveStyle.Cli.csproj -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true \
      -p:EnableCompressionInSingleFile=true -p:PublishTrimmed=true -p:TrimMode=partial -p:DebugType=none -o "$gpu/cli" -nologo -v quiet
    rm -f "$gpu"/cli/liblivestyle_*.so   # built against Debian's libtorch; the GPU machine builds its own
    # OpenCV's runtime (113 MB) exceeds what can be carried: image files cannot be read there (bench, convert and live do not need it).
    rm -f "$gpu"/cli/libOpenCvSharpExtern.so
    shared=${LIVESTYLE_SHARED:-../shared}
    mkdir -p "$gpu/data"
    rm -rf "$gpu/data/wave" && cp -r "$shared/models/ml5/wave" "$gpu/data/wave"
    cp "$shared/video/fox.mp4" "$gpu/data/fox.mp4"
    if [[ "${2:-}" == --with-ffmpeg ]]; then chmod +x "$3"/ffmpeg "$3"/ffprobe && tar cJf "$gpu/ffmpeg.tar.xz" -C "$3" ffmpeg ffprobe; fi
    du -sh "$gpu"
    ;;
  shim)
    # The wheel's Torch CMake package (CUDA builds included) is what native/CMakeLists.txt finds; PyTorch 2.x needs C++20.
    prefix=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)')
    mkdir -p "$gpu/native"
    cmake -S native -B "$gpu/native-build" -DCMAKE_CXX_STANDARD=20 -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >"$gpu/cmake.log" 2>&1 \
      && cmake --build "$gpu/native-build" -j "$(nproc)" >>"$gpu/cmake.log" 2>&1 \
      || { echo "gpu-run: building the shim failed; see $gpu/cmake.log" >&2; tail -20 "$gpu/cmake.log" >&2; exit 1; }
    cp "$gpu/native-build/liblivestyle_torch.so" "$gpu/native/"
    ;;
  cli)
    shift
    if [[ -f "$gpu/ffmpeg.tar.xz" && ! -x "$gpu/bin/ffmpeg" ]] && ! command -v ffmpeg >/dev/null; then
      mkdir -p "$gpu/bin" && tar xJf "$gpu/ffmpeg.tar.xz" -C "$gpu/bin"
    fi
    PATH="$PWD/$gpu/bin:$PATH" LIVESTYLE_NATIVE_DIR="$PWD/$gpu/native" LIVESTYLE_PYTHON="$python" \
      LIVESTYLE_SHARED="$PWD/$gpu/data" exec "$gpu/cli/livestyle" "$@"
    ;;
  *)
    sed -n '2,9p' "$0" >&2
    exit 2
    ;;
esac
