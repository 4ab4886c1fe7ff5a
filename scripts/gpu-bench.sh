#!/usr/bin/env bash
# The measurements behind docs/BENCHMARKS.md's GPU section. Here: scripts/gpu-run.sh publish --with-ffmpeg DIR
# (DIR: a static ffmpeg and ffprobe, for a GPU machine that has none); there, from the repository root with build/gpu
# carried along: scripts/gpu-bench.sh. Results go to $OUT (default gpu-results/).
OUT=${OUT:-gpu-results}; mkdir -p "$OUT"
G=scripts/gpu-run.sh
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv > $OUT/gpu.txt
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'cudnn', torch.backends.cudnn.version())" >> $OUT/gpu.txt
timeout 100 $G shim > $OUT/shim.txt 2>&1
timeout 330 $G cli bench --device cuda --arch fst,full,slim,mobile --sizes 1280x720,1920x1080,3840x2160 --precision fp32,fp16 --end-to-end --pytorch --json > $OUT/bench-gpu.json 2> $OUT/bench-gpu.err
export PATH=$PWD/build/gpu/bin:$PATH; $G cli --help > /dev/null
(cd build/gpu/data && timeout 60 ffmpeg -v error -i fox.mp4 -vf scale=1920:1080,setsar=1 -c:v libx264 -preset ultrafast -crf 18 -c:a copy fox1080.mp4)
{ for p in fp16 fp32; do /usr/bin/time -f "%e s wall, %M KB peak RSS" timeout 120 $G cli convert -m build/gpu/data/wave -i build/gpu/data/fox1080.mp4 -o /tmp/fox1080-$p.mp4 --device cuda --precision $p --preset veryfast -f 2>&1 | tail -2; done
  /usr/bin/time -f "%e s wall" timeout 60 $G cli convert -m build/gpu/data/wave -i build/gpu/data/fox.mp4 -o /tmp/fox-wave.mp4 --device cuda --precision fp16 -f 2>&1 | tail -2; } > $OUT/convert.txt
ffmpeg -v error -i /tmp/fox1080-fp16.mp4 -vf "select=eq(n\,120)" -frames:v 1 -y $OUT/fox1080-fp16-frame120.png
timeout 40 $G cli live --no-window -i testpattern --capture-size 1920x1080 --fps 240 --size 1920x1080 -m build/gpu/data/wave --device cuda --precision fp16 --duration 10 --stats > $OUT/live.txt 2>&1
for a in full mobile; do for p in fp32 bf16; do timeout 60 $G cli bench train --device cuda --arch $a --precision $p --pytorch --json; done; done > $OUT/train.json 2>&1
timeout 60 $G cli bench train --device cuda --objective distill --arch mobile --pytorch --json >> $OUT/train.json 2>&1
