#!/usr/bin/env bash
# Issue 36's studies on split 0's 199 test photos, at the article's sizes with the tuned recipe:
#   adapted-split0    the fourth regime (renders plus the 799 training photos unlabelled), seeds 0 to 4;
#   labels40-split0   photos alone, renders then photos, and adapted, with 40 labelled photos (the rest
#   labels160-split0  unlabelled), and the same with 160; seeds 0 to 2.
# A labels seed borrows the renders-only model of adapted-split0's seed of the same number
# (--synthetic-stage-from), so each seed of adapted-split0 runs first; it renders that seed's 5,000
# photo-scene renders (data/synthetic_5000, data/synthetic_5000_render1, ...: the same as photo-split0's).
# Finished seeds are read back and an interrupted one resumes from its checkpoints, so running this again
# completes what was cut off (bash scripts/park.sh carries a seed's checkpoints to another machine).
# A seed of adapted-split0 took about 47 minutes on a 2-core Intel Xeon with AMX (bfloat16, renders included),
# about 34 on a 2-core AMD EPYC with AVX-512 BF16 (bfloat16: 6 to render, 27 to train), and about three times
# the training on a CPU without bfloat16 (float32); each labels seed 24 to 29 minutes on the EPYC.
# --precision auto is bfloat16 where the CPU has avx512_bf16 or amx_bf16 (grep /proc/cpuinfo), float32 elsewhere:
# a seed begun on one and finished on the other is recorded as mixed and lends its stage to no labels seed.
#
#   bash scripts/adapt_studies.sh          # every seed, in the order the borrowing needs
#   bash scripts/adapt_studies.sh 1        # seed 1 of the three studies (adapted-split0 first)
#   python -m hotdog compare adapted-split0 --against photo-split0
#   python -m hotdog compare adapted-split0 labels40-split0 labels160-split0 photo-split0 \
#       --labels-curve results/studies/labels.png
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
COMMON=(--size article --recipe tuned --precision "${PRECISION:-auto}" --split-seed 0 --synthetic data/synthetic_5000)
seed_of_all_three() {
  "$PY" -m hotdog study adapted-split0 "${COMMON[@]}" --modes adapted --seeds "$1"
  if [ "$1" -le 2 ]; then
    for labels in 160 40; do
      "$PY" -m hotdog study "labels$labels-split0" "${COMMON[@]}" --no-render --modes both authentic adapted \
        --labels "$labels" --synthetic-stage-from adapted-split0 --seeds "$1"
    done
  fi
}
SEEDS=("$@"); [ $# -gt 0 ] || SEEDS=(0 1 2 3 4)
for seed in "${SEEDS[@]}"; do
  [[ "$seed" =~ ^[0-9]+$ ]] || { echo "a seed is a number (e.g. 1), not '$seed'" >&2; exit 2; }
done
for seed in "${SEEDS[@]}"; do seed_of_all_three "$seed"; done
