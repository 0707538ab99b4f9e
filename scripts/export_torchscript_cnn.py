#!/usr/bin/env python3
"""Trains a small CNN with batch norm and dropout on an IDX dataset in PyTorch and exports it as TorchScript,
for `foil eval/attack --model model.pt` (inputs N×1×28×28 in [0, 1], logits out); with --onnx PATH, the same
model also as ONNX (dynamic batch), for `foil attack --model model.onnx --method square`.

    /usr/bin/python3 scripts/export_torchscript_cnn.py /usr/share/datasets/fashion-mnist runs/torch_cnn.pt \
        [EPOCHS] [--onnx runs/torch_cnn.onnx]
"""
import gzip
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 3, padding=1)
        self.b1 = nn.BatchNorm2d(32)
        self.c2 = nn.Conv2d(32, 64, 3, padding=1)
        self.b2 = nn.BatchNorm2d(64)
        self.f1 = nn.Linear(64 * 7 * 7, 128)
        self.drop = nn.Dropout(0.3)
        self.f2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.b1(self.c1(x))), 2)
        x = F.max_pool2d(F.relu(self.b2(self.c2(x))), 2)
        return self.f2(self.drop(F.relu(self.f1(torch.flatten(x, 1)))))


def main(data_dir, out, epochs=1, onnx=None):
    torch.manual_seed(0)
    torch.set_num_threads(2)
    x = torch.tensor(idx(f"{data_dir}/train-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255
    y = torch.tensor(idx(f"{data_dir}/train-labels-idx1-ubyte.gz"), dtype=torch.int64)
    model = Net()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    for _ in range(epochs):
        perm = torch.randperm(len(y))
        model.train()
        for i in range(0, len(y), 128):
            j = perm[i:i + 128]
            opt.zero_grad()
            F.cross_entropy(model(x[j]), y[j]).backward()
            opt.step()
    model.eval()
    torch.jit.script(model).save(out)
    print(f"wrote {out}")
    if onnx:
        torch.onnx.export(model, x[:2], onnx, input_names=["x"], output_names=["logits"],
                          dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
        print(f"wrote {onnx}")


if __name__ == "__main__":
    args = sys.argv[1:]
    onnx_out = None
    if "--onnx" in args:
        k = args.index("--onnx")
        onnx_out = args[k + 1]
        del args[k:k + 2]
    main(args[0], args[1], int(args[2]) if len(args) > 2 else 1, onnx_out)
