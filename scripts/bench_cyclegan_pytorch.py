#!/usr/bin/env python3
"""The Python PyTorch eager peer of `foil bench cycle`: the same CycleGAN for 28x28 images (ResNet generators with
instance norm and reflection padding, c7s1-w, d2w, d4w, BLOCKS residual blocks, two transposed convolutions with
kernel 4, stride 2, padding 1, c7s1-1, tanh; PatchGAN discriminators C(w) s2, C(2w) s1 with instance norm, a 4x4
stride-1 convolution to one score per patch), and the same full step on random images: G and F through the frozen
discriminators (least squares, cycle L1 x 10, identity L1 x 5), then D_A and D_B on real images against pools of 50,
each network with its own Adam (2e-4, betas 0.5/0.999).

    /usr/bin/python3 scripts/bench_cyclegan_pytorch.py --threads 1 --batch 8 --steps 30 --repeat 3
"""
import argparse
import json
import random
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def norm_relu(c):
    return [nn.InstanceNorm2d(c), nn.ReLU()]


class Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3, bias=False), *norm_relu(c),
                                  nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3, bias=False), nn.InstanceNorm2d(c))

    def forward(self, x):
        return x + self.body(x)


def generator(w, blocks, channels=1):
    layers = [nn.ReflectionPad2d(3), nn.Conv2d(channels, w, 7, bias=False), *norm_relu(w),
              nn.Conv2d(w, 2 * w, 3, 2, 1, bias=False), *norm_relu(2 * w),
              nn.Conv2d(2 * w, 4 * w, 3, 2, 1, bias=False), *norm_relu(4 * w)]
    layers += [Residual(4 * w) for _ in range(blocks)]
    layers += [nn.ConvTranspose2d(4 * w, 2 * w, 4, 2, 1), *norm_relu(2 * w),
               nn.ConvTranspose2d(2 * w, w, 4, 2, 1), *norm_relu(w),
               nn.ReflectionPad2d(3), nn.Conv2d(w, channels, 7), nn.Tanh()]
    return nn.Sequential(*layers)


def discriminator(w, channels=1):
    return nn.Sequential(nn.Conv2d(channels, w, 4, 2, 1), nn.LeakyReLU(0.2),
                         nn.Conv2d(w, 2 * w, 4, 1, 1, bias=False), nn.InstanceNorm2d(2 * w), nn.LeakyReLU(0.2),
                         nn.Conv2d(2 * w, 1, 4, 1, 1))


class Pool:
    def __init__(self, size=50):
        self.size, self.images = size, []

    def query(self, batch):
        out = []
        for image in batch:
            if len(self.images) < self.size:
                self.images.append(image)
                out.append(image)
            elif random.random() > 0.5:
                k = random.randrange(self.size)
                out.append(self.images[k])
                self.images[k] = image
            else:
                out.append(image)
        return torch.stack(out)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--width", type=int, default=16)
    p.add_argument("--blocks", type=int, default=4)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    random.seed(0)
    g, f = generator(a.width, a.blocks), generator(a.width, a.blocks)
    da, db = discriminator(a.width), discriminator(a.width)
    opts = [torch.optim.Adam(n.parameters(), 2e-4, betas=(0.5, 0.999)) for n in (g, f, da, db)]
    pool_a, pool_b = Pool(), Pool()
    lam = 10.0

    def lsgan(scores, target):
        return ((scores - target) ** 2).mean()

    def step():
        a_img = torch.rand(a.batch, 1, 28, 28) * 2 - 1
        b_img = torch.rand(a.batch, 1, 28, 28) * 2 - 1
        for q in list(da.parameters()) + list(db.parameters()):
            q.requires_grad_(False)
        opts[0].zero_grad()
        opts[1].zero_grad()
        fake_b, fake_a = g(a_img), f(b_img)
        loss = (lsgan(db(fake_b), 1) + lsgan(da(fake_a), 1)
                + lam * ((f(fake_b) - a_img).abs().mean() + (g(fake_a) - b_img).abs().mean())
                + 0.5 * lam * ((f(a_img) - a_img).abs().mean() + (g(b_img) - b_img).abs().mean()))
        loss.backward()
        opts[0].step()
        opts[1].step()
        for q in list(da.parameters()) + list(db.parameters()):
            q.requires_grad_(True)
        shown_a, shown_b = pool_a.query(fake_a.detach()), pool_b.query(fake_b.detach())
        opts[2].zero_grad()
        opts[3].zero_grad()
        d_loss = (0.5 * (lsgan(da(a_img), 1) + lsgan(da(shown_a), 0))
                  + 0.5 * (lsgan(db(b_img), 1) + lsgan(db(shown_b), 0)))
        d_loss.backward()
        opts[2].step()
        opts[3].step()

    for _ in range(3):
        step()
    rates = []
    for _ in range(a.repeat):
        start = time.perf_counter()
        for _ in range(a.steps):
            step()
        rates.append(a.steps / (time.perf_counter() - start))
    med = statistics.median(rates)
    print(json.dumps({"bench": "cycle-peer", "torch": torch.__version__, "threads": a.threads, "batch": a.batch,
                      "width": a.width, "blocks": a.blocks, "steps": a.steps, "repeat": a.repeat,
                      "steps_per_second": med, "steps_per_second_runs": rates, "images_per_second": a.batch * med,
                      "mkldnn": torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled}))


if __name__ == "__main__":
    main()
