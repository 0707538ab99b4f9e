#!/usr/bin/env python3
"""The Python PyTorch eager peer of `foil bench attack`: PGD-10 (L-inf, random start) on bench-cnn with random
weights and inputs, the same batch, count and threads. Prints one JSON line with images_per_second.

    /usr/bin/python3 scripts/bench_pgd_peer.py --threads 2 --batch 256 --n 2048 --steps 10
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def bench_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))


def pgd(model, x, y, eps, alpha, steps):
    adv = (x + torch.empty_like(x).uniform_(-eps, eps)).clamp(0, 1)
    for _ in range(steps):
        adv.requires_grad_(True)
        loss = F.cross_entropy(model(adv), y, reduction="sum")
        (g,) = torch.autograd.grad(loss, adv)
        with torch.no_grad():
            adv = adv + alpha * g.sign()
            adv = torch.min(torch.max(adv, x - eps), x + eps).clamp(0, 1)
    with torch.no_grad():
        pred = model(adv).argmax(1)
    return adv.detach(), pred


def setup(n, steps):
    """The peers' common options, thread count and seed, and bench-cnn with frozen random weights."""
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--n", type=int, default=n)
    p.add_argument("--steps", type=int, default=steps)
    p.add_argument("--eps", type=float, default=0.1)
    p.add_argument("--onednn", choices=["on", "off"], default="on",
                   help="off: PyTorch's own convolution kernels, as Foil runs where oneDNN's gradients are wrong")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.backends.mkldnn.enabled = a.onednn == "on"
    torch.manual_seed(0)
    model = bench_cnn().eval()
    for q in model.parameters():
        q.requires_grad_(False)
    return a, model


def main():
    a, model = setup(2048, 10)
    alpha = 2.5 * a.eps / a.steps
    x = torch.rand(a.batch, 1, 28, 28)
    y = torch.randint(0, 10, (a.batch,))
    pgd(model, x, y, a.eps, alpha, a.steps)  # warm-up
    start = time.perf_counter()
    done = 0
    while done < a.n:
        b = min(a.batch, a.n - done)
        x = torch.rand(b, 1, 28, 28)
        y = torch.randint(0, 10, (b,))
        pgd(model, x, y, a.eps, alpha, a.steps)
        done += b
    s = time.perf_counter() - start
    print(json.dumps({"bench": "attack-peer", "torch": torch.__version__, "onednn": a.onednn, "threads": a.threads, "batch": a.batch,
                      "n": a.n, "steps": a.steps, "seconds": s, "images_per_second": a.n / s}))


if __name__ == "__main__":
    main()
