#!/usr/bin/env python3
"""The Python PyTorch eager peer of `foil bench attack --method apgd-ce`: APGD-CE in L-inf (Croce & Hein 2020,
written from the paper's Algorithm 1 and its reference code's arithmetic: momentum 0.75, step 2*eps halved per
image at the checkpoints 0.22, 0.41, ... of the iterations when the loss rose in fewer than rho = 0.75 of the
steps or the best loss did not improve) on bench-cnn with random weights and inputs, labels the model's own
predictions (so every image is attacked), the same batch, count, steps and threads. Prints one JSON line.

    /usr/bin/python3 scripts/bench_apgd_peer.py --threads 1 --batch 256 --n 1024 --steps 100
"""
import json
import time

import torch
import torch.nn.functional as F

from bench_pgd_peer import setup


def checkpoints(n):
    """The iterations after which the step size is checked: 0.22 n, then shorter periods, as the reference."""
    k, size_decr, n_min = max(int(0.22 * n), 1), max(int(0.03 * n), 1), max(int(0.06 * n), 1)
    marks, at = [], 0
    while at + k <= n:
        at += k
        marks.append(at)
        k = max(k - size_decr, n_min)
    return marks


def loss_and_grad(model, x, y):
    x = x.clone().requires_grad_(True)
    logits = model(x)
    loss = F.cross_entropy(logits, y, reduction="none")
    (g,) = torch.autograd.grad(loss.sum(), x)
    return loss.detach(), g.detach(), logits.detach()


def apgd(model, x, y, eps, steps, rho=0.75, alpha=0.75):
    b = x.shape[0]
    t = 2 * torch.rand_like(x) - 1
    x_adv = (x + eps * t / t.reshape(b, -1).abs().max(1)[0].reshape(b, 1, 1, 1)).clamp(0, 1)
    loss, grad, logits = loss_and_grad(model, x_adv, y)
    acc = logits.argmax(1) == y
    x_best_adv = x_adv.clone()
    loss_best = loss.clone()
    x_best, grad_best = x_adv.clone(), grad.clone()
    step = torch.full((b, 1, 1, 1), 2 * eps)
    x_old = x_adv.clone()
    marks = set(checkpoints(steps))
    history = torch.zeros(steps, b)
    last_mark = 0
    loss_best_last = loss_best.clone()
    reduced_last = torch.ones(b, dtype=torch.bool)
    for i in range(steps):
        with torch.no_grad():
            a = alpha if i > 0 else 1.0
            z = torch.min(torch.max(x_adv + step * grad.sign(), x - eps), x + eps).clamp(0, 1)
            z = torch.min(torch.max(x_adv + (z - x_adv) * a + (x_adv - x_old) * (1 - a), x - eps), x + eps).clamp(0, 1)
            x_old, x_adv = x_adv, z
        loss, grad, logits = loss_and_grad(model, x_adv, y)
        with torch.no_grad():
            fooled = logits.argmax(1) != y
            acc &= ~fooled
            x_best_adv[fooled] = x_adv[fooled]
            history[i] = loss
            better = loss > loss_best
            x_best[better], grad_best[better], loss_best[better] = x_adv[better], grad[better], loss[better]
            if i + 1 in marks:
                k = i + 1 - last_mark
                before = history[last_mark - 1:i] if last_mark > 0 else torch.cat([torch.zeros(1, b), history[:i]])
                rises = (history[last_mark:i + 1] > before).sum(0).float()
                osc = rises <= k * rho
                no_impr = ~reduced_last & (loss_best_last >= loss_best)
                reduce = osc | no_impr
                reduced_last, loss_best_last = reduce, loss_best.clone()
                step[reduce] /= 2
                x_adv[reduce], grad[reduce] = x_best[reduce], grad_best[reduce]
                last_mark = i + 1
    return x_best_adv, acc


def main():
    a, model = setup(1024, 100)

    def batch(b):
        x = torch.rand(b, 1, 28, 28)
        with torch.no_grad():
            y = model(x).argmax(1)
        apgd(model, x, y, a.eps, a.steps)

    batch(min(a.batch, a.n))  # warm-up
    start = time.perf_counter()
    done = 0
    while done < a.n:
        b = min(a.batch, a.n - done)
        batch(b)
        done += b
    s = time.perf_counter() - start
    print(json.dumps({"bench": "attack-peer", "method": "apgd-ce", "torch": torch.__version__, "onednn": a.onednn, "threads": a.threads,
                      "batch": a.batch, "n": a.n, "steps": a.steps, "seconds": s, "images_per_second": a.n / s}))


if __name__ == "__main__":
    main()
