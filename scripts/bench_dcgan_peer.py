#!/usr/bin/env python3
"""The Python PyTorch eager peer of `foil bench gan`: the same DCGAN for 28x28 (width 64), one discriminator and
one generator step per batch (non-saturating loss, Adam 2e-4, betas 0.5/0.999) on random images.

    /usr/bin/python3 scripts/bench_dcgan_peer.py --threads 2 --batch 128 --steps 50
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def nets(width=64, latent=100):
    w2 = 2 * width
    g = nn.Sequential(nn.Linear(latent, w2 * 7 * 7), nn.Unflatten(1, (w2, 7, 7)), nn.BatchNorm2d(w2), nn.ReLU(),
                      nn.ConvTranspose2d(w2, width, 4, 2, 1), nn.BatchNorm2d(width), nn.ReLU(),
                      nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Tanh())
    d = nn.Sequential(nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(width, w2, 4, 2, 1),
                      nn.BatchNorm2d(w2), nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(w2 * 7 * 7, 1))
    return g, d


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--warmup", type=int, default=20, help="untimed steps first (foil bench gan's default)")
    p.add_argument("--width", type=int, default=64)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    g, d = nets(a.width)
    og = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    od = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))

    def step():
        real = torch.rand(a.batch, 1, 28, 28) * 2 - 1
        with torch.no_grad():
            fake = g(torch.randn(a.batch, 100))
        od.zero_grad()
        (F.softplus(-d(real)).mean() + F.softplus(d(fake)).mean()).backward()
        od.step()
        for q in d.parameters():
            q.requires_grad_(False)
        og.zero_grad()
        F.softplus(-d(g(torch.randn(a.batch, 100)))).mean().backward()
        og.step()
        for q in d.parameters():
            q.requires_grad_(True)

    for _ in range(a.warmup):
        step()
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    s = time.perf_counter() - start
    print(json.dumps({"bench": "gan-peer", "torch": torch.__version__, "threads": a.threads, "batch": a.batch,
                      "steps": a.steps, "seconds": s, "images_per_second": a.batch * a.steps / s}))


if __name__ == "__main__":
    main()
