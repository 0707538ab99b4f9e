#!/usr/bin/env python3
"""Writes the TorchScript test fixtures Foil's tests load (run with Debian's python3-torch).

A small CNN with batch norm and dropout, its batch-norm statistics made non-trivial, exported in eval mode
both scripted and traced, with a JSON file of inputs, eval-mode logits and the gradient of the summed
cross-entropy with respect to the inputs, all computed by PyTorch itself.

    /usr/bin/python3 scripts/make_torchscript_fixture.py foil-core/src/test/resources/torchscript
"""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.drop = nn.Dropout(0.5)
        self.fc = nn.Linear(4 * 14 * 14, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn(self.conv(x))), 2)
        x = self.drop(torch.flatten(x, 1))
        return self.fc(x)


def main(out):
    torch.manual_seed(7)
    model = SmallCnn()
    with torch.no_grad():
        model.bn.running_mean.copy_(torch.randn(4) * 0.3)
        model.bn.running_var.copy_(torch.rand(4) + 0.5)
        model.bn.weight.copy_(torch.rand(4) + 0.5)
        model.bn.bias.copy_(torch.randn(4) * 0.1)
    model.eval()
    x = torch.rand(4, 1, 28, 28)
    y = torch.tensor([0, 3, 7, 9])
    torch.jit.script(model).save(f"{out}/small_cnn_scripted.pt")
    torch.jit.trace(model, x).save(f"{out}/small_cnn_traced.pt")
    xg = x.clone().requires_grad_(True)
    logits = model(xg)
    loss = F.cross_entropy(logits, y, reduction="sum")
    (grad,) = torch.autograd.grad(loss, xg)
    with open(f"{out}/small_cnn_expected.json", "w") as f:
        json.dump({"x": x.flatten().tolist(), "shape": list(x.shape), "y": y.tolist(),
                   "logits": logits.detach().flatten().tolist(), "grad": grad.flatten().tolist(),
                   "torch": torch.__version__}, f)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "foil-core/src/test/resources/torchscript")
