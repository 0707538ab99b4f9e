#!/usr/bin/env bash
# PGD-10: Foil against its PyTorch eager peer (see bench_attack_pair.sh).  scripts/bench_pgd_pair.sh [PAIRS] [THREADS]
exec "$(dirname "$0")/bench_attack_pair.sh" pgd "$@"
