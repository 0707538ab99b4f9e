#!/usr/bin/env bash
# Foil's GAN training benchmark against its Python PyTorch eager peer (Debian's python3-torch), side by side and
# alternating: progressive growing (at 32x32) or StyleGAN, gan train's own iteration. Prints the load before each
# pair, each pair, the medians and their ratio, and the median of the pairs' own ratios (the machine's speed drifts
# from pair to pair; a pair's two runs are seconds apart).
#   scripts/bench_gan_pair.sh ARCH [PAIRS=3] [THREADS=2] [STEPS=5] [WARMUP=20]    (ARCH: progressive or stylegan)
# Both sides run WARMUP untimed iterations first (the JVM compiles Foil's Java code during the first tens).
#   FOIL_JAR=/tmp/copy/foil.jar scripts/bench_gan_pair.sh ...          (a copy of the jar, to rebuild meanwhile)
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:?give progressive or stylegan}
pairs=${2:-3}
threads=${3:-2}
steps=${4:-5}
warmup=${5:-20}
jar=${FOIL_JAR:-foil-core/target/foil.jar}
foil_rates=()
peer_rates=()
for ((i = 1; i <= pairs; i++)); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  f=$(java -Xmx4g -Dai.djl.offline=true -Djava.awt.headless=true -jar "$jar" bench gan --arch "$arch" --steps "$steps" \
        --warmup "$warmup" --repeat 3 --threads "$threads" --quiet 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["images_per_second"])')
  p=$(/usr/bin/python3 "scripts/bench_${arch}_peer.py" --threads "$threads" --steps "$steps" --warmup "$warmup" \
        --repeat 3 2>/dev/null \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["images_per_second"])')
  printf 'pair %d (load %s before): foil %.2f images/s, peer %.2f images/s, ratio %.2f\n' "$i" "$load" "$f" "$p" \
    "$(python3 -c "print($f/$p)")"
  foil_rates+=("$f")
  peer_rates+=("$p")
done
python3 - "${foil_rates[*]}" "${peer_rates[*]}" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import statistics, sys
f = [float(v) for v in sys.argv[1].split()]
p = [float(v) for v in sys.argv[2].split()]
r = [a / b for a, b in zip(f, p)]
print(f"median: foil {statistics.median(f):.2f} images/s, peer {statistics.median(p):.2f} images/s, "
      f"ratio {statistics.median(f) / statistics.median(p):.2f} (pairs {min(r):.2f} to {max(r):.2f}, median pair "
      f"{statistics.median(r):.2f}); load after {sys.argv[3]}")
PY
