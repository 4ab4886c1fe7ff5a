#!/usr/bin/env python3
"""How much of a style's output is fine texture: PSNR between stylized images and the same images
averaged over k x k blocks and interpolated back (k = 2, 4). A student that got everything right
except detail finer than k pixels would score about this much against its teacher, so a low figure
marks a style whose distillation needs the student to reproduce fine strokes exactly.

usage: texture_ceiling.py <folder of stylized images>...   (e.g. `livestyle stylize -m scream -i heldout/ -o out/scream/`)
"""
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image


def psnr_after_blocks(x, k):
    y = F.interpolate(F.avg_pool2d(x, k), scale_factor=k, mode="bilinear", align_corners=False)
    mse = ((x[..., :y.shape[2], :y.shape[3]] - y) ** 2).mean().item()
    return 10 * np.log10(255 ** 2 / mse)


for folder in sys.argv[1:]:
    scores = {2: [], 4: []}
    for path in sorted(Path(folder).iterdir()):
        x = torch.tensor(np.array(Image.open(path).convert("RGB")), dtype=torch.float32).permute(2, 0, 1)[None]
        for k in scores:
            scores[k].append(psnr_after_blocks(x, k))
    print(f"{Path(folder).name}\t2x2 {np.mean(scores[2]):.1f} dB\t4x4 {np.mean(scores[4]):.1f} dB\t({len(scores[2])} images)")
