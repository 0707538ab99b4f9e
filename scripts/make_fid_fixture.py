#!/usr/bin/env python3
"""Writes the test fixtures of Foil's feature metrics (foil-core/src/test/resources/fid/) with NumPy and SciPy, independently
of Foil: features and pytorch-fid statistics files, and the reference values computed with pytorch-fid's formula
(scipy.linalg.sqrtm of sigma1 @ sigma2), the unbiased polynomial-kernel MMD^2 of KID, and the prdc package's
precision/recall/density/coverage. Debian: apt-get install python3-numpy python3-scipy.

    /usr/bin/python3 scripts/make_fid_fixture.py foil-core/src/test/resources/fid
"""
import json
import os
import sys

import numpy as np
from scipy import linalg


def frechet(mu1, sigma1, mu2, sigma2, eps=1e-6):  # pytorch-fid's calculate_frechet_distance
    diff = mu1 - mu2
    covmean, _ = linalg.sqrtm(sigma1.dot(sigma2), disp=False)
    if not np.isfinite(covmean).all():
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))


def stats(f):
    return np.mean(f, axis=0), np.cov(f, rowvar=False)


def mmd2(x, y):  # unbiased, kernel (x.y/d + 1)^3
    d = x.shape[1]
    kxx = (x @ x.T / d + 1) ** 3
    kyy = (y @ y.T / d + 1) ** 3
    kxy = (x @ y.T / d + 1) ** 3
    m, n = len(x), len(y)
    return float((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
                 - 2 * kxy.mean())


def pairwise(a, b):
    return np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))


def kth(unsorted, k):  # prdc's get_kth_value
    idx = np.argpartition(unsorted, k, axis=-1)[..., :k]
    return np.take_along_axis(unsorted, idx, axis=-1).max(axis=-1)


def prdc(real, fake, k):
    rr = kth(pairwise(real, real), k + 1)
    fr = kth(pairwise(fake, fake), k + 1)
    d = pairwise(real, fake)
    return {"precision": float((d < rr[:, None]).any(axis=0).mean()),
            "recall": float((d < fr[None, :]).any(axis=1).mean()),
            "density": float((1.0 / k) * (d < rr[:, None]).sum(axis=0).mean()),
            "coverage": float((d.min(axis=1) < rr).mean())}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(7)
    a = rng.normal(0, 1, (300, 16)).astype(np.float32)
    b = (rng.normal(0.3, 1.2, (250, 16)) @ rng.normal(0, 0.4, (16, 16)) + 0.1).astype(np.float32)
    low1 = rng.normal(0, 1, (9, 24)).astype(np.float32)   # covariance of rank 8 in 24 dimensions
    low2 = rng.normal(0.5, 2, (12, 24)).astype(np.float32)  # rank 11
    np.savez(os.path.join(out, "a_features.npz"), features=a)
    np.savez_compressed(os.path.join(out, "b_features.npz"), features=b)
    mu_b, sigma_b = stats(b.astype(np.float64))
    np.savez(os.path.join(out, "b_stats.npz"), mu=mu_b, sigma=sigma_b)
    np.savez(os.path.join(out, "low1_features.npz"), features=low1)
    np.savez(os.path.join(out, "low2_features.npz"), features=low2)
    np.savez(os.path.join(out, "not_features.npz"), x=np.zeros(3))
    mu_a, sigma_a = stats(a.astype(np.float64))
    expected = {
        "fid_a_b": frechet(mu_a, sigma_a, mu_b, sigma_b),
        "fid_low1_low2": frechet(*stats(low1.astype(np.float64)), *stats(low2.astype(np.float64))),
        "kid_a_b": mmd2(a.astype(np.float64), b.astype(np.float64)),
        "prdc_a_b_k5": prdc(a.astype(np.float64), b.astype(np.float64), 5),
    }
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print(json.dumps(expected))


if __name__ == "__main__":
    main()
