#!/usr/bin/env python3
"""The Python PyTorch eager peer of `foil bench gan --arch progressive`: gan train's progressive growing at its last
stage (32x32, alpha 1) on random 28x28 images padded to 32, one critic and one generator step per batch.

The same networks as foil.gan.ProgressiveGenerator / ProgressiveCritic at full resolution (equalised learning rate,
pixel norm, LeakyReLU 0.2, nearest upsampling, average-pool downsampling, minibatch stddev over groups of 4
consecutive images; width 64 at 4x4 to 16x16 and 32 at 32x32; latent 64), the same step as foil.gan.GanTrainer:
WGAN-GP (lambda 10, by torch.autograd.grad with create_graph=True) with the drift term 0.001 E[D(x)^2], Adam 1e-3
with betas 0/0.99 for both networks, and the generator's moving average (decay 0.99 with Foil's warm-up).

    /usr/bin/python3 scripts/bench_progressive_peer.py --threads 2 --batch 32 --steps 20 --repeat 3
"""
import argparse
import copy
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

LATENT = 64
GROUP = 4
SLOPE = 0.2


class EqLinear(nn.Module):
    """y = x (c lr W)^T + lr b, W stored N(0, 1/lr^2), c = gain / sqrt(fan-in) (foil.nn.EqualizedLinear)."""

    def __init__(self, i, o, gain=math.sqrt(2), lr=1.0, bias_init=0.0):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(o, i) / lr)
        self.bias = nn.Parameter(torch.full((o,), bias_init / lr))
        self.scale = gain / math.sqrt(i) * lr
        self.lr = lr

    def forward(self, x):
        return F.linear(x, self.weight * self.scale, self.bias * self.lr)


class EqConv(nn.Module):
    """A k x k convolution, stride 1, padding k/2, weight used as w gain / sqrt(in k^2) (foil.nn.EqualizedConv2d)."""

    def __init__(self, i, o, k, gain=math.sqrt(2)):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(o, i, k, k))
        self.bias = nn.Parameter(torch.zeros(o))
        self.scale = gain / math.sqrt(i * k * k)
        self.pad = k // 2

    def forward(self, x):
        return F.conv2d(x, self.weight * self.scale, self.bias, padding=self.pad)


def pixel_norm(x):
    return x / (x.square().mean(1, keepdim=True) + 1e-8).sqrt()


def act(x):
    return F.leaky_relu(x, SLOPE)


