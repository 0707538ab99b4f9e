#!/usr/bin/env python3
"""Robust accuracy of a TorchScript classifier under the reference implementation of APGD-CE, APGD-DLR and
APGD-T (github.com/fra31/auto-attack, autoattack/autopgd_base.py), on the first N test images of an IDX set:
the numbers `foil attack --method apgd-ce|apgd-dlr|apgd-t` should agree with (to sampling noise: the random
starts differ). Prints one JSON line.

    git clone https://github.com/fra31/auto-attack /tmp/auto-attack
    /usr/bin/python3 scripts/reference_apgd.py --autoattack /tmp/auto-attack --model runs/torch_cnn.pt \
        --data /usr/share/datasets/fashion-mnist --n 500 --eps 0.03
"""
import argparse
import json
import sys
import time

import torch

from export_torchscript_cnn import idx


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--autoattack", required=True, help="a checkout of fra31/auto-attack")
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--n", type=int, default=500)
    p.add_argument("--eps", type=float, default=0.03)
    p.add_argument("--norm", default="Linf")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    sys.path.insert(0, a.autoattack)
    from autoattack.autopgd_base import APGDAttack, APGDAttack_targeted
    torch.set_num_threads(a.threads)
    model = torch.jit.load(a.model).eval()
    x = torch.tensor(idx(a.data + "/t10k-images-idx3-ubyte.gz")[:a.n], dtype=torch.float32).unsqueeze(1) / 255
    y = torch.tensor(idx(a.data + "/t10k-labels-idx1-ubyte.gz")[:a.n], dtype=torch.long)
    out = {"n": a.n, "eps": a.eps, "norm": a.norm}
    with torch.no_grad():
        clean = model(x).argmax(1) == y
    out["clean_accuracy"] = clean.float().mean().item()
    for name, attack in [("apgd-ce", APGDAttack(model, norm=a.norm, eps=a.eps, loss="ce", device="cpu")),
                         ("apgd-dlr", APGDAttack(model, norm=a.norm, eps=a.eps, loss="dlr", device="cpu")),
                         ("apgd-t", APGDAttack_targeted(model, norm=a.norm, eps=a.eps, device="cpu"))]:
        start = time.perf_counter()
        adv = attack.perturb(x, y)
        with torch.no_grad():
            robust = (model(adv).argmax(1) == y) & clean
        out[name] = {"robust_accuracy": robust.float().mean().item(), "seconds": time.perf_counter() - start}
        print(json.dumps({name: out[name]}), file=sys.stderr, flush=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
