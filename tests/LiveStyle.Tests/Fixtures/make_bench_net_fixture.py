#!/usr/bin/env python3
"""Writes one of bench/pytorch_eager.py's networks (random weights, LiveStyle's parameter names) as
model.pth, and its output for FOLDER/input.f32 as output.f32, so tests can check that `bench --pytorch`
times the same network LiveStyle runs.

usage: make_bench_net_fixture.py FOLDER ARCH HEIGHT WIDTH
"""
import os
import re
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "bench"))
from pytorch_eager import PRESETS, TransformNet  # noqa: E402


def livestyle_name(name):
    name = re.sub(r"^res\.(\d+)\.", lambda m: f"res{int(m.group(1)) + 1}.", name)
    name = re.sub(r"\.conv(\d)\.0\.", r".conv\1_dw.", name)   # depthwise-separable body: depthwise, then pointwise
    name = re.sub(r"\.conv(\d)\.1\.", r".conv\1_pw.", name)
    name = re.sub(r"^up(\d)\.conv\.(conv2d\.)?", r"deconv\1.conv2d.", name)
    return re.sub(r"^conv4\.", "deconv3.", name)


def main():
    out, arch, h, w = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.manual_seed(1234)
    net = TransformNet(**PRESETS[arch]).eval()
    with torch.no_grad():
        for name, p in net.named_parameters():
            if re.search(r"(^|\.)in\d\.", name):
                p.copy_(torch.rand_like(p) + 0.5 if name.endswith("weight") else torch.randn_like(p) * 0.3)
        # Spread the linear output over the 0..255 range, as a trained network's is.
        net.conv4.conv2d.weight.mul_(40)
        net.conv4.conv2d.bias.add_(128)
    torch.save({livestyle_name(k): v for k, v in net.state_dict().items()}, f"{out}/model.pth")
    x = torch.from_file(f"{out}/input.f32", size=3 * h * w, dtype=torch.float32).reshape(1, 3, h, w)
    with torch.no_grad():
        net(x).contiguous().numpy().tofile(f"{out}/output.f32")


if __name__ == "__main__":
    main()
