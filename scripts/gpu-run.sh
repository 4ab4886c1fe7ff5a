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
    prefix=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)')
    mkdir -p "$gpu/native"
    if cmake -S native -B "$gpu/native-build" -DCMAKE_CXX_STANDARD=20 \
         -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >"$gpu/cmake.log" 2>&1 \
       && cmake --build "$gpu/native-build" -j "$(nproc)" >>"$gpu/cmake.log" 2>&1; then
      cp "$gpu/native-build/liblivestyle_torch.so" "$gpu/native/"
    else
      # Torch's CMake package wants a full CUDA toolkit; the wheel's headers and libraries are enough for the shim.
      echo "gpu-run: CMake could not configure against $prefix (see $gpu/cmake.log); compiling directly" >&2
      tail -5 "$gpu/cmake.log" >&2
      read -r inc lib abi < <("$python" -c 'import os, torch
from torch.utils.cpp_extension import include_paths
print(",".join(include_paths()), os.path.join(os.path.dirname(torch.__file__), "lib"), int(torch._C._GLIBCXX_USE_CXX11_ABI))')
      g++ -O2 -std=c++20 -shared -fPIC -fvisibility=hidden -D_GLIBCXX_USE_CXX11_ABI="$abi" ${inc//,/ -I} -I"${inc%%,*}" \
        native/torch/livestyle_torch.cpp -o "$gpu/native/liblivestyle_torch.so" \
        -L"$lib" -Wl,--no-as-needed -ltorch_cuda -lc10_cuda -Wl,--as-needed -ltorch -ltorch_cpu -lc10 -Wl,-rpath,"$lib"
    fi
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
