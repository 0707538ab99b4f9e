#!/usr/bin/env bash
# Foil's attack benchmark against its Python PyTorch eager peer (Debian's python3-torch), side by side and
# alternating: prints each pair and the medians and their ratio.
#   scripts/bench_attack_pair.sh [METHOD=pgd|apgd-ce] [PAIRS=4] [THREADS=2]
# pgd: PGD-10 on 2048 images (scripts/bench_pgd_peer.py); apgd-ce: APGD-CE with 100 steps on 512 images
# (scripts/bench_apgd_peer.py).
set -euo pipefail
cd "$(dirname "$0")/.."
method=${1:-pgd}
pairs=${2:-4}
threads=${3:-2}
case $method in
  pgd) steps=10; n=2048; peer=scripts/bench_pgd_peer.py ;;
  apgd-ce) steps=100; n=512; peer=scripts/bench_apgd_peer.py ;;
  *) echo "bench_attack_pair.sh: unknown method '$method': use pgd or apgd-ce" >&2; exit 2 ;;
esac
foil_rates=()
peer_rates=()
for ((i = 1; i <= pairs; i++)); do
  f=$(./foil bench attack --arch bench-cnn --method "$method" --steps "$steps" --batch 256 --n "$n" --repeat 3 --threads "$threads" \
        --quiet 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["images_per_second"])')
  p=$(/usr/bin/python3 "$peer" --threads "$threads" --batch 256 --n "$n" --steps "$steps" 2>/dev/null \
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
