#!/usr/bin/env bash
# Foil's PGD benchmark against the Python PyTorch eager peer (Debian's python3-torch), side by side and
# alternating, as the numerics issue measures it: prints each pair and the medians and their ratio.
#   scripts/bench_pgd_pair.sh [PAIRS=4] [THREADS=2]
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-4}
threads=${2:-2}
foil_rates=()
peer_rates=()
for ((i = 1; i <= pairs; i++)); do
  f=$(./foil bench attack --arch bench-cnn --method pgd --steps 10 --batch 256 --n 2048 --repeat 3 --threads "$threads" \
        --quiet 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["images_per_second"])')
  p=$(/usr/bin/python3 scripts/bench_pgd_peer.py --threads "$threads" --batch 256 --n 2048 --steps 10 2>/dev/null \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["images_per_second"])')
  printf 'pair %d: foil %.1f images/s, peer %.1f images/s, ratio %.2f\n' "$i" "$f" "$p" "$(python3 -c "print($f/$p)")"
  foil_rates+=("$f")
  peer_rates+=("$p")
done
python3 - "${foil_rates[*]}" "${peer_rates[*]}" <<'PY'
import statistics, sys
f = [float(v) for v in sys.argv[1].split()]
p = [float(v) for v in sys.argv[2].split()]
print(f"median: foil {statistics.median(f):.1f} images/s, peer {statistics.median(p):.1f} images/s, "
      f"ratio {statistics.median(f) / statistics.median(p):.2f} (pairs {min(a / b for a, b in zip(f, p)):.2f} to "
      f"{max(a / b for a, b in zip(f, p)):.2f})")
PY