def widths(width, levels=4):
    return [max(8, width // 2) if levels >= 3 and l == levels - 1 else width for l in range(levels)]


class Generator(nn.Module):
    """foil.gan.ProgressiveGenerator at its last level with alpha 1: 4x4 -> 32x32, cropped to 28x28."""

    def __init__(self, width, latent=LATENT, levels=4):
        super().__init__()
        w = widths(width, levels)
        self.w0 = w[0]
        self.dense = EqLinear(latent, w[0] * 16, gain=math.sqrt(2) / 4)
        self.conv0 = EqConv(w[0], w[0], 3)
        self.blocks = nn.ModuleList(nn.ModuleList([EqConv(w[l - 1], w[l], 3), EqConv(w[l], w[l], 3)])
                                    for l in range(1, levels))
        self.rgb = EqConv(w[-1], 1, 1, gain=1.0)

    def forward(self, z):
        h = self.dense(pixel_norm(z)).view(-1, self.w0, 4, 4)
        h = pixel_norm(act(self.conv0(pixel_norm(act(h)))))
        for a, b in self.blocks:
            h = F.interpolate(h, scale_factor=2, mode="nearest")
            h = pixel_norm(act(b(pixel_norm(act(a(h))))))
        return self.rgb(h)[:, :, 2:-2, 2:-2]


def minibatch_stddev(x, group=GROUP):
    n, c, h, w = x.shape
    g = group if n % group == 0 else n
    y = x.view(n // g, g, c, h, w)
    sd = (y - y.mean(1, keepdim=True)).square().mean(1).add(1e-8).sqrt()  # n/g x c x h x w
    s = sd.view(n // g, -1).mean(1).view(n // g, 1, 1, 1, 1).expand(n // g, g, 1, h, w).reshape(n, 1, h, w)
    return torch.cat([x, s], 1)


class Critic(nn.Module):
    """foil.gan.ProgressiveCritic at its last level with alpha 1: 28x28 padded to 32 with -1, down to 4x4."""

    def __init__(self, width, levels=4):
        super().__init__()
        w = widths(width, levels)
        self.from_rgb = EqConv(1, w[-1], 1)
        self.blocks = nn.ModuleList(nn.ModuleList([EqConv(w[l], w[l], 3), EqConv(w[l], w[l - 1], 3)])
                                    for l in range(levels - 1, 0, -1))
        self.last = EqConv(w[0] + 1, w[0], 3)
        self.dense = EqLinear(w[0] * 16, w[0])
        self.score = EqLinear(w[0], 1, gain=1.0)

    def forward(self, x):
        h = act(self.from_rgb(F.pad(x, (2, 2, 2, 2), value=-1.0)))
        for a, b in self.blocks:
            h = F.avg_pool2d(act(b(act(a(h)))), 2)
        h = act(self.last(minibatch_stddev(h)))
        return self.score(act(self.dense(h.flatten(1))))


class Ema:
    """foil.gan.GeneratorEma: avg <- b avg + (1 - b) w, b = min(decay, (1 + t) / (10 + t)), every tensor of G."""

    def __init__(self, g, decay):
        self.g, self.decay, self.t = g, decay, 0
        self.avg = copy.deepcopy(g).requires_grad_(False)

    @torch.no_grad()
    def update(self):
        b = min(self.decay, (1 + self.t) / (10 + self.t))
        for a, w in zip(self.avg.state_dict().values(), self.g.state_dict().values()):
            a.mul_(b).add_(w, alpha=1 - b)
        self.t += 1


def real_batch(n):
    return torch.rand(n, 1, 28, 28) * 2 - 1


def frozen(d, body):
    for q in d.parameters():
        q.requires_grad_(False)
    try:
        return body()
    finally:
        for q in d.parameters():
            q.requires_grad_(True)


def run(a, step, label, **extra):
    """--warmup untimed steps, then --repeat timed runs of --steps steps; prints one JSON line with the median
    images/s."""
    for _ in range(a.warmup):
        step()
    rates = []
    for _ in range(a.repeat):
        start = time.perf_counter()
        for _ in range(a.steps):
            step()
        rates.append(a.steps / (time.perf_counter() - start))
    out = {"bench": label, "torch": torch.__version__, "threads": a.threads, "batch": a.batch, "width": a.width,
           "steps": a.steps, "repeat": a.repeat, "warmup": a.warmup, "ema": a.ema, "onednn": a.onednn}
    out.update(extra)
    out.update({"steps_per_second": statistics.median(rates), "steps_per_second_runs": rates,
                "images_per_second": a.batch * statistics.median(rates)})
    print(json.dumps(out))


def arguments(width):
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--warmup", type=int, default=20, help="untimed steps first (foil bench gan's default)")
    p.add_argument("--width", type=int, default=width)
    p.add_argument("--ema", type=float, default=0.99, help="decay of the generator's average (0: none)")
    p.add_argument("--onednn", choices=["on", "off"], default="on",
                   help="off: PyTorch's own convolution kernels, as Foil runs where oneDNN's gradients are wrong")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.backends.mkldnn.enabled = a.onednn == "on"
    torch.manual_seed(0)
    return a


def main():
    a = arguments(64)
    g, d = Generator(a.width), Critic(a.width)
    og = torch.optim.Adam(g.parameters(), 1e-3, betas=(0.0, 0.99), eps=1e-8)
    od = torch.optim.Adam(d.parameters(), 1e-3, betas=(0.0, 0.99), eps=1e-8)
    ema = Ema(g, a.ema) if a.ema > 0 else None

    def step():
        real = real_batch(a.batch)
        with torch.no_grad():
            fake = g(torch.randn(a.batch, LATENT))
        od.zero_grad()
        real_scores = d(real)
        loss = d(fake).mean() - real_scores.mean() + 0.001 * real_scores.square().mean()
        eps = torch.rand(a.batch, 1, 1, 1)
        points = (real * eps + fake * (1 - eps)).requires_grad_(True)
        grad, = torch.autograd.grad(d(points).sum(), points, create_graph=True)
        norms = (grad.view(a.batch, -1).square().sum(1) + 1e-12).sqrt()
        (loss + 10 * (norms - 1).square().mean()).backward()
        od.step()

        def generator():
            og.zero_grad()
            (-d(g(torch.randn(a.batch, LATENT))).mean()).backward()
            og.step()
        frozen(d, generator)
        if ema is not None:
            ema.update()

    run(a, step, "gan-peer-progressive", loss="wgan-gp+drift", resolution=32)


if __name__ == "__main__":
    main()
