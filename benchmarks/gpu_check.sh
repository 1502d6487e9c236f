#!/usr/bin/env bash
# The project's one GPU check, for a session lent a GPU machine (the `device` tool); about 8 minutes there.
#
#   here, once:   python benchmarks/gpu_check.py pack .gpu      # split 0's photos, decoded (34 MB; .gpu is not committed)
#   on the GPU:   bash benchmarks/gpu_check.sh .gpu "$OUT"      # carry [".gpu"], timeout_s 600
#
# Writes to OUT (six files): env.txt (GPU, driver, torch), tests.log (the training tests on CUDA),
# bench_train.json/.log (per-image against batched augmentation, torch.compile) and gpu_check.json/.log
# (seed 0 of the tuned recipe at the article's schedule: seconds, images a second, accuracy; see gpu_check.py).
# Each step has its own time limit, so one that hangs leaves the others' results.
# To try it on a CPU: PYTHON=.venv/bin/python QUICK=1 bash benchmarks/gpu_check.sh .gpu /tmp/out (one epoch a stage).
set -uo pipefail
cd "$(dirname "$0")/.."
PACK="${1:-.gpu}"
OUT="${2:-${OUT:-gpu-out}}"
PY="${PYTHON:-python3}"
export PYTHONUNBUFFERED=1
mkdir -p "$OUT"
{ nvidia-smi; "$PY" -c "import torch, torchvision; print('torch', torch.__version__, 'torchvision', torchvision.__version__, torch.cuda.get_device_name() if torch.cuda.is_available() else 'no CUDA')"; } > "$OUT/env.txt" 2>&1
timeout 150 "$PY" -m pytest -q -o addopts="-p no:cacheprovider" tests/test_augment.py tests/test_precision.py \
  tests/test_train.py tests/test_tricks.py tests/test_metrics.py > "$OUT/tests.log" 2>&1
echo "tests: exit $?"; tail -n 1 "$OUT/tests.log"
timeout 120 "$PY" benchmarks/bench_train.py --batches 12 --rounds 3 --compile --json "$OUT/bench_train.json" > "$OUT/bench_train.log" 2>&1
echo "bench_train: exit $?"; tail -n 12 "$OUT/bench_train.log"
timeout 270 "$PY" benchmarks/gpu_check.py run "$PACK" "$OUT" ${QUICK:+--quick} > "$OUT/gpu_check.log" 2>&1
echo "gpu_check: exit $?"; head -n 2 "$OUT/gpu_check.log"
