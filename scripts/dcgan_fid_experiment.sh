#!/usr/bin/env bash
# DCGANs of 1 and 10 epochs on Fashion-MNIST, scored by foil gan eval against the test images with the real floor
# (issue 10's done-when: the 10-epoch FID below a third of the 1-epoch one, both above the floor).
#   scripts/dcgan_fid_experiment.sh [OUT=runs/dcgan-fid] [N=5000]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-runs/dcgan-fid}
n=${2:-5000}
for epochs in 1 10; do
  ./foil gan train --data fashion-mnist --arch dcgan --loss nonsaturating --epochs "$epochs" --threads 2 \
    --out "$out/dcgan-$epochs" --force --quiet
  ./foil gan eval --model "$out/dcgan-$epochs" --data fashion-mnist --n "$n" --out "$out/eval-$epochs" --force --quiet
done
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
for e in (1, 10):
    m = json.load(open(f"{out}/eval-{e}/metrics.json"))
    print(f"{e:2d} epochs: FID {m['fid']:.1f} (floor {m['fid_floor']:.2f}), KID {m['kid']:.2f}, "
          f"precision {m['precision']:.3f}, recall {m['recall']:.3f}, density {m['density']:.3f}, "
          f"coverage {m['coverage']:.3f}  [{m['feature_network']}]")
PY
