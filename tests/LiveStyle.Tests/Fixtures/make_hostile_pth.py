#!/usr/bin/env python3
"""Hostile PyTorch checkpoints for the security tests: python3 make_hostile_pth.py <folder>.

Each is a zip-format torch.save file whose pickle is written by hand, so it can say what torch.save
never would: a size that is None, a storage type that is no storage, a storage of 2**62 elements, a
[32000, 32000] view with zero strides over 128 bytes, and an archive entry that inflates to 3 GiB.
"""
import collections
import io
import pickle
import sys
import zipfile

import torch


class Storage:
    """Pickled as the persistent id torch.save writes for a storage."""

    def __init__(self, kind, key, count):
        self.pid = ("storage", kind, key, "cpu", count)


class Rebuild:
    def __init__(self, *args):
        self.args = args

    def __reduce__(self):
        return torch._utils._rebuild_tensor_v2, self.args


class Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        return obj.pid if isinstance(obj, Storage) else None


def write(path, entries, storages, big_entry=None):
    buf = io.BytesIO()
    Pickler(buf, protocol=2).dump(collections.OrderedDict(entries))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("archive/data.pkl", buf.getvalue())
        for key, data in storages.items():
            z.writestr(f"archive/data/{key}", data)
        if big_entry:
            key, size = big_entry
            chunk = bytes(1 << 20)
            with z.open(f"archive/data/{key}", "w", force_zip64=True) as f:
                for _ in range(size // len(chunk)):
                    f.write(chunk)


def main():
    out = sys.argv[1]
    f32 = torch.FloatStorage
    write(f"{out}/none_size.pth", {"w": Rebuild(Storage(f32, "0", 8), 0, (None, 8), (8, 1), False, collections.OrderedDict())},
          {"0": bytes(32)})
    write(f"{out}/not_a_storage.pth", {"w": Rebuild(Storage(collections.OrderedDict, "0", 8), 0, (8,), (1,), False, collections.OrderedDict())},
          {"0": bytes(32)})
    write(f"{out}/huge_count.pth", {"w": Rebuild(Storage(f32, "0", 2 ** 62), 0, (8,), (1,), False, collections.OrderedDict())},
          {"0": bytes(32)})
    write(f"{out}/zero_stride.pth", {"conv1.conv2d.weight": Rebuild(Storage(f32, "0", 32), 0, (32000, 32000), (0, 0), False, collections.OrderedDict())},
          {"0": bytes(128)})
    write(f"{out}/inflates.pth", {"w": Rebuild(Storage(f32, "0", 8), 0, (8,), (1,), False, collections.OrderedDict())},
          {}, big_entry=("0", 3 << 30))
    # Round two (issue 34): ten small views that each pass the per-tensor limit but not together.
    write(f"{out}/zero_stride_ten.pth",
          {f"t{i}": Rebuild(Storage(f32, "0", 1), 0, (199_000_000,), (0,), False, collections.OrderedDict()) for i in range(10)},
          {"0": bytes(4)})
    # 20,000 keys beside a network's first convolution: config inference must not look at them pairwise.
    def view(key, shape):
        strides = [1] * len(shape)
        for i in range(len(shape) - 2, -1, -1):
            strides[i] = strides[i + 1] * shape[i + 1]
        count = 1
        for d in shape:
            count *= d
        return Rebuild(Storage(f32, key, count), 0, tuple(shape), tuple(strides), False, collections.OrderedDict())
    convs = {"conv1.conv2d.weight": view("c1", (32, 3, 9, 9)), "conv2.conv2d.weight": view("c2", (64, 32, 3, 3)),
             "conv3.conv2d.weight": view("c3", (128, 64, 3, 3))}
    conv_data = {"c1": bytes(4 * 32 * 3 * 81), "c2": bytes(4 * 64 * 32 * 9), "c3": bytes(4 * 128 * 64 * 9)}
    many = dict(convs, **{f"res{i}.x": view("one", (1,)) for i in range(1, 20001)})
    write(f"{out}/many_keys.pth", many, dict(conv_data, one=bytes(4)))
    # A key with a terminal escape sequence in it, whose value is no tensor: the error names it, and must not pass it to the terminal.
    write(f"{out}/escape_key.pth", dict(convs, **{"res1.x\x1b]0;owned\x07\x1b[2J": 7}), conv_data)
    # A GLOBAL whose module name carries an escape sequence: refused, and named harmlessly.
    buf = io.BytesIO(b"\x80\x02c" + b"os\x1b[31m\nsystem\n" + b"q\x00.")
    with zipfile.ZipFile(f"{out}/escape_global.pth", "w") as z:
        z.writestr("archive/data.pkl", buf.getvalue())


if __name__ == "__main__":
    main()
