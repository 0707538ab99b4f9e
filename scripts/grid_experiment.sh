#!/usr/bin/env bash
# The 25-Gaussian grid of PacGAN (std 0.05, 2500 samples, high quality within 3 std), three runs that differ in
# one thing each: WGAN-GP; the minimax loss on the same schedule (5 discriminator steps per generator step);
# minimax with 1 discriminator step. Then the comparison chart. About 25 minutes on 2 cores.
# Usage: scripts/grid_experiment.sh [OUT_DIR] [ITERS]
set -euo pipefail
out="${1:-runs/grid-experiment}"
iters="${2:-10000}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
foil="$root/foil"
common=(gan mog --shape grid --lr 1e-3 --lr-decay --iters "$iters" --log-every 250 --threads 1 --quiet --force)
mkdir -p "$out"
"$foil" --help >/dev/null # builds once, before two runs share the jar
"$foil" "${common[@]}" --loss wgan-gp --gp-weight 0.1 --out "$out/wgan-gp" &
"$foil" "${common[@]}" --loss minimax --d-steps 5 --out "$out/minimax-5" &
wait
"$foil" "${common[@]}" --loss minimax --d-steps 1 --out "$out/minimax-1"
"$foil" gan compare --runs "$out/wgan-gp,$out/minimax-5,$out/minimax-1" \
  --names "wgan-gp,minimax (5 D steps),minimax (1 D step)" --out "$out/compare" --force
