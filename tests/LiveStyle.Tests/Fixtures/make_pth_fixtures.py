#!/usr/bin/env python3
"""Makes PyTorch fixtures for the .pth tests with Debian's python3-torch.

TransformerNet below is pytorch/examples fast_neural_style/neural_style/transformer_net.py as published.
Weights are seeded random (norm scales and shifts too, so every parameter matters). Writes, into OUT:
  model_zip.pth     state dict, zip format (torch >= 1.6 default)
  model_legacy.pth  the same state dict in the legacy pre-1.6 format, plus the deprecated
                    inN.running_mean / inN.running_var keys old checkpoints carry
  not_state_dict.pth  a plain list, which is not a state dict
  whole_model.pth   torch.save(model): needs __main__.TransformerNet, which a weights loader must refuse
  output.f32        PyTorch's output for the [1, 3, H, W] float32 input read from input.f32
usage: make_pth_fixtures.py OUT HEIGHT WIDTH
"""
import sys

import torch


class ConvLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride):
        super().__init__()
        self.reflection_pad = torch.nn.ReflectionPad2d(kernel_size // 2)
        self.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)

    def forward(self, x):
        return self.conv2d(self.reflection_pad(x))


class ResidualBlock(torch.nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = ConvLayer(channels, channels, kernel_size=3, stride=1)
        self.in1 = torch.nn.InstanceNorm2d(channels, affine=True)
        self.conv2 = ConvLayer(channels, channels, kernel_size=3, stride=1)
        self.in2 = torch.nn.InstanceNorm2d(channels, affine=True)
        self.relu = torch.nn.ReLU()

    def forward(self, x):
        residual = x
        out = self.relu(self.in1(self.conv1(x)))
        out = self.in2(self.conv2(out))
        return out + residual


class UpsampleConvLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride, upsample=None):
        super().__init__()
        self.upsample = upsample
        self.reflection_pad = torch.nn.ReflectionPad2d(kernel_size // 2)
        self.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)

    def forward(self, x):
        if self.upsample:
            x = torch.nn.functional.interpolate(x, mode='nearest', scale_factor=self.upsample)
        return self.conv2d(self.reflection_pad(x))


class TransformerNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = ConvLayer(3, 32, kernel_size=9, stride=1)
        self.in1 = torch.nn.InstanceNorm2d(32, affine=True)
        self.conv2 = ConvLayer(32, 64, kernel_size=3, stride=2)
        self.in2 = torch.nn.InstanceNorm2d(64, affine=True)
        self.conv3 = ConvLayer(64, 128, kernel_size=3, stride=2)
        self.in3 = torch.nn.InstanceNorm2d(128, affine=True)
        self.res1 = ResidualBlock(128)
        self.res2 = ResidualBlock(128)
        self.res3 = ResidualBlock(128)
        self.res4 = ResidualBlock(128)
        self.res5 = ResidualBlock(128)
        self.deconv1 = UpsampleConvLayer(128, 64, kernel_size=3, stride=1, upsample=2)
        self.in4 = torch.nn.InstanceNorm2d(64, affine=True)
        self.deconv2 = UpsampleConvLayer(64, 32, kernel_size=3, stride=1, upsample=2)
        self.in5 = torch.nn.InstanceNorm2d(32, affine=True)
        self.deconv3 = ConvLayer(32, 3, kernel_size=9, stride=1)
        self.relu = torch.nn.ReLU()

    def forward(self, X):
        y = self.relu(self.in1(self.conv1(X)))
        y = self.relu(self.in2(self.conv2(y)))
        y = self.relu(self.in3(self.conv3(y)))
        y = self.res1(y)
        y = self.res2(y)
        y = self.res3(y)
        y = self.res4(y)
        y = self.res5(y)
        y = self.relu(self.in4(self.deconv1(y)))
        y = self.relu(self.in5(self.deconv2(y)))
        y = self.deconv3(y)
        return y


def main():
    out, h, w = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.manual_seed(1234)
    net = TransformerNet().eval()
    with torch.no_grad():
        for name, p in net.named_parameters():
            if name.startswith("in") or ".in" in name:
                p.copy_(torch.rand_like(p) + 0.5 if name.endswith("weight") else torch.randn_like(p) * 0.3)
        # Spread the linear output over the 0..255 range, as a trained network's is.
        net.deconv3.conv2d.weight.mul_(40)
        net.deconv3.conv2d.bias.add_(128)
    state = net.state_dict()
    torch.save(state, f"{out}/model_zip.pth")
    legacy = type(state)(state)
    for i in range(1, 6):
        legacy[f"in{i}.running_mean"] = torch.zeros(1)
        legacy[f"in{i}.running_var"] = torch.ones(1)
    torch.save(legacy, f"{out}/model_legacy.pth", _use_new_zipfile_serialization=False)
    torch.save([1, 2, 3], f"{out}/not_state_dict.pth")
    torch.save(net, f"{out}/whole_model.pth")
    x = torch.from_file(f"{out}/input.f32", size=3 * h * w, dtype=torch.float32).reshape(1, 3, h, w)
    with torch.no_grad():
        y = net(x)
    y.contiguous().numpy().tofile(f"{out}/output.f32")


if __name__ == "__main__":
    main()
