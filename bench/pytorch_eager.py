#!/usr/bin/env python3
"""PyTorch eager reference timing for `livestyle bench --pytorch`.

Builds the same transform networks as LiveStyle's TransformNet (fst = lengstrom/fast-style-transfer
layout; full/slim/mobile = pytorch/examples TransformerNet layout and our narrower variants) with
random weights, and prints one JSON object: {"arch", "size", "threads", "precision", "median_ms", "samples_ms"}.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PRESETS = {
    "fst": dict(channels=(32, 64, 128), blocks=5, separable=False, tf=True),
    "full": dict(channels=(32, 64, 128), blocks=5, separable=False, tf=False),
    "slim": dict(channels=(16, 32, 64), blocks=5, separable=False, tf=False),
    "mobile": dict(channels=(24, 48, 96), blocks=4, separable=True, tf=False, edge=3, unshuffle=4, transposed=True, skips=True),
    # Magenta's arbitrary-style transformer with one style folded in (its conditional norms as plain ones).
    "magenta": dict(channels=(8, 16, 32), blocks=5, separable=False, tf=False, encoder_norm=False, sigmoid=True, multiple=4),
}


def same_pad(n, k, s):
    out = (n + s - 1) // s
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


class Conv(nn.Module):
    def __init__(self, cin, cout, k, stride, tf, groups=1):
        super().__init__()
        self.k, self.stride, self.tf = k, stride, tf
        self.conv2d = nn.Conv2d(cin, cout, k, stride, groups=groups, bias=not tf)

    def forward(self, x):
        k = self.k
        if k == 1:
            return self.conv2d(x)
        if not self.tf:
            return self.conv2d(F.pad(x, (k // 2,) * 4, mode="reflect"))
        t, b = same_pad(x.shape[2], k, self.stride)
        l, r = same_pad(x.shape[3], k, self.stride)
        return self.conv2d(F.pad(x, (l, r, t, b)))


class Residual(nn.Module):
    def __init__(self, c, tf, eps, separable):
        super().__init__()
        def body():
            if separable:
                return nn.Sequential(Conv(c, c, 3, 1, tf, groups=c), Conv(c, c, 1, 1, tf))
            return Conv(c, c, 3, 1, tf)
        self.conv1, self.in1 = body(), nn.InstanceNorm2d(c, affine=True, eps=eps)
        self.conv2, self.in2 = body(), nn.InstanceNorm2d(c, affine=True, eps=eps)

    def forward(self, x):
        return x + self.in2(self.conv2(F.relu(self.in1(self.conv1(x)))))


class Up(nn.Module):
    def __init__(self, cin, cout, tf, transposed):
        super().__init__()
        self.transposed = transposed
        self.conv = nn.ConvTranspose2d(cin, cout, 3, 2, bias=not tf) if transposed else Conv(cin, cout, 3, 1, False)

    def forward(self, x, h, w):
        if self.transposed:
            y = self.conv(x)
            t, l = (y.shape[2] - h) // 2, (y.shape[3] - w) // 2
            return y[:, :, t:t + h, l:l + w]
        return self.conv(F.interpolate(x, scale_factor=2, mode="nearest")[:, :, :h, :w])


class TransformNet(nn.Module):
    def __init__(self, channels, blocks, separable, tf, edge=9, unshuffle=1, transposed=None, skips=False,
                 encoder_norm=True, sigmoid=False, multiple=1):
        super().__init__()
        c1, c2, c3 = channels
        eps = 1e-3 if tf else 1e-5
        self.tf, self.f, self.skips, self.sigmoid = tf, unshuffle, skips, sigmoid
        self.multiple = unshuffle * multiple
        cin = 3 * unshuffle * unshuffle
        norm = lambda c: nn.InstanceNorm2d(c, affine=True, eps=eps) if encoder_norm else nn.Identity()
        self.conv1, self.in1 = Conv(cin, c1, edge, 1, tf), norm(c1)
        self.conv2, self.in2 = Conv(c1, c2, 3, 2, tf), norm(c2)
        self.conv3, self.in3 = Conv(c2, c3, 3, 2, tf), norm(c3)
        norm = lambda c: nn.InstanceNorm2d(c, affine=True, eps=eps)
        self.res = nn.Sequential(*[Residual(c3, tf, eps, separable) for _ in range(blocks)])
        transposed = tf if transposed is None else transposed
        self.up1, self.in4 = Up(c3, c2, tf, transposed), norm(c2)
        self.up2, self.in5 = Up(c2, c1, tf, transposed), norm(c1)
        self.conv4 = Conv(c1, cin, edge, 1, tf)
        self.in6 = norm(3) if tf or sigmoid else None

    def forward(self, x):
        if self.multiple == 1:
            return self.at_scale(x)
        h, w = x.shape[2], x.shape[3]
        ph, pw = (-h) % self.multiple, (-w) % self.multiple
        x = F.pad(x, (0, pw, 0, ph), mode="replicate") if ph or pw else x
        y = F.pixel_shuffle(self.at_scale(F.pixel_unshuffle(x, self.f)), self.f) if self.f > 1 else self.at_scale(x)
        return y[:, :, :h, :w]

    def at_scale(self, x):
        h1, w1 = x.shape[2], x.shape[3]
        e1 = F.relu(self.in1(self.conv1(x)))
        e2 = F.relu(self.in2(self.conv2(e1)))
        y = self.res(F.relu(self.in3(self.conv3(e2))))
        y = self.up1(y, e2.shape[2], e2.shape[3])
        y = F.relu(self.in4(y + e2 if self.skips else y))
        y = self.up2(y, h1, w1)
        y = F.relu(self.in5(y + e1 if self.skips else y))
        y = self.conv4(y)
        if self.sigmoid:
            return torch.sigmoid(self.in6(y)) * 255
        return torch.tanh(self.in6(y)) * 150 + 127.5 if self.tf else y


def timed(fn, warmup, repeats, sync):
    samples = []
    for i in range(warmup + repeats):
        start = time.perf_counter()
        fn()
        sync()
        if i >= warmup:
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arch", default="full", choices=sorted(PRESETS))
    p.add_argument("--size", default="640x480")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16", "fp16"])
    p.add_argument("--device", default="cpu")
    p.add_argument("--layout", default="nchw", choices=["nchw", "nhwc"])
    p.add_argument("--end-to-end", action=argparse.BooleanOptionalAction, default=False)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--repeats", type=int, default=10)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    cuda = dev.type == "cuda"
    torch.backends.cudnn.benchmark = cuda
    sync = (lambda: torch.cuda.synchronize(dev)) if cuda else (lambda: None)
    w, h = map(int, a.size.split("x"))
    dtype = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[a.precision]
    fmt = torch.channels_last if a.layout == "nhwc" else torch.contiguous_format
    net = TransformNet(**PRESETS[a.arch]).eval().to(dev, dtype, memory_format=fmt)
    host = torch.rand(1, 3, h, w) * 255
    resident = host.to(dev, dtype).contiguous(memory_format=fmt)
    result = dict(arch=a.arch, size=a.size, threads=a.threads, precision=a.precision, device=a.device, layout=a.layout)
    with torch.no_grad():
        # As `livestyle bench` measures median_ms: float32 input in host memory, float32 result back in host memory.
        samples = timed(lambda: net(host.to(dev, dtype).contiguous(memory_format=fmt)).float().cpu(), a.warmup, a.repeats, sync)
        result.update(median_ms=statistics.median(samples), samples_ms=samples)
        result["network_ms"] = statistics.median(timed(lambda: net(resident), a.warmup, a.repeats, sync))
        if a.end_to_end:
            # A frame as OpenCV or FFmpeg hands it over (packed BGR bytes), written the way PyTorch's tutorials do.
            frame = torch.randint(0, 256, (h, w, 3), dtype=torch.uint8).numpy()

            def whole_frame():
                x = torch.from_numpy(frame).to(dev).permute(2, 0, 1).flip(0).unsqueeze(0).to(dtype).contiguous(memory_format=fmt)
                y = net(x).float().round().clamp(0, 255).to(torch.uint8)
                return y[0].flip(0).permute(1, 2, 0).cpu().numpy()

            result["end_to_end_ms"] = statistics.median(timed(whole_frame, a.warmup, a.repeats, sync))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
