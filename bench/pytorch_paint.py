#!/usr/bin/env python3
"""PyTorch eager reference for `livestyle paint` (Gatys et al. 2016).

The same objective as LiveStyle's PaintObjective, in plain PyTorch: content MSE on named layers,
Gram (normalised by C*H*W) MSE on style layers, squared total variation; optimised by
torch.optim.LBFGS (optionally strong Wolfe) or torch.optim.Adam over the RGB 0..255 pixels,
starting from the content image. Used two ways:
  * tests: a VGG-19 of seeded random weights (--make-vgg19 writes it as a .pth for LiveStyle too);
    prints every evaluation's losses as CSV, to compare iteration by iteration;
  * benchmarks: SqueezeNet 1.1 read from SqueezeNet_fp16.onnx; prints iterations/s as JSON.
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

VGG19_BLOCKS = [2, 2, 4, 4, 4]
FIRES = [(16, 64), (16, 64), (32, 128), (32, 128), (48, 192), (48, 192), (64, 256), (64, 256)]


def make_vgg19(widths, seed):
    torch.manual_seed(seed)
    state, index, cin = {}, 0, 3
    for block, convs in enumerate(VGG19_BLOCKS):
        for _ in range(convs):
            cout = widths[block]
            state[f"features.{index}.weight"] = torch.randn(cout, cin, 3, 3) * (2.0 / (cin * 9)) ** 0.5
            state[f"features.{index}.bias"] = torch.randn(cout) * 0.01
            cin, index = cout, index + 2
        index += 1
    return state


def vgg_stages(state, pooling):
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1) * 255
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1) * 255
    stages, index = [], 0
    for block, convs in enumerate(VGG19_BLOCKS):
        for i in range(convs):
            w, b = state[f"features.{index}.weight"], state[f"features.{index}.bias"]
            stages.append((f"relu{block + 1}_{i + 1}", lambda x, w=w, b=b: F.relu(F.conv2d(x, w, b, padding=1))))
            index += 2
        stages.append((f"pool{block + 1}", lambda x: pool(x, 2, 2, pooling)))
        index += 1
    return (lambda x: (x - mean) / std), stages


def squeezenet_stages(path, pooling):
    import onnx
    from onnx import numpy_helper
    init = {t.name: torch.from_numpy(numpy_helper.to_array(t).astype(np.float32)) for t in onnx.load(path).graph.initializer}
    conv = lambda name, x, stride=1, pad=0: F.relu(F.conv2d(x, init[f"{name}_w_0"], init[f"{name}_b_0"], stride=stride, padding=pad))
    stages = [("conv1", lambda x: conv("conv1", x, 2)), ("pool1", lambda x: pool(x, 3, 2, pooling))]
    for f in range(len(FIRES)):
        name = f"fire{f + 2}"

        def fire(x, name=name):
            s = conv(f"{name}/squeeze1x1", x)
            return torch.cat([conv(f"{name}/expand1x1", s), conv(f"{name}/expand3x3", s, pad=1)], 1)
        stages.append((name, fire))
        if name in ("fire3", "fire5"):
            stages.append((f"pool{f + 2}", lambda x: pool(x, 3, 2, pooling)))
    mean = torch.tensor([104.0, 117.0, 123.0]).view(1, 3, 1, 1)
    return (lambda x: x.flip(1) - mean), stages


def pool(x, k, s, pooling):
    return F.max_pool2d(x, k, s) if pooling == "max" else F.avg_pool2d(x, k, s)


def features(net, x, layers):
    pre, stages = net
    h, out = pre(x), {}
    deepest = max(i for i, (n, _) in enumerate(stages) if n in layers)
    for name, run in stages[:deepest + 1]:
        h = run(h)
        out[name] = h
    return [out[l] for l in layers]


def gram(f):
    """F Fᵀ / (C·H·W), computed as LiveStyle's StyleLosses.Gram does (a grouped 1x1 convolution rather
    than bmm), so both sides round alike and a comparison isolates the optimisers."""
    b, c, h, w = f.shape
    positions = f.reshape(b, c, h * w).permute(0, 2, 1).reshape(1, b * h * w, 1, c)
    kernels = f.reshape(b * c, h * w, 1, 1)
    return F.conv2d(positions, kernels, groups=b).reshape(b, c, c) / (c * h * w)


def load(path):
    return torch.from_numpy(np.asarray(Image.open(path).convert("RGB"), dtype=np.float32)).permute(2, 0, 1).unsqueeze(0).contiguous()


def parse_layers(text):
    out = []
    for part in text.split(","):
        name, _, weight = part.partition(":")
        out.append((name, float(weight) if weight else 1.0))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--make-vgg19", help="write a seeded random VGG-19 state dict here and use it")
    p.add_argument("--widths", default="8,16,16,16,16")
    p.add_argument("--squeezenet", help="SqueezeNet_fp16.onnx to use instead")
    p.add_argument("--content", required=True)
    p.add_argument("--style", required=True)
    p.add_argument("--content-layers", required=True)
    p.add_argument("--style-layers", required=True)
    p.add_argument("--weights", default="5,100,0.001", help="content,style,tv")
    p.add_argument("--pooling", default="max")
    p.add_argument("--optimizer", default="lbfgs", choices=["lbfgs", "lbfgs-wolfe", "adam"])
    p.add_argument("--lr", type=float, default=1.0)
    p.add_argument("--history", type=int, default=100)
    p.add_argument("--iterations", type=int, default=20)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print timing as JSON instead of the losses as CSV")
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    if a.squeezenet:
        net = squeezenet_stages(a.squeezenet, a.pooling)
    else:
        state = make_vgg19([int(w) for w in a.widths.split(",")], 0)
        torch.save(state, a.make_vgg19)
        net = vgg_stages(state, a.pooling)

    content, style = load(a.content), load(a.style)
    cl, sl = parse_layers(a.content_layers), parse_layers(a.style_layers)
    cw, sw, tw = (float(v) for v in a.weights.split(","))
    with torch.no_grad():
        ct = features(net, content, [n for n, _ in cl])
        st = [gram(f) for f in features(net, style, [n for n, _ in sl])]
    x = content.clone().requires_grad_(True)
    rows = []

    def closure():
        opt.zero_grad()
        f = features(net, x, [n for n, _ in sl] + [n for n, _ in cl])
        c = sum(F.mse_loss(f[len(sl) + i], ct[i]) * w for i, (_, w) in enumerate(cl)) * cw
        s = sum(F.mse_loss(gram(f[i]), st[i]) * w for i, (_, w) in enumerate(sl)) * sw
        dv, dh = x[:, :, 1:, :] - x[:, :, :-1, :], x[:, :, :, 1:] - x[:, :, :, :-1]
        t = (dv.square().mean() + dh.square().mean()) * tw
        total = c + s + t
        total.backward()
        rows.append((total.item(), c.item(), s.item(), t.item()))
        return total

    start = time.perf_counter()
    if a.optimizer == "adam":
        opt = torch.optim.Adam([x], lr=a.lr)
        for _ in range(a.iterations):
            closure()
            opt.step()
    else:
        # As LiveStyle's painter: no convergence tolerances (the losses are means, so large pictures fall under them at once).
        opt = torch.optim.LBFGS([x], lr=a.lr, max_iter=a.iterations, history_size=a.history, tolerance_grad=0, tolerance_change=0,
                                line_search_fn="strong_wolfe" if a.optimizer == "lbfgs-wolfe" else None)
        opt.step(closure)
    seconds = time.perf_counter() - start
    if a.json:
        print(json.dumps({"iterations": a.iterations, "evaluations": len(rows), "seconds": seconds,
                          "iterations_per_second": a.iterations / seconds, "size": list(content.shape[2:]),
                          "threads": torch.get_num_threads(), "first_style": rows[0][2], "last_style": rows[-1][2]}))
    else:
        print("total,content,style,tv")
        for r in rows:
            print(",".join(repr(v) for v in r))


if __name__ == "__main__":
    main()
