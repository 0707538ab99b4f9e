#!/usr/bin/env bash
# Szegedy et al.'s cross-model generalisation on Fashion-MNIST: models trained on disjoint halves, with other
# architectures and weight decays, then one transfer matrix per attack. Usage: scripts/transfer_experiment.sh [OUT] [THREADS]
set -euo pipefail
out="${1:-runs/transfer}"
threads="${2:-2}"
foil="${FOIL:-./foil}"
common=(--data fashion-mnist --threads "$threads" --quiet --force)
$foil train "${common[@]}" --arch cnn --epochs 3 --train-subset 0:30000 --out "$out/cnn-a"
$foil train "${common[@]}" --arch cnn --epochs 3 --train-subset 30000:60000 --out "$out/cnn-b"
$foil train "${common[@]}" --arch mlp --epochs 5 --train-subset 0:30000 --out "$out/mlp-a"
$foil train "${common[@]}" --arch mlp --epochs 5 --train-subset 30000:60000 --weight-decay 1e-4 --out "$out/mlp-b-wd"
$foil train "${common[@]}" --arch softmax --epochs 5 --train-subset 0:30000 --weight-decay 1e-4 --out "$out/softmax-a-wd"
models="$out/cnn-a,$out/cnn-b,$out/mlp-a,$out/mlp-b-wd,$out/softmax-a-wd"
$foil transfer "${common[@]}" --models "$models" --method fgsm --eps 0.1 --n 1000 --out "$out/fgsm"
$foil transfer "${common[@]}" --models "$models" --method pgd --eps 0.1 --n 1000 --out "$out/pgd"
$foil transfer "${common[@]}" --models "$models" --method lbfgs --n 100 --out "$out/lbfgs"
