#!/usr/bin/env python3
"""PyTorch eager reference timing for `livestyle bench train --pytorch`.

The same training step LiveStyle runs (forward, loss, backward, Adam) with random weights:
  train:   Johnson et al. — content MSE on VGG-16 relu2_2, Gram style loss on relu1_2/2_2/3_3/4_3,
           total variation (computed even at weight 0, as LiveStyle does), ImageNet normalisation;
  distill: pixel MSE against a random fst (ml5 layout) teacher run without gradients.
--precision bf16 runs the forward passes and losses under torch.autocast (bf16), PyTorch's mixed precision.
Prints one JSON object: {"objective", "arch", "crop", "batch", "precision", "threads", "median_ms", "samples_ms"}.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from pytorch_eager import PRESETS, TransformNet

VGG16_BLOCKS = (2, 2, 3, 3)
WIDTHS = (64, 128, 256, 512)
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1) * 255
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1) * 255


class Vgg16(nn.Module):
    def __init__(self):
        super().__init__()
        convs, cin = [], 3
        for n, width in zip(VGG16_BLOCKS, WIDTHS):
            for _ in range(n):
                convs.append(nn.Conv2d(cin, width, 3, padding=1))
                cin = width
        self.convs = nn.ModuleList(convs)
        for p in self.parameters():
            p.requires_grad_(False)

    def forward(self, x, blocks=4):
        out, i = [], 0
        for b in range(blocks):
            if b > 0:
                x = F.max_pool2d(x, 2, 2)
            for _ in range(VGG16_BLOCKS[b]):
                x = F.relu(self.convs[i](x))
                i += 1
            out.append(x)
        return out


def gram(f):
    b, c, h, w = f.shape
    f = f.reshape(b, c, h * w)
    return f.bmm(f.transpose(1, 2)) / (c * h * w)


def tv(y):
    return (y[:, :, 1:] - y[:, :, :-1]).abs().mean() + (y[:, :, :, 1:] - y[:, :, :, :-1]).abs().mean()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--objective", default="train", choices=["train", "distill"])
    p.add_argument("--arch", default="full", choices=sorted(PRESETS))
    p.add_argument("--crop", type=int, default=256)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    p.add_argument("--device", default="cpu")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dev = torch.device(a.device)
    if dev.type != "cpu":
        torch.set_default_device(dev)  # PyTorch 2: the networks, batch and random targets are made on the GPU
    net = TransformNet(**PRESETS[a.arch])
    adam = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.rand(a.batch, 3, a.crop, a.crop) * 255
    mean, std = MEAN.to(dev), STD.to(dev)
    norm = lambda t: (t - mean) / std

    if a.objective == "train":
        vgg = Vgg16()
        with torch.no_grad():
            style_grams = [gram(f) for f in vgg(norm(torch.rand(1, 3, a.crop, a.crop) * 255))]

        def loss_of(y):
            fy = vgg(norm(y))
            with torch.no_grad():
                target = vgg(norm(x), blocks=2)[1]
            content = F.mse_loss(fy[1], target) * 1e5
            style = sum(((gram(f) - g) ** 2).mean() for f, g in zip(fy, style_grams)) * 1e10
            tv_term = tv(y) * 0.0
            for part in (content, style, tv_term):
                part.item()  # LiveStyle reads each part for the progress line
            return content + style + tv_term
    else:
        teacher = TransformNet(**PRESETS["fst"]).eval()

        def loss_of(y):
            with torch.no_grad():
                target = teacher(x)
            pixel = F.mse_loss(y, target)
            pixel.item()
            return pixel

    samples = []
    for i in range(a.warmup + a.repeats):
        start = time.perf_counter()
        adam.zero_grad()
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            loss = loss_of(net(x))
        loss.backward()
        adam.step()
        loss.item()  # waits for the GPU, as LiveStyle's step does
        if i >= a.warmup:
            samples.append((time.perf_counter() - start) * 1000)
    print(json.dumps(dict(objective=a.objective, arch=a.arch, crop=a.crop, batch=a.batch, precision=a.precision, threads=a.threads, device=a.device,
                          median_ms=statistics.median(samples), samples_ms=samples)))


if __name__ == "__main__":
    main()
