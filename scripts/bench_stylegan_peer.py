#!/usr/bin/env python3
"""The Python PyTorch eager peer of `foil bench gan --arch stylegan`: gan train's StyleGAN iteration on random 28x28
images padded to 32, one critic and one generator step per batch.

The same networks as foil.gan.StyleGan: foil.gan.StyleGenerator (pixel norm, 4 mapping layers with learning rate
x0.01 and LeakyReLU 0.2 x sqrt2, a learned 4x4 constant, modulated and demodulated 3x3 convolutions with an affine
style per layer (bias 1), per-pixel noise with a learned per-channel strength, bilinear upsampling, skip toRGB,
w_avg tracked at 0.995; width 32 at 4x4 to 16x16 and 16 at 32x32; latent 64) and, as its discriminator,
foil.gan.ProgressiveCritic at full resolution (from bench_progressive_peer.py); the same step as
foil.gan.GanTrainer: style mixing with probability 0.9 at a random crossover layer, the non-saturating loss, R1 with
gamma 0.1 every 4 critic steps scaled by 4 (by torch.autograd.grad with create_graph=True), Adam 2e-3 with betas
0/0.99, and the generator's moving average (decay 0.99 with Foil's warm-up).

    /usr/bin/python3 scripts/bench_stylegan_peer.py --threads 2 --batch 32 --steps 20 --repeat 3
"""
import math
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

from bench_progressive_peer import LATENT, Critic, EqLinear, Ema, arguments, frozen, pixel_norm, real_batch, run, \
    widths

GAIN = math.sqrt(2)


class ModConv(nn.Module):
    """foil.nn.ModulatedConv2d: y = d * conv(x * s, w), d = 1 / sqrt(sum (s w)^2 + 1e-8) with demodulation."""

    def __init__(self, i, o, k, demodulate):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(o, i, k, k))
        self.scale = 1 / math.sqrt(i * k * k)
        self.pad = k // 2
        self.demodulate = demodulate

    def forward(self, x, s):
        w = self.weight * self.scale
        y = F.conv2d(x * s[:, :, None, None], w, padding=self.pad)
        if not self.demodulate:
            return y
        d = (s.square() @ w.square().sum((2, 3)).t() + 1e-8).rsqrt()
        return y * d[:, :, None, None]


class Layer(nn.Module):
    def __init__(self, i, o, k, up, rgb, latent=LATENT):
        super().__init__()
        self.affine = EqLinear(latent, i, gain=1.0, bias_init=1.0)
        self.conv = ModConv(i, o, k, not rgb)
        self.noise = None if rgb else nn.Parameter(torch.zeros(o))
        self.bias = nn.Parameter(torch.zeros(o))
        self.up = up


class Generator(nn.Module):
    """foil.gan.StyleGenerator for 28x28 (4 levels, 4x4 to 32x32, cropped by 2)."""

    def __init__(self, width, latent=LATENT, mapping=4, levels=4):
        super().__init__()
        w = widths(width, levels)
        self.mapping = nn.ModuleList(EqLinear(latent, latent, gain=GAIN, lr=0.01) for _ in range(mapping))
        self.constant = nn.Parameter(torch.randn(1, w[0], 4, 4))
        self.register_buffer("w_avg", torch.zeros(latent))
        layers, rgb = [], []
        for l in range(levels):
            if l > 0:
                layers.append(Layer(w[l - 1], w[l], 3, True, False))
            layers.append(Layer(w[l], w[l], 3, False, False))
            rgb.append(Layer(w[l], 1, 1, False, True))
        self.layers, self.rgb = nn.ModuleList(layers), nn.ModuleList(rgb)

    def map(self, z):
        h = pixel_norm(z)
        for fc in self.mapping:
            h = F.leaky_relu(fc(h), 0.2) * GAIN
        return h

    @torch.no_grad()
    def track(self, w):
        self.w_avg.add_((w.detach().mean(0) - self.w_avg) * (1 - 0.995))

    def synthesize(self, ws):
        h = self.constant.expand(ws.shape[0], -1, -1, -1)
        image, level = None, 0
        for i, layer in enumerate(self.layers):
            w = ws[:, i]
            if layer.up:
                h = F.interpolate(h, scale_factor=2, mode="bilinear", align_corners=False)
            h = layer.conv(h, layer.affine(w))
            h = h + torch.randn(h.shape[0], 1, h.shape[2], h.shape[3]) * layer.noise[None, :, None, None]
            h = F.leaky_relu(h + layer.bias[None, :, None, None], 0.2) * GAIN
            if i == len(self.layers) - 1 or self.layers[i + 1].up:
                rgb = self.rgb[level]
                level += 1
                y = rgb.conv(h, rgb.affine(w)) + rgb.bias[None, :, None, None]
                image = y if image is None else F.interpolate(image, scale_factor=2, mode="bilinear",
                                                              align_corners=False) + y
        return image[:, :, 2:-2, 2:-2]

    def generate_for_training(self, z, mixing):
        """foil.gan.StyleGan.generateForTraining: w tracked, and style mixing with probability `mixing`."""
        w = self.map(z)
        self.track(w)
        styles = len(self.layers)
        ws = w[:, None].expand(-1, styles, -1)
        if random.random() < mixing:
            crossover = random.randint(1, styles - 1)
            other = self.map(torch.randn_like(z))[:, None].expand(-1, styles, -1)
            ws = torch.cat([ws[:, :crossover], other[:, crossover:]], 1)
        return self.synthesize(ws)


def main():
    a = arguments(32)
    random.seed(0)
    g, d = Generator(a.width), Critic(a.width)
    og = torch.optim.Adam(g.parameters(), 2e-3, betas=(0.0, 0.99), eps=1e-8)
    od = torch.optim.Adam(d.parameters(), 2e-3, betas=(0.0, 0.99), eps=1e-8)
    ema = Ema(g, a.ema) if a.ema > 0 else None
    critic_steps = [0]

    def step():
        real = real_batch(a.batch)
        with torch.no_grad():
            fake = g.generate_for_training(torch.randn(a.batch, LATENT), 0.9)
        od.zero_grad()
        r1 = critic_steps[0] % 4 == 0
        critic_steps[0] += 1
        real.requires_grad_(r1)
        real_scores = d(real)
        loss = F.softplus(-real_scores).mean() + F.softplus(d(fake)).mean()
        if r1:
            grad, = torch.autograd.grad(real_scores.sum(), real, create_graph=True)
            loss = loss + grad.view(a.batch, -1).square().sum(1).mean() * (0.1 / 2 * 4)
        loss.backward()
        od.step()

        def generator():
            og.zero_grad()
            F.softplus(-d(g.generate_for_training(torch.randn(a.batch, LATENT), 0.9))).mean().backward()
            og.step()
        frozen(d, generator)
        if ema is not None:
            ema.update()

    run(a, step, "gan-peer-stylegan", loss="nonsaturating+r1", mixing=0.9, resolution=32)


if __name__ == "__main__":
    main()
