#!/usr/bin/env bash
# Provenance by inversion (issue 10's done-when): two DCGANs of different seeds on Fashion-MNIST; G = the first.
# Positives: G's samples; negatives: held-out test images, and the second DCGAN's samples. Reports ROC-AUC and the
# true-positive rates at 1% and 5% false positives on the half of each set that did not fix the threshold.
#   scripts/provenance_experiment.sh [OUT=runs/provenance] [EPOCHS=2] [N=400] [STEPS=400] [RESTARTS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-runs/provenance}
epochs=${2:-2}
n=${3:-400}
steps=${4:-400}
restarts=${5:-3}
for seed in 1 2; do
  if [[ ! -f $out/dcgan-seed$seed/metrics.json ]]; then
    ./foil gan train --data fashion-mnist --arch dcgan --loss nonsaturating --epochs "$epochs" --seed "$seed" \
      --out "$out/dcgan-seed$seed" --force --quiet
  fi
done
./foil gan provenance --model "$out/dcgan-seed1" --real fashion-mnist --other "$out/dcgan-seed2" --n "$n" \
  --inversion-steps "$steps" --restarts "$restarts" --out "$out/provenance" --force --quiet
python3 - "$out" <<'PY'
import json, sys
m = json.load(open(f"{sys.argv[1]}/provenance/metrics.json"))
print(f"AUC v real {m['auc_vs_real']:.4f}, v other DCGAN {list(m['auc_vs_other'].values())[0]:.4f}; "
      f"TPR at 1% FPR {m['tpr_at_fpr_0.01']}; at the threshold fixed on the other half: {m['threshold']}")
for k, v in m['errors'].items():
    print(f"  {k}: median error {v['median']:.5f} (min {v['min']:.5f}, max {v['max']:.5f})")
PY
