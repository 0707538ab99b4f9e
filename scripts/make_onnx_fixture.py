#!/usr/bin/env python3
"""Writes the ONNX test fixture Foil's tests load (run with Debian's python3-torch; torch.onnx.export needs no
onnx package).

A small CNN with batch norm (its statistics made non-trivial) and deterministic weights from a seed, exported
in eval mode with a dynamic batch dimension, and a JSON file of fixed inputs and the logits PyTorch computes
for them.

    /usr/bin/python3 scripts/make_onnx_fixture.py foil-core/src/test/resources/onnx
"""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.c2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn(self.c1(x))), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(torch.flatten(x, 1))


def main(out):
    torch.manual_seed(11)
    model = SmallCnn()
    with torch.no_grad():
        model.bn.running_mean.copy_(torch.randn(8) * 0.2)
        model.bn.running_var.copy_(torch.rand(8) + 0.5)
        model.bn.weight.copy_(torch.rand(8) + 0.5)
        model.bn.bias.copy_(torch.randn(8) * 0.1)
    model.eval()
    x = torch.rand(5, 1, 28, 28)
    torch.onnx.export(model, x, f"{out}/small_cnn.onnx", input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    with torch.no_grad():
        logits = model(x)
    with open(f"{out}/small_cnn_expected.json", "w") as f:
        json.dump({"x": x.flatten().tolist(), "shape": list(x.shape), "logits": logits.flatten().tolist(),
                   "torch": torch.__version__}, f)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "foil-core/src/test/resources/onnx")
