#!/usr/bin/env bash
# Foil's Square attack against the Python PyTorch eager peer (scripts/bench_square_peer.py), side by side and
# alternating, on the same TorchScript model (scripts/export_torchscript_cnn.py), the same first N test images,
# eps, query budget and threads: prints each pair (images/s and queries/s of the attack alone) and the medians.
#   scripts/bench_square_pair.sh MODEL.pt [PAIRS=2] [N=500] [QUERIES=5000] [EPS=0.1] [THREADS=1]
# FOIL='java -jar copy/foil.jar' runs another build of Foil than ./foil.
set -euo pipefail
cd "$(dirname "$0")/.."
model=$1
pairs=${2:-2}
n=${3:-500}
queries=${4:-5000}
eps=${5:-0.1}
threads=${6:-1}
out=$(mktemp -d)
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d[sys.argv[2]])" "$@"; }
fi=(); pi=(); fq=(); pq=()
for ((i = 1; i <= pairs; i++)); do
  ${FOIL:-./foil} attack --model "$model" --data fashion-mnist --method square --norm linf --eps "$eps" --queries "$queries" \
    --n "$n" --batch "$n" --threads "$threads" --seed "$i" --out "$out/foil$i" --force --quiet >/dev/null 2>&1
  /usr/bin/python3 scripts/bench_square_peer.py --model "$model" --n "$n" --eps "$eps" --queries "$queries" \
    --threads "$threads" --seed "$i" > "$out/peer$i.json"
  f=$(field "$out/foil$i/metrics.json" images_per_second); p=$(field "$out/peer$i.json" images_per_second)
  fqs=$(field "$out/foil$i/metrics.json" queries_per_second); pqs=$(field "$out/peer$i.json" queries_per_second)
  printf 'pair %d: foil %.2f images/s (%.0f queries/s, robust %s, mean queries %s), peer %.2f images/s (%.0f queries/s, robust %s, mean queries %s)\n' \
    "$i" "$f" "$fqs" "$(field "$out/foil$i/metrics.json" robust_accuracy)" "$(field "$out/foil$i/metrics.json" mean_queries_all)" \
    "$p" "$pqs" "$(field "$out/peer$i.json" robust_accuracy)" "$(field "$out/peer$i.json" mean_queries_all)"
  fi+=("$f"); pi+=("$p"); fq+=("$fqs"); pq+=("$pqs")
done
python3 - "${fi[*]}" "${pi[*]}" "${fq[*]}" "${pq[*]}" <<'PY'
import statistics, sys
f, p, fq, pq = ([float(v) for v in a.split()] for a in sys.argv[1:5])
print(f"median: foil {statistics.median(f):.2f} images/s, peer {statistics.median(p):.2f} images/s, "
      f"ratio {statistics.median(f) / statistics.median(p):.2f}; queries/s foil {statistics.median(fq):.0f}, "
      f"peer {statistics.median(pq):.0f}, ratio {statistics.median(fq) / statistics.median(pq):.2f}")
PY
