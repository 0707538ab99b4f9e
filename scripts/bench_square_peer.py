#!/usr/bin/env python3
"""The Python PyTorch eager peer of `foil attack --method square`: the Square attack (Andriushchenko et al.
2020) written from the paper's algorithm with the settings Foil uses, on a TorchScript model and the first N
test images of an IDX dataset, at the same threads. Prints one JSON line: clean and robust accuracy, queries,
seconds of the attack and images per second.

As Foil: the margin loss (untargeted), p_init 0.8 and AutoAttack's schedule of p over the budget, L-inf start
from vertical stripes, one window per image and query with its corner drawn in [0, side - s] and a sign per
channel, only the images not yet fooled are queried, and every forward pass of an image counts as a query (the
clean one included), so no image uses more than --queries. L-inf only (the figure the issue asks for).

    /usr/bin/python3 scripts/bench_square_peer.py --model runs/torch_cnn.pt \\
        --data /usr/share/datasets/fashion-mnist --n 500 --eps 0.1 --queries 5000 --threads 1
"""
import argparse
import gzip
import json
import math
import time

import numpy as np
import torch


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def p_selection(p_init, it, budget):
    it = int(it / budget * 10000)
    for k, end in enumerate([10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000]):
        if it <= end:
            return p_init / 2 ** k
    return p_init / 512


def margin(model, x, y):
    logits = model(x)
    u = torch.arange(x.shape[0])
    mine = logits[u, y].clone()
    logits[u, y] = -float("inf")
    return mine - logits.max(1)[0]


def square_linf(model, x, y, eps, budget, p_init):
    """Returns the adversarial batch and the queries per image."""
    n, c, h, w = x.shape
    queries = torch.ones(n, dtype=torch.long)
    out = x.clone()
    m_clean = margin(model, x, y)
    active = (m_clean > 0).nonzero().flatten()
    if active.numel() == 0 or budget < 2:
        return out, queries
    xa, ya = x[active], y[active]
    lo, hi = (xa - eps).clamp(0, 1), (xa + eps).clamp(0, 1)
    signs = torch.randint(0, 2, (xa.shape[0], c, 1, w)).float() * 2 - 1
    best = (xa + eps * signs).clamp(0, 1)
    m_best = margin(model, best, ya)
    queries[active] += 1
    ar_h, ar_w = torch.arange(h), torch.arange(w)
    it = 0
    while True:
        done = m_best <= 0
        if done.any():
            out[active[done]] = best[done]
            keep = ~done
            active, xa, ya, lo, hi, best, m_best = (active[keep], xa[keep], ya[keep], lo[keep], hi[keep],
                                                     best[keep], m_best[keep])
        if active.numel() == 0 or it + 3 > budget:
            break
        a = active.numel()
        p = p_selection(p_init, it, budget)
        s = min(max(int(round(math.sqrt(p * h * w))), 1), h, w)
        vh = torch.randint(0, h - s + 1, (a, 1))
        vw = torch.randint(0, w - s + 1, (a, 1))
        rows = ((ar_h >= vh) & (ar_h < vh + s)).float().view(a, 1, h, 1)
        cols = ((ar_w >= vw) & (ar_w < vw + s)).float().view(a, 1, 1, w)
        sign = torch.randint(0, 2, (a, c, 1, 1)).float() * 2 - 1
        cand = torch.min(torch.max(best + rows * cols * sign * 2 * eps, lo), hi)
        m_new = margin(model, cand, ya)
        queries[active] += 1
        accept = m_new < m_best  # the loss is the margin; a misclassified candidate has the smaller margin
        m_best = torch.where(accept, m_new, m_best)
        best = torch.where(accept.view(a, 1, 1, 1), cand, best)
        it += 1
    out[active] = best
    return out, queries


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--eps", type=float, default=0.1)
    ap.add_argument("--queries", type=int, default=5000)
    ap.add_argument("--p-init", type=float, default=0.8)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x = torch.tensor(idx(f"{a.data}/t10k-images-idx3-ubyte.gz")[:a.n], dtype=torch.float32).unsqueeze(1) / 255
    y = torch.tensor(idx(f"{a.data}/t10k-labels-idx1-ubyte.gz")[:a.n], dtype=torch.int64)
    model = torch.jit.load(a.model).eval()
    with torch.no_grad():
        clean = (model(x).argmax(1) == y).float().mean().item()
        start = time.perf_counter()
        adv, queries = square_linf(model, x, y, a.eps, a.queries, a.p_init)
        seconds = time.perf_counter() - start
        pred = model(adv).argmax(1)
    linf = (adv - x).abs().flatten(1).max(1)[0].max().item()
    success = pred != y
    q_ok = queries[success].float()
    print(json.dumps({
        "bench": "square-peer", "torch": torch.__version__, "threads": a.threads, "n": a.n, "eps": a.eps,
        "query_budget": a.queries, "clean_accuracy": clean, "robust_accuracy": (pred == y).float().mean().item(),
        "max_linf": linf, "mean_queries": q_ok.mean().item() if q_ok.numel() else 0,
        "median_queries": q_ok.median().item() if q_ok.numel() else 0,
        "mean_queries_all": queries.float().mean().item(), "total_queries": int(queries.sum()),
        "seconds": seconds, "images_per_second": a.n / seconds, "queries_per_second": int(queries.sum()) / seconds}))


if __name__ == "__main__":
    main()
